"""The answer to one question, with its numbered, checkable citations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from vectorstore.records import Passage

if TYPE_CHECKING:
    from assistant.answering.claims import Claim

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "claims": [c.to_dict() for c in self.claims],
            "answered_by": self.answered_by,
            "note": self.note,
            "interpreted": self.interpreted.to_dict(),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
