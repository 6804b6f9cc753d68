"""The scorer's features and each refusal rule of the gate, one test per rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from assistant.answering.evidence import FEATURES, Case, Gate, Scorer, in_window
from assistant.answering.question import analyse
from assistant.answering.timeframe import TimeFrame, interpret_time
from assistant.answering.tuning import Tuning
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Chunk, Passage

from ...conftest import make_chunk

TUNING = Tuning()
OPENED = "The new regional office in Almaty was inaugurated by Secretary General Aida Nurlanova."
SESSIONS = [
    f"The {n}th session of the Council met in Astana and adopted its work plan."
    for n in (9, 10, 11)
]


def chunk(release_id: str, text: str, published: dt.date | None = None) -> Chunk:
    return make_chunk(release_id, text, published=published or dt.date(2024, 5, 2))


@pytest.fixture(scope="module")
def archive() -> list[Chunk]:
    filler = [
        chunk(f"f{i}", f"The forum held talks on trade number {i} in Astana.") for i in range(20)
    ]
    return [
        chunk("opened", OPENED),
        *[chunk(f"s{i}", text) for i, text in enumerate(SESSIONS)],
        *filler,
    ]


@pytest.fixture(scope="module")
def scorer(embedder: Any, archive: list[Chunk]) -> Scorer:
    return Scorer(embedder, LexicalIndex(archive), TUNING)


def case(
    scorer: Scorer, question: str, chunks: list[Chunk], frame: TimeFrame | None = None
) -> Case:
    frame = frame or TimeFrame()
    passages = [Passage(c, n, 1.0) for n, c in enumerate(chunks, start=1)]
    ranked = scorer.candidates(question, passages, frame)
    return Case(question, analyse(question, TUNING), passages, ranked, frame)


def fired(scorer: Scorer, c: Case) -> list[str]:
    return [v.rule for v in Gate(scorer).judge(c, stop=False) if v.fired]


def test_each_candidate_keeps_its_named_features(scorer: Scorer, archive: list[Chunk]) -> None:
    ranked = case(scorer, "Who opened the office in Almaty?", archive[:2]).ranked
    best = ranked[0]
    assert set(best.features) == set(FEATURES)
    weighted = sum(getattr(TUNING, f"w_{f}") * v for f, v in best.features.items())
    assert best.score == pytest.approx(weighted)


def test_similarity_has_a_real_say(scorer: Scorer, embedder: Any) -> None:
    """A paraphrase ("opened" / "inaugurated") leads once similarity weighs enough."""
    distractor = "The office opened its doors to visitors from the region in May."
    chunks = [chunk("a", f"{distractor} {OPENED}")]
    question = "Who opened the office?"
    heavy = Scorer(embedder, scorer.lexical, dataclasses.replace(TUNING, w_similarity=2.0))
    lead = heavy.lead(case(heavy, question, chunks).ranked, question)
    assert lead is not None and "inaugurated" in lead.text
    none = Scorer(embedder, scorer.lexical, dataclasses.replace(TUNING, w_similarity=0.0))
    scores = {c.text: c.score for c in case(none, question, chunks).ranked}
    weighted = {c.text: c.score for c in case(heavy, question, chunks).ranked}
    assert scores != weighted


def test_missing_ordinal_is_named_with_what_the_archive_has(
    scorer: Scorer, archive: list[Chunk]
) -> None:
    c = case(scorer, "What did the 12th session of the Council adopt?", archive[1:4])
    verdict = Gate(scorer).missing_term(c)
    assert verdict.fired
    assert "12th session of the Council" in verdict.detail
    assert "the 9th to the 11th" in verdict.detail
    assert (
        not Gate(scorer)
        .missing_term(case(scorer, "What did the 10th session of the Council adopt?", archive[1:4]))
        .fired
    )


def test_missing_nationality_is_named(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "Who was the Brazilian delegate at the session?", archive[1:4])
    verdict = Gate(scorer).missing_term(c)
    assert verdict.fired and "Brazilian" in verdict.detail


def test_a_year_counts_as_found_in_the_release_date(scorer: Scorer, archive: list[Chunk]) -> None:
    assert "missing_term" not in fired(
        scorer, case(scorer, "Who opened the office in 2024?", archive[:1])
    )
    assert "missing_term" in fired(
        scorer, case(scorer, "Who opened the office in 2019?", archive[:1])
    )


def test_a_name_no_passage_has_is_missing(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "What did Ivan Petrov say about the office in Almaty?", archive[:1])
    verdict = Gate(scorer).missing_term(c)
    assert verdict.fired and "Ivan Petrov" in verdict.detail


def test_a_word_the_archive_never_uses(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "What did the forum say about cryptocurrency?", archive[4:6])
    assert Gate(scorer).unknown_word(c).fired


def test_a_word_the_archive_never_uses_in_a_month_that_pins_a_release(
    scorer: Scorer, archive: list[Chunk]
) -> None:
    question = "What did the forum say about cryptocurrency in May 2024?"
    may = TimeFrame(dt.date(2024, 5, 1), dt.date(2024, 5, 31), False, "May 2024")
    assert not Gate(scorer).unknown_word(case(scorer, question, archive[4:6], may)).fired, (
        "the month pins the release: the word is the user's own"
    )
    june = TimeFrame(dt.date(2024, 6, 1), dt.date(2024, 6, 30), False, "June 2024")
    assert Gate(scorer).unknown_word(case(scorer, question, archive[4:6], june)).fired, (
        "no release found is of that month"
    )


def test_nothing_close_in_meaning_is_off_topic(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "How do volcanoes erupt under glaciers?", archive[4:5])
    assert Gate(scorer).off_topic(c).fired
    narrow = TimeFrame(dt.date(2024, 5, 1), dt.date(2024, 5, 31), False, "May 2024")
    assert (
        not Gate(scorer)
        .off_topic(case(scorer, "How do volcanoes erupt under glaciers?", archive[4:5], narrow))
        .fired
    )


def test_weak_evidence_is_below_the_threshold(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "Who opened the office in Almaty?", archive[:1])
    assert not Gate(scorer).weak_evidence(c).fired
    strict = Scorer(scorer.embedder, scorer.lexical, dataclasses.replace(TUNING, min_evidence=3.0))
    assert Gate(strict).weak_evidence(c).fired


def test_a_name_asked_for_and_none_given(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "Who chaired the 10th session of the Council?", archive[2:3])
    assert Gate(scorer).kind_missing(c).fired
    assert not Gate(scorer).kind_missing(case(scorer, "Who opened the office?", archive[:1])).fired


def test_an_amount_or_a_time_asked_for_and_none_given(scorer: Scorer) -> None:
    drill = chunk(
        "drill",
        "The two-day exercise involved 14 vessels and 600 personnel. "
        "The first 24 hours decide how much coast is lost, said the head of the exercise.",
    )
    costed = chunk("costed", "The two-day exercise cost EUR 1.2 million and involved 14 vessels.")
    gate = Gate(scorer)
    verdict = gate.kind_missing(case(scorer, "How much did the exercise cost?", [drill]))
    assert verdict.fired and "amount" in verdict.detail
    assert not gate.kind_missing(case(scorer, "How much did the exercise cost?", [costed])).fired
    began = "At what time did the exercise begin?"
    assert gate.kind_missing(case(scorer, began, [drill])).fired
    begun = chunk("begun", "The two-day exercise began at 9:30 with 14 vessels at sea.")
    assert not gate.kind_missing(case(scorer, began, [begun])).fired


def test_a_relation_no_passage_states(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "Who succeeded Aida Nurlanova?", archive[:1])
    verdict = Gate(scorer).relation_unstated(c)
    assert verdict.fired and "'succeeded'" in verdict.detail


def test_the_first_rule_that_fires_is_the_refusal(scorer: Scorer, archive: list[Chunk]) -> None:
    c = case(scorer, "What did the 12th session of the Council adopt?", archive[1:4])
    verdicts = Gate(scorer).judge(c)
    assert [v.rule for v in verdicts] == ["nothing_found", "outside_window", "missing_term"]
    assert verdicts[-1].fired


JUNE = TimeFrame(dt.date(2022, 6, 1), dt.date(2022, 6, 30), False, "June 2022")


def test_a_release_is_in_the_window_by_its_date_or_by_saying_so() -> None:
    assert in_window(chunk("a", "The Council met.", dt.date(2022, 6, 15)), JUNE)
    undated = make_chunk("b", "On 15 June the Council met in Astana. It was 2022.")
    assert in_window(undated, JUNE)
    assert not in_window(make_chunk("c", "The Council met in 2022."), JUNE)
    assert not in_window(chunk("d", "The Council met.", dt.date(2021, 4, 13)), JUNE)
    from_2026 = TimeFrame(dt.date(2026, 1, 1), None, False, "from 2026")
    elected = chunk("e", "She takes the chair for a term starting on 1 January 2026.")
    assert in_window(elected, from_2026), "an open window holds every later year"
    assert not in_window(chunk("f", "Her term ended in 2025."), from_2026)


def test_the_date_feature_ranks_the_release_of_the_window_first(scorer: Scorer) -> None:
    older = chunk("old", "The Council met with Mr Huseynli in the chair.", dt.date(2021, 4, 13))
    asked = chunk("new", "The Council met with Mr Jafarli in the chair.", dt.date(2022, 6, 15))
    ranked = case(scorer, "Who chaired the Council in June 2022?", [older, asked], JUNE).ranked
    assert ranked[0].passage.chunk.release_id == "new"
    assert ranked[0].features["date"] == 1.0


def test_no_passage_in_the_window_is_outside_it(scorer: Scorer) -> None:
    older = chunk("old", "The Council met with Mr Huseynli in the chair.", dt.date(2021, 4, 13))
    c = case(scorer, "Who chaired the Council in June 2022?", [older], JUNE)
    verdict = Gate(scorer).outside_window(c)
    assert verdict.fired and "June 2022" in verdict.detail


GENEVA = "The minister held talks in Geneva with the Foreign Minister of Chile, Ana Rojas."
JAKARTA = "The minister held talks in Jakarta with the Foreign Minister of Indonesia."


def test_several_terms_must_be_held_by_one_release(scorer: Scorer) -> None:
    """Talks in Geneva in 2022 and talks elsewhere in 2023 do not answer "in Geneva in
    2023"; talks in Geneva in 2023 do."""
    geneva_2022 = chunk("geneva", GENEVA, dt.date(2022, 3, 1))
    jakarta_2023 = chunk("jakarta", JAKARTA, dt.date(2023, 10, 24))
    question = "With which counterpart did the minister hold talks in Geneva in 2023?"
    verdict = Gate(scorer).missing_term(case(scorer, question, [geneva_2022, jakarta_2023]))
    assert verdict.fired and "Geneva and 2023 together" in verdict.detail
    geneva_2023 = chunk("geneva", GENEVA, dt.date(2023, 3, 1))
    assert not Gate(scorer).missing_term(case(scorer, question, [geneva_2023, jakarta_2023])).fired


