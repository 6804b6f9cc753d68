"""The report writers on a hand-made suite: Markdown, JUnit XML and the HTML page."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.answering.model import REFUSAL, Answer, Citation, Interpreted
from evals import metrics, reports
from evals.runner import QuestionResult, SuiteResult
from evals.suite import EvalQuestion
from vectorstore.records import Passage

from ..conftest import make_chunk

HOSTILE = '<script>alert("x")</script> | <img src=x onerror=alert(1)>'


def cited(number: int, release_id: str, quote: str, title: str = "Eel ban") -> Citation:
    chunk = make_chunk(
        release_id,
        quote,
        title=title,
        published=dt.date(2022, 10, 11),
        place="Riga",
        source_path=f"archive/{release_id}.txt",
    )
    return Citation(number, Passage(chunk, number, 0.5), quote, 0, len(quote), True)


def question_result(
    id: str, type: str, text: str, citations: list[Citation], **question: object
) -> QuestionResult:
    q = EvalQuestion.model_validate(
        {"id": id, "question": f"Question {id}?", "type": type, "answerable": True, **question}
    )
    refused = text == REFUSAL
    answer = Answer(
        question=q.question,
        text=text,
        refused=refused,
        citations=citations,
        interpreted=Interpreted(query=q.question),
        timings_ms={"total": 250.0},
    )
    retrieved = [(c.passage.chunk.release_id, c.passage.chunk.source_path) for c in citations]
    sentences = [
        metrics.SentenceVerdict(True, (metrics.CitationVerdict(c.number, alone=True),))
        for c in citations
    ]
    return QuestionResult(q, answer, retrieved, retrieved, sentences)


@pytest.fixture
def suite() -> SuiteResult:
    quote = "Holmeria voted against the recommendation."
    return SuiteResult(
        "demo",
        [
            question_result(
                "q1",
                "who",
                "Holmeria voted against [1].",
                [cited(1, "eel-ban", quote)],
                expected_sources=["eel-ban"],
                expected_facts=["Holmeria"],
            ),
            question_result(
                "q2",
                "follow-up",
                f"The vote was close {HOSTILE} [1].",
                [cited(1, "eel-ban", f"Quote {HOSTILE}\x0b", title=f"Title {HOSTILE}")],
                expected_sources=["eel-ban", "fund"],
                expected_facts=["EUR 6 million"],
                history=["Who voted against in October 2022?"],
            ),
            question_result(
                "q3",
                "who",
                REFUSAL,
                [],
                expected_sources=["fund"],
                expected_facts=["Jutavia"],
            ),
        ],
    )


MISSES = ["demo: fact_recall 0.500 < minimum 0.75", "fomc: mrr 0.800 < minimum 0.9"]


def test_format_value() -> None:
    assert reports.format_value(0.8156) == "0.816"
    assert reports.format_value(3257.4) == "3257"
    assert reports.format_value(4.0, "questions") == "4"
    assert reports.format_value(float("nan")) == "–"


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_tables(suite: SuiteResult) -> None:
    lines = reports.markdown([suite], MISSES).splitlines()
    assert lines[0] == "## Eval suite `demo`"
    assert lines[2] == "| metric | overall | follow-up | who |"
    assert "| questions | 3 | 1 | 2 |" in lines
    assert "| fact_recall | 0.333 | 0.000 | 0.500 |" in lines
    assert "| false_refusal_rate | 0.333 | 0.000 | 0.500 |" in lines
    assert "### Failed questions (2 of 3)" in lines
    assert (
        "| q3 | who | Question q3? | refused an answerable question; expected source "
        "not retrieved: fund |"
    ) in lines
    assert lines[-4:] == [
        "## Missed thresholds",
        "",
        "- demo: fact_recall 0.500 &lt; minimum 0.75",
        "- fomc: mrr 0.800 &lt; minimum 0.9",
    ]


def test_markdown_escapes_what_releases_bring(suite: SuiteResult) -> None:
    suite.results[1].answer.claims.clear()
    text = reports.markdown([suite])
    assert "<script>" not in text and "<img" not in text
    row = next(line for line in text.splitlines() if line.startswith("| q2 |"))
    assert row.count(" | ") == 3  # the pipe in the hostile text is escaped, not a column


# --- JUnit XML --------------------------------------------------------------------------


def test_junit_has_one_case_per_question(suite: SuiteResult) -> None:
    root = ET.fromstring(reports.junit([suite]))
    assert root.tag == "testsuites"
    (testsuite,) = root
    assert testsuite.get("name") == "demo"
    assert testsuite.get("tests") == "3" and testsuite.get("failures") == "2"
    cases = testsuite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("demo.who", "q1: Question q1?"),
        ("demo.follow-up", "q2: Question q2?"),
        ("demo.who", "q3: Question q3?"),
    ]
    assert cases[0].find("failure") is None
    assert cases[0].get("time") == "0.250"
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "expected source not retrieved: fund; expected fact missing from the answer: EUR 6 million"
    )
    details = failure.text or ""
    assert "earlier turn: Who voted against in October 2022?" in details
    assert "answer: The vote was close <script>" in details
    # the vertical tab from the release cannot be in XML 1.0: dropped, the rest kept
    assert f"[1] Title {HOSTILE} (eel-ban, 2022-10-11): Quote {HOSTILE}" in details
    refused = cases[2].find("failure")
    assert refused is not None
    assert refused.get("message") == (
        "refused an answerable question; expected source not retrieved: fund"
    )


def test_junit_reports_missed_thresholds_per_suite(suite: SuiteResult) -> None:
    fomc = SuiteResult("fomc", suite.results[:1])
    root = ET.fromstring(reports.junit([suite, fomc], MISSES))
    cases = root.findall("testsuite/testcase[@name='thresholds']")
    assert [c.get("classname") for c in cases] == ["demo.thresholds", "fomc.thresholds"]
    messages = [c.find("failure").get("message") for c in cases]  # type: ignore[union-attr]
    assert messages == MISSES  # each suite's case holds its own misses only
    assert root.get("tests") == "6" and root.get("failures") == "4"


def test_junit_thresholds_case_passes_or_is_absent(suite: SuiteResult) -> None:
    root = ET.fromstring(reports.junit([suite], []))
    case = root.find("testsuite/testcase[@name='thresholds']")
    assert case is not None and case.find("failure") is None
    unchecked = ET.fromstring(reports.junit([suite]))  # no --check
    assert unchecked.find("testsuite/testcase[@name='thresholds']") is None


def test_junit_an_unreadable_thresholds_file_fails_every_suite(suite: SuiteResult) -> None:
    fomc = SuiteResult("fomc", suite.results[:1])
    root = ET.fromstring(reports.junit([suite, fomc], ["cannot read thresholds t.toml: gone"]))
    failures = root.findall("testsuite/testcase[@name='thresholds']/failure")
    assert [f.get("message") for f in failures] == ["cannot read thresholds t.toml: gone"] * 2


# --- HTML -------------------------------------------------------------------------------


class Page(HTMLParser):
    """The tags, the text, and any reference to something outside the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.outside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.outside += [f"{k}={v}" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def test_html_is_one_self_contained_page(suite: SuiteResult) -> None:
    page = parse(reports.html_report([suite], MISSES))
    assert page.outside == []
    assert "script" not in page.tags and "img" not in page.tags
    assert page.tags.count("style") == 1
    # a bar chart for the suite and one per question type
    assert page.tags.count("svg") == 3
    text = "".join(page.text)
    assert "demo: fact_recall 0.500 < minimum 0.75" in text
    assert "all questions (3)" in text and "follow-up (1)" in text and "who (2)" in text


def test_html_shows_failed_questions_with_answer_and_citations(suite: SuiteResult) -> None:
    report = reports.html_report([suite])
    assert "<script>" not in report and "<img" not in report
    page = parse(report)
    text = "".join(page.text)
    assert "Failed questions (2)" in text
    assert "q1 · who" not in text  # it passed
    assert f"The vote was close {HOSTILE} [1]." in text  # shown as text, escaped
    assert f"[1] Title {HOSTILE} (eel-ban, 2022-10-11) · supported" in text
    assert f"Quote {HOSTILE}" in text
    assert "Earlier turns: Who voted against in October 2022?" in text
    assert "refused an answerable question" in text


def test_bar_chart() -> None:
    values = {m: 1.0 for m in reports.CHART_METRICS}
    values["mrr"] = 0.5
    values["citation_recall"] = float("nan")
    chart = reports.bar_chart("lookup <b>", values)
    assert "lookup &lt;b&gt;" in chart
    bars = [tag for tag in chart.split("<rect")[1:] if "<title>" in tag]
    assert len(bars) == len(reports.CHART_METRICS) - 1  # none for the undefined metric
    mrr = next(bar for bar in bars if "<title>mrr " in bar)
    assert 'width="100.0"' in mrr  # half of the 200-pixel track
    assert "<title>mrr 0.500</title>" in mrr


def test_write_reports(suite: SuiteResult, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "folder"
    reports.write_reports(
        [suite],
        MISSES,
        report_json=out / "r.json",
        report_md=out / "r.md",
        junit_xml=out / "r.xml",
        html_page=out / "r.html",
    )
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert data["demo"]["questions"][1]["history"] == ["Who voted against in October 2022?"]
    assert data["demo"]["metrics"]["citation_recall"] == 1.0
    assert (out / "r.md").read_text(encoding="utf-8").startswith("## Eval suite")
    assert ET.parse(out / "r.xml").getroot().tag == "testsuites"
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
