"""Strict date recognition in text and in metadata values.

Only written-out dates are recognised; nothing relative ("yesterday"), nothing inferred.
A day range ("22-23 February 2021") gives its first day. Numeric dates are read only where
the order is not in doubt: ``2024-03-14``, ``14.03.2024`` (the dotted form is day-first
wherever it is used) and ``14/03/2024`` only when one part cannot be a month.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "janvier",
        "januar",
        "jänner",
        "enero",
        "gennaio",
        "janeiro",
        "января",
        "январь",
    ),
    2: (
        "february",
        "feb",
        "février",
        "fevrier",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "февраля",
        "февраль",
    ),
    3: ("march", "mar", "mars", "märz", "marzo", "março", "марта", "март"),
    4: ("april", "apr", "avril", "abril", "aprile", "апреля", "апрель"),
    5: ("may", "mai", "mayo", "maggio", "maio", "мая", "май"),
    6: ("june", "jun", "juin", "juni", "junio", "giugno", "junho", "июня", "июнь"),
    7: ("july", "jul", "juillet", "juli", "julio", "luglio", "julho", "июля", "июль"),
    8: ("august", "aug", "août", "aout", "agosto", "августа", "август"),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "setembro",
        "сентября",
        "сентябрь",
    ),
    10: (
        "october",
        "oct",
        "octobre",
        "oktober",
        "octubre",
        "ottobre",
        "outubro",
        "октября",
        "октябрь",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "ноября", "ноябрь"),
    12: (
        "december",
        "dec",
        "décembre",
        "decembre",
        "dezember",
        "diciembre",
        "dicembre",
        "dezembro",
        "декабря",
        "декабрь",
    ),
}
MONTHS: dict[str, int] = {name: number for number, names in _MONTH_NAMES.items() for name in names}

MONTH_PATTERN = (
    "(?:"
    + "|".join(re.escape(m) for m in sorted(MONTHS, key=len, reverse=True))
    + r")\.?(?![^\W\d_])"
)
_ORD = r"(?:st|nd|rd|th|er|\.)?"
_DAY = rf"[0-3]?\d{_ORD}"
_RANGE_SEP = r"(?:\s*[-–—/]\s*|\s+(?:and|to|y|et|und|e|и|bis|au|al|a)\s+)"
_YEAR = r"(?:1[89]|2[01])\d{2}"

_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # 30 November - 2 December 2021 (a range across months: the first day)
        rf"(?<!\d)(?P<d>{_DAY})\s+(?P<m>{MONTH_PATTERN}){_RANGE_SEP}(?P<d2>{_DAY})\s+(?P<m2>{MONTH_PATTERN}),?\s+(?P<y>{_YEAR})\b",
        # 14 March 2024, 22-23 February 2021, 14 de marzo de 2024, 1er mars 2024
        rf"(?<!\d)(?P<d>{_DAY})(?:{_RANGE_SEP}(?P<d2>{_DAY}))?\s+(?:de\s+|of\s+)?(?P<m>{MONTH_PATTERN})"
        rf"(?:\s+de|\s+del)?,?\s+(?P<y>{_YEAR})\b",
        # November 30 - December 2, 2021
        rf"(?P<m>{MONTH_PATTERN})\s+(?P<d>{_DAY}){_RANGE_SEP}(?P<m2>{MONTH_PATTERN})\s+(?P<d2>{_DAY}),?\s+(?P<y>{_YEAR})\b",
        # March 14, 2024 and February 22-23, 2021
        rf"(?P<m>{MONTH_PATTERN})\s+(?P<d>{_DAY})(?:{_RANGE_SEP}(?P<d2>{_DAY}))?,?\s+(?P<y>{_YEAR})\b",
        # 2024-03-14 (also the date part of an ISO timestamp)
        rf"(?<!\d)(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)",
        # 14.03.2024
        rf"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>{_YEAR})(?![\d])",
        # 14/03/2024, accepted below only when unambiguous
        rf"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>{_YEAR})(?![\d/])",
    )
)


@dataclass(frozen=True)
class DateMatch:
    date: dt.date
    start: int
    end: int
    # The last day of a range ("5-6 March 2024", "30 November - 2 December 2021"); the
    # date itself otherwise.
    last: dt.date | None = None


def month_number(token: str) -> int:
    """``"March"``, ``"mar."``, ``"марта"`` or ``"03"`` -> 3."""
    if token.isdigit():
        return int(token)
    return MONTHS[token.lower().rstrip(".")]


def _day(token: str) -> int:
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _to_date(match: re.Match[str], day_first: bool | None = None) -> dt.date | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if groups.get("a") is not None:
        first, second = int(groups["a"]), int(groups["b"])
        if first == second:
            return _make_date(year, first, first)
        if first > 12 >= second or (day_first is True and first <= 12):
            return _make_date(year, second, first)
        if second > 12 >= first or (day_first is False and second <= 12):
            return _make_date(year, first, second)
        return None
    month = month_number(groups["m"])
    if groups.get("m2") is not None and month > month_number(groups["m2"]):
        year -= 1  # "30 December - 2 January 2021" began in 2020
    return _make_date(year, month, _day(groups["d"]))


def _last_day(match: re.Match[str], first: dt.date) -> dt.date:
    """The last day of the range ``match`` wrote, ``first`` for a single day."""
    groups = match.groupdict()
    if groups.get("d2") is None:
        return first
    month = month_number(groups["m2"]) if groups.get("m2") else first.month
    year = int(groups["y"])
    last = _make_date(year, month, _day(groups["d2"]))
    return last if last is not None and last >= first else first


def _matches(text: str, pos: int, *, anchored: bool) -> list[DateMatch]:
    found: list[DateMatch] = []
    for pattern in _PATTERNS:
        candidates: Iterable[re.Match[str]]
        if anchored:
            m = pattern.match(text, pos)
            candidates = [m] if m else []
        else:
            # Lazily: only up to each pattern's first valid date. Listing every match to
            # the end of the text made find_all_dates quadratic in a release's dates.
            candidates = pattern.finditer(text, pos)
        for candidate in candidates:
            day = _to_date(candidate)
            if day is not None:
                last = _last_day(candidate, day)
                found.append(DateMatch(day, candidate.start(), candidate.end(), last))
                break
    return found


def _first(found: list[DateMatch]) -> DateMatch | None:
    if not found:
        return None
    return min(found, key=lambda m: (m.start, -m.end))


def find_date(text: str) -> DateMatch | None:
    """The first written-out date anywhere in ``text``."""
    return _first(_matches(text, 0, anchored=False))


def find_all_dates(text: str) -> list[DateMatch]:
    """Every written-out date in ``text``, in order, none overlapping an earlier one."""
    found: list[DateMatch] = []
    pos = 0
    while True:
        match = _first(_matches(text, pos, anchored=False))
        if match is None:
            return found
        found.append(match)
        pos = match.end


def match_date_at(text: str, pos: int) -> DateMatch | None:
    """A written-out date starting exactly at ``pos``."""
    return _first(_matches(text, pos, anchored=True))


_SLASHED = re.compile(rf"^\s*([0-3]?\d)/([0-3]?\d)/{_YEAR}\b")


def slash_order(values: Iterable[object]) -> bool | None:
    """Whether a column's ``a/b/yyyy`` dates are day-first, from its unambiguous rows.

    ``True`` when some row's first number cannot be a month (``19/04/2023``) and none's
    second, ``False`` for the opposite, ``None`` when no row decides or rows disagree.
    """
    day_first = month_first = False
    for value in values:
        found = _SLASHED.match(value) if isinstance(value, str) else None
        if found:
            first, second = int(found.group(1)), int(found.group(2))
            day_first |= first > 12 >= second
            month_first |= second > 12 >= first
    if day_first == month_first:
        return None
    return day_first


def parse_date_value(value: object, *, day_first: bool | None = None) -> dt.date | None:
    """A date from a metadata value: ISO date or timestamp, RFC 2822, or written out.

    ``a/b/yyyy`` is read in the order ``day_first`` gives (see `slash_order`), else only
    when one part cannot be a month. An ISO timestamp's date is its own, local one:
    ``2023-04-19T23:30:00-05:00`` is 19 April, whatever the offset.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    iso = re.match(rf"({_YEAR})-(\d{{2}})-(\d{{2}})", text)
    if iso:
        return _make_date(*(int(g) for g in iso.groups()))
    compact = re.fullmatch(rf"({_YEAR})(\d{{2}})(\d{{2}})", text)
    if compact:
        return _make_date(*(int(g) for g in compact.groups()))
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    slashed = _PATTERNS[-1].match(text.strip())
    if slashed is not None and day_first is not None:
        return _to_date(slashed, day_first)
    found = find_date(text)
    return found.date if found else None


