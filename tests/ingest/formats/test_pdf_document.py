from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import read_file
from ingest.release import Release

LEAD = (
    "Riga, 14 March 2024 - The Commission today launched a fund for cross-border rail links "
    "between the three Baltic states. The fund will run for seven years and cover studies, "
    "works and rolling stock in Estonia, Latvia and Lithuania."
)
QUOTE = '"This is a milestone for the region," said the Commissioner.'
UNDATED = (
    "The Commission today launched a fund for cross-border rail links between the three "
    "Baltic states, to run for seven years."
)

MakePdf = Callable[..., bytes]


def read(path: Path, data: bytes) -> Release:
    path.write_bytes(data)
    result = read_file(path, path.parent)
    assert result.errors == []
    (release,) = result.releases
    return release


def test_headline_dateline_and_paragraphs(tmp_path: Path, make_pdf: MakePdf) -> None:
    data = make_pdf(
        [LEAD, QUOTE],
        headline="Commission launches rail fund for the Baltic states",
        title="Microsoft Word - rail-fund-final.docx",
    )
    release = read(tmp_path / "rail-fund.pdf", data)
    assert release.release_id == "rail-fund.pdf"
    assert release.title == "Commission launches rail fund for the Baltic states"
    assert release.published == dt.date(2024, 3, 14)  # the dateline, not CreationDate
    assert release.place == "Riga"
    assert release.language == "en"
    assert release.body == f"{LEAD}\n\n{QUOTE}"


def test_running_footer_and_page_numbers_are_dropped(tmp_path: Path, make_pdf: MakePdf) -> None:
    data = make_pdf(
        [LEAD, QUOTE, "Ministers will meet again in June to review the first applications."],
        headline="Commission launches rail fund",
        footer="Baltic Transport Office - press@example.org",
        page_break_after=1,
    )
    release = read(tmp_path / "two-pages.pdf", data)
    assert "Baltic Transport Office" not in release.body
    assert "Page" not in release.body
    assert release.body.endswith("review the first applications.")
    assert release.body.count("\n\n") == 2


def test_document_metadata_is_only_a_fallback(tmp_path: Path, make_pdf: MakePdf) -> None:
    data = make_pdf([UNDATED], title="Rail fund for the Baltic states")
    release = read(tmp_path / "notes.pdf", data)
    assert release.title == "Rail fund for the Baltic states"  # no headline in the text
    assert release.published == dt.date(2024, 3, 20)  # CreationDate: nothing else dates it
    named = read(tmp_path / "2024-03-18-notes.pdf", data)
    assert named.published == dt.date(2024, 3, 18)  # the file name beats CreationDate


@pytest.mark.parametrize("title", ["Microsoft Word - pr.docx", "untitled", "Document1", "x.pdf"])
def test_titles_written_by_export_tools_are_ignored(
    tmp_path: Path, make_pdf: MakePdf, title: str
) -> None:
    made = read(tmp_path / "x.pdf", make_pdf([UNDATED], title=title)).title
    assert made is not None and made.startswith("The Commission today launched")


def test_without_any_date_published_stays_none(tmp_path: Path, make_pdf: MakePdf) -> None:
    release = read(tmp_path / "undated.pdf", make_pdf([UNDATED], created=None))
    assert release.published is None
    assert release.date_source == "none"
    assert release.title and release.title.endswith("…")  # the first sentence, shortened


def test_pdf_encrypted_only_against_editing_is_read(tmp_path: Path, make_pdf: MakePdf) -> None:
    data = make_pdf([LEAD], headline="Rail fund", owner_password="owner")
    assert read(tmp_path / "locked.pdf", data).place == "Riga"


def broken(make_pdf: MakePdf) -> dict[str, tuple[bytes, str]]:
    whole = make_pdf([LEAD, QUOTE], headline="Rail fund")
    return {
        "truncated": (whole[: len(whole) // 2], "damaged or truncated PDF"),
        "encrypted": (
            make_pdf([LEAD], user_password="secret"),
            "encrypted PDF: it needs a password to be read",
        ),
        "garbage": (b"this is not a PDF at all\n" * 20, "expected a PDF, got a file without"),
        "header only": (b"%PDF-1.7\n%%EOF\n", "damaged or truncated PDF"),
        "no text": (make_pdf([]), "no text layer in the PDF"),
    }


@pytest.mark.parametrize("case", ["truncated", "encrypted", "garbage", "header only", "no text"])
def test_bad_pdfs_name_the_file_and_the_reason(
    tmp_path: Path, make_pdf: MakePdf, case: str
) -> None:
    data, reason = broken(make_pdf)[case]
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        read_file(path, tmp_path)
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith(reason), caught.value.reason
