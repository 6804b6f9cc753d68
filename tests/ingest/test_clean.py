from __future__ import annotations

import pytest

from ingest.clean import (
    clean_paragraphs,
    dedupe_paragraphs,
    is_boilerplate,
    join_paragraphs,
    normalize_space,
    split_paragraphs,
)


def test_hard_wrapped_lines_join_into_one_paragraph() -> None:
    text = "The Committee decided\ntoday to raise its\ntarget rate.\n\nSecond paragraph.\n"
    assert split_paragraphs(text) == [
        "The Committee decided today to raise its target rate.",
        "Second paragraph.",
    ]


def test_a_line_ending_in_a_word_hyphen_joins_without_a_space() -> None:
    assert split_paragraphs("prices of non-\nenergy imports") == ["prices of non-energy imports"]


def test_a_dash_after_a_dateline_keeps_its_space() -> None:
    assert split_paragraphs("Riga, 14 March 2024 –\nThe Commission") == [
        "Riga, 14 March 2024 – The Commission"
    ]


def test_windows_and_old_mac_line_ends_and_whitespace_only_lines() -> None:
    text = "First line\r\nsecond line\r\n \t \r\nThird\rfourth"
    assert split_paragraphs(text) == ["First line second line", "Third fourth"]


def test_normalize_space_turns_odd_spaces_into_single_spaces() -> None:
    text = "East Asian\u00a0 and\u202fthe\u200b  Forum\tnow\u00ad "
    assert normalize_space(text) == "East Asian and the Forum now"


def test_normalize_space_composes_accents() -> None:
    assert normalize_space("Gdan\u0301sk") == "Gdańsk"


@pytest.mark.parametrize(
    "line",
    [
        "Press Release",
        "PRESS RELEASE",
        "– END –",
        "-END-",
        "- ends -",
        "###",
        "***",
        "For immediate release",
        "For media enquiries: Jane Doe, press@example.org",
        "For further media inquiries please call +32 2 000 00 00",
        "Media contact: press office",
        "Follow us on LinkedIn and Mastodon",
        "Share this release: LinkedIn | E-mail | Print",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The press release was published in May.",
        "Ministers will meet again at the end of June.",
        "Riga, 14 March 2024 – The Commission today…",
        "Endangered species were discussed.",
    ],
)
def test_content_is_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_marker_and_contact_lines_are_split_off_even_without_a_blank_line() -> None:
    text = "Last sentence of the body.\n– END –\nFor media enquiries:\nJane Doe\n+371 000"
    paragraphs = split_paragraphs(text)
    assert paragraphs == [
        "Last sentence of the body.",
        "– END –",
        "For media enquiries: Jane Doe +371 000",
    ]
    assert clean_paragraphs(paragraphs) == ["Last sentence of the body."]


def test_bullets_stay_separate_paragraphs() -> None:
    text = "Decisions:\n* raise the rate\nto 0.5 percent\n* keep the\ndiscount rate"
    assert split_paragraphs(text) == [
        "Decisions:",
        "* raise the rate to 0.5 percent",
        "* keep the discount rate",
    ]


def test_a_repeated_paragraph_keeps_its_last_copy() -> None:
    paragraphs = ["Lead.", "Press Release", "Headline", "Lead.", "Second."]
    assert dedupe_paragraphs(paragraphs) == ["Press Release", "Headline", "Lead.", "Second."]


def test_clean_text_separates_paragraphs_by_exactly_one_blank_line() -> None:
    text = "\n\n  First   para\nwrapped.  \n\n\n\nSecond para.\n\nPRESS RELEASE\n\n###\n"
    assert join_paragraphs(clean_paragraphs(split_paragraphs(text))) == (
        "First para wrapped.\n\nSecond para."
    )
