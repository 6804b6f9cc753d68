"""The unit of a press archive: one dated press release, cleaned."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

PARAGRAPH_BREAK = "\n\n"  # how `ingest.clean.join_paragraphs` joins a body


@dataclass(frozen=True)
class Release:
    """One press release after reading and cleaning.

    ``published`` comes from the content, a metadata field or the file name, never from
    the file's modification time; it stays ``None`` when none of those gives a date.
    ``body`` is the cleaned text that chunk offsets and citation spans refer to.
    ``date_source`` says where ``published`` came from (see `ingest.dating`):
    ``metadata | dateline | lead | filename | override | none``.
    """

    release_id: str
    title: str | None
    published: dt.date | None
    place: str | None
    language: str | None
    url: str | None
    body: str
    source_path: str
    date_source: str = "none"
    # Paragraphs of ``body`` that recur across the archive (`ingest.boilerplate`): kept in
    # the body, left out of the chunks that answer questions.
    boilerplate: tuple[str, ...] = ()
    # The title was made from the first sentence (the release has no headline): shown, but
    # not embedded with every chunk, since it only repeats the body's opening.
    title_made: bool = False

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the store: a change to any of it re-embeds."""
        parts = [
            self.title or "",
            self.published.isoformat() if self.published else "",
            self.place or "",
            self.language or "",
            self.url or "",
            self.source_path,
            self.date_source,
            "\x1e".join(self.boilerplate),
            self.body,
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split(PARAGRAPH_BREAK)

    @property
    def body_hash(self) -> str:
        """Hash of the cleaned body alone: equal for a release republished under another name."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()
