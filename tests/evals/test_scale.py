"""The cheap big-store builder: real vectors for a sample, noisy copies after it."""

from __future__ import annotations

import numpy as np

from evals.scale import SampledEmbedder, percentiles, questions
from vectorstore.embedder import Embedder


def test_sampled_vectors_are_real_then_noisy_copies(embedder: Embedder) -> None:
    sampled = SampledEmbedder(embedder, sample=3, seed=1)
    texts = [f"The Commission met in city number {i}." for i in range(8)]
    first = sampled.embed_documents(texts[:2])
    rest = sampled.embed_documents(texts[2:])
    real = embedder.embed_documents(texts[:3])
    np.testing.assert_allclose(first, real[:2], atol=1e-5)
    np.testing.assert_allclose(rest[0], real[2], atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(rest, axis=1), 1.0, atol=1e-5)
    nearest = (rest[1:] @ real.T).max(axis=1)
    assert ((nearest > 0.9) & (nearest < 0.999)).all()
    assert sampled.name == embedder.name and sampled.dimension == embedder.dimension
    np.testing.assert_allclose(sampled.embed_query("eels"), embedder.embed_query("eels"))


def test_questions_are_deterministic_and_varied() -> None:
    asked = questions(16, seed=0)
    assert asked == questions(16, seed=0) and len(set(asked)) == 16
    assert any("reference" in q for q in asked) and any("quarter" in q for q in asked)


def test_percentiles() -> None:
    assert percentiles([float(v) for v in range(1, 101)]) == {
        "p50_ms": 50.5,
        "p95_ms": 95.0,
        "max_ms": 100.0,
    }
