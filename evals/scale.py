"""Big stores, built cheaply, and what answering costs in them (for ``evals.bench``).

Embedding 100,000 chunks for real takes about an hour on 2 CPU cores, so the stores here
are built honestly but cheaply: the archive is synthetic (``evals.synthetic``), read,
cleaned, chunked and written by the real ``ingest.sync`` into a real Chroma store, but
only the first ``sample`` chunks are embedded by the model; every later chunk gets the
vector of one of those (picked by a hash of its text) plus a little noise, renormalised.
So the store's size, the HNSW graph's shape, the metadata and the BM25 vocabulary are
those of a real store; the dense ranking of the later chunks is meaningless, which a
latency benchmark does not need. Queries are embedded by the real model.

Stores are cached under the bench cache folder, keyed by size and seed: a rerun reuses
them (``built.json`` marks a finished build).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.build import make_chunker, make_engine, open_store
from assistant.settings import Settings
from evals.synthetic import CITIES, FIRST, LAST, MONTHS, SUBJECTS, write_archive
from ingest.sync import sync
from vectorstore.embedder import Embedder, SentenceTransformerEmbedder, Vectors
from vectorstore.records import Chunk

# Chunks per synthetic release, measured on seed 0 (1,034 releases: 1,765 chunks).
CHUNKS_PER_RELEASE = 1.7
NOISE_NORM = 0.3  # the noise vector's expected length: cosine ~0.96 to its sample vector


class SampledEmbedder:
    """The real model for the first ``sample`` documents and for queries; after that,
    a sampled vector plus noise (see the module doc). Same name and dimension as the
    model, so the engine opens the store with the real embedder."""

    def __init__(self, inner: Embedder, sample: int, seed: int = 0) -> None:
        self.inner = inner
        self.sample = sample
        self.real: list[Vectors] = []
        self._rng = np.random.default_rng(seed)
        self._sigma = NOISE_NORM / np.sqrt(inner.dimension)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def tokenize(self, text: str) -> list[int]:
        return self.inner.tokenize(text)

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        done = sum(len(v) for v in self.real)
        real = list(texts[: max(0, self.sample - done)])
        rows: list[Vectors] = []
        if real:
            vectors = self.inner.embed_documents(real)
            self.real.append(vectors)
            rows.append(vectors)
        rest = texts[len(real) :]
        if rest:
            base = np.concatenate(self.real)
            picks = [zlib.crc32(t.encode()) % len(base) for t in rest]
            noisy = base[picks] + self._rng.normal(0, self._sigma, (len(rest), self.dimension))
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            rows.append(noisy.astype(np.float32))
        return np.concatenate(rows).astype(np.float32)

    def embed_query(self, text: str) -> Vectors:
        return self.inner.embed_query(text)


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def build_store(
    cache: Path, chunks: int, seed: int, sample: int, embedder: SentenceTransformerEmbedder
) -> dict[str, Any]:
    """The cached store of about ``chunks`` chunks, built first if need be; its facts."""
    folder = cache / f"store-{chunks}-s{seed}"
    marker = folder / "built.json"
    if marker.exists():
        return dict(json.loads(marker.read_text()), folder=str(folder), cached=True)
    if folder.exists():
        shutil.rmtree(folder)  # an interrupted build
    archive = cache / f"archive-{chunks}-s{seed}"
    if archive.exists():
        shutil.rmtree(archive)
    releases = max(1, round(chunks / CHUNKS_PER_RELEASE))
    began = time.perf_counter()
    write_archive(archive, releases, seed)
    settings = Settings.from_env({}, store=folder / "chroma")
    sampled = SampledEmbedder(embedder, sample, seed)
    store = open_store(settings, sampled)
    report = sync([archive], store, make_chunker(settings, embedder), batch_chunks=2000)
    facts = {
        "chunks": store.count(),
        "releases": releases,
        "seed": seed,
        "real_vectors": min(sample, store.count()),
        "synthetic_vectors": max(0, store.count() - sample),
        "build_s": round(time.perf_counter() - began, 1),
        "ingest_s": round(report.seconds, 1),
        "store_mib": round(disk_mib(folder / "chroma"), 1),
    }
    facts["store_mib_per_1000_chunks"] = round(1000 * facts["store_mib"] / facts["chunks"], 2)
    shutil.rmtree(archive)
    marker.write_text(json.dumps(facts))
    return dict(facts, folder=str(folder), cached=False)


REPLICATE_ABOVE = 20_000  # bigger stores are copies of a built one (see replicate_store)


def _shifted(chunk: Chunk, copy: int) -> Chunk:
    """Chunk ``chunk`` of copy number ``copy``: another release id, a date ``copy`` years
    and ``copy`` weeks later, and its figures (numbers under 1,000) changed."""
    import dataclasses
    import datetime as dt
    import re

    text = re.sub(
        r"\b\d{1,3}\b", lambda m: str((int(m.group()) * (copy + 3) + copy) % 997), chunk.text
    )
    published = chunk.published
    if published is not None:
        published = published.replace(year=published.year + copy, day=min(published.day, 28))
        published += dt.timedelta(weeks=copy)
    release_id = f"copy{copy:02d}/{chunk.release_id}"
    return dataclasses.replace(
        chunk,
        chunk_id=f"{release_id}#{chunk.index:04d}",
        release_id=release_id,
        text=text,
        end=chunk.start + len(text),
        published=published,
        source_path=f"copy{copy:02d}/{chunk.source_path}",
        content_hash=f"{chunk.content_hash}-{copy}",
        body_hash=f"{chunk.body_hash}-{copy}",
    )


def replicate_store(
    cache: Path, chunks: int, seed: int, base: dict[str, Any], embedder: Embedder
) -> dict[str, Any]:
    """A store of ``chunks`` chunks made of copies of the built store ``base``.

    Building 100,000 chunks through ingest took over an hour on the loaded 2-core machine
    (reading and chunking ~59,000 files), so a big store is the base store's chunks
    written again under other release ids, with dates moved by whole years and figures
    changed (see :func:`_shifted`), and their vectors plus fresh noise. The vocabulary of
    the synthetic archive is that of its templates, so BM25 sees what a bigger synthetic
    archive would give; chunks, metadata and vectors are written by ``ChunkStore``.
    """
    folder = cache / f"store-{chunks}-s{seed}"
    marker = folder / "built.json"
    if marker.exists():
        return dict(json.loads(marker.read_text()), folder=str(folder), cached=True)
    if folder.exists():
        shutil.rmtree(folder)
    began = time.perf_counter()
    source = open_store(Settings.from_env({}, store=Path(base["folder"]) / "chroma"), embedder)
    originals = list(source.iter_chunks())
    vectors = source.stored_vectors([c.chunk_id for c in originals])
    target = open_store(Settings.from_env({}, store=folder / "chroma"), embedder)
    rng = np.random.default_rng(seed)
    sigma = NOISE_NORM / np.sqrt(embedder.dimension) / 2
    copy = 0
    while target.count() < chunks:
        want = chunks - target.count()
        part = originals[:want]
        copied = [_shifted(c, copy) if copy else c for c in part]
        rows = np.stack([vectors[c.chunk_id] for c in part])
        if copy:
            noisy = rows + rng.normal(0, sigma, rows.shape)
            rows = (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)
        by_release: dict[str, list[Chunk]] = {}
        for chunk in copied:
            by_release.setdefault(chunk.release_id, []).append(chunk)
        order = [c for group in by_release.values() for c in group]
        index = {c.chunk_id: i for i, c in enumerate(copied)}
        target.replace_releases(
            list(by_release.items()),
            rows[[index[c.chunk_id] for c in order]].astype(np.float32),
        )
        copy += 1
    facts = {
        "chunks": target.count(),
        "releases": len({c.release_id for c in target.iter_chunks()}),
        "seed": seed,
        "copies_of": base["folder"],
        "real_vectors": base["real_vectors"],
        "synthetic_vectors": target.count() - base["real_vectors"],
        "build_s": round(time.perf_counter() - began, 1),
        "store_mib": round(disk_mib(folder / "chroma"), 1),
    }
    facts["store_mib_per_1000_chunks"] = round(1000 * facts["store_mib"] / facts["chunks"], 2)
    marker.write_text(json.dumps(facts))
    return dict(facts, folder=str(folder), cached=False)


def store_of(
    cache: Path, chunks: int, seed: int, sample: int, embedder: SentenceTransformerEmbedder
) -> dict[str, Any]:
    """The cached store of about ``chunks`` chunks: built by ingest up to
    ``REPLICATE_ABOVE`` chunks, made of copies of the 10,000-chunk store above that."""
    if chunks <= REPLICATE_ABOVE:
        return build_store(cache, chunks, seed, sample, embedder)
    base = build_store(cache, 10_000, seed, sample, embedder)
    return replicate_store(cache, chunks, seed, base, embedder)


def questions(count: int, seed: int) -> list[str]:
    """Press questions of the kinds users ask: subject, place, person, month, reference."""
    import random

    rng = random.Random(seed + 1000)
    forms = (
        "What did the Commission decide about {what}?",
        "What was announced in {city} about {topic}?",
        "What did {person} say about {topic}?",
        "What happened with {topic} in {month} {year}?",
        "What was decided under reference {year}/{ref:05d}?",
        "What was the {topic} index in the third quarter of {year}?",
        "How many {things} reported an improvement in {month} {year}?",
        "What is the budget for {what}?",
    )
    asked: list[str] = []
    for i in range(count):
        what, topic, things = rng.choice(SUBJECTS)
        asked.append(
            forms[i % len(forms)].format(
                what=what,
                topic=topic,
                things=things,
                city=rng.choice(CITIES),
                person=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                month=rng.choice(MONTHS),
                year=rng.randint(2015, 2025),
                ref=rng.randint(0, 999),
            )
        )
    return asked


def percentiles(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def measure_answering(
    settings: Settings, embedder: Embedder, asked: Sequence[str], top_k: int = 5
) -> dict[str, Any]:
    """Engine start (with the BM25 index), retrieval and extractive answer latencies.

    Retrieval is the engine's own path (``HybridRetriever.retrieve``: query embedding,
    dense search, BM25, embedding of the candidates only one retriever found, fusion),
    timed per question after two warm-up questions; the answer is ``Engine.ask``'s own
    ``answer`` timing (evidence gate, extractive answer, claim check), and
    ``extractive_ask`` the whole ``Engine.ask`` as a caller waits for it (question
    analysis, retrieval and the answer).
    """
    began = time.perf_counter()
    store = open_store(settings, embedder)
    engine = make_engine(settings, store)
    start_s = time.perf_counter() - began
    for question in ("warm-up about rivers", "warm-up about ports"):
        engine.ask(question)
    retriever = engine.retriever
    parts: dict[str, list[float]] = {"query_embedding": [], "dense_search": [], "bm25": []}
    for question in asked:  # where retrieval's time goes, part by part
        t0 = time.perf_counter()
        vector = retriever.embedder.embed_query(question)
        t1 = time.perf_counter()
        retriever.store.search(vector, retriever.candidates, known=retriever.lexical.by_id)
        t2 = time.perf_counter()
        retriever.lexical.search(question, retriever.candidates)
        t3 = time.perf_counter()
        for name, took in zip(parts, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            parts[name].append(took * 1000)
    retrieve_ms: list[float] = []
    answer_ms: list[float] = []
    for question in asked:
        t0 = time.perf_counter()
        retriever.retrieve(question, top_k)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
    ask_ms: list[float] = []
    for question in asked:
        t0 = time.perf_counter()
        answer = engine.ask(question)
        ask_ms.append((time.perf_counter() - t0) * 1000)
        answer_ms.append(answer.timings_ms["answer"])
    return {
        "engine_start_s": round(start_s, 2),
        "retrieval": percentiles(retrieve_ms),
        "retrieval_parts": {name: percentiles(values) for name, values in parts.items()},
        "extractive_answer": percentiles(answer_ms),
        "extractive_ask": percentiles(ask_ms),
        "questions": len(asked),
    }


def start_chroma(path: Path, port: int) -> tuple[subprocess.Popen[bytes], str]:
    """`chroma run` over an existing store folder; ``(process, url)`` once it answers."""
    import httpx

    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    process = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"chroma run over {path} did not start")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure_serve(
    store_args: Sequence[str],
    asked: Sequence[str],
    timeout: float = 600,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`pressroom serve` as a user starts it: seconds from process start until
    ``/api/health`` answers, then answers over HTTP, then its peak RSS (VmHWM).

    Whatever the engine does at start (build BM25 from the store, or load a persisted
    index) is inside the measured time.
    """
    import httpx

    port = free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), *store_args]
    environment = {**os.environ, **(env or {})}  # the command keeps the hub offline itself
    began = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                error = process.stderr.read() if process.stderr else ""
                raise RuntimeError(f"pressroom serve exited: {error[-2000:]}")
            if time.perf_counter() - began > timeout:
                raise RuntimeError(f"pressroom serve did not answer in {timeout:.0f} s")
            try:
                health = httpx.get(f"{url}/api/health", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        start_s = time.perf_counter() - began
        rss_ready = _rss_mib(process.pid, "VmRSS")
        ask_ms: list[float] = []
        for question in asked:
            t0 = time.perf_counter()
            response = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=120)
            response.raise_for_status()
            ask_ms.append((time.perf_counter() - t0) * 1000)
        return {
            "startup_s": round(start_s, 2),
            "chunks": health.json().get("chunks"),
            "rss_mib_ready": rss_ready,
            "peak_rss_mib": _rss_mib(process.pid, "VmHWM"),
            "http_ask": percentiles(ask_ms),
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _rss_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0
