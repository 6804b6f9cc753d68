from __future__ import annotations

import datetime as dt

import pytest

from assistant.answering.timeframe import TimeFrame, interpret_time

D = dt.date
# The demo archive's newest release: relative phrases count from here, not from today.
NEWEST = D(2025, 12, 9)


@pytest.mark.parametrize(
    ("question", "date_from", "date_to"),
    [
        # months
        ("What happened in December 2008?", D(2008, 12, 1), D(2008, 12, 31)),
        ("What was decided in February 2024?", D(2024, 2, 1), D(2024, 2, 29)),
        ("What was decided in Feb 2023?", D(2023, 2, 1), D(2023, 2, 28)),
        ("What was announced in Sept. 2023?", D(2023, 9, 1), D(2023, 9, 30)),
        ("What was said in May of 2024?", D(2024, 5, 1), D(2024, 5, 31)),
        # days
        ("What was said on 14 March 2024?", D(2024, 3, 14), D(2024, 3, 14)),
        ("What was said on March 14, 2024?", D(2024, 3, 14), D(2024, 3, 14)),
        ("What was said on 1st March 2024?", D(2024, 3, 1), D(2024, 3, 1)),
        # years
        ("What happened in 2023?", D(2023, 1, 1), D(2023, 12, 31)),
        ("Which releases came out in 1999?", D(1999, 1, 1), D(1999, 12, 31)),
        ("Did prices rise 2.5% in 2024?", D(2024, 1, 1), D(2024, 12, 31)),
        # quarters
        ("What happened in Q3 2024?", D(2024, 7, 1), D(2024, 9, 30)),
        ("What happened in q1 2024?", D(2024, 1, 1), D(2024, 3, 31)),
        ("What happened in the third quarter of 2024?", D(2024, 7, 1), D(2024, 9, 30)),
        ("What happened in the fourth quarter 2023?", D(2023, 10, 1), D(2023, 12, 31)),
        # between / from .. to
        ("What happened between 2022 and 2023?", D(2022, 1, 1), D(2023, 12, 31)),
        ("What happened between 2023 and 2022?", D(2022, 1, 1), D(2023, 12, 31)),
        ("What was said from March 2023 to June 2023?", D(2023, 3, 1), D(2023, 6, 30)),
        ("Releases from 1 May 2024 until 31 May 2024", D(2024, 5, 1), D(2024, 5, 31)),
        # a span of years: both years
        (
            "How many events took place in Uzbekistan's 2023-2024 chairmanship?",
            D(2023, 1, 1),
            D(2024, 12, 31),
        ),
        ("Who won in the 2019–20 season?", D(2019, 1, 1), D(2020, 12, 31)),
        ("Which students came in the 2025/26 academic year?", D(2025, 1, 1), D(2026, 12, 31)),
        # open windows
        ("What happened since 2024?", D(2024, 1, 1), None),
        ("What happened since March 2024?", D(2024, 3, 1), None),
        ("What happened after 2024?", D(2025, 1, 1), None),
        ("What happened after 14 March 2024?", D(2024, 3, 15), None),
        ("What happened before 2023?", None, D(2022, 12, 31)),
        ("What happened until 2023?", None, D(2023, 12, 31)),
        ("What happened up to June 2023?", None, D(2023, 6, 30)),
        ("What was decided prior to March 2024?", None, D(2024, 2, 29)),
    ],
)
def test_explicit_windows(
    question: str, date_from: dt.date | None, date_to: dt.date | None
) -> None:
    frame = interpret_time(question, NEWEST)
    assert (frame.date_from, frame.date_to) == (date_from, date_to)
    assert frame.has_window
    assert frame.phrase is not None and frame.phrase in question


@pytest.mark.parametrize(
    ("question", "date_from", "date_to"),
    [
        ("What happened last year?", D(2024, 1, 1), D(2024, 12, 31)),
        ("What happened in the previous year?", D(2024, 1, 1), D(2024, 12, 31)),
        ("What happened this year?", D(2025, 1, 1), D(2025, 12, 31)),
        ("What happened in the past year?", D(2024, 12, 9), D(2025, 12, 9)),
        ("What happened last month?", D(2025, 11, 1), D(2025, 11, 30)),
        ("What happened this month?", D(2025, 12, 1), D(2025, 12, 31)),
        ("What happened in the past month?", D(2025, 11, 8), D(2025, 12, 9)),
    ],
)
def test_relative_windows_count_from_newest_release(
    question: str, date_from: dt.date, date_to: dt.date
) -> None:
    frame = interpret_time(question, NEWEST)
    assert (frame.date_from, frame.date_to) == (date_from, date_to)


