"""What a question says about time: an explicit date window, or "the latest".

All the rules live here. A question that names no time gets no window. Relative phrases
("last year") count from the archive's newest release, not from today: an archive that
stops in 2016 has its "last year" in 2015.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from assistant.text.dates import MONTHS
from assistant.text.lexicon import words

MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d%])"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

LATEST = re.compile(
    r"\b(latest|most recent|newest|current(?:ly)?|last (?:statement|release|meeting|report|"
    r"announcement|decision|update|one)|recent(?:ly)?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeFrame:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    latest: bool = False
    phrase: str | None = None

    @property
    def has_window(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` is inside the window (open ends are unbounded)."""
        return (self.date_from is None or day >= self.date_from) and (
            self.date_to is None or day <= self.date_to
        )


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# A season's first month (the northern one: the archives' conventions are European and
# Asian). Winter straddles two years ("the winter of 2022") and "fall" is as often the
# verb ("did rates fall in 2022"), so neither names a window.
SEASONS = {"spring": 3, "summer": 6, "autumn": 9}
SEASON_NAMES = "|".join(SEASONS)


def _period(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a day, month, quarter, season or year named in ``text``."""
    text = text.strip()
    patterns: list[tuple[str, str]] = [
        ("iso", r"^(?P<year>(?:19|20)\d{2})-(?P<mm>[01]\d)-(?P<dd>[0-3]\d)$"),
        ("days", rf"^(?P<first>[0-3]?\d)\s*(?:-|–|to|and)\s*{DAY}\s+{MONTH},?\s+{YEAR}$"),
        ("day", rf"^{DAY}\s+{MONTH},?\s+{YEAR}$"),
        ("day", rf"^{MONTH}\s+{DAY},?\s+{YEAR}$"),
        ("month", rf"^{MONTH},?\s+(?:of\s+)?{YEAR}$"),
        (
            "quarter",
            rf"^(?:q(?P<q>[1-4])|(?P<qword>first|second|third|fourth) quarter(?: of)?)\s+{YEAR}$",
        ),
        ("season", rf"^(?:the\s+)?(?P<season>{SEASON_NAMES})(?:\s+of)?\s+{YEAR}$"),
        ("year", rf"^{YEAR}$"),
    ]
    for kind, pattern in patterns:
        match = re.match(pattern, text, re.IGNORECASE)
        if not match:
            continue
        year = int(match.group("year"))
        if kind == "year":
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if kind == "quarter":
            order = ["first", "second", "third", "fourth"]
            q = (
                int(match.group("q"))
                if match.group("q")
                else order.index(match.group("qword").lower()) + 1
            )
            return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if kind == "season":
            first_month = SEASONS[match.group("season").lower()]
            return dt.date(year, first_month, 1), _month_end(year, first_month + 2)
        if kind == "iso":
            try:
                day = dt.date(year, int(match.group("mm")), int(match.group("dd")))
            except ValueError:
                return None
            return day, day
        month = MONTHS[match.group("month").lower()]
        if kind == "month":
            return dt.date(year, month, 1), _month_end(year, month)
        try:
            day = dt.date(year, month, int(match.group("day")))
            first = dt.date(year, month, int(match.group("first"))) if kind == "days" else day
        except ValueError:
            return None
        return min(first, day), max(first, day)
    return None


def _unnamed(pattern: str) -> str:
    """The same pattern without group names, so it can appear twice in one expression."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


PERIOD = (
    r"(?:(?:19|20)\d{2}-[01]\d-[0-3]\d"
    rf"|[0-3]?\d\s*(?:-|–|to|and)\s*{DAY}\s+{MONTH},?\s+{YEAR}"
    rf"|{DAY}\s+{MONTH},?\s+{YEAR}|{MONTH}\s+{DAY},?\s+{YEAR}|{MONTH},?\s+(?:of\s+)?{YEAR}"
    rf"|(?:q[1-4]|(?:first|second|third|fourth) quarter(?: of)?)\s+{YEAR}"
    rf"|(?:the\s+)?(?:{SEASON_NAMES})(?:\s+of)?\s+{YEAR}|{YEAR})"
)


SPAN = _unnamed(PERIOD)
BETWEEN = re.compile(
    rf"\b(?:between|from)\s+(?P<a>{SPAN})\s+(?:and|to|until|through|-|–)\s+(?P<b>{SPAN})",
    re.IGNORECASE,
)
SINCE = re.compile(rf"\b(?P<op>since|after|from)\s+(?P<a>{SPAN})", re.IGNORECASE)
BEFORE = re.compile(
    rf"\b(?P<op>before|until|prior to|up to)\s+(?P<the>the\s+)?(?P<a>{SPAN})(?P<event>\s+[a-z]+)?",
    re.IGNORECASE,
)
# "between March and May 2024": two months of one year.
MONTH_RANGE = re.compile(
    rf"\b(?:between|from)\s+(?P<m1>{_unnamed(MONTH)})\s+(?:and|to|until|-|–)\s+"
    rf"(?P<m2>{_unnamed(MONTH)})\s+(?P<y>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
# "in 2023 and 2024": both years.
YEAR_PAIR = re.compile(r"\b(?P<y1>(?:19|20)\d{2})\s+(?:and|&|or)\s+(?P<y2>(?:19|20)\d{2})\b")
ANY = re.compile(rf"\b(?P<a>{SPAN})", re.IGNORECASE)
# "the budget for 2024", "targets by 2030", "the transition into the Year 2000": a year
# the releases talk about, not when they were published.
CONTENT_YEAR = re.compile(
    r"\b(?:for|by|target(?:s|ed)?|until|through|into)\s+(?:the\s+(?:year\s+)?)?$", re.I
)
# "The Secretariat's 2024 budget", "its 2025-2027 work plan": a year before a plan's noun
# is the period planned for, approved the year before; "the 2024 summit" stays a window.
PLANNED_FOR = re.compile(
    rf"^(?:\s*[-–]\s*(?:19|20)\d{{2}})?\s+(?:{'|'.join(sorted(words('words', 'planned')))})\b",
    re.IGNORECASE,
)
# "The budget in 2021": a budget's noun just before "in" makes the year the one it is
# for, as "for 2021" does ("the priorities in 2024" may be those stated in 2024).
PLANNED_IN = re.compile(
    rf"\b(?:{'|'.join(sorted(words('words', 'planned_in')))})\s+in\s+(?:the\s+year\s+)?$",
    re.IGNORECASE,
)
# "Uzbekistan's 2023-2024 chairmanship", "the 2025/26 season": a span of years, both
# of them the window (the second year may be written with two digits).
YEAR_SPAN_END = re.compile(r"^\s*[-–/]\s*(?P<y2>(?:19|20)?\d{2})\b")
YEAR_SPAN_START = re.compile(r"(?:19|20)\d{2}\s*[-–/]\s*$")
RELATIVE = re.compile(r"\b(?P<which>last|this|past|previous) (?P<unit>year|month)\b", re.IGNORECASE)


def interpret_time(question: str, newest: dt.date | None = None) -> TimeFrame:
    """The date window and "latest" flag that ``question`` asks for."""
    latest = bool(LATEST.search(question))
    if match := MONTH_RANGE.search(question):
        year = int(match.group("y"))
        first_month = MONTHS[match.group("m1").lower().rstrip(".")]
        last_month = MONTHS[match.group("m2").lower().rstrip(".")]
        if first_month <= last_month:
            return TimeFrame(
                dt.date(year, first_month, 1), _month_end(year, last_month), latest, match.group()
            )
    match = BETWEEN.search(question) or YEAR_PAIR.search(question)
    if match:
        names = ("a", "b") if match.re is BETWEEN else ("y1", "y2")
        first, second = _period(match.group(names[0])), _period(match.group(names[1]))
        if first and second:
            start, end = min(first[0], second[0]), max(first[1], second[1])
            if newest is None or end.year <= newest.year or start > newest:
                return TimeFrame(start, end, latest, match.group())
            # A range that starts inside the archive and runs years past its newest
            # release is a period the releases talk about ("invest between 2025 and 2035").
            return TimeFrame(latest=latest)
    if match := SINCE.search(question):
        period = _period(match.group("a"))
        if period:
            start = (
                period[0]
                if match.group("op").lower() in ("since", "from")
                else period[1] + dt.timedelta(days=1)
            )
            return TimeFrame(start, None, latest, match.group())
    if match := BEFORE.search(question):
        period = _period(match.group("a"))
        if period:
            # "before the 2016 summit": the event falls somewhere in 2016, so that year stays.
            inclusive = match.group("op").lower() in ("until", "up to") or bool(
                match.group("the") and match.group("event")
            )
            end = period[1] if inclusive else period[0] - dt.timedelta(days=1)
            return TimeFrame(None, end, latest, match.group())
    # The narrowest period named: "the 2007 credit turmoil in September 2007" asks about
    # September.
    named: list[tuple[dt.date, dt.date, str]] = []
    for match in ANY.finditer(question):
        if CONTENT_YEAR.search(question[: match.start()]):
            continue
        if match.group("a").isdigit() and PLANNED_IN.search(question[: match.start()]):
            continue
        if match.group("a").isdigit() and PLANNED_FOR.match(question[match.end() :]):
            continue
        if match.group("a").isdigit() and YEAR_SPAN_START.search(question[: match.start()]):
            continue  # the end of a span of years, taken with its start
        period = _period(match.group("a"))
        phrase = match.group()
        span = YEAR_SPAN_END.match(question[match.end() :])
        if period and span and match.group("a").isdigit():
            last = int(span.group("y2"))
            last = last if last >= 1900 else period[0].year // 100 * 100 + last
            if last > period[0].year:
                period = (period[0], dt.date(last, 12, 31))
                phrase += span.group()
        if period:
            named.append((period[0], period[1], phrase))
    if named:
        opens, closes, phrase = min(named, key=lambda p: p[1] - p[0])
        return TimeFrame(opens, closes, latest, phrase)
    if newest is not None and (match := RELATIVE.search(question)):
        which, unit = match.group("which").lower(), match.group("unit").lower()
        if unit == "year":
            year = newest.year if which == "this" else newest.year - 1
            if which == "past":
                return TimeFrame(newest - dt.timedelta(days=365), newest, latest, match.group())
            return TimeFrame(dt.date(year, 1, 1), dt.date(year, 12, 31), latest, match.group())
        month_start = newest.replace(day=1)
        if which == "this":
            return TimeFrame(
                month_start, _month_end(newest.year, newest.month), latest, match.group()
            )
        if which == "past":
            return TimeFrame(newest - dt.timedelta(days=31), newest, latest, match.group())
        prev = month_start - dt.timedelta(days=1)
        return TimeFrame(prev.replace(day=1), prev, latest, match.group())
    return TimeFrame(latest=latest)
