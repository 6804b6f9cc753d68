from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest

from assistant.answering.model import REFUSAL, Answer, Citation, Interpreted
from assistant.web.render import answer_as_markdown, answer_as_text, answer_with_sources, escape
from vectorstore.records import Chunk, Passage

from ...conftest import make_chunk as chunk_of

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"


def make_chunk(
    release_id: str = "2024-03-14-eel-ban",
    *,
    title: str | None = "Commission bans eel exports",
    published: dt.date | None = dt.date(2024, 3, 14),
    place: str | None = "Riga",
    url: str | None = "https://press.example.org/eel-ban",
    source_path: str = "archive/2024-03-14-eel-ban.txt",
    text: str = "The Commission banned eel exports from 1 July.",
) -> Chunk:
    return chunk_of(
        release_id,
        text,
        start=120,
        title=title,
        published=published,
        place=place,
        url=url,
        source_path=source_path,
        content_hash="abc123",
    )


def make_citation(
    number: int = 1,
    chunk: Chunk | None = None,
    quote: str = "The Commission banned eel exports from 1 July.",
    supported: bool = True,
    score: float = 0.0327868852,
) -> Citation:
    passage = Passage(chunk=chunk or make_chunk(), rank=number, score=score)
    return Citation(
        number=number, passage=passage, quote=quote, start=120, end=166, supported=supported
    )


def make_answer(
    text: str = "Eel exports are banned from 1 July [1].",
    citations: list[Citation] | None = None,
    refused: bool = False,
    interpreted: Interpreted | None = None,
    timings_ms: dict[str, float] | None = None,
    question: str = "When does the eel export ban start?",
) -> Answer:
    return Answer(
        question=question,
        text=text,
        refused=refused,
        citations=[make_citation()] if citations is None else citations,
        interpreted=interpreted or Interpreted(query="When does the eel export ban start?"),
        timings_ms=timings_ms or {},
    )


def assert_inert(markdown: str) -> None:
    lowered = markdown.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "](javascript:" not in lowered


# --- Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", [SCRIPT, IMG, LINK, f"{SCRIPT} {IMG} {LINK}"])
def test_markdown_escapes_hostile_answer_text(hostile: str) -> None:
    markdown = answer_as_markdown(make_answer(text=f"Before {hostile} after [1]."))
    assert_inert(markdown)
    assert "Before" in markdown and "after" in markdown


@pytest.mark.parametrize("hostile", [SCRIPT, IMG, LINK])
def test_markdown_escapes_hostile_title_quote_and_place(hostile: str) -> None:
    chunk = make_chunk(title=f"Title {hostile}", place=f"Riga {hostile}")
    answer = make_answer(citations=[make_citation(chunk=chunk, quote=f"Quote {hostile}")])
    markdown = answer_as_markdown(answer)
    assert_inert(markdown)
    assert "Title" in markdown and "Quote" in markdown


def test_markdown_escapes_hostile_text_in_a_refusal() -> None:
    markdown = answer_as_markdown(make_answer(text=f"{SCRIPT}{IMG}{LINK}", refused=True))
    assert_inert(markdown)


def test_escape_makes_html_and_markdown_inert() -> None:
    assert escape(SCRIPT) == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    assert escape(LINK) == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert escape("R&D") == "R&amp;D"
    assert escape("plain words") == "plain words"


def test_escape_keeps_apostrophes_and_quotes_readable() -> None:
    # an entity such as &#x27; must not have its "#" escaped into visible garbage
    escaped = escape('The Commission\'s "plan"')
    assert "\\#" not in escaped
    assert "Commission" in escaped and "plan" in escaped


def test_markdown_renders_markers_of_cited_passages() -> None:
    answer = make_answer(
        text="Eels are banned [1]. The fund paid out [2].",
        citations=[make_citation(1), make_citation(2, quote="The fund paid out.")],
    )
    first_line = answer_as_markdown(answer).splitlines()[0]
    links = re.findall(r"\[\\\[(\d)\\\]\]\((/releases/[^?]+\?start=\d+&end=\d+#cite)\)", first_line)
    assert [n for n, _ in links] == ["1", "2"], first_line
    assert first_line.startswith("Eels are banned [")


def test_markdown_drops_markers_that_point_at_no_citation() -> None:
    answer = make_answer(text="Eels are banned [1] and more [7].")
    first_line = answer_as_markdown(answer).splitlines()[0]
    assert "[\\[1\\]](/releases/" in first_line
    assert "7" not in first_line
    assert "Eels are banned" in first_line and "and more" in first_line


