"""Chunks fit the embedding model's real window and point exactly into the body."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from ingest.chunking import Chunker
from ingest.readers import read_file
from ingest.release import Release
from vectorstore.embedder import Embedder
from vectorstore.records import heading_for

SHARED = Path(__file__).resolve().parents[3] / "shared"


def release_with(body: str, title: str | None = "A title") -> Release:
    return Release(
        release_id="r.txt",
        title=title,
        published=dt.date(2024, 3, 14),
        place="Riga",
        language="en",
        url=None,
        body=body,
        source_path="/archive/r.txt",
    )


def fomc_release() -> Release:
    path = SHARED / "data" / "fomc" / "statements" / "20081216.txt"
    if not path.exists():
        pytest.skip("../shared/data/fomc is not beside this checkout")
    return read_file(path, path.parent).releases[0]


def test_every_chunk_fits_the_model_with_its_heading(embedder: Embedder) -> None:
    release = fomc_release()
    chunks = Chunker(embedder, chunk_tokens=200, overlap_tokens=24).chunk(release)
    assert len(chunks) >= 2
    for chunk in chunks:
        assert len(embedder.tokenize(chunk.indexed_text)) <= embedder.max_tokens


def test_offsets_point_exactly_into_the_cleaned_body(embedder: Embedder) -> None:
    release = fomc_release()
    chunks = Chunker(embedder, chunk_tokens=120, overlap_tokens=20).chunk(release)
    for index, chunk in enumerate(chunks):
        assert release.body[chunk.start : chunk.end] == chunk.text
        assert chunk.chunk_id == f"{release.release_id}#{index:04d}"
        assert chunk.content_hash == release.content_hash
    assert chunks[0].start == 0
    assert chunks[-1].end == len(release.body.rstrip())
    for before, after in itertools.pairwise(chunks):
        gap = release.body[before.end : after.start] if after.start > before.end else ""
        assert gap.strip() == "", "consecutive chunks leave no text out"
        assert after.start > before.start


def test_a_long_title_still_leaves_room_for_text(embedder: Embedder) -> None:
    body = " ".join(f"Sentence number {i} says something about water." for i in range(80))
    release = release_with(body, title="Very long title " * 70)
    heading_tokens = len(
        embedder.tokenize(heading_for(release.title, release.place, release.published))
    )
    assert heading_tokens > embedder.max_tokens // 2
    chunks = Chunker(embedder).chunk(release)
    assert chunks and all(body[c.start : c.end] == c.text for c in chunks)


def test_empty_body_gives_no_chunks(embedder: Embedder) -> None:
    assert Chunker(embedder).chunk(release_with("   ")) == []


def test_overlap_must_be_below_size(embedder: Embedder) -> None:
    with pytest.raises(ValueError, match="overlap"):
        Chunker(embedder, chunk_tokens=100, overlap_tokens=100)
