"""Eval suites: JSONL files of questions, validated at the edge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evals.metrics import alternatives
from pressroom.errors import PressroomError

# A suite half: ``NAME.dev.jsonl`` / ``NAME.test.jsonl`` in evals/datasets, or
# ``questions-dev.jsonl`` / ``questions-test.jsonl`` inside an archive's folder.
HALVES = ("dev", "test")


class SuiteError(PressroomError, ValueError):
    """A suite file cannot be used; the message names the file and line."""


class EvalQuestion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    answerable: bool
    expected_sources: list[str] = Field(default_factory=list)
    expected_facts: list[str] = Field(default_factory=list)
    type: str = "lookup"
    # The user's earlier turns in the conversation, oldest first (a follow-up question).
    history: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)

    @field_validator("expected_facts")
    @classmethod
    def _each_fact_has_a_spelling(cls, facts: list[str]) -> list[str]:
        """``"Halvorsen|Ingrid Halvorsen"`` lists acceptable spellings of one fact; a fact
        with no non-empty spelling ("", "|") could never be found."""
        for fact in facts:
            if not alternatives(fact):
                raise ValueError(f"expected fact {fact!r} has no spelling")
        return facts


def suite_name(path: Path) -> str:
    """The suite's name in reports and thresholds: the file name without ``.jsonl``
    (``demo.test``); an archive's generic ``questions-test.jsonl`` is named after its
    folder (``secretariat.test``)."""
    stem = path.name.removesuffix(".jsonl")
    for half in HALVES:
        if stem in (f"questions-{half}", f"questions.{half}", f"questions_{half}"):
            return f"{path.resolve().parent.name}.{half}"
    return stem


def load_suite(path: Path) -> list[EvalQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"{path}: cannot read the suite: {exc}") from exc
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = EvalQuestion.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{path}:{number}: malformed JSON: {exc.msg}") from None
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            raise SuiteError(f"{path}:{number}: {problems}") from None
        if row.id in seen:
            raise SuiteError(f"{path}:{number}: duplicate question id {row.id!r}")
        seen.add(row.id)
        questions.append(row)
    if not questions:
        raise SuiteError(f"{path}: the suite has no questions")
    return questions