def test_markdown_lists_numbered_sources() -> None:
    answer = make_answer(
        citations=[
            make_citation(1),
            make_citation(
                2,
                chunk=make_chunk("no-title", title=None, published=None, place=None),
                quote="Undated quote.",
                supported=False,
            ),
        ]
    )
    markdown = answer_as_markdown(answer)
    assert "**Sources**" in markdown
    assert re.search(
        r"^1\. \[\*\*Commission bans eel exports\*\*\]\(/releases/[^)]+#cite\) "
        r"\(2024-03-14, Riga\)",
        markdown,
        re.MULTILINE,
    ), markdown
    assert "<mark>The Commission banned eel exports from 1 July.</mark>" in markdown
    # no title: the release id stands in; no date: "undated"; an unchecked quote is flagged
    assert "2. [**no-title**](/releases/no-title?" in markdown
    assert (
        "(undated) — [source](https://press.example.org/eel-ban) ⚠️ **unsupported: quote" in markdown
    )
    assert "<mark>Undated quote.</mark>" in markdown
    assert markdown.count("does not back what cites it") == 1


def test_markdown_of_a_refusal_shows_the_no_answer_state() -> None:
    markdown = answer_as_markdown(make_answer(text=REFUSAL, citations=[], refused=True))
    assert markdown.startswith("**No answer in the archive.**")
    assert REFUSAL.rstrip(".") in markdown
    assert "Sources" not in markdown


def test_markdown_of_an_answer_is_not_a_refusal() -> None:
    assert "No answer in the archive" not in answer_as_markdown(make_answer())


@pytest.mark.parametrize(
    ("interpreted", "shown"),
    [
        (
            Interpreted("q", date_from="2024-01-01", date_to="2024-12-31"),
            "releases from 2024-01-01 to 2024-12-31",
        ),
        (Interpreted("q", date_from="2024-01-01"), "releases from 2024-01-01 to the last"),
        (Interpreted("q", date_to="2023-12-31"), "releases from the first to 2023-12-31"),
        (Interpreted("q", latest=True), "newest first"),
        (
            Interpreted("q", date_from="2024-01-01", date_to="2024-12-31", latest=True),
            "releases from 2024-01-01 to 2024-12-31, newest first",
        ),
    ],
)
def test_searched_window_is_shown(interpreted: Interpreted, shown: str) -> None:
    markdown = answer_as_markdown(make_answer(interpreted=interpreted))
    assert f"*Searched {shown}.*" in markdown
    refusal = answer_as_markdown(
        make_answer(text=REFUSAL, citations=[], refused=True, interpreted=interpreted)
    )
    assert f"*Searched {shown}.*" in refusal
    assert f"Searched: {shown}" in answer_as_text(make_answer(interpreted=interpreted))


def test_no_window_line_without_a_window() -> None:
    answer = make_answer()
    assert "Searched" not in answer_as_markdown(answer)
    assert "Searched" not in answer_as_text(answer)


# --- Plain text ----------------------------------------------------------------------------


def test_text_lists_numbered_sources_with_title_date_source_and_quote() -> None:
    answer = make_answer(
        text="Eels are banned [1]. Budget set [2].",
        citations=[
            make_citation(1),
            make_citation(
                2,
                chunk=make_chunk(
                    "budget", title="Budget 2025", url=None, source_path="archive/budget.txt"
                ),
                quote="The budget is set.",
            ),
        ],
    )
    assert answer_as_text(answer).splitlines() == [
        "Eels are banned [1]. Budget set [2].",
        "",
        "Sources:",
        "[1] Commission bans eel exports — 2024-03-14 — https://press.example.org/eel-ban",
        "    “The Commission banned eel exports from 1 July.”",
        "[2] Budget 2025 — 2024-03-14 — archive/budget.txt",
        "    “The budget is set.”",
    ]


def test_text_of_an_undated_untitled_source() -> None:
    chunk = make_chunk("loose-note", title=None, published=None, url=None)
    text = answer_as_text(make_answer(citations=[make_citation(chunk=chunk)]))
    assert "[1] loose-note — undated — archive/2024-03-14-eel-ban.txt" in text


def test_text_of_a_refusal_has_no_sources() -> None:
    text = answer_as_text(make_answer(text=REFUSAL, citations=[], refused=True))
    assert text == REFUSAL


# --- JSON ------------------------------------------------------------------------------------

CITATION_KEYS = {
    "n",
    "release_id",
    "source",
    "title",
    "published",
    "text",
    "quote",
    "start",
    "end",
    "score",
    "supported",
}


def test_answer_to_dict_matches_the_schema() -> None:
    answer = make_answer(
        text="Eels [1]. Budget [2].",
        citations=[
            make_citation(1),
            make_citation(2, chunk=make_chunk("budget", url=None, published=None)),
        ],
        interpreted=Interpreted("eel ban", date_from="2024-01-01", date_to=None),
        timings_ms={"retrieve": 12.3456, "total": 20.001},
    )
    data = answer.to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON values only
    assert {"question", "answer", "refused", "citations", "interpreted", "timings_ms"} <= set(data)
    assert data["question"] == "When does the eel export ban start?"
    assert data["answer"] == "Eels [1]. Budget [2]."
    assert data["refused"] is False
    assert {"query", "date_from", "date_to"} <= set(data["interpreted"])
    assert data["interpreted"]["query"] == "eel ban"
    assert data["interpreted"]["date_from"] == "2024-01-01"
    assert data["interpreted"]["date_to"] is None
    assert data["timings_ms"] == {"retrieve": 12.35, "total": 20.0}

    first, second = data["citations"]
    assert set(first) >= CITATION_KEYS
    assert first["n"] == 1
    assert first["release_id"] == "2024-03-14-eel-ban"
    assert first["source"] == "https://press.example.org/eel-ban"
    assert first["title"] == "Commission bans eel exports"
    assert first["published"] == "2024-03-14"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", first["published"])
    assert first["text"] == "The Commission banned eel exports from 1 July."
    assert first["quote"] == "The Commission banned eel exports from 1 July."
    assert (first["start"], first["end"]) == (120, 166)
    assert first["score"] == pytest.approx(0.032787, abs=1e-9)
    assert first["supported"] is True
    # without a url the source is the file path; without a date "published" is null
    assert second["source"] == "archive/2024-03-14-eel-ban.txt"
    assert second["published"] is None


def test_refused_answer_to_dict() -> None:
    data = make_answer(text=REFUSAL, citations=[], refused=True).to_dict()
    assert data["refused"] is True
    assert data["citations"] == []
    assert data["answer"] == REFUSAL


HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_source_url_that_is_not_http_is_never_linked(url: str) -> None:
    from assistant.web.viewer import render_release

    chunk = make_chunk(url=url)
    markdown = answer_as_markdown(make_answer(citations=[make_citation(chunk=chunk)]))
    assert "[source](" not in markdown
    assert_inert(markdown)
    page = render_release([chunk])
    assert "<a " not in page and "<script" not in page


def test_an_http_source_url_cannot_break_out_of_its_markdown_link() -> None:
    url = "https://press.example.org/a) <img src=x onerror=alert(1)> [x](javascript:alert(1)"
    markdown = answer_as_markdown(make_answer(citations=[make_citation(chunk=make_chunk(url=url))]))
    target = re.search(r"\[source\]\(([^)]*)\)", markdown)
    assert target and target.group(1).startswith("https://press.example.org/a%29%20%3Cimg")
    assert_inert(markdown)


def test_a_follow_up_is_read_as_in_plain_words_never_search_terms() -> None:
    answer = make_answer(
        question="When does it start?",
        interpreted=Interpreted(query="When does it start? (glass eel <b>exports</b>)"),
    )
    for shown in (answer_as_markdown(answer), answer_as_text(answer)):
        assert "Read as a follow-up to your earlier question." in shown
        assert "glass eel" not in shown
    with_previous = answer_as_markdown(answer, previous="What about <b>eels</b>?")
    assert "Read as a follow-up to your question “What about" in with_previous
    assert "<b>" not in with_previous
    assert "Read as" not in answer_as_markdown(make_answer())


def test_a_models_rewrite_is_shown_as_the_question_it_asked() -> None:
    answer = make_answer(
        question="Who chaired it?",
        interpreted=Interpreted(query="Who chaired the 2024 annual ministerial meeting?"),
    )
    assert "Read as: Who chaired the 2024 annual ministerial meeting?" in answer_as_text(answer)


def test_a_refusal_shows_its_reason_when_the_engine_gives_one() -> None:
    refused = make_answer(text=REFUSAL, citations=[], refused=True)
    assert "Why:" not in answer_as_markdown(refused)
    reasoned = SimpleNamespace(
        **{**vars(refused), "refusal": {"rule": "r", "detail": "No <i>x</i>."}}
    )
    for shown in (answer_as_markdown(reasoned), answer_as_text(reasoned)):  # type: ignore[arg-type]
        assert "Why: No" in shown
    assert "<i>" not in answer_as_markdown(reasoned)  # type: ignore[arg-type]


def test_a_reason_that_is_the_answer_itself_is_said_once() -> None:
    said = "No release mentions a 12th session of the Council."
    refused = make_answer(text=said, citations=[], refused=True)
    reasoned = SimpleNamespace(**{**vars(refused), "refusal": {"rule": "r", "detail": said}})
    for shown in (answer_as_markdown(reasoned), answer_as_text(reasoned)):  # type: ignore[arg-type]
        assert shown.count(said) == 1 and "Why:" not in shown


def test_answer_with_sources_is_plain_text_and_numbered_links() -> None:
    chunk = make_chunk(title="Budget *approved*")
    answer = make_answer(citations=[make_citation(chunk=chunk)])
    text = answer_with_sources(answer, "http://host:7860")
    body, _, sources = text.partition("\n\nSources:\n")
    assert body == answer.text
    assert (
        sources.startswith("[1] Budget *approved* (") and " http://host:7860/releases/" in sources
    )
    assert answer_with_sources(make_answer(text=REFUSAL, citations=[], refused=True)) == REFUSAL
