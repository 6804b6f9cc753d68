"""Which releases a date window keeps, and in what order: a window never hides an answer.

A release is inside the window when its publication date is, or when its text states a
day or month inside it ("met in Astana on 15 June 2022"; each day of "on 5-6 March
2024"). A release without a date that states nothing in the window stays a candidate,
ranked after those inside. Only a dated release outside the window that states nothing
in it is left out.

Evidence from the text is graded: a release with no date of its own counts as inside on
any date its text gives, including a bare year ("in 2022") and a day and month whose
year is written elsewhere in the release ("on 27 June" in a release that names 2024). A
dated release outside the window needs a full date or a month and year: a bare year in
the text of a dated release is too weak to move it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from enum import IntEnum
from functools import lru_cache

from ingest.dates import day_months, find_all_dates, month_years, years
from vectorstore.records import DateRange

Span = tuple[dt.date, dt.date]


class Place(IntEnum):
    """Where a candidate stands against the window (lower ranks first)."""

    INSIDE = 0
    UNDATED = 1


# The longest range of days read as each of its days ("5-6 March 2024" states 6 March):
# a month's worth; a longer span is a period, not an event's days.
RANGE_DAYS = 31


def _exact_spans(text: str) -> Iterator[Span]:
    """Days and months the text names with their year, each day of a range of days
    ("on 5-6 March 2024" states both)."""
    for match in find_all_dates(text):
        last = match.last or match.date
        days = (last - match.date).days
        for offset in range(days + 1 if days <= RANGE_DAYS else 1):
            day = match.date + dt.timedelta(days=offset)
            yield day, day
    for year, month in month_years(text):
        yield dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _loose_spans(text: str) -> Iterator[Span]:
    """Years the text names, and each yearless day ("27 June") in each of those years."""
    named = sorted(set(years(text)))
    for year in named:
        yield dt.date(year, 1, 1), dt.date(year, 12, 31)
    for month, day in day_months(text):
        for year in named:
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            yield date, date


@lru_cache(maxsize=16384)
def _spans(text: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The exact and the loose spans of ``text``. They do not depend on the window, and
    finding them is most of what a date window costs (a regex pass over the release):
    cached by text, so each release is read once however many windows are asked."""
    return tuple(_exact_spans(text)), tuple(_loose_spans(text))


def _names_a_year_of(text: str, window: DateRange) -> bool:
    """Whether ``text`` writes one of the window's years: a cheap test that spares the
    regex pass over most releases. An open or very long window always passes."""
    if window.date_from is None or window.date_to is None:
        return True
    first, last = window.date_from.year, window.date_to.year
    if last - first > 20:
        return True
    return any(str(year) in text for year in range(first, last + 1))


def states(text: str, window: DateRange, *, loose: bool) -> bool:
    """Whether ``text`` names a day, month (or, with ``loose``, a year or yearless day)
    that lies wholly inside ``window``."""
    if not _names_a_year_of(text, window):
        return False  # every span is a date with its year (or a year): none can be inside
    exact, loose_spans = _spans(text)
    found = any(window.contains(a) and window.contains(b) for a, b in exact)
    if found or not loose:
        return found
    return any(window.contains(a) and window.contains(b) for a, b in loose_spans)


@lru_cache(maxsize=8192)
def place(published: dt.date | None, text: str, window: DateRange) -> Place | None:
    """Where a release published on ``published`` with ``text`` stands against ``window``:
    ``None`` when the window leaves it out. Cached: one question asks it of each
    candidate twice, and a conversation keeps its window."""
    if published is not None and window.contains(published):
        return Place.INSIDE
    if states(text, window, loose=published is None):
        return Place.INSIDE
    return Place.UNDATED if published is None else None


def stated_date(text: str) -> dt.date | None:
    """The first full date ``text`` gives (for ordering a release that has no date)."""
    found = find_all_dates(text)
    return found[0].date if found else None
