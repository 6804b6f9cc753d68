"""What a question asks: its kind and its discriminating terms."""

from __future__ import annotations

import pytest

from assistant.answering.question import (
    analyse,
    answer_kinds,
    asked_body,
    asked_kind,
    asked_phase,
    asked_role_heads,
    counted_noun,
    country_of,
    measured,
    named_things,
    names_a_place,
    spells_out,
)
from assistant.answering.tuning import Tuning


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who opened the new office?", "who"),
        ("Which minister signed the accord?", "who"),
        ("When was the accord signed?", "when"),
        ("Through when are the swap lines authorised?", "when"),
        ("Since when has the office been open?", "when"),
        ("From which date does the new title apply?", "when"),
        ("In what year was the office opened?", "when"),
        ("Where did the forum meet?", "where"),
        ("In which city was the summit held?", "where"),
        ("How many delegations attended?", "how-many"),
        ("How much did the budget grow?", "how-much"),
        ("What was the latest reading of the index?", "what-figure"),
        ("What did the forum decide about trade?", "what"),
    ],
)
def test_the_kind_of_answer_asked_for(question: str, kind: str) -> None:
    assert asked_kind(question) == kind


def terms(question: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in analyse(question, Tuning()).terms]


def test_ordinals_years_and_figures_discriminate() -> None:
    found = terms("What was decided at the 12th session in 2023 about the 40 vessels?")
    assert ("ordinal", "12th") in found
    assert ("year", "2023") in found
    assert ("figure", "40") in found
    assert ("ordinal", "fifth") in terms("What happened at the fifth meeting?")


def test_first_and_second_discriminate_only_when_they_number_a_named_thing() -> None:
    assert ("ordinal", "second") in terms("Who spoke at the second Annual Trade Forum?")
    assert ("ordinal", "first") in terms("Who spoke at the very first Trade Forum?")
    assert not [t for t in terms("When did the council first meet?") if t[0] == "ordinal"]
    assert not [t for t in terms("Who chaired the second meeting?") if t[0] == "ordinal"]


def test_the_day_of_a_date_is_not_a_figure() -> None:
    assert not [t for t in terms("What was agreed on 15 June 2022?") if t[0] == "figure"]


def test_nationality_adjectives_and_country_names_are_one_country() -> None:
    kyrgyz = country_of("Kyrgyz")
    assert kyrgyz is not None and kyrgyz[0].name == "Kyrgyzstan"
    brazilian = country_of("Brazilian")
    assert brazilian is not None and brazilian[0] == country_of("Brazil")[0]  # type: ignore[index]
    assert country_of("Committee") is None


def test_a_nationality_matches_the_country_in_any_form() -> None:
    term = next(t for t in analyse("Who is the Kyrgyz foreign minister?", Tuning()).terms)
    assert term.kind == "country"
    assert term.found_in("the Minister of Foreign Affairs of the Kyrgyz Republic, Mr. Asanov")
    assert term.found_in("Kyrgyzstan's Foreign Minister spoke.")
    assert not term.found_in("The Kazakh Foreign Minister spoke.")


def test_names_leave_out_titles_and_countries() -> None:
    found = terms("What did Ambassador Ivan Petrov of Brazil say?")
    assert ("name", "Ivan Petrov") in found
    assert ("country", "Brazil") in found


def test_a_name_of_everyday_words_describes_rather_than_identifies() -> None:
    assert not [t for t in terms("Which Reserve Bank president voted against?") if t[0] == "name"]
    assert ("name", "Jafarli") in terms("What did Mr Jafarli say about the Think Tank Forum?")


def test_a_possessive_is_not_part_of_a_name() -> None:
    assert ("name", "SOC") in terms("Who chaired the SOC's first meeting?")
    assert ("country", "Kazakhstan") in terms("When did Kazakhstan's President speak?")


def test_an_acronym_matches_the_name_it_abbreviates() -> None:
    term = next(t for t in analyse("Who chaired the SOC's first meeting?", Tuning()).terms)
    assert term.found_in("The Senior Officials Committee met in Astana.")
    assert not term.found_in("The Special Working Group met in Astana.")


def test_a_sentence_names_a_place_from_the_country_data() -> None:
    asked = "Where did the ninth meeting take place?"
    assert names_a_place("The ninth meeting was held in Ulaanbaatar.", asked), "a capital"
    assert names_a_place("Delegates gathered in Kazakhstan last week.", asked), "a country"
    assert not names_a_place("The ninth meeting was held in the capital.", asked)
    assert not names_a_place("The concept note was proposed by the Mongolian side.", asked)
    assert not names_a_place(
        "The talks in Ulaanbaatar went well.", "What was agreed in Ulaanbaatar?"
    ), "a place the question already names is not an answer to it"


