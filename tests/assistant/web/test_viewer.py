"""The release viewer shows where a date came from and the archive boilerplate."""

from __future__ import annotations

import dataclasses
import datetime as dt

from assistant.web.viewer import release_body, render_release
from ingest.boilerplate import mark_boilerplate
from ingest.chunking import Chunker
from ingest.release import Release
from vectorstore.embedder import Embedder
from vectorstore.records import Chunk

from ...conftest import make_chunk

ABOUT = "About the Agency: a body of 25 member states, founded in 1992."


def test_the_date_source_is_shown_next_to_the_date() -> None:
    chunk = dataclasses.replace(
        make_chunk("r", "Text.", published=dt.date(2023, 5, 14)), date_source="lead"
    )
    assert "14 May 2023 (date from: lead)" in render_release([chunk])
    legacy = make_chunk("r", "Text.", published=dt.date(2023, 5, 14))  # stored before
    assert "(date from:" not in render_release([legacy])


def test_boilerplate_is_in_no_chunk_but_in_the_viewer(embedder: Embedder) -> None:
    releases = {
        f"r{n}": Release(
            f"r{n}", "T", None, None, "en", None, f"Own text {n}.\n\n{ABOUT}", f"/x/r{n}.txt"
        )
        for n in range(6)
    }
    mark_boilerplate(releases)
    chunks = Chunker(embedder).chunk(releases["r2"])
    assert all(ABOUT not in c.text for c in chunks)
    stored = [Chunk.from_record(c.chunk_id, c.text, c.to_metadata()) for c in chunks]
    body = releases["r2"].body
    shown = release_body(stored)  # gaps between chunks come back as whitespace
    assert len(shown) == len(body) and shown.split() == body.split()
    assert shown.index(ABOUT) == body.index(ABOUT)
    assert ABOUT in render_release(stored)
