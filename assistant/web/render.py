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
    if read_as(answer):
        lines += ["", read_as(answer)]
    if refusal_reason(answer):
        lines += ["", f"Why: {refusal_reason(answer)}"]
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


def read_as(answer: Answer, previous: str | None = None) -> str:
    """How the question was read, in plain words, when it was read as a follow-up; else "".

    The rules search a follow-up as itself plus words carried from the question before
    (``interpreted.query`` starts with the question): those are search terms, not words
    for a reader, so the reader is told it was read as a follow-up (to ``previous``, the
    user's earlier question, when known). A language model's rewrite is a question in
    plain words, and is shown as it is.
    """
    query, question = answer.interpreted.query.strip(), answer.question.strip()
    if query == question:
        return ""
    if query.startswith(question):
        if previous and previous.strip():
            return f"Read as a follow-up to your question “{previous.strip()}”."
        return "Read as a follow-up to your earlier question."
    return f"Read as: {query}"


def refusal_reason(answer: Answer) -> str:
    """Why the answer is a refusal, when the engine says (``refusal.detail``), else "".

    Empty too when the answer's text already is that reason, so it is said once."""
    refusal = getattr(answer, "refusal", None)
    if not answer.refused or refusal is None:
        return ""
    detail = refusal.get("detail") if isinstance(refusal, dict) else getattr(refusal, "detail", "")
    detail = str(detail or "")
    return "" if detail.strip() == answer.text.strip() else detail


def answer_with_sources(answer: Answer, base: str = "", token: str | None = None) -> str:
    """The answer as plain text, then its numbered sources with a link to each cited span:
    ``[1] Title (2024-04-17) http://…/releases/…``. What a generic chat client shows (it
    drops the structured citations) and what "Copy answer with sources" copies."""
    return answer.text + source_list(answer, base, token)


def source_list(answer: Answer, base: str = "", token: str | None = None) -> str:
    """``\n\nSources:\n[1] Title (date) LINK…`` for the cited passages, or "" when none."""
    if answer.refused or not answer.citations:
        return ""
    lines = ["", "", "Sources:"]
    for citation in answer.citations:
        chunk = citation.passage.chunk
        date = chunk.published.isoformat() if chunk.published else "undated"
        link = viewer_link(chunk.release_id, citation.start, citation.end, token=token)
        lines.append(f"[{citation.number}] {chunk.title or chunk.release_id} ({date}) {base}{link}")
    return "\n".join(lines)


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


def answer_as_markdown(
    answer: Answer, token: str | None = None, previous: str | None = None
) -> str:
    """The chat message: the answer with markers linked to the cited span in the release
    viewer, the searched window, then the numbered sources with the quote highlighted.

    Everything that comes from a release is escaped: a release may contain ``<script>``,
    and its source URL is linked only when it is http(s), percent-encoded so that it
    cannot end the Markdown link. ``token`` goes into the viewer links (see
    :func:`viewer_link`); ``previous`` is the user's earlier question (see :func:`read_as`).
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
        if refusal_reason(answer):
            lines.append(f"\n*Why: {escape(refusal_reason(answer))}*")
    if answer.note:
        lines.append(f"\n*{escape(answer.note)}*")
    if read_as(answer, previous):
        lines.append(f"\n*{escape(read_as(answer, previous))}*")
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
