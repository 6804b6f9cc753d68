"""Each rule of `ingest.dating`, one test per form and per trap."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.dating import (
    Dated,
    Dateline,
    date_release,
    find_dateline,
    is_never_dated,
    lead_date,
    lead_sentences,
    years_stated,
)

D = dt.date


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("GENEVA, 4 March 2025 (ISLA) – The Agency said…", Dateline("GENEVA", D(2025, 3, 4))),
        (
            "NAIROBI/GENEVA, 12 November 2022 – Ministers agreed…",
            Dateline("NAIROBI/GENEVA", D(2022, 11, 12)),
        ),
        ("Riga, 14 March 2024 – The Commission today…", Dateline("Riga", D(2024, 3, 14))),
        (
            "BRUSSELS, Belgium, March 14, 2024: The Council…",
            Dateline("BRUSSELS, Belgium", D(2024, 3, 14)),
        ),
        (
            "27 June 2024 – Astana, Kazakhstan - The Secretary General…",
            Dateline("Astana, Kazakhstan", D(2024, 6, 27)),
        ),
        ("GENEVA (ISLA), 4 March 2025 – The Agency said…", Dateline("GENEVA", D(2025, 3, 4))),
        ("GENEVA — March 4, 2025 — The Agency said…", Dateline("GENEVA", D(2025, 3, 4))),
        ("14 March 2024", Dateline(None, D(2024, 3, 14))),
        ("Thursday, 14 March 2024", Dateline(None, D(2024, 3, 14))),
        ("14 March 2024 – The Commission today…", Dateline(None, D(2024, 3, 14))),
    ],
)
def test_dateline_forms(paragraph: str, expected: Dateline) -> None:
    assert find_dateline(paragraph) == expected


@pytest.mark.parametrize(
    "line",
    [
        "EMBARGOED until 00:01 GMT, 5 June 2024",
        "Embargoed: not for publication before 5 June 2024",
        "UNDER EMBARGO until 5 June 2024",
        "Not for publication before 5 June 2024, 00:01 CET",
        "Updated: 27 November 2024. The convoy has arrived.",
        "Related news: Ministers meet in Riga (5 June 2024)",
        "See also: the Riga meeting of 5 June 2024",
        "© 2013–2025 Ministry of Foreign Affairs",
        "Copyright 2024 The Agency. All rights reserved.",
    ],
)
def test_lines_whose_dates_never_count(line: str) -> None:
    assert is_never_dated(line)
    assert find_dateline(line) is None
    assert lead_date([line], "A headline") is None


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            "On November 10, 2020, the Secretary General paid a courtesy visit to X.",
            D(2020, 11, 10),
        ),
        ("On 3-4 October 2024, the Deputy Director attended the forum.", D(2024, 10, 3)),
        (
            "The regular meeting of the Council was held on 14 May 2023 under the chairmanship "
            "of Mr. A. Smith.",
            D(2023, 5, 14),
        ),
        ("The Committee met in Astana on 27 June 2024.", D(2024, 6, 27)),
        ("On 30 November - 2 December 2021 the seminar ran.", D(2021, 11, 30)),
    ],
)
def test_lead_sentence_forms(lead: str, expected: dt.date) -> None:
    assert lead_date([lead, "Later text of 1 January 2000."], None) == expected


def test_the_lead_is_the_first_two_sentences_only() -> None:
    paragraph = "The Council met. Mr. Smith spoke. The plan was adopted on 14 May 2023."
    assert lead_sentences(paragraph) == "The Council met. Mr. Smith spoke."
    assert lead_date([paragraph], None) is None


def test_a_year_less_date_takes_the_year_of_the_headline() -> None:
    body = ["The Committee was held on 19 April in Tashkent.", "It met again in 2022."]
    assert lead_date(body, "Committee holds its first meeting in 2023") == D(2023, 4, 19)


def test_a_year_less_date_takes_the_year_of_its_paragraph() -> None:
    body = ["On 7 February, the 2024 programme was presented.", "Nothing else."]
    assert lead_date(body, "A visit") == D(2024, 2, 7)


def test_a_year_less_date_takes_the_one_year_of_the_body() -> None:
    body = ["On 6 September, the Ambassador visited.", "He arrived in August 2022."]
    assert lead_date(body, "A visit") == D(2022, 9, 6)
    american = ["On September 6, the Ambassador visited.", "He arrived in August 2022."]
    assert lead_date(american, "A visit") == D(2022, 9, 6)


def test_a_year_less_date_with_two_candidate_years_stays_undated() -> None:
    body = ["The meeting was held on 18 August.", "Plans for 2022 and for 2025 were discussed."]
    assert lead_date(body, "A meeting") is None


def test_a_period_counts_as_the_year_it_starts() -> None:
    assert years_stated("the Action Plan for 2022-2023 and the 2021/22 season") == {2021, 2022}


def test_an_embargo_line_is_skipped_for_the_dateline_and_the_lead() -> None:
    body = ["EMBARGOED until 00:01 GMT, 5 June 2024", "On 3 June 2024, the Agency said…"]
    assert date_release(title="T", body=body, declared=None) == Dated(D(2024, 6, 3), "lead")
    assert date_release(title="T", body=body[:1], declared=None) == Dated(None, "none")


def test_order_of_trust() -> None:
    body = ["Riga, 14 March 2024 – On 12 March 2024, the Council met."]
    lead_only = ["On 12 March 2024, the Council met."]
    meta = D(2024, 3, 15)
    name = D(2024, 3, 16)
    pdf = D(2024, 3, 17)
    assert date_release(title="T", body=body, declared=meta).source == "metadata"
    assert date_release(title="T", body=body, declared=None, file_date=name) == Dated(
        D(2024, 3, 14), "dateline", "Riga"
    )
    assert date_release(title="T", body=lead_only, declared=None, file_date=name) == Dated(
        D(2024, 3, 12), "lead"
    )
    assert date_release(title="T", body=["No date."], declared=None, file_date=name) == Dated(
        name, "filename"
    )
    assert date_release(title="T", body=["No date."], declared=None, fallback=pdf) == Dated(
        pdf, "metadata"
    )


def test_a_dateline_in_the_headline_comes_after_the_body_dateline() -> None:
    dated = date_release(
        title="Meeting (Moscow, 22-23 February 2021)", body=["Text."], declared=None
    )
    assert dated == Dated(D(2021, 2, 22), "dateline", "Moscow")


def test_the_first_date_of_the_lead_wins_even_when_it_has_no_year() -> None:
    body = ["On 7 February, the Secretary General met the Ambassador, in post since 1 May 2024."]
    assert lead_date(body, "A visit") == D(2024, 2, 7)
    later = ["The plan of 1 May 2024 was reviewed on 7 February."]
    assert lead_date(later, "A review") == D(2024, 5, 1)
