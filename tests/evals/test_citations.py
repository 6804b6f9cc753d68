"""ALCE verdicts from the real claim check (real embedding model) on hand-made passages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.answering.claims import ClaimChecker
from assistant.answering.model import REFUSAL, Answer, Interpreted
from evals import metrics
from evals.citations import sentence_verdicts
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Chunk, Passage

from ..conftest import make_chunk

EEL = (
    "Riga, 11 October 2022 – The Council today adopted a recommendation calling on member "
    "states to suspend exports of glass eels for three years. The recommendation was adopted "
    "with ten member states in favour, one against (Holmeria) and one abstention (Jutavia)."
)
FUND = (
    "The ministers decided to establish an Oil Spill Response Fund with initial capital of "
    "EUR 6 million. The fund helps member states cover the cost of clean-up operations."
)
V = metrics.CitationVerdict


def chunk(release_id: str, text: str) -> Chunk:
    return make_chunk(
        release_id, text, title="A release", published=dt.date(2022, 10, 11), place="Riga"
    )


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    return [Passage(chunk("eel", EEL), 1, 0.5), Passage(chunk("fund", FUND), 2, 0.4)]


@pytest.fixture(scope="module")
def checker(embedder: Any, passages: list[Passage]) -> ClaimChecker:
    filler = [chunk(f"other-{i}", f"Unrelated release number {i} about rivers.") for i in range(6)]
    return ClaimChecker(embedder, LexicalIndex([p.chunk for p in passages] + filler))


def answer(text: str, checker: ClaimChecker, passages: list[Passage]) -> Answer:
    checked = checker.check(text, passages)
    return Answer(
        question="?",
        text=checked.text,
        refused=False,
        citations=checked.citations,
        interpreted=Interpreted(query="?"),
        passages=passages,
        claims=checked.claims,
    )


def test_an_irrelevant_second_citation(checker: ClaimChecker, passages: list[Passage]) -> None:
    text = "Holmeria voted against the recommendation to suspend glass eel exports [1] [2]."
    (sentence,) = sentence_verdicts(answer(text, checker, passages), checker)
    assert sentence == metrics.SentenceVerdict(
        True, (V(1, alone=True, rest=False), V(2, alone=False, rest=True))
    )
    assert metrics.citation_recall([sentence]) == 1.0
    assert metrics.citation_precision([sentence]) == 0.5


def test_one_citation_per_sentence(checker: ClaimChecker, passages: list[Passage]) -> None:
    text = (
        "Holmeria voted against the recommendation to suspend glass eel exports [1]. "
        "The ministers established an Oil Spill Response Fund of EUR 6 million [1]."
    )
    verdicts = sentence_verdicts(answer(text, checker, passages), checker)
    assert verdicts == [
        metrics.SentenceVerdict(True, (V(1, alone=True),)),
        metrics.SentenceVerdict(False, (V(1),)),  # the fund is not in passage 1
    ]
    assert metrics.citation_recall(verdicts) == 0.5
    assert metrics.citation_precision(verdicts) == 0.5


def test_duplicate_and_invalid_markers(checker: ClaimChecker, passages: list[Passage]) -> None:
    text = "Holmeria voted against the recommendation to suspend glass eel exports [1][1] [7]."
    (sentence,) = sentence_verdicts(answer(text, checker, passages), checker)
    # the check keeps [1] once; [7] points at no passage
    assert sentence == metrics.SentenceVerdict(True, (V(1, alone=True), V(7, valid=False)))
    assert metrics.citation_precision([sentence]) == 0.5


def test_sentence_without_citation(checker: ClaimChecker, passages: list[Passage]) -> None:
    text = "Holmeria voted against the recommendation to suspend glass eel exports."
    assert sentence_verdicts(answer(text, checker, passages), checker) == [
        metrics.SentenceVerdict(False, ())
    ]


def test_a_refusal_has_no_sentences(checker: ClaimChecker, passages: list[Passage]) -> None:
    refused = Answer("?", REFUSAL, True, [], Interpreted(query="?"), passages=passages)
    assert sentence_verdicts(refused, checker) == []


def test_removed_sentences_are_not_counted(embedder: Any, passages: list[Passage]) -> None:
    lexical = LexicalIndex([p.chunk for p in passages])
    removing = ClaimChecker(embedder, lexical, unsupported="remove")
    text = (
        "Holmeria voted against the recommendation to suspend glass eel exports [1]. "
        "The ministers established an Oil Spill Response Fund of EUR 6 million [1]."
    )
    verdicts = sentence_verdicts(answer(text, removing, passages), removing)
    assert verdicts == [metrics.SentenceVerdict(True, (V(1, alone=True),))]
