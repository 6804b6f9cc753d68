"""Fit the ``Tuning`` on the dev questions of every suite together; print dev and test.

    python -m evals.tune [--only NAME ...] [--archive NAME=FOLDER] [--fields F,G]
                         [--answer-fields F,G] [--rounds 2] [--work DIR] [--write]

Each archive is synced into a store under ``--work`` (default ``.pressroom-tune/``; kept,
so a second run does not embed again). The fit starts from the documented defaults of
``Tuning`` (not from the last fit), so the command reproduces its values. Every dev
question is asked once through the engine with those defaults; the retrieval call that
produced its passages is kept, and the dense and BM25 searches behind it are cached. A
candidate tuning is then scored by fusing the cached rankings again: no search, no
embedding. The fit is a coordinate search: each field in turn over a grid of its
documented range (docs/tuning.md), a value kept only when it raises the objective's mean
over the archives, raises at least two archives' and lowers none, for ``--rounds``
passes.

Without ``--answer-fields`` only the retrieval fields are fitted, on (hit@k + MRR) / 2 of
each archive's dev questions. ``--answer-fields`` adds answering fields (for example
``min_evidence``) and fits every field on one objective per archive: the mean of that
and of the answer score (fact recall, unanswerables refused, 1 - false refusals), each
candidate re-asking every dev question (retrieval and embeddings cached; a few seconds a
candidate for the four archives).
Test questions are only measured, with the fitted values, never searched.

``--write`` stores the fitted values in ``assistant/answering/tuning.toml`` under a
header with this command and the date.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answering.engine import Engine
from assistant.answering.retrieval import FusionWeights, HybridRetriever
from assistant.answering.tuning import DEFAULT_FILE, Tuning, shipped
from evals import metrics
from evals.archives import Archive, archives, ingest_archive, shared_dir
from evals.runner import SuiteResult, run_suite
from evals.suite import EvalQuestion, load_suite
from vectorstore.records import Passage

RETRIEVAL_FIELDS = (
    "w_dense_rank",
    "w_lexical_rank",
    "rrf_k",
    "latest_bm25_share",
    "latest_similarity_margin",
    "latest_depth",
)
GRID_POINTS = 5


@dataclass
class Recorded:
    """One question: the retrieval call that gave its passages, to replay."""

    question: EvalQuestion
    call: tuple[tuple[Any, ...], dict[str, Any]] | None


@dataclass
class Suite:
    """One archive's engine, with its searches cached, and its recorded questions."""

    name: str
    engine: Engine
    dev: Path
    test: Path
    recorded: dict[str, list[Recorded]] = field(default_factory=dict)
    extra_dev: tuple[Path, ...] = ()

    def paths(self, half: str) -> list[Path]:
        """The question files of ``half``: the dev half with the extra dev questions."""
        return [self.dev, *self.extra_dev] if half == "dev" else [self.test]


def install_search_cache(retriever: HybridRetriever) -> None:
    """Cache the retriever's searches (keyed on what they read): a replay with other
    weights fuses the same rankings without searching or embedding again."""
    searched = retriever._search_both
    cache: dict[Any, Any] = {}

    def cached(query: str, vector: Any, dates: Any, allowed: Any) -> Any:
        key = (query, dates, allowed)
        if key not in cache:
            cache[key] = searched(query, vector, dates, allowed)
        return cache[key]

    retriever._search_both = cached  # type: ignore[method-assign]


@contextmanager
def recording(retriever: HybridRetriever) -> Iterator[list[tuple[Any, Any, list[Passage]]]]:
    """Every ``retrieve`` call made inside the block, with what it returned."""
    calls: list[tuple[Any, Any, list[Passage]]] = []
    original = retriever.retrieve

    def logged(*args: Any, **kwargs: Any) -> list[Passage]:
        found = original(*args, **kwargs)
        calls.append((args, kwargs, found))
        return found

    retriever.retrieve = logged  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        retriever.retrieve = original  # type: ignore[method-assign]


def _ids(passages: Sequence[Passage]) -> list[str]:
    return [p.chunk.chunk_id for p in passages]


def producing_call(
    calls: Sequence[tuple[Any, Any, list[Passage]]], shown: Sequence[Passage]
) -> tuple[Any, Any] | None:
    """The last retrieval call that returned the passages an answer shows. The answer
    renumbers them, cited ones first, so they are matched as a set, not in order."""
    wanted = set(_ids(shown))
    matches = [(a, kw) for a, kw, found in calls if set(_ids(found)) == wanted]
    return matches[-1] if matches else None


def record(suite: Suite, path: Path, k: int) -> list[Recorded]:
    """Ask each question of ``path`` once; keep the call that produced its passages."""
    out = []
    for question in load_suite(path):
        with recording(suite.engine.retriever) as calls:
            answer = suite.engine.ask(question.question, k=k, history=question.history)
        out.append(Recorded(question, producing_call(calls, answer.passages)))
    return out


