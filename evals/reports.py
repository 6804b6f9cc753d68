"""Eval reports for people and CI systems: JSON, Markdown, JUnit XML and a one-file HTML page.

Everything an answer contains comes from the releases, which are untrusted: the HTML page
escapes every piece of text, the Markdown escapes what a renderer could take for markup,
and the XML drops characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import html
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answering.model import Citation

if TYPE_CHECKING:
    from evals.runner import QuestionResult, SuiteResult

# The columns of the printed tables, in order (the comparison leaves out "questions").
TABLE_METRICS = (
    "questions",
    "source_hit_at_k",
    "source_recall_at_k",
    "mrr",
    "fact_recall",
    "refusal_accuracy",
    "false_refusal_rate",
    "citation_validity",
    "citation_support_rate",
    "citation_recall",
    "citation_precision",
    "latency_p50_ms",
    "latency_p95_ms",
)
# The metrics drawn as bars (all between 0 and 1, higher is better).
CHART_METRICS = (
    "source_recall_at_k",
    "mrr",
    "fact_recall",
    "refusal_accuracy",
    "citation_support_rate",
    "citation_recall",
    "citation_precision",
)
# Characters XML 1.0 does not allow, even escaped.
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_json(results: Sequence[SuiteResult], path: Path) -> None:
    report = {
        r.name: {
            "metrics": r.metrics(),
            "by_type": r.by_type(),
            "refusals_by_rule": r.refusals_by_rule(),
            "questions": [q.to_dict() for q in r.results],
        }
        for r in results
    }
    _write(path, json.dumps(report, indent=2, ensure_ascii=False))


def format_value(value: float, metric: str = "", undefined: str = "–") -> str:
    """A metric for people: a count or milliseconds whole, a rate with three decimals,
    ``undefined`` when there was nothing to measure."""
    if math.isnan(value):
        return undefined
    return f"{value:.0f}" if value >= 10 or metric == "questions" else f"{value:.3f}"


# --- Markdown ---------------------------------------------------------------------------


def markdown(results: Sequence[SuiteResult], misses: Sequence[str] = ()) -> str:
    """One table per suite (metrics down, overall and each question type across), then the
    failed questions and any missed thresholds. Fits a GitHub job summary."""
    lines: list[str] = []
    for result in results:
        by_type = result.by_type()
        overall = result.metrics()
        lines += [f"## Eval suite `{_md(result.name)}`", ""]
        lines.append("| metric | overall | " + " | ".join(map(_md, by_type)) + " |")
        lines.append("|---|---:|" + "---:|" * len(by_type))
        for metric in overall:
            cells = [format_value(overall[metric], metric)]
            cells += [format_value(values[metric], metric) for values in by_type.values()]
            lines.append(f"| {metric} | " + " | ".join(cells) + " |")
        failed = [r for r in result.results if r.failures()]
        lines += ["", f"### Failed questions ({len(failed)} of {len(result.results)})", ""]
        if failed:
            lines += ["| id | type | question | what went wrong |", "|---|---|---|---|"]
            for r in failed:
                q = r.question
                lines.append(
                    f"| {_md(q.id)} | {_md(q.type)} | {_md(q.question)} | "
                    f"{_md('; '.join(r.failures()))} |"
                )
        else:
            lines.append("None.")
        lines.append("")
    if misses:
        lines += ["## Missed thresholds", ""] + [f"- {_md(m)}" for m in misses] + [""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: escaped HTML, no pipe, no line break."""
    return html.escape(" ".join(text.split())).replace("|", "\\|")


# --- JUnit XML --------------------------------------------------------------------------


