"""Titles of releases: the headline split off the top of the text, or a made-up one.

A headline is the short lines before the first body paragraph, without the labels that
sit among them (a reference line ``PR/23/041``, "For immediate release", "Press Release",
an embargo line). A release without a headline is titled by its first sentence, shortened
at a word boundary (`title_or_first_sentence`), so no title is ever empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.clean import is_boilerplate, is_marker_line
from ingest.dating import find_dateline, is_embargo_line, is_never_dated, lead_sentences

MAX_HEADLINE_CHARS = 250
MAX_HEADLINE_PARAGRAPHS = 4
# A title made from a first sentence is cut at the last word boundary before this many
# characters (a headline's usual length) and ends with an ellipsis.
MADE_TITLE_CHARS = 120


def title_or_first_sentence(title: str | None, body: Sequence[str]) -> str:
    """``title`` without labels, or else the first sentence of ``body``, shortened."""
    if title and not is_marker_line(title) and not is_embargo_line(title):
        return title
    for paragraph in body:
        if is_marker_line(paragraph) or is_embargo_line(paragraph):
            continue
        sentence = lead_sentences(paragraph, 1).strip()
        if sentence:
            return shorten(sentence)
    return "Untitled release"


def shorten(text: str, limit: int = MADE_TITLE_CHARS) -> str:
    """``text`` up to the last word boundary before ``limit`` characters, with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return re.sub(r"[\s,;:–—-]+$", "", cut) + "…"


def _headline_like(paragraph: str) -> bool:
    if is_marker_line(paragraph) or is_embargo_line(paragraph):
        return True
    if is_never_dated(paragraph):  # "Related news: …", "Updated: …", "© …": never a headline
        return False
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
        if is_embargo_line(paragraph):
            body.insert(0, paragraph)  # kept as text, never a title (nor a date)
            continue
        if is_marker_line(paragraph):
            following = head[i + 1] if i + 1 < len(head) else ""
            if not (following[:1].islower() and any(c.isalpha() for c in paragraph)):
                continue
        parts.append(paragraph)
    return (" ".join(parts) or None), body
