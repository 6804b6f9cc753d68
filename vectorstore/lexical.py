"""BM25 over the chunks' indexed text (title, place and date in words, then the text)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import bm25s
import numpy as np
import numpy.typing as npt

from vectorstore.records import Chunk, DateRange
from vectorstore.terms import terms


class LexicalIndex:
    """An in-memory BM25 index built from the store's chunks.

    Also answers how rare a term is (:meth:`idf`), which the answerer uses to judge how
    much of a question the evidence covers.
    """

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self.chunks: list[Chunk] = list(chunks)
        tokenised = [terms(chunk.indexed_text) for chunk in self.chunks]
        self._document_frequency: dict[str, int] = {}
        for chunk_terms in tokenised:
            for term in set(chunk_terms):
                self._document_frequency[term] = self._document_frequency.get(term, 0) + 1
        self._bm25 = bm25s.BM25()
        if self.chunks:
            self._bm25.index(tokenised, show_progress=False)

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
        self, query: str, limit: int, dates: DateRange | None = None
    ) -> list[tuple[Chunk, float]]:
        """Best chunks by BM25 score (only those with a positive score), within ``dates``."""
        query_terms = terms(query)
        if not self.chunks or not query_terms or limit <= 0:
            return []
        scores: npt.NDArray[np.float64] = np.asarray(
            self._bm25.get_scores(query_terms), dtype=np.float64
        )
        if dates is not None and (dates.date_from or dates.date_to):
            mask = np.array([dates.contains(c.published) for c in self.chunks], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        best = np.argsort(-scores, kind="stable")[:limit]
        return [(self.chunks[i], float(scores[i])) for i in best if scores[i] > 0]
