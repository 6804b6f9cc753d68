"""Ingestion is a sync: add, skip unchanged, replace changed, delete removed, never lose."""

from __future__ import annotations

from pathlib import Path

from ingest.chunking import Chunker
from ingest.sync import sync
from vectorstore.embedder import Embedder
from vectorstore.store import ChunkStore, open_client

RELEASE = """PRESS RELEASE
Commission meets in {place}

{place}, {day} March 2024 – The Commission met today and approved a budget of EUR {n} million.

"We are pleased," said the Chair.
"""


def write(folder: Path, name: str, place: str, day: int, n: int) -> Path:
    path = folder / name
    path.write_text(RELEASE.format(place=place, day=day, n=n), encoding="utf-8")
    return path


def store_in(tmp_path: Path, embedder: Embedder) -> ChunkStore:
    return ChunkStore(open_client(tmp_path / "store"), "press", embedder)


def all_ids(store: ChunkStore) -> list[str]:
    return [c.chunk_id for c in store.iter_chunks()]


def test_sync_adds_skips_updates_and_removes(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    write(archive, "2024-03-01-riga.txt", "Riga", 1, 10)
    write(archive, "2024-03-02-tallinn.txt", "Tallinn", 2, 20)
    write(archive, "2024-03-03-vilnius.txt", "Vilnius", 3, 30)
    store = store_in(tmp_path, embedder)
    chunker = Chunker(embedder)

    first = sync([archive], store, chunker)
    assert sorted(first.added) == [
        "2024-03-01-riga.txt",
        "2024-03-02-tallinn.txt",
        "2024-03-03-vilnius.txt",
    ]
    assert first.chunks_written == store.count() > 0
    assert not first.failed

    second = sync([archive], store, chunker)
    assert len(second.unchanged) == 3 and second.chunks_written == 0
    assert not (second.added or second.updated or second.removed)

    write(archive, "2024-03-02-tallinn.txt", "Tallinn", 2, 25)
    (archive / "2024-03-03-vilnius.txt").unlink()
    third = sync([archive], store, chunker)
    assert third.updated == ["2024-03-02-tallinn.txt"]
    assert third.removed == ["2024-03-03-vilnius.txt"]
    assert third.unchanged == ["2024-03-01-riga.txt"]

    ids = all_ids(store)
    assert len(ids) == len(set(ids)), "no duplicate chunks"
    assert set(store.stored_releases()) == {"2024-03-01-riga.txt", "2024-03-02-tallinn.txt"}
    texts = " ".join(c.text for c in store.release_chunks("2024-03-02-tallinn.txt"))
    assert "EUR 25 million" in texts and "EUR 20 million" not in texts


def test_bad_file_is_reported_and_nothing_else_is_lost(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    write(archive, "2024-03-01-riga.txt", "Riga", 1, 10)
    write(archive, "2024-03-02-tallinn.txt", "Tallinn", 2, 20)
    store = store_in(tmp_path, embedder)
    sync([archive], store, Chunker(embedder))

    (archive / "2024-03-02-tallinn.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (archive / "broken.json").write_text('[{"title": "x", ', encoding="utf-8")
    (archive / "scan.xyz").write_bytes(b"?")
    report = sync([archive], store, Chunker(embedder))

    failed = {Path(e.path).name: e.reason for e in report.failed}
    assert set(failed) == {"2024-03-02-tallinn.txt", "broken.json"}
    assert "binary" in failed["2024-03-02-tallinn.txt"]
    assert "JSON" in failed["broken.json"]
    assert [Path(p).name for p in report.skipped] == ["scan.xyz"]
    # The unreadable file keeps what the store had from it: a bad read never deletes.
    assert report.removed == []
    assert set(store.stored_releases()) == {"2024-03-01-riga.txt", "2024-03-02-tallinn.txt"}
    assert "failed: " in report.summary() and "broken.json" in report.summary()


def test_sync_of_one_folder_leaves_other_folders_alone(tmp_path: Path, embedder: Embedder) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write(first, "a.txt", "Riga", 1, 10)
    write(second, "b.txt", "Tallinn", 2, 20)
    store = store_in(tmp_path, embedder)
    sync([first], store, Chunker(embedder))
    report = sync([second], store, Chunker(embedder))
    assert report.removed == []
    assert set(store.stored_releases()) == {"a.txt", "b.txt"}
