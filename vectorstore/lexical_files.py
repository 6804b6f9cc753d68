"""The BM25 index saved beside the store, so that a start loads it instead of rebuilding.

A saved index carries the store's stamp (collection id, revision, chunk count; see
:meth:`ChunkStore.stamp`). It is used only while that stamp is current; otherwise it is
rebuilt from the collection. The store takes a new revision before every change, so an
ingest that crashed half-way leaves a stamp that matches no saved index: the next start
rebuilds instead of silently searching stale chunks.

Layout of ``folder`` (one per collection)::

    CURRENT              name of the complete index folder to use
    index-<hex>/         bm25s files, chunks.jsonl, document_frequency.json, stamp.json

A new index is written in full under a fresh name, then ``CURRENT`` is replaced
atomically, then older index folders are removed: a reader sees the old index or the new
one, never half of one (and rebuilds if an old one vanishes under it).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.terms import STEMMER

if TYPE_CHECKING:
    # bm25s (with scipy) and the index are imported only to build or load one: a sync
    # that changed nothing compares stamps and needs neither.
    from vectorstore.lexical import LexicalIndex
    from vectorstore.store import ChunkStore

log = logging.getLogger("pressroom")

# Bump when the saved layout or the search terms (vectorstore.terms) change: older saved
# indexes then no longer match and are rebuilt. The stemmer is recorded by name too, so a
# change of stemmer alone also rebuilds them.
FORMAT = 1
CURRENT = "CURRENT"


def current_stamp(store: ChunkStore) -> dict[str, Any]:
    return {**store.stamp(), "format": FORMAT, "stemmer": STEMMER}


def saved_stamp(folder: Path) -> dict[str, Any] | None:
    """The stamp of the index ``folder`` points at, or None if there is none readable."""
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
        stamp = json.loads((folder / name / "stamp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def save_index(index: LexicalIndex, folder: Path, stamp: dict[str, Any]) -> Path:
    """Write ``index`` under ``folder`` stamped ``stamp``; returns the index folder."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"index-{uuid.uuid4().hex}"
    target = folder / name
    chunks, bm25, document_frequency = index.parts()
    target.mkdir()
    if chunks:
        bm25.save(str(target / "bm25"), show_progress=False)
    with (target / "chunks.jsonl").open("w", encoding="utf-8") as out:
        for chunk in chunks:
            record = {"id": chunk.chunk_id, "text": chunk.text, "meta": chunk.to_metadata()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    _write_json(target / "document_frequency.json", document_frequency)
    _write_json(target / "stamp.json", stamp)
    pointer = folder / f".{CURRENT}.{uuid.uuid4().hex}"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, folder / CURRENT)
    for old in folder.iterdir():
        if old.name != name and (old.name.startswith("index-") or old.name.startswith(".")):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
    return target


def load_index(folder: Path, stamp: dict[str, Any]) -> LexicalIndex | None:
    """The saved index if its stamp is ``stamp``; None if absent, stale or unreadable."""
    import bm25s

    from vectorstore.lexical import LexicalIndex
    from vectorstore.records import Chunk

    found = saved_stamp(folder)
    if found is None:
        return None
    if found != stamp:
        log.info("saved BM25 index in %s is stale (%s, store is %s)", folder, found, stamp)
        return None
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
        target = folder / name
        chunks = [
            Chunk.from_record(row["id"], row["text"], row["meta"])
            for row in map(json.loads, (target / "chunks.jsonl").open(encoding="utf-8"))
        ]
        if len(chunks) != stamp["count"]:
            raise ValueError(f"{len(chunks)} chunks saved, the stamp says {stamp['count']}")
        document_frequency = json.loads(
            (target / "document_frequency.json").read_text(encoding="utf-8")
        )
        bm25 = (
            bm25s.BM25.load(str(target / "bm25"), show_progress=False) if chunks else bm25s.BM25()
        )
    except (OSError, ValueError, KeyError, EOFError) as exc:
        log.warning("cannot read the saved BM25 index in %s (%s); rebuilding it", folder, exc)
        return None
    return LexicalIndex.from_parts(chunks, bm25, document_frequency)


def open_lexical(store: ChunkStore, folder: Path | None) -> LexicalIndex:
    """The BM25 index of ``store``: loaded from ``folder`` when current, else built from
    the collection (and saved to ``folder`` when there is one and it is writable)."""
    from vectorstore.lexical import LexicalIndex

    if folder is None:
        return LexicalIndex(store.iter_chunks())
    stamp = current_stamp(store)
    loaded = load_index(folder, stamp)
    if loaded is not None:
        return loaded
    index = LexicalIndex(store.iter_chunks())
    try:
        save_index(index, folder, stamp)
    except OSError as exc:
        log.warning(
            "cannot save the BM25 index to %s (%s); it is rebuilt at each start", folder, exc
        )
    return index


def refresh_lexical(store: ChunkStore, folder: Path, changed: bool) -> bool:
    """After a sync: rebuild and save the index if the store ``changed`` or the saved one
    is not current. The stamp is taken before reading the chunks, so a change made
    meanwhile by another writer makes the saved index stale, never wrongly current.
    Returns whether it was rebuilt."""
    if changed:
        store.mark_changed()
    stamp = current_stamp(store)
    if not changed and saved_stamp(folder) == stamp:
        return False
    from vectorstore.lexical import LexicalIndex

    save_index(LexicalIndex(store.iter_chunks()), folder, stamp)
    return True


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
