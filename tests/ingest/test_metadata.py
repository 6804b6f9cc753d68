from __future__ import annotations

import datetime as dt

import pytest

from ingest.dating import (
    Dateline,
    date_from_filename,
    find_body_dateline,
    find_dateline,
    find_title_dateline,
)
from ingest.metadata import shorten, split_headline, title_or_first_sentence

D = dt.date


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Riga, 14 March 2024 – The Commission today…", Dateline("Riga", D(2024, 3, 14))),
        ("Riga, 14 March 2024 — The Commission today…", Dateline("Riga", D(2024, 3, 14))),
        ("Riga, 14 March 2024 - The Commission today…", Dateline("Riga", D(2024, 3, 14))),
        ("Riga, 14 March 2024", Dateline("Riga", D(2024, 3, 14))),
        ("New York, March 14, 2024: The bank…", Dateline("New York", D(2024, 3, 14))),
        ("Frankfurt am Main, 14.03.2024 – Die…", Dateline("Frankfurt am Main", D(2024, 3, 14))),
        ("BRUSSELS, 14 March 2024 – The…", Dateline("BRUSSELS", D(2024, 3, 14))),
        (
            "Washington, D.C., March 14, 2024 – The…",
            Dateline("Washington, D.C.", D(2024, 3, 14)),
        ),
        ("Москва, 22 февраля 2021 г. – Исполнительный…", Dateline("Москва", D(2021, 2, 22))),
        ("14 March 2024 – The Commission today…", Dateline(None, D(2024, 3, 14))),
    ],
)
def test_datelines(paragraph: str, expected: Dateline) -> None:
    assert find_dateline(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Commission met in Riga on 14 March 2024 to discuss the budget.",
        "In Riga, 14 March 2024 was a cold day.",  # the date runs on into the sentence
        "Ministers, meeting on 14 March 2024, agreed the budget.",
        "Riga, 03/04/2024 – ambiguous numeric date",
        "Riga – The Commission today…",
    ],
)
def test_not_datelines(paragraph: str) -> None:
    assert find_dateline(paragraph) is None


def test_title_dateline_in_brackets_takes_the_first_day_of_a_range() -> None:
    title = (
        "Press Release of Meeting of Executive Director of CICA Secretariat Ambassador "
        "Kairat Sarybay with Scientific Expert Group of Russia (Moscow, 22-23 February 2021)"
    )
    assert find_title_dateline(title) == Dateline("Moscow", D(2021, 2, 22))
    assert find_title_dateline("Annual report (2023 edition)") is None


def test_body_dateline_looks_at_the_first_paragraphs_only() -> None:
    body = ["Standfirst without a date", "Riga, 14 March 2024 – Text", "x", "y"]
    assert find_body_dateline(body) == Dateline("Riga", D(2024, 3, 14))
    assert find_body_dateline(["a", "b", "c", "Riga, 14 March 2024 – Text"]) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("20151216.txt", D(2015, 12, 16)),
        ("2021-02-22-visit.html", D(2021, 2, 22)),
        ("2021_02_22_x.txt", D(2021, 2, 22)),
        ("news-2023.json", None),
        ("2021-02_22.txt", None),
        ("20151399.txt", None),
        ("release-12345678901.txt", None),
    ],
)
def test_date_from_filename(name: str, expected: dt.date | None) -> None:
    assert date_from_filename(name) == expected


def test_headline_over_two_lines_is_joined_and_a_press_release_label_dropped() -> None:
    paragraphs = [
        "PRESS RELEASE",
        "Commission launches rail fund for the Baltic states",
        "Riga, 14 March 2024 – The Commission today launched a fund.",
        "Second paragraph.",
    ]
    title, body = split_headline(paragraphs)
    assert title == "Commission launches rail fund for the Baltic states"
    assert body == paragraphs[2:]


def test_a_label_continued_in_lower_case_is_part_of_the_title() -> None:
    paragraphs = ["Press Release", "of Meeting of the Group (Moscow, 22-23 February 2021)", "Body."]
    title, body = split_headline(paragraphs)
    assert title == "Press Release of Meeting of the Group (Moscow, 22-23 February 2021)"
    assert body == ["Body."]


def test_a_long_first_paragraph_ending_in_a_period_is_body() -> None:
    paragraphs = [
        "Chairman Alan Greenspan announced today that the Federal Open Market Committee "
        "decided to increase slightly the degree of pressure on reserve positions.",
        "The decision was taken to move toward a less accommodative stance.",
    ]
    assert split_headline(paragraphs) == (None, paragraphs)


def test_a_first_paragraph_ending_in_a_colon_is_body() -> None:
    paragraphs = ["The Federal Reserve today announced the following policy actions:", "* x."]
    assert split_headline(paragraphs) == (None, paragraphs)


def test_a_text_that_is_all_headline_is_all_body() -> None:
    assert split_headline(["Office closed on Friday"]) == (None, ["Office closed on Friday"])


def test_a_dateline_paragraph_is_never_the_title() -> None:
    paragraphs = ["Riga, 14 March 2024", "The Commission today launched a fund."]
    assert split_headline(paragraphs) == (None, paragraphs)


def test_a_dateline_above_the_headline_stays_at_the_start_of_the_body() -> None:
    paragraphs = ["Riga, 14 March 2024", "Commission launches fund", "The fund is open."]
    assert split_headline(paragraphs) == (
        "Commission launches fund",
        ["Riga, 14 March 2024", "The fund is open."],
    )


@pytest.mark.parametrize(
    "labels",
    [
        ["PR/23/041"],
        ["For immediate release"],
        ["FOR IMMEDIATE RELEASE:"],
        ["Press Release"],
        ["PRESS RELEASE No. 12/2024", "Ref: SG/SM/21345"],
        ["EMBARGOED until 00:01 GMT, 5 June 2024"],
    ],
)
def test_labels_are_not_part_of_the_title(labels: list[str]) -> None:
    paragraphs = [*labels, "Agency opens an office in Riga", "GENEVA, 4 March 2025 – Text."]
    title, body = split_headline(paragraphs)
    assert title == "Agency opens an office in Riga"
    assert body[-1] == "GENEVA, 4 March 2025 – Text."


def test_an_embargo_line_stays_in_the_body() -> None:
    _, body = split_headline(["EMBARGOED until 5 June 2024", "Headline", "Text of it."])
    assert body == ["EMBARGOED until 5 June 2024", "Text of it."]


def test_a_release_without_a_headline_is_titled_by_its_first_sentence() -> None:
    body = ["On 12 July 2023, the Secretary General paid a visit. He met the Ambassador."]
    assert (
        title_or_first_sentence(None, body)
        == "On 12 July 2023, the Secretary General paid a visit."
    )
    assert title_or_first_sentence("PR/23/041", body).startswith("On 12 July 2023")
    assert title_or_first_sentence("A headline", body) == "A headline"


def test_a_made_title_is_cut_at_a_word_boundary() -> None:
    sentence = "The Secretary General " + "met the ambassadors of many member states " * 5 + "."
    title = shorten(sentence, 60)
    assert title.endswith("…") and len(title) <= 60
    assert sentence.startswith(title[:-1])
    assert title[:-1] == title[:-1].rstrip() and sentence[len(title) - 1] == " "


def test_a_title_is_never_empty() -> None:
    assert title_or_first_sentence(None, ["Press Release"]) == "Untitled release"


def test_a_related_news_line_is_never_part_of_the_headline() -> None:
    title, body = split_headline(
        ["Greetings", "Related news: Council meets (2 May 2023)", "Warm wishes to all."]
    )
    assert title == "Greetings"
    assert body[0].startswith("Related news")
