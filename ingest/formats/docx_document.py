"""Word (.docx) releases: the body's paragraphs and table rows, in document order.

A paragraph styled Title (or Heading 1) at the top is the headline; otherwise the same
headline rule as plain text applies. The core properties' title is a fallback only, and
their ``created`` date is not used at all: documents made from a template carry the
template's date (every file python-docx writes says 23 December 2013), so it says nothing
about when the release was published. Page headers and footers are not part of the body.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from ingest.clean import dedupe_paragraphs, normalize_space, split_paragraphs
from ingest.errors import IngestError, describe
from ingest.formats.build import Declared, release_from_paragraphs
from ingest.metadata import split_headline
from ingest.release import Release

# A .docx is a zip: refuse one whose parts would expand to more than this many times the
# file size limit (a zip bomb), before python-docx reads them all into memory.
EXPANSION_LIMIT = 5
_TITLE_STYLES = frozenset({"title", "heading 1"})


def read_docx(data: bytes, *, path: Path, release_id: str, max_bytes: int) -> Release:
    _check_package(data, path, max_bytes)
    document = _open(data, path)
    try:
        blocks = list(_blocks(document))
        core_title = normalize_space(document.core_properties.title or "")
        core_language = document.core_properties.language or None
    except Exception as exc:  # python-docx and lxml raise many kinds of errors
        raise IngestError(path, f"damaged DOCX: {describe(exc)}") from exc
    title_parts: list[str] = []
    texts: list[str] = []
    for style, text in blocks:
        if not text.strip():
            continue
        if not texts and style in _TITLE_STYLES:
            title_parts.append(text)
        else:
            texts.append(text)
    paragraphs = dedupe_paragraphs(split_paragraphs("\n\n".join(texts)))
    title: str | None
    if title_parts:
        title, body = " ".join(title_parts), paragraphs
    else:
        title, body = split_headline(paragraphs)
    return release_from_paragraphs(
        path=path,
        release_id=release_id,
        title=title or core_title or None,
        body=body,
        fallback=Declared(language=core_language),
    )


def _check_package(data: bytes, path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            expanded = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError(path, f"expected a DOCX (a zip package), got {describe(exc)}") from exc
    if "word/document.xml" not in names:
        raise IngestError(path, "expected a DOCX, got a zip without word/document.xml")
    limit = EXPANSION_LIMIT * max_bytes
    if expanded > limit:
        reason = (
            f"DOCX expands to {expanded:,} bytes, over {limit:,} ({EXPANSION_LIMIT}x max_bytes)"
        )
        raise IngestError(path, reason)


def _open(data: bytes, path: Path) -> Any:
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise IngestError(path, f"damaged DOCX: {describe(exc)}") from exc


def _blocks(document: Any) -> Any:
    """``(style name in lower case, text)`` of each paragraph and table row, in order."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                yield "table", " | ".join(_row_texts(row))
        else:
            style = block.style.name.lower() if block.style is not None else ""
            yield style, block.text


def _row_texts(row: Any) -> list[str]:
    """A merged cell appears once per grid column it spans; its text is kept once."""
    seen: set[int] = set()
    texts: list[str] = []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        text = normalize_space(cell.text)
        if text:
            texts.append(text)
    return texts
