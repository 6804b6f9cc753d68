"""Eval suites run under several retrieval and answering configurations, side by side.

Every configuration is a variant of one engine over the same store, sharing its BM25
index and embedding cache, so the columns differ only in what the configuration names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.answering.engine import Engine
from assistant.answering.retrieval import HybridRetriever, RetrievalMode
from evals.reports import TABLE_METRICS, format_value
from evals.runner import SuiteResult, run_suite
from evals.suite import suite_name


@dataclass(frozen=True)
class Config:
    """``answerer``: ``configured`` keeps the engine's (the LLM when one is set up),
    ``extractive`` never asks an LLM, ``llm`` needs one."""

    name: str
    mode: RetrievalMode
    date_filters: bool
    answerer: Literal["configured", "extractive", "llm"] = "configured"


CONFIGS: dict[str, Config] = {
    c.name: c
    for c in (
        Config("dense", "dense", date_filters=False),
        Config("bm25", "bm25", date_filters=False),
        Config("hybrid", "hybrid", date_filters=False),
        Config("hybrid+dates", "hybrid", date_filters=True),
        Config("extractive", "hybrid", date_filters=True, answerer="extractive"),
        Config("llm", "hybrid", date_filters=True, answerer="llm"),
    )
}

NO_LLM = "skipped: no LLM configured (set PRESSROOM_LLM_URL and PRESSROOM_LLM_MODEL)"


def parse_configs(text: str) -> list[str]:
    """``"dense,bm25"`` -> ``["dense", "bm25"]``; unknown names raise ValueError."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in CONFIGS]
    if unknown or not names:
        raise ValueError(
            f"expected configurations from {', '.join(CONFIGS)}, got {text!r}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    return list(dict.fromkeys(names))


def variant(engine: Engine, config: Config) -> Engine | str:
    """``engine`` as ``config`` says, or why that configuration cannot run here."""
    if config.answerer == "llm" and engine.writer is None:
        return NO_LLM
    base = engine.retriever
    retriever = HybridRetriever(
        base.store,
        base.lexical,
        base.candidates,
        base.weights,
        base.embedder,
        mode=config.mode,
        reranker=base.reranker,
        rerank_depth=base.rerank_depth,
        tuning=base.tuning,
    )
    return Engine(
        retriever,
        engine.answerer,
        engine.top_k,
        engine.checker,
        None if config.answerer == "extractive" else engine.writer,
        date_filters=config.date_filters,
    )


Comparison = dict[str, dict[str, SuiteResult | str]]


def compare(
    engine: Engine, suites: Sequence[Path], configs: Sequence[str], k: int | None = None
) -> Comparison:
    """Suite name -> configuration -> its result (or why it was skipped)."""
    variants = {name: variant(engine, CONFIGS[name]) for name in configs}
    out: Comparison = {}
    for path in suites:
        row: dict[str, SuiteResult | str] = {}
        for name, runnable in variants.items():
            row[name] = runnable if isinstance(runnable, str) else run_suite(runnable, path, k)
        out[suite_name(path)] = row
    return out


def format_comparison(suite: str, results: dict[str, SuiteResult | str]) -> str:
    """One table: a row per metric, a column per configuration; skipped ones explained."""
    names = list(results)
    width = max(14, *(len(n) + 2 for n in names))
    values = {n: r.metrics() for n, r in results.items() if isinstance(r, SuiteResult)}
    questions = next((int(v["questions"]) for v in values.values()), 0)
    header = f"{suite + f' ({questions} q)':<24}" + "".join(f"{n:>{width}}" for n in names)
    lines = [header, "-" * len(header)]
    for metric in TABLE_METRICS[1:]:
        cells = [
            f"{format_value(values[n][metric], metric, '-') if n in values else '-':>{width}}"
            for n in names
        ]
        lines.append(f"{metric:<24}" + "".join(cells))
    for name, result in results.items():
        if isinstance(result, str):
            lines.append(f"{name}: {result}")
    return "\n".join(lines)


def comparison_report(comparison: Comparison) -> dict[str, Any]:
    return {
        suite: {
            name: (
                {"skipped": result}
                if isinstance(result, str)
                else {"metrics": result.metrics(), "by_type": result.by_type()}
            )
            for name, result in row.items()
        }
        for suite, row in comparison.items()
    }


def run_compare(
    engine: Engine,
    suites: Sequence[Path],
    configs: Sequence[str],
    report_json: Path | None = None,
    k: int | None = None,
) -> int:
    comparison = compare(engine, suites, configs, k)
    for suite, row in comparison.items():
        print(format_comparison(suite, row))
        print()
    if report_json:
        report_json.parent.mkdir(parents=True, exist_ok=True)
        report = {"compare": comparison_report(comparison)}
        report_json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0
