"""The answer model: an Answer, its numbered Citations, the Claims of the claim check
(Checked), and what was searched (Interpreted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vectorstore.records import Passage

REFUSAL = "The archive has no release that answers this."


@dataclass(frozen=True)
class Citation:
    """Passage ``number`` supports part of the answer with ``quote``.

    ``start``/``end`` locate the quote in the release's cleaned body. ``supported`` is the
    result of checking the quote against the passage, never taken on trust.
    """

    number: int
    passage: Passage
    quote: str
    start: int
    end: int
    supported: bool

    def to_dict(self) -> dict[str, Any]:
        chunk = self.passage.chunk
        return {
            "n": self.number,
            "release_id": chunk.release_id,
            "source": chunk.url or chunk.source_path,
            "title": chunk.title,
            "published": chunk.published.isoformat() if chunk.published else None,
            "date_source": chunk.date_source,
            "place": chunk.place,
            "text": chunk.text,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "score": round(self.passage.score, 6),
            "supported": self.supported,
            "also_in": list(self.passage.also_in),
        }


@dataclass(frozen=True)
class Support:
    """The sentence of passage ``number`` closest to a claim: the citation's quote."""

    number: int
    start: int
    end: int
    similarity: float


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer and the verdict on it.

    ``start``/``end`` locate the sentence in the checked answer text (the text of a
    removed sentence is not in it: both are -1). ``cited`` are the markers kept,
    ``dropped`` those that pointed at no passage.
    """

    text: str
    cited: tuple[int, ...]
    dropped: tuple[int, ...]
    supported: bool
    reason: str | None
    overlap: float
    similarity: float
    start: int = -1
    end: int = -1
    support: tuple[Support, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "cited": list(self.cited),
            "supported": self.supported,
            "reason": self.reason,
            "overlap": round(self.overlap, 3),
            "similarity": round(self.similarity, 3),
        }


@dataclass(frozen=True)
class Checked:
    """An answer text after the check: what to show, the verdicts, the citations."""

    text: str
    claims: list[Claim]
    citations: list[Citation]
    # The passages as the answer numbers them, when it renumbered them.
    passages: list[Passage] = field(default_factory=list)

    @property
    def any_supported(self) -> bool:
        return any(c.supported for c in self.claims if c.start >= 0)


@dataclass(frozen=True)
class Interpreted:
    """What Pressroom actually searched for: shown to the user, so nothing is hidden."""

    query: str
    date_from: str | None = None
    date_to: str | None = None
    latest: bool = False
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "latest": self.latest,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Refusal:
    """Why an answer is a refusal: the gate ``rule`` that fired, and its ``detail`` in
    words ("No release mentions a 12th session; the archive has the 9th to the 11th.")."""

    rule: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "detail": self.detail}


@dataclass(frozen=True)
class Answer:
    """``claims`` are the verdicts of the claim check on each sentence of the answer;
    ``answered_by`` says who wrote ``text``; ``note`` says, in words for the reader, why
    the LLM's answer was not used when it was not (it declined although the evidence
    answers, it failed, or nothing it wrote was supported)."""

    question: str
    text: str
    refused: bool
    citations: list[Citation]
    interpreted: Interpreted
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    answered_by: Literal["extractive", "llm"] = "extractive"
    note: str | None = None
    refusal: Refusal | None = None
    # With ``explain``: the leading sentences' features and weights, and each gate rule's
    # verdict (see assistant.answering.evidence).
    explanation: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "refusal": self.refusal.to_dict() if self.refusal else None,
            "citations": [c.to_dict() for c in self.citations],
            "claims": [c.to_dict() for c in self.claims],
            "answered_by": self.answered_by,
            "note": self.note,
            "interpreted": self.interpreted.to_dict(),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            **({"explanation": self.explanation} if self.explanation is not None else {}),
        }
