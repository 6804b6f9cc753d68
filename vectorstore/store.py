"""The Chroma collection of chunks. Only this module imports chromadb."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from vectorstore.embedder import Embedder, Vectors
from vectorstore.errors import EmbedderMismatchError, StoreError
from vectorstore.records import Chunk, DateRange

PAGE_SIZE = 1000
LOG = logging.getLogger(__name__)

# Collection metadata key of the store's revision: a fresh random id is written there
# before every change, so a copy derived from the chunks (the saved BM25 index) can tell
# whether it still matches them.
REVISION_KEY = "pressroom_revision"


# Candidates the HNSW search explores (Chroma's ``ef_search``, default 100). Below
# Chroma's ``sync_threshold`` (1,000 vectors) the graph is rebuilt at random each time a
# store is opened, and at 100 the nearest chunk of a 470-chunk store was missing from
# the 40 results in 2 of 6 openings (the same query, the same vectors): the same
# question got another answer in another process. At 500 it was found in 6 of 6.
SEARCH_EF = 500


@dataclass(frozen=True)
class StoredRelease:
    content_hash: str
    source_path: str
    body_hash: str = ""


# Seconds to wait for a Chroma server: to connect, and for one request's answer.
CONNECT_TIMEOUT_S = 10.0
REQUEST_TIMEOUT_S = 300.0


def auth_headers(token: str | None, header: str = "Authorization") -> dict[str, str]:
    """The header that carries ``token`` to a Chroma server (or a proxy before it).

    ``Authorization`` gets ``Bearer <token>`` (Chroma's token auth and most proxies);
    any other header, such as Chroma's ``X-Chroma-Token``, gets the bare token.
    """
    if not token:
        return {}
    if header.lower() == "authorization":
        return {"Authorization": f"Bearer {token}"}
    return {header: token}


def open_client(
    store_dir: Path | None = None,
    chroma_url: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """A Chroma client: a server when ``chroma_url`` is given, else a folder on disk.

    A server is asked for its heartbeat first, with a timeout, so an unreachable or hung
    one is a clear error naming the URL, not a wait without end (chromadb's own HTTP
    client waits forever); its requests then time out after ``REQUEST_TIMEOUT_S``.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        parsed = urlparse(chroma_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise StoreError(
                f"expected a Chroma URL like http://127.0.0.1:8000, got {chroma_url!r}"
            )
        _check_heartbeat(chroma_url, headers or {})
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                headers=dict(headers or {}),
                settings=settings,
            )
        except Exception as exc:  # chromadb raises bare exceptions for connection errors
            raise StoreError(f"cannot use the Chroma server at {chroma_url}: {exc}") from exc
        _limit_waits(client)
        return client
    if store_dir is None:
        raise StoreError("expected a store folder or a Chroma URL, got neither")
    with _failing_as(f"cannot open the store folder {store_dir}"):
        store_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(store_dir), settings=settings)


@contextmanager
def _failing_as(what: str) -> Iterator[None]:
    """Chroma's and the file system's errors as a :class:`StoreError` that says what to do
    (Chroma raises its own internal errors for a full disk or a read-only folder). Errors
    of the caller's making, such as a bad metadata value, pass through as they are."""
    from chromadb.errors import ChromaError

    try:
        yield
    except (ChromaError, OSError) as exc:
        raise StoreError(
            f"{what}: {type(exc).__name__}: {exc}. Check the disk's free space and that the "
            f"store is writable, then run again: releases already stored are kept, and one "
            f"cut short is redone."
        ) from exc


def _check_heartbeat(chroma_url: str, headers: dict[str, str]) -> None:
    import httpx

    url = chroma_url.rstrip("/") + "/api/v2/heartbeat"
    try:
        response = httpx.get(url, headers=headers, timeout=CONNECT_TIMEOUT_S)
    except httpx.HTTPError as exc:
        raise StoreError(
            f"cannot reach the Chroma server at {chroma_url} within {CONNECT_TIMEOUT_S:.0f} s "
            f"({type(exc).__name__}: {exc}); is `chroma run` running there?"
        ) from exc
    if response.status_code in (401, 403):
        raise StoreError(
            f"the Chroma server at {chroma_url} refused the credentials (HTTP "
            f"{response.status_code}); set PRESSROOM_CHROMA_TOKEN (and "
            f"PRESSROOM_CHROMA_AUTH_HEADER if it expects X-Chroma-Token)"
        )
    if response.status_code != 200:
        raise StoreError(
            f"the Chroma server at {chroma_url} answered its heartbeat with HTTP "
            f"{response.status_code}: is that URL a Chroma server?"
        )


