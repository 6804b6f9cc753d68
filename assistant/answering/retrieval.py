"""Hybrid retrieval: dense (Chroma) and BM25, fused by weighted reciprocal rank, then
optionally reranked by a cross-encoder."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.answering.tuning import Tuning
from assistant.answering.window import Place, place, stated_date
from vectorstore.embedder import Embedder, Vectors
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Chunk, DateRange, Passage
from vectorstore.reranker import Reranker
from vectorstore.store import ChunkStore

# A code or figure in a question ("reference 2015/00239", "45,800 samples", "PR-2025-05"):
# four or more characters with a digit. Plain years and ISO dates are left to the date
# window.
IDENTIFIER = re.compile(r"[A-Za-z0-9][\w/.,:-]*\d[\w/.,:-]*|\d[\w/.,:-]*")
NOT_IDENTIFIER = re.compile(r"(?:19|20)\d\d|(?:19|20)\d\d-\d\d(?:-\d\d)?")
MIN_IDENTIFIER_CHARS = 4


def identifiers(query: str) -> list[str]:
    """The codes and figures of ``query`` a passage must spell exactly to match them."""
    found = []
    for match in IDENTIFIER.finditer(query):
        token = match.group().rstrip(".,:-/")
        if len(token) >= MIN_IDENTIFIER_CHARS and not NOT_IDENTIFIER.fullmatch(token):
            found.append(token)
    return list(dict.fromkeys(found))


def spells(text: str, token: str) -> bool:
    """Whether ``text`` holds ``token`` as a whole (not inside a longer code or number)."""
    return re.search(rf"(?<![\w/.,-]){re.escape(token)}(?![\w/-]|[.,]\d)", text, re.I) is not None


# Which rankings are searched: both fused (the default), or one alone (to measure each).
RetrievalMode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the two rankings in the fusion (by default the tuning's
    ``w_dense_rank`` and ``w_lexical_rank``, fitted by ``python -m evals.tune``)."""

    dense: float = Tuning.w_dense_rank
    lexical: float = Tuning.w_lexical_rank


