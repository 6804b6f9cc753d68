"""The BM25 index saved beside a real store: loaded while current, rebuilt when stale."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.lexical_files import (
    CURRENT,
    current_stamp,
    load_index,
    open_lexical,
    refresh_lexical,
    saved_stamp,
)
from vectorstore.records import Chunk, DateRange
from vectorstore.store import ChunkStore, open_client

from ..conftest import make_chunk


def chunk(release_id: str, text: str, day: dt.date | None) -> Chunk:
    return make_chunk(
        release_id,
        text,
        title=f"Title of {release_id}",
        published=day,
        place="Riga",
        source_path=f"/archive/{release_id}",
        content_hash=f"hash-{release_id}-{text}",
    )


def put(store: ChunkStore, *chunks: Chunk) -> None:
    for c in chunks:
        vectors = store.embedder.embed_documents([c.indexed_text])
        store.replace_release(c.release_id, [c], vectors)


@pytest.fixture
def store(tmp_path: Path, embedder: Embedder) -> ChunkStore:
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    put(
        store,
        chunk("eels", "The Commission banned eel exports after a vote.", dt.date(2024, 3, 14)),
        chunk("water", "The Commission discussed water budgets.", dt.date(2025, 5, 27)),
        chunk("undated", "Members welcomed the water report.", None),
    )
    return store


def found(index: LexicalIndex, query: str, dates: DateRange | None = None) -> list[str]:
    return [c.release_id for c, _ in index.search(query, 5, dates)]


def index_name(folder: Path) -> str:
    return (folder / CURRENT).read_text(encoding="utf-8")


def test_a_current_saved_index_is_loaded_not_rebuilt(store: ChunkStore, tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    built = open_lexical(store, folder)
    name = index_name(folder)
    assert saved_stamp(folder) == current_stamp(store)

    loaded = load_index(folder, current_stamp(store))
    assert loaded is not None
    again = open_lexical(store, folder)
    assert index_name(folder) == name, "a current index is not written again"
    for index in (loaded, again):
        assert len(index) == len(built) == 3
        assert found(index, "eel exports") == found(built, "eel exports") == ["eels"]
        assert found(index, "water", DateRange(dt.date(2025, 1, 1))) == ["water"]
        assert index.idf("eel") == built.idf("eel")
        assert {c.chunk_id: c for c in index.chunks} == {c.chunk_id: c for c in built.chunks}


def test_a_changed_store_makes_the_saved_index_stale(store: ChunkStore, tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    open_lexical(store, folder)
    before = current_stamp(store)
    put(store, chunk("eels", "The Commission lifted the sturgeon ban.", dt.date(2024, 3, 14)))
    assert store.count() == before["count"], "same count: only the revision tells"
    assert current_stamp(store) != before
    assert load_index(folder, current_stamp(store)) is None

    index = open_lexical(store, folder)
    assert found(index, "sturgeon") == ["eels"]
    assert found(index, "exports") == []
    assert saved_stamp(folder) == current_stamp(store)


def test_a_crash_after_a_change_began_never_leaves_a_stale_index_in_use(
    store: ChunkStore, tmp_path: Path
) -> None:
    """An ingest marks the store before it writes; killed before it saves the index, the
    saved one no longer matches, even though the chunks it holds are the same."""
    folder = tmp_path / "lexical"
    open_lexical(store, folder)
    store.mark_changed()  # what a write does first; the process "dies" here
    assert load_index(folder, current_stamp(store)) is None
    name = index_name(folder)
    open_lexical(store, folder)
    assert index_name(folder) != name, "rebuilt and saved again"


def test_a_rebuilt_collection_does_not_match_the_old_index(
    store: ChunkStore, tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "lexical"
    open_lexical(store, folder)
    client = open_client(tmp_path / "store")
    client.delete_collection("press")
    fresh = ChunkStore(client, "press", embedder)
    assert load_index(folder, current_stamp(fresh)) is None
    assert len(open_lexical(fresh, folder)) == 0


def test_an_index_saved_with_another_stemmer_is_rebuilt(
    store: ChunkStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp names the stemmer: an index saved by an older stemmer (nltk's Porter,
    whose stamps named none) is stale, so its terms never meet the new stemmer's."""
    import vectorstore.lexical_files as lexical_files

    folder = tmp_path / "lexical"
    assert current_stamp(store)["stemmer"] == "snowball-english"
    monkeypatch.setattr(lexical_files, "STEMMER", "nltk-porter")
    open_lexical(store, folder)
    name = index_name(folder)
    monkeypatch.undo()
    assert load_index(folder, current_stamp(store)) is None
    assert refresh_lexical(store, folder, changed=False), "a no-op sync rebuilds it"
    assert index_name(folder) != name
    assert saved_stamp(folder) == current_stamp(store)


def test_refresh_rebuilds_only_when_needed(store: ChunkStore, tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    assert refresh_lexical(store, folder, changed=False), "nothing saved yet"
    assert not refresh_lexical(store, folder, changed=False)
    assert refresh_lexical(store, folder, changed=True)
    assert saved_stamp(folder) == current_stamp(store)
    assert [p.name for p in folder.iterdir() if p.name.startswith("index-")] == [
        index_name(folder)
    ], "older index folders are removed"


def test_an_unreadable_saved_index_is_rebuilt(
    store: ChunkStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "lexical"
    open_lexical(store, folder)
    (folder / index_name(folder) / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pressroom"):
        assert load_index(folder, current_stamp(store)) is None
        index = open_lexical(store, folder)
    assert "cannot read the saved BM25 index" in caplog.text
    assert found(index, "eel exports") == ["eels"]
    assert load_index(folder, current_stamp(store)) is not None


def test_an_unwritable_folder_still_gives_an_index(
    store: ChunkStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pressroom"):
        index = open_lexical(store, blocker / "lexical")
    assert found(index, "eel exports") == ["eels"]
    assert "cannot save the BM25 index" in caplog.text


def test_without_a_folder_the_index_is_built_from_the_store(store: ChunkStore) -> None:
    assert found(open_lexical(store, None), "water budgets")[0] == "water"
