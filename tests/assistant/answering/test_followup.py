"""Follow-up questions made standalone by rules, and the engine's reading of them."""

from __future__ import annotations

from assistant.answering.engine import Engine
from assistant.answering.followup import FollowUps

# The tests' own conversations: no question or turn of an eval suite (CONTRIBUTING.md).
EELS = "What was the Council's recommendation on glass eel exports?"
AGAINST = "Which country voted against it?"


def test_a_question_without_history_stands_alone(demo_engine: Engine) -> None:
    standalone = FollowUps(demo_engine.retriever.lexical).standalone(EELS, [])
    assert standalone.query == EELS and not standalone.is_follow_up


def test_a_question_that_points_back_carries_the_subject_over(demo_engine: Engine) -> None:
    rules = FollowUps(demo_engine.retriever.lexical)
    standalone = rules.standalone(AGAINST, [EELS])
    assert standalone.points_back and standalone.follows == (EELS,)
    # The earlier question's words, less those that only ask ("what", "was") or that the
    # follow-up already has; function words ("the", "on") are no search terms.
    assert standalone.carried == "council recommendation glass eel exports"
    assert standalone.query == f"{AGAINST} (council recommendation glass eel exports)"


def test_time_is_carried_as_a_window_not_as_words(demo_engine: Engine) -> None:
    rules = FollowUps(demo_engine.retriever.lexical)
    standalone = rules.standalone(
        "How many water samples went into that reading?",
        ["In March 2024, what was the latest reading of the Basin Health Index?"],
    )
    assert standalone.carried == "basin health index"


def test_a_question_naming_its_own_subject_stands_alone(demo_engine: Engine) -> None:
    rules = FollowUps(demo_engine.retriever.lexical)
    for question in ("What did Jakob Stenholm say?", "Which projects won in 2022?"):
        assert not rules.standalone(question, [EELS]).is_follow_up
    # Too little of its own to stand alone: read as following on (no name, no figure).
    vague = rules.standalone("Who was in the chair?", [EELS])
    assert vague.is_follow_up and not vague.points_back


def test_a_chain_of_follow_ups_keeps_the_first_subject(demo_engine: Engine) -> None:
    rules = FollowUps(demo_engine.retriever.lexical)
    third = rules.standalone("And why did it abstain?", [EELS, "Who abstained on it?"])
    assert "glass eel exports" in third.query
    assert third.follows == ("Who abstained on it?", EELS)


def test_a_follow_up_is_answered_about_what_the_previous_question_found(
    demo_engine: Engine,
) -> None:
    answer = demo_engine.ask(AGAINST, history=[EELS])
    assert not answer.refused and "Holmeria" in answer.text
    assert answer.question == AGAINST
    assert "glass eel exports" in answer.interpreted.query
    assert answer.passages[0].chunk.release_id == "2022-10-11-eel-export-ban-vote.txt"


def test_a_follow_up_keeps_the_window_of_the_question_it_follows(demo_engine: Engine) -> None:
    answer = demo_engine.ask(
        "Who was in the chair?",
        history=["In which city did ministers gather for their annual meeting in 2022?"],
    )
    assert (answer.interpreted.date_from, answer.interpreted.date_to) == (
        "2022-01-01",
        "2022-12-31",
    )
    assert "Katrin Voolmaa" in answer.text


def test_a_change_of_subject_drops_the_earlier_window(demo_engine: Engine) -> None:
    question = "Which member states voted against the coastal sand extraction moratorium?"
    answer = demo_engine.ask(
        question,
        history=["What did the semi-annual Basin Health Index statement of March 2024 report?"],
    )
    assert not answer.refused and "Caldoria and Korsland" in answer.text
    assert answer.interpreted.date_from is None
    assert answer.interpreted.query == question


def test_carried_words_never_answer_what_the_archive_does_not_say(demo_engine: Engine) -> None:
    history = ["Which budget was approved by the ministers?"]
    for question in (
        "What is the Commission's view on nuclear power?",
        "What is the Commission's position on bitcoin?",
    ):
        assert demo_engine.ask(question, history=history).refused, question