def replayable(recorded: Sequence[Recorded]) -> str:
    """ "N of M questions replayable": a question whose call was not found scores nothing
    in the fit, so a low N means the figures below are not the eval's."""
    found = sum(1 for r in recorded if r.call is not None or not r.question.answerable)
    return f"{found} of {len(recorded)} questions replayable"


def retrieved(passages: Sequence[Passage]) -> list[tuple[str, str]]:
    rows = [(p.chunk.release_id, p.chunk.url or p.chunk.source_path) for p in passages]
    return rows + [(rid, rid) for p in passages for rid in p.also_in]


def use_retrieval(retriever: HybridRetriever, tuning: Tuning) -> None:
    retriever.tuning = tuning
    retriever.weights = FusionWeights(tuning.w_dense_rank, tuning.w_lexical_rank)


def retrieval_scores(suite: Suite, half: str, tuning: Tuning) -> tuple[float, float]:
    """(hit@k, MRR) of ``half``'s answerable questions, replayed under ``tuning``."""
    retriever = suite.engine.retriever
    use_retrieval(retriever, tuning)
    hits, ranks = [], []
    for row in suite.recorded[half]:
        q = row.question
        if not q.answerable:
            continue
        if row.call is None:
            found: list[tuple[str, str]] = []
        else:
            args, kwargs = row.call
            found = retrieved(retriever.retrieve(*args, **kwargs))
        hits.append(metrics.source_hit(q.expected_sources, found))
        ranks.append(metrics.reciprocal_rank(q.expected_sources, found))
    return metrics.mean(hits), metrics.mean(ranks)


def retrieval_objective(suites: Sequence[Suite], tuning: Tuning) -> list[float]:
    """(hit@k + MRR) / 2 on each archive's dev questions."""
    scores = [retrieval_scores(s, "dev", tuning) for s in suites]
    return [(hit + mrr) / 2 for hit, mrr in scores]


def with_tuning(engine: Engine, tuning: Tuning) -> Engine:
    """``engine`` answering under ``tuning`` (same retriever, caches and embedder)."""
    from assistant.answering.extractive import ExtractiveAnswerer

    use_retrieval(engine.retriever, tuning)
    old = engine.answerer
    answerer = ExtractiveAnswerer(
        old.embedder, old.lexical, tuning=tuning, max_sentences=old.max_sentences
    )
    return Engine(
        engine.retriever,
        answerer,
        engine.top_k,
        engine.checker,
        engine.writer,
        date_filters=engine.date_filters,
        tuning=tuning,
    )


def answer_results(suite: Suite, path: Path, tuning: Tuning, k: int) -> SuiteResult:
    return run_suite(with_tuning(suite.engine, tuning), path, k)


def half_results(suite: Suite, half: str, tuning: Tuning, k: int) -> SuiteResult:
    """``half``'s questions answered under ``tuning``, all its files as one suite."""
    runs = [answer_results(suite, path, tuning, k) for path in suite.paths(half)]
    return SuiteResult(f"{suite.name}.{half}", [r for run in runs for r in run.results])


def answer_score(
    fact_recall: float, false_refusal_rate: float, unanswerable_refused: Sequence[bool]
) -> float:
    """The mean of the issue's three answer targets: fact recall, the share of
    unanswerable questions refused, and 1 - the false refusal rate. Each counts a third
    however few unanswerable questions a suite has (refusal accuracy over all questions
    let a suite with 4 unanswerables of 30 trade them for one answer more)."""
    parts = [fact_recall, 1.0 - false_refusal_rate]
    if unanswerable_refused:
        parts.append(metrics.mean([1.0 if r else 0.0 for r in unanswerable_refused]))
    return metrics.mean(parts)


def suite_answer_score(result: SuiteResult) -> float:
    m = result.metrics()
    refused = [r.answer.refused for r in result.results if not r.question.answerable]
    return answer_score(m["fact_recall"], m["false_refusal_rate"], refused)


def answer_objective(suites: Sequence[Suite], tuning: Tuning, k: int) -> list[float]:
    """:func:`answer_score` on each archive's dev questions."""
    return [suite_answer_score(half_results(s, "dev", tuning, k)) for s in suites]


def whole_objective(suites: Sequence[Suite], tuning: Tuning, k: int) -> list[float]:
    """Each archive's retrieval and answer objectives, averaged: what users get."""
    found = retrieval_objective(suites, tuning)
    answered = answer_objective(suites, tuning, k)
    return [(r + a) / 2 for r, a in zip(found, answered, strict=True)]


