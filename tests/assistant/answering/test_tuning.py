"""The Tuning: one documented place for the answering model's numbers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.answering.tuning import DOCS_PAGE, Tuning, TuningError, docs_text, shipped
from assistant.build import load_tuning
from assistant.settings import Settings


def test_every_field_is_documented_with_a_search_range_holding_its_default() -> None:
    for f in dataclasses.fields(Tuning):
        assert f.metadata["doc"], f.name
        low, high = Tuning.search_ranges()[f.name]
        assert low <= f.default <= high, f.name


def test_the_docs_page_is_generated_from_the_dataclass() -> None:
    assert DOCS_PAGE.read_text(encoding="utf-8") == docs_text(), (
        "docs/tuning.md is stale: run `python -m assistant.answering.tuning`"
    )


def test_the_shipped_file_loads_and_names_what_produced_it() -> None:
    assert isinstance(shipped(), Tuning)
    header = Path("assistant/answering/tuning.toml").read_text(encoding="utf-8")
    assert header.startswith("# ") and "python -m" in header.splitlines()[1]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    fitted = dataclasses.replace(Tuning(), w_similarity=0.9, recent_days=90)
    path = tmp_path / "t.toml"
    fitted.save(path, "python -m evals.tune on 2026-12-01")
    assert Tuning.load(path) == fitted
    assert path.read_text(encoding="utf-8").startswith("# python -m evals.tune on 2026-12-01\n")


def test_a_file_may_set_some_fields(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text("min_evidence = 0.7\n", encoding="utf-8")
    assert Tuning.load(path) == dataclasses.replace(Tuning(), min_evidence=0.7)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("w_nothing = 1\n", "unknown tuning keys ['w_nothing']"),
        ('w_rank = "high"\n', "w_rank: expected a number"),
        ("recent_days = 90.5\n", "recent_days: expected a whole number"),
        ("w_rank = \n", "not valid TOML"),
    ],
)
def test_a_bad_file_is_named_with_the_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TuningError, match=r"bad\.toml") as caught:
        Tuning.load(path)
    assert reason in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TuningError, match=r"missing\.toml: cannot read"):
        Tuning.load(tmp_path / "missing.toml")


def test_settings_choose_the_tuning(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("w_similarity = 1.0\n", encoding="utf-8")
    assert load_tuning(Settings.from_env({})) == shipped()
    mine = load_tuning(Settings.from_env({"PRESSROOM_TUNING": str(path)}))
    assert mine.w_similarity == 1.0
    overridden = load_tuning(
        Settings.from_env({"PRESSROOM_TUNING": str(path), "PRESSROOM_MIN_EVIDENCE": "0.9"})
    )
    assert (overridden.w_similarity, overridden.min_evidence) == (1.0, 0.9)
