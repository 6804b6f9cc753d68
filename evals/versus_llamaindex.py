"""Retrieval hit@5 of Pressroom next to LlamaIndex's dense defaults, on the same questions.

    python -m evals.versus_llamaindex [--only NAME ...] [--halves dev,test]
                                      [--archive NAME=FOLDER] [--shared DIR] [-k 5]
                                      [--report-json FILE]

For each archive (demo, fomc, secretariat, ministry) both systems read the same releases
(Pressroom's reader, so the text and the release ids are the same; ``--reader llamaindex``
lets LlamaIndex read the files with its own ``SimpleDirectoryReader`` instead, as a new
user of it would, each node credited with the releases whose sentences it carries):

- LlamaIndex: one ``Document`` per release (title and body), ``SentenceSplitter`` with
  ``chunk_size=256`` and its other defaults, the bundled all-MiniLM-L6-v2 through
  ``HuggingFaceEmbedding`` loaded by path, an in-memory ``VectorStoreIndex``, top 5.
  Nothing goes through ``llama_index.core.Settings``: the model and the tokenizer (the
  model's own; the default one is downloaded at first use) are passed in.
- Pressroom: the archive synced into a temporary store as ``pressroom ingest`` does, and
  every question asked through the engine (date windows, follow-ups, the whole pipeline);
  hit@5 counts what retrieval returned, refused or not.

hit@5 is the share of answerable questions with an expected source among the 5
passages. A follow-up question is given to LlamaIndex alone (it keeps no conversation).
``--archive ministry=FOLDER`` measures a copy: the ministry feed's fields need
``pressroom ingest --fields`` (issue 14) until then.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals import metrics
from evals.archives import Archive, archives, ingest_archive, shared_dir
from evals.suite import EvalQuestion, load_suite
from ingest.formats.records import FieldNames
from ingest.release import Release


def read_releases(folder: Path, fields: FieldNames) -> list[Release]:
    """The releases under ``folder`` as Pressroom's reader gives them (failures skipped)."""
    from ingest.errors import IngestError
    from ingest.readers import discover, read_file

    releases: list[Release] = []
    for path, root in discover([folder]).files:
        try:
            releases.extend(read_file(path, root, fields=fields).releases)
        except IngestError as error:
            print(f"  skipped {error}", file=sys.stderr)
    return releases


def _normalised(text: str) -> str:
    return " ".join(text.split()).lower()


class ReleaseFinder:
    """Which releases a piece of text comes from: those with a sentence of at least
    ``MIN_SENTENCE`` characters inside it. It credits a LlamaIndex node read from the raw
    files (a CMS page, a row of a CSV export) with the release whose text it carries,
    whatever reader made it."""

    MIN_SENTENCE = 40  # shorter sentences ("Read more.", a date line) recur across releases

    def __init__(self, releases: Sequence[Release]) -> None:
        from assistant.text.sentences import split_sentences

        self.sentences: list[tuple[str, Release]] = []
        for r in releases:
            for b, e in split_sentences(r.body):
                sentence = _normalised(r.body[b:e])
                if len(sentence) >= self.MIN_SENTENCE:
                    self.sentences.append((sentence, r))

    def releases_in(self, text: str) -> list[Release]:
        plain = _normalised(text)
        found: dict[str, Release] = {}
        for sentence, release in self.sentences:
            if release.release_id not in found and sentence in plain:
                found[release.release_id] = release
        return list(found.values())


class LlamaIndexDense:
    """LlamaIndex's defaults over ``releases``: SentenceSplitter(256), MiniLM, top k.

    With ``folder``, LlamaIndex reads the archive itself, as a new user of it would:
    ``SimpleDirectoryReader(folder, recursive=True)`` with its default readers (a CMS
    page as its raw HTML, a CSV export as one document, a JSON feed as text). Each node
    found is then credited with the releases whose text it carries (``ReleaseFinder``).
    """

    def __init__(self, releases: Sequence[Release], k: int, folder: Path | None = None) -> None:
        from llama_index.core import Document, SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        from transformers import AutoTokenizer

        from vectorstore.embedder import bundled_model_path

        model_path = str(bundled_model_path())
        tokenizer = AutoTokenizer.from_pretrained(model_path)
        model = HuggingFaceEmbedding(model_name=model_path, device="cpu")
        self.finder = ReleaseFinder(releases) if folder is not None else None
        if folder is not None:
            documents = SimpleDirectoryReader(str(folder), recursive=True).load_data()
        else:
            documents = [
                Document(
                    text=f"{r.title}\n\n{r.body}" if r.title else r.body,
                    metadata={"release_id": r.release_id, "source": r.url or r.source_path},
                    excluded_embed_metadata_keys=["release_id", "source"],
                    excluded_llm_metadata_keys=["release_id", "source"],
                )
                for r in releases
            ]
        splitter = SentenceSplitter(chunk_size=256, tokenizer=tokenizer.tokenize)
        nodes = splitter.get_nodes_from_documents(documents)
        self.nodes = len(nodes)
        self.retriever = VectorStoreIndex(nodes, embed_model=model).as_retriever(similarity_top_k=k)

    def retrieved(self, question: str) -> list[tuple[str, str]]:
        found = self.retriever.retrieve(question)
        if self.finder is None:
            return [(n.node.metadata["release_id"], n.node.metadata["source"]) for n in found]
        return [
            (r.release_id, r.url or r.source_path)
            for n in found
            for r in self.finder.releases_in(n.node.get_content())
        ]