def grid(name: str, current: float | int) -> list[float | int]:
    """``GRID_POINTS`` values across the field's documented range, and its current one."""
    low, high = Tuning.search_ranges()[name]
    step = (high - low) / (GRID_POINTS - 1)
    values: list[float | int] = [low + i * step for i in range(GRID_POINTS)]
    if isinstance(current, int):
        values = [round(v) for v in values]
    else:
        values = [round(v, 4) for v in values]
    return sorted(set(values) | {current})


def better(candidate: Sequence[float], best: Sequence[float]) -> bool:
    """Whether per-archive scores ``candidate`` beat ``best``: a higher mean, no archive
    worse, and (when there are several) at least two archives better. A value that helps
    one archive at another's cost, or moves one archive's questions only, is fitted to
    those questions, not to the conventions, and would not hold on an archive nobody saw."""
    eps = 1e-9
    pairs = list(zip(candidate, best, strict=True))
    gains = metrics.mean(list(candidate)) > metrics.mean(list(best)) + eps
    raised = sum(c > b + eps for c, b in pairs)
    return gains and raised >= min(2, len(pairs)) and all(c >= b - eps for c, b in pairs)


def coordinate_search(
    tuning: Tuning,
    fields: Sequence[str],
    objective: Callable[[Tuning], Sequence[float]],
    rounds: int,
    say: Callable[[str], None],
) -> Tuning:
    """Each field in turn over its grid; a value is kept only when it does better on
    the archives' scores together (see :func:`better`)."""
    best = objective(tuning)
    say(f"  start: {metrics.mean(list(best)):.4f}")
    for round_ in range(1, rounds + 1):
        changed = False
        for name in fields:
            for value in grid(name, getattr(tuning, name)):
                if value == getattr(tuning, name):
                    continue
                candidate = dataclasses.replace(tuning, **{name: value})  # type: ignore[arg-type]
                score = objective(candidate)
                if better(score, best):
                    best, tuning, changed = score, candidate, True
                    say(f"  round {round_}: {name} = {value} -> {metrics.mean(list(best)):.4f}")
        if not changed:
            break
    return tuning


def open_suite(archive: Archive, work: Path, embedder: Any) -> Suite:
    engine = ingest_archive(archive, work, embedder)
    install_search_cache(engine.retriever)
    return Suite(archive.name, engine, archive.dev, archive.test, extra_dev=archive.extra_dev)


def figures(suites: Sequence[Suite], tuning: Tuning, k: int, answers: bool) -> list[str]:
    """One line per suite and half: hit@k, MRR and, with ``answers``, the answer metrics."""
    lines = []
    for s in suites:
        for half in ("dev", "test"):
            hit, mrr = retrieval_scores(s, half, tuning)
            line = f"{s.name + '.' + half:<18}{hit:>8.3f}{mrr:>8.3f}"
            if answers:
                m = half_results(s, half, tuning, k).metrics()
                line += "".join(
                    f"{m[c]:>10.3f}"
                    for c in ("fact_recall", "refusal_accuracy", "false_refusal_rate")
                )
            lines.append(line)
    return lines


def side_by_side(suite: Suite, shipped_tuning: Tuning, fitted: Tuning, k: int) -> str:
    """Dev and test, shipped and fitted, with answer metrics: one row per metric."""
    columns: list[tuple[str, dict[str, float]]] = []
    for half, path in (("dev", suite.dev), ("test", suite.test)):
        if not suite.recorded.get(half):
            continue
        for label, tuning in (("shipped", shipped_tuning), ("fitted", fitted)):
            m = answer_results(suite, path, tuning, k).metrics()
            hit, mrr = retrieval_scores(suite, half, tuning)
            m = {**m, "source_hit_at_k": hit, "mrr": mrr}
            columns.append((f"{half} {label}", m))
    names = ("source_hit_at_k", "mrr", "fact_recall", "refusal_accuracy", "false_refusal_rate")
    lines = [f"{'metric':<22}" + "".join(f"{label:>14}" for label, _ in columns)]
    for name in names:
        lines.append(f"{name:<22}" + "".join(f"{m[name]:>14.3f}" for _, m in columns))
    return "\n".join(lines)


