"""The Chroma store, for real: on disk, and behind a `chroma run` server."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vectorstore.embedder import Embedder
from vectorstore.errors import EmbedderMismatchError, StoreError
from vectorstore.records import Chunk, DateRange
from vectorstore.store import SEARCH_EF, ChunkStore, auth_headers, open_client

from ..conftest import make_chunk


def make_chunks(release_id: str, texts: list[str], published: dt.date) -> list[Chunk]:
    chunks, offset = [], 0
    for index, text in enumerate(texts):
        chunks.append(
            make_chunk(
                release_id,
                text,
                index=index,
                start=offset,
                title=f"Title of {release_id}",
                published=published,
                place="Riga",
                source_path=f"/archive/{release_id}",
                content_hash=f"hash-{release_id}-{len(texts)}",
            )
        )
        offset += len(text) + 2
    return chunks


def put(store: ChunkStore, chunks: list[Chunk]) -> None:
    vectors = store.embedder.embed_documents([c.indexed_text for c in chunks])
    store.replace_release(chunks[0].release_id, chunks, vectors)


def test_replace_search_and_date_filter(tmp_path: Path, embedder: Embedder) -> None:
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    put(
        store,
        make_chunks(
            "a.txt",
            ["The ministers approved a budget.", "Eels were protected."],
            dt.date(2023, 5, 23),
        ),
    )
    put(
        store,
        make_chunks("b.txt", ["The ministers approved another budget."], dt.date(2024, 5, 28)),
    )
    assert store.count() == 3
    assert set(store.stored_releases()) == {"a.txt", "b.txt"}

    found = store.search(embedder.embed_query("eel protection"), 3)
    assert found[0][0].chunk_id == "a.txt#0001"
    assert -1.0 <= found[0][1] <= 1.0 and found[0][1] > found[-1][1]

    window = DateRange(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    in_2024 = store.search(embedder.embed_query("budget"), 5, window)
    assert [c.release_id for c, _ in in_2024] == ["b.txt"]
    assert in_2024[0][0].published == dt.date(2024, 5, 28)

    # Asking for more than the store holds gives what it holds (no count first).
    assert len(store.search(embedder.embed_query("budget"), 50)) == 3


def test_search_reads_only_the_chunks_not_known(tmp_path: Path, embedder: Embedder) -> None:
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    chunks = make_chunks(
        "a.txt", ["The ministers approved a budget.", "Eels."], dt.date(2023, 5, 23)
    )
    put(store, chunks)
    in_memory = {chunks[0].chunk_id: chunks[0]}
    found = dict(
        (c.chunk_id, c) for c, _ in store.search(embedder.embed_query("budget"), 5, known=in_memory)
    )
    assert found[chunks[0].chunk_id] is chunks[0]
    assert found[chunks[1].chunk_id] == chunks[1] and found[chunks[1].chunk_id] is not chunks[1]


def test_stored_vectors_are_the_embeddings_ingest_wrote(tmp_path: Path, embedder: Embedder) -> None:
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    chunks = make_chunks(
        "a.txt", ["Eels were protected.", "Ports got grants."], dt.date(2023, 1, 1)
    )
    put(store, chunks)
    found = store.stored_vectors(["a.txt#0001", "nowhere#0000", "a.txt#0000"])
    assert sorted(found) == ["a.txt#0000", "a.txt#0001"]
    expected = embedder.embed_documents([c.indexed_text for c in chunks])
    np.testing.assert_allclose(found["a.txt#0000"], expected[0], atol=1e-6)
    np.testing.assert_allclose(found["a.txt#0001"], expected[1], atol=1e-6)
    assert store.stored_vectors([]) == {}


def test_replacing_a_release_never_duplicates(tmp_path: Path, embedder: Embedder) -> None:
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    put(store, make_chunks("a.txt", ["One.", "Two.", "Three."], dt.date(2023, 1, 1)))
    put(store, make_chunks("a.txt", ["One, revised."], dt.date(2023, 1, 1)))
    put(store, make_chunks("a.txt", ["One, revised."], dt.date(2023, 1, 1)))
    assert store.count() == 1
    assert [c.text for c in store.release_chunks("a.txt")] == ["One, revised."]
    store.delete_releases(["a.txt"])
    assert store.count() == 0 and store.stored_releases() == {}


def test_release_without_chunk_zero_counts_as_not_stored(
    tmp_path: Path, embedder: Embedder
) -> None:
    """An interrupted write leaves no chunk 0, so the next sync writes the release again."""
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    chunks = make_chunks("a.txt", ["One.", "Two."], dt.date(2023, 1, 1))
    vectors = embedder.embed_documents([c.indexed_text for c in chunks])
    store.replace_release("a.txt", chunks[1:], vectors[1:])
    assert store.stored_releases() == {}


def test_store_persists_across_clients(tmp_path: Path, embedder: Embedder) -> None:
    put(
        ChunkStore(open_client(tmp_path / "s"), "press", embedder),
        make_chunks("a.txt", ["Kept."], dt.date(2022, 2, 2)),
    )
    reopened = ChunkStore(open_client(tmp_path / "s"), "press", embedder)
    assert [c.text for c in reopened.iter_chunks()] == ["Kept."]


def test_a_small_store_finds_the_nearest_chunk_in_every_opening(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Below Chroma's sync threshold the HNSW graph is rebuilt at random on each
    opening: the search must explore enough of it (``SEARCH_EF``) to find the nearest
    chunk every time, also in a store made with Chroma's default."""
    client = open_client(tmp_path / "s")
    old = client.create_collection(
        "press",
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder.name, "dimension": embedder.dimension},
    )
    assert old.configuration_json["hnsw"]["ef_search"] < SEARCH_EF
    store = ChunkStore(client, "press", embedder)
    texts = [f"The Committee met on day {i} and discussed topic number {i}." for i in range(300)]
    texts[137] = "The Committee decided to release its minutes three weeks after each meeting."
    put(store, make_chunks("a.txt", texts, dt.date(2004, 12, 14)))
    query = embedder.embed_query("When did the minutes start coming out after three weeks?")
    for _ in range(3):
        reopened = ChunkStore(open_client(tmp_path / "s"), "press", embedder)
        assert reopened._collection.configuration_json["hnsw"]["ef_search"] == SEARCH_EF
        assert reopened.search(query, 40)[0][0].chunk_id == "a.txt#0137"


