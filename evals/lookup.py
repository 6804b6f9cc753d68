"""How often a release asked for by its decision reference alone comes first.

``python -m evals.lookup [--releases 300] [--seed 7]`` writes a synthetic archive in which
every release carries its own reference (``2015/00239``), ingests it into a temporary
store, asks "What was decided under reference R?" for each release, without its date, and
prints one JSON object: the share of releases ranked first and within the top 5, for the
default retrieval and for each ranking alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REFERENCE = re.compile(r"reference (\d{4}/\d{5})")


def measure(releases: int, seed: int, k: int = 5) -> dict[str, Any]:
    from assistant.answering.retrieval import HybridRetriever, RetrievalMode
    from assistant.build import make_chunker, make_engine, open_store
    from assistant.settings import Settings
    from evals.load import questions_of
    from evals.synthetic import write_archive
    from ingest.sync import sync

    with tempfile.TemporaryDirectory(prefix="pressroom-lookup-") as folder:
        archive = Path(folder) / "archive"
        write_archive(archive, releases, seed=seed, series=False)
        settings = Settings.from_env({}, store=Path(folder) / "store")
        store = open_store(settings)
        sync([archive], store, make_chunker(settings, store.embedder))
        engine = make_engine(settings, open_store(settings))
        asked = {
            release: f"What was decided under reference {match.group(1)}?"
            for release, question in questions_of(archive).items()
            if (match := REFERENCE.search(question))
        }
        base = engine.retriever
        result: dict[str, Any] = {"releases": releases, "asked": len(asked), "k": k}
        modes: tuple[RetrievalMode, ...] = ("hybrid", "dense", "bm25")
        for mode in modes:
            search = HybridRetriever(
                base.store, base.lexical, base.candidates, embedder=base.embedder, mode=mode
            )
            ranks = []
            for release, question in asked.items():
                found = search.retrieve(question, k)
                ranks.append(next((p.rank for p in found if p.chunk.release_id == release), None))
            result[mode] = {
                "first": round(sum(r == 1 for r in ranks) / len(ranks), 3),
                f"top_{k}": round(sum(r is not None for r in ranks) / len(ranks), 3),
            }
        return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.lookup", description=__doc__)
    parser.add_argument("--releases", type=int, default=300, help="synthetic releases (300)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the archive (7)")
    args = parser.parse_args(argv)
    json.dump(measure(args.releases, args.seed), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
