"""BM25 over the chunks' indexed text (title, place and date in words, then the text)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import bm25s
import numpy as np
import numpy.typing as npt

from vectorstore.records import Chunk, DateRange, day_number
from vectorstore.terms import terms

# Day number of a chunk without a date: outside every window.
UNDATED = -1


class LexicalIndex:
    """An in-memory BM25 index over the store's chunks.

    Also answers how rare a term is (:meth:`idf`), which the answerer uses to judge how
    much of a question the evidence covers. Built from chunks here, or loaded from disk
    by :mod:`vectorstore.lexical_files` (which saves it beside the store).
    """

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        listed = list(chunks)
        tokenised = [terms(chunk.indexed_text) for chunk in listed]
        document_frequency: dict[str, int] = {}
        for chunk_terms in tokenised:
            for term in set(chunk_terms):
                document_frequency[term] = document_frequency.get(term, 0) + 1
        bm25 = bm25s.BM25()
        if listed:
            bm25.index(tokenised, show_progress=False)
        self._assemble(listed, bm25, document_frequency)

    @classmethod
    def from_parts(
        cls, chunks: list[Chunk], bm25: bm25s.BM25, document_frequency: dict[str, int]
    ) -> LexicalIndex:
        """An index from what :meth:`parts` gave (a saved copy), without tokenising again."""
        index = cls.__new__(cls)
        index._assemble(chunks, bm25, document_frequency)
        return index

    def _assemble(
        self, chunks: list[Chunk], bm25: bm25s.BM25, document_frequency: dict[str, int]
    ) -> None:
        self.chunks: list[Chunk] = chunks
        self.by_id: dict[str, Chunk] = {c.chunk_id: c for c in chunks}
        self._bm25 = bm25
        self._document_frequency = document_frequency
        self._release_texts: dict[str, str] | None = None
        self._days: npt.NDArray[np.int64] = np.array(
            [day_number(c.published) if c.published else UNDATED for c in chunks],
            dtype=np.int64,
        )

    def release_text(self, release_id: str) -> str:
        """The release's title and body, from the chunks the index holds ("" for a release
        it does not hold): built once, on first use."""
        if self._release_texts is None:
            parts: dict[str, list[Chunk]] = {}
            for chunk in self.chunks:
                parts.setdefault(chunk.release_id, []).append(chunk)
            self._release_texts = {
                rid: "\n".join(
                    [chunks[0].title or ""]
                    + [c.text for c in sorted(chunks, key=lambda c: c.index)]
                )
                for rid, chunks in parts.items()
            }
        return self._release_texts.get(release_id, "")

    def parts(self) -> tuple[list[Chunk], bm25s.BM25, dict[str, int]]:
        """What it takes to save the index and rebuild it with :meth:`from_parts`."""
        return self.chunks, self._bm25, self._document_frequency

    def __len__(self) -> int:
        return len(self.chunks)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; a term the archive never uses gets the most."""
        n = max(len(self.chunks), 1)
        df = self._document_frequency.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def contains(self, term: str) -> bool:
        return term in self._document_frequency

    def search(
        self,
        query: str,
        limit: int,
        dates: DateRange | None = None,
        release_ids: frozenset[str] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """Best chunks by BM25 score (only those with a positive score), within ``dates``
        and, when given, among the releases ``release_ids``."""
        query_terms = terms(query)
        if not self.chunks or not query_terms or limit <= 0:
            return []
        scores: npt.NDArray[np.float64] = np.asarray(
            self._bm25.get_scores(query_terms), dtype=np.float64
        )
        if dates is not None and (dates.date_from or dates.date_to):
            mask = self._days != UNDATED
            if dates.date_from is not None:
                mask &= self._days >= day_number(dates.date_from)
            if dates.date_to is not None:
                mask &= self._days <= day_number(dates.date_to)
            scores = np.where(mask, scores, 0.0)
        if release_ids is not None:
            allowed = np.array([c.release_id in release_ids for c in self.chunks], dtype=bool)
            scores = np.where(allowed, scores, 0.0)
        if limit < len(scores):
            # The top ``limit`` unordered (linear), then only those sorted.
            top = np.argpartition(-scores, limit - 1)[:limit]
            best = top[np.argsort(-scores[top], kind="stable")]
        else:
            best = np.argsort(-scores, kind="stable")
        return [(self.chunks[i], float(scores[i])) for i in best if scores[i] > 0]
