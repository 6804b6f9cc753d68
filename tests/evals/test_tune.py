from __future__ import annotations

import dataclasses

from assistant.answering.tuning import Tuning
from evals.tune import RETRIEVAL_FIELDS, coordinate_search, grid


def test_grid_spans_the_documented_range_and_keeps_the_current_value() -> None:
    low, high = Tuning.search_ranges()["w_dense_rank"]
    values = grid("w_dense_rank", 0.6)
    assert values[0] == low and values[-1] == high and 0.6 in values
    assert all(isinstance(v, int) for v in grid("rrf_k", 60)) and 60 in grid("rrf_k", 60)


def test_retrieval_fields_are_tuning_fields() -> None:
    assert set(RETRIEVAL_FIELDS) <= set(Tuning.search_ranges())


def test_coordinate_search_keeps_only_what_does_better() -> None:
    said: list[str] = []

    def objective(t: Tuning) -> float:
        # Best at w_dense_rank = 1.0 and indifferent to rrf_k.
        return -abs(t.w_dense_rank - 1.0)

    start = Tuning()
    fitted = coordinate_search(start, ["w_dense_rank", "rrf_k"], objective, 2, said.append)
    assert fitted.w_dense_rank == 1.0
    assert fitted.rrf_k == start.rrf_k, "a tie never moves a field"
    assert dataclasses.replace(fitted, w_dense_rank=start.w_dense_rank) == start
    assert said[0].startswith("  start:")
