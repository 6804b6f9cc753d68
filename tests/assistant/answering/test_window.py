from __future__ import annotations

import datetime as dt

from assistant.answering.window import Place, place, stated_date, states
from vectorstore.records import DateRange

JUNE_2022 = DateRange(dt.date(2022, 6, 1), dt.date(2022, 6, 30))
YEAR_2022 = DateRange(dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_a_release_dated_inside_is_inside() -> None:
    assert place(dt.date(2022, 6, 15), "no dates in the text", JUNE_2022) is Place.INSIDE


def test_an_undated_release_stays_a_candidate_after_those_inside() -> None:
    assert place(None, "Season's greetings from the Secretariat.", JUNE_2022) is Place.UNDATED
    assert Place.INSIDE < Place.UNDATED


def test_an_undated_release_that_states_the_date_is_inside() -> None:
    assert place(None, "The SOC met in Astana on 15 June 2022.", JUNE_2022) is Place.INSIDE
    assert place(None, "On June 15, 2022 the SOC met.", JUNE_2022) is Place.INSIDE


def test_a_yearless_day_takes_the_year_written_elsewhere() -> None:
    text = "SOC meeting, 2022\nThe Committee met in Astana on 15 June."
    assert place(None, text, JUNE_2022) is Place.INSIDE
    assert place(None, "The Committee met on 15 July. 2022", JUNE_2022) is Place.UNDATED


def test_a_dated_release_outside_counts_when_its_text_states_a_full_date_inside() -> None:
    text = "The agreement, signed on 20 June 2022, enters into force."
    assert place(dt.date(2023, 1, 5), text, JUNE_2022) is Place.INSIDE
    # A bare year in a dated release is too weak to move it.
    assert place(dt.date(2023, 1, 5), "The 2022 figures were revised.", YEAR_2022) is None
    assert place(None, "The 2022 figures were revised.", YEAR_2022) is Place.INSIDE


def test_a_stated_span_must_lie_wholly_inside_the_window() -> None:
    assert not states("in 2022", JUNE_2022, loose=True)
    assert states("in June 2022", YEAR_2022, loose=False)
    assert states("anything", DateRange(None, None), loose=False) is False


def test_stated_date_is_the_first_full_date() -> None:
    assert stated_date("Held on 3 May 2021 and 4 May 2021.") == dt.date(2021, 5, 3)
    assert stated_date("undated") is None


def test_a_text_without_the_windows_year_states_nothing_in_it() -> None:
    june = DateRange(dt.date(2022, 6, 1), dt.date(2022, 6, 30))
    assert states("The Council met on 15 June 2022 in Astana.", june, loose=False)
    assert not states("The Council met on 15 June 2021 in Astana.", june, loose=False)
    assert not states("The Council met in Astana.", june, loose=True)


def test_each_day_of_a_stated_range_is_stated() -> None:
    """A release dated on an event's first day states its second ("5-6 March 2024"):
    the visit of 6 March is not hidden by a window of that day."""
    sixth = DateRange(dt.date(2024, 3, 6), dt.date(2024, 3, 6))
    text = "On 5-6 March 2024, the Secretary General paid a working visit to New Delhi."
    assert place(dt.date(2024, 3, 5), text, sixth) is Place.INSIDE
    across = "It met on 30 November - 2 December 2021 in Baku."
    assert states(across, DateRange(dt.date(2021, 12, 2), dt.date(2021, 12, 2)), loose=False)
    assert not states(text, DateRange(dt.date(2024, 3, 7), dt.date(2024, 3, 7)), loose=False)