def test_the_terms_feature_prefers_the_release_that_holds_the_terms(scorer: Scorer) -> None:
    forums = [
        chunk(
            "forum1", "The 1st Annual Forum brought together 200 participants from 40 countries."
        ),
        chunk(
            "forum2", "The 2nd Annual Forum brought together 260 participants from 48 countries."
        ),
    ]
    ranked = case(scorer, "How many people came to the second Annual Forum?", forums).ranked
    by_release = {c.passage.chunk.release_id: c.features["terms"] for c in ranked}
    assert by_release == {"forum1": 0.0, "forum2": 1.0}
    assert ranked[0].passage.chunk.release_id == "forum2"


def test_a_heading_term_counts_less_in_a_sentence_but_not_nothing(scorer: Scorer) -> None:
    weights = {"vote": 1.0, "against": 1.0}
    headed = "Council vote on eel exports"
    against = scorer.sentence_coverage(weights, "Holmeria voted against.", headed)
    repeats = scorer.sentence_coverage(weights, "The vote was held today.", headed)
    share = scorer.tuning.heading_term_share
    assert against == pytest.approx((share + 1.0) / 2), "the specific term counts in full"
    assert repeats == pytest.approx(share / 2), "a heading term still counts, for less"
    assert scorer.sentence_coverage(weights, "The vote was held today.", "") == 0.5


