from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.model import REFUSAL, Answer, Citation, Interpreted
from evals import metrics
from evals.runner import QuestionResult, SuiteResult, check_thresholds, format_table
from evals.suite import EvalQuestion
from vectorstore.records import Passage

from ..conftest import make_chunk

REPO = Path(__file__).resolve().parents[2]
SHIPPED_THRESHOLDS = REPO / "evals" / "thresholds.toml"


def citation(number: int, release_id: str) -> Citation:
    chunk = make_chunk(
        release_id,
        "Some passage.",
        title="A release",
        published=dt.date(2024, 3, 14),
        source_path=f"archive/{release_id}.txt",
    )
    passage = Passage(chunk=chunk, rank=number, score=0.5)
    return Citation(number, passage, "Some passage.", 0, 13, True)


SUPPORTED_SENTENCE = metrics.SentenceVerdict(True, (metrics.CitationVerdict(1, alone=True),))


def result(
    id: str,
    *,
    answerable: bool = True,
    refused: bool = False,
    text: str = "The ban starts on 1 July [1].",
    facts: tuple[str, ...] = ("1 July",),
    source: str = "eel-ban",
    retrieved: tuple[str, ...] = ("eel-ban",),
    type: str = "lookup",
    total_ms: float = 100.0,
) -> QuestionResult:
    question = EvalQuestion(
        id=id,
        question=f"Question {id}?",
        answerable=answerable,
        expected_sources=[source] if answerable else [],
        expected_facts=list(facts) if answerable else [],
        type=type,
    )
    citations = [] if refused else [citation(1, retrieved[0] if retrieved else source)]
    answer = Answer(
        question=question.question,
        text=REFUSAL if refused else text,
        refused=refused,
        citations=citations,
        interpreted=Interpreted(query=question.question),
        timings_ms={"total": total_ms},
    )
    pairs = [(r, f"archive/{r}.txt") for r in retrieved]
    cited = [(c.passage.chunk.release_id, c.passage.chunk.source_path) for c in citations]
    sentences = [] if refused else [SUPPORTED_SENTENCE]
    return QuestionResult(question, answer, pairs, cited, sentences)


def good_suite(name: str = "demo") -> SuiteResult:
    return SuiteResult(
        name,
        [
            result("q1"),
            result("q2", type="temporal", total_ms=200.0),
            result("q3", answerable=False, refused=True, type="unanswerable", total_ms=50.0),
        ],
    )


