"""Shared fixtures: the real embedding model and a real store with the demo archive."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
DEMO_ARCHIVE = REPO / "evals" / "corpus"
DEMO_SUITE = REPO / "evals" / "datasets" / "demo.jsonl"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def embedder() -> object:
    from vectorstore.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, embedder: object) -> Iterator[Path]:
    """A persistent store holding the demo archive, ingested once per test session."""
    from assistant.build import make_chunker, open_store
    from assistant.settings import Settings
    from ingest.sync import sync

    folder = tmp_path_factory.mktemp("demo-store")
    settings = Settings.from_env({}, store=folder)
    store = open_store(settings, embedder)  # type: ignore[arg-type]
    report = sync([DEMO_ARCHIVE], store, make_chunker(settings, store.embedder))
    assert not report.failed, report.summary()
    yield folder


@pytest.fixture(scope="session")
def demo_engine(demo_store: Path, embedder: object) -> object:
    from assistant.build import make_engine, open_store
    from assistant.settings import Settings

    settings = Settings.from_env({}, store=demo_store)
    return make_engine(settings, open_store(settings, embedder))  # type: ignore[arg-type]
