"""The release viewer: one release's cleaned text, with a cited span highlighted."""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import quote, urlencode, urlparse

from vectorstore.records import Chunk, date_in_words


def release_body(chunks: Sequence[Chunk]) -> str:
    """The cleaned body, put back together from its chunks' offsets.

    Chunks overlap and the text between two of them is only whitespace (a paragraph
    break), so every offset of a citation lands on the same character as at ingest.
    """
    if not chunks:
        return ""
    # Archive boilerplate is in no chunk's text; the first chunk keeps it for this page.
    pieces = [(c.start, c.text) for c in chunks] + [s for c in chunks for s in c.hidden]
    length = max(start + len(text) for start, text in pieces)
    chars = [" "] * length
    covered = [False] * length
    for start, text in pieces:
        chars[start : start + len(text)] = list(text)
        covered[start : start + len(text)] = [True] * len(text)
    for i, is_covered in enumerate(covered):
        if not is_covered and i > 0 and not covered[i - 1]:
            chars[i] = "\n"
    return "".join(chars)


def viewer_link(
    release_id: str, start: int | None = None, end: int | None = None, token: str | None = None
) -> str:
    """``/releases/ID?start=S&end=E#cite``: lands on the highlighted span. ``token`` (a
    short-lived widget token) rides along when the server requires one."""
    query = {}
    if start is not None and end is not None:
        query = {"start": str(start), "end": str(end)}
    if token:
        query["token"] = token
    link = f"/releases/{quote(release_id, safe='')}"
    if query:
        link += "?" + urlencode(query)
    return link + ("#cite" if start is not None and end is not None else "")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s); ``javascript:`` and the like are never linked."""
    if not url:
        return None
    return url if urlparse(url).scheme in ("http", "https") else None


PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.55 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d1d1f; }}
h1 {{ font-size: 1.4rem; line-height: 1.3; }}
.meta {{ color: #555; margin-bottom: 1.5rem; }}
.body {{ white-space: pre-wrap; }}
mark {{ background: #ffe58a; padding: 0 .1em; scroll-margin-top: 30vh; }}
</style></head>
<body><article>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<div class="body">{body}</div>
</article></body></html>
"""


def render_release(
    chunks: Sequence[Chunk], start: int | None = None, end: int | None = None
) -> str:
    """The release page; the span ``start:end`` (if valid) is a ``<mark id="cite">``."""
    first = chunks[0]
    body = release_body(chunks)
    if start is not None and end is not None and 0 <= start < end <= len(body):
        text = (
            html.escape(body[:start])
            + '<mark id="cite">'
            + html.escape(body[start:end])
            + "</mark>"
            + html.escape(body[end:])
        )
    else:
        text = html.escape(body)
    meta = [date_in_words(first.published) if first.published else "undated"]
    if first.date_source:
        meta[0] += f" (date from: {html.escape(first.date_source)})"
    if first.place:
        meta.append(html.escape(first.place))
    url = safe_url(first.url)
    meta.append(
        f'<a href="{html.escape(url)}" rel="noopener noreferrer">{html.escape(url)}</a>'
        if url
        else html.escape(first.url or first.source_path)
    )
    return PAGE.format(
        lang=html.escape(first.language or "en"),
        title=html.escape(first.title or first.release_id),
        meta=" · ".join(meta),
        body=text,
    )
