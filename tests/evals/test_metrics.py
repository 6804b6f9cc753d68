from __future__ import annotations

import math

import pytest

from evals import metrics

RETRIEVED = [
    ("2024-03-14-eel-ban", "archive/2024-03-14-eel-ban.txt"),
    ("PR-2023-01", "https://press.example.org/releases/2023/regional-office"),
    ("2022-01-19-work-programme", "archive/2022-01-19-work-programme.txt"),
]


def test_normalise() -> None:
    assert metrics.normalise("  Eight  Member\n States\t") == "eight member states"
    assert metrics.normalise("") == ""


@pytest.mark.parametrize(
    ("expected", "release_id", "source", "matches"),
    [
        ("PR-2023-01", "PR-2023-01", "https://x.org/a", True),
        ("eel-ban", "2024-03-14-eel-ban", "x.txt", True),
        ("regional-office", "PR-2023-01", "https://x.org/regional-office", True),
        ("eel-ban", "PR-2023-01", "https://x.org/regional-office", False),
        ("PR-2023-01", "pr-2023-01", "y", False),  # case-sensitive
    ],
)
def test_source_matches(expected: str, release_id: str, source: str, matches: bool) -> None:
    assert metrics.source_matches(expected, release_id, source) is matches


def test_first_relevant_rank() -> None:
    assert metrics.first_relevant_rank(["2024-03-14-eel-ban"], RETRIEVED) == 1
    assert metrics.first_relevant_rank(["work-programme", "PR-2023-01"], RETRIEVED) == 2
    assert metrics.first_relevant_rank(["regional-office"], RETRIEVED) == 2  # via the source
    assert metrics.first_relevant_rank(["missing"], RETRIEVED) is None
    assert metrics.first_relevant_rank(["eel-ban"], []) is None
    assert metrics.first_relevant_rank([], RETRIEVED) is None


def test_source_recall() -> None:
    assert metrics.source_recall(["eel-ban", "PR-2023-01"], RETRIEVED) == 1.0
    assert metrics.source_recall(["eel-ban", "missing"], RETRIEVED) == 0.5
    assert metrics.source_recall(["xyz", "qqq", "work-programme"], RETRIEVED) == pytest.approx(
        1 / 3
    )
    assert metrics.source_recall(["eel-ban"], []) == 0.0
    assert metrics.source_recall([], RETRIEVED) == 1.0
    assert metrics.source_recall([], []) == 1.0


def test_reciprocal_rank() -> None:
    assert metrics.reciprocal_rank(["eel-ban"], RETRIEVED) == 1.0
    assert metrics.reciprocal_rank(["PR-2023-01"], RETRIEVED) == 0.5
    assert metrics.reciprocal_rank(["work-programme"], RETRIEVED) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["missing"], RETRIEVED) == 0.0
    assert metrics.reciprocal_rank(["eel-ban"], []) == 0.0


def test_fact_recall() -> None:
    answer = "The protocol took effect on 1  February 2023 [1] after EIGHT member states ratified."
    assert metrics.fact_recall(["1 February 2023", "eight member states"], answer) == 1.0
    assert metrics.fact_recall(["1 February 2023", "nine member states"], answer) == 0.5
    assert metrics.fact_recall(["absent"], answer) == 0.0
    assert metrics.fact_recall([], answer) == 1.0
    assert metrics.fact_recall(["anything"], "") == 0.0


def test_fact_recall_ignores_citation_markers() -> None:
    assert metrics.fact_recall(["1 February 2023"], "on 1 February [2] 2023.") == 1.0
    assert metrics.fact_recall(["EUR 1.3 million"], "costs EUR 1.3 [12] million") == 1.0


def test_missing_facts() -> None:
    answer = "Ministers met in Riga [1] on 24 May."
    assert metrics.missing_facts(["Riga", "24 May", "Tallinn"], answer) == ["Tallinn"]
    assert metrics.missing_facts(["riga on 24 may"], answer) == []
    assert metrics.missing_facts([], answer) == []
    assert metrics.missing_facts(["Riga"], "") == ["Riga"]


def test_citation_validity() -> None:
    assert metrics.citation_validity([1, 2], [1, 2, 3]) == 1.0
    assert metrics.citation_validity([1, 7], [1, 2]) == 0.5
    assert metrics.citation_validity([7, 8, 9], []) == 0.0
    assert metrics.citation_validity([1, 1, 4], [1]) == pytest.approx(2 / 3)
    assert metrics.citation_validity([], [1]) == 1.0
    assert metrics.citation_validity([], []) == 1.0


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 0, 5.0),
        ([5.0], 50, 5.0),
        ([5.0], 95, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 50, 2.5),  # unsorted input
        ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 95, 4.8),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0, 1.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 100, 5.0),
        ([10.0, 20.0], 25, 12.5),
    ],
)
def test_percentile_interpolates(values: list[float], q: float, expected: float) -> None:
    assert metrics.percentile(values, q) == pytest.approx(expected)


def test_percentile_does_not_change_its_input() -> None:
    values = [3.0, 1.0, 2.0]
    metrics.percentile(values, 50)
    assert values == [3.0, 1.0, 2.0]


def test_percentile_of_nothing_is_nan() -> None:
    assert math.isnan(metrics.percentile([], 50))
    assert math.isnan(metrics.percentile([], 95))


def test_mean() -> None:
    assert metrics.mean([1.0, 2.0, 6.0]) == 3.0
    assert metrics.mean([0.5]) == 0.5
    assert math.isnan(metrics.mean([]))


def test_support_rate() -> None:
    assert metrics.support_rate([True, True, False, True]) == 0.75
    assert metrics.support_rate([True]) == 1.0
    assert math.isnan(metrics.support_rate([]))