def test_an_ordinal_term_is_found_only_before_what_it_numbers() -> None:
    (term,) = [
        t
        for t in analyse("How many attended the first Annual Forum?", Tuning()).terms
        if t.kind == "ordinal"
    ]
    assert term.found_in("The 1st Annual Forum opened in the capital.")
    assert not term.found_in("For the first time a youth track was held at the Forum.")


def test_what_a_count_question_counts() -> None:
    assert counted_noun("How many ships took part in the exercise?") == "ships"
    assert counted_noun("What was the number of delegations present?") == "delegations"
    assert counted_noun("Who opened the office?") is None
    assert counted_noun("How many gauging stations were reporting?") == "stations"
    assert counted_noun("How many member states voted?") == "states"
    assert counted_noun("How many were there?") is None
    # The phrase ends with its first plural, before a verb without "-ed".
    assert counted_noun("How many member states sent experts to the SWG?") == "states"
    assert counted_noun("How many experts came to the Forum?") == "experts"
    assert counted_noun("How many people came?") == "people"
    assert counted_noun("How many business leaders attended?") == "leaders"


def test_a_name_is_found_in_its_plural_and_adjective_forms() -> None:
    (term,) = [
        t
        for t in analyse("How many Oskarians left Velmora?", Tuning()).terms
        if t.text == "Oskarians"
    ]
    assert term.found_in("The Ministry urges Oskarian citizens to leave.")
    assert term.found_in("Citizens of Oskaria were told to leave.")
    assert not term.found_in("Citizens of Oskemen were told to leave.")
    (bought,) = analyse("How much in Treasuries did the Desk buy?", Tuning()).terms
    assert bought.found_in("purchases of longer-term Treasury securities")


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("How much did the exercise cost?", {"money"}),
        ("What budget did the ministers approve for 2024?", {"money"}),
        ("By how much did the budget grow?", {"number"}),
        ("How many staff did the budget provide for?", {"number"}),
        ("What share of the budget went to salaries?", {"number"}),
        ("At what time did the conference begin?", {"time"}),
        ("At what time of day was the rate cut announced?", {"time"}),
    ],
)
def test_money_and_a_time_of_day_are_kinds_of_their_own(question: str, kinds: set[str]) -> None:
    assert answer_kinds(question) == kinds


@pytest.mark.parametrize(
    "question",
    [
        "What is the name of the ambassador in Cairo?",
        "What's the name of the Polish foreign minister who came to Velmora?",
        "What was the full name of the treaty signed in Tashkent?",
    ],
)
def test_asking_for_the_name_of_something_asks_for_a_name(question: str) -> None:
    assert "name" in answer_kinds(question)
    assert "name" not in answer_kinds("What was the treaty named after?")


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What unemployment rate did the FOMC cite in December?", "unemployment rate"),
        ("What core PCE inflation figure did the Committee report?", "core PCE inflation"),
        ("How large was the Federal Reserve's total balance sheet when it ended?", "balance sheet"),
        ("How big was the Foreign Ministry's budget in 2020?", "budget"),
        ("What was the total dollar amount of the purchases?", "purchases"),
        ("How big was the Fed's first rate cut in September 2007?", "rate"),
        ("What did it cost to build the system?", ""),
        ("How much did banks' prime lending rate fall after the cut?", "prime lending rate"),
        ("What is the value of bilateral trade between Oskaria and Poland?", "trade"),
        ("What was the combined amount requested by the proposals?", ""),
        ("What federal funds rate did the Committee set?", "funds rate"),
        ("What is the population of Morvania?", "population"),
        ("What was the share of planned events that were held?", "events"),
        ("How large was the dollar swap line the Fed set up with the Bank of Japan?", "swap line"),
        ("Which municipality got the first loan, and how large was it?", ""),
        ("How much did the Fed raise its target?", ""),
        ("What is the newest reading of the Basin Health Index?", "Basin Health Index"),
        ("Who chaired the meeting?", ""),
        # A modal verb ends the measured noun.
        ("What minimum share of its financing must a member state put up?", "financing"),
    ],
)
def test_what_a_figure_question_measures(question: str, said: str) -> None:
    assert measured(question) == said


