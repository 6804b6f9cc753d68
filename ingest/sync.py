"""Ingestion as a sync: the store ends up holding exactly the archive, each release once."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.boilerplate import mark_boilerplate
from ingest.chunking import Chunker
from ingest.decode import DEFAULT_MAX_BYTES
from ingest.duplicates import find_duplicates
from ingest.errors import IngestError
from ingest.overrides import apply_overrides, override_files
from ingest.readers import DEFAULT_FIELDS, Discovery, FieldNames, discover, read_file
from ingest.release import Release
from ingest.report import Duplicate, SyncReport
from vectorstore.lexical_files import refresh_lexical
from vectorstore.records import Chunk
from vectorstore.store import ChunkStore, StoredRelease

__all__ = ["EMBED_BATCH_CHUNKS", "ArchiveRead", "Progress", "SyncReport", "read_archive", "sync"]

# How many chunks go through the encoder in one call, then into the store: big enough for
# the model to sort texts by length and waste little on padding, small enough to show
# progress and to lose little to a crash.
EMBED_BATCH_CHUNKS = 512


class Progress(Protocol):
    """Told ``(stage, done, total)`` as work goes: stage "read" counts files, "embed" chunks.

    Each stage is reported once with ``done == 0`` before it starts.
    """

    def __call__(self, stage: str, done: int, total: int) -> None: ...


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def sync(
    paths: Sequence[Path],
    store: ChunkStore,
    chunker: Chunker,
    progress: Progress | None = None,
    *,
    prune: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_chunks: int = EMBED_BATCH_CHUNKS,
    lexical_dir: Path | None = None,
    fields: FieldNames = DEFAULT_FIELDS,
    metadata: Path | None = None,
) -> SyncReport:
    """Bring ``store`` in line with the releases under ``paths``.

    Unchanged releases (same content hash) are skipped, changed ones replaced, a release
    whose body repeats another's is stored once (see `ingest.duplicates`), and with
    ``prune`` releases whose file (or feed record) under one of ``paths`` is gone are
    removed. A file that fails to read keeps whatever the store already had from it: a bad
    read never deletes. With ``lexical_dir``, the BM25 index saved there is brought up to
    date at the end (rebuilt when anything changed or when it is not current).
    ``fields`` names a feed's fields; ``metadata`` is an overrides file (`ingest.overrides`)
    on top of each folder's own ``pressroom-metadata.csv``.
    """
    began = time.perf_counter()
    progress = progress or _quiet
    report = SyncReport()
    discovery = discover(paths)
    report.skipped = [str(p) for p in discovery.skipped]
    archive = read_archive(
        paths, progress, max_bytes=max_bytes, fields=fields, metadata=metadata, discovery=discovery
    )
    releases, unreadable = archive.releases, archive.unreadable
    report.failed.extend(archive.errors)
    report.undated = sorted(r for r, release in releases.items() if release.published is None)
    report.releases_read = len(releases)

    stored = store.stored_releases()
    scopes = [p.resolve() for p in paths]
    gone = {
        release_id
        for release_id, previous in stored.items()
        if release_id not in releases
        and previous.source_path not in unreadable
        and _within(Path(previous.source_path), scopes)
    }
    staying = {
        release_id: previous
        for release_id, previous in stored.items()
        if release_id not in releases and not (prune and release_id in gone)
    }
    duplicates = find_duplicates(releases, _by_body(staying))
    report.duplicates = [Duplicate(d, original) for d, original in sorted(duplicates.items())]

    changed: list[Release] = []
    for release_id, release in releases.items():
        previous = stored.get(release_id)
        if release_id in duplicates:
            continue
        if previous is None:
            report.added.append(release_id)
            changed.append(release)
        elif previous.content_hash != release.content_hash:
            report.updated.append(release_id)
            changed.append(release)
        else:
            report.unchanged.append(release_id)

    report.chunks_written = _write(changed, store, chunker, report, progress, batch_chunks)

    stale_duplicates = [d for d in duplicates if d in stored]
    store.delete_releases(stale_duplicates)
    if prune:
        report.removed = sorted(gone)
        store.delete_releases(report.removed)
    wrote = bool(report.chunks_written or stale_duplicates or report.removed)
    if lexical_dir is not None:
        refresh_lexical(store, lexical_dir, wrote)
    elif wrote:
        store.mark_changed()  # a serving engine that looked mid-sync sees it changed again
    report.seconds = time.perf_counter() - began
    return report


@dataclass
class ArchiveRead:
    """What reading an archive gave: releases by id, errors, and the files unreadable."""

    releases: dict[str, Release] = field(default_factory=dict)
    errors: list[IngestError] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)


def read_archive(
    paths: Sequence[Path],
    progress: Progress | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fields: FieldNames = DEFAULT_FIELDS,
    metadata: Path | None = None,
    discovery: Discovery | None = None,
) -> ArchiveRead:
    """Every release under ``paths`` as ingest stores it, nothing embedded.

    A release id that two files give is kept from the first and reported for the second.
    Then the corrections of the overrides files apply (`ingest.overrides`), and the
    paragraphs that recur across the releases read are marked (`ingest.boilerplate`).
    """
    progress = progress or _quiet
    discovery = discovery if discovery is not None else discover(paths)
    result = ArchiveRead()
    releases = result.releases
    total = len(discovery.files)
    progress("read", 0, total)
    for done, (path, root) in enumerate(discovery.files, start=1):
        try:
            read = read_file(path, root, max_bytes=max_bytes, fields=fields)
        except IngestError as error:
            result.errors.append(error)
            result.unreadable.add(str(path.resolve()))
            progress("read", done, total)
            continue
        result.errors.extend(read.errors)
        for release in read.releases:
            if release.release_id in releases:
                result.errors.append(
                    IngestError(
                        path,
                        f"release id {release.release_id!r} already comes from "
                        f"{releases[release.release_id].source_path}; kept the first",
                    )
                )
                continue
            releases[release.release_id] = release
        progress("read", done, total)
    result.errors.extend(apply_overrides(releases, override_files(paths, metadata)))
    mark_boilerplate(releases)
    return result


def _by_body(stored: dict[str, StoredRelease]) -> dict[str, str]:
    """Body hash -> the smallest id of the stored releases with that body."""
    found: dict[str, str] = {}
    for release_id in sorted(stored):
        body_hash = stored[release_id].body_hash
        if body_hash:
            found.setdefault(body_hash, release_id)
    return found


def _write(
    releases: list[Release],
    store: ChunkStore,
    chunker: Chunker,
    report: SyncReport,
    progress: Progress,
    batch_chunks: int,
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
    progress("embed", 0, total)
    for group in _groups(pending, batch_chunks):
        texts = [chunk.indexed_text for _, chunks in group for chunk in chunks]
        vectors = store.embedder.embed_documents(texts)
        store.replace_releases([(r.release_id, chunks) for r, chunks in group], vectors)
        written += len(texts)
        progress("embed", written, total)
    return written


def _groups(
    pending: list[tuple[Release, list[Chunk]]], size: int
) -> Iterator[list[tuple[Release, list[Chunk]]]]:
    """Whole releases, about ``size`` chunks at a time."""
    group: list[tuple[Release, list[Chunk]]] = []
    count = 0
    for item in pending:
        group.append(item)
        count += len(item[1])
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group


def _within(path: Path, scopes: Sequence[Path]) -> bool:
    return any(path == scope or scope in path.parents for scope in scopes)
