"""Plain-text and Markdown releases: headline lines, then body paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.clean import dedupe_paragraphs, split_paragraphs
from ingest.dates import parse_date_value
from ingest.formats.build import Declared, release_from_paragraphs
from ingest.metadata import split_headline
from ingest.release import Release

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_QUOTE = re.compile(r"^\s*>\s?", re.MULTILINE)
_HEADING_LINE = re.compile(r"^(#{1,6}\s.*)$", re.MULTILINE)


def read_text(text: str, *, path: Path, release_id: str) -> Release:
    """A ``.txt`` release: the headline is the short lines before the first body paragraph."""
    paragraphs = dedupe_paragraphs(split_paragraphs(text))
    title, body = split_headline(paragraphs)
    return release_from_paragraphs(path=path, release_id=release_id, title=title, body=body)


def read_markdown(text: str, *, path: Path, release_id: str) -> Release:
    """A ``.md`` release: YAML-style front matter, a ``# Heading`` title, light markup removed."""
    fields: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            m = _FRONT_MATTER_LINE.match(line)
            if m:
                fields[m.group(1).lower()] = m.group(2).strip("'\"")
        text = text[front.end() :]
    paragraphs = dedupe_paragraphs(split_paragraphs(_strip_inline(text)))
    title: str | None
    heading = _HEADING.match(paragraphs[0]) if paragraphs else None
    if heading:
        title, body = heading.group(1), paragraphs[1:]
    else:
        title, body = split_headline(paragraphs)
    body = [_HEADING.sub(r"\1", p) for p in body]
    title = fields.get("title") or title
    declared = Declared(
        published=parse_date_value(fields.get("date", "")),
        place=fields.get("place") or fields.get("location") or None,
        language=fields.get("language") or fields.get("lang") or None,
        url=fields.get("url") or None,
    )
    return release_from_paragraphs(
        path=path, release_id=release_id, title=title, body=body, declared=declared
    )


def _strip_inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _HEADING_LINE.sub(r"\n\1\n", text)  # a heading is a paragraph of its own
    return _QUOTE.sub("", text)
