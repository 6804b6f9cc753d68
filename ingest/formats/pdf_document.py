"""PDF releases: the text layer of each page, with paragraphs told apart by vertical gaps.

pypdf's layout mode writes a blank line where the page has vertical space, which is the
only sign of a paragraph break a PDF carries; plain mode runs every line together. Lines
that repeat at the top or bottom of most pages (a running header or footer) and page
numbers are dropped. The document's Title and CreationDate are fallbacks only (see
`ingest.formats.build`): the headline and dateline in the text come first.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from ingest.clean import dedupe_paragraphs, normalize_space, split_paragraphs
from ingest.dates import parse_date_value
from ingest.errors import IngestError, describe
from ingest.formats.build import Declared, release_from_paragraphs
from ingest.metadata import split_headline
from ingest.release import Release

EDGE_LINES = 2
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|seite|pagina|página)\s*)?[-–—(]?\s*\d{1,4}\s*[-–—)]?"
    r"(?:\s*(?:/|of|de|von|sur|из)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
# Titles that export tools write on their own: a file name, not a headline.
_TOOL_TITLE = re.compile(
    r"^(?:microsoft\s+\w+\s+-\s+.*|untitled.*|document\d*|.*\.(?:docx?|pdf|rtf|odt|txt|indd))$",
    re.IGNORECASE,
)


def read_pdf(data: bytes, *, path: Path, release_id: str) -> Release:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(data, path)
        pages = _pages_text(reader, path)
        info_title, info_created = _info(reader)
    text = "\n\n".join(_drop_running_lines(pages))
    if not text.strip():
        raise IngestError(path, "no text layer in the PDF (a scanned PDF needs OCR first)")
    paragraphs = dedupe_paragraphs(split_paragraphs(text))
    title, body = split_headline(paragraphs)
    return release_from_paragraphs(
        path=path,
        release_id=release_id,
        title=title or info_title,
        body=body,
        fallback=Declared(published=parse_date_value(info_created)),
    )


def _open(data: bytes, path: Path) -> Any:
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise IngestError(path, "expected a PDF, got a file without a %PDF header")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise IngestError(path, f"damaged or truncated PDF: {describe(exc)}") from exc
    if encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:
            reason = f"encrypted PDF that cannot be opened: {describe(exc)}"
            raise IngestError(path, reason) from exc
        if not opened:
            raise IngestError(path, "encrypted PDF: it needs a password to be read")
    return reader


def _pages_text(reader: Any, path: Path) -> list[str]:
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise IngestError(path, f"damaged or truncated PDF: {describe(exc)}") from exc
    texts: list[str] = []
    failures: list[str] = []
    for page in pages:
        try:
            texts.append(page.extract_text(extraction_mode="layout") or "")
            continue
        except Exception:
            pass
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            failures.append(describe(exc))
            texts.append("")
    if failures and not any(t.strip() for t in texts):
        raise IngestError(path, f"damaged PDF, no page could be read: {failures[0]}")
    return texts


def _info(reader: Any) -> tuple[str | None, dt.datetime | None]:
    """Title and creation date from the document information, when they are usable."""
    title: str | None = None
    created: dt.datetime | None = None
    try:
        meta = reader.metadata
        if meta is not None:
            title = normalize_space(str(meta.title or "")) or None
            created = meta.creation_date
    except Exception:  # damaged metadata is no reason to lose the text
        pass
    if title and _TOOL_TITLE.match(title):
        title = None
    return title, created


def _edge_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def _drop_running_lines(pages: list[str]) -> list[str]:
    """Pages without page numbers and without lines repeated at the edge of most pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_DIGITS.sub("#", normalize_space(line)) for line in _edge_lines(page)})
    running = {line for line, n in counts.items() if n >= 2 and n * 2 >= len(pages)}
    cleaned: list[str] = []
    for page in pages:
        edges = set(_edge_lines(page))
        kept = []
        for line in page.splitlines():
            bare = normalize_space(line)
            if line.strip() in edges and (
                _PAGE_NUMBER.match(bare) or _DIGITS.sub("#", bare) in running
            ):
                continue
            kept.append(line)
        cleaned.append("\n".join(kept))
    return cleaned
