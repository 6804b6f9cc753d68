"""Splitting a release into sentence-aware chunks that fit the embedding model."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ingest.release import PARAGRAPH_BREAK, Release
from vectorstore.embedder import Embedder
from vectorstore.records import Chunk, heading_for

if TYPE_CHECKING:
    # Imported when a release is first chunked (~1.1 s): a sync with nothing new never is.
    from llama_index.core.node_parser import SentenceSplitter

# The heading (title, place, date) is embedded with every chunk, so it takes part of the
# model's window; a chunk never gets fewer tokens than this, even under a very long title.
MIN_TEXT_TOKENS = 64


def _spans(release: Release) -> list[tuple[int, str, bool]]:
    """``(offset, paragraph, is boilerplate)`` for each paragraph of the body."""
    spans: list[tuple[int, str, bool]] = []
    offset = 0
    boilerplate = set(release.boilerplate)
    for paragraph in release.paragraphs:
        spans.append((offset, paragraph, paragraph in boilerplate))
        offset += len(paragraph) + len(PARAGRAPH_BREAK)
    return spans


def answer_segments(release: Release) -> list[tuple[int, str]]:
    """``(offset, text)`` of each run of body paragraphs that are not boilerplate.

    Without boilerplate (the usual case) this is the whole body, in one piece.
    """
    if not release.boilerplate:
        return [(0, release.body)]
    segments: list[tuple[int, str]] = []
    run_start: int | None = None
    run_end = 0
    for offset, paragraph, is_boilerplate in _spans(release):
        if is_boilerplate:
            if run_start is not None:
                segments.append((run_start, release.body[run_start:run_end]))
            run_start = None
            continue
        if run_start is None:
            run_start = offset
        run_end = offset + len(paragraph)
    if run_start is not None:
        segments.append((run_start, release.body[run_start:run_end]))
    return segments or [(0, release.body)]


def boilerplate_spans(release: Release) -> tuple[tuple[int, str], ...]:
    """``(offset, text)`` of the boilerplate paragraphs: stored for the viewer only."""
    if not release.boilerplate:
        return ()
    return tuple((offset, p) for offset, p, is_boilerplate in _spans(release) if is_boilerplate)


class Chunker:
    """Sentence-aware chunks measured in the embedding model's own word pieces.

    LlamaIndex's ``SentenceSplitter`` counts tiktoken tokens unless given a tokenizer; we
    give it the model's, so that a chunk plus its heading fits in ``embedder.max_tokens``
    and nothing is silently truncated.
    """

    def __init__(self, embedder: Embedder, chunk_tokens: int = 200, overlap_tokens: int = 24):
        if overlap_tokens >= chunk_tokens:
            raise ValueError(
                f"expected chunk overlap below the chunk size, got {overlap_tokens} >= "
                f"{chunk_tokens}"
            )
        self._embedder = embedder
        self._chunk_tokens = min(chunk_tokens, embedder.max_tokens)
        self._overlap_tokens = overlap_tokens
        self._splitters: dict[int, SentenceSplitter] = {}

    def _splitter(self, size: int) -> SentenceSplitter:
        if size not in self._splitters:
            from llama_index.core.node_parser import SentenceSplitter

            self._splitters[size] = SentenceSplitter(
                chunk_size=size,
                chunk_overlap=min(self._overlap_tokens, size // 4),
                tokenizer=self._embedder.tokenize,
                include_metadata=False,
                include_prev_next_rel=False,
            )
        return self._splitters[size]

    def chunk(self, release: Release) -> list[Chunk]:
        body = release.body
        if not body.strip():
            return []
        heading_tokens = (
            len(
                self._embedder.tokenize(
                    heading_for(
                        None if release.title_made else release.title,
                        release.place,
                        release.published,
                    )
                )
            )
            + 1
        )
        size = max(
            MIN_TEXT_TOKENS, min(self._chunk_tokens, self._embedder.max_tokens - heading_tokens)
        )
        from llama_index.core import Document

        chunks: list[Chunk] = []
        hashes = (release.content_hash, release.body_hash)
        for offset, segment in answer_segments(release):
            nodes = self._splitter(size).get_nodes_from_documents([Document(text=segment)])
            cursor = 0
            for node in nodes:
                text = node.get_content()
                start = getattr(node, "start_char_idx", None)
                if start is None or segment[start : start + len(text)] != text:
                    start = segment.find(text, cursor)
                    if start < 0:  # the splitter changed whitespace; fall back to the raw span
                        start = cursor
                end = start + len(text)
                cursor = start + 1
                chunks.append(
                    self._make_chunk(
                        release,
                        hashes,
                        len(chunks),
                        body[offset + start : offset + end],
                        offset + start,
                        offset + end,
                    )
                )
        hidden = boilerplate_spans(release)
        if chunks and hidden:
            chunks[0] = dataclasses.replace(chunks[0], hidden=hidden)
        return chunks

    @staticmethod
    def _make_chunk(
        release: Release, hashes: tuple[str, str], index: int, text: str, start: int, end: int
    ) -> Chunk:
        return Chunk(
            chunk_id=f"{release.release_id}#{index:04d}",
            release_id=release.release_id,
            index=index,
            text=text,
            start=start,
            end=end,
            title=release.title,
            published=release.published,
            place=release.place,
            language=release.language,
            url=release.url,
            source_path=release.source_path,
            content_hash=hashes[0],
            body_hash=hashes[1],
            date_source=release.date_source,
            title_made=release.title_made,
        )
