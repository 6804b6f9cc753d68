"""Find the files of an archive and read each into `Release`s.

`discover` walks the paths given; `read_file` reads one file. A file that cannot be read at
all raises `IngestError`; a feed (JSON, JSON Lines, CSV) with some bad records returns the
good ones and one `IngestError` per bad record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.decode import DEFAULT_MAX_BYTES, decode, read_bytes
from ingest.errors import IngestError
from ingest.formats.build import relative_id
from ingest.formats.docx_document import read_docx
from ingest.formats.html_page import read_html
from ingest.formats.pdf_document import read_pdf
from ingest.formats.records import (
    DEFAULT_FIELDS,
    FieldNames,
    RecordsResult,
    read_csv,
    read_json,
    read_jsonl,
)
from ingest.formats.text import read_markdown, read_text
from ingest.overrides import METADATA_FILE
from ingest.release import Release

__all__ = [
    "DEFAULT_FIELDS",
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Discovery",
    "FieldNames",
    "ReadResult",
    "discover",
    "read_file",
]


class _TextReader(Protocol):
    def __call__(self, text: str, *, path: Path, release_id: str) -> Release: ...


class _FeedReader(Protocol):
    def __call__(
        self, text: str, *, path: Path, relpath: str, fields: FieldNames
    ) -> RecordsResult: ...


# Files read as text (decoded here), feeds of many releases, and formats that decode their
# own bytes (HTML declares its charset; PDF and DOCX are binary).
_TEXT: dict[str, _TextReader] = {".txt": read_text, ".md": read_markdown}
_FEEDS: dict[str, _FeedReader] = {".json": read_json, ".jsonl": read_jsonl, ".csv": read_csv}
_BINARY = frozenset({".html", ".htm", ".pdf", ".docx"})

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_TEXT) | frozenset(_FEEDS) | _BINARY


@dataclass(frozen=True)
class Discovery:
    """Files to read, each with the root its release id is relative to, and files skipped."""

    files: list[tuple[Path, Path]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class ReadResult:
    releases: list[Release] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


# A folder's own documentation ("README.md", "LICENSE.txt"): about the archive, not a
# release of it. Skipped (and reported) in a folder; a file given by name is read.
FOLDER_DOCUMENTS = frozenset({"readme", "license", "licence", "changelog", "contributing"})


def is_folder_document(path: Path) -> bool:
    return path.stem.lower() in FOLDER_DOCUMENTS or path.name.lower() in FOLDER_DOCUMENTS


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _walk(directory: Path) -> list[Path]:
    found: list[Path] = []
    for current, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(current) / name for name in filenames if not name.startswith("."))
    return found


def discover(paths: Sequence[Path]) -> Discovery:
    """Supported files under ``paths`` (recursively, hidden entries skipped), sorted.

    A directory argument is the root of the files found in it; a file argument's root is
    its parent directory. Unsupported files, and a folder's README or LICENSE, are listed
    in ``skipped``, not dropped silently.
    """
    files: dict[Path, tuple[Path, Path]] = {}
    skipped: dict[Path, Path] = {}
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise IngestError(path, "no such file or directory")
        candidates = _walk(path) if path.is_dir() else [path]
        root = path if path.is_dir() else path.parent
        for candidate in candidates:
            key = candidate.resolve()
            if not candidate.is_file():
                continue
            if candidate.name == METADATA_FILE and candidate.parent == root:
                continue  # corrections to the archive (`ingest.overrides`), not releases
            if _supported(candidate) and not (path.is_dir() and is_folder_document(candidate)):
                files.setdefault(key, (candidate, root))
            else:
                skipped.setdefault(key, candidate)
    return Discovery(
        files=sorted(files.values(), key=lambda pair: str(pair[0])),
        skipped=sorted(skipped.values(), key=str),
    )


def read_file(
    path: Path,
    root: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fields: FieldNames = DEFAULT_FIELDS,
) -> ReadResult:
    """The releases in one file; raises `IngestError` when the whole file is unreadable."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(path, f"expected one of {expected}, got a '{suffix}' file")
    data = read_bytes(path, max_bytes)
    if not data:
        raise IngestError(path, "empty file")
    relpath = relative_id(path, root)
    if suffix in (".html", ".htm"):
        return ReadResult([read_html(data, path=path, release_id=relpath)])
    if suffix == ".pdf":
        return ReadResult([read_pdf(data, path=path, release_id=relpath)])
    if suffix == ".docx":
        return ReadResult([read_docx(data, path=path, release_id=relpath, max_bytes=max_bytes)])
    text = decode(data, path)
    if suffix in _TEXT:
        return ReadResult([_TEXT[suffix](text, path=path, release_id=relpath)])
    result = _FEEDS[suffix](text, path=path, relpath=relpath, fields=fields)
    return ReadResult(result.releases, result.errors)