@pytest.mark.parametrize(
    ("text", "question", "name"),
    [
        pytest.param(
            "President Serik Abenov received Secretary General Bakhtiyar Ormanov in Astana. "
            "The talks were attended by the Minister of Foreign Affairs, Mr. Murat Nurgaliyev.",
            "Which foreign minister attended when President Abenov received Ormanov?",
            "Nurgaliyev",
            id="the name in the asked role",
        ),
        pytest.param(
            "The delegation was headed by Mr. Marat Seitov. It met with partners in Geneva.",
            "Who was the head of the delegation in Geneva?",
            "Seitov",
            id="a role said by a verb",
        ),
        pytest.param(
            "The Committee met on 15 June 2022 under the chairmanship of Ambassador Farid "
            "Jafarli. Delegations of India and Korea presented their plans.",
            "Who was in the chair at the Committee meeting in June 2022?",
            "Jafarli",
            id="a chairmanship names the chair",
        ),
    ],
)
def test_the_lead_names_the_person_in_the_asked_role(
    scorer: Scorer, text: str, question: str, name: str
) -> None:
    lead = scorer.lead(case(scorer, question, [chunk("release", text)]).ranked, question)
    assert lead is not None and name in lead.text


@pytest.mark.parametrize(
    "question",
    [
        "Who is the Foreign Ministry's official spokesperson?",
        "Who was the national coordinator of Mongolia during its chairmanship?",
    ],
)
def test_a_role_asked_for_is_not_answered_by_a_name_in_another(
    scorer: Scorer, question: str
) -> None:
    text = (
        "Minister of Foreign Affairs Aliya Sarmanova briefed the press in Velmora. "
        "The Deputy Minister of Foreign Affairs of Mongolia, Mr. Batsaikhan Tumurbaatar, "
        "summarised the results of the Mongolian Chairmanship."
    )
    assert scorer.lead(case(scorer, question, [chunk("release", text)]).ranked, question) is None
    named = text + " The spokesperson, Ms. Oyun Bat, is national coordinator of Mongolia."
    lead = scorer.lead(case(scorer, question, [chunk("release", named)]).ranked, question)
    assert lead is not None and "Bat" in lead.text


