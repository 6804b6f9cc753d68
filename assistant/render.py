"""Turning an Answer into what people read: plain text for the terminal, safe Markdown
for the chat. Pure functions, so the UI stays a thin adapter."""

from __future__ import annotations

import html
import re

from assistant.answer import Answer, Citation

MARKER = re.compile(r"\[(\d+)\]")


def answer_as_text(answer: Answer) -> str:
    lines = [answer.text]
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


def answer_as_markdown(answer: Answer) -> str:
    """The chat message: the answer with linked markers, then the numbered sources.

    Everything that comes from a release is escaped: a release may contain ``<script>``.
    """
    numbers = {c.number for c in answer.citations}
    pieces = MARKER.split(answer.text)
    body = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            body.append(escape(piece))
        elif int(piece) in numbers:
            body.append(f"**\\[{piece}\\]**")
    lines = ["".join(body)]
    if answer.refused:
        lines = [f"**No answer in the archive.** {escape(answer.text)}"]
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
            flag = "" if citation.supported else " ⚠️ *quote not found in the passage*"
            lines.append(
                f"{citation.number}. **{title}** "
                f"({date}{place}){flag}  \n> {escape(citation.quote)}"
            )
    return "\n".join(lines)