def test_relative_windows_follow_an_old_archive_not_today() -> None:
    frame = interpret_time("What happened last year?", D(2016, 5, 2))
    assert (frame.date_from, frame.date_to) == (D(2015, 1, 1), D(2015, 12, 31))


def test_last_month_in_january_is_december_of_the_year_before() -> None:
    frame = interpret_time("What happened last month?", D(2025, 1, 15))
    assert (frame.date_from, frame.date_to) == (D(2024, 12, 1), D(2024, 12, 31))


def test_relative_phrase_without_a_newest_date_gives_no_window() -> None:
    assert not interpret_time("What happened last year?", None).has_window


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest statement on eels?",
        "What was the most recent report?",
        "Which is the newest release?",
        "Who is the current Secretary-General?",
        "Who currently chairs the panel?",
        "What was decided at the last meeting?",
        "What has the Commission said recently?",
    ],
)
def test_latest_flag(question: str) -> None:
    frame = interpret_time(question, NEWEST)
    assert frame.latest
    assert not frame.has_window


def test_latest_flag_combines_with_a_window() -> None:
    frame = interpret_time("What was the latest statement in 2023?", NEWEST)
    assert frame.latest
    assert (frame.date_from, frame.date_to) == (D(2023, 1, 1), D(2023, 12, 31))


@pytest.mark.parametrize(
    "question",
    [
        "Who voted against the eel export ban?",
        "What is the concurrency of the basin index?",  # "concurrency" is not "current"
        "How much did the programme cost?",
        "",
    ],
)
def test_question_without_time_gets_nothing(question: str) -> None:
    assert interpret_time(question, NEWEST) == TimeFrame()


@pytest.mark.parametrize(
    "question",
    [
        "What is the budget for 2024?",
        "How large was the Secretariat's 2024 budget?",
        "What does the 2025-2027 work plan provide for?",
        "How big was the Foreign Ministry's budget in 2020?",
        "What are the targets for the year 2030?",
        "Which cuts are targeted by 2030?",
        "How did policy handle the transition into the Year 2000?",
        "How much investment is needed between 2025 and 2035?",
        "Prices rose 2% after the vote.",
        "Is 31 February 2024 a date?",
    ],
)
def test_no_window(question: str) -> None:
    frame = interpret_time(question, NEWEST)
    assert not frame.has_window
    assert frame.date_from is None and frame.date_to is None


def test_range_inside_the_archive_is_a_window_but_one_past_it_is_content() -> None:
    inside = interpret_time("Investment between 2022 and 2024", NEWEST)
    assert (inside.date_from, inside.date_to) == (D(2022, 1, 1), D(2024, 12, 31))
    past = interpret_time("Investment between 2025 and 2035", NEWEST)
    assert not past.has_window


def test_range_entirely_after_the_archive_is_still_a_window() -> None:
    frame = interpret_time("What happened between 2026 and 2027?", NEWEST)
    assert (frame.date_from, frame.date_to) == (D(2026, 1, 1), D(2027, 12, 31))


def test_range_without_newest_is_always_a_window() -> None:
    frame = interpret_time("Investment between 2025 and 2035", None)
    assert (frame.date_from, frame.date_to) == (D(2025, 1, 1), D(2035, 12, 31))


def test_future_year_alone_still_gives_a_window() -> None:
    frame = interpret_time("What was decided at the 2027 meeting?", NEWEST)
    assert (frame.date_from, frame.date_to) == (D(2027, 1, 1), D(2027, 12, 31))
    assert frame.phrase == "2027"


def test_publication_year_wins_over_a_content_year_after_it() -> None:
    frame = interpret_time("In 2024, what was the budget for 2026?", NEWEST)
    assert (frame.date_from, frame.date_to) == (D(2024, 1, 1), D(2024, 12, 31))


def test_content_year_is_skipped_for_a_later_publication_year() -> None:
    frame = interpret_time("What was the budget for 2026 announced in 2024?", NEWEST)
    assert (frame.date_from, frame.date_to) == (D(2024, 1, 1), D(2024, 12, 31))


