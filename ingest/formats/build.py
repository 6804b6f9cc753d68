"""Assemble a `Release` from what a reader found, in one order of precedence for all formats.

Metadata a file declares for itself (an HTML ``<meta>``, a record's ``date`` field) wins over
what is read from the text: it was written for this item by whoever published it. Then the
dateline that opens the body, then a dateline in brackets in the headline, then the file
name. The language is the exception: detection from the text comes first, because
declared languages are usually a site-wide template attribute; the declared one fills in
when detection is unsure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import normalize_space
from ingest.language import detect_language
from ingest.metadata import find_body_dateline, find_title_dateline
from ingest.release import Release


@dataclass(frozen=True)
class Declared:
    """Metadata that a file or record states outright."""

    published: dt.date | None = None
    place: str | None = None
    language: str | None = None
    url: str | None = None


NOTHING_DECLARED = Declared()


def relative_id(path: Path, root: Path) -> str:
    """The file's path under ``root`` in posix form: the stable part of a release id."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def normalize_language(code: str | None) -> str | None:
    """``en-GB`` -> ``en``; anything that is not a two- or three-letter code -> ``None``."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def build_release(
    *,
    release_id: str,
    source_path: Path,
    title: str | None,
    body: list[str],
    declared: Declared = NOTHING_DECLARED,
    file_date: dt.date | None = None,
) -> Release:
    """``body`` is the cleaned paragraphs, at least one; the caller reports an empty body."""
    title = normalize_space(title) if title else None
    body_dateline = find_body_dateline(body)
    title_dateline = find_title_dateline(title) if title else None
    datelines = [d for d in (body_dateline, title_dateline) if d is not None]
    published = declared.published or next((d.date for d in datelines), None) or file_date
    place = declared.place or next((d.place for d in datelines if d.place), None)
    text = "\n\n".join(body)
    language = detect_language(f"{title or ''}\n{text}") or normalize_language(declared.language)
    return Release(
        release_id=release_id,
        title=title or None,
        published=published,
        place=normalize_space(place) if place else None,
        language=language,
        url=declared.url or None,
        body=text,
        source_path=str(source_path.resolve()),
    )
