"""Where a release's date comes from: every rule, in one order of trust.

1. ``metadata``: what the file or record declares for this item (HTML
   ``article:published_time``, JSON-LD ``datePublished``, the article's own ``<time>`` or
   dated byline, ``meta name=date``, a feed's date field, Markdown front matter).
2. ``dateline``: a dateline opening one of the first body paragraphs, in any of the common
   forms (`find_dateline`), else one in brackets inside the headline.
3. ``lead``: the first full date of the lead: the first one or two sentences of the first
   body paragraph that ends like a sentence (so past a byline or a label). A day and month
   without a year (``on 19 April``) takes the year the headline states, else the one the
   lead paragraph states, else the one the whole body states, each only when there is
   exactly one (`lead_date`).
4. ``filename``: ``20151216.txt``, ``2021-02-22-visit.html``.
5. ``metadata`` again for software-written dates that are only a fallback (a PDF's
   CreationDate); else ``none``.

``override`` (a row of ``pressroom-metadata.csv``) is applied later, by `ingest.overrides`.

Never a date: an embargo line (``EMBARGOED until 00:01 GMT, 5 June 2024``), an "Updated:"
note, a "related news" list, a copyright or footer line (`is_never_dated`): datelines and
leads are looked for only in paragraphs that are none of these. HTML navigation, sidebars
and footers are removed before any of this (`ingest.formats.html_page`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ingest.dates import MONTH_PATTERN, find_date, match_date_at, month_number

DateSource = Literal["metadata", "dateline", "lead", "filename", "override", "none"]
DATE_SOURCES: tuple[DateSource, ...] = (
    "metadata",
    "dateline",
    "lead",
    "filename",
    "override",
    "none",
)

DATELINE_PARAGRAPHS = 3
LEAD_SENTENCES = 2

# After the date of a dateline: an agency in brackets ("(ISLA)"), then a dash, a colon, a
# closing bracket or the end.
_AFTER_DATE = re.compile(r"\s*(?:г\.|r\.)?\s*(?:\([^()\d]{1,40}\)\s*)?(?:[-–—:)]|$)")
_DASH = re.compile(r"\s*[-–—:]\s*")
# Between the place and the date of a dateline: a comma or a spaced dash; an agency may
# follow the place ("GENEVA (ISLA), 4 March 2025 –").
_PLACE_END = re.compile(r",|\s+[–—-]\s+")
_AGENCY = re.compile(r"\s*\([^()\d]{1,40}\)\s*$")
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)"
    r"\.?,?\s+",
    re.IGNORECASE,
)
_PLACE_CONNECTORS = frozenset(
    "am an de del da do dos das di du la le les en on upon sur of the im bei и на".split()
)
_PARENTHESES = re.compile(r"\(([^()]{4,100})\)")
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_]?)([01]\d)\2([0-3]\d)(?!\d)")

# Paragraphs whose dates are never the release's own.
_NEVER_DATED = re.compile(
    r"""^\s*(?:
        [-–—*\s]*embargo(?:ed)?\b
      | (?:strictly\s+)?under\s+embargo\b
      | not\s+for\s+(?:publication|release|broadcast)\b
      | hold\s+for\s+release\b
      | (?:last\s+)?(?:updated|modified|edited|amended|corrected)\b\s*(?:on\b)?\s*:?
      | related(?:\s+(?:news|articles|releases|stories|content|links))?\s*:
      | (?:see\s+also|read\s+more|more\s+news|latest\s+news|other\s+news)\b
      | ©
      | \(c\)\s*(?:19|20)\d{2}
      | copyright\b
      | all\s+rights\s+reserved\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# The lead's sentences: a sentence ends at . ! ? before a capital, not after a title or an
# initial ("Mr.", "H.E.", "St.") nor inside a number.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|prof|st|no|nos|h\.e|e\.g|i\.e|gen|col|sen|rep|jr|sr|vs|u\.s|u\.n)"
    r"|\b[A-Z])\.$",
    re.IGNORECASE,
)
# A day and month without a year, after "on": "on 19 April", "on 3-4 October", "on April 19".
_ON = r"\b(?:on|of)\s+(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_RANGE = r"(?:\s*[-–—]\s*[0-3]?\d(?:st|nd|rd|th)?|\s+(?:and|to)\s+[0-3]?\d(?:st|nd|rd|th)?)?"
_YEARLESS = (
    re.compile(
        rf"{_ON}(?P<d>{_DAY}){_RANGE}\s+(?:of\s+)?(?P<m>{MONTH_PATTERN})(?!,?\s*(?:19|20)\d\d)",
        re.IGNORECASE,
    ),
    re.compile(rf"{_ON}(?P<m>{MONTH_PATTERN})\s+(?P<d>{_DAY})(?![\d,]*\s*\d)", re.IGNORECASE),
)
_PROSE_END = re.compile(r"[.!?…][\"”’)]?\s*$")
_YEAR_TOKEN = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?:\s*[-–—/]\s*(?:(?:19|20)?\d{2}))?(?!\d)")


