from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from evals.suite import EvalQuestion, SuiteError, load_suite, suite_name

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "evals" / "corpus"
DATASETS = REPO / "evals" / "datasets"
DEMO = DATASETS / "demo.test.jsonl"
FOMC = DATASETS / "fomc.test.jsonl"
# The kinds of question every shipped suite must cover.
QUESTION_TYPES = {"lookup", "temporal", "latest", "who", "numeric", "follow-up", "unanswerable"}


def row(id: str = "q1", **fields: Any) -> str:
    data: dict[str, Any] = {
        "id": id,
        "question": "When did the eel export ban start?",
        "answerable": True,
        "expected_sources": ["2022-10-11-eel-export-ban-vote"],
        "expected_facts": ["1 July"],
        "type": "lookup",
    }
    data.update(fields)
    return json.dumps({k: v for k, v in data.items() if v is not None})


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "suite.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_suite_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        row("q1"),
        "",
        row("q2", answerable=False, expected_sources=None, expected_facts=None, type=None),
    )
    questions = load_suite(path)
    assert [q.id for q in questions] == ["q1", "q2"]
    first, second = questions
    assert first == EvalQuestion(
        id="q1",
        question="When did the eel export ban start?",
        answerable=True,
        expected_sources=["2022-10-11-eel-export-ban-vote"],
        expected_facts=["1 July"],
        type="lookup",
    )
    # defaults
    assert second.answerable is False
    assert second.expected_sources == [] and second.expected_facts == []
    assert second.type == "lookup"


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, row("q1"), row("q2"), '{"id": "q3", "question": ')
    with pytest.raises(SuiteError, match=rf"^{re.escape(str(path))}:3: malformed JSON"):
        load_suite(path)


def test_missing_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, row("q1"), json.dumps({"id": "q2", "question": "Why?"}))
    with pytest.raises(SuiteError, match=rf"^{re.escape(str(path))}:2: answerable: Field required"):
        load_suite(path)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"id": ""}, "id"),
        ({"question": ""}, "question"),
        ({"answerable": "perhaps"}, "answerable"),
        ({"expected_sources": "not-a-list"}, "expected_sources"),
        ({"surprise": 1}, "surprise"),
        ({"history": "not-a-list"}, "history"),
        ({"history": ["Earlier?", ""]}, "history.1"),
    ],
)
def test_invalid_field_is_named(tmp_path: Path, fields: dict[str, Any], field: str) -> None:
    base = json.loads(row("q1"))
    base.update(fields)
    path = write(tmp_path, json.dumps(base))
    with pytest.raises(SuiteError, match=rf"^{re.escape(str(path))}:1: {field}"):
        load_suite(path)


def test_history_holds_the_earlier_turns(tmp_path: Path) -> None:
    earlier = ["Which city hosted the 2022 meeting?", "And in 2023?"]
    path = write(tmp_path, row("q1", history=earlier), row("q2"))
    first, second = load_suite(path)
    assert first.history == earlier
    assert second.history == []


def test_duplicate_id_names_the_second_line(tmp_path: Path) -> None:
    path = write(tmp_path, row("q1"), row("q2"), row("q1"))
    with pytest.raises(SuiteError, match=rf"^{re.escape(str(path))}:3: duplicate question id 'q1'"):
        load_suite(path)


@pytest.mark.parametrize("content", ["", "\n\n   \n"])
def test_empty_suite_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SuiteError, match="has no questions"):
        load_suite(path)


def test_missing_file_is_a_suite_error(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="cannot read the suite"):
        load_suite(tmp_path / "absent.jsonl")


# --- the shipped demo suite -----------------------------------------------------------------


def corpus_names() -> set[str]:
    """Every name an expected source may match: file names (with and without suffix) under
    evals/corpus and the ids of the records in evals/corpus/feeds."""
    names: set[str] = set()
    for path in CORPUS.rglob("*"):
        if path.is_file():
            names |= {path.name, path.stem}
    for feed in (CORPUS / "feeds").glob("*"):
        text = feed.read_text(encoding="utf-8")
        if feed.suffix == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            records = json.loads(text)
        names |= {str(r["id"]) for r in records}
    return names


@pytest.fixture(scope="module")
def demo() -> list[EvalQuestion]:
    return load_suite(DEMO) + load_suite(DATASETS / "demo.dev.jsonl")


def test_demo_suite_size(demo: list[EvalQuestion]) -> None:
    assert len(demo) >= 30
    assert sum(not q.answerable for q in demo) >= 5
    assert sum(q.type in ("temporal", "latest") for q in demo) >= 5


def test_demo_answerable_questions_have_sources_and_facts(demo: list[EvalQuestion]) -> None:
    for q in demo:
        if q.answerable:
            assert q.expected_sources, q.id
            assert q.expected_facts, q.id
            assert all(f.strip() for f in q.expected_facts), q.id


def test_demo_expected_sources_exist_in_the_corpus(demo: list[EvalQuestion]) -> None:
    names = corpus_names()
    unknown = {(q.id, s) for q in demo for s in q.expected_sources if s not in names}
    assert not unknown


def test_corpus_names_read_the_feeds() -> None:
    names = corpus_names()
    assert "PR-2023-01" in names  # a record id inside feeds/news-2023.json
    assert "2024-10-15-investment-outlook" in names  # a file stem


@pytest.mark.parametrize(
    "path",
    [DEMO, FOMC, DATASETS / "demo.dev.jsonl", DATASETS / "fomc.dev.jsonl"],
    ids=["demo.test", "fomc.test", "demo.dev", "fomc.dev"],
)
def test_shipped_suites_cover_every_question_type(path: Path) -> None:
    questions = load_suite(path)
    assert {q.type for q in questions} == QUESTION_TYPES
    follow_ups = [q for q in questions if q.type == "follow-up"]
    assert len(follow_ups) >= 3
    assert all(q.history for q in follow_ups)
    assert all(not q.history for q in questions if q.type != "follow-up")


@pytest.mark.parametrize("fact", ["", "|", " | "])
def test_an_expected_fact_needs_a_spelling(tmp_path: Path, fact: str) -> None:
    path = write(tmp_path, row("q1", expected_facts=["1 July", fact]))
    with pytest.raises(SuiteError, match=rf"^{re.escape(str(path))}:1: expected_facts"):
        load_suite(path)


def test_alternatives_load(tmp_path: Path) -> None:
    path = write(tmp_path, row("q1", expected_facts=["Halvorsen|Ingrid Halvorsen"]))
    assert load_suite(path)[0].expected_facts == ["Halvorsen|Ingrid Halvorsen"]


def test_suite_names() -> None:
    assert suite_name(Path("evals/datasets/demo.test.jsonl")) == "demo.test"
    assert suite_name(Path("/data/secretariat/questions-dev.jsonl")) == "secretariat.dev"
    assert suite_name(Path("/data/ministry/questions-test.jsonl")) == "ministry.test"
    assert suite_name(Path("mine.jsonl")) == "mine"


# --- the shipped halves ----------------------------------------------------------------------

HALVES = {
    name: (DATASETS / f"{name}.dev.jsonl", DATASETS / f"{name}.test.jsonl")
    for name in ("demo", "fomc")
}


@pytest.mark.parametrize("name", sorted(HALVES))
def test_each_suite_is_split_into_dev_and_test(name: str) -> None:
    dev, test = (load_suite(p) for p in HALVES[name])
    assert len(test) >= 30
    assert not {q.id for q in dev} & {q.id for q in test}
    assert not {q.question for q in dev} & {q.question for q in test}
    assert sum(not q.answerable for q in test) >= 5
