from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import read_file
from ingest.release import Release

LEAD = (
    "Riga, 14 March 2024 – The Commission today launched a fund for cross-border rail links "
    "between the three Baltic states."
)
QUOTE = "“This is a milestone for the region,” said the Commissioner."
UNDATED = "The Commission today launched a fund for cross-border rail links in the region."

MakeDocx = Callable[..., bytes]


def read(path: Path, data: bytes) -> Release:
    path.write_bytes(data)
    result = read_file(path, path.parent)
    assert result.errors == []
    (release,) = result.releases
    return release


def test_title_style_dateline_table_and_no_page_furniture(
    tmp_path: Path, make_docx: MakeDocx
) -> None:
    data = make_docx(
        ["PRESS RELEASE", LEAD, QUOTE],
        heading="Commission launches rail fund",
        table=[["Country", "Share"], ["Latvia", "40 %"]],
        header="Baltic Transport Office",
        footer="Page 1",
    )
    release = read(tmp_path / "rail-fund.docx", data)
    assert release.title == "Commission launches rail fund"
    assert release.published == dt.date(2024, 3, 14)
    assert release.place == "Riga"
    assert release.language == "en"
    assert release.body == f"{LEAD}\n\n{QUOTE}\n\nCountry | Share\n\nLatvia | 40 %"


def test_headline_without_a_title_style(tmp_path: Path, make_docx: MakeDocx) -> None:
    release = read(tmp_path / "x.docx", make_docx(["Rail fund for the Baltic states", LEAD]))
    assert release.title == "Rail fund for the Baltic states"
    assert release.body == LEAD


def test_core_title_is_a_fallback_and_created_is_never_a_date(
    tmp_path: Path, make_docx: MakeDocx
) -> None:
    # python-docx's template says the document was created on 23 December 2013.
    release = read(tmp_path / "notes.docx", make_docx([UNDATED], core_title="Rail fund"))
    assert release.title == "Rail fund"
    assert release.published is None
    named = read(tmp_path / "20240318-notes.docx", make_docx([UNDATED]))
    assert named.published == dt.date(2024, 3, 18)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def broken(make_docx: MakeDocx) -> dict[str, tuple[bytes, str]]:
    whole = make_docx([LEAD, QUOTE], heading="Rail fund")
    return {
        "truncated": (whole[: len(whole) // 2], "expected a DOCX (a zip package), got BadZipFile"),
        "not a zip": (b"Just some text, saved with the wrong suffix.", "expected a DOCX"),
        "other zip": (zip_of({"readme.txt": b"hello"}), "expected a DOCX, got a zip without"),
        "bad xml": (
            zip_of({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}),
            "damaged DOCX: ",
        ),
        "empty": (make_docx([]), "no body text"),
    }


@pytest.mark.parametrize("case", ["truncated", "not a zip", "other zip", "bad xml", "empty"])
def test_broken_docx_names_the_file_and_the_reason(
    tmp_path: Path, make_docx: MakeDocx, case: str
) -> None:
    data, reason = broken(make_docx)[case]
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        read_file(path, tmp_path)
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith(reason), caught.value.reason


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    bomb = zip_of({"word/document.xml": b"<" + b" " * 5_000_000 + b">"})
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    assert len(bomb) < 100_000
    with pytest.raises(IngestError, match=r"DOCX expands to 5,000,002 bytes, over 500,000"):
        read_file(path, tmp_path, max_bytes=100_000)