# "15 June" and "June 15" with no year after them; the year comes from elsewhere in the text.
DAY_MONTH = re.compile(
    rf"(?<!\d)(?P<d>{_DAY})(?:{_RANGE_SEP}{_DAY})?\s+(?:of\s+)?(?P<m>{MONTH_PATTERN})(?!,?\s+{_YEAR})"
    rf"|(?P<m2>{MONTH_PATTERN})\s+(?P<d2>{_DAY})(?!\d)(?!,?\s+{_YEAR})",
    re.IGNORECASE,
)
MONTH_YEAR = re.compile(rf"(?P<m>{MONTH_PATTERN}),?\s+(?:of\s+)?(?P<y>{_YEAR})\b", re.IGNORECASE)
YEAR = re.compile(rf"(?<![\d.,/-])(?P<y>{_YEAR})(?![\d%])")


def day_months(text: str) -> list[tuple[int, int]]:
    """(month, day) of every day named without a year: ``on 15 June``, ``June 15``."""
    out = []
    for m in DAY_MONTH.finditer(text):
        month, day = (
            (m.group("m"), m.group("d")) if m.group("m") else (m.group("m2"), m.group("d2"))
        )
        out.append((month_number(month), _day(day)))
    return out


def month_years(text: str) -> list[tuple[int, int]]:
    """(year, month) of every month named with its year: ``June 2022``."""
    return [(int(m.group("y")), month_number(m.group("m"))) for m in MONTH_YEAR.finditer(text)]


def years(text: str) -> list[int]:
    """Every year (1800-2199) written in ``text``."""
    return [int(m.group("y")) for m in YEAR.finditer(text)]
