"""The claim check: sentences, markers, facts, verdicts, quotes, and the thresholds as
tuned on the demo archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.answering.claims import (
    ClaimChecker,
    SentenceGate,
    claim_spans,
    facts,
    keep_markers,
    marker_numbers,
)
from assistant.answering.engine import Engine
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Chunk, Passage

from ...conftest import make_chunk

EEL = (
    "Riga, 11 October 2022 – The Council today adopted a recommendation calling on member "
    "states to suspend exports of glass eels for three years. The recommendation was adopted "
    "with ten member states in favour, one against (Holmeria) and one abstention (Jutavia). "
    "The exercise involved 14 vessels from Gdańsk."
)
FUND = (
    "The ministers decided to establish an Oil Spill Response Fund with initial capital of "
    "EUR 6 million. The fund helps member states cover the cost of clean-up operations."
)


def chunk(release_id: str, text: str, start: int = 100) -> Chunk:
    return make_chunk(
        release_id,
        text,
        start=start,
        title="Council vote",
        published=dt.date(2022, 10, 11),
        place="Riga",
    )


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    return [
        Passage(chunk("eel", EEL), 1, 0.5),
        Passage(chunk("fund", FUND, start=0), 2, 0.4),
    ]


@pytest.fixture(scope="module")
def checker(embedder: Any, passages: list[Passage]) -> ClaimChecker:
    filler = [chunk(f"other-{i}", f"Unrelated release number {i} about rivers.") for i in range(6)]
    return ClaimChecker(embedder, LexicalIndex([p.chunk for p in passages] + filler))


def spans_text(text: str) -> list[str]:
    return [text[b:e] for b, e in claim_spans(text)]


def test_sentences_keep_the_markers_that_follow_them() -> None:
    text = "Holmeria voted against. [1] Jutavia abstained [1][2]. Ten were in favour [1, 2]."
    assert spans_text(text) == [
        "Holmeria voted against. [1]",
        "Jutavia abstained [1][2].",
        "Ten were in favour [1, 2].",
    ]


def test_a_marker_before_a_capital_ends_a_sentence() -> None:
    assert spans_text("Holmeria voted against [1] The fund has EUR 6 million [2]") == [
        "Holmeria voted against [1]",
        "The fund has EUR 6 million [2]",
    ]


def test_list_items_are_sentences_of_their_own() -> None:
    text = "Two results:\n- Holmeria voted against [1]\n- The fund has EUR 6 million [2]"
    assert spans_text(text) == [
        "Two results:",
        "Holmeria voted against [1]",
        "The fund has EUR 6 million [2]",
    ]


def test_markers_are_normalised_and_unknown_numbers_dropped() -> None:
    assert marker_numbers("A [1, 3] b [2;4] c [5]") == [1, 3, 2, 4, 5]
    assert keep_markers("Eels [1, 9] and funds [9].", {1, 2}) == "Eels [1] and funds."
    assert keep_markers("Eels [2][1].", {1, 2}) == "Eels [2][1]."


def test_facts_are_figures_dates_names_and_acronyms() -> None:
    found = facts(
        "On 11 October 2022 the Council met in Gdańsk, said Minister Eero Lahtimaa of the EU, "
        "with fourteen ships."
    )
    assert found == [
        "11",
        "2022",
        "fourteen",
        "EU",
        "October",
        "Council",
        "Gdańsk",
        "Minister",
        "Eero",
        "Lahtimaa",
    ]
    # the first word, words after a colon, and words about the evidence are not names
    assert facts("Holmeria voted: The release says so, according to Passage 1.") == ["1"]


def test_a_supported_sentence_gets_the_quote_that_backs_it(
    checker: ClaimChecker, passages: list[Passage]
) -> None:
    checked = checker.check("Holmeria was against the recommendation [1].", passages)
    (claim,) = checked.claims
    assert claim.supported and claim.reason is None
    (citation,) = checked.citations
    assert citation.supported and citation.number == 1
    assert "one against (Holmeria)" in citation.quote
    assert EEL[citation.start - 100 : citation.end - 100] == citation.quote
    assert checked.text == "Holmeria was against the recommendation [1]."
    assert checked.text[claim.start : claim.end] == claim.text


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Holmeria voted against the recommendation.", "cites no passage"),
        ("Holmeria voted against the recommendation [7].", "cites no passage"),
        ("The recommendation was adopted by 17 member states [1].", "not in the cited passage"),
        ("The recommendation was opposed by Caldoria [1].", "not in the cited passage: Caldoria"),
        ("The exercise involved twenty vessels [1].", "not in the cited passage: twenty"),
        ("Ministers rejected all proposals and postponed every decision [1].", "too little"),
        ("Holmeria was against the recommendation [2].", "too little"),
    ],
)
def test_unsupported_sentences_say_why(
    checker: ClaimChecker, passages: list[Passage], sentence: str, reason: str
) -> None:
    (claim,) = checker.check(sentence, passages).claims
    assert not claim.supported
    assert claim.reason and claim.reason.startswith(reason), claim.reason


def test_numbers_match_in_words_or_digits(checker: ClaimChecker, passages: list[Passage]) -> None:
    for sentence in (
        "The exercise involved fourteen vessels [1].",
        "The exercise involved 14 vessels [1].",
        "The recommendation was adopted with 10 member states in favour [1].",
    ):
        (claim,) = checker.check(sentence, passages).claims
        assert claim.supported, (sentence, claim.reason)


def test_flag_keeps_the_sentence_and_marks_its_citation(
    checker: ClaimChecker, passages: list[Passage]
) -> None:
    text = "Holmeria was against the recommendation [1]. The fund holds EUR 9 million [2]."
    checked = checker.check(text, passages)
    assert checked.text == text
    assert [c.supported for c in checked.claims] == [True, False]
    assert [(c.number, c.supported) for c in checked.citations] == [(1, True), (2, False)]


def test_remove_drops_the_sentence_and_keeps_the_layout(
    embedder: Any, checker: ClaimChecker, passages: list[Passage]
) -> None:
    remover = ClaimChecker(embedder, checker.lexical, unsupported="remove")
    text = (
        "Results:\n\n- Holmeria was against the recommendation [1].\n"
        "- The fund holds EUR 9 million [2].\n- The fund has EUR 6 million [2]."
    )
    checked = remover.check(text, passages)
    # "Results:" cites nothing, so it goes too
    assert checked.text == (
        "- Holmeria was against the recommendation [1].\n- The fund has EUR 6 million [2]."
    )
    shown = [c for c in checked.claims if c.start >= 0]
    assert [checked.text[c.start : c.end] for c in shown] == [c.text for c in shown]
    assert all(c.supported for c in checked.citations)
    assert [c.supported for c in checked.claims] == [False, True, False, True]


def test_sentence_gate_lets_through_only_checked_sentences(
    embedder: Any, checker: ClaimChecker, passages: list[Passage]
) -> None:
    gate = SentenceGate(ClaimChecker(embedder, checker.lexical, unsupported="remove"), passages)
    pieces = [
        "Holmeria was against",
        " the recommendation.",
        " [",
        "1",
        "]",
        " The fund holds EUR 9 million [2].",
        " The fund has EUR 6 million [2].",
    ]
    shown = [gate.feed(p) for p in pieces]
    assert shown[:5] == ["", "", "", "", ""], "a sentence waits for its markers"
    assert shown[5] == "Holmeria was against the recommendation. [1]"
    assert shown[6] == "", "the unsupported sentence never appears"
    assert gate.close() == " The fund has EUR 6 million [2]."


# Sentences an LLM might write about the demo archive, with the verdict they deserve. The
# thresholds were tuned on 48 sentences like these (28 faithful paraphrases, 20 with an
# invented figure, name or statement) and checked on 22 others; see README, "The claim
# check". Each cites the retrieved passage that holds ``anchor``, retrieved with a question
# of the tests' own (never one of an eval suite, CONTRIBUTING.md).
RIGA = "How many ratifications does the Riga Nutrient Protocol need to enter into force?"
AMBER = "How many vessels joined the AMBER SHIELD 2024 exercise?"
SAND = "What did the Council agree on sand extraction along the coast?"
BLUE = "By which date must municipalities apply for Blue Infrastructure Facility loans?"
TUNED = [
    (
        RIGA,
        "once eight member states have ratified",
        "Eight member states must ratify the Protocol before it enters into force [n].",
        True,
    ),
    (
        RIGA,
        "once eight member states have ratified",
        "The Protocol takes effect once ten member states have ratified it [n].",
        False,
    ),
    (
        RIGA,
        "once eight member states have ratified",
        "The Protocol bans the use of all chemical fertilisers on farms [n].",
        False,
    ),
    (
        AMBER,
        "14 vessels",
        "Fourteen vessels, two aircraft and 600 personnel took part in AMBER SHIELD 2024 [n].",
        True,
    ),
    (
        AMBER,
        "14 vessels",
        "The exercise involved 20 vessels [n].",
        False,
    ),
    (
        AMBER,
        "14 vessels",
        "The exercise ended early because of a storm that damaged several ships [n].",
        False,
    ),
    (
        SAND,
        "five-year moratorium",
        "Caldoria and Korsland voted against the moratorium, and Ilvania abstained [n].",
        True,
    ),
    (
        SAND,
        "five-year moratorium",
        "Denmark and Sweden voted against the moratorium [n].",
        False,
    ),
    (
        BLUE,
        "31 January 2026",
        "Municipalities have until 31 January 2026 to apply [n].",
        True,
    ),
    (
        BLUE,
        "31 January 2026",
        "The deadline for applications is 31 March 2026 [n].",
        False,
    ),
]


@pytest.mark.parametrize(("question", "anchor", "sentence", "supported"), TUNED)
def test_tuned_thresholds_on_the_demo_archive(
    demo_engine: Engine, question: str, anchor: str, sentence: str, supported: bool
) -> None:
    passages = demo_engine.retriever.retrieve(question, 5)
    number = next(p.rank for p in passages if anchor in p.chunk.text)
    (claim,) = demo_engine.checker.check(sentence.replace("[n]", f"[{number}]"), passages).claims
    assert claim.supported is supported, claim.reason


def test_extractive_answers_pass_the_check(demo_engine: Engine) -> None:
    answer = demo_engine.ask("Which budget was approved by the ministers at their 2023 meeting?")
    assert answer.claims and all(c.supported for c in answer.claims)
    assert all(c.supported for c in answer.citations)
    assert answer.answered_by == "extractive" and answer.note is None
