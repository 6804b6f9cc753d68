"""Corrections by hand: ``pressroom-metadata.csv`` overrides what ingest read.

Columns ``release_id,published,title,place,url``; a blank cell keeps what was read. The
file sits at the root of an ingested folder (it is never read as a feed) or is given with
``pressroom ingest --metadata FILE``. A corrected date gets ``date_source = "override"``.
The corrected values are part of the release's content hash, so after editing the file a
re-run of ingest re-embeds exactly the releases whose row changed.

A row that cannot be used (no release with that id, a date that cannot be read) is one
`IngestError` naming the file and the row; the other rows still apply.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import normalize_space
from ingest.dates import parse_date_value, slash_order
from ingest.decode import decode, read_bytes
from ingest.errors import IngestError
from ingest.release import Release

METADATA_FILE = "pressroom-metadata.csv"
COLUMNS = ("release_id", "published", "title", "place", "url")
# An overrides file is a few lines per release: far below the release file limit.
MAX_OVERRIDE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Override:
    row: int
    release_id: str
    published: dt.date | None = None
    title: str | None = None
    place: str | None = None
    url: str | None = None


def override_files(paths: Sequence[Path], metadata: Path | None) -> list[Path]:
    """``metadata`` if given, then the ``pressroom-metadata.csv`` of each folder in ``paths``."""
    found = [metadata] if metadata is not None else []
    for path in paths:
        candidate = Path(path) / METADATA_FILE
        if Path(path).is_dir() and candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found


def read_overrides(path: Path) -> tuple[list[Override], list[IngestError]]:
    """The rows of one overrides file; raises `IngestError` when the file itself is unusable."""
    text = decode(read_bytes(path, MAX_OVERRIDE_BYTES), path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # a spreadsheet may save with ";"
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise IngestError(path, f"malformed CSV at line {reader.line_num}: {exc}") from exc
    header = [normalize_space(h).lower() for h in reader.fieldnames or []]
    if "release_id" not in header:
        raise IngestError(
            path,
            f"expected the columns {','.join(COLUMNS)}, got: {','.join(header) or 'no header'}",
        )
    rows = [{normalize_space(k or "").lower(): (v or "") for k, v in r.items()} for r in rows]
    day_first = slash_order(r.get("published", "").strip() for r in rows)
    overrides: list[Override] = []
    errors: list[IngestError] = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        release_id = row.get("release_id", "").strip()
        if not release_id:
            continue
        published_text = row.get("published", "").strip()
        published = parse_date_value(published_text, day_first=day_first)
        if published_text and published is None:
            errors.append(
                IngestError(path, f"row {number}: cannot read the date {published_text!r}")
            )
            continue
        overrides.append(
            Override(
                row=number,
                release_id=release_id,
                published=published,
                title=normalize_space(row.get("title", "")) or None,
                place=normalize_space(row.get("place", "")) or None,
                url=row.get("url", "").strip() or None,
            )
        )
    return overrides, errors


def apply_overrides(releases: dict[str, Release], files: Sequence[Path]) -> list[IngestError]:
    """Replace, in ``releases``, what the rows of ``files`` correct; the errors found."""
    errors: list[IngestError] = []
    for path in files:
        try:
            overrides, bad = read_overrides(path)
        except IngestError as error:
            errors.append(error)
            continue
        errors.extend(bad)
        for override in overrides:
            release = releases.get(override.release_id)
            if release is None:
                errors.append(
                    IngestError(
                        path,
                        f"row {override.row}: no release with id {override.release_id!r} "
                        "was read (ids are listed by `pressroom ingest --json`)",
                    )
                )
                continue
            releases[override.release_id] = corrected(release, override)
    return errors


def corrected(release: Release, override: Override) -> Release:
    changes: dict[str, object] = {
        key: getattr(override, key)
        for key in ("title", "place", "url")
        if getattr(override, key) is not None
    }
    if override.title is not None:
        changes["title_made"] = False
    if override.published is not None:
        changes["published"] = override.published
        changes["date_source"] = "override"
    return dataclasses.replace(release, **changes)  # type: ignore[arg-type]
