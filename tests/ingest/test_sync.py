"""Ingestion is a sync: add, skip unchanged, replace changed, delete removed, never lose."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ingest.chunking import Chunker
from ingest.readers import read_file
from ingest.report import Duplicate
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


BODY = (
    "The Commission approved a budget of EUR 12 million for river monitoring.\n\n"
    "Ministers will meet again in June."
)


def test_a_republished_release_is_stored_once(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a-republished-20240305.txt").write_text(f"Budget again\n\n{BODY}\n")
    (archive / "b-original-20240301.txt").write_text(f"Budget approved\n\n{BODY}\n")
    store = store_in(tmp_path, embedder)

    first = sync([archive], store, Chunker(embedder))
    assert first.added == ["b-original-20240301.txt"]
    assert first.duplicates == [Duplicate("a-republished-20240305.txt", "b-original-20240301.txt")]
    assert set(store.stored_releases()) == {"b-original-20240301.txt"}
    assert store.count() == first.chunks_written

    again = sync([archive], store, Chunker(embedder))
    assert again.unchanged == ["b-original-20240301.txt"] and again.chunks_written == 0
    assert len(again.duplicates) == 1

    (archive / "b-original-20240301.txt").unlink()
    after = sync([archive], store, Chunker(embedder))
    assert after.removed == ["b-original-20240301.txt"]
    assert after.added == ["a-republished-20240305.txt"] and after.duplicates == []
    assert set(store.stored_releases()) == {"a-republished-20240305.txt"}


def test_a_copy_of_a_release_stored_from_another_folder(tmp_path: Path, embedder: Embedder) -> None:
    first, second = tmp_path / "2023", tmp_path / "2024"
    first.mkdir()
    second.mkdir()
    (first / "budget.txt").write_text(f"Budget approved\n\n{BODY}\n")
    (second / "budget-copy.txt").write_text(f"Budget approved\n\n{BODY}\n")
    store = store_in(tmp_path, embedder)
    sync([first], store, Chunker(embedder))
    report = sync([second], store, Chunker(embedder))
    assert report.duplicates == [Duplicate("budget-copy.txt", "budget.txt")]
    assert report.added == [] and report.chunks_written == 0
    assert set(store.stored_releases()) == {"budget.txt"}


def test_no_prune_keeps_releases_whose_file_is_gone(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    write(archive, "a.txt", "Riga", 1, 10)
    write(archive, "b.txt", "Tallinn", 2, 20)
    store = store_in(tmp_path, embedder)
    sync([archive], store, Chunker(embedder))
    (archive / "b.txt").unlink()
    kept = sync([archive], store, Chunker(embedder), prune=False)
    assert kept.removed == [] and set(store.stored_releases()) == {"a.txt", "b.txt"}
    pruned = sync([archive], store, Chunker(embedder))
    assert pruned.removed == ["b.txt"] and set(store.stored_releases()) == {"a.txt"}


def test_undated_release_oversized_file_and_nul_bytes(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "notes.txt").write_text("Undated note\n\nThe Commission met to discuss rivers.\n")
    (archive / "big.txt").write_text("Big\n\n" + "A long sentence about rivers. " * 100)
    (archive / "nul.txt").write_bytes(b"Headline\n\nText with a \x00 NUL byte in it.\n")
    (archive / "feed.json").write_text(
        '[{"id": "n1", "title": "Feed", "body": "A feed record\\u0000 with a NUL escape."}]'
    )
    store = store_in(tmp_path, embedder)
    report = sync([archive], store, Chunker(embedder), max_bytes=1000)

    assert sorted(report.added) == ["feed.json:n1", "notes.txt"]
    failed = {Path(e.path).name: e.reason for e in report.failed}
    assert failed["big.txt"].startswith("file is 3,005 bytes (0.0 MiB), over the 1,000-byte")
    assert "PRESSROOM_MAX_FILE_MB" in failed["big.txt"]
    assert failed["nul.txt"].endswith("got binary data")
    (note,) = store.release_chunks("notes.txt")
    assert note.published is None and note.title == "Undated note"
    (record,) = store.release_chunks("feed.json:n1")
    assert record.text == "A feed record with a NUL escape."


def test_progress_is_told_each_stage(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    write(archive, "a.txt", "Riga", 1, 10)
    write(archive, "b.txt", "Tallinn", 2, 20)
    calls: list[tuple[str, int, int]] = []
    report = sync(
        [archive],
        store_in(tmp_path, embedder),
        Chunker(embedder),
        lambda stage, done, total: calls.append((stage, done, total)),
    )
    chunks = report.chunks_written
    assert calls == [
        ("read", 0, 2),
        ("read", 1, 2),
        ("read", 2, 2),
        ("embed", 0, chunks),
        ("embed", chunks, chunks),
    ]


def test_a_write_cut_before_chunk_0_is_redone(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    long_body = " ".join(f"Paragraph {i} says the Commission met again today." for i in range(40))
    path = archive / "2024-03-01-long.txt"
    path.write_text(f"A long release\n\n{long_body}\n")
    chunker = Chunker(embedder, chunk_tokens=64, overlap_tokens=8)
    (release,) = read_file(path, archive).releases
    chunks = chunker.chunk(release)
    assert len(chunks) > 3
    store = store_in(tmp_path, embedder)
    # A chunk 0 that Chroma rejects stops the write where a crash could: after the other
    # chunks are in, before the completeness mark.
    cut = [replace(chunks[0], url={"not": "a scalar"}), *chunks[1:]]
    vectors = embedder.embed_documents([c.indexed_text for c in chunks])
    with pytest.raises(ValueError):
        store.replace_releases([(release.release_id, cut)], vectors)
    assert store.count() == len(chunks) - 1
    assert store.stored_releases() == {}

    report = sync([archive], store, chunker)
    assert report.added == [release.release_id]
    assert sorted(all_ids(store)) == [c.chunk_id for c in chunks]


def test_the_saved_bm25_index_follows_each_sync(tmp_path: Path, embedder: Embedder) -> None:
    from vectorstore.lexical_files import current_stamp, load_index, saved_stamp

    archive = tmp_path / "archive"
    archive.mkdir()
    write(archive, "2024-03-01-riga.txt", "Riga", 1, 10)
    write(archive, "2024-03-02-tallinn.txt", "Tallinn", 2, 20)
    store = store_in(tmp_path, embedder)
    chunker = Chunker(embedder)
    lexical = tmp_path / "lexical"

    def releases_found(query: str) -> set[str]:
        index = load_index(lexical, current_stamp(store))
        assert index is not None, "the saved index is current after every sync"
        return {c.release_id for c, _ in index.search(query, 10)}

    sync([archive], store, chunker, lexical_dir=lexical)
    assert releases_found("tallinn") == {"2024-03-02-tallinn.txt"}
    stamp = saved_stamp(lexical)

    sync([archive], store, chunker, lexical_dir=lexical)
    assert saved_stamp(lexical) == stamp, "an unchanged archive leaves the index alone"

    write(archive, "2024-03-02-tallinn.txt", "Tallinn", 2, 25)
    write(archive, "2024-03-03-vilnius.txt", "Vilnius", 3, 30)
    (archive / "2024-03-01-riga.txt").unlink()
    sync([archive], store, chunker, lexical_dir=lexical)
    assert releases_found("riga") == set()
    assert releases_found("25") == {"2024-03-02-tallinn.txt"}
    assert releases_found("20") == set()
    assert releases_found("vilnius") == {"2024-03-03-vilnius.txt"}
