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


# --- ALCE citation recall and precision ---------------------------------------------------

V = metrics.CitationVerdict
S = metrics.SentenceVerdict


def test_missing_sources() -> None:
    assert metrics.missing_sources(["eel-ban", "missing", "PR-2023-01"], RETRIEVED) == ["missing"]
    assert metrics.missing_sources(["eel-ban"], []) == ["eel-ban"]
    assert metrics.missing_sources([], RETRIEVED) == []


def test_citation_metrics_of_nothing_are_nan() -> None:
    # a refusal makes no claim: no sentence, no citation
    assert math.isnan(metrics.citation_recall([]))
    assert math.isnan(metrics.citation_precision([]))


def test_one_supporting_citation() -> None:
    sentences = [S(True, (V(1, alone=True),))]
    assert metrics.citation_recall(sentences) == 1.0
    assert metrics.citation_precision(sentences) == 1.0


def test_sentence_without_citations() -> None:
    sentences = [S(False)]
    assert metrics.citation_recall(sentences) == 0.0
    assert math.isnan(metrics.citation_precision(sentences))  # nothing cited: no precision
    # a verdict of "supported" without any valid citation does not count
    assert metrics.citation_recall([S(True)]) == 0.0


def test_unsupported_sentence_has_no_needed_citation() -> None:
    sentences = [S(False, (V(1), V(2)))]
    assert metrics.citation_recall(sentences) == 0.0
    assert metrics.citation_precision(sentences) == 0.0


def test_irrelevant_citation() -> None:
    # [1] supports alone; [2] does not, and [1] supports the sentence without it
    sentences = [S(True, (V(1, alone=True, rest=False), V(2, alone=False, rest=True)))]
    assert metrics.citation_recall(sentences) == 1.0
    assert metrics.citation_precision(sentences) == 0.5


def test_citations_needed_together_are_both_needed() -> None:
    # neither supports alone, neither can be dropped
    sentences = [S(True, (V(1), V(2)))]
    assert metrics.citation_precision(sentences) == 1.0


def test_citations_that_each_support_alone_are_both_needed() -> None:
    # condition A holds for both: each supports on its own, so neither is irrelevant
    sentences = [S(True, (V(1, alone=True, rest=True), V(2, alone=True, rest=True)))]
    assert metrics.citation_precision(sentences) == 1.0


def test_duplicate_citation_counts_once() -> None:
    sentences = [S(True, (V(1, alone=True), V(1, alone=True), V(2, rest=True)))]
    # [1] once (needed) and [2] (irrelevant)
    assert metrics.citation_precision(sentences) == 0.5
    assert metrics.citation_recall(sentences) == 1.0


def test_invalid_marker_is_never_needed() -> None:
    sentences = [S(True, (V(1, alone=True), V(9, valid=False)))]
    assert metrics.citation_recall(sentences) == 1.0
    assert metrics.citation_precision(sentences) == 0.5
    only_invalid = [S(False, (V(9, valid=False),))]
    assert metrics.citation_recall(only_invalid) == 0.0
    assert metrics.citation_precision(only_invalid) == 0.0


def test_citation_metrics_pool_sentences_and_citations() -> None:
    sentences = [
        S(True, (V(1, alone=True),)),  # 1 needed of 1
        S(True, (V(1, alone=True), V(2, rest=True), V(3, rest=True))),  # 1 needed of 3
        S(False, (V(4),)),  # 0 of 1
        S(False),  # no citation
    ]
    assert metrics.citation_recall(sentences) == 0.5
    assert metrics.citation_precision(sentences) == pytest.approx(2 / 5)


def test_an_expected_fact_may_list_alternative_spellings() -> None:
    answer = "The award was presented by Secretary-General Halvorsen [1]."
    assert metrics.fact_recall(["Ingrid Halvorsen|Halvorsen"], answer) == 1.0
    assert metrics.fact_recall(["Ingrid Halvorsen | Varneckis"], answer) == 0.0
    assert metrics.missing_facts(["Varneckis|Tomas Varneckis", "Halvorsen"], answer) == [
        "Varneckis|Tomas Varneckis"
    ]
    assert metrics.alternatives(" a | |b ") == ["a", "b"]


def test_source_hit_is_any_expected_source_retrieved() -> None:
    retrieved = [("releases/1196.txt", "/a/releases/1196.txt"), ("releases/1009.txt", "")]
    assert metrics.source_hit(["1009", "1377"], retrieved) == 1.0
    assert metrics.source_hit(["1377"], retrieved) == 0.0
