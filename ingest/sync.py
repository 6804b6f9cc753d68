"""Ingestion as a sync: the store ends up holding exactly the archive, each release once."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import Chunker
from ingest.errors import IngestError
from ingest.readers import discover, read_file
from ingest.release import Release
from vectorstore.records import Chunk
from vectorstore.store import ChunkStore

# How many chunks go through the encoder in one call: big enough for the model to sort
# texts by length and waste little on padding, small enough to show progress.
EMBED_BATCH_CHUNKS = 512

Progress = Callable[[int, int], None]


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"releases: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.failed)} failed",
            f"chunks written: {self.chunks_written}",
            f"seconds: {self.seconds:.1f}",
        ]
        lines += [f"failed: {error.path}: {error.reason}" for error in self.failed]
        lines += [f"skipped (unsupported type): {path}" for path in self.skipped]
        return "\n".join(lines)


def sync(
    paths: Sequence[Path],
    store: ChunkStore,
    chunker: Chunker,
    progress: Progress | None = None,
) -> SyncReport:
    """Bring ``store`` in line with the releases under ``paths``.

    Unchanged releases (same content hash) are skipped, changed ones replaced, and releases
    whose file under one of ``paths`` is gone are removed. A file that fails to read keeps
    whatever the store already had from it: a bad read never deletes.
    """
    began = time.perf_counter()
    report = SyncReport()
    discovery = discover(paths)
    report.skipped = [str(p) for p in discovery.skipped]

    releases: dict[str, Release] = {}
    unreadable: set[str] = set()
    for path, root in discovery.files:
        try:
            result = read_file(path, root)
        except IngestError as error:
            report.failed.append(error)
            unreadable.add(str(path.resolve()))
            continue
        report.failed.extend(result.errors)
        for release in result.releases:
            if release.release_id in releases:
                report.failed.append(
                    IngestError(
                        path,
                        f"release id {release.release_id!r} already comes from "
                        f"{releases[release.release_id].source_path}; kept the first",
                    )
                )
                continue
            releases[release.release_id] = release

    stored = store.stored_releases()
    changed: list[Release] = []
    for release_id, release in releases.items():
        previous = stored.get(release_id)
        if previous is None:
            report.added.append(release_id)
            changed.append(release)
        elif previous.content_hash != release.content_hash:
            report.updated.append(release_id)
            changed.append(release)
        else:
            report.unchanged.append(release_id)

    report.chunks_written = _write(changed, store, chunker, report, progress)

    scopes = [p.resolve() for p in paths]
    for release_id, previous in stored.items():
        if release_id in releases or previous.source_path in unreadable:
            continue
        if _within(Path(previous.source_path), scopes):
            store.delete_release(release_id)
            report.removed.append(release_id)

    report.seconds = time.perf_counter() - began
    return report


def _write(
    releases: list[Release],
    store: ChunkStore,
    chunker: Chunker,
    report: SyncReport,
    progress: Progress | None,
) -> int:
    pending: list[tuple[Release, list[Chunk]]] = []
    for release in releases:
        chunks = chunker.chunk(release)
        if chunks:
            pending.append((release, chunks))
        else:
            report.failed.append(IngestError(release.source_path, "no text left after cleaning"))
            for bucket in (report.added, report.updated):
                if release.release_id in bucket:
                    bucket.remove(release.release_id)
    total = sum(len(chunks) for _, chunks in pending)
    written = 0
    group: list[tuple[Release, list[Chunk]]] = []
    for item in pending:
        group.append(item)
        if sum(len(chunks) for _, chunks in group) >= EMBED_BATCH_CHUNKS:
            written += _embed_and_store(group, store)
            group = []
            if progress:
                progress(written, total)
    if group:
        written += _embed_and_store(group, store)
        if progress:
            progress(written, total)
    return written


def _embed_and_store(group: list[tuple[Release, list[Chunk]]], store: ChunkStore) -> int:
    texts = [chunk.indexed_text for _, chunks in group for chunk in chunks]
    vectors = store.embedder.embed_documents(texts)
    offset = 0
    for release, chunks in group:
        store.replace_release(release.release_id, chunks, vectors[offset : offset + len(chunks)])
        offset += len(chunks)
    return offset


def _within(path: Path, scopes: Sequence[Path]) -> bool:
    return any(path == scope or scope in path.parents for scope in scopes)
