"""Running eval suites against an engine: metrics, a table, a JSON report, a CI check."""

from __future__ import annotations

import sys
import time
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answering.claims import marker_numbers
from assistant.answering.engine import Engine
from assistant.answering.model import Answer
from evals import metrics
from evals.citations import sentence_verdicts
from evals.reports import TABLE_METRICS, format_value, write_reports
from evals.suite import EvalQuestion, load_suite, suite_name

# Metrics where lower is better; thresholds for them are maxima.
LOWER_IS_BETTER = {"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"}


def refusal_rule(answer: Answer) -> str:
    """The name of the rule that refused ``answer`` (``refusal: {"rule", "detail"}``), or
    ``unnamed`` when the answer carries none."""
    refusal = getattr(answer, "refusal", None)
    if isinstance(refusal, dict):
        return str(refusal.get("rule") or "unnamed")
    rule = getattr(refusal, "rule", None)
    return str(rule) if rule else "unnamed"


@dataclass
class QuestionResult:
    """One question's answer; ``sentences`` are the claim check's verdicts on its citations."""

    question: EvalQuestion
    answer: Answer
    retrieved: list[tuple[str, str]]
    cited: list[tuple[str, str]]
    sentences: list[metrics.SentenceVerdict] = field(default_factory=list)

    @property
    def correct_refusal(self) -> bool:
        return self.answer.refused == (not self.question.answerable)

    def markers(self) -> list[int]:
        """Every ``[n]`` the answer wrote, with those the check dropped (no such passage)."""
        dropped = [] if self.answer.refused else [n for c in self.answer.claims for n in c.dropped]
        return marker_numbers(self.answer.text) + dropped

    def failures(self) -> list[str]:
        """What went wrong, in words that say exactly what was missing or wrong."""
        q, a = self.question, self.answer
        problems = []
        if not self.correct_refusal:
            problems.append(
                "refused an answerable question"
                if a.refused
                else "answered an unanswerable question"
            )
        if q.answerable:
            missing = metrics.missing_sources(q.expected_sources, self.retrieved)
            if missing:
                problems.append(f"expected source not retrieved: {', '.join(missing)}")
        if q.answerable and not a.refused:
            facts = metrics.missing_facts(q.expected_facts, a.text)
            if facts:
                problems.append(f"expected fact missing from the answer: {', '.join(facts)}")
        if not a.refused:
            known = {c.number for c in a.citations}
            invalid = sorted({n for n in self.markers() if n not in known})
            if invalid:
                listed = " ".join(f"[{n}]" for n in invalid)
                problems.append(f"invalid citation {listed}: points at no passage")
            for claim in a.claims:
                if claim.start >= 0 and not claim.supported:
                    problems.append(f"unsupported sentence {claim.text!r}: {claim.reason}")
        return problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.question.id,
            "type": self.question.type,
            "question": self.question.question,
            "history": self.question.history,
            "answerable": self.question.answerable,
            "expected_sources": self.question.expected_sources,
            "expected_facts": self.question.expected_facts,
            "retrieved": [r for r, _ in self.retrieved],
            "failures": self.failures(),
            "answer": self.answer.to_dict(),
        }


@dataclass
class SuiteResult:
    name: str
    results: list[QuestionResult] = field(default_factory=list)

    def metrics(self, subset: Sequence[QuestionResult] | None = None) -> dict[str, float]:
        rows = list(self.results if subset is None else subset)
        answerable = [r for r in rows if r.question.answerable]
        markers = [(r.markers(), [c.number for c in r.answer.citations]) for r in rows]
        sentences = [v for r in rows for v in r.sentences]
        latencies = [r.answer.timings_ms.get("total", 0.0) for r in rows]
        return {
            "questions": float(len(rows)),
            "source_hit_at_k": metrics.mean(
                [metrics.source_hit(r.question.expected_sources, r.retrieved) for r in answerable]
            ),
            "source_recall_at_k": metrics.mean(
                [
                    metrics.source_recall(r.question.expected_sources, r.retrieved)
                    for r in answerable
                ]
            ),
            "mrr": metrics.mean(
                [
                    metrics.reciprocal_rank(r.question.expected_sources, r.retrieved)
                    for r in answerable
                ]
            ),
            "cited_source_recall": metrics.mean(
                [metrics.source_recall(r.question.expected_sources, r.cited) for r in answerable]
            ),
            "fact_recall": metrics.mean(
                [metrics.fact_recall(r.question.expected_facts, r.answer.text) for r in answerable]
            ),
            "citation_validity": metrics.mean(
                [metrics.citation_validity(m, c) for m, c in markers]
            ),
            "citation_support_rate": metrics.support_rate(
                [c.supported for r in rows for c in r.answer.citations]
            ),
            "citation_recall": metrics.citation_recall(sentences),
            "citation_precision": metrics.citation_precision(sentences),
            "refusal_accuracy": metrics.mean([1.0 if r.correct_refusal else 0.0 for r in rows]),
            "false_refusal_rate": metrics.mean(
                [1.0 if r.answer.refused else 0.0 for r in answerable]
            ),
            "latency_p50_ms": metrics.percentile(latencies, 50),
            "latency_p95_ms": metrics.percentile(latencies, 95),
        }

    def refusals_by_rule(self) -> dict[str, int]:
        """How many answers each refusal rule refused, most first; ``unnamed`` counts
        refusals whose answer names no rule."""
        counts = Counter(refusal_rule(r.answer) for r in self.results if r.answer.refused)
        return dict(counts.most_common())

    def by_type(self) -> dict[str, dict[str, float]]:
        types = sorted({r.question.type for r in self.results})
        return {t: self.metrics([r for r in self.results if r.question.type == t]) for t in types}