def test_a_role_of_a_nationality_needs_a_sentence_that_names_both(scorer: Scorer) -> None:
    council = chunk(
        "council",
        "The Council met in Tashkent under the chairmanship of the Minister of Foreign "
        "Affairs of Uzbekistan, Mr. Jamshid Rakhmonov. Delegations of Türkiye and Japan "
        "took part.",
    )
    question = "Which Turkish minister attended the Council in Tashkent?"
    c = case(scorer, question, [council])
    verdict = Gate(scorer).kind_missing(c)
    assert verdict.fired and verdict.detail == "No sentence found names a Turkish minister."
    attended = dataclasses.replace(
        council,
        text=council.text + " The Minister of Foreign Affairs of Türkiye, Mr. Selim Karahanlı, "
        "addressed the Council.",
    )
    assert not Gate(scorer).kind_missing(case(scorer, question, [attended])).fired


def test_a_predecessor_no_sentence_names_is_refused_with_the_name(scorer: Scorer) -> None:
    succeeded = chunk(
        "succeeded",
        "Mr. Anuwat Srisombat becomes the first Deputy Secretary General of the Forum, "
        "succeeding Mr. Zhou Mingyuan, who served as Deputy Executive Director from 2017.",
    )
    question = "Who was Deputy Executive Director before Zhou Mingyuan?"
    verdict = Gate(scorer).succession_unstated(case(scorer, question, [succeeded]))
    assert verdict.fired
    assert verdict.detail == "No passage found says who came before Zhou Mingyuan."
    after = "Who was Deputy Secretary General after Zhou Mingyuan?"
    assert not Gate(scorer).succession_unstated(case(scorer, after, [succeeded])).fired


@pytest.mark.parametrize(
    ("text", "question", "detail", "added", "answer"),
    [
        pytest.param(
            "The Embassy in Cairo is coordinating the evacuation with partner countries. "
            "On 23 April, 14 citizens were evacuated by land to Port Sudan.",
            "What is the name of the ambassador in Cairo who coordinated the evacuation?",
            "No sentence found gives the name asked for.",
            "Ambassador Marat Seitov led the embassy's work.",
            "Seitov",
            id="the name of a role needs the role",
        ),
        pytest.param(
            "The Committee decided to keep the target range for the federal funds rate at 0 "
            "to 1/4 percent. The unemployment rate has declined further.",
            "What unemployment rate did the Committee cite?",
            "No sentence found gives the unemployment rate asked for.",
            "The unemployment rate fell to 5.0 percent.",
            "5.0 percent",
            id="a figure needs what it measures",
        ),
    ],
)
def test_what_was_asked_for_must_be_in_the_answering_sentence(
    scorer: Scorer, text: str, question: str, detail: str, added: str, answer: str
) -> None:
    release = chunk("release", text)
    verdict = Gate(scorer).kind_missing(case(scorer, question, [release]))
    assert verdict.fired and verdict.detail == detail
    given = dataclasses.replace(release, text=f"{text} {added}")
    lead = scorer.lead(case(scorer, question, [given]).ranked, question)
    assert lead is not None and answer in lead.text


