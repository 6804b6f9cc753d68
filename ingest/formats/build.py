"""Assemble a `Release` from what a reader found, in one order of precedence for all formats.

The date follows `ingest.dating`: metadata a file declares for itself (an HTML ``<meta>``, a
record's ``date`` field) wins over what is read from the text, as it was written for this
item by whoever published it; then a dateline, the lead sentence, the file name.

The language is the exception: detection from the text comes first, because
declared languages are usually a site-wide template attribute; the declared one fills in
when detection is unsure.

Some metadata is only a fallback, below even the file name: a PDF's CreationDate and Title
are written by whatever software exported the file, often long after the release (or a
template's "Microsoft Word - draft.docx"), so they count only when nothing else speaks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean_paragraphs, normalize_space
from ingest.dating import date_from_filename, date_release
from ingest.errors import IngestError
from ingest.language import detect_language
from ingest.metadata import title_or_first_sentence
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
    fallback: Declared = NOTHING_DECLARED,
) -> Release:
    """``body`` is the cleaned paragraphs, at least one; the caller reports an empty body."""
    title = normalize_space(title) if title else None
    dated = date_release(
        title=title,
        body=body,
        declared=declared.published,
        declared_place=declared.place,
        file_date=file_date,
        fallback=fallback.published,
    )
    place = dated.place or fallback.place
    shown_title = title_or_first_sentence(title, body)
    text = "\n\n".join(body)
    language = (
        detect_language(f"{title or ''}\n{text}")
        or normalize_language(declared.language)
        or normalize_language(fallback.language)
    )
    return Release(
        release_id=release_id,
        title=shown_title,
        title_made=shown_title != title,
        published=dated.date,
        place=normalize_space(place) if place else None,
        language=language,
        url=declared.url or fallback.url or None,
        body=text,
        source_path=str(source_path.resolve()),
        date_source=dated.source,
    )


def release_from_paragraphs(
    *,
    path: Path,
    release_id: str,
    title: str | None,
    body: list[str],
    declared: Declared = NOTHING_DECLARED,
    fallback: Declared = NOTHING_DECLARED,
) -> Release:
    """A release of one file from its headline and raw body paragraphs, dated by its name too."""
    cleaned = clean_paragraphs(body)
    if not cleaned:
        raise IngestError(path, "no body text (only a headline or boilerplate)")
    return build_release(
        release_id=release_id,
        source_path=path,
        title=title,
        body=cleaned,
        declared=declared,
        file_date=date_from_filename(path.name),
        fallback=fallback,
    )