def junit(results: Sequence[SuiteResult], misses: Sequence[str] | None = None) -> str:
    """One test case per question, ``classname`` ``suite.type`` (CI systems group on the
    dot), failing with what was missing. ``misses`` (the thresholds missed, ``None`` when
    nothing was checked) add one ``thresholds`` case per suite, failing when a metric of
    that suite missed its threshold."""
    root = ET.Element("testsuites", name="pressroom eval")
    totals = {"tests": 0, "failures": 0}
    owned = {r.name: [m for m in misses or () if m.startswith(f"{r.name}: ")] for r in results}
    # A miss of no one suite (an unreadable thresholds file) fails every suite's case.
    general = [m for m in misses or () if not any(m in own for own in owned.values())]
    for result in results:
        cases = [_testcase(result.name, r) for r in result.results]
        if misses is not None:
            suite_misses = owned[result.name] + general
            case = ET.Element("testcase", classname=f"{result.name}.thresholds", name="thresholds")
            if suite_misses:
                failure = ET.SubElement(case, "failure", type="ThresholdMissed")
                failure.set("message", _xml("; ".join(suite_misses)))
                failure.text = _xml("\n".join(suite_misses))
            cases.append(case)
        failures = sum(case.find("failure") is not None for case in cases)
        seconds = sum(r.answer.timings_ms.get("total", 0.0) for r in result.results) / 1000
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_xml(result.name),
            tests=str(len(cases)),
            failures=str(failures),
            errors="0",
            time=f"{seconds:.3f}",
        )
        suite.extend(cases)
        totals["tests"] += len(cases)
        totals["failures"] += failures
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testcase(suite: str, result: QuestionResult) -> ET.Element:
    q, a = result.question, result.answer
    case = ET.Element(
        "testcase",
        classname=_xml(f"{suite}.{q.type}"),
        name=_xml(f"{q.id}: {q.question}"),
        time=f"{a.timings_ms.get('total', 0.0) / 1000:.3f}",
    )
    problems = result.failures()
    if problems:
        failure = ET.SubElement(case, "failure", type="EvalFailure")
        failure.set("message", _xml("; ".join(problems)))
        details = [*problems, "", f"question: {q.question}"]
        details += [f"earlier turn: {turn}" for turn in q.history]
        details += [f"answer: {a.text}"]
        details += [f"[{c.number}] {_source(c)}: {c.quote}" for c in a.citations]
        failure.text = _xml("\n".join(details))
    return case


def _xml(text: str) -> str:
    return XML_INVALID.sub("", text)


# --- HTML -------------------------------------------------------------------------------

CSS = """
body{font:15px/1.5 system-ui,sans-serif;color:#1d232a;max-width:1100px;margin:2em auto;
padding:0 1em}
h1,h2,h3{line-height:1.2} h2{margin-top:2em;border-bottom:2px solid #d0d7de;padding-bottom:.2em}
table{border-collapse:collapse;margin:1em 0;font-size:13px} th,td{padding:.3em .6em;
border-bottom:1px solid #e3e8ee;text-align:right} th:first-child,td:first-child{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:1em} figure{margin:0;border:1px solid #e3e8ee;
border-radius:6px;padding:.5em} figcaption{font-weight:600}
svg text{font:12px system-ui,sans-serif;fill:#1d232a}
.failed{border-left:4px solid #cf222e;padding:.3em 1em;margin:1.2em 0;background:#fff8f8}
.problems{color:#a40e26} .answer{white-space:pre-wrap;background:#fff;padding:.5em;
border:1px solid #e3e8ee} blockquote{margin:.3em 0 .6em 1em;color:#3b444d}
.meta{color:#57606a;font-size:13px} .ok{color:#1a7f37}
"""