def test_a_release_with_another_qualifier_of_the_thing_asked_is_refused(scorer: Scorer) -> None:
    tables = chunk(
        "tables",
        "The round table on transport corridors was moderated by Dr. Chen Weiming, while "
        "the round table on water security was moderated by Prof. Rahul Mehta.",
    )
    question = "Who moderated the round table on energy?"
    verdict = Gate(scorer).other_qualifier(case(scorer, question, [tables]))
    assert verdict.fired
    assert verdict.detail == (
        "The release found speaks of the round table on transport corridors and on water "
        "security, not of the round table on energy."
    )
    water = "Who moderated the round table on water security?"
    assert not Gate(scorer).other_qualifier(case(scorer, water, [tables])).fired


def test_a_relation_is_stated_in_the_releases_the_answer_comes_from(scorer: Scorer) -> None:
    cup = chunk(
        "cup",
        "The second Friendship Cup mini-football tournament was held on 7 September 2024. "
        "The Secretary General presented the trophy and medals to the players of the cup.",
    )
    elected = chunk(
        "elected",
        "Thailand was elected to the chairmanship of the Forum for 2025-2026.",
    )
    question = "Who was named best player at the 2024 Friendship Cup?"
    verdict = Gate(scorer).relation_unstated(case(scorer, question, [cup, elected]))
    assert verdict.fired, "an election in another release does not name the best player"
    named = dataclasses.replace(
        cup, text=cup.text + " Mr. Serkan Ozdemir was named the best player of the cup."
    )
    assert not Gate(scorer).relation_unstated(case(scorer, question, [named, elected])).fired


def test_a_stem_is_held_with_or_without_its_final_e(scorer: Scorer) -> None:
    """The stemmer makes "employ" of "employ" and "employe" of "employees"."""
    weights = {"employ": 1.0, "secretariat": 1.0}
    staffed = "At the start of 2023 the Secretariat had 42 employees."
    assert scorer.sentence_coverage(weights, staffed, "") == 1.0
    assert scorer.sentence_coverage({"employe": 1.0}, "The Secretariat will employ two.", "") == 1.0
    assert scorer.sentence_coverage({"employ": 1.0}, "The Secretariat had 42 staff.", "") == 0.0


def test_an_acronym_of_the_question_is_held_by_the_name_it_abbreviates(scorer: Scorer) -> None:
    weights = {"soc": 1.0, "adopt": 1.0}
    spelled = "The Senior Officials Committee adopted the work plan."
    assert scorer.sentence_coverage(weights, spelled, "") == 1.0
    assert scorer.sentence_coverage(weights, "The committee adopted the plan.", "") == 0.5


def test_an_answer_for_another_year_than_the_one_asked(scorer: Scorer) -> None:
    budget = chunk(
        "budget",
        "The Assembly approved the budget of the Ministry for 2022 in the amount of "
        "OSK 38.4 billion. The draft was presented on 23 November 2021.",
        dt.date(2022, 1, 18),
    )
    gate, in_2021 = Gate(scorer), "How large was the budget in 2021?"
    verdict = gate.other_year(case(scorer, in_2021, [budget]))
    assert verdict.fired and "for 2022, not 2021" in verdict.detail
    assert not gate.other_year(case(scorer, "How large was the budget in 2022?", [budget])).fired
    dated = dataclasses.replace(budget, published=dt.date(2021, 12, 20))
    approved = "What did the Assembly approve in 2021?"
    window = interpret_time(approved)
    assert window.has_window
    assert not gate.other_year(case(scorer, approved, [dated], window)).fired, (
        "a release dated in the asked window speaks for it"
    )
    planned = interpret_time(in_2021)
    assert gate.other_year(case(scorer, in_2021, [dated], planned)).fired, (
        "the budget in 2021 is the year planned for, whenever it was approved"
    )