@dataclass(frozen=True)
class Dateline:
    place: str | None
    date: dt.date


@dataclass(frozen=True)
class Dated:
    """A release's date, where it came from, and the place a dateline gave."""

    date: dt.date | None
    source: DateSource
    place: str | None = None


def is_never_dated(paragraph: str) -> bool:
    """An embargo, "Updated:", related-news, copyright or footer line: its dates never count."""
    return bool(_NEVER_DATED.match(paragraph))


def is_embargo_line(paragraph: str) -> bool:
    text = paragraph.lstrip(" -–—*").lower()
    return text.startswith(("embargo", "under embargo", "strictly under embargo", "not for "))


def _is_place(text: str) -> bool:
    words = text.replace(",", " ").replace("/", " ").split()
    if not words or len(text) > 60 or len(words) > 6 or not text[0].isupper():
        return False
    if any(ch.isdigit() or ch in ';!?()"“”' for ch in text):
        return False
    return all(
        w[0].isupper() or w.lower() in _PLACE_CONNECTORS or "-" in w or w.endswith(".")
        for w in words
    )


def _date_then_end(text: str, pos: int) -> tuple[dt.date, int] | None:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    weekday = _WEEKDAY.match(text, pos)
    if weekday:
        pos = weekday.end()
    found = match_date_at(text, pos)
    if found is None:
        return None
    after = _AFTER_DATE.match(text, found.end)
    if after is None:
        return None
    return found.date, after.end()


def _place_after(text: str, pos: int) -> str | None:
    """``27 June 2024 – Astana, Kazakhstan - The…``: the place between two dashes."""
    end = _DASH.search(text, pos, pos + 62)
    if end is None:
        return None
    place = text[pos : end.start()].strip()
    return place if _is_place(place) else None


def find_dateline(paragraph: str) -> Dateline | None:
    """A dateline opening ``paragraph``; its place, when it names one.

    Place first: ``Riga, 14 March 2024 –``, ``GENEVA, 4 March 2025 (ISLA) –``,
    ``NAIROBI/GENEVA, 12 November 2022 –``, ``BRUSSELS, Belgium, March 14, 2024:``,
    ``GENEVA (ISLA), 4 March 2025 –``, ``GENEVA — March 4, 2025 —`` (the place is the text
    before the comma or spaced dash that precedes the date, up to two commas in). Date
    first: ``27 June 2024 – Astana, Kazakhstan - ``, or a bare date line, with or without
    a weekday before the date.
    """
    text = paragraph.strip()
    if is_never_dated(text):
        return None
    bare = _date_then_end(text, 0)
    if bare is not None:
        return Dateline(_place_after(text, bare[1]), bare[0])
    separators = [m for m in _PLACE_END.finditer(text[:80])][:3]
    for separator in separators:
        place = _AGENCY.sub("", text[: separator.start()]).strip()
        if not _is_place(place):
            continue
        found = _date_then_end(text, separator.end())
        if found is not None:
            return Dateline(place, found[0])
    return None


