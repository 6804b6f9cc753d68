"""Configurations for `pressroom eval --compare` (run end to end in tests/assistant/test_cli.py)."""

from __future__ import annotations

import pytest

from assistant.answering.engine import Engine
from evals.compare import CONFIGS, NO_LLM, parse_configs, variant


def test_configurations_are_parsed_and_checked() -> None:
    assert parse_configs("dense, bm25,dense") == ["dense", "bm25"]
    assert set(CONFIGS) == {"dense", "bm25", "hybrid", "hybrid+dates", "extractive", "llm"}
    with pytest.raises(ValueError, match="unknown: magic"):
        parse_configs("dense,magic")
    with pytest.raises(ValueError, match="expected configurations"):
        parse_configs(",")


def test_variants_share_the_engine_parts_and_change_only_their_own(demo_engine: Engine) -> None:
    dense = variant(demo_engine, CONFIGS["dense"])
    dated = variant(demo_engine, CONFIGS["hybrid+dates"])
    assert isinstance(dense, Engine) and isinstance(dated, Engine)
    assert dense.retriever.mode == "dense" and not dense.date_filters
    assert dated.retriever.mode == "hybrid" and dated.date_filters
    assert dense.retriever.lexical is demo_engine.retriever.lexical
    assert dense.answerer is demo_engine.answerer
    assert variant(demo_engine, CONFIGS["llm"]) == NO_LLM