def test_a_year_planned_for_is_not_answered_by_a_release_of_that_year(scorer: Scorer) -> None:
    """ "The budget for 2022" is a year the releases talk about, not a window: a release
    of 2022 approving the budget for 2023 gives it for another year."""
    approved = chunk(
        "approved",
        "The Council approved the budget of the Secretariat for 2023 in the amount of "
        "US$ 2,900,000.",
        dt.date(2022, 11, 6),
    )
    question = "What budget did the Council approve for the Secretariat for 2022?"
    frame = interpret_time(question)
    assert not frame.has_window
    verdict = Gate(scorer).other_year(case(scorer, question, [approved], frame))
    assert verdict.fired and "for 2023, not 2022" in verdict.detail
    presented = chunk(
        "presented",
        "First Deputy Minister Kanat Ibrishev presented the draft to the Committee on "
        "23 November 2021.",
        dt.date(2021, 11, 23),
    )
    draft = "Who presented the 2022 budget draft to the Committee?"
    verdict = Gate(scorer).other_year(case(scorer, draft, [presented], interpret_time(draft)))
    assert not verdict.fired, "the day's date says when the draft was presented"


def test_the_lead_looks_first_in_the_best_sentences_release(scorer: Scorer) -> None:
    """A "when" question whose best sentence gives no date: a dated sentence of the same
    release answers before a closer-scored one of another release."""
    from assistant.answering.evidence import Candidate

    lines = chunk("lines", "The Committee authorised swap lines. They run through January 2011.")
    other = chunk("other", "The Committee extended other swap lines through September 2008.")

    def candidate(c: Chunk, rank: int, text: str, score: float) -> Candidate:
        features = {"coverage": 0.5, "similarity": 0.5}
        return Candidate(Passage(c, rank, 1.0), 0, len(text), text, features, score)

    ranked = [
        candidate(lines, 1, "The Committee authorised swap lines.", 1.0),
        candidate(other, 2, "The Committee extended other swap lines through September 2008.", 0.9),
        candidate(lines, 1, "They run through January 2011.", 0.8),
    ]
    lead = scorer.lead(ranked, "Through when were the swap lines authorised?")
    assert lead is not None and "January 2011" in lead.text


def test_a_release_dated_in_the_window_beats_one_that_only_recalls_it() -> None:
    from assistant.answering.evidence import date_match

    own = chunk("june", "The index stood at 57 points in June 2022.", dt.date(2022, 6, 14))
    recalls = chunk("march", "The June 2022 statement reported 57 points.", dt.date(2023, 3, 1))
    unrelated = chunk("other", "The index stood at 59 points.", dt.date(2023, 3, 1))
    assert date_match(own, JUNE, TUNING) == 1.0
    assert date_match(recalls, JUNE, TUNING) == TUNING.stated_date_share
    assert date_match(unrelated, JUNE, TUNING) == 0.0
    assert date_match(own, TimeFrame(), TUNING) == 0.0, "no window, no date feature"


def test_a_count_is_answered_by_the_figure_of_what_was_counted(scorer: Scorer) -> None:
    """ "How many ships" is answered by "14 vessels", not by "24 hours"."""
    sentences = [
        "In a real spill the first 24 hours decide how much coast is lost.",
        "The exercise involved 14 vessels and 600 personnel.",
        "The Council adopted its work plan.",
    ]
    counted = scorer.counted_similarity("How many ships took part in the exercise?", sentences)
    assert counted[1] > counted[0] > 0.0
    assert counted[2] == 0.0, "a sentence that counts nothing"
    assert scorer.counted_similarity("Who led the exercise?", sentences) == [0.0, 0.0, 0.0]


def test_a_nationality_the_archive_writes_as_a_country_is_not_an_unknown_word(
    scorer: Scorer,
) -> None:
    qatar = chunk("qatar", "The Director met the Ambassador of the State of Qatar, Mr Al-Thani.")
    question = "Which Qatari ambassador did the Director meet?"
    assert "unknown_word" not in fired(scorer, case(scorer, question, [qatar]))