def test_a_deputys_role_discriminates_and_is_found_in_its_forms() -> None:
    (role,) = [
        t
        for t in analyse("Who was Vice Chairman of the Board in 1995?", Tuning()).terms
        if t.kind == "role"
    ]
    assert role.text == "Vice Chairman"
    assert role.found_in("Vice Chair William Dudley voted for the action.")
    assert not role.found_in("Chairman Alan Greenspan announced the action today.")
    (deputy,) = analyse("Who is the deputy foreign minister?", Tuning()).terms
    assert deputy.found_in("the Deputy Minister of Foreign Affairs, Ms. Kanjanapong")
    assert not analyse("Who chaired the meeting?", Tuning()).terms
    assert not deputy.found_in("the Deputy Chair of the Ministerial Council")


def test_the_role_a_who_question_asks_for() -> None:
    assert asked_role_heads("Which Kazakh foreign minister sat in at the talks?") == {"minister"}
    assert asked_role_heads("Who is the Secretary General of the Forum?") == {"secretary"}
    assert not asked_role_heads("Who received the Secretary General?"), "a role it only names"


def test_a_shared_demonym_is_the_larger_countrys() -> None:
    found = country_of("Indian")
    assert found is not None and found[0].name == "India"


def test_a_two_word_country_is_one_term() -> None:
    (korea,) = [t for t in analyse("Where did South Korea sign it?", Tuning()).terms]
    assert korea.text == "South Korea" and korea.found_in("the Republic of Korea signed")
    assert country_of("South") is None


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Who chaired the Senior Officials Committee in March?", ["Senior Officials Committee"]),
        ("What did the SOC decide in May 2023?", ["SOC"]),
        ("Who opened the Youth Council on Monday?", ["Youth Council"]),
        # Titles, countries and one everyday word ("the Fed") name no particular thing;
        # a name with a rare word is a term of its own (see analyse).
        ("What did the Kazakh Foreign Minister say to the Secretary General?", []),
        ("What did the Fed do in June 2006?", []),
        ("When did Mr Jafarli arrive?", []),
        ("Which UN agency helped?", []),
    ],
)
def test_the_named_things_a_question_is_about(question: str, said: list[str]) -> None:
    assert [t.said for t in named_things(question, Tuning())] == said


def test_an_acronym_spelled_out_in_lower_case() -> None:
    assert spells_out("MBS", "purchases of agency mortgage-backed securities")
    assert spells_out("SOC", "a meeting of the senior officials committee")
    assert not spells_out("SOC", "the Committee of Senior Officials")


def test_the_legal_phase_a_date_question_asks_about() -> None:
    phase = asked_phase("On what date did the consular convention enter into force?")
    assert phase is not None and (phase.said, phase.stem) == ("into force", "forc")
    took = asked_phase("When did the new visa rules take effect?")
    assert took is not None and took.stem == "effect"
    assert asked_phase("When was the convention signed?") is None
    assert asked_phase("Which agreements are in force?") is None, "not a date question"


def test_the_role_asked_for_may_follow_three_words() -> None:
    assert asked_role_heads("Who is the Foreign Ministry's official spokesperson?") == {
        "spokesperson"
    }


def test_a_role_asked_for_by_its_verb() -> None:
    assert asked_role_heads("Who chaired the SOC meeting in June 2022?") == {"chair"}
    heads = asked_role_heads("Who heads the research centre?")
    assert {"head", "director", "ambassador"} <= heads, "whoever leads it, by any title"
    assert asked_role_heads("Who opened the office?") == frozenset()


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("Who heads the Economic Dimension Department of the Secretariat?", "department"),
        ("Who heads Oskaria's embassy in Jakarta?", "embassy"),
        ("Who heads the Finance and Administration Department?", "department"),
        ("Who heads the research centre that co-organised the forum?", "centre"),
        ("Who chaired the SOC meeting?", None),
    ],
)
def test_the_body_a_who_heads_question_asks_about(question: str, body: str | None) -> None:
    assert asked_body(question) == body


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Korea", "South Korea"),
        ("Kyrgyz", "Kyrgyzstan"),
        ("Britain", "United Kingdom"),
        # Words of official names and of common English name no country alone.
        ("Department", None),  # "Department of Mayotte"
        ("Special", None),  # Macau's "Special Administrative Region"
        ("Arab", None),
        ("Coast", None),  # Ivory Coast
    ],
)
def test_a_word_names_a_country_by_its_common_name(word: str, country: str | None) -> None:
    found = country_of(word)
    assert (found[0].name if found else None) == country


def test_a_name_joined_by_and_or_of_is_one_thing() -> None:
    found = named_things("Who heads the Finance and Administration Department?", Tuning())
    assert [t.said for t in found] == ["Finance Administration Department"]
