"""The embedder's GPU path, checked on the CPU: same vectors as ``encode``."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore.embedder import SentenceTransformerEmbedder, resolve_device
from vectorstore.errors import StoreError


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