def thresholds(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "thresholds.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_LIMITS = """
[demo]
source_recall_at_k = 0.95
mrr = 0.9
fact_recall = 0.75
refusal_accuracy = 0.9
false_refusal_rate = 0.05
citation_validity = 1.0
latency_p50_ms = 1000
latency_p95_ms = 2000
"""


def test_metrics_of_a_hand_made_suite() -> None:
    values = good_suite().metrics()
    assert values["questions"] == 3
    assert values["source_recall_at_k"] == 1.0
    assert values["mrr"] == 1.0
    assert values["cited_source_recall"] == 1.0
    assert values["fact_recall"] == 1.0
    assert values["citation_validity"] == 1.0
    assert values["citation_support_rate"] == 1.0
    assert values["citation_recall"] == 1.0
    assert values["citation_precision"] == 1.0
    assert values["refusal_accuracy"] == 1.0
    assert values["false_refusal_rate"] == 0.0
    assert values["latency_p50_ms"] == 100.0
    assert values["latency_p95_ms"] == pytest.approx(190.0)


def test_all_good_returns_nothing(tmp_path: Path) -> None:
    assert check_thresholds([good_suite()], thresholds(tmp_path, GOOD_LIMITS)) == []


@pytest.mark.parametrize("name", ["demo.test", "fomc.test", "secretariat.test", "ministry.test"])
def test_shipped_thresholds_name_only_known_metrics(name: str) -> None:
    assert check_thresholds([good_suite(name)], SHIPPED_THRESHOLDS) == []


def test_metric_under_its_minimum_is_reported(tmp_path: Path) -> None:
    suite = SuiteResult(
        "demo",
        [result("q1"), result("q2", text="The ban starts soon [1].")],  # fact missing in q2
    )
    misses = check_thresholds([suite], thresholds(tmp_path, GOOD_LIMITS))
    assert misses == ["demo: fact_recall 0.500 < minimum 0.75"]


def test_every_miss_is_reported(tmp_path: Path) -> None:
    suite = SuiteResult(
        "demo",
        [
            result("q1", refused=True),  # a false refusal
            result("q2", retrieved=("other",)),  # the expected source is not retrieved
        ],
    )
    misses = check_thresholds([suite], thresholds(tmp_path, GOOD_LIMITS))
    joined = "\n".join(misses)
    assert "demo: source_recall_at_k 0.500 < minimum 0.95" in misses
    assert "demo: mrr 0.500 < minimum 0.9" in misses
    assert "demo: refusal_accuracy 0.500 < minimum 0.9" in misses
    assert "demo: false_refusal_rate 0.500 > maximum 0.05" in misses
    assert "latency" not in joined


def test_latency_over_its_maximum_is_reported(tmp_path: Path) -> None:
    suite = SuiteResult("demo", [result("q1", total_ms=1500.0), result("q2", total_ms=4000.0)])
    misses = check_thresholds([suite], thresholds(tmp_path, GOOD_LIMITS))
    assert misses == [
        "demo: latency_p50_ms 2750.000 > maximum 1000",
        "demo: latency_p95_ms 3875.000 > maximum 2000",
    ]


def test_missing_suite_table_is_reported(tmp_path: Path) -> None:
    path = thresholds(tmp_path, GOOD_LIMITS)
    misses = check_thresholds([good_suite(), good_suite("holdout")], path)
    assert misses == [f"holdout: no thresholds in {path} (add a [holdout] table)"]


def test_unknown_metric_is_reported(tmp_path: Path) -> None:
    path = thresholds(tmp_path, "[demo]\nrecall_at_k = 0.9\nmrr = 0.5\n")
    assert check_thresholds([good_suite()], path) == [
        f"demo: unknown metric 'recall_at_k' in {path}"
    ]


@pytest.mark.parametrize("text", [None, "[demo\nmrr = "])
def test_unreadable_thresholds_are_reported(tmp_path: Path, text: str | None) -> None:
    path = tmp_path / "thresholds.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    misses = check_thresholds([good_suite()], path)
    assert len(misses) == 1
    assert misses[0].startswith(f"cannot read thresholds {path}")


def test_undefined_metric_fails_its_threshold(tmp_path: Path) -> None:
    # no answerable question: fact recall is NaN, which must not pass as good
    suite = SuiteResult("demo", [result("q1", answerable=False, refused=True)])
    misses = check_thresholds([suite], thresholds(tmp_path, "[demo]\nfact_recall = 0.75\n"))
    assert misses == ["demo: fact_recall nan < minimum 0.75"]
    assert math.isnan(suite.metrics()["fact_recall"])


def test_format_table() -> None:
    table = format_table(good_suite()).splitlines()
    header = table[0]
    for column in ("questions", "source_recall_", "mrr", "fact_recall", "latency_p95_ms"):
        assert column in header
    assert set(table[1]) == {"-"} and len(table[1]) == len(header)
    rows = {line[:22].rstrip(): line[22:].split() for line in table[2:]}
    assert list(rows) == ["demo", "  lookup", "  temporal", "  unanswerable"]
    # questions, hit, recall, mrr, fact recall, refusal accuracy, false refusals, validity,
    # support rate, citation recall, citation precision, p50, p95
    assert rows["demo"] == [
        "3",
        "1.000",
        "1.000",
        "1.000",
        "1.000",
        "1.000",
        "0.000",
        "1.000",
        "1.000",
        "1.000",
        "1.000",
        "100",
        "190",
    ]
    # a type with no answerable question has no recall: shown as "-", not as nan
    assert rows["  unanswerable"][1:4] == ["-", "-", "-"]
    assert not any("nan" in cells for cells in rows.values())
    assert all(len(line) == len(header) for line in table)


def test_citation_support_rate_counts_checked_citations() -> None:
    suite = good_suite()
    first = suite.results[0]
    flagged = replace(first.answer.citations[0], supported=False)
    first.answer = replace(first.answer, citations=[flagged, citation(2, "eel-ban")])
    # the refused answer cites nothing: 3 citations in all, 2 of them supported
    assert suite.metrics()["citation_support_rate"] == pytest.approx(2 / 3)


# --- what a failed question says --------------------------------------------------------


def test_a_passing_question_has_no_failures() -> None:
    assert result("q1").failures() == []


def test_failures_name_what_was_missing() -> None:
    question = EvalQuestion(
        id="q1",
        question="When and where?",
        answerable=True,
        expected_sources=["eel-ban", "fund", "PR-7"],
        expected_facts=["1 July", "Riga", "EUR 6 million"],
    )
    base = result("q1", text="On 1 July [1].", retrieved=("eel-ban",))
    problems = QuestionResult(question, base.answer, base.retrieved, base.cited).failures()
    assert problems == [
        "expected source not retrieved: fund, PR-7",
        "expected fact missing from the answer: Riga, EUR 6 million",
    ]


def test_failures_name_a_wrong_refusal() -> None:
    assert result("q1", refused=True).failures() == ["refused an answerable question"]
    answered = result("q2", answerable=False, retrieved=("eel-ban",))
    assert answered.failures() == ["answered an unanswerable question"]


def test_failures_name_invalid_and_unsupported_citations() -> None:
    from assistant.answering.claims import Claim

    r = result("q1", text="The ban starts on 1 July [1] [4].")
    dropped = Claim("Exports stop.", (), (9,), False, "cites no passage", 0.0, 0.0, 30, 44)
    r.answer = replace(r.answer, claims=[dropped])
    assert r.failures() == [
        "invalid citation [4] [9]: points at no passage",
        "unsupported sentence 'Exports stop.': cites no passage",
    ]
    assert r.markers() == [1, 4, 9]


def test_citation_metrics_ignore_a_refused_answerable_question() -> None:
    suite = SuiteResult("demo", [result("q1"), result("q2", refused=True)])
    values = suite.metrics()
    assert values["citation_recall"] == 1.0  # the refusal claims nothing
    assert values["citation_precision"] == 1.0
    assert values["false_refusal_rate"] == 0.5  # it is counted here instead


def test_citation_metrics_per_question_type() -> None:
    irrelevant = metrics.SentenceVerdict(
        True,
        (
            metrics.CitationVerdict(1, alone=True),
            metrics.CitationVerdict(2, rest=True),
        ),
    )
    suite = good_suite()
    suite.results[1].sentences = [irrelevant, metrics.SentenceVerdict(False)]  # temporal
    by_type = suite.by_type()
    assert by_type["lookup"]["citation_recall"] == 1.0
    assert by_type["temporal"]["citation_recall"] == 0.5
    assert by_type["temporal"]["citation_precision"] == 0.5
    assert math.isnan(by_type["unanswerable"]["citation_recall"])
    assert suite.metrics()["citation_recall"] == pytest.approx(2 / 3)
    assert suite.metrics()["citation_precision"] == pytest.approx(2 / 3)


def test_a_too_high_citation_threshold_fails(tmp_path: Path) -> None:
    limits = "[demo]\ncitation_recall = 1.0\ncitation_precision = 1.01\n"
    misses = check_thresholds([good_suite()], thresholds(tmp_path, limits))
    assert misses == ["demo: citation_precision 1.000 < minimum 1.01"]


def test_refusals_are_counted_by_the_rule_that_refused() -> None:
    class Refusal:
        def __init__(self, rule: str) -> None:
            self.rule = rule

    rows = [result("q1", answerable=False, refused=True) for _ in range(3)]
    rows.append(result("q4", answerable=True, refused=False))
    object.__setattr__(rows[0].answer, "refusal", {"rule": "missing_term", "detail": "12th"})
    object.__setattr__(rows[1].answer, "refusal", Refusal("missing_term"))
    suite = SuiteResult("demo", rows)
    assert suite.refusals_by_rule() == {"missing_term": 2, "unnamed": 1}
