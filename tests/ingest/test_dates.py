from __future__ import annotations

import datetime as dt

import pytest

from ingest.dates import find_all_dates, find_date, match_date_at, parse_date_value, slash_order

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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 19 Apr 2023 10:30:00 +0600", dt.date(2023, 4, 19)),  # RFC 2822, local date
        ("Wed, 19 Apr 2023 23:30:00 -0500", dt.date(2023, 4, 19)),  # never shifted to UTC
        ("2024-08-22T08:30:00+06:00", dt.date(2024, 8, 22)),  # ISO with an offset
        ("2024-08-22T01:30:00+06:00", dt.date(2024, 8, 22)),
        ("2024-08-22T23:59:59Z", dt.date(2024, 8, 22)),
    ],
)
def test_timestamps_with_offsets_keep_their_own_date(value: str, expected: dt.date) -> None:
    assert parse_date_value(value) == expected


def test_a_slash_column_order_comes_from_its_unambiguous_rows() -> None:
    assert slash_order(["19/04/2023", "05/04/2023", "2023-04-05"]) is True
    assert slash_order(["04/19/2023", "05/04/2023"]) is False
    assert slash_order(["05/04/2023", "2023-04-05", None]) is None
    assert slash_order(["19/04/2023", "04/19/2023"]) is None  # rows disagree


def test_an_ambiguous_slash_date_follows_the_column_order() -> None:
    assert parse_date_value("05/04/2023") is None
    assert parse_date_value("05/04/2023", day_first=True) == dt.date(2023, 4, 5)
    assert parse_date_value("05/04/2023", day_first=False) == dt.date(2023, 5, 4)
    assert parse_date_value("19/04/2023", day_first=False) == dt.date(2023, 4, 19)


def test_every_date_of_a_text() -> None:
    found = find_all_dates("On 3 May 2023 and on June 4, 2024 (2024-06-05).")
    assert [m.date for m in found] == [
        dt.date(2023, 5, 3),
        dt.date(2024, 6, 4),
        dt.date(2024, 6, 5),
    ]


def test_find_all_dates_gives_every_date_once() -> None:
    text = "On 15-16 October 2024 the SOC met; on November 10, 2020 and 2024-03-05 too."
    assert [m.date for m in find_all_dates(text)] == [
        dt.date(2024, 10, 15),
        dt.date(2020, 11, 10),
        dt.date(2024, 3, 5),
    ]
    assert find_all_dates("no date here") == []


def test_yearless_days_months_and_years() -> None:
    from ingest.dates import day_months, month_years, years

    text = "Met in Astana on 27 June; on June 28 too; 4 February 2020; in March 2021 (45,2019)."
    assert day_months(text) == [(6, 27), (6, 28)]
    assert month_years(text) == [(2020, 2), (2021, 3)]
    assert years(text) == [2020, 2021]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("On 5-6 March 2024 the visit", D(2024, 3, 5), D(2024, 3, 6)),
        ("On 15 and 16 October 2024", D(2024, 10, 15), D(2024, 10, 16)),
        ("February 22-23, 2021", D(2021, 2, 22), D(2021, 2, 23)),
        ("30 November - 2 December 2021", D(2021, 11, 30), D(2021, 12, 2)),
        ("30 December - 2 January 2021", D(2020, 12, 30), D(2021, 1, 2)),
        ("14 March 2024", D(2024, 3, 14), D(2024, 3, 14)),
    ],
)
def test_a_range_of_days_keeps_its_last_day(text: str, first: dt.date, last: dt.date) -> None:
    (found,) = find_all_dates(text)
    assert (found.date, found.last) == (first, last)
