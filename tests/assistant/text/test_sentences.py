from __future__ import annotations

import pytest

from assistant.text.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith arrived. He spoke briefly.", ["Dr. Smith arrived.", "He spoke briefly."]),
        (
            "Mr. Jones met the U.S. delegation. Talks went well.",
            ["Mr. Jones met the U.S. delegation.", "Talks went well."],
        ),
        (
            "The report by A. Lukin was published. It was long.",
            ["The report by A. Lukin was published.", "It was long."],
        ),
        (
            "Prof. Berg and Mrs. Ozola spoke. The vote followed.",
            ["Prof. Berg and Mrs. Ozola spoke.", "The vote followed."],
        ),
        (
            "The meeting is on 5 Jan. 2024 in Riga. It lasts a day.",
            ["The meeting is on 5 Jan. 2024 in Riga.", "It lasts a day."],
        ),
        ("See e.g. the report. Then act.", ["See e.g. the report.", "Then act."]),
        (
            "It rose 4.2 per cent. Costs were EUR 1.3 million.",
            ["It rose 4.2 per cent.", "Costs were EUR 1.3 million."],
        ),
        ("Is it done? Yes! It is.", ["Is it done?", "Yes!", "It is."]),
        ("Line one.\nLine two.", ["Line one.", "Line two."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'She said: "We will act now." The meeting ended.',
            ['She said: "We will act now."', "The meeting ended."],
        ),
        (
            '"We will act," she said. "Now is the time." Others agreed.',
            ['"We will act," she said.', '"Now is the time."', "Others agreed."],
        ),
        (
            "He called it “a turning point.” Ministers agreed.",
            ["He called it “a turning point.”", "Ministers agreed."],
        ),
        ("(This is bracketed.) Next one.", ["(This is bracketed.)", "Next one."]),
    ],
)
def test_closing_quotes_and_brackets_stay_with_their_sentence(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Commission adopts budget\n\nThe Commission adopted its budget.",
            ["Commission adopts budget", "The Commission adopted its budget."],
        ),
        ("Title\n\n\n\nBody.", ["Title", "Body."]),
        # a blank line ends a sentence even after an abbreviation
        ("Contact: Dr.\n\nNext paragraph.", ["Contact: Dr.", "Next paragraph."]),
    ],
)
def test_paragraphs_split_at_blank_lines(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_stripped_and_slice_back_to_the_text() -> None:
    text = "  Leading space.   Trailing space.  \n\n  Last one!  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["Leading space.", "Trailing space.", "Last one!"]
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
    # in order and not overlapping
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_text_without_a_boundary_is_one_sentence() -> None:
    text = "No full stop at the end"
    assert split_sentences(text) == [(0, len(text))]


@pytest.mark.parametrize("text", ["", " ", "   \n\n  \t"])
def test_empty_or_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_number_abbreviation_does_not_end_a_sentence() -> None:
    assert sentences("Resolution No. 5 passed. It binds all.") == [
        "Resolution No. 5 passed.",
        "It binds all.",
    ]


def test_the_word_no_at_the_end_of_a_sentence_ends_it() -> None:
    assert sentences("Three member states voted no. The ban passed anyway.") == [
        "Three member states voted no.",
        "The ban passed anyway.",
    ]
