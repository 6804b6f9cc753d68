"""Wiring the parts together from settings: the one place that constructs them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings
from vectorstore.embedder import Embedder, SentenceTransformerEmbedder
from vectorstore.lock import LeaseLock, StoreLock
from vectorstore.store import ChunkStore, auth_headers, drop_collection, open_client

if TYPE_CHECKING:
    from assistant.answering.claims import ClaimChecker
    from assistant.answering.engine import Engine
    from assistant.answering.generative import LLMAnswerer
    from assistant.answering.tuning import Tuning
    from ingest.chunking import Chunker
    from vectorstore.lexical import LexicalIndex
    from vectorstore.reranker import Reranker


def open_store(
    settings: Settings, embedder: Embedder | None = None, *, rebuild: bool = False
) -> ChunkStore:
    """The store's collection; ``rebuild`` drops it first (after the model has loaded, so a
    model that fails to load leaves the old collection in place)."""
    client = open_client_for(settings)
    embedder = embedder or make_embedder(settings)
    if rebuild:
        drop_collection(client, settings.collection)
    return ChunkStore(client, settings.collection, embedder)


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The configured embedding model (the bundled one unless PRESSROOM_EMBED_MODEL)."""
    return SentenceTransformerEmbedder(
        settings.embed_model,
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
        device=settings.device,
    )


def open_client_for(settings: Settings) -> Any:
    """The Chroma client the settings name: a server (with its token) or the store folder."""
    token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
    return open_client(
        settings.store, settings.chroma_url, auth_headers(token, settings.chroma_auth_header)
    )


def writer_lock(settings: Settings) -> StoreLock | LeaseLock:
    """The lock an ingest holds while it writes (see `vectorstore.lock`)."""
    if settings.chroma_url:
        return LeaseLock(
            open_client_for(settings),
            settings.collection,
            f"collection {settings.collection!r} at {settings.chroma_url}",
        )
    return StoreLock(settings.store)


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    # Imported here: the chunker brings LlamaIndex's node parsers (~1.1 s to import),
    # which a serving process never needs.
    from ingest.chunking import Chunker

    return Chunker(embedder, settings.chunk_tokens, settings.chunk_overlap)


def make_engine(
    settings: Settings, store: ChunkStore, refresh_seconds: float | None = None
) -> Engine:
    """An engine over ``store``. The BM25 index is loaded from where ingestion saved it
    when it is current, else built from the store's chunks (and saved); with
    ``refresh_seconds`` the engine takes up a newer one when another process changed
    the store, checked at most that often.

    Retrieval, the answerer and the claim check share one embedding cache: a chunk the
    dense search missed, or a passage sentence, is embedded once, not once per question.
    The parts are imported here, not above: `pressroom ingest` needs none of them, and
    NLTK alone costs it seconds of start-up.
    """
    from assistant.answering.engine import Engine
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.answering.retrieval import HybridRetriever
    from vectorstore.embedder import CachedEmbedder
    from vectorstore.lexical_files import current_stamp, open_lexical

    tuning = load_tuning(settings)
    stamp = current_stamp(store)
    lexical = open_lexical(store, settings.lexical_folder)
    embedder = CachedEmbedder(store.embedder)
    retriever = HybridRetriever(
        store,
        lexical,
        settings.candidates,
        embedder=embedder,
        mode=settings.retrieval,
        reranker=make_reranker(settings),
        tuning=tuning,
    )
    answerer = ExtractiveAnswerer(
        embedder, lexical, tuning=tuning, max_sentences=settings.max_sentences
    )
    checker = make_checker(settings, embedder, lexical, tuning)
    writer = make_writer(settings)
    condenser = None
    if writer is not None and settings.condense == "llm":
        from assistant.answering.followup import LLMCondenser

        condenser = LLMCondenser(writer.llm, writer.label, tuning)
    return Engine(
        retriever,
        answerer,
        settings.top_k,
        checker,
        writer,
        date_filters=settings.date_filters,
        refresh_seconds=refresh_seconds,
        lexical_folder=settings.lexical_folder,
        lexical_stamp=stamp,
        condenser=condenser,
        tuning=tuning,
    )


def collection_tuning(settings: Settings) -> Path | None:
    """Where `pressroom tune` keeps the tuning fitted to this collection: beside its BM25
    index (None for a `chroma run` server without PRESSROOM_LEXICAL_DIR)."""
    folder = settings.lexical_folder
    return None if folder is None else folder.parent / f"{settings.collection}.tuning.toml"


def load_tuning(settings: Settings) -> Tuning:
    """The answering model's numbers: the file PRESSROOM_TUNING names, else the one
    `pressroom tune` fitted to this collection, else the shipped ones;
    PRESSROOM_MIN_EVIDENCE, when set, overrides the refusal threshold."""
    import dataclasses

    from assistant.answering.tuning import Tuning, shipped

    fitted = collection_tuning(settings)
    if settings.tuning:
        tuning = Tuning.load(settings.tuning)
    elif fitted is not None and fitted.is_file():
        tuning = Tuning.load(fitted)
    else:
        tuning = shipped()
    if settings.min_evidence is not None:
        tuning = dataclasses.replace(tuning, min_evidence=settings.min_evidence)
    return tuning


def make_reranker(settings: Settings) -> Reranker | None:
    if not settings.reranker:
        return None
    from vectorstore.reranker import CrossEncoderReranker

    return CrossEncoderReranker(settings.reranker)


def make_checker(
    settings: Settings, embedder: Embedder, lexical: LexicalIndex, tuning: Tuning | None = None
) -> ClaimChecker:
    from assistant.answering.claims import ClaimChecker

    return ClaimChecker(
        embedder,
        lexical,
        min_overlap=settings.claim_min_overlap,
        min_similarity=settings.claim_min_similarity,
        unsupported=settings.unsupported,
        tuning=tuning,
    )


def make_writer(settings: Settings) -> LLMAnswerer | None:
    """The LLM answerer when an LLM is configured, else None (extractive answers)."""
    from assistant.answering.generative import LLMAnswerer
    from assistant.llm import make_llm

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
