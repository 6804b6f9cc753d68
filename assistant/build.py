"""Wiring the parts together from settings: the one place that constructs them."""

from __future__ import annotations

from assistant.engine import Engine
from assistant.extractive import ExtractiveAnswerer
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings
from ingest.chunking import Chunker
from vectorstore.embedder import Embedder, SentenceTransformerEmbedder
from vectorstore.lexical import LexicalIndex
from vectorstore.store import ChunkStore, open_client


def open_store(settings: Settings, embedder: Embedder | None = None) -> ChunkStore:
    client = open_client(settings.store, settings.chroma_url)
    return ChunkStore(client, settings.collection, embedder or SentenceTransformerEmbedder())


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    return Chunker(embedder, settings.chunk_tokens, settings.chunk_overlap)


def make_engine(settings: Settings, store: ChunkStore) -> Engine:
    """An engine over ``store``. The BM25 index is built from the store's chunks here."""
    lexical = LexicalIndex(store.iter_chunks())
    retriever = HybridRetriever(store, lexical, settings.candidates)
    answerer = ExtractiveAnswerer(
        store.embedder,
        lexical,
        min_evidence=settings.min_evidence,
        max_sentences=settings.max_sentences,
    )
    return Engine(retriever, answerer, settings.top_k)
