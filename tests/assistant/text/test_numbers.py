from __future__ import annotations

import pytest

from assistant.text.numbers import (
    CLOCK_TIME,
    counted_words,
    has_money,
    ordinals_before,
    ordinals_in,
    spelled_alternatives,
)


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
    # Two words after the figure ("22 member states") and the noun it is "of".
    delegations = "Delegations of 24 of the 25 member states took part."
    assert {"member", "states", "delegations"} <= set(counted_words(delegations))
    assert counted_words("It brought together 46 young delegates.") == ["young", "delegates"]
    # Small words and figures are passed over, up to three words.
    assert counted_words("receiving nine of the 13 votes cast") == ["votes", "cast"]
    gauging = "96 of 198 reporting gauging stations were low"
    assert counted_words(gauging) == ["reporting", "gauging", "stations"]


@pytest.mark.parametrize(
    "text",
    [
        "a budget of EUR 3.7 million",
        "pledges reached US$ 480,000",
        "it cost 3.7 million euros",
        "amounts to OSK 45.7 billion",  # an archive's own currency code
        "purchases of $600 billion",
        "a fee of ₸ 5000",
        "some 200 Swiss francs",
    ],
)
def test_an_amount_of_money_has_a_currency(text: str) -> None:
    assert has_money(text)


@pytest.mark.parametrize(
    "text",
    ["14 vessels and 600 personnel", "the first 24 hours", "3,000 tonnes", "to 3 percent"],
)
def test_a_figure_without_a_currency_is_not_money(text: str) -> None:
    assert not has_money(text)


def test_a_time_of_day() -> None:
    for text in ("began at 10:30", "at 2:15 p.m. EDT", "from 9 am", "at 1400 hours", "at noon"):
        assert CLOCK_TIME.search(text), text
    for text in ("on 9 February 2024", "rose 2.5 percent", "for 24 hours"):
        assert not CLOCK_TIME.search(text), text
