"""What a question says which of a kind of thing it means, and another one in a release."""

from __future__ import annotations

import pytest

from assistant.answering.qualifiers import Qualifier, asked_qualifiers, others_in


@pytest.mark.parametrize(
    ("question", "qualifiers"),
    [
        (
            "Who moderated the round table on energy at the forum in Tashkent?",
            [Qualifier("on", "table", "energy", "round table")],
        ),
        ("How much does a multiple-entry e-visa cost?", [Qualifier("-", "entry", "multiple")]),
        ("Who signed the agreement on behalf of Portugal?", []),
        ("Who spoke on the sidelines of the summit?", []),
        ("Who did the minister meet on 5 May in Geneva?", []),
        ("Which delegation arrived on Monday?", []),
        ("What rate applies to Term Asset-Backed Securities Loan Facility loans?", []),
    ],
)
def test_the_qualified_things_a_question_names(question: str, qualifiers: list[Qualifier]) -> None:
    assert list(asked_qualifiers(question)) == qualifiers


def test_another_qualifier_of_the_same_thing_is_found_only_without_the_asked_one() -> None:
    energy = Qualifier("on", "table", "energy", "round table")
    release = (
        "The round table on transport corridors was moderated by Dr. Chen, while the round "
        "table on water security was moderated by Prof. Mehta."
    )
    assert others_in(energy, release) == ["transport corridors", "water security"]
    assert others_in(energy, release + " Energy was discussed over lunch.") == []
    multiple = Qualifier("-", "entry", "multiple")
    assert others_in(multiple, "The fee for a single-entry e-visa is USD 40.") == ["single"]
    assert others_in(multiple, "A multiple-entry visa costs USD 80.") == []
    assert others_in(multiple, "The visa is issued online.") == []