def _limit_waits(client: Any) -> None:
    """Give chromadb's HTTP session (created with ``timeout=None``) a timeout."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(REQUEST_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)


def drop_collection(client: Any, collection: str) -> bool:
    """Delete ``collection`` and all it holds, whatever embedder built it; False if absent."""
    from chromadb.errors import NotFoundError

    try:
        client.delete_collection(collection)
    except NotFoundError:
        return False
    return True


class ChunkStore:
    """One Chroma collection of chunks, with the embedder it was built with.

    The collection's metadata records the embedder's name and dimension; opening it with
    another embedder raises :class:`EmbedderMismatchError` instead of returning nonsense.
    """

    def __init__(self, client: Any, collection: str, embedder: Embedder) -> None:
        self._client = client
        self.embedder = embedder
        self.name = collection
        identity = {"embedder": embedder.name, "dimension": embedder.dimension}
        with _failing_as(f"cannot open collection {collection!r}"):
            self._collection = client.get_or_create_collection(
                collection,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
                metadata=identity,
            )
        self._search_thoroughly()
        stored = self._collection.metadata or {}
        if stored.get("embedder") != embedder.name or stored.get("dimension") != embedder.dimension:
            raise EmbedderMismatchError(
                collection,
                f"{stored.get('embedder')} ({stored.get('dimension')}-d)",
                f"{embedder.name} ({embedder.dimension}-d)",
            )

    def _search_thoroughly(self) -> None:
        """A collection made before :data:`SEARCH_EF` was set gets it (it may change).
        Where it cannot be changed (a read-only store), the store still opens and
        searches as it was made, with a warning."""
        hnsw = (self._collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search", SEARCH_EF) >= SEARCH_EF:
            return
        try:
            self._collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        except Exception as error:  # any failure leaves the store usable as it was made
            LOG.warning(
                "collection %r keeps ef_search %s (could not set %s: %s): a store under "
                "1,000 chunks may answer a question differently from one run to the next",
                self.name,
                hnsw.get("ef_search"),
                SEARCH_EF,
                error,
            )

    def count(self) -> int:
        return int(self._collection.count())

    def stamp(self) -> dict[str, str | int]:
        """What identifies the chunks as they are now: the collection (a rebuilt one gets
        a new id), its revision and its count. Read fresh: another process may write."""
        current = self._client.get_collection(self.name, embedding_function=None)
        return {
            "collection_id": str(current.id),
            "revision": str((current.metadata or {}).get(REVISION_KEY) or ""),
            "count": int(current.count()),
        }

    def mark_changed(self) -> None:
        """Give the store a new revision: called before each change and when a sync ends.

        A copy derived from the chunks while a change was under way (or before it) then
        carries a revision that is no longer current, even if the count happens to match.
        """
        with _failing_as(f"cannot write to collection {self.name!r}"):
            current = self._client.get_collection(self.name, embedding_function=None)
            metadata = dict(current.metadata or {})
            metadata[REVISION_KEY] = uuid.uuid4().hex
            current.modify(metadata=metadata)

    def stored_releases(self) -> dict[str, StoredRelease]:
        """Every complete release in the store, by id.

        Chunk 0 of a release is written last (see :meth:`replace_release`), so a release
        whose chunk 0 is present was written completely.
        """
        found: dict[str, StoredRelease] = {}
        offset = 0
        while True:
            page = self._collection.get(
                where={"chunk_index": 0}, include=["metadatas"], limit=PAGE_SIZE, offset=offset
            )
            for meta in page["metadatas"] or []:
                found[str(meta["release_id"])] = StoredRelease(
                    content_hash=str(meta["content_hash"]),
                    source_path=str(meta["source_path"]),
                    body_hash=str(meta.get("body_hash") or ""),
                )
            if len(page["ids"]) < PAGE_SIZE:
                return found
            offset += PAGE_SIZE

    def replace_release(self, release_id: str, chunks: Sequence[Chunk], vectors: Vectors) -> None:
        self.replace_releases([(release_id, chunks)], vectors)

    def replace_releases(
        self, releases: Sequence[tuple[str, Sequence[Chunk]]], vectors: Vectors
    ) -> None:
        """Swap the chunks of several releases for new ones, crash-safely.

        ``vectors`` holds one row per chunk, in the order of ``releases``. Old chunks go
        first; then every chunk but the first of each release; the chunk 0s, which carry
        the completeness mark, go in last. A crash in between leaves a release without
        chunk 0, so the next sync redoes it. Few large calls instead of two per release:
        Chroma's cost is per call more than per record. The revision changes before the
        change: a copy made from the chunks meanwhile is then never current (a sync marks
        it again when it ends, so a reader that looked mid-change sees it change again).
        """
        self.mark_changed()
        self._delete([release_id for release_id, _ in releases])
        flat = [chunk for _, chunks in releases for chunk in chunks]
        if not flat:
            return
        rows = np.asarray(vectors, dtype=np.float32)
        rest = [i for i, chunk in enumerate(flat) if chunk.index != 0]
        firsts = [i for i, chunk in enumerate(flat) if chunk.index == 0]
        batch = self._client.get_max_batch_size()
        for part in (rest, firsts):
            for begin in range(0, len(part), batch):
                picked = part[begin : begin + batch]
                with _failing_as(f"cannot write to collection {self.name!r}"):
                    self._collection.add(
                        ids=[flat[i].chunk_id for i in picked],
                        embeddings=rows[picked],
                        documents=[flat[i].text for i in picked],
                        metadatas=[flat[i].to_metadata() for i in picked],
                    )

    def delete_releases(self, release_ids: Sequence[str]) -> None:
        if release_ids:
            self.mark_changed()
        self._delete(release_ids)

    def _delete(self, release_ids: Sequence[str]) -> None:
        for begin in range(0, len(release_ids), PAGE_SIZE):
            part = list(release_ids[begin : begin + PAGE_SIZE])
            if part:
                with _failing_as(f"cannot write to collection {self.name!r}"):
                    self._collection.delete(where={"release_id": {"$in": part}})

    def search(
        self,
        vector: Vectors,
        limit: int,
        dates: DateRange | None = None,
        release_ids: frozenset[str] | None = None,
        known: Mapping[str, Chunk] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks with their cosine similarity (1 - Chroma's cosine distance),
        within ``dates`` and, when given, among the releases ``release_ids``.

        ``known`` holds chunks already in memory (the BM25 index's) by id: only those it
        lacks are read from the store. At 100,000 chunks reading 40 chunks' text and
        metadata costs more than the vector search itself (4.4 ms against 1.3 ms).
        """
        if limit <= 0 or (release_ids is not None and not release_ids):
            return []
        clauses = [dates.where()] if dates and dates.where() else []
        if release_ids is not None:
            clauses.append({"release_id": {"$in": sorted(release_ids)}})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        # More results than the collection holds is fine in Chroma 1.x (it returns what
        # there is); counting first would cost 11 ms at 100,000 chunks.
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=limit,
            where=where,
            include=["distances"],
        )
        ids, distances = result["ids"][0], result["distances"][0]
        assert distances is not None
        known = known or {}
        chunks = {cid: known[cid] for cid in ids if cid in known}
        unknown = [cid for cid in ids if cid not in chunks]
        if unknown:
            chunks.update((c.chunk_id, c) for c in self.chunks_by_id(unknown))
        return [
            (chunks[cid], 1.0 - float(distance))
            for cid, distance in zip(ids, distances, strict=True)
            if cid in chunks
        ]

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        """The stored chunks among ``chunk_ids``, in the store's order."""
        page = self._collection.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        return [
            Chunk.from_record(cid, text, meta)
            for cid, text, meta in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            )
        ]

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk, page by page (for building the lexical index)."""
        offset = 0
        while True:
            page = self._collection.get(
                include=["documents", "metadatas"], limit=PAGE_SIZE, offset=offset
            )
            for chunk_id, text, meta in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            ):
                yield Chunk.from_record(chunk_id, text, meta)
            if len(page["ids"]) < PAGE_SIZE:
                return
            offset += PAGE_SIZE

    def stored_vectors(self, chunk_ids: Sequence[str]) -> dict[str, Vectors]:
        """The vectors the store holds for ``chunk_ids`` (those it has), by id.

        The embedding of a chunk's indexed text, as ingest wrote it: reading it back is
        milliseconds, embedding the text again ~30 ms a chunk on a CPU.
        """
        if not chunk_ids:
            return {}
        found = self._collection.get(ids=list(chunk_ids), include=["embeddings"])
        rows = found["embeddings"]
        if rows is None:
            return {}
        return {
            cid: np.asarray(row, dtype=np.float32)
            for cid, row in zip(found["ids"], rows, strict=True)
        }

    def release_chunks(self, release_id: str) -> list[Chunk]:
        page = self._collection.get(
            where={"release_id": release_id}, include=["documents", "metadatas"]
        )
        chunks = [
            Chunk.from_record(cid, text, meta)
            for cid, text, meta in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            )
        ]
        return sorted(chunks, key=lambda c: c.index)