def test_evidence_counts_only_releases_that_hold_the_discriminating_terms(
    scorer: Scorer,
) -> None:
    """A trade release of 2020 and a budget release of 2022 together do not evidence
    "the budget in 2020"."""
    trade = chunk(
        "trade", "Trade with the partner reached 1.1 billion in 2020.", dt.date(2021, 3, 1)
    )
    budget = chunk(
        "budget", "The Assembly approved the ministry budget of 38 billion.", dt.date(2022, 1, 18)
    )
    question = "How big was the ministry budget in 2020?"
    year = TimeFrame(dt.date(2020, 1, 1), dt.date(2020, 12, 31), False, "2020")
    gate = Gate(scorer)
    assert gate.weak_evidence(case(scorer, question, [trade, budget], year)).fired
    budget_2020 = dataclasses.replace(budget, published=dt.date(2020, 1, 18))
    assert not gate.weak_evidence(case(scorer, question, [trade, budget_2020], year)).fired


def test_an_answer_uses_only_the_release_that_holds_the_terms(scorer: Scorer) -> None:
    """Of two forums, the answer about the 5th comes from the 5th, however well a
    sentence of the 4th matches the rest of the question."""
    fourth = chunk("forum4", "The 4th Annual Forum organised a youth track for 90 students.")
    fifth = chunk("forum5", "The 5th Annual Forum gathered 420 participants from 67 countries.")
    question = "How many students took part in the youth track at the 5th Annual Forum?"
    ranked = case(scorer, question, [fourth, fifth]).ranked
    usable = scorer.answering(ranked, question)
    assert usable and {c.passage.chunk.release_id for c in usable} == {"forum5"}
    lead = scorer.lead(ranked, question)
    assert lead is not None and lead.passage.chunk.release_id == "forum5"


def test_a_relation_is_looked_for_in_the_release_that_holds_the_terms(scorer: Scorer) -> None:
    """ "Who chaired the group in 2024": the 2023 meeting's chair does not say it."""
    chaired = chunk(
        "m2023", "The working group met in Astana, chaired by Mr Ali.", dt.date(2023, 5, 2)
    )
    mentioned = chunk(
        "v2024", "Experts discussed the work of the working group in Astana.", dt.date(2024, 2, 7)
    )
    question = "Who chaired the working group in 2024?"
    verdict = Gate(scorer).relation_unstated(case(scorer, question, [chaired, mentioned]))
    assert verdict.fired
    chaired_2024 = dataclasses.replace(chaired, published=dt.date(2024, 5, 2))
    c = case(scorer, question, [chaired_2024, mentioned])
    assert not Gate(scorer).relation_unstated(c).fired


def test_a_word_the_archive_never_uses_is_a_paraphrase_when_a_sentence_is_close(
    scorer: Scorer, embedder: Any
) -> None:
    grounded = chunk(
        "tanker", "Hundreds of people watched the tanker Nordvik being towed off Korsland."
    )
    question = "How many onlookers watched the tanker Nordvik being towed off Korsland?"

    def fires(similarity: float) -> bool:
        tuning = dataclasses.replace(TUNING, paraphrase_similarity=similarity)
        strict = Scorer(embedder, LexicalIndex([grounded]), tuning)
        return Gate(strict).unknown_word(case(strict, question, [grounded])).fired

    assert fires(0.99), "nothing that close: the archive is silent on 'onlookers'"
    assert not fires(0.4), "a sentence this close says it in its own words"


def test_only_a_word_naming_what_is_asked_about_is_unknown(embedder: Any) -> None:
    """ "The new *envoy*", "ran *aground*": the user's words for what the release says
    otherwise; only the thing counted, measured or asked about tells that the archive is
    silent ("how many *spectators*")."""
    grounded = chunk(
        "tanker", "The tanker Nordvik grounded off Korsland and leaked 300 tonnes of oil."
    )
    tuning = dataclasses.replace(TUNING, paraphrase_similarity=0.99)
    strict = Scorer(embedder, LexicalIndex([grounded]), tuning)
    leaked = "How much oil leaked when the tanker Nordvik ran aground off Korsland?"
    assert not Gate(strict).unknown_word(case(strict, leaked, [grounded])).fired
    watched = "How many spectators watched the tanker Nordvik off Korsland?"
    verdict = Gate(strict).unknown_word(case(strict, watched, [grounded]))
    assert verdict.fired and verdict.detail == "No release uses the word 'spectators'."