def test_a_store_whose_search_cannot_be_set_still_opens(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    """A read-only store cannot take the new ``ef_search``: it opens as it was made."""
    from chromadb.api.models.Collection import Collection

    client = open_client(tmp_path / "s")
    client.create_collection(
        "press",
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder.name, "dimension": embedder.dimension},
    )

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionError("attempt to write a readonly database")

    monkeypatch.setattr(Collection, "modify", refuse)
    store = ChunkStore(open_client(tmp_path / "s"), "press", embedder)
    assert store.count() == 0
    assert "keeps ef_search" in caplog.text


class OtherEmbedder:
    """Stands for a different model: same protocol, another identity."""

    name = "other-model"
    dimension = 8
    max_tokens = 100

    def tokenize(self, text: str) -> list[int]:
        return list(range(len(text.split())))

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 8), dtype=np.float32) / np.sqrt(8)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def test_opening_with_another_embedder_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    ChunkStore(open_client(tmp_path / "s"), "press", embedder)
    with pytest.raises(EmbedderMismatchError, match="Rebuild it"):
        ChunkStore(open_client(tmp_path / "s"), "press", OtherEmbedder())  # type: ignore[arg-type]


def test_bad_chroma_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="expected a Chroma URL"):
        open_client(chroma_url="localhost:8000")


def test_server_mode_stores_and_finds(chroma_server: str, embedder: Embedder) -> None:
    store = ChunkStore(open_client(chroma_url=chroma_server), "press", embedder)
    put(
        store,
        make_chunks(
            "a.txt",
            ["The ministers approved a budget.", "Eels were protected."],
            dt.date(2023, 5, 23),
        ),
    )
    again = ChunkStore(open_client(chroma_url=chroma_server), "press", embedder)
    assert again.count() == 2
    assert again.search(embedder.embed_query("eels"), 1)[0][0].chunk_id == "a.txt#0001"
    assert len(again.search(embedder.embed_query("eels"), 10)) == 2


def test_tokenize_counts_every_word_piece_of_a_long_text(embedder: Embedder) -> None:
    text = "Ünïcödé – “quotes” 2024-03-14 €5\u00a0and\ttabs. " * 200
    wrapper = embedder._tokenizer  # type: ignore[attr-defined]
    expected = wrapper.encode(text, add_special_tokens=False, verbose=False)
    assert embedder.tokenize(text) == list(expected)
    assert len(expected) > 1000  # nothing cut at the model's 256-piece window


def test_unreachable_server_is_a_quick_clear_error() -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}"
    began = time.monotonic()
    with pytest.raises(StoreError, match=f"cannot reach the Chroma server at {url}"):
        open_client(chroma_url=url)
    assert time.monotonic() - began < 5


def test_a_server_that_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setattr("vectorstore.store.CONNECT_TIMEOUT_S", 1.0)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        began = time.monotonic()
        with pytest.raises(StoreError, match=f"{url} within 1 s"):
            open_client(chroma_url=url)
        assert time.monotonic() - began < 5


def test_token_goes_in_the_header_asked_for() -> None:
    assert auth_headers(None) == {}
    assert auth_headers("s3cret") == {"Authorization": "Bearer s3cret"}
    assert auth_headers("s3cret", "X-Chroma-Token") == {"X-Chroma-Token": "s3cret"}


def test_refused_credentials_are_named(serve: Callable[[object], str]) -> None:
    """A server (here a stand-in over real HTTP) that wants another token says so."""
    seen: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        seen.append(dict(scope["headers"]).get(b"x-chroma-token", b"").decode())
        await send({"type": "http.response.start", "status": 401, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    url = serve(app)
    with pytest.raises(StoreError, match=f"{url} refused the credentials"):
        open_client(chroma_url=url, headers=auth_headers("wrong", "X-Chroma-Token"))
    assert seen == ["wrong"]
