from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.formats.text import read_markdown, read_text

PATH = Path("2024-03-14-x.txt")


def test_repeated_lead_before_the_header_is_kept_once_in_place() -> None:
    text = (
        "Lead paragraph of the release, which ends with a period.\n\n"
        "Press Release\n\n"
        "of Meeting of the Group (Tallinn, 22-23 February 2023)\n\n\n"
        "Lead paragraph of the release, which ends with a period.\n\n"
        "Second paragraph.\n"
    )
    release = read_text(text, path=PATH, release_id="x.txt")
    assert release.title == "Press Release of Meeting of the Group (Tallinn, 22-23 February 2023)"
    assert release.body == (
        "Lead paragraph of the release, which ends with a period.\n\nSecond paragraph."
    )
    assert (release.published, release.place) == (dt.date(2023, 2, 22), "Tallinn")


def test_hard_wrapped_release_at_80_columns() -> None:
    text = (
        "Commission warns of exceptionally low\nriver flows across the basin\n\n"
        "Riga, 17 August 2022 – The Amber Basin Water Commission today warned that river\n"
        "flows in large parts of the basin have fallen to their lowest level in thirty\n"
        "years.\n\n"
        "For media enquiries: press@example.org, +371 6700 0000\n"
    )
    release = read_text(text, path=PATH, release_id="x.txt")
    assert release.title == "Commission warns of exceptionally low river flows across the basin"
    assert release.body == (
        "Riga, 17 August 2022 – The Amber Basin Water Commission today warned that river "
        "flows in large parts of the basin have fallen to their lowest level in thirty years."
    )


def test_markdown_heading_title_and_body_headings() -> None:
    text = (
        "# Council adopts the budget.\n"
        "Riga, 4 May 2023 – The Council adopted the budget.\n\n"
        "## Background\n"
        "![logo](logo.png) The *budget* is __final__. > not a quote\n"
    )
    release = read_markdown(text, path=Path("x.md"), release_id="x.md")
    assert release.title == "Council adopts the budget."
    assert release.body.split("\n\n") == [
        "Riga, 4 May 2023 – The Council adopted the budget.",
        "Background",
        "The *budget* is final. > not a quote",
    ]


def test_markdown_without_heading_uses_the_text_headline_rule() -> None:
    text = "Council adopts the budget\n\nThe Council adopted the budget today."
    release = read_markdown(text, path=Path("x.md"), release_id="x.md")
    assert release.title == "Council adopts the budget"


def test_only_a_headline_is_no_release() -> None:
    with pytest.raises(IngestError, match="no body text"):
        read_text("PRESS RELEASE\n\n###\n", path=PATH, release_id="x.txt")
