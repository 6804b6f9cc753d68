"""What the store holds (a Chunk) and what a search returns (a Passage)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any


def date_in_words(day: dt.date) -> str:
    """``14 March 2024``: the form press releases and questions use, for both retrievers."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def heading_for(title: str | None, place: str | None, published: dt.date | None) -> str:
    """Title, place and date in words, put before a chunk's text for both retrievers:
    a small embedding model and BM25 both need the date spelled out to match questions."""
    where_when = ", ".join(p for p in (place, date_in_words(published) if published else None) if p)
    return " ".join(p for p in (title, f"({where_when})" if where_when else None) if p)


@dataclass(frozen=True)
class Chunk:
    """A span of one release's cleaned body, with the release's metadata.

    ``start``/``end`` are character offsets into the release's cleaned body, so that a
    citation can point at the exact passage. ``body_hash`` identifies the cleaned body
    alone, so a republished release (same text, another file) can be recognised.
    """

    chunk_id: str
    release_id: str
    index: int
    text: str
    start: int
    end: int
    title: str | None
    published: dt.date | None
    place: str | None
    language: str | None
    url: str | None
    source_path: str
    content_hash: str
    body_hash: str = ""
    # Where ``published`` came from (``ingest.dating``): metadata, dateline, lead, filename,
    # override or none; ``None`` in a store written before it was recorded.
    date_source: str | None = None
    # ``(offset, text)`` of body paragraphs left out of every chunk as archive boilerplate
    # (``ingest.boilerplate``), on a release's first chunk only: the viewer puts them back.
    hidden: tuple[tuple[int, str], ...] = ()
    # ``title`` was made from the release's first sentence: left out of the heading.
    title_made: bool = False

    @property
    def heading(self) -> str:
        return heading_for(None if self.title_made else self.title, self.place, self.published)

    @property
    def indexed_text(self) -> str:
        heading = self.heading
        return f"{heading}\n{self.text}" if heading else self.text

    def to_metadata(self) -> dict[str, Any]:
        """Chroma metadata: scalars only; absent values are left out (Chroma rejects None)."""
        meta: dict[str, Any] = {
            "release_id": self.release_id,
            "chunk_index": self.index,
            "start": self.start,
            "end": self.end,
            "source_path": self.source_path,
            "content_hash": self.content_hash,
        }
        if self.body_hash:
            meta["body_hash"] = self.body_hash
        if self.published is not None:
            meta["published"] = self.published.isoformat()
            meta["published_day"] = day_number(self.published)
        if self.title_made:
            meta["title_made"] = True
        if self.hidden:
            meta["hidden"] = json.dumps([list(span) for span in self.hidden], ensure_ascii=False)
        for key in ("title", "place", "language", "url", "date_source"):
            value = getattr(self, key)
            if value is not None:
                meta[key] = value
        return meta

    @classmethod
    def from_record(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        published = meta.get("published")
        return cls(
            chunk_id=chunk_id,
            release_id=str(meta["release_id"]),
            index=int(meta["chunk_index"]),
            text=text,
            start=int(meta["start"]),
            end=int(meta["end"]),
            title=meta.get("title"),
            published=dt.date.fromisoformat(published) if published else None,
            place=meta.get("place"),
            language=meta.get("language"),
            url=meta.get("url"),
            source_path=str(meta["source_path"]),
            content_hash=str(meta["content_hash"]),
            body_hash=str(meta.get("body_hash") or ""),
            date_source=meta.get("date_source"),
            title_made=bool(meta.get("title_made")),
            hidden=tuple((int(s), str(t)) for s, t in json.loads(meta.get("hidden") or "[]")),
        )


def day_number(day: dt.date) -> int:
    """20240314 for 14 March 2024: an integer Chroma can range-filter with $gte/$lte."""
    return day.year * 10000 + day.month * 100 + day.day


@dataclass(frozen=True)
class Passage:
    """A chunk found for one query.

    ``score`` is the fused rank score (only comparable within one query);
    ``similarity`` is the cosine similarity of query and chunk (1 is identical), and
    ``lexical`` the BM25 score: both absolute, so the answerer can judge relevance.
    """

    chunk: Chunk
    rank: int
    score: float
    similarity: float = 0.0
    lexical: float = 0.0
    also_in: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DateRange:
    """Inclusive publication-date bounds; ``None`` leaves that side open."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.date_from is not None:
            clauses.append({"published_day": {"$gte": day_number(self.date_from)}})
        if self.date_to is not None:
            clauses.append({"published_day": {"$lte": day_number(self.date_to)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def contains(self, day: dt.date | None) -> bool:
        if self.date_from is None and self.date_to is None:
            return True
        if day is None:
            return False
        if self.date_from is not None and day < self.date_from:
            return False
        return self.date_to is None or day <= self.date_to
