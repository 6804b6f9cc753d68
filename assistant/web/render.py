"""Turning an Answer into what people read: plain text for the terminal, safe Markdown
for the chat. Pure functions, so the UI stays a thin adapter."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from assistant.answering.model import Answer, Citation
from assistant.web.viewer import safe_url, viewer_link

MARKER = re.compile(r"\[(\d+)\]")
# What a URL keeps unencoded in a Markdown link: never a space, bracket, quote or < >.
URL_SAFE = ":/?#@!$&'*+,;=%"


UNSUPPORTED_TEXT = " [unsupported]"
UNSUPPORTED_MARKDOWN = " ⚠️ *unsupported*"


def flagged_segments(answer: Answer) -> list[tuple[str, bool]]:
    """The answer text cut after each sentence the claim check did not support:
    ``(segment, flag_after)`` pairs."""
    ends = sorted(c.end for c in answer.claims if not c.supported and c.start >= 0)
    if answer.refused or not ends:
        return [(answer.text, False)]
    segments: list[tuple[str, bool]] = []
    cursor = 0
    for end in ends:
        segments.append((answer.text[cursor:end], True))
        cursor = end
    segments.append((answer.text[cursor:], False))
    return segments


def answer_as_text(answer: Answer) -> str:
    text = "".join(s + (UNSUPPORTED_TEXT if flag else "") for s, flag in flagged_segments(answer))
    lines = [text]
    if answer.note:
        lines += ["", f"Note: {answer.note}"]
    if _searched_for(answer):
        lines += ["", f"Read as: {_searched_for(answer)}"]
    if answer.interpreted.date_from or answer.interpreted.date_to or answer.interpreted.latest:
        lines += ["", f"Searched: {_window_text(answer)}"]
    if answer.citations:
        lines += ["", "Sources:"]
        for citation in answer.citations:
            lines.append(f"[{citation.number}] {_source_line(citation)}")
            lines.append(f"    “{citation.quote}”")
    return "\n".join(lines)


def _source_line(citation: Citation) -> str:
    chunk = citation.passage.chunk
    date = chunk.published.isoformat() if chunk.published else "undated"
    title = chunk.title or chunk.release_id
    return f"{title} — {date} — {chunk.url or chunk.source_path}"


def _searched_for(answer: Answer) -> str:
    """The query searched when it is not the question as asked (a follow-up), else ""."""
    query = answer.interpreted.query
    return query if query != answer.question else ""


def _window_text(answer: Answer) -> str:
    parts = []
    if answer.interpreted.date_from or answer.interpreted.date_to:
        parts.append(
            f"releases from {answer.interpreted.date_from or 'the first'} "
            f"to {answer.interpreted.date_to or 'the last'}"
        )
    if answer.interpreted.latest:
        parts.append("newest first")
    return ", ".join(parts)


def escape(text: str) -> str:
    """Text from a document, made inert for Markdown that the chat renders as HTML:
    Markdown syntax characters are backslash-escaped, then ``<``, ``>`` and ``&``."""
    marked = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", text)
    return html.escape(marked, quote=False)


CONTEXT_CHARS = 160


def highlighted_passage(citation: Citation) -> str:
    """The cited passage around the quote, escaped, with the quote in ``<mark>``; on one
    line, so that a paragraph break cannot split the passage."""
    chunk = citation.passage.chunk
    begin, end = citation.start - chunk.start, citation.end - chunk.start
    before = chunk.text[max(0, begin - CONTEXT_CHARS) : begin]
    after = chunk.text[end : end + CONTEXT_CHARS]
    lead = "…" if begin > CONTEXT_CHARS else ""
    tail = "…" if end + CONTEXT_CHARS < len(chunk.text) else ""
    flat = [" ".join(part.split()) for part in (before, citation.quote, after)]
    return f"{lead}{escape(flat[0])} <mark>{escape(flat[1])}</mark> {escape(flat[2])}{tail}"


def answer_as_markdown(answer: Answer, token: str | None = None) -> str:
    """The chat message: the answer with markers linked to the cited span in the release
    viewer, the searched window, then the numbered sources with the quote highlighted.

    Everything that comes from a release is escaped: a release may contain ``<script>``,
    and its source URL is linked only when it is http(s), percent-encoded so that it
    cannot end the Markdown link. ``token`` goes into the viewer links (see
    :func:`viewer_link`).
    """
    by_number = {c.number: c for c in answer.citations}
    body = []
    for segment, flagged in flagged_segments(answer):
        body.append(_linked(segment, by_number, token))
        if flagged:
            body.append(UNSUPPORTED_MARKDOWN)
    lines = ["".join(body)]
    if answer.refused:
        lines = [f"**No answer in the archive.** {escape(answer.text)}"]
    if answer.note:
        lines.append(f"\n*{escape(answer.note)}*")
    if _searched_for(answer):
        lines.append(f"\n*Read as: {escape(_searched_for(answer))}*")
    window = _window_text(answer)
    if window:
        lines.append(f"\n*Searched {escape(window)}.*")
    if answer.citations:
        lines.append("\n**Sources**\n")
        for citation in answer.citations:
            chunk = citation.passage.chunk
            date = chunk.published.isoformat() if chunk.published else "undated"
            title = escape(chunk.title or chunk.release_id)
            place = f", {escape(chunk.place)}" if chunk.place else ""
            link = viewer_link(chunk.release_id, citation.start, citation.end, token)
            url = safe_url(chunk.url)
            source = f" — [source]({quote(url, safe=URL_SAFE)})" if url else ""
            flag = (
                ""
                if citation.supported
                else " ⚠️ **unsupported: quote does not back what cites it**"
            )
            lines.append(
                f"{citation.number}. [**{title}**]({link}) ({date}{place}){source}{flag}  \n"
                f"<small>{highlighted_passage(citation)}</small>"
            )
    return "\n".join(lines)


def _linked(text: str, by_number: dict[int, Citation], token: str | None = None) -> str:
    """``text`` escaped, its markers linked to the cited span; unknown markers dropped."""
    body = []
    for index, piece in enumerate(MARKER.split(text)):
        if index % 2 == 0:
            body.append(escape(piece))
        elif int(piece) in by_number:
            citation = by_number[int(piece)]
            link = viewer_link(
                citation.passage.chunk.release_id, citation.start, citation.end, token
            )
            body.append(f"[\\[{piece}\\]]({link})")
    return "".join(body)


def draft_as_markdown(text: str) -> str:
    """An answer while the model is still writing it: escaped, markers as plain text."""
    return f"{escape(text)}\n\n*Writing; the citations are checked when it is done…*"
