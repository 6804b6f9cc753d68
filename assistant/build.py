"""The composition root: wiring the parts together from settings, the one place that
constructs them. The CLI (assistant/cli.py), the evals and the benchmarks call it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings
from vectorstore.embedder import Embedder, open_embedder
from vectorstore.lock import LeaseLock, StoreLock
from vectorstore.store import ChunkStore, auth_headers, drop_collection, open_client

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager
    from pathlib import Path

    from assistant.answering.claims import ClaimChecker
    from assistant.answering.engine import Engine
    from assistant.answering.generative import LLMAnswerer
    from assistant.answering.tuning import Tuning
    from ingest.chunking import Chunker
    from ingest.report import SyncReport
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


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedding model (the bundled one unless PRESSROOM_EMBED_MODEL), on
    ONNX Runtime or PyTorch as PRESSROOM_EMBED_BACKEND and the device say."""
    return open_embedder(
        settings.embed_model,
        backend=settings.embed_backend,
        device=settings.device,
        int8=settings.embed_int8,
        cache_dir=settings.onnx_cache,
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
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


def ingest_paths(
    settings: Settings,
    paths: Sequence[Path],
    *,
    prune: bool = True,
    rebuild: bool = False,
    store: ChunkStore | None = None,
    metadata: Path | None = None,
    lock: AbstractContextManager[object] | None = None,
) -> SyncReport:
    """Sync ``paths`` into the store under the writer lock, with progress on stderr
    (`pressroom ingest`, and `pressroom serve --demo` on an empty store); ``metadata``
    is a file of metadata overrides (see docs/metadata.md); ``lock`` replaces the writer
    lock (a serving process already holds its embedded store)."""
    import sys

    from assistant.progress import ProgressDisplay
    from ingest.formats.records import parse_fields
    from ingest.sync import sync

    with lock if lock is not None else writer_lock(settings):
        if store is None or rebuild:
            store = open_store(settings, store.embedder if store else None, rebuild=rebuild)
        display = ProgressDisplay(sys.stderr)
        try:
            return sync(
                paths,
                store,
                make_chunker(settings, store.embedder),
                display,
                prune=prune,
                max_bytes=settings.max_file_bytes,
                batch_chunks=settings.embed_batch,
                lexical_dir=settings.lexical_folder,
                fields=parse_fields(settings.feed_fields),
                metadata=metadata,
            )
        finally:
            display.close()


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