@pytest.mark.parametrize("question", ["a 2020% rise", "EUR 20245 spent", "code 12024"])
def test_numbers_that_are_not_years(question: str) -> None:
    assert not interpret_time(question, NEWEST).has_window


def test_has_window_for_open_sides() -> None:
    assert TimeFrame(date_from=D(2024, 1, 1)).has_window
    assert TimeFrame(date_to=D(2024, 1, 1)).has_window
    assert not TimeFrame(latest=True).has_window


def test_iso_dates_are_not_misread_as_something_narrower() -> None:
    # Whatever an ISO date gives, the window must contain that day.
    frame = interpret_time("What happened on 2024-03-14?", NEWEST)
    assert frame.date_from is not None and frame.date_to is not None
    assert frame.date_from <= D(2024, 3, 14) <= frame.date_to


# Each of these once got a window that left out releases it asks for.
@pytest.mark.parametrize(
    ("question", "date_from", "date_to"),
    [
        pytest.param(
            "What happened between 2024 and 2025?",
            D(2024, 1, 1),
            D(2025, 12, 31),
            id="between-years-ending-in-newest-year",
        ),
        pytest.param(
            "What happened between March and May 2024?",
            D(2024, 3, 1),
            D(2024, 5, 31),
            id="between-months-one-year",
        ),
        pytest.param(
            "What was said on 14-15 March 2024?",
            D(2024, 3, 14),
            D(2024, 3, 15),
            id="day-range",
        ),
        pytest.param(
            "What happened in 2023 and 2024?",
            D(2023, 1, 1),
            D(2024, 12, 31),
            id="two-years",
        ),
        pytest.param(
            "What happened on 2024-03-14?",
            D(2024, 3, 14),
            D(2024, 3, 14),
            id="iso-day",
        ),
    ],
)
def test_windows_that_cover_the_whole_period_asked_for(
    question: str, date_from: dt.date, date_to: dt.date
) -> None:
    frame = interpret_time(question, NEWEST)
    assert (frame.date_from, frame.date_to) == (date_from, date_to)


def test_before_an_event_in_a_year_keeps_the_earlier_releases() -> None:
    frame = interpret_time("What was agreed before the 2016 summit?", NEWEST)
    assert frame.date_from is None
    assert frame.date_to is not None and frame.date_to <= D(2016, 12, 31)


def test_a_year_before_an_event_stays_a_window() -> None:
    frame = interpret_time("Who won the 2024 Friendship Cup?", NEWEST)
    assert frame.date_from == dt.date(2024, 1, 1) and frame.date_to == dt.date(2024, 12, 31)


def test_the_narrowest_period_named_is_the_window() -> None:
    frame = interpret_time("How big was the first cut of the 2007 turmoil in September 2007?")
    assert (frame.date_from, frame.date_to) == (dt.date(2007, 9, 1), dt.date(2007, 9, 30))


def test_only_a_budget_in_a_year_is_the_year_it_is_for() -> None:
    """ "The budget in 2021" is the 2021 budget; "the priorities in 2024" may be those the
    releases of 2024 state, so that year stays a window."""
    assert not interpret_time("What was the budget in 2021?", NEWEST).has_window
    frame = interpret_time("What were the chairmanship's priorities in 2024?", NEWEST)
    assert (frame.date_from, frame.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("Who chaired the meeting held in the autumn of 2022?", D(2022, 9, 1), D(2022, 11, 30)),
        ("What did the forum discuss in spring 2023?", D(2023, 3, 1), D(2023, 5, 31)),
        ("Where did the group meet in the summer of 2021?", D(2021, 6, 1), D(2021, 8, 31)),
    ],
)
def test_a_season_is_its_three_months(question: str, first: dt.date, last: dt.date) -> None:
    frame = interpret_time(question, NEWEST)
    assert (frame.date_from, frame.date_to) == (first, last)


def test_winter_and_fall_name_the_year_only() -> None:
    for question in ("What happened in the winter of 2022?", "Did rates fall in 2022?"):
        frame = interpret_time(question, NEWEST)
        assert (frame.date_from, frame.date_to) == (D(2022, 1, 1), D(2022, 12, 31))


def test_a_span_of_years_planned_for_is_no_window() -> None:
    """Its second year was the window: "the work plan for 2021-2022" is not a release
    of 2022."""
    assert not interpret_time("How many events were in the work plan for 2021-2022?").has_window
    assert not interpret_time("What does its 2025-2027 work plan include?").has_window
