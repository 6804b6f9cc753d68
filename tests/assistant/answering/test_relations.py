"""Which relation a "who" question asks about, and whether a text states it."""

from __future__ import annotations

import pytest

from assistant.answering.relations import (
    Succession,
    asked_relation,
    asked_succession,
    relation_words,
    states_relation,
    states_succession,
)
from assistant.answering.tuning import Tuning

LOOKED_AT = Tuning().relation_words_looked_at


@pytest.mark.parametrize(
    ("question", "stated_by"),
    [
        ("Who succeeded Janet Yellen as Chair?", "He succeeds Professor Rõõmus."),
        ("Who will replace the Secretary-General?", "She is his successor."),
        ("Who did the Council pick as Secretary-General?", "The Council appointed Mr Varneckis."),
        ("Who was elected to chair the group?", "The group chose Dr Lind."),
        ("Who dissented?", "Voting against the action was Robert T. Parry."),
        ("Whom did the ministers nominate?", "Ms Ilves was elected."),
        ("Who resigned in 2024?", "He retired in March."),
        ("Which governor voted against the policy action?", "Voting against was Mr Hoenig."),
        ("Which Committee members dissented in 1994?", "Mr Lacker dissented."),
    ],
)
def test_a_relation_is_stated_in_any_of_its_words(question: str, stated_by: str) -> None:
    relation = asked_relation(question, LOOKED_AT)
    assert relation is not None
    assert states_relation(relation, ["Unrelated text.", stated_by])
    assert not states_relation(relation, ["Voting for the action were: Alan Greenspan, Chairman."])


@pytest.mark.parametrize(
    "question",
    [
        "Who spoke at the session?",
        "What did the Committee say about succession planning?",
        "Which report did the governor present?",
    ],
)
def test_other_questions_are_not_checked(question: str) -> None:
    assert asked_relation(question, LOOKED_AT) is None


def test_a_relation_is_searched_in_the_words_releases_use() -> None:
    assert "voting against" in relation_words("Who dissented at the last meeting?", LOOKED_AT)
    assert relation_words("Who spoke at the session?", LOOKED_AT) == ""
    assert "chairmanship" in relation_words("Who chaired the session?", LOOKED_AT)
    assert relation_words("Which minister presided over the session?", LOOKED_AT) == ""


def test_who_chaired_is_a_relation_the_passages_must_state() -> None:
    relation = asked_relation("Who chaired the working group when it met in 2024?", LOOKED_AT)
    assert relation is not None
    assert states_relation(relation, ["The meeting was held under the chairmanship of Mr Ali."])
    assert not states_relation(relation, ["Experts discussed the work of the working group."])


@pytest.mark.parametrize(
    ("question", "name", "before"),
    [
        ("Who was Deputy Director of the Secretariat before Zhou Mingyuan?", "Zhou Mingyuan", True),
        ("Who was Oskaria's ambassador to Germany before Askar Belyalov?", "Askar Belyalov", True),
        ("Who became Chair after Mr. Li Wei?", "Li Wei", False),
        ("Who was Askar Belyalov's predecessor?", "Askar Belyalov", True),
        ("Who is the successor of Janet Yellen?", "Janet Yellen", False),
        ("Who took over from Samal Tokbergen as Director?", "Samal Tokbergen", False),
        ("Whom did Gulnara Estemirova succeed in Beijing?", "Gulnara Estemirova", True),
    ],
)
def test_a_question_for_who_came_before_or_after_a_person(
    question: str, name: str, before: bool
) -> None:
    asked = asked_succession(question, role_asked=True)
    assert asked == Succession(name, before)


def test_before_or_after_a_name_asks_for_a_succession_only_about_a_role() -> None:
    question = "Who dissented when the Fed hiked rates right after Hurricane Katrina?"
    assert asked_succession(question, role_asked=False) is None
    assert asked_succession("What did the Council decide after Mr. Li spoke?", True) is None


@pytest.mark.parametrize(
    ("sentence", "who_came_before", "who_came_after"),
    [
        ("Mr. Zhou Mingyuan succeeds Mr. Li as Deputy Director.", True, False),
        ("Mr. Li was replaced by Mr. Zhou Mingyuan.", True, False),
        ("Zhou Mingyuan's predecessor, Mr. Li, retired in May.", True, False),
        ("The predecessor of Zhou Mingyuan, Mr. Li, retired in May.", True, False),
        (
            "Mr. Srisombat becomes Deputy Secretary General, succeeding Mr. Zhou Mingyuan.",
            False,
            True,
        ),
        ("Mr. Zhou Mingyuan was succeeded by Mr. Srisombat.", False, True),
        ("Mr. Zhou Mingyuan briefed the Group on the legal practice.", False, False),
        ("Mr. Li succeeds Mr. Park as Chair.", False, False),
    ],
)
def test_which_way_a_sentence_states_a_succession(
    sentence: str, who_came_before: bool, who_came_after: bool
) -> None:
    assert (
        states_succession(Succession("Zhou Mingyuan", before=True), [sentence]) is who_came_before
    )
    assert (
        states_succession(Succession("Zhou Mingyuan", before=False), [sentence]) is who_came_after
    )


def test_against_states_a_dissent_only_as_a_vote() -> None:
    relation = asked_relation("Which members voted against the rate cut?", LOOKED_AT)
    assert relation is not None
    assert states_relation(relation, ["Voting against the action was Thomas M. Hoenig."])
    assert states_relation(relation, ["It was adopted with nine in favour, two against."])
    assert not states_relation(
        relation,
        ["The Committee believes that, against the background of its goals, risks remain."],
    )


def test_a_succession_is_read_through_he_or_she_after_the_name() -> None:
    asked = Succession("Gulnara Estemirova", before=True)
    release = [
        "Gulnara Estemirova has been appointed Ambassador to China.",
        "She is a graduate of the Velmora Institute.",
        "She succeeds Ambassador Arman Kusherbay, who had headed the Embassy since 2017.",
    ]
    assert states_succession(asked, release)
    assert not states_succession(asked, release[2:]), "nobody named before the pronoun"
