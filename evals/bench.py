"""How fast ingestion is, next to the encoder alone and to LlamaIndex, in one run.

    python -m evals.bench ingest [--releases N] [--archive DIR] [--skip-llamaindex]
                                 [--ingest-only]

Three ways through the same chunk texts, with the same model weights on the same CPU:

1. Pressroom: `ingest.sync` end to end (read, clean, chunk, embed, write) from files into
   a fresh persistent Chroma store; throughput is chunks written per second.
2. The bar: one ``SentenceTransformer.encode`` call on every chunk text Pressroom embedded
   (the model sorts all texts by length, so padding costs least).
3. LlamaIndex: an ``IngestionPipeline`` of ``SentenceSplitter`` (the model's tokenizer, so
   each chunk stays one node) and ``HuggingFaceEmbedding`` (the bundled model folder,
   batch 32 like ours) into ``ChromaVectorStore``, fed the same chunk texts.

Before them, an untimed pass encodes the same chunk texts once: the first encode of a
run is about 10% slower (allocations, kernels for new shapes), and whichever step came
first would pay for it. Then a re-sync of the unchanged archive, and the process's peak
RSS right after step 1.
Each step is timed by the wall clock and by the CPU time of this process (all threads):
on a machine shared with other work the CPU-time ratios are the steadier ones.
Prints one JSON object on stdout and a small table on stderr. Needs the ``bench`` extra
for step 3. Not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.build import make_chunker, open_store
from assistant.settings import Settings
from evals.synthetic import write_archive
from ingest.chunking import Chunker
from ingest.errors import IngestError
from ingest.readers import discover, read_file
from ingest.sync import sync
from vectorstore.embedder import SentenceTransformerEmbedder, bundled_model_path
from vectorstore.store import open_client

TARGETS = {
    "ingest_vs_raw_encode": 0.85,
    "ingest_vs_llamaindex": 1.0,
    "resync_share": 0.05,
    "peak_rss_mb_5000_releases": 1536,
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Timer:
    """Wall-clock and CPU seconds of the block it wraps."""

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def bench_ingest(
    archive: Path | None,
    releases: int,
    seed: int,
    work: Path,
    *,
    raw_encode: bool = True,
    llamaindex: bool = True,
) -> dict[str, Any]:
    if archive is None:
        archive = work / "archive"
        write_archive(archive, releases, seed)
    embedder = SentenceTransformerEmbedder()
    settings = Settings.from_env({}, store=work / "pressroom")
    store = open_store(settings, embedder)
    chunker = make_chunker(settings, embedder)
    if raw_encode or llamaindex:
        embedder.model.encode(_chunk_texts(archive, chunker), batch_size=32)

    with Timer() as ingest:
        first = sync([archive], store, chunker)
    rss_after_ingest = peak_rss_mb()
    chunks = sorted(store.iter_chunks(), key=lambda c: c.chunk_id)
    texts = [chunk.indexed_text for chunk in chunks]

    raw: Timer | None = None
    if raw_encode:
        with Timer() as raw:
            embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)

    llama: dict[str, Any] = {}
    if llamaindex:
        llama = _llamaindex(texts, embedder, work / "llamaindex")

    with Timer() as resync:
        again = sync([archive], store, chunker)

    n = len(texts)
    result: dict[str, Any] = {
        "archive": str(archive),
        "releases": len(first.added) + len(first.duplicates),
        "failed": len(first.failed),
        "chunks": n,
        "mean_chunk_tokens": round(sum(len(embedder.tokenize(t)) for t in texts) / max(n, 1), 1),
        "cpu_threads": _threads(),
        "pressroom_s": round(ingest.wall, 2),
        "pressroom_cpu_s": round(ingest.cpu, 2),
        "pressroom_chunks_per_s": round(n / ingest.wall, 2),
        "resync_s": round(resync.wall, 2),
        "resync_unchanged": len(again.unchanged),
        "resync_share": round(resync.wall / ingest.wall, 4),
        "peak_rss_mb_after_ingest": round(rss_after_ingest, 1),
        "peak_rss_mb_end": round(peak_rss_mb(), 1),
    }
    if raw is not None:
        result["raw_encode_s"] = round(raw.wall, 2)
        result["raw_encode_cpu_s"] = round(raw.cpu, 2)
        result["raw_encode_chunks_per_s"] = round(n / raw.wall, 2)
        result["ingest_vs_raw_encode"] = round(raw.wall / ingest.wall, 3)
        result["ingest_vs_raw_encode_cpu"] = round(raw.cpu / ingest.cpu, 3)
    result.update(llama)
    if "llamaindex_s" in llama:
        result["ingest_vs_llamaindex"] = round(llama["llamaindex_s"] / ingest.wall, 3)
        result["ingest_vs_llamaindex_cpu"] = round(llama["llamaindex_cpu_s"] / ingest.cpu, 3)
    result["targets"] = TARGETS
    return result


def _chunk_texts(archive: Path, chunker: Chunker) -> list[str]:
    texts: list[str] = []
    for path, root in discover([archive]).files:
        try:
            releases = read_file(path, root).releases
        except IngestError:
            continue
        texts += [chunk.indexed_text for r in releases for chunk in chunker.chunk(r)]
    return texts


def _llamaindex(texts: Sequence[str], embedder: Any, folder: Path) -> dict[str, Any]:
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    collection = open_client(folder).get_or_create_collection(
        "llamaindex", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    model = HuggingFaceEmbedding(
        model_name=str(bundled_model_path()), device="cpu", embed_batch_size=32
    )
    model.get_text_embedding_batch(["A warm-up sentence for the encoder."] * 16)
    pipeline = IngestionPipeline(
        transformations=[
            SentenceSplitter(
                chunk_size=embedder.max_tokens,
                chunk_overlap=0,
                tokenizer=embedder.tokenize,
                include_metadata=False,
            ),
            model,
        ],
        vector_store=ChromaVectorStore(chroma_collection=collection),
    )
    documents = [Document(text=text) for text in texts]
    with Timer() as run:
        nodes = pipeline.run(documents=documents)
    return {
        "llamaindex_s": round(run.wall, 2),
        "llamaindex_cpu_s": round(run.cpu, 2),
        "llamaindex_nodes": len(nodes),
        "llamaindex_chunks_per_s": round(len(nodes) / run.wall, 2),
    }


def _threads() -> int:
    try:
        import torch

        return int(torch.get_num_threads())
    except ImportError:
        return os.cpu_count() or 1


def table(result: dict[str, Any]) -> str:
    rows = [
        ("Pressroom ingest (end to end)", "pressroom"),
        ("one SentenceTransformer.encode", "raw_encode"),
        ("LlamaIndex IngestionPipeline", "llamaindex"),
    ]
    lines = [
        f"{result['releases']} releases, {result['chunks']} chunks (mean "
        f"{result['mean_chunk_tokens']} word pieces), {result['cpu_threads']} CPU threads",
        f"{'':32}{'wall s':>9}{'CPU s':>9}{'chunks/s':>10}",
    ]
    for label, key in rows:
        if key + "_s" not in result:
            continue
        lines.append(
            f"{label:32}{result[key + '_s']:>9.1f}{result[key + '_cpu_s']:>9.1f}"
            f"{result[key + '_chunks_per_s']:>10.1f}"
        )
    lines.append(f"{'re-sync, nothing changed':32}{result['resync_s']:>9.1f}")
    if "ingest_vs_raw_encode" in result:
        lines.append(
            f"ingest speed / raw encode: {result['ingest_vs_raw_encode']:.2f} wall, "
            f"{result['ingest_vs_raw_encode_cpu']:.2f} CPU (target >= 0.85)"
        )
    if "ingest_vs_llamaindex" in result:
        lines.append(
            f"ingest speed / LlamaIndex: {result['ingest_vs_llamaindex']:.2f} wall, "
            f"{result['ingest_vs_llamaindex_cpu']:.2f} CPU (target > 1)"
        )
    lines.append(
        f"re-sync: {100 * result['resync_share']:.1f}% of the first ingest (target <= 5%); "
        f"peak RSS after ingest {result['peak_rss_mb_after_ingest']:.0f} MB"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.bench", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="ingest throughput, re-sync time, peak RSS")
    ingest.add_argument("--releases", type=int, default=300, help="synthetic releases (300)")
    ingest.add_argument("--seed", type=int, default=0, help="seed of the synthetic archive")
    ingest.add_argument(
        "--archive", type=Path, help="ingest this folder instead (e.g. ../shared/data/fomc)"
    )
    ingest.add_argument("--skip-llamaindex", action="store_true", help="leave out step 3")
    ingest.add_argument(
        "--ingest-only", action="store_true", help="leave out steps 2 and 3 (for big archives)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as work:
        result = bench_ingest(
            args.archive,
            args.releases,
            args.seed,
            Path(work),
            raw_encode=not args.ingest_only,
            llamaindex=not (args.skip_llamaindex or args.ingest_only),
        )
    print(json.dumps(result))
    print(table(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