def datable(paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs whose dates may count: embargo, related-news and footer lines go."""
    return [p for p in paragraphs if not is_never_dated(p)]


def find_body_dateline(paragraphs: Sequence[str]) -> Dateline | None:
    """A dateline that opens one of the first body paragraphs (normally the first)."""
    for paragraph in datable(paragraphs)[:DATELINE_PARAGRAPHS]:
        found = find_dateline(paragraph)
        if found is not None:
            return found
    return None


def find_title_dateline(title: str) -> Dateline | None:
    """``… (Moscow, 22-23 February 2021)``: a dateline in brackets inside a headline."""
    for match in _PARENTHESES.finditer(title):
        found = find_dateline(match.group(1))
        if found is not None:
            return found
    return None


def date_from_filename(name: str) -> dt.date | None:
    """``20151216.txt``, ``2021-02-22-visit.html``, ``2021_02_22_x.txt``."""
    for match in _FILE_DATE.finditer(name):
        year, _, month, day = match.groups()
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def lead_sentences(paragraph: str, count: int = LEAD_SENTENCES) -> str:
    """The first ``count`` sentences of ``paragraph``."""
    end = 0
    taken = 0
    for match in _SENTENCE_END.finditer(paragraph):
        if _ABBREVIATION.search(paragraph[max(0, match.start() - 6) : match.start()]):
            continue
        end = match.start()
        taken += 1
        if taken == count:
            return paragraph[:end]
    return paragraph


def years_stated(text: str) -> set[int]:
    """Years a text names; a period (``2022-2023``, ``2021/22``) counts as the year it starts."""
    return {int(m.group(1)) for m in _YEAR_TOKEN.finditer(text)}


def _yearless(text: str) -> tuple[int, int, int] | None:
    """``(position, month, day)`` of the first day and month without a year after "on"."""
    found: list[tuple[int, int, int]] = []
    for pattern in _YEARLESS:
        match = pattern.search(text)
        if match:
            day = int(re.match(r"\d+", match.group("d")).group())  # type: ignore[union-attr]
            position = min(match.start("d"), match.start("m"))
            found.append((position, month_number(match.group("m")), day))
    return min(found) if found else None


def _only(years: set[int]) -> int | None:
    return next(iter(years)) if len(years) == 1 else None


def lead_paragraph(paragraphs: Sequence[str]) -> str | None:
    """The first paragraph that reads as prose (ends like a sentence), past bylines and labels."""
    for paragraph in paragraphs:
        if _PROSE_END.search(paragraph):
            return paragraph
    return None


def lead_date(paragraphs: Sequence[str], title: str | None) -> dt.date | None:
    """The first full date of the lead, or its year-less day and month with a known year."""
    body = datable(paragraphs)
    first = lead_paragraph(body)
    if first is None:
        return None
    lead = lead_sentences(first)
    found = find_date(lead)
    day_month = _yearless(lead)
    if day_month is None or (found is not None and found.start < day_month[0]):
        return found.date if found is not None else None
    year = (
        _only(years_stated(title or ""))
        or _only(years_stated(first))
        or _only(years_stated("\n".join(body)))
    )
    if year is None:
        return None
    try:
        return dt.date(year, day_month[1], day_month[2])
    except ValueError:
        return found.date if found is not None else None


def date_release(
    *,
    title: str | None,
    body: Sequence[str],
    declared: dt.date | None,
    declared_place: str | None = None,
    file_date: dt.date | None = None,
    fallback: dt.date | None = None,
) -> Dated:
    """The date of a release and its source, in the order of trust of the module docstring.

    The place is the declared one, else the first dateline's that names one (even when the
    date came from metadata: the dateline still says where).
    """
    datelines = [
        d
        for d in (find_body_dateline(body), find_title_dateline(title) if title else None)
        if d is not None
    ]
    dateline = datelines[0] if datelines else None
    place = declared_place or next((d.place for d in datelines if d.place), None)
    if declared is not None:
        return Dated(declared, "metadata", place)
    if dateline is not None:
        return Dated(dateline.date, "dateline", place)
    lead = lead_date(body, title)
    if lead is not None:
        return Dated(lead, "lead", place)
    if file_date is not None:
        return Dated(file_date, "filename", place)
    if fallback is not None:
        return Dated(fallback, "metadata", place)
    return Dated(None, "none", place)