def pressroom_retrieved(
    archive: Archive, suites: Sequence[Path], k: int, work: Path, embedder: Any
) -> dict[Path, dict[str, list[tuple[str, str]]]]:
    """What Pressroom's engine retrieved for each question of ``suites``."""
    from evals.runner import run_suite

    engine = ingest_archive(archive, work, embedder)
    out: dict[Path, dict[str, list[tuple[str, str]]]] = {}
    for path in suites:
        result = run_suite(engine, path, k)
        out[path] = {r.question.id: r.retrieved for r in result.results}
    return out


def hit_rate(
    questions: Sequence[EvalQuestion], retrieved: dict[str, list[tuple[str, str]]]
) -> float:
    answerable = [q for q in questions if q.answerable]
    return metrics.mean(
        [metrics.source_hit(q.expected_sources, retrieved[q.id]) for q in answerable]
    )


def compare_archive(
    archive: Archive,
    halves: Sequence[str],
    k: int,
    work: Path,
    embedder: Any,
    pressroom: bool = True,
    own_reader: bool = False,
) -> dict[str, dict[str, float]]:
    """Both systems' hit@k per half; without ``pressroom`` only LlamaIndex's (NaN for
    Pressroom, whose figure `pressroom eval` prints as source_hit_at_k). With
    ``own_reader`` LlamaIndex reads the files itself (see :class:`LlamaIndexDense`)."""
    suites = [archive.dev if h == "dev" else archive.test for h in halves]
    releases = read_releases(archive.folder, archive.fields)
    llama = LlamaIndexDense(releases, k, archive.folder if own_reader else None)
    ours = pressroom_retrieved(archive, suites, k, work, embedder) if pressroom else {}
    rows: dict[str, dict[str, float]] = {}
    for half, path in zip(halves, suites, strict=True):
        questions = load_suite(path)
        theirs = {q.id: llama.retrieved(q.question) for q in questions}
        rows[half] = {
            "questions": float(sum(q.answerable for q in questions)),
            "pressroom": hit_rate(questions, ours[path]) if pressroom else math.nan,
            "llamaindex": hit_rate(questions, theirs),
        }
    return rows


def table(results: dict[str, dict[str, dict[str, float]]], k: int) -> str:
    lines = [
        f"{'archive':<14}{'half':<6}{'answerable':>11}{f'Pressroom hit@{k}':>17}"
        f"{f'LlamaIndex hit@{k}':>18}{'difference':>12}"
    ]
    for name, halves in results.items():
        for half, row in halves.items():
            diff = row["pressroom"] - row["llamaindex"]
            lines.append(
                f"{name:<14}{half:<6}{row['questions']:>11.0f}{row['pressroom']:>17.3f}"
                f"{row['llamaindex']:>18.3f}{diff:>+12.3f}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.versus_llamaindex", description=__doc__)
    parser.add_argument("--only", action="append", help="an archive to measure (repeatable)")
    parser.add_argument("--halves", default="dev,test", help="dev, test or dev,test")
    parser.add_argument(
        "--archive", action="append", default=[], metavar="NAME=FOLDER", help="read another folder"
    )
    parser.add_argument("--shared", type=Path, help="the shared data folder (default ../shared)")
    parser.add_argument("-k", type=int, default=5, help="passages per question (5)")
    parser.add_argument("--report-json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--llamaindex-only",
        action="store_true",
        help="measure LlamaIndex alone (quick; Pressroom's hit@k is `pressroom eval`'s)",
    )
    parser.add_argument(
        "--reader",
        choices=("pressroom", "llamaindex"),
        default="pressroom",
        help="who reads the archive for LlamaIndex: Pressroom's reader (the same text; "
        "the default) or LlamaIndex's own SimpleDirectoryReader, as a new user gets it",
    )
    args = parser.parse_args(argv)

    from assistant.build import make_embedder
    from assistant.settings import Settings

    known = archives(args.shared or shared_dir())
    for override in args.archive:
        name, _, folder = override.partition("=")
        if name not in known or not folder:
            parser.error(
                f"--archive {override!r}: expected NAME=FOLDER, NAME one of {sorted(known)}"
            )
        known[name] = dataclasses.replace(known[name], folder=Path(folder))
    names = args.only or list(known)
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown archive {', '.join(unknown)}; choose from {', '.join(known)}")
    halves = [h for h in args.halves.split(",") if h]
    if not halves or set(halves) - {"dev", "test"}:
        parser.error("--halves takes dev, test or dev,test")

    embedder = make_embedder(Settings.from_env({}))
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="pressroom-versus-") as work:
        for name in names:
            archive = known[name]
            if not archive.folder.is_dir():
                print(f"{name}: {archive.folder} is not a folder, skipped", file=sys.stderr)
                continue
            results[name] = compare_archive(
                archive,
                halves,
                args.k,
                Path(work),
                embedder,
                not args.llamaindex_only,
                own_reader=args.reader == "llamaindex",
            )
            print(table({name: results[name]}, args.k), file=sys.stderr, flush=True)
    print(table(results, args.k))
    if args.report_json:
        args.report_json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
