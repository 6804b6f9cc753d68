"""Title, date and place of a release, read from its text and its file name.

A date comes from the content (a dateline), a metadata field or the file name, never from
the file's modification time; what none of them gives stays ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clean import is_boilerplate, is_marker_line
from ingest.dates import match_date_at

MAX_HEADLINE_CHARS = 250
MAX_HEADLINE_PARAGRAPHS = 4
DATELINE_PARAGRAPHS = 3

# After the date of a dateline: a dash, a colon, a closing bracket or the end.
_AFTER_DATE = re.compile(r"\s*(?:г\.|r\.)?\s*(?:[-–—:)]|$)")
_PLACE_CONNECTORS = frozenset(
    "am an de del da do dos das di du la le les en on upon sur of the im bei и на".split()
)
_PARENTHESES = re.compile(r"\(([^()]{4,100})\)")
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_]?)([01]\d)\2([0-3]\d)(?!\d)")


@dataclass(frozen=True)
class Dateline:
    place: str | None
    date: dt.date


def _is_place(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not words or len(text) > 60 or len(words) > 6 or not text[0].isupper():
        return False
    if any(ch.isdigit() or ch in ';!?()"“”' for ch in text):
        return False
    return all(
        w[0].isupper() or w.lower() in _PLACE_CONNECTORS or "-" in w or w.endswith(".")
        for w in words
    )


def _date_then_end(text: str, pos: int) -> dt.date | None:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    found = match_date_at(text, pos)
    if found is None or not _AFTER_DATE.match(text, found.end):
        return None
    return found.date


def find_dateline(paragraph: str) -> Dateline | None:
    """``Riga, 14 March 2024 – …``, ``BRUSSELS, Belgium, March 14, 2024: …`` or a bare date.

    The place is the text before the comma that precedes the date, up to two commas in.
    """
    text = paragraph.strip()
    bare = _date_then_end(text, 0)
    if bare is not None:
        return Dateline(None, bare)
    commas = [m.start() for m in re.finditer(",", text[:80])][:3]
    for comma in commas:
        place = text[:comma].strip()
        if not _is_place(place):
            continue
        found = _date_then_end(text, comma + 1)
        if found is not None:
            return Dateline(place, found)
    return None


def find_body_dateline(paragraphs: Sequence[str]) -> Dateline | None:
    """A dateline that opens one of the first body paragraphs (normally the first)."""
    for paragraph in paragraphs[:DATELINE_PARAGRAPHS]:
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


def _headline_like(paragraph: str) -> bool:
    if is_marker_line(paragraph):
        return True
    return (
        len(paragraph) <= MAX_HEADLINE_CHARS
        and not paragraph.endswith((".", ":", ";", ","))
        and not is_boilerplate(paragraph)
        and find_dateline(paragraph) is None
    )


def _only_dateline(paragraph: str) -> bool:
    return (
        len(paragraph) <= 60
        and find_dateline(paragraph) is not None
        and (paragraph.rstrip(" .").endswith(tuple("0123456789)")))
    )


def split_headline(paragraphs: Sequence[str]) -> tuple[str | None, list[str]]:
    """Split the headline paragraphs off the top of a release: ``(title, body)``.

    A headline is one or more short paragraphs without closing punctuation before the first
    body paragraph. A label such as "Press Release" is dropped from it unless the next line
    continues it in lower case ("Press Release" / "of Meeting of …" reads as one title).
    A dateline standing alone above the headline stays in the body, at its start.
    Without any body after it, nothing is a headline: the text is all body.
    """
    datelines: list[str] = []  # "Riga, 14 March 2024" alone above the headline: body text
    head: list[str] = []
    for paragraph in paragraphs[: MAX_HEADLINE_PARAGRAPHS + 1]:
        if not head and not datelines and _only_dateline(paragraph):
            datelines.append(paragraph)
        elif len(head) < MAX_HEADLINE_PARAGRAPHS and _headline_like(paragraph):
            head.append(paragraph)
        else:
            break
    body = list(paragraphs[len(head) + len(datelines) :])
    if not body or not head:
        return None, list(paragraphs)
    body = datelines + body
    parts: list[str] = []
    for i, paragraph in enumerate(head):
        if is_marker_line(paragraph):
            following = head[i + 1] if i + 1 < len(head) else ""
            if not (following[:1].islower() and any(c.isalpha() for c in paragraph)):
                continue
        parts.append(paragraph)
    return (" ".join(parts) or None), body
