"""The embedding cache: each text is embedded once, results are the inner model's."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from vectorstore.embedder import CachedEmbedder, Vectors


class CountingEmbedder:
    """A hashed bag of words, counting the texts it is asked to embed."""

    name = "counting"
    dimension = 64
    max_tokens = 256

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def tokenize(self, text: str) -> list[int]:
        return [zlib.crc32(w.encode()) for w in text.split()]

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, zlib.crc32(word.encode()) % self.dimension] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed_query(self, text: str) -> Vectors:
        return self.embed_documents([text])[0]


def test_each_text_is_embedded_once() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner)
    first = cached.embed_documents(["eels are banned", "the fund paid", "eels are banned"])
    again = cached.embed_documents(["the fund paid", "a new one"])
    assert inner.embedded == ["eels are banned", "the fund paid", "a new one"]
    assert np.array_equal(first[1], again[0])
    assert np.array_equal(
        first,
        CountingEmbedder().embed_documents(["eels are banned", "the fund paid", "eels are banned"]),
    )
    assert cached.embed_documents([]).shape == (0, 64)
    assert (cached.name, cached.dimension, cached.max_tokens) == ("counting", 64, 256)


def test_the_cache_is_bounded() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, max_entries=2)
    cached.embed_documents(["a", "b"])
    cached.embed_documents(["a"])  # "a" is now the most recently used
    cached.embed_documents(["c"])  # evicts "b"
    cached.embed_documents(["a", "b"])
    assert inner.embedded == ["a", "b", "c", "b"]


def test_a_question_is_embedded_once_and_apart_from_an_equal_passage() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner)
    first = cached.embed_query("who banned eels")
    assert np.array_equal(cached.embed_query("who banned eels"), first)
    cached.embed_documents(["who banned eels"])  # a passage: its own entry
    assert inner.embedded == ["who banned eels", "who banned eels"]
