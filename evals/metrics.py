"""Eval metrics as pure functions over plain data (no engine, no LLM judge)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def source_matches(expected: str, release_id: str, source: str) -> bool:
    """A source matches when the expected string occurs in the release id or its source."""
    return expected in release_id or expected in source


def first_relevant_rank(
    expected: Sequence[str], retrieved: Sequence[tuple[str, str]]
) -> int | None:
    """1-based rank of the first retrieved (release_id, source) that matches any expected."""
    for rank, (release_id, source) in enumerate(retrieved, start=1):
        if any(source_matches(e, release_id, source) for e in expected):
            return rank
    return None


def source_hit(expected: Sequence[str], retrieved: Sequence[tuple[str, str]]) -> float:
    """1.0 when any expected source is among ``retrieved`` (hit@k), else 0.0."""
    return 0.0 if first_relevant_rank(expected, retrieved) is None else 1.0


def source_recall(expected: Sequence[str], retrieved: Sequence[tuple[str, str]]) -> float:
    """Share of expected sources found among ``retrieved``."""
    if not expected:
        return 1.0
    found = sum(any(source_matches(e, r, s) for r, s in retrieved) for e in expected)
    return found / len(expected)


def reciprocal_rank(expected: Sequence[str], retrieved: Sequence[tuple[str, str]]) -> float:
    rank = first_relevant_rank(expected, retrieved)
    return 0.0 if rank is None else 1.0 / rank


# Between the acceptable spellings of one expected fact: "Halvorsen|Ingrid Halvorsen".
ALTERNATIVES = "|"


def alternatives(fact: str) -> list[str]:
    """The acceptable spellings of one expected fact (``a|b``), empty ones left out."""
    return [a for a in (part.strip() for part in fact.split(ALTERNATIVES)) if a]


def fact_found(fact: str, answer: str) -> bool:
    """Whether any spelling of ``fact`` occurs in ``answer`` (case- and
    whitespace-insensitive; citation markers removed first, so "[1]" never splits it)."""
    text = normalise(re.sub(r"\s*\[\d+\]", "", answer))
    return any(normalise(a) in text for a in alternatives(fact))


def fact_recall(expected_facts: Sequence[str], answer: str) -> float:
    """Share of expected facts that occur in the answer, each in any of its spellings."""
    if not expected_facts:
        return 1.0
    return sum(fact_found(f, answer) for f in expected_facts) / len(expected_facts)


def missing_sources(expected: Sequence[str], retrieved: Sequence[tuple[str, str]]) -> list[str]:
    """The expected sources that match none of ``retrieved``."""
    return [e for e in expected if not any(source_matches(e, r, s) for r, s in retrieved)]


def missing_facts(expected_facts: Sequence[str], answer: str) -> list[str]:
    return [f for f in expected_facts if not fact_found(f, answer)]


def citation_validity(markers: Sequence[int], citation_numbers: Sequence[int]) -> float:
    """Share of ``[n]`` markers in the answer that point at a cited passage."""
    if not markers:
        return 1.0
    known = set(citation_numbers)
    return sum(m in known for m in markers) / len(markers)


def support_rate(supported: Sequence[bool]) -> float:
    """Share of citations the claim check found supported; NaN when nothing was cited."""
    if not supported:
        return math.nan
    return sum(supported) / len(supported)


@dataclass(frozen=True)
class CitationVerdict:
    """One citation of one answer sentence, as the claim check judged it.

    ``valid``: the marker points at a passage of the answer. ``alone``: that passage on
    its own supports the sentence. ``rest``: the sentence's other citations support it
    without this one.
    """

    number: int
    valid: bool = True
    alone: bool = False
    rest: bool = False


@dataclass(frozen=True)
class SentenceVerdict:
    """One answer sentence: ``supported`` when its cited passages together support it."""

    supported: bool
    citations: tuple[CitationVerdict, ...] = ()


def _distinct(citations: Sequence[CitationVerdict]) -> list[CitationVerdict]:
    """A passage cited twice in one sentence (``[1] [1]``) is one citation."""
    first: dict[int, CitationVerdict] = {}
    for c in citations:
        first.setdefault(c.number, c)
    return list(first.values())


def citation_recall(sentences: Sequence[SentenceVerdict]) -> float:
    """ALCE citation recall: share of sentences whose cited passages together support them.

    A sentence that cites no valid passage is not supported. Pooled over all sentences;
    NaN when there are none (a refusal makes no claim).
    """
    if not sentences:
        return math.nan
    return sum(s.supported and any(c.valid for c in s.citations) for s in sentences) / len(
        sentences
    )


def citation_precision(sentences: Sequence[SentenceVerdict]) -> float:
    """ALCE citation precision: share of citations that are needed.

    A citation is irrelevant when it alone does not support its sentence and the
    sentence's other citations support it without it; a citation of a sentence its
    citations do not support, and a marker that points at no passage, are not needed
    either. Pooled over all citations; NaN when nothing is cited.
    """
    needed = total = 0
    for sentence in sentences:
        for c in _distinct(sentence.citations):
            total += 1
            needed += c.valid and sentence.supported and (c.alone or not c.rest)
    return needed / total if total else math.nan


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan
