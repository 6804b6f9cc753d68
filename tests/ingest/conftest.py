"""Real small PDF and DOCX files for the reader tests, written by fpdf2 and python-docx.

`make_pdf` and `make_docx` hand the builders to tests (sibling modules cannot be imported
under ``--import-mode=importlib``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence

import docx
import pypdf
import pytest
from fpdf import FPDF

PRESS_OFFICE = "Baltic Transport Office - press@example.org"


class _Pdf(FPDF):
    footer_text: str | None = None

    def footer(self) -> None:
        if self.footer_text is None:
            return
        self.set_y(-15)
        self.set_font("helvetica", size=8)
        self.cell(0, 5, self.footer_text, align="C")
        self.ln(5)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def pdf_bytes(
    paragraphs: Sequence[str],
    *,
    headline: str | None = None,
    title: str | None = None,
    created: dt.datetime | None = dt.datetime(2024, 3, 20, 9, 0, tzinfo=dt.UTC),
    footer: str | None = None,
    page_break_after: int | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A PDF with a headline in a large font and body paragraphs separated by space.

    Latin-1 text only (the core fonts). ``created=None`` writes no document information.
    """
    pdf = _Pdf()
    pdf.footer_text = footer
    pdf.add_page()
    if headline:
        pdf.set_font("helvetica", "B", size=16)
        pdf.multi_cell(0, 9, headline)
        pdf.ln(6)
    pdf.set_font("helvetica", size=11)
    for i, paragraph in enumerate(paragraphs):
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
        if page_break_after is not None and i == page_break_after:
            pdf.add_page()
    if title is not None:
        pdf.set_title(title)
    if created is not None:
        pdf.set_creation_date(created)
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password)
    data = bytes(pdf.output())
    if created is None:
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


def docx_bytes(
    paragraphs: Sequence[str],
    *,
    heading: str | None = None,
    core_title: str | None = None,
    table: Sequence[Sequence[str]] = (),
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A Word document: an optional Title-styled heading, paragraphs, then a table."""
    document = docx.Document()
    if heading:
        document.add_heading(heading, 0)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if core_title is not None:
        document.core_properties.title = core_title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def make_pdf() -> Callable[..., bytes]:
    return pdf_bytes


@pytest.fixture(scope="session")
def make_docx() -> Callable[..., bytes]:
    return docx_bytes
