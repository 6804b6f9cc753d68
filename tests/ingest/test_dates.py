from __future__ import annotations

import datetime as dt

import pytest

from ingest.dates import find_date, match_date_at, parse_date_value

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 March 2024", D(2024, 3, 14)),
        ("1st March 2024", D(2024, 3, 1)),
        ("March 14, 2024", D(2024, 3, 14)),
        ("Sept. 3, 2019", D(2019, 9, 3)),
        ("22-23 February 2021", D(2021, 2, 22)),
        ("22–23 February 2021", D(2021, 2, 22)),
        ("22 and 23 February 2021", D(2021, 2, 22)),
        ("February 22-23, 2021", D(2021, 2, 22)),
        ("30 November – 2 December 2021", D(2021, 11, 30)),
        ("30 December - 2 January 2021", D(2020, 12, 30)),
        ("November 30 - December 2, 2021", D(2021, 11, 30)),
        ("14.03.2024", D(2024, 3, 14)),
        ("2024-03-14", D(2024, 3, 14)),
        ("14/03/2024", D(2024, 3, 14)),
        ("03/14/2024", D(2024, 3, 14)),
        ("14 mars 2024", D(2024, 3, 14)),
        ("1er mars 2024", D(2024, 3, 1)),
        ("14. März 2024", D(2024, 3, 14)),
        ("14 de marzo de 2024", D(2024, 3, 14)),
        ("14 marzo 2024", D(2024, 3, 14)),
        ("14 de março de 2024", D(2024, 3, 14)),
        ("22 февраля 2021 г.", D(2021, 2, 22)),
    ],
)
def test_written_dates(text: str, expected: dt.date) -> None:
    found = find_date(text)
    assert found is not None
    assert found.date == expected


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2024",  # day-first or month-first? not guessed
        "31 February 2024",
        "14 Marathon 2024",
        "in 2024",
        "yesterday",
        "123 March 2024 units",
    ],
)
def test_no_date_is_guessed(text: str) -> None:
    assert find_date(text) is None


def test_the_first_date_in_the_text_wins() -> None:
    found = find_date("Held on 2 May 2023, reported on 9 June 2023.")
    assert found is not None
    assert found.date == D(2023, 5, 2)
    assert found.start == len("Held on ")


def test_match_date_at_is_anchored() -> None:
    assert match_date_at("x 14 March 2024", 0) is None
    found = match_date_at("x 14 March 2024", 2)
    assert found is not None
    assert found.date == D(2024, 3, 14)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-14", D(2024, 3, 14)),
        ("2024-03-14T09:30:00+02:00", D(2024, 3, 14)),
        ("20240314", D(2024, 3, 14)),
        ("Thu, 14 Mar 2024 09:30:00 +0000", D(2024, 3, 14)),
        ("14 March 2024", D(2024, 3, 14)),
        (dt.datetime(2024, 3, 14, 9, 30), D(2024, 3, 14)),
        (D(2024, 3, 14), D(2024, 3, 14)),
        ("", None),
        ("soon", None),
        (20240314, None),
        (None, None),
    ],
)
def test_parse_date_value(value: object, expected: dt.date | None) -> None:
    assert parse_date_value(value) == expected


def test_find_dates_gives_every_date_once() -> None:
    from ingest.dates import find_dates

    text = "On 15-16 October 2024 the SOC met; on November 10, 2020 and 2024-03-05 too."
    assert [m.date for m in find_dates(text)] == [
        dt.date(2024, 10, 15),
        dt.date(2020, 11, 10),
        dt.date(2024, 3, 5),
    ]
    assert find_dates("no date here") == []


def test_yearless_days_months_and_years() -> None:
    from ingest.dates import day_months, month_years, years

    text = "Met in Astana on 27 June; on June 28 too; 4 February 2020; in March 2021 (45,2019)."
    assert day_months(text) == [(6, 27), (6, 28)]
    assert month_years(text) == [(2020, 2), (2021, 3)]
    assert years(text) == [2020, 2021]
