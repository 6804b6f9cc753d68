"""Wiring the parts together from settings: the one place that constructs them."""

from __future__ import annotations

from assistant.claims import ClaimChecker
from assistant.engine import Engine
from assistant.extractive import ExtractiveAnswerer
from assistant.generative import LLMAnswerer
from assistant.llm import make_llm
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings
from ingest.chunking import Chunker
from vectorstore.embedder import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from vectorstore.lexical import LexicalIndex
from vectorstore.store import ChunkStore, open_client


def open_store(settings: Settings, embedder: Embedder | None = None) -> ChunkStore:
    client = open_client(settings.store, settings.chroma_url)
    return ChunkStore(client, settings.collection, embedder or SentenceTransformerEmbedder())


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    return Chunker(embedder, settings.chunk_tokens, settings.chunk_overlap)


def make_engine(settings: Settings, store: ChunkStore) -> Engine:
    """An engine over ``store``. The BM25 index is built from the store's chunks here.

    Retrieval, the answerer and the claim check share one embedding cache: a chunk the
    dense search missed, or a passage sentence, is embedded once, not once per question.
    """
    lexical = LexicalIndex(store.iter_chunks())
    embedder = CachedEmbedder(store.embedder)
    retriever = HybridRetriever(store, lexical, settings.candidates, embedder=embedder)
    answerer = ExtractiveAnswerer(
        embedder,
        lexical,
        min_coverage=settings.min_coverage,
        min_similarity=settings.min_similarity,
        max_sentences=settings.max_sentences,
    )
    checker = make_checker(settings, embedder, lexical)
    return Engine(retriever, answerer, settings.top_k, checker, make_writer(settings))


def make_checker(settings: Settings, embedder: Embedder, lexical: LexicalIndex) -> ClaimChecker:
    return ClaimChecker(
        embedder,
        lexical,
        min_overlap=settings.claim_min_overlap,
        min_similarity=settings.claim_min_similarity,
        unsupported=settings.unsupported,
    )


def make_writer(settings: Settings) -> LLMAnswerer | None:
    """The LLM answerer when an LLM is configured, else None (extractive answers)."""
    llm = make_llm(settings)
    if llm is None:
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
    return LLMAnswerer(
        llm,
        label=f"{settings.llm_backend}:{settings.llm_model}",
        max_sentences=settings.max_sentences,
        redact=[key],
    )