def run_suite(engine: Engine, path: Path, k: int | None = None) -> SuiteResult:
    result = SuiteResult(suite_name(path))
    for question in load_suite(path):
        answer = engine.ask(question.question, k=k, history=question.history)
        retrieved = [
            (p.chunk.release_id, p.chunk.url or p.chunk.source_path) for p in answer.passages
        ]
        retrieved += [(rid, rid) for p in answer.passages for rid in p.also_in]
        cited = [
            (c.passage.chunk.release_id, c.passage.chunk.url or c.passage.chunk.source_path)
            for c in answer.citations
        ]
        sentences = sentence_verdicts(answer, engine.checker)
        result.results.append(QuestionResult(question, answer, retrieved, cited, sentences))
    return result


def format_table(result: SuiteResult) -> str:
    header = f"{'suite/type':<22}" + "".join(f"{c[:14]:>15}" for c in TABLE_METRICS)
    lines = [header, "-" * len(header)]
    rows = [(result.name, result.metrics())] + [(f"  {t}", m) for t, m in result.by_type().items()]
    for label, values in rows:
        cells = "".join(f"{format_value(values[c], c, '-'):>15}" for c in TABLE_METRICS)
        lines.append(f"{label:<22}{cells}")
    return "\n".join(lines)


def check_thresholds(results: Sequence[SuiteResult], thresholds_path: Path) -> list[str]:
    """Every metric that misses its threshold, as 'suite: metric value < threshold'."""
    try:
        thresholds = tomllib.loads(thresholds_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [f"cannot read thresholds {thresholds_path}: {exc}"]
    misses = []
    for result in results:
        limits = thresholds.get(result.name)
        if not limits:
            misses.append(
                f"{result.name}: no thresholds in {thresholds_path} (add a [{result.name}] table)"
            )
            continue
        values = result.metrics()
        for metric, limit in limits.items():
            if metric not in values:
                misses.append(f"{result.name}: unknown metric {metric!r} in {thresholds_path}")
                continue
            value = values[metric]
            if metric in LOWER_IS_BETTER:
                if not value <= limit:
                    misses.append(f"{result.name}: {metric} {value:.3f} > maximum {limit}")
            elif not value >= limit:
                misses.append(f"{result.name}: {metric} {value:.3f} < minimum {limit}")
    return misses


def run_cli(
    engine: Engine,
    suites: Sequence[Path],
    report_json: Path | None = None,
    check: Path | None = None,
    k: int | None = None,
    report_md: Path | None = None,
    junit: Path | None = None,
    html: Path | None = None,
) -> int:
    results = []
    for path in suites:
        began = time.perf_counter()
        result = run_suite(engine, path, k)
        seconds = time.perf_counter() - began
        results.append(result)
        print(format_table(result))
        rules = result.refusals_by_rule()
        if rules:
            print("refused by rule: " + ", ".join(f"{k} {v}" for k, v in rules.items()))
        failed = [r for r in result.results if r.failures()]
        for r in failed:
            print(f"  ✗ {r.question.id} ({r.question.type}): {'; '.join(r.failures())}")
        print(f"{result.name}: {len(result.results)} questions in {seconds:.1f} s\n")
    misses = check_thresholds(results, check) if check is not None else None
    write_reports(results, misses, report_json, report_md, junit, html)
    if misses is not None:
        if misses:
            print("eval check FAILED:", file=sys.stderr)
            for miss in misses:
                print(f"  {miss}", file=sys.stderr)
            return 1
        print(f"eval check passed ({check})")
    return 0