def test_the_archives_own_name_is_not_a_discriminating_term(embedder: Any) -> None:
    """A name in more than half of the chunks ("Oskaria" in its ministry's archive) need
    not be said by the release that answers ("Oskaria's second convoy")."""
    own = [chunk(f"o{i}", f"Oskaria and partner {i} signed a treaty in Velmora.") for i in range(6)]
    convoy = chunk("convoy", "A second humanitarian convoy of the year left for Afghanistan.")
    scorer = Scorer(embedder, LexicalIndex([*own, convoy]), TUNING)
    question = "Where did Oskaria's second Afghan convoy go?"
    assert [t.kind for t in scorer.discriminating(question)] == ["ordinal", "country"]
    assert not Gate(scorer).missing_term(case(scorer, question, [convoy])).fired


def test_a_release_that_never_names_the_body_asked_about_is_refused(embedder: Any) -> None:
    soc = chunk(
        "soc",
        "The FDCE Senior Officials Committee (SOC) met in Astana on 12 March 2023; "
        "24 delegations attended.",
        dt.date(2023, 3, 12),
    )
    visit = chunk(
        "visit",
        "On 3 March 2022 the FDCE Secretary General paid a courtesy visit to the "
        "Ambassador of Thailand; the sides discussed 3 joint projects.",
        dt.date(2022, 3, 3),
    )
    securities = chunk("mbs", "The FDCE will buy agency mortgage-backed securities.")
    filler = [chunk(f"f{i}", f"The FDCE held talks on trade number {i}.") for i in range(6)]
    gate = Gate(Scorer(embedder, LexicalIndex([soc, visit, securities, *filler]), TUNING))
    scorer = gate.scorer
    march = interpret_time("in March 2022", dt.date(2026, 1, 1))
    for question in (
        "How many delegations attended the Senior Officials Committee meeting in March 2022?",
        "How many delegations attended the SOC meeting in March 2022?",
    ):
        verdict = gate.other_thing(case(scorer, question, [visit], march))
        assert verdict.fired
        assert verdict.detail.startswith("The release found does not mention ")
        assert not gate.other_thing(case(scorer, question, [soc], march)).fired
    # The archive's own name (in every release) and a word it never uses tell no release
    # from another; an acronym may be spelled out in lower case.
    for question in (
        "What did the FDCE discuss with Thailand in March 2022?",
        "What did the Business Council discuss in March 2022?",
    ):
        assert not gate.other_thing(case(scorer, question, [visit], march)).fired
    assert not gate.other_thing(case(scorer, "Will the FDCE buy MBS?", [securities])).fired


def test_a_date_of_entry_into_force_needs_a_sentence_saying_it(scorer: Scorer) -> None:
    signed = chunk(
        "signed",
        "On 8 October 2024 the ministers signed the Consular Convention in Budapest. "
        "It will enter into force thirty days after the exchange of instruments of "
        "ratification. The Convention replaces the arrangements of 1994.",
    )
    question = "On what date did the Consular Convention enter into force?"
    c = case(scorer, question, [signed])
    assert scorer.lead(c.ranked, question) is None, "the signing date is not the answer"
    verdict = Gate(scorer).kind_missing(c)
    assert verdict.fired
    assert verdict.detail == "No sentence found gives the date asked for ('into force')."
    entered = dataclasses.replace(
        signed, text=signed.text + " The Convention entered into force on 1 March 2025."
    )
    lead = scorer.lead(case(scorer, question, [entered]).ranked, question)
    assert lead is not None and "1 March 2025" in lead.text


def test_who_heads_a_body_needs_a_sentence_naming_a_role_and_the_body(scorer: Scorer) -> None:
    text = (
        "The Deputy Secretary General, Ms. Dilnoza Ergasheva, took office on 1 July. "
        "At the Secretariat, Ms. Ergasheva will oversee the work on the economic dimension."
    )
    question = "Who heads the Economic Dimension Department of the Secretariat?"
    assert scorer.lead(case(scorer, question, [chunk("release", text)]).ranked, question) is None
    centre = (
        "The Director of the Ulaanbaatar Centre for Regional Studies, Dr. Tsetsegmaa "
        "Ganbaatar, opened the meeting."
    )
    question = "Who heads the research centre that hosted the meeting in Ulaanbaatar?"
    lead = scorer.lead(case(scorer, question, [chunk("centre", centre)]).ranked, question)
    assert lead is not None and "Ganbaatar" in lead.text