def tune_collection(
    engine: Engine,
    dev: Path,
    test: Path | None,
    target: Path,
    answer_fields: Sequence[str],
    k: int,
) -> int:
    """`pressroom tune`: fit on ``dev`` over this engine's collection, print dev and test
    side by side with the shipped tuning, and save the fit to ``target``."""
    unknown = sorted(set(answer_fields) - set(Tuning.search_ranges()))
    if unknown:
        print(f"pressroom: error: unknown tuning fields {unknown}; see docs/tuning.md")
        return 2

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    start = shipped()
    install_search_cache(engine.retriever)
    use_retrieval(engine.retriever, start)
    suite = Suite("collection", engine, dev, test or dev)
    say(f"asking the {len(load_suite(dev))} dev questions once")
    suite.recorded["dev"] = record(suite, dev, k)
    if test is not None:
        suite.recorded["test"] = record(suite, test, k)
    fitted = coordinate_search(
        start, RETRIEVAL_FIELDS, lambda t: retrieval_objective([suite], t), 2, say
    )
    if answer_fields:
        fitted = coordinate_search(
            fitted, answer_fields, lambda t: answer_objective([suite], t, k), 1, say
        )
    print(side_by_side(suite, start, fitted, k))
    changes = {n: v for n, v in fitted.to_dict().items() if start.to_dict()[n] != v}
    print(f"changed: {changes or 'nothing'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fitted.save(
        target,
        f"Fitted to this collection on {dev} by `pressroom tune` on "
        f"{dt.date.today().isoformat()}.\n"
        "`pressroom tune --reset` goes back to the shipped tuning.",
    )
    print(f"saved {target}: used by ask, serve and eval on this collection from now on")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.tune", description=__doc__)
    parser.add_argument("--only", action="append", help="an archive to fit on (repeatable)")
    parser.add_argument("--archive", action="append", default=[], metavar="NAME=FOLDER")
    parser.add_argument("--shared", type=Path, help="the shared data folder (default ../shared)")
    parser.add_argument("--fields", default=",".join(RETRIEVAL_FIELDS))
    parser.add_argument("--answer-fields", default="", help="answering fields to fit (slow)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(".pressroom-tune"))
    parser.add_argument("--answers", action="store_true", help="also print answer metrics")
    parser.add_argument("--write", action="store_true", help=f"store the fit in {DEFAULT_FILE}")
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args(argv)

    from assistant.build import make_embedder
    from assistant.settings import Settings
    from vectorstore.embedder import CachedEmbedder

    known = archives(args.shared or shared_dir())
    for override in args.archive:
        name, _, folder = override.partition("=")
        if name not in known or not folder:
            parser.error(f"--archive {override!r}: expected NAME=FOLDER, NAME in {sorted(known)}")
        known[name] = dataclasses.replace(known[name], folder=Path(folder))
    fields = [f for f in args.fields.split(",") if f]
    answer_fields = [f for f in args.answer_fields.split(",") if f]
    unknown = sorted(set(fields + answer_fields) - set(Tuning.search_ranges()))
    if unknown:
        parser.error(f"unknown tuning fields {unknown}; see docs/tuning.md")

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    embedder = CachedEmbedder(make_embedder(Settings.from_env({})))
    # From the documented defaults, not from the last fit: the command in the header of
    # tuning.toml then gives the same values when run again.
    start = Tuning()
    suites = []
    for name in args.only or list(known):
        archive = known[name]
        if not archive.folder.is_dir():
            say(f"{name}: {archive.folder} is not a folder, skipped")
            continue
        say(f"{name}: syncing and asking each question once")
        suite = open_suite(archive, args.work, embedder)
        use_retrieval(suite.engine.retriever, start)
        suite.recorded = {
            half: [row for path in suite.paths(half) for row in record(suite, path, args.k)]
            for half in ("dev", "test")
        }
        for half, rows in suite.recorded.items():
            say(f"  {half}: {replayable(rows)}")
        suites.append(suite)
    if not suites:
        parser.error("no archive to fit on")

    if answer_fields:
        # One objective for every field: a retrieval weight also changes which answers
        # are right and which questions are refused.
        say("fitting retrieval and answering fields on the dev questions")
        fitted = coordinate_search(
            start,
            [*fields, *answer_fields],
            lambda t: whole_objective(suites, t, args.k),
            args.rounds,
            say,
        )
    else:
        say("fitting retrieval fields on the dev questions")
        fitted = coordinate_search(
            start, fields, lambda t: retrieval_objective(suites, t), args.rounds, say
        )

    header = f"{'suite':<18}{'hit@' + str(args.k):>8}{'MRR':>8}"
    if args.answers:
        header += f"{'facts':>10}{'refusal':>10}{'false_ref':>10}"
    for label, tuning in (("documented defaults", start), ("fitted", fitted)):
        print(f"\n{label} tuning")
        print(header)
        print("\n".join(figures(suites, tuning, args.k, args.answers)))
    changes = {k: v for k, v in fitted.to_dict().items() if start.to_dict()[k] != v}
    print(f"\nchanged: {changes or 'nothing'}")
    if args.write:
        command = "python -m evals.tune " + " ".join(argv if argv is not None else sys.argv[1:])
        fitted.save(
            DEFAULT_FILE,
            f"Fitted on the dev questions of {', '.join(s.name for s in suites)} by\n"
            f"`{command.strip()}` on {dt.date.today().isoformat()}.",
        )
        print(f"wrote {DEFAULT_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
