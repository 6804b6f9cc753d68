from __future__ import annotations

from assistant.text.numbers import counted_words, ordinals_before, ordinals_in, spelled_alternatives


def test_a_figure_matches_its_words_and_digits() -> None:
    assert {"13", "thirteen"} <= spelled_alternatives("thirteen")
    assert {"13", "thirteen"} <= spelled_alternatives("13")
    assert spelled_alternatives("1,500") == {"1500"}


def test_ordinals_in_digits_and_words() -> None:
    assert ordinals_in("the 12th session and the fifth meeting") == {12, 5}
    assert ordinals_in("in 2021 the session") == set()


def test_an_ordinal_counts_only_before_what_it_numbers() -> None:
    text = "For the first time a youth track was held. The 1st Annual Forum opened."
    assert ordinals_before(text, {"forum"}) == {1}
    assert ordinals_before("For the first time a youth track was held.", {"forum"}) == set()
    assert ordinals_before("the 9th meeting of the Think Tank Forum", {"forum"}) == {9}


def test_the_words_a_figure_counts() -> None:
    text = "It involved 14 vessels, two aircraft and 600 personnel in a two-day drill in 2024."
    assert counted_words(text) == ["vessels", "aircraft", "personnel"]
