"""Wiring the parts together from settings: the one place that constructs them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.settings import Settings
from ingest.chunking import Chunker
from vectorstore.embedder import Embedder, SentenceTransformerEmbedder
from vectorstore.store import ChunkStore, drop_collection, open_client

if TYPE_CHECKING:
    from assistant.engine import Engine


def open_store(
    settings: Settings, embedder: Embedder | None = None, *, rebuild: bool = False
) -> ChunkStore:
    """The store's collection; ``rebuild`` drops it first (after the model has loaded, so a
    model that fails to load leaves the old collection in place)."""
    client = open_client(settings.store, settings.chroma_url)
    embedder = embedder or SentenceTransformerEmbedder()
    if rebuild:
        drop_collection(client, settings.collection)
    return ChunkStore(client, settings.collection, embedder)


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    return Chunker(embedder, settings.chunk_tokens, settings.chunk_overlap)


def make_engine(settings: Settings, store: ChunkStore) -> Engine:
    """An engine over ``store``. The BM25 index is built from the store's chunks here.

    Its parts are imported here, not above: `pressroom ingest` needs none of them, and
    NLTK alone costs it seconds of start-up.
    """
    from assistant.engine import Engine
    from assistant.extractive import ExtractiveAnswerer
    from assistant.retrieval import HybridRetriever
    from vectorstore.lexical import LexicalIndex

    lexical = LexicalIndex(store.iter_chunks())
    retriever = HybridRetriever(store, lexical, settings.candidates)
    answerer = ExtractiveAnswerer(
        store.embedder,
        lexical,
        min_evidence=settings.min_evidence,
        max_sentences=settings.max_sentences,
    )
    return Engine(retriever, answerer, settings.top_k)