def html_report(results: Sequence[SuiteResult], misses: Sequence[str] = ()) -> str:
    """One self-contained page: per suite the metric table, a bar chart per question type,
    then every failed question with its answer and citations."""
    e = html.escape
    body: list[str] = ["<h1>Pressroom eval report</h1>"]
    if misses:
        body.append("<h2>Missed thresholds</h2><ul class=problems>")
        body += [f"<li>{e(m)}</li>" for m in misses]
        body.append("</ul>")
    for result in results:
        overall, by_type = result.metrics(), result.by_type()
        failed = [r for r in result.results if r.failures()]
        body.append(f"<h2>Suite {e(result.name)}</h2>")
        body.append(
            f"<p class=meta>{len(result.results)} questions, {len(failed)} failed.</p><table>"
        )
        body.append(
            "<tr><th>metric</th><th>overall</th>"
            + "".join(f"<th>{e(t)}</th>" for t in by_type)
            + "</tr>"
        )
        for metric, value in overall.items():
            cells = [value, *(values[metric] for values in by_type.values())]
            body.append(
                f"<tr><td>{e(metric)}</td>"
                + "".join(f"<td>{format_value(v, metric)}</td>" for v in cells)
                + "</tr>"
            )
        body.append("</table><div class=charts>")
        body.append(bar_chart(f"all questions ({len(result.results)})", overall))
        for kind, values in by_type.items():
            body.append(bar_chart(f"{kind} ({values['questions']:.0f})", values))
        body.append("</div>")
        body.append(f"<h3>Failed questions ({len(failed)})</h3>")
        if not failed:
            body.append("<p class=ok>None.</p>")
        body += [_failed_question(r) for r in failed]
    title = "Pressroom eval: " + ", ".join(r.name for r in results)
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def bar_chart(title: str, values: dict[str, float]) -> str:
    """An inline SVG: one horizontal bar per metric of :data:`CHART_METRICS`, 0 to 1;
    an undefined metric gets no bar and a "–"."""
    e = html.escape
    label_w, bar_w, row_h = 150, 200, 20
    height = row_h * len(CHART_METRICS) + 6
    parts = [
        f'<figure><figcaption>{e(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{label_w + bar_w + 50}" height="{height}" role="img" '
        f'aria-label="{e(title)}">'
    ]
    for row, metric in enumerate(CHART_METRICS):
        value = values.get(metric, math.nan)
        y = row * row_h + 3
        parts.append(f'<text x="0" y="{y + 13}">{e(metric)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 6}" fill="#eef1f4"/>'
        )
        if not math.isnan(value):
            width = bar_w * min(max(value, 0.0), 1.0)
            colour = "#2da44e" if value >= 0.9 else "#d4a72c" if value >= 0.7 else "#cf222e"
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{width:.1f}" height="{row_h - 6}" '
                f'fill="{colour}"><title>{e(metric)} {value:.3f}</title></rect>'
            )
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 13}">{format_value(value)}</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


def _failed_question(result: QuestionResult) -> str:
    e = html.escape
    q, a = result.question, result.answer
    parts = [
        f'<section class=failed id="{e(q.id)}"><h4>{e(q.id)} · {e(q.type)}: {e(q.question)}</h4>'
    ]
    if q.history:
        parts.append(
            "<p class=meta>Earlier turns: " + " → ".join(e(turn) for turn in q.history) + "</p>"
        )
    parts.append("<ul class=problems>" + "".join(f"<li>{e(p)}</li>" for p in result.failures()))
    parts.append("</ul>")
    expected = ", ".join(q.expected_facts) or "—"
    parts.append(
        f"<p class=meta>Expected sources: {e(', '.join(q.expected_sources) or '—')}; "
        f"expected facts: {e(expected)}</p>"
    )
    parts.append(f"<div class=answer>{e(a.text)}</div>")
    for c in a.citations:
        verdict = "supported" if c.supported else "not supported"
        parts.append(f"<p class=meta>[{c.number}] {e(_source(c))} · {verdict}</p>")
        parts.append(f"<blockquote>{e(c.quote)}</blockquote>")
    parts.append("</section>")
    return "".join(parts)


def _source(citation: Citation) -> str:
    """``Title (release-id, 2024-03-14)`` for a citation."""
    chunk = citation.passage.chunk
    date = chunk.published.isoformat() if chunk.published else "undated"
    return f"{chunk.title} ({chunk.release_id}, {date})"


# ----------------------------------------------------------------------------------------


def write_reports(
    results: Sequence[SuiteResult],
    misses: Sequence[str] | None = None,
    report_json: Path | None = None,
    report_md: Path | None = None,
    junit_xml: Path | None = None,
    html_page: Path | None = None,
) -> None:
    """Write each report asked for; ``misses`` are the thresholds missed (``--check``;
    ``None`` when nothing was checked)."""
    if report_json:
        write_json(results, report_json)
    if report_md:
        _write(report_md, markdown(results, misses or ()))
    if junit_xml:
        _write(junit_xml, junit(results, misses))
    if html_page:
        _write(html_page, html_report(results, misses or ()))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
