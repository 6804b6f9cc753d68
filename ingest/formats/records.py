"""Feeds of many releases: JSON, JSON Lines and CSV, one release per record.

A record that cannot be read (not an object, no body, a duplicate key) becomes one
`IngestError` naming the file and the record; the other records still come through. A feed
covers many dates, so a record's date never comes from the feed's file name.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.clean import clean_paragraphs, dedupe_paragraphs, normalize_space, split_paragraphs
from ingest.dates import parse_date_value, slash_order
from ingest.errors import IngestError
from ingest.formats.build import Declared, build_release
from ingest.formats.html_page import html_fragment_paragraphs
from ingest.release import Release

CONTAINER_KEYS = ("releases", "items", "data")
_HTML_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|li|blockquote)\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class FieldNames:
    """Which record fields hold what; the first non-empty one of each tuple is used.

    Field names match case-insensitively.
    """

    title: tuple[str, ...] = ("title", "headline")
    date: tuple[str, ...] = (
        "date",
        "published",
        "published_at",
        "pubdate",
        "pub_date",
        "datepublished",
        "date_published",
    )
    body: tuple[str, ...] = ("body", "text", "content", "body_html", "content_html", "html")
    url: tuple[str, ...] = ("url", "link")
    id: tuple[str, ...] = ("id", "nid", "guid", "uuid")
    place: tuple[str, ...] = ("place", "location")
    language: tuple[str, ...] = ("language", "lang")


DEFAULT_FIELDS = FieldNames()


def parse_fields(spec: str, base: FieldNames = DEFAULT_FIELDS) -> FieldNames:
    """``title=headline,date=pubDate,body=body_html`` -> `FieldNames` that try those first.

    Each named field is looked for before the default names of its kind (which stay as a
    fallback, so one spec serves a folder of feeds); ``a|b`` gives several names in order.
    Raises ``ValueError`` naming what is wrong.
    """
    known = {f.name for f in dataclasses.fields(FieldNames)}
    chosen: dict[str, tuple[str, ...]] = {}
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        kind, equals, names = item.partition("=")
        kind = kind.strip().lower()
        given = tuple(n.strip() for n in names.split("|") if n.strip())
        if not equals or not given:
            raise ValueError(f"expected KIND=FIELD, got {item!r}")
        if kind not in known:
            raise ValueError(
                f"unknown kind {kind!r} in {item!r}; known: {', '.join(sorted(known))}"
            )
        chosen[kind] = given
    return dataclasses.replace(
        base,
        **{
            kind: given
            + tuple(n for n in getattr(base, kind) if n.lower() not in {g.lower() for g in given})
            for kind, given in chosen.items()
        },
    )


@dataclass
class RecordsResult:
    releases: list[Release] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


@dataclass(frozen=True)
class _Record:
    number: int  # 1-based index in the array, line number in JSON Lines, row in CSV
    value: object


def read_json(text: str, *, path: Path, relpath: str, fields: FieldNames) -> RecordsResult:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            path, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    items = _container_items(document, path, fields)
    records = (_Record(i, item) for i, item in enumerate(items, start=1))
    return _read_records(records, path=path, relpath=relpath, fields=fields)


def read_jsonl(text: str, *, path: Path, relpath: str, fields: FieldNames) -> RecordsResult:
    records: list[_Record] = []
    bad: list[IngestError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(_Record(number, json.loads(line)))
        except json.JSONDecodeError as exc:
            bad.append(
                IngestError(
                    path, f"record {number}: malformed JSON at column {exc.colno}: {exc.msg}"
                )
            )
    result = _read_records(records, path=path, relpath=relpath, fields=fields)
    result.errors[:0] = bad
    result.errors.sort(key=_error_order)
    return result


def read_csv(text: str, *, path: Path, relpath: str, fields: FieldNames) -> RecordsResult:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count)
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [
            _Record(n, {k: v for k, v in row.items() if k is not None})
            for n, row in enumerate(reader, start=1)
        ]
    except csv.Error as exc:
        raise IngestError(path, f"malformed CSV at line {reader.line_num}: {exc}") from exc
    if not reader.fieldnames:
        raise IngestError(path, "expected a CSV header row, got none")
    if not _lookup(dict.fromkeys(reader.fieldnames, "x"), fields.body):
        raise IngestError(
            path,
            f"expected a body column ({', '.join(fields.body)}), "
            f"got columns: {', '.join(reader.fieldnames)}",
        )
    return _read_records(rows, path=path, relpath=relpath, fields=fields)


def _error_order(error: IngestError) -> int:
    found = re.match(r"record (\d+)", error.reason)
    return int(found.group(1)) if found else 0


def _container_items(document: object, path: Path, fields: FieldNames) -> list[object]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in CONTAINER_KEYS:
            if isinstance(document.get(key), list):
                return list(document[key])
        if _lookup(document, fields.body) is not None:
            return [document]  # a single release
        keys = ", ".join(list(map(str, document))[:10]) or "none"
        expected = "' or '".join(CONTAINER_KEYS)
        raise IngestError(
            path,
            f"expected an array of releases or an object with a list under '{expected}', "
            f"got an object with keys: {keys}",
        )
    raise IngestError(path, f"expected an array of releases, got {_kind(document)}")


def _kind(value: object) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def _lookup(record: dict[str, Any], names: Iterable[str]) -> Any:
    """The first non-empty value among ``names``, matching keys case-insensitively."""
    by_lower = {str(k).strip().lower(): v for k, v in record.items()}
    for name in names:
        value = by_lower.get(name.lower())
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return None


def _body_paragraphs(text: str) -> list[str]:
    if _HTML_MARKUP.search(text):
        return html_fragment_paragraphs(text)
    return split_paragraphs(text)


def _read_records(
    records: Iterable[_Record], *, path: Path, relpath: str, fields: FieldNames
) -> RecordsResult:
    """The releases of ``records``; ``a/b/yyyy`` dates are read in the order the file's
    unambiguous ones show (`ingest.dates.slash_order`)."""
    result = RecordsResult()
    seen: dict[str, int] = {}
    records = list(records)
    day_first = slash_order(
        _lookup(r.value, fields.date) for r in records if isinstance(r.value, dict)
    )
    for record in records:
        try:
            release = _release(
                record, path=path, relpath=relpath, fields=fields, day_first=day_first
            )
        except IngestError as exc:
            result.errors.append(exc)
            continue
        first = seen.setdefault(release.release_id, record.number)
        if first != record.number:
            result.errors.append(
                IngestError(
                    path,
                    f"record {record.number}: duplicate id {release.release_id!r} "
                    f"(record {first} has it); skipped",
                )
            )
            continue
        result.releases.append(release)
    return result


def _release(
    record: _Record, *, path: Path, relpath: str, fields: FieldNames, day_first: bool | None
) -> Release:
    value = record.value
    if not isinstance(value, dict):
        raise IngestError(path, f"record {record.number}: expected an object, got {_kind(value)}")
    record_id = _as_text(_lookup(value, fields.id))
    url = _as_text(_lookup(value, fields.url))
    label = f"record {record.number}" + (f" (id {record_id!r})" if record_id else "")
    body_text = _as_text(_lookup(value, fields.body))
    if not body_text or not body_text.strip():
        has = ", ".join(map(str, value)) or "none"
        raise IngestError(
            path,
            f"{label}: no body (looked for a non-empty field: {', '.join(fields.body)}; "
            f"the record has: {has}; name the body field with --fields body=NAME)",
        )
    title = _as_text(_lookup(value, fields.title))
    title = normalize_space(title) if title else None
    paragraphs = dedupe_paragraphs(_body_paragraphs(body_text))
    if paragraphs and title and paragraphs[0].lower() == title.lower():
        paragraphs = paragraphs[1:]  # a body that repeats its headline
    body = clean_paragraphs(paragraphs)
    if not body:
        raise IngestError(path, f"{label}: body has no text after cleaning")
    key = normalize_space(record_id or url or str(record.number))
    return build_release(
        release_id=f"{relpath}:{key}",
        source_path=path,
        title=title,
        body=body,
        declared=Declared(
            published=parse_date_value(_lookup(value, fields.date), day_first=day_first),
            place=_as_text(_lookup(value, fields.place)),
            language=_as_text(_lookup(value, fields.language)),
            url=url,
        ),
    )
