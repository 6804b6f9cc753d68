"""The `pressroom` command end to end, in a subprocess, on the demo archive."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO_ARCHIVE = REPO / "evals" / "corpus"
DEMO_SUITE = REPO / "evals" / "datasets" / "demo.test.jsonl"


def pressroom(
    *args: str, store: Path | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env["HF_HUB_OFFLINE"] = "1"
    if store is not None:
        env["PRESSROOM_STORE"] = str(store)
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli-store")
    result = pressroom("ingest", str(DEMO_ARCHIVE), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert "45 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in result.stdout
    assert "chunks written:" in result.stdout and "seconds:" in result.stdout
    return store


def test_ingest_again_changes_nothing(cli_store: Path) -> None:
    result = pressroom("ingest", str(DEMO_ARCHIVE), store=cli_store)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 updated, 45 unchanged, 0 removed, 0 failed" in result.stdout
    assert "chunks written: 0" in result.stdout


def test_ask_prints_answer_and_numbered_sources(cli_store: Path) -> None:
    # A question of the test's own: no eval-suite question is asked (CONTRIBUTING.md).
    result = pressroom(
        "ask",
        "In which city did ministers gather for their annual meeting in 2024?",
        store=cli_store,
    )
    assert result.returncode == 0, result.stderr
    assert "Helsinki" in result.stdout
    assert "Sources:" in result.stdout
    assert re.search(r"^\[\d\] ", result.stdout, re.MULTILINE), "numbered sources"
    assert "2024-05-28" in result.stdout


def test_ask_json_is_the_answer_object(cli_store: Path) -> None:
    result = pressroom(
        "ask",
        "How many vessels took part in AMBER SHIELD 2024?",
        "--json",
        "-k",
        "3",
        store=cli_store,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["refused"] is False
    assert answer["citations"] and all(1 <= c["n"] <= 3 for c in answer["citations"])
    assert answer["citations"][0]["source"].endswith(".html")


def test_eval_check_passes_the_repo_thresholds(cli_store: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    out = {kind: tmp_path / f"report.{kind}" for kind in ("md", "xml", "html")}
    result = pressroom(
        "eval",
        str(DEMO_SUITE),
        "--check",
        "--report-json",
        str(report),
        "--report-md",
        str(out["md"]),
        "--junit",
        str(out["xml"]),
        "--html",
        str(out["html"]),
        store=cli_store,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "eval check passed" in result.stdout
    data = json.loads(report.read_text(encoding="utf-8"))["demo.test"]
    assert len(data["questions"]) >= 30
    timing = rf"^demo.test: {len(data['questions'])} questions in \d+\.\d s$"
    assert re.search(timing, result.stdout, re.MULTILINE)
    assert data["metrics"]["source_recall_at_k"] >= 0.95
    assert all("answer" in q and "citations" in q["answer"] for q in data["questions"])
    failed = sum(bool(q["failures"]) for q in data["questions"])
    assert f"### Failed questions ({failed} of {len(data['questions'])})" in out["md"].read_text(
        encoding="utf-8"
    )
    suite = ET.parse(out["xml"]).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == str(failed)
    assert len(suite.findall("testcase")) == len(data["questions"]) + 1  # and the thresholds
    page = out["html"].read_text(encoding="utf-8")
    assert page.count("<svg") == 1 + len(data["by_type"]) and "<script" not in page


def test_eval_check_fails_loudly_on_a_missed_threshold(cli_store: Path, tmp_path: Path) -> None:
    suite = tmp_path / "small.jsonl"
    suite.write_text(
        "\n".join(DEMO_SUITE.read_text(encoding="utf-8").splitlines()[:3]), encoding="utf-8"
    )
    strict = tmp_path / "strict.toml"
    strict.write_text(
        "[small]\nfact_recall = 1.01\ncitation_recall = 1.01\nlatency_p95_ms = 0.001\n",
        encoding="utf-8",
    )
    junit = tmp_path / "small.xml"
    result = pressroom(
        "eval", str(suite), "--check", str(strict), "--junit", str(junit), store=cli_store
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    misses = lines[lines.index("eval check FAILED:") :]
    assert re.fullmatch(r"  small: fact_recall \d\.\d{3} < minimum 1\.01", misses[1])
    assert re.fullmatch(r"  small: citation_recall \d\.\d{3} < minimum 1\.01", misses[2])
    assert re.fullmatch(r"  small: latency_p95_ms \d+\.\d{3} > maximum 0\.001", misses[3])
    thresholds = ET.parse(junit).getroot().find("testsuite/testcase[@name='thresholds']/failure")
    assert thresholds is not None
    assert thresholds.get("message", "").count("small: ") == 3


def test_ingest_saves_the_bm25_index_beside_the_store(cli_store: Path) -> None:
    folder = cli_store / "lexical" / "press"
    name = (folder / "CURRENT").read_text(encoding="utf-8")
    assert (folder / name / "stamp.json").is_file()
    assert (folder / name / "chunks.jsonl").is_file()


def test_eval_compare_prints_one_column_per_configuration(cli_store: Path, tmp_path: Path) -> None:
    suite = tmp_path / "small.jsonl"
    suite.write_text(DEMO_SUITE.read_text(encoding="utf-8").splitlines()[1], encoding="utf-8")
    report = tmp_path / "compare.json"
    result = pressroom(
        "eval",
        str(suite),
        "--compare",
        "bm25,hybrid+dates,llm",
        "--report-json",
        str(report),
        store=cli_store,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    header, _rule, *rows = result.stdout.splitlines()
    assert header.split() == ["small", "(1", "q)", "bm25", "hybrid+dates", "llm"]
    recall = next(r for r in rows if r.startswith("source_recall_at_k")).split()
    assert recall == ["source_recall_at_k", "1.000", "1.000", "-"], "llm has no figures"
    assert "llm: skipped: no LLM configured" in result.stdout
    data = json.loads(report.read_text(encoding="utf-8"))["compare"]["small"]
    assert data["llm"] == {"skipped": data["llm"]["skipped"]}
    assert data["bm25"]["metrics"]["questions"] == 1
    assert data["hybrid+dates"]["metrics"]["source_recall_at_k"] == 1.0


def test_eval_compare_names_an_unknown_configuration(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import build_parser

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["eval", "suite.jsonl", "--compare", "dense,magic"])
    assert exit_.value.code == 2
    assert "unknown: magic" in capsys.readouterr().err


def test_ask_on_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    result = pressroom("ask", "anything", store=tmp_path / "empty")
    assert result.returncode == 1
    assert "pressroom ingest" in result.stderr


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = pressroom("ingest", str(tmp_path / "nowhere"), store=tmp_path / "s")
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr


def test_widget_token_is_signed_with_the_api_token() -> None:
    from assistant.web.security import token_valid

    env_token = "abc-secret"
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "widget-token", "--ttl", "60"],
        cwd=REPO,
        env={**os.environ, "PRESSROOM_API_TOKEN": env_token},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token_valid(token, env_token) and env_token not in token


def test_tune_fits_this_collection_prints_both_halves_and_reset_goes_back(
    cli_store: Path, tmp_path: Path
) -> None:
    lines = (REPO / "evals" / "datasets" / "demo.dev.jsonl").read_text(encoding="utf-8")
    dev, test = tmp_path / "mine.dev.jsonl", tmp_path / "mine.test.jsonl"
    dev.write_text("\n".join(lines.splitlines()[1:4]), encoding="utf-8")
    test.write_text("\n".join(lines.splitlines()[4:6]), encoding="utf-8")
    fitted = cli_store / "lexical" / "press.tuning.toml"
    result = pressroom("tune", str(dev), "--test", str(test), store=cli_store)
    assert result.returncode == 0, result.stdout + result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == "metric dev shipped dev fitted test shipped test fitted".split()
    assert re.search(r"^source_hit_at_k(\s+\d\.\d{3}){4}$", result.stdout, re.MULTILINE)
    assert fitted.is_file() and "pressroom tune" in fitted.read_text(encoding="utf-8")
    reset = pressroom("tune", "--reset", store=cli_store)
    assert reset.returncode == 0 and not fitted.exists()
    assert "shipped tuning applies again" in reset.stdout
