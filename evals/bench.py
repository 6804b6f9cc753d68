"""How fast ingestion is, next to the encoder alone and to LlamaIndex, in one run.

    python -m evals.bench ingest [--releases N] [--archive DIR] [--skip-llamaindex]

Three ways through the same chunk texts, with the same model weights on the same CPU:

1. Pressroom: `ingest.sync` end to end (read, clean, chunk, embed, write) from files into
   a fresh persistent Chroma store; throughput is chunks written per second.
2. The bar: one ``SentenceTransformer.encode`` call on every chunk text Pressroom embedded
   (the model sorts all texts by length, so padding costs least).
3. LlamaIndex: an ``IngestionPipeline`` of ``SentenceSplitter`` (the model's tokenizer, so
   each chunk stays one node) and ``HuggingFaceEmbedding`` (the bundled model folder,
   batch 32 like ours) into ``ChromaVectorStore``, fed the same chunk texts.

Then a re-sync of the unchanged archive, and the process's peak RSS right after step 1.
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


def bench_ingest(
    archive: Path | None, releases: int, seed: int, work: Path, *, llamaindex: bool
) -> dict[str, Any]:
    if archive is None:
        archive = work / "archive"
        write_archive(archive, releases, seed)
    embedder = SentenceTransformerEmbedder()
    embedder.embed_documents(["A warm-up sentence for the encoder."] * 16)
    settings = Settings.from_env({}, store=work / "pressroom")
    store = open_store(settings, embedder)
    chunker = make_chunker(settings, embedder)

    began = time.perf_counter()
    first = sync([archive], store, chunker)
    ingest_s = time.perf_counter() - began
    rss_after_ingest = peak_rss_mb()
    chunks = sorted(store.iter_chunks(), key=lambda c: c.chunk_id)
    texts = [chunk.indexed_text for chunk in chunks]

    began = time.perf_counter()
    embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
    raw_s = time.perf_counter() - began

    llama: dict[str, Any] = {}
    if llamaindex:
        llama = _llamaindex(texts, embedder, work / "llamaindex")

    began = time.perf_counter()
    again = sync([archive], store, chunker)
    resync_s = time.perf_counter() - began

    n = len(texts)
    result: dict[str, Any] = {
        "archive": str(archive),
        "releases": len(first.added) + len(first.duplicates),
        "failed": len(first.failed),
        "chunks": n,
        "mean_chunk_tokens": round(sum(len(embedder.tokenize(t)) for t in texts) / max(n, 1), 1),
        "cpu_threads": _threads(),
        "pressroom_s": round(ingest_s, 2),
        "pressroom_chunks_per_s": round(n / ingest_s, 2),
        "raw_encode_s": round(raw_s, 2),
        "raw_encode_chunks_per_s": round(n / raw_s, 2),
        "ingest_vs_raw_encode": round(raw_s / ingest_s, 3),
        "resync_s": round(resync_s, 2),
        "resync_unchanged": len(again.unchanged),
        "resync_share": round(resync_s / ingest_s, 4),
        "peak_rss_mb_after_ingest": round(rss_after_ingest, 1),
        "peak_rss_mb_end": round(peak_rss_mb(), 1),
    }
    result.update(llama)
    if "llamaindex_s" in llama:
        result["ingest_vs_llamaindex"] = round(llama["llamaindex_s"] / ingest_s, 3)
    result["targets"] = TARGETS
    return result


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
    began = time.perf_counter()
    nodes = pipeline.run(documents=documents)
    seconds = time.perf_counter() - began
    return {
        "llamaindex_s": round(seconds, 2),
        "llamaindex_nodes": len(nodes),
        "llamaindex_chunks_per_s": round(len(nodes) / seconds, 2),
    }


def _threads() -> int:
    try:
        import torch

        return int(torch.get_num_threads())
    except ImportError:
        return os.cpu_count() or 1


def table(result: dict[str, Any]) -> str:
    n = result["chunks"]
    rows = [
        ("Pressroom ingest (end to end)", result["pressroom_s"], result["pressroom_chunks_per_s"]),
        (
            "one SentenceTransformer.encode",
            result["raw_encode_s"],
            result["raw_encode_chunks_per_s"],
        ),
    ]
    if "llamaindex_s" in result:
        rows.append(
            (
                "LlamaIndex IngestionPipeline",
                result["llamaindex_s"],
                result["llamaindex_chunks_per_s"],
            )
        )
    rows.append(("re-sync, nothing changed", result["resync_s"], None))
    lines = [
        f"{result['releases']} releases, {n} chunks (mean {result['mean_chunk_tokens']} word "
        f"pieces), {result['cpu_threads']} CPU threads",
        f"{'':34}{'seconds':>9}{'chunks/s':>10}",
    ]
    for label, seconds, rate in rows:
        lines.append(f"{label:34}{seconds:>9.1f}{'' if rate is None else f'{rate:>10.1f}'}")
    lines.append(
        f"ingest / raw encode speed {result['ingest_vs_raw_encode']:.2f} (target >= 0.85); "
        f"re-sync {100 * result['resync_share']:.1f}% of first ingest (target <= 5%)"
    )
    if "ingest_vs_llamaindex" in result:
        lines.append(f"ingest / LlamaIndex speed {result['ingest_vs_llamaindex']:.2f} (target > 1)")
    lines.append(f"peak RSS after ingest {result['peak_rss_mb_after_ingest']:.0f} MB")
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
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as work:
        result = bench_ingest(
            args.archive, args.releases, args.seed, Path(work), llamaindex=not args.skip_llamaindex
        )
    print(json.dumps(result))
    print(table(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
