from __future__ import annotations

import pytest

from vectorstore.terms import STOPWORDS, stem, terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers were meeting", ["minist", "meet"]),
        ("Reports REPORTED reporting", ["report", "report", "report"]),
        ("Running runs", ["run", "run"]),
        ("Klaipėda harbour", ["klaipėda", "harbour"]),
    ],
)
def test_words_are_lower_cased_and_stemmed(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_stem_is_the_snowball_english_stem() -> None:
    assert stem("meetings") == "meet"
    assert stem("ratified") == stem("ratifies")
    # Porter2 keeps words Porter mangled into other words.
    assert (stem("herring"), stem("general"), stem("news")) == ("herring", "general", "news")


def test_function_words_are_dropped() -> None:
    assert terms("What is the name of the one who did it?") == ["name", "one"]
    assert terms("the and of to in") == []


@pytest.mark.parametrize("word", ["against", "before", "not", "most", "after", "no"])
def test_meaningful_little_words_are_kept(word: str) -> None:
    assert word not in STOPWORDS
    assert terms(f"the {word}") == [stem(word)]


def test_question_keeps_its_meaning_words() -> None:
    assert terms("Who voted against the ban before the summit?") == [
        "vote",
        "against",
        "ban",
        stem("before"),
        "summit",
    ]
    assert terms("It did not pass") == ["not", "pass"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.2 per cent", ["4.2", "per", "cent"]),
        ("EUR 1,250 million", ["eur", "1250", "million"]),
        ("12,345,678.9", ["12345678.9"]),
        ("in 2024", ["2024"]),
        ("sentence ends with 3.", ["sentenc", "end", "3"]),
    ],
)
def test_numbers_keep_decimals_and_drop_thousands_commas(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_thousands_comma_and_plain_number_give_the_same_term() -> None:
    assert terms("1,250") == terms("1250") == ["1250"]


def test_curly_and_straight_apostrophes_give_the_same_terms() -> None:
    assert terms("the Commission’s report") == terms("the Commission's report")
    assert terms("the Commission’s report") == ["commiss", "report"]


def test_terms_keep_their_order() -> None:
    assert terms("eel ban 2024 vote") == ["eel", "ban", "2024", "vote"]


@pytest.mark.parametrize("text", ["", "   ", "?!.,;", "the of and"])
def test_no_terms(text: str) -> None:
    assert terms(text) == []


def test_stopwords_with_a_clitic_are_dropped_too() -> None:
    assert terms("What's the budget?") == ["budget"]
    assert terms("it’s here; they're gone") == ["gone"]
