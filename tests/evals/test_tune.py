from __future__ import annotations

import dataclasses

import pytest

from assistant.answering.tuning import Tuning
from evals.tune import RETRIEVAL_FIELDS, coordinate_search, grid, producing_call
from vectorstore.records import Passage

from ..conftest import make_chunk


def test_grid_spans_the_documented_range_and_keeps_the_current_value() -> None:
    low, high = Tuning.search_ranges()["w_dense_rank"]
    values = grid("w_dense_rank", 0.6)
    assert values[0] == low and values[-1] == high and 0.6 in values
    assert all(isinstance(v, int) for v in grid("rrf_k", 60)) and 60 in grid("rrf_k", 60)


def test_retrieval_fields_are_tuning_fields() -> None:
    assert set(RETRIEVAL_FIELDS) <= set(Tuning.search_ranges())


def test_coordinate_search_keeps_only_what_does_better() -> None:
    said: list[str] = []

    def objective(t: Tuning) -> list[float]:
        # Best at w_dense_rank = 1.0 and indifferent to rrf_k.
        return [-abs(t.w_dense_rank - 1.0)]

    start = Tuning()
    fitted = coordinate_search(start, ["w_dense_rank", "rrf_k"], objective, 2, said.append)
    assert fitted.w_dense_rank == 1.0
    assert fitted.rrf_k == start.rrf_k, "a tie never moves a field"
    assert dataclasses.replace(fitted, w_dense_rank=start.w_dense_rank) == start
    assert said[0].startswith("  start:")


def _passage(chunk_id: str, rank: int) -> Passage:
    chunk = make_chunk(chunk_id.split(":")[0], "Some text.")
    return Passage(chunk=dataclasses.replace(chunk, chunk_id=chunk_id), rank=rank, score=1.0)


def test_producing_call_matches_renumbered_passages_as_a_set() -> None:
    a, b, c = _passage("r1:0", 1), _passage("r2:0", 2), _passage("r3:0", 3)
    calls = [
        (("first",), {}, [a, c]),
        (("second",), {}, [a, b]),
        (("third",), {}, [b, c]),
    ]
    # The answer shows the cited passage first: [b, a] is the second call's result.
    shown = [dataclasses.replace(b, rank=1), dataclasses.replace(a, rank=2)]
    assert producing_call(calls, shown) == (("second",), {})
    assert producing_call(calls, [_passage("r9:0", 1)]) is None


def test_a_value_that_costs_one_archive_is_not_kept() -> None:
    from evals.tune import better

    assert better([0.9, 0.81], [0.85, 0.8])
    assert not better([0.99, 0.79], [0.85, 0.8]), "a higher mean at one archive's cost"
    assert not better([0.85, 0.8], [0.85, 0.8]), "a tie"
    assert not better([0.9, 0.8, 0.7], [0.85, 0.8, 0.7]), "one archive's questions only"
    assert better([0.9, 0.81, 0.7], [0.85, 0.8, 0.7])
    assert better([0.9], [0.85]), "one collection of one's own"


def test_the_answer_score_weighs_unanswerables_a_third_however_few() -> None:
    from evals.tune import answer_score

    one_of_one = answer_score(0.9, 0.0, [True])
    none_of_one = answer_score(0.9, 0.0, [False])
    assert one_of_one - none_of_one == pytest.approx(1 / 3)
    assert answer_score(0.9, 0.1, []) == pytest.approx(0.9), "no unanswerables: two parts"
