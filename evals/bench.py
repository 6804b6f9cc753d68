"""How fast ingestion is, next to the encoder alone and to LlamaIndex, in one run;
how fast answering is in big stores, embedded and behind a Chroma server.

    python -m evals.bench ingest [--releases N] [--archive DIR] [--rounds R]
                                 [--skip-llamaindex] [--ingest-only] [--device D]
                                 [--backend auto|onnx|torch] [--int8]
    python -m evals.bench retrieval [--sizes 10000,100000] [--modes embedded,server]
    python -m evals.bench serve [--sizes 10000,100000]
    python -m evals.bench all [--sizes ...] [--releases N]

``retrieval`` and ``serve`` use big synthetic stores built cheaply and cached (see
``evals.scale``); ``all`` runs the three and prints one JSON object.

``ingest``:

Ways through the same chunk texts, with the same model weights on the same CPU:

1. Pressroom: `ingest.sync` end to end (read, clean, chunk, embed, write) from files into
   a fresh persistent Chroma store, with the encoder `pressroom ingest` uses
   (``--backend``, default auto: ONNX Runtime on a CPU); throughput is chunks written
   per second.
2. The bar: one ``SentenceTransformer.encode`` call (PyTorch) on every chunk text
   Pressroom embedded (the model sorts all texts by length, so padding costs least).
   When Pressroom's encoder is the ONNX one, a step times it alone on the same texts
   (``onnx_encode``), and ``--int8`` adds the int8-quantised one (``onnx_int8_encode``).
3. LlamaIndex: an ``IngestionPipeline`` of ``SentenceSplitter`` (the model's tokenizer, so
   each chunk stays one node) and ``HuggingFaceEmbedding`` (the bundled model folder,
   batch 32 like ours) into a fresh ``ChromaVectorStore``, fed the same chunk texts.

An untimed pass encodes the chunk texts first: the first encode of a process is about 10%
slower (allocations, kernels for new shapes), and whichever step came first would pay.
The three steps then run ``--rounds`` times, each round starting with the next step, and
each step's best round counts: other work on the machine only ever adds time, and the
rotation spreads it over all three. Steps are timed by the wall clock and by this
process's CPU time (all threads). Then a re-sync of the unchanged archive, and the peak
RSS right after the first Pressroom ingest. With ``--device`` the model runs there (fp16
on cuda) and a fourth step times ``encode_pipelined`` (tokenisation in a thread pool ahead
of the model, the GPU path) on the same texts.

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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.build import make_chunker, open_store
from assistant.settings import Settings
from evals.scale import (
    disk_mib,
    measure_answering,
    measure_serve,
    questions,
    start_chroma,
    store_of,
)
from evals.synthetic import write_archive
from ingest.chunking import Chunker
from ingest.errors import IngestError
from ingest.readers import discover, read_file
from ingest.sync import sync
from vectorstore.embedder import (
    Embedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    bundled_model_path,
    open_embedder,
)
from vectorstore.lexical_files import open_lexical
from vectorstore.store import ChunkStore, open_client

TARGETS = {
    "ingest_vs_raw_encode": 1.3,
    "ingest_vs_llamaindex": 1.0,
    "resync_share": 0.05,
    "peak_rss_mib_5000_releases": 1536,
}
STEPS = (
    "pressroom",
    "raw_encode",
    "onnx_encode",
    "onnx_int8_encode",
    "pipelined_encode",
    "llamaindex",
)
SCALE_TARGETS = {
    "retrieval_p95_ms_embedded_100k": 150,
    "server_vs_embedded_p95": 2.0,
    "serve_peak_rss_mib_100k": 2048,
    "serve_startup_s_100k": 15,
}
DEFAULT_CACHE = Path(".pressroom-bench")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Timer:
    """Wall-clock and CPU seconds of the block it wraps."""

    wall = cpu = 0.0

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
    rounds: int = 1,
    raw_encode: bool = True,
    llamaindex: bool = True,
    device: str | None = None,
    backend: str = "auto",
    int8: bool = False,
) -> dict[str, Any]:
    if archive is None:
        archive = work / "archive"
        write_archive(archive, releases, seed)
    torch_embedder = SentenceTransformerEmbedder(device=device or "cpu", pipelined=False)
    # What `pressroom ingest` encodes with: ONNX Runtime on a CPU unless told otherwise.
    embedder: Embedder = (
        torch_embedder
        if backend == "torch" or torch_embedder.device == "cuda"
        else open_embedder(backend=backend, device="cpu")
    )
    quantised = OnnxEmbedder(bundled_model_path(), int8=True) if int8 else None
    chunker = make_chunker(Settings.from_env({}), embedder)
    texts = _chunk_texts(archive, chunker)
    if raw_encode or llamaindex:
        torch_embedder.model.encode(texts, batch_size=32)
    for other in (embedder, quantised):
        if isinstance(other, OnnxEmbedder):
            other.embed_documents(texts)  # the untimed first pass, as for PyTorch

    stores: list[ChunkStore] = []
    observed: dict[str, Any] = {}

    def pressroom(round_: int) -> Timer:
        store = open_store(Settings.from_env({}, store=work / f"pressroom-{round_}"), embedder)
        with Timer() as timer:
            report = sync([archive], store, chunker)
        stores.append(store)
        observed.setdefault("rss", peak_rss_mib())
        observed.setdefault("report", report)
        return timer

    def raw(round_: int) -> Timer:
        with Timer() as timer:
            torch_embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
        return timer

    def encoder(which: Embedder) -> Callable[[int], Timer]:
        def run(round_: int) -> Timer:
            with Timer() as timer:
                which.embed_documents(texts)
            return timer

        return run

    def pipelined(round_: int) -> Timer:
        with Timer() as timer:
            torch_embedder.encode_pipelined(texts)
        return timer

    steps: dict[str, Callable[[int], Timer]] = {"pressroom": pressroom}
    if raw_encode:
        steps["raw_encode"] = raw
        if isinstance(embedder, OnnxEmbedder):
            steps["onnx_encode"] = encoder(embedder)
        if quantised is not None:
            steps["onnx_int8_encode"] = encoder(quantised)
    if device is not None:
        # What `pressroom ingest` does there.
        torch_embedder.pipelined = torch_embedder.device == "cuda"
        steps["pipelined_encode"] = pipelined
    if llamaindex:
        steps["llamaindex"] = _llamaindex(texts, torch_embedder, work, observed)

    names = list(steps)
    times: dict[str, list[Timer]] = {name: [] for name in names}
    for round_ in range(rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            times[name].append(steps[name](round_))
            if name == "pressroom" and round_ == 0:
                stored = sorted(stores[0].iter_chunks(), key=lambda c: c.chunk_id)
                if sorted(texts) != sorted(c.indexed_text for c in stored):
                    texts[:] = [c.indexed_text for c in stored]

    with Timer() as resync:
        again = sync([archive], stores[-1], chunker)

    n = len(texts)
    first = observed["report"]
    result: dict[str, Any] = {
        "archive": str(archive),
        "releases": len(first.added) + len(first.duplicates),
        "failed": len(first.failed),
        "chunks": n,
        "mean_chunk_tokens": round(sum(len(embedder.tokenize(t)) for t in texts) / max(n, 1), 1),
        "cpu_threads": _threads(),
        "device": torch_embedder.device,
        "encoder": type(embedder).__name__,
        "rounds": rounds,
    }
    for name, timers in times.items():
        best_wall = min(t.wall for t in timers)
        result[f"{name}_s"] = round(best_wall, 2)
        result[f"{name}_cpu_s"] = round(min(t.cpu for t in timers), 2)
        result[f"{name}_chunks_per_s"] = round(n / best_wall, 2)
        result[f"{name}_rounds_s"] = [round(t.wall, 2) for t in timers]
    for name, key in (
        ("raw_encode", "ingest_vs_raw_encode"),
        ("onnx_encode", "ingest_vs_onnx_encode"),
        ("pipelined_encode", "ingest_vs_pipelined_encode"),
        ("llamaindex", "ingest_vs_llamaindex"),
    ):
        if name in times:
            result[key] = round(result[f"{name}_s"] / result["pressroom_s"], 3)
            result[f"{key}_cpu"] = round(result[f"{name}_cpu_s"] / result["pressroom_cpu_s"], 3)
    for name in ("onnx_encode", "onnx_int8_encode"):
        if name in times and "raw_encode" in times:
            result[f"{name}_vs_raw_encode"] = round(result["raw_encode_s"] / result[f"{name}_s"], 3)
    if "llamaindex_nodes" in observed:
        result["llamaindex_nodes"] = observed["llamaindex_nodes"]
    result.update(
        {
            "resync_s": round(resync.wall, 2),
            "resync_unchanged": len(again.unchanged),
            "resync_share": round(resync.wall / result["pressroom_s"], 4),
            "peak_rss_mib_after_ingest": round(observed["rss"], 1),
            "peak_rss_mib_end": round(peak_rss_mib(), 1),
            "store_mib_per_1000_chunks": round(
                1000 * disk_mib(work / "pressroom-0") / max(stores[0].count(), 1), 2
            ),
            "targets": TARGETS,
        }
    )
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


def _llamaindex(
    texts: list[str], embedder: Any, work: Path, observed: dict[str, Any]
) -> Callable[[int], Timer]:
    """A step that runs LlamaIndex's pipeline into a fresh Chroma collection each round."""
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    model = HuggingFaceEmbedding(
        model_name=str(bundled_model_path()), device="cpu", embed_batch_size=32
    )
    model.get_text_embedding_batch(["A warm-up sentence for the encoder."] * 16)

    def run(round_: int) -> Timer:
        collection = open_client(work / f"llamaindex-{round_}").get_or_create_collection(
            "llamaindex", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
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
        with Timer() as timer:
            nodes = pipeline.run(documents=documents)
        observed["llamaindex_nodes"] = len(nodes)
        return timer

    return run


def _threads() -> int:
    try:
        import torch

        return int(torch.get_num_threads())
    except ImportError:
        return os.cpu_count() or 1


def table(result: dict[str, Any]) -> str:
    labels = {
        "pressroom": "Pressroom ingest (end to end)",
        "raw_encode": "one SentenceTransformer.encode",
        "onnx_encode": "ONNX encoder alone (fp32)",
        "onnx_int8_encode": "ONNX encoder alone (int8)",
        "pipelined_encode": "encode, pipelined tokenisation",
        "llamaindex": "LlamaIndex IngestionPipeline",
    }
    lines = [
        f"{result['releases']} releases, {result['chunks']} chunks (mean "
        f"{result['mean_chunk_tokens']} word pieces), {result['cpu_threads']} CPU threads, "
        f"best of {result.get('rounds', 1)} rounds",
        f"{'':32}{'wall s':>9}{'CPU s':>9}{'chunks/s':>10}",
    ]
    for key in STEPS:
        if key + "_s" not in result:
            continue
        lines.append(
            f"{labels[key]:32}{result[key + '_s']:>9.1f}{result[key + '_cpu_s']:>9.1f}"
            f"{result[key + '_chunks_per_s']:>10.1f}"
        )
    lines.append(f"{'re-sync, nothing changed':32}{result['resync_s']:>9.1f}")
    if "ingest_vs_pipelined_encode" in result:
        lines.append(
            f"ingest speed / pipelined encode ({result.get('device', 'cpu')}): "
            f"{result['ingest_vs_pipelined_encode']:.2f} wall; pipelined / encode: "
            f"{result['raw_encode_s'] / result['pipelined_encode_s']:.2f}"
            if "raw_encode_s" in result
            else f"ingest speed / pipelined encode: {result['ingest_vs_pipelined_encode']:.2f}"
        )
    if "ingest_vs_raw_encode" in result:
        lines.append(
            f"ingest speed / raw encode: {result['ingest_vs_raw_encode']:.2f} wall, "
            f"{result['ingest_vs_raw_encode_cpu']:.2f} CPU (target >= 1.3; encoder: "
            f"{result.get('encoder', 'SentenceTransformerEmbedder')})"
        )
    for name in ("onnx_encode", "onnx_int8_encode"):
        if f"{name}_vs_raw_encode" in result:
            lines.append(f"{name} speed / raw encode: {result[f'{name}_vs_raw_encode']:.2f} wall")
    if "ingest_vs_llamaindex" in result:
        lines.append(
            f"ingest speed / LlamaIndex: {result['ingest_vs_llamaindex']:.2f} wall, "
            f"{result['ingest_vs_llamaindex_cpu']:.2f} CPU (target > 1)"
        )
    lines.append(
        f"re-sync: {100 * result['resync_share']:.1f}% of the first ingest (target <= 5%); "
        f"peak RSS after ingest {result['peak_rss_mib_after_ingest']:.0f} MiB"
    )
    return "\n".join(lines)


def bench_retrieval(
    sizes: Sequence[int],
    seed: int,
    cache: Path,
    *,
    sample: int,
    asked: int,
    modes: Sequence[str],
) -> dict[str, Any]:
    """Retrieval and extractive-answer latency per store size, embedded and via a server.
    Stores are built with the PyTorch encoder (cached, the same vectors); answering runs
    with the encoder `pressroom serve` uses (ONNX Runtime on a CPU)."""
    from assistant.build import make_embedder

    embedder = SentenceTransformerEmbedder()
    answering = make_embedder(Settings.from_env({}))
    qs = questions(asked, seed)
    result: dict[str, Any] = {"stores": _store_note(sample), "sizes": {}}
    for size in sizes:
        facts = store_of(cache, size, seed, sample, embedder)
        folder = Path(facts["folder"]) / "chroma"
        row: dict[str, Any] = {"store": facts}
        if "embedded" in modes:
            row["embedded"] = measure_answering(Settings.from_env({}, store=folder), answering, qs)
        if "server" in modes:
            process, url = start_chroma(folder, _free_port())
            try:
                row["server"] = measure_answering(
                    Settings.from_env({}, chroma_url=url), answering, qs
                )
            finally:
                process.terminate()
                process.wait(timeout=30)
        if "embedded" in row and "server" in row:
            row["server_vs_embedded_p95"] = round(
                row["server"]["retrieval"]["p95_ms"] / row["embedded"]["retrieval"]["p95_ms"], 2
            )
        result["sizes"][str(size)] = row
    return result


def bench_serve(
    sizes: Sequence[int], seed: int, cache: Path, *, sample: int, asked: int
) -> dict[str, Any]:
    """`pressroom serve` start-up time and RSS per store size, embedded and via a server."""
    embedder = SentenceTransformerEmbedder()
    qs = questions(asked, seed + 1)
    result: dict[str, Any] = {"stores": _store_note(sample), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="pressroom-empty-") as empty:
        # Imports, the model and the app cost the same whatever the archive: the
        # difference to this is what the archive's size costs at start.
        result["empty_store"] = measure_serve(["--store", empty], qs[:2])
    for size in sizes:
        facts = store_of(cache, size, seed, sample, embedder)
        folder = Path(facts["folder"]) / "chroma"
        row: dict[str, Any] = {"chunks": facts["chunks"]}
        # A store as `pressroom ingest` leaves it: the BM25 index saved beside it.
        settings = Settings.from_env({}, store=folder)
        began = time.perf_counter()
        open_lexical(open_store(settings, embedder), settings.lexical_folder)
        row["lexical_index_s"] = round(time.perf_counter() - began, 1)
        row["embedded"] = measure_serve(["--store", str(folder)], qs)
        process, url = start_chroma(folder, _free_port())
        try:
            # Without a shared lexical dir each replica builds BM25 from the collection.
            row["server"] = measure_serve(["--chroma-url", url], qs)
            row["server_shared_index"] = measure_serve(
                ["--chroma-url", url], qs, env={"PRESSROOM_LEXICAL_DIR": str(folder / "lexical")}
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
        result["sizes"][str(size)] = row
    return result


def _store_note(sample: int) -> str:
    return (
        f"synthetic archive through the real ingest; the first {sample} chunks embedded by "
        f"the model, later chunks get one of those vectors plus noise (see evals/scale.py)"
    )


def _free_port() -> int:
    from evals.scale import free_port

    return free_port()


def scale_table(retrieval: dict[str, Any] | None, serve: dict[str, Any] | None) -> str:
    lines: list[str] = []
    if retrieval:
        lines.append(
            f"{'chunks':>8} {'mode':9}{'start s':>8}{'retr p50':>9}{'p95 ms':>8}"
            f"{'answer p50':>11}{'p95 ms':>8}{'ask p50':>9}{'p95 ms':>8}{'MiB/1k':>8}"
        )
        for size, row in retrieval["sizes"].items():
            for mode in ("embedded", "server"):
                if mode not in row:
                    continue
                m = row[mode]
                # The whole ask (analysis, retrieval, answer); older reports lack it.
                ask = m.get("extractive_ask", {"p50_ms": float("nan"), "p95_ms": float("nan")})
                lines.append(
                    f"{row['store']['chunks']:>8} {mode:9}{m['engine_start_s']:>8.1f}"
                    f"{m['retrieval']['p50_ms']:>9.0f}{m['retrieval']['p95_ms']:>8.0f}"
                    f"{m['extractive_answer']['p50_ms']:>11.0f}"
                    f"{m['extractive_answer']['p95_ms']:>8.0f}"
                    f"{ask['p50_ms']:>9.0f}{ask['p95_ms']:>8.0f}"
                    f"{row['store']['store_mib_per_1000_chunks']:>8.1f}"
                )
            for mode in ("embedded", "server"):
                if "retrieval_parts" in row.get(mode, {}):
                    parts = ", ".join(
                        f"{name} {t['p50_ms']:.0f}/{t['p95_ms']:.0f}"
                        for name, t in row[mode]["retrieval_parts"].items()
                    )
                    lines.append(f"{'':8} {mode} parts p50/p95 ms: {parts}")
            if "server_vs_embedded_p95" in row:
                lines.append(
                    f"{size:>8} server / embedded retrieval p95: {row['server_vs_embedded_p95']}"
                )
    if serve:
        lines.append(
            f"{'chunks':>8} {'serve':9}{'start s':>8}{'RSS MiB':>9}{'peak':>8}{'ask p50':>9}"
            f"{'p95 ms':>8}"
        )
        rows = list(serve["sizes"].values())
        if "empty_store" in serve:
            rows.insert(0, {"chunks": 0, "embedded": serve["empty_store"]})
        for row in rows:
            for mode in ("embedded", "server", "server_shared_index"):
                if mode not in row:
                    continue
                m = row[mode]
                label = "server+ix" if mode == "server_shared_index" else mode
                lines.append(
                    f"{row['chunks']:>8} {label:9}{m['startup_s']:>8.1f}{m['rss_mib_ready']:>9.0f}"
                    f"{m['peak_rss_mib']:>8.0f}{m['http_ask']['p50_ms']:>9.0f}"
                    f"{m['http_ask']['p95_ms']:>8.0f}"
                )
    return "\n".join(lines)


def _sizes(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected sizes like 10000,100000, got {text!r}"
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.bench", description=(__doc__ or "").split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="ingest throughput, re-sync time, peak RSS")
    scale_parsers = [
        commands.add_parser("retrieval", help="retrieval and answer latency in big stores"),
        commands.add_parser("serve", help="`pressroom serve` start-up time and RSS"),
    ]
    everything = commands.add_parser("all", help="ingest, retrieval and serve, one JSON object")
    for sub in (ingest, everything):
        sub.add_argument("--releases", type=int, default=300, help="synthetic releases (300)")
        sub.add_argument("--rounds", type=int, default=3, help="rounds; the best counts (3)")
        sub.add_argument("--skip-llamaindex", action="store_true", help="leave out LlamaIndex")
    for sub in (ingest, *scale_parsers, everything):
        sub.add_argument("--seed", type=int, default=0, help="seed of the synthetic archive")
    ingest.add_argument(
        "--archive", type=Path, help="ingest this folder instead (e.g. ../shared/data/fomc)"
    )
    ingest.add_argument(
        "--ingest-only", action="store_true", help="leave out steps 2 and 3 (for big archives)"
    )
    ingest.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        help="run the model there (fp16 on cuda) and time the pipelined encoder too",
    )
    ingest.add_argument(
        "--backend",
        choices=("auto", "onnx", "torch"),
        default="auto",
        help="the encoder Pressroom ingests with (auto: ONNX Runtime on a CPU)",
    )
    ingest.add_argument(
        "--int8", action="store_true", help="also time the int8-quantised ONNX encoder"
    )
    for sub in (*scale_parsers, everything):
        sub.add_argument(
            "--sizes", type=_sizes, default=[10_000], help="store sizes in chunks (10000)"
        )
        sub.add_argument(
            "--cache-dir", type=Path, default=DEFAULT_CACHE, help="built stores (.pressroom-bench)"
        )
        sub.add_argument(
            "--sample", type=int, default=1000, help="chunks embedded for real per store (1000)"
        )
        sub.add_argument("--questions", type=int, default=40, help="questions timed (40)")
    scale_parsers[0].add_argument(
        "--modes", default="embedded,server", help="embedded, server or both (both)"
    )
    args = parser.parse_args(argv)
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start",
    }
    text: list[str] = []
    if args.command in ("ingest", "all"):
        with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as work:
            result["ingest"] = bench_ingest(
                getattr(args, "archive", None),
                args.releases,
                args.seed,
                Path(work),
                rounds=max(1, args.rounds),
                raw_encode=not getattr(args, "ingest_only", False),
                llamaindex=not (args.skip_llamaindex or getattr(args, "ingest_only", False)),
                device=getattr(args, "device", None),
                backend=getattr(args, "backend", "auto"),
                int8=getattr(args, "int8", False),
            )
        text.append(table(result["ingest"]))
    if args.command in ("retrieval", "all"):
        modes = getattr(args, "modes", "embedded,server").split(",")
        result["retrieval"] = bench_retrieval(
            args.sizes,
            args.seed,
            args.cache_dir,
            sample=args.sample,
            asked=args.questions,
            modes=modes,
        )
    if args.command in ("serve", "all"):
        result["serve"] = bench_serve(
            args.sizes, args.seed, args.cache_dir, sample=args.sample, asked=10
        )
    if args.command != "ingest":
        text.append(scale_table(result.get("retrieval"), result.get("serve")))
        result["targets"] = SCALE_TARGETS
    print(json.dumps(result))
    print("\n".join(text), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
