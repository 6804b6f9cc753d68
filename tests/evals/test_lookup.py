"""The reference-lookup measure end to end on a small synthetic archive."""

from __future__ import annotations

from evals.lookup import measure


def test_every_release_asked_for_by_reference_comes_first() -> None:
    result = measure(releases=20, seed=3)
    assert result["asked"] == 20
    assert result["hybrid"] == {"first": 1.0, "top_5": 1.0}
    assert result["bm25"]["first"] == 1.0