class HybridRetriever:
    def __init__(
        self,
        store: ChunkStore,
        lexical: LexicalIndex,
        candidates: int = 40,
        weights: FusionWeights | None = None,
        embedder: Embedder | None = None,
        mode: RetrievalMode = "hybrid",
        reranker: Reranker | None = None,
        rerank_depth: int = 20,
        tuning: Tuning | None = None,
    ) -> None:
        """``embedder`` embeds queries and candidates the dense search missed; by default
        the store's (pass a cached one so a chunk is embedded once, not per question).
        ``reranker`` reorders the ``rerank_depth`` best fused candidates."""
        self.store = store
        self.lexical = lexical
        self.candidates = candidates
        self.tuning = tuning or Tuning()
        self.weights = weights or FusionWeights(
            self.tuning.w_dense_rank, self.tuning.w_lexical_rank
        )
        self.embedder = embedder or store.embedder
        self.mode: RetrievalMode = mode
        self.reranker = reranker
        self.rerank_depth = rerank_depth

    def release_text(self, release_id: str) -> str:
        """The release's title and body (see :meth:`LexicalIndex.release_text`)."""
        return self.lexical.release_text(release_id)

    def _search_both(
        self,
        query: str,
        vector: Vectors,
        dates: DateRange | None,
        allowed: frozenset[str] | None,
    ) -> tuple[list[tuple[Chunk, float]], list[tuple[Chunk, float]]]:
        """The dense and BM25 candidates within ``dates``. With a window, the candidates
        of the whole archive are searched too and kept where :func:`place` keeps them
        (undated releases, releases whose text states a date in the window): a window
        that relied on publication dates alone hid every release without one."""
        dense = (
            self.store.search(vector, self.candidates, dates, allowed, self.lexical.by_id)
            if self.mode != "bm25"
            else []
        )
        lexical = (
            self.lexical.search(query, self.candidates, dates, allowed)
            if self.mode != "dense"
            else []
        )
        if dates is None or (dates.date_from is None and dates.date_to is None):
            return dense, lexical
        if self.mode != "bm25":
            wider = self.store.search(vector, self.candidates, None, allowed, self.lexical.by_id)
            dense = self._kept(dense + wider, dates)
        if self.mode != "dense":
            wider_lexical = self.lexical.search(query, self.candidates, None, allowed)
            lexical = self._kept(lexical + wider_lexical, dates)
        return dense, lexical

    def _kept(
        self, found: list[tuple[Chunk, float]], dates: DateRange
    ) -> list[tuple[Chunk, float]]:
        """``found`` once each, best score first, without what the window leaves out."""
        best: dict[str, tuple[Chunk, float]] = {}
        for chunk, score in found:
            if chunk.chunk_id not in best or score > best[chunk.chunk_id][1]:
                best[chunk.chunk_id] = (chunk, score)
        kept = [
            pair
            for pair in best.values()
            if place(pair[0].published, self.release_text(pair[0].release_id), dates) is not None
        ]
        return sorted(kept, key=lambda pair: -pair[1])

    def releases_under(self, sources: Sequence[str]) -> frozenset[str]:
        """Ids of the stored releases whose id starts with one of ``sources`` (a folder
        such as ``statements/``, a feed such as ``feeds/news-2025.jsonl``, or an id)."""
        prefixes = tuple(sources)
        return frozenset(
            c.release_id for c in self.lexical.chunks if c.release_id.startswith(prefixes)
        )

    def retrieve(
        self,
        query: str,
        k: int,
        dates: DateRange | None = None,
        latest: bool = False,
        sources: Sequence[str] = (),
    ) -> list[Passage]:
        """The ``k`` best passages for ``query`` within ``dates`` (and, when ``sources``
        are given, among the releases under them), numbered from 1.

        With ``latest``, the newest of the clearly relevant candidates come first.
        Chunks whose text is identical (a release published twice) appear once, with the
        other releases listed in ``also_in``.
        """
        allowed = self.releases_under(sources) if sources else None
        vector = self.embedder.embed_query(query)
        dense, lexical = self._search_both(query, vector, dates, allowed)

        fused: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        similarity: dict[str, float] = {}
        bm25: dict[str, float] = {}
        for rank, (chunk, sim) in enumerate(dense, start=1):
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + self.weights.dense / (
                self.tuning.rrf_k + rank
            )
            chunks[chunk.chunk_id] = chunk
            similarity[chunk.chunk_id] = sim
        for rank, (chunk, score) in enumerate(lexical, start=1):
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + self.weights.lexical / (
                self.tuning.rrf_k + rank
            )
            chunks[chunk.chunk_id] = chunk
            bm25[chunk.chunk_id] = score
        missing = [cid for cid in chunks if cid not in similarity]
        stored = self.store.stored_vectors(missing)
        for cid, row in stored.items():
            similarity[cid] = float(row @ vector)
        missing = [cid for cid in missing if cid not in stored]
        if missing:
            vectors = self.embedder.embed_documents([chunks[c].indexed_text for c in missing])
            for cid, row in zip(missing, vectors, strict=True):
                similarity[cid] = float(row @ vector)

        order = sorted(fused, key=lambda cid: -fused[cid])
        order = _exact_first(query, order, chunks)
        if self.reranker is not None and order:
            order = self._reranked(query, order, chunks)
        if latest:
            order = self._newest_first(order, chunks, similarity, bm25)
        if dates is not None and (dates.date_from or dates.date_to):
            # Inside the window first, releases without a date after them (stable).
            places = {
                cid: place(chunks[cid].published, self.release_text(chunks[cid].release_id), dates)
                for cid in order
            }
            order = sorted(order, key=lambda cid: places[cid] or Place.INSIDE)

        passages: list[Passage] = []
        seen_text: dict[str, int] = {}
        for cid in order:
            chunk = chunks[cid]
            key = " ".join(chunk.text.split()).lower()
            if key in seen_text:
                index = seen_text[key]
                first = passages[index]
                if (
                    chunk.release_id not in first.also_in
                    and chunk.release_id != first.chunk.release_id
                ):
                    passages[index] = Passage(
                        first.chunk,
                        first.rank,
                        first.score,
                        first.similarity,
                        first.lexical,
                        (*first.also_in, chunk.release_id),
                    )
                continue
            if len(passages) == k:
                continue
            seen_text[key] = len(passages)
            passages.append(
                Passage(
                    chunk,
                    len(passages) + 1,
                    fused[cid],
                    similarity.get(cid, 0.0),
                    bm25.get(cid, 0.0),
                )
            )
        return passages

    def _reranked(self, query: str, order: list[str], chunks: dict[str, Chunk]) -> list[str]:
        """The best fused candidates in the cross-encoder's order, then the rest."""
        assert self.reranker is not None
        head, tail = order[: self.rerank_depth], order[self.rerank_depth :]
        scores = self.reranker.score(query, [chunks[cid].indexed_text for cid in head])
        ranked = sorted(zip(head, scores, strict=True), key=lambda pair: -pair[1])
        return [cid for cid, _ in ranked] + tail

    def _newest_first(
        self,
        order: list[str],
        chunks: dict[str, Chunk],
        similarity: dict[str, float],
        bm25: dict[str, float],
    ) -> list[str]:
        """Move the newest clearly relevant candidates to the front.

        "Clearly relevant" is measured against the best candidate: near-duplicate
        recurring statements score alike, and among those the newest is the answer.
        """
        if not order:
            return order
        top_bm25 = max(bm25.values(), default=0.0)
        top_sim = max(similarity.values(), default=0.0)
        relevant = [
            cid
            for cid in order[: self.tuning.latest_depth]
            if (top_bm25 > 0 and bm25.get(cid, 0.0) >= self.tuning.latest_bm25_share * top_bm25)
            or similarity.get(cid, 0.0) >= top_sim - self.tuning.latest_similarity_margin
        ]
        # A release without a date is placed by the first date its text gives.
        relevant.sort(
            key=lambda cid: (
                chunks[cid].published
                or stated_date(self.release_text(chunks[cid].release_id))
                or dt.date.min
            ),
            reverse=True,
        )
        moved = set(relevant)
        return relevant + [cid for cid in order if cid not in moved]


def _exact_first(query: str, order: list[str], chunks: dict[str, Chunk]) -> list[str]:
    """Candidates that spell more of the question's codes and figures first, in fused
    order otherwise.

    Reciprocal rank fusion keeps ranks, not scores: a release that BM25 alone finds by its
    reference number (twice the next score) fell behind chunks the dense model liked, and
    only 12 % of 300 releases asked for by reference came first. Near-duplicate statements
    that differ in their figures are told apart the same way.
    """
    wanted = identifiers(query)
    if not wanted:
        return order
    matched = {cid: sum(spells(chunks[cid].indexed_text, t) for t in wanted) for cid in order}
    if not any(matched.values()):
        return order
    return sorted(order, key=lambda cid: -matched[cid])
