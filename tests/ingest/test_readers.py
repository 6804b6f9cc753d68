from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import SUPPORTED_SUFFIXES, FieldNames, discover, read_file
from ingest.release import Release

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seeds" / "000_a7feb157c563fc41.txt"
FOMC = SHARED / "data" / "fomc" / "statements"
CORPUS = Path(__file__).resolve().parents[2] / "evals" / "corpus"

needs_shared = pytest.mark.skipif(not SEED.exists(), reason="../shared is not laid out here")

RELEASE_TXT = """PRESS RELEASE
Commission launches rail fund
for the Baltic states

Riga, 14 March 2024 – The Commission today launched a fund for
cross-border rail links between the three Baltic states.

"This is a milestone," said the Commissioner.

– END –
For media enquiries: press@example.org
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_one(path: Path, root: Path | None = None) -> Release:
    result = read_file(path, root or path.parent)
    assert result.errors == []
    assert len(result.releases) == 1
    return result.releases[0]


# --- the real samples -------------------------------------------------------------------


@needs_shared
def test_seed_release() -> None:
    release = read_one(SEED)
    assert release.title == (
        "Press Release of Meeting of Executive Director of CICA Secretariat Ambassador "
        "Kairat Sarybay with Scientific Expert Group of Russia (Moscow, 22-23 February 2021)"
    )
    assert release.published == dt.date(2021, 2, 22)
    assert release.place == "Moscow"
    assert release.language == "en"
    assert release.release_id == "000_a7feb157c563fc41.txt"
    assert release.source_path == str(SEED.resolve())
    lead = release.body.split("\n\n")[0]
    assert lead.startswith("The CICA Secretariat Executive Director Ambassador Kairat Sarybay")
    assert release.body.count(lead) == 1
    assert "Press Release" not in release.body
    assert "of Meeting of Executive Director" not in release.body
    assert "\u00a0" not in release.body
    assert "East Asian and Shanghai" in release.body
    assert release.body.endswith("ancient and diverse culture of peoples of Asia.")


@needs_shared
def test_fomc_statement() -> None:
    release = read_one(FOMC / "19940204.txt")
    # No headline: the title is the first sentence, cut at a word boundary, marked as made.
    assert release.title_made and release.title is not None
    assert release.title.startswith("Chairman Alan Greenspan announced today that")
    assert release.published == dt.date(1994, 2, 4)
    assert release.date_source == "filename"
    assert release.place is None
    assert release.body.split("\n\n")[0] == (
        "Chairman Alan Greenspan announced today that the Federal Open Market Committee "
        "decided to increase slightly the degree of pressure on reserve positions. The "
        "action is expected to be associated with a small increase in short-term money "
        "market interest rates."
    )
    assert "\n" not in release.body.replace("\n\n", "")


@needs_shared
def test_every_fomc_statement_has_its_file_date_and_a_made_title() -> None:
    found = discover([FOMC])
    assert found.files
    for path, root in found.files:
        release = read_one(path, root)
        assert release.title and release.title_made, path
        assert release.published is not None
        assert release.published.strftime("%Y%m%d") == path.stem


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no demo corpus")
def test_demo_corpus_reads_with_titles_dates_and_clean_html() -> None:
    found = discover([CORPUS])
    assert found.skipped == []
    for path, root in found.files:
        result = read_file(path, root)
        assert result.errors == [], path
        for release in result.releases:
            assert release.title, release.release_id
            assert release.published, release.release_id
            first = release.body.split("\n\n")[0]
            if first[:1].isupper() and ", " in first[:30] and " 20" in first[:40]:
                assert release.place, release.release_id
            for junk in ("cookie", "Skip to main", "Share this", "©", "dataLayer", "END –"):
                assert junk not in release.body, (release.release_id, junk)


# --- formats ----------------------------------------------------------------------------


def test_text_release(tmp_path: Path) -> None:
    release = read_one(write(tmp_path / "2024-03-14-rail-fund.txt", RELEASE_TXT))
    assert release.release_id == "2024-03-14-rail-fund.txt"
    assert release.title == "Commission launches rail fund for the Baltic states"
    assert release.published == dt.date(2024, 3, 14)
    assert release.place == "Riga"
    assert release.url is None
    assert release.body == (
        "Riga, 14 March 2024 – The Commission today launched a fund for cross-border rail "
        "links between the three Baltic states.\n\n"
        '"This is a milestone," said the Commissioner.'
    )


def test_dateline_beats_the_file_name_and_the_file_name_fills_in(tmp_path: Path) -> None:
    with_dateline = read_one(write(tmp_path / "2020-01-01-x.txt", RELEASE_TXT))
    assert with_dateline.published == dt.date(2024, 3, 14)
    without = read_one(write(tmp_path / "2021_02_22_x.txt", "Headline\n\nBody text here."))
    assert without.published == dt.date(2021, 2, 22)
    assert without.place is None
    undated = read_one(write(tmp_path / "notes.txt", "Headline\n\nBody text here."))
    assert undated.published is None


def test_markdown_release(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Front-matter title\ndate: 2024-03-14\nplace: Tallinn\n---\n"
        "# Heading title\n"
        "The **Commission** met [today](https://example.org) in Tallinn.\n"
    )
    release = read_one(write(tmp_path / "x.md", text))
    assert release.title == "Front-matter title"
    assert release.published == dt.date(2024, 3, 14)
    assert release.place == "Tallinn"
    assert release.body == "The Commission met today in Tallinn."


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Commission launches rail fund | Baltic Transport Office</title>
<meta name="date" content="2024-03-15">
<link rel="canonical" href="https://example.org/press/rail-fund">
<style>body { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">Newsroom</a></li></ul></nav>
<div class="cookie-banner">We use cookies. <button>Accept all cookies</button></div>
<main><article>
<h1>Commission launches rail fund</h1>
<p class="dateline">Riga, 14 March 2024</p>
<p>The Commission today launched a &euro;2&nbsp;billion fund for rail links &amp; ports.</p>
<p>Short para.</p>
<p>&ldquo;This is a milestone,&rdquo; said the Commissioner.</p>
<p>Ministers will meet again in June.</p>
</article></main>
<footer><p>&copy; 2024 Baltic Transport Office. Privacy policy</p></footer>
<script>window.dataLayer = []; trackPage();</script>
</body></html>
"""


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_release(tmp_path: Path, suffix: str) -> None:
    release = read_one(write(tmp_path / "sub" / f"rail-fund{suffix}", HTML_PAGE), tmp_path)
    assert release.release_id == f"sub/rail-fund{suffix}"
    assert release.title == "Commission launches rail fund"
    assert release.published == dt.date(2024, 3, 15)  # <meta name="date"> first
    assert release.place == "Riga"
    assert release.url == "https://example.org/press/rail-fund"
    assert release.body == (
        "Riga, 14 March 2024\n\n"
        "The Commission today launched a €2 billion fund for rail links & ports.\n\n"
        "Short para.\n\n"
        "“This is a milestone,” said the Commissioner.\n\n"
        "Ministers will meet again in June."
    )


FEED = [
    {
        "id": "PR-1",
        "title": "First",
        "date": "2023-01-17",
        "place": "Klaipėda",
        "url": "https://example.org/1",
        "body": "Para one.\n\nPara two.",
    },
    {"id": "PR-2", "title": "No body", "date": "2023-02-01", "body": "  "},
    "not an object",
    {
        "title": "Third",
        "url": "https://example.org/3",
        "body": "Riga, 4 April 2023 – Text of the third release.",
    },
    {"title": "Fourth", "body": "Text of the fourth release."},
]


def test_json_array(tmp_path: Path) -> None:
    path = write(tmp_path / "feeds" / "news.json", json.dumps(FEED))
    result = read_file(path, tmp_path)
    ids = [r.release_id for r in result.releases]
    assert ids == [
        "feeds/news.json:PR-1",
        "feeds/news.json:https://example.org/3",
        "feeds/news.json:5",
    ]
    first = result.releases[0]
    assert (first.title, first.published, first.place) == (
        "First",
        dt.date(2023, 1, 17),
        "Klaipėda",
    )
    assert first.url == "https://example.org/1"
    assert first.source_path == str(path.resolve())
    assert first.body == "Para one.\n\nPara two."
    third = result.releases[1]
    assert (third.published, third.place) == (dt.date(2023, 4, 4), "Riga")
    assert result.releases[2].published is None  # not guessed from anything
    reasons = [(e.path, e.reason) for e in result.errors]
    assert reasons == [
        (
            str(path),
            "record 2 (id 'PR-2'): no body (looked for a non-empty field: body, text, content, "
            "body_html, content_html, html; the record has: id, title, date, body; "
            "name the body field with --fields body=NAME)",
        ),
        (str(path), "record 3: expected an object, got a string"),
    ]


@pytest.mark.parametrize("key", ["releases", "items", "data"])
def test_json_object_with_a_list(tmp_path: Path, key: str) -> None:
    path = write(tmp_path / "x.json", json.dumps({"meta": 1, key: [FEED[0]]}))
    assert [r.release_id for r in read_file(path, tmp_path).releases] == ["x.json:PR-1"]


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "A",
                "title": "One",
                "published": "2025-01-21T10:00:00Z",
                "link": "https://example.org/a",
                "text": "Body A.",
            }
        ),
        "",
        "{not json",
        json.dumps(
            {"id": "C", "headline": "Three", "published_at": "2025-06-10", "content": "Body C."}
        ),
        json.dumps({"id": "D", "title": "Four"}),
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")
    result = read_file(path, tmp_path)
    assert [(r.release_id, r.title, r.published, r.url) for r in result.releases] == [
        ("news.jsonl:A", "One", dt.date(2025, 1, 21), "https://example.org/a"),
        ("news.jsonl:C", "Three", dt.date(2025, 6, 10), None),
    ]
    assert [e.reason.split(":")[0] for e in result.errors] == ["record 3", "record 5 (id 'D')"]
    assert "malformed JSON" in result.errors[0].reason


def test_csv(tmp_path: Path) -> None:
    text = (
        "id,title,date,location,url,body\n"
        'R1,Rail fund,14.03.2024,Riga,https://example.org/r1,"Line one\nwrapped.\n\nPara two."\n'
        "R2,Empty,2024-03-15,Riga,,\n"
    )
    result = read_file(write(tmp_path / "feed.csv", text), tmp_path)
    assert len(result.releases) == 1
    release = result.releases[0]
    assert release.release_id == "feed.csv:R1"
    assert (release.published, release.place) == (dt.date(2024, 3, 14), "Riga")
    assert release.body == "Line one wrapped.\n\nPara two."
    assert [e.reason.split(":")[0] for e in result.errors] == ["record 2 (id 'R2')"]


def test_field_names_are_configurable(tmp_path: Path) -> None:
    text = "uid;heading;when;story\n7;Custom;2024-05-01;The story.\n"
    fields = FieldNames(id=("uid",), title=("heading",), date=("when",), body=("story",))
    result = read_file(write(tmp_path / "custom.csv", text), tmp_path, fields=fields)
    release = result.releases[0]
    assert (release.release_id, release.title, release.published, release.body) == (
        "custom.csv:7",
        "Custom",
        dt.date(2024, 5, 1),
        "The story.",
    )


# --- encodings --------------------------------------------------------------------------

RUSSIAN_RELEASE = (
    "Встреча Исполнительного директора с экспертами\n\n"
    "Москва, 22 февраля 2021 г. – Исполнительный директор провёл встречу с экспертами. "
    "Участники обсудили вопросы сотрудничества, и это также важно для всех стран."
)
FRENCH_RELEASE = (
    "Réunion des ministres à Genève\n\n"
    "Genève, 3 mai 2023 - Les ministres se sont réunis à Genève pour la réunion annuelle. "
    "Ils ont adopté une déclaration sur la qualité de l'eau et des rivières."
)


@pytest.mark.parametrize(
    ("text", "encoding", "place", "language"),
    [
        (RUSSIAN_RELEASE, "cp1251", "Москва", "ru"),
        (RUSSIAN_RELEASE, "utf-16", "Москва", "ru"),
        (RUSSIAN_RELEASE, "utf-8-sig", "Москва", "ru"),
        (FRENCH_RELEASE, "latin-1", "Genève", "fr"),
        (FRENCH_RELEASE, "utf-16", "Genève", "fr"),
        (FRENCH_RELEASE, "utf-8", "Genève", "fr"),
    ],
)
def test_encodings(tmp_path: Path, text: str, encoding: str, place: str, language: str) -> None:
    release = read_one(write(tmp_path / "r.txt", text.encode(encoding)))
    assert release.title == text.split("\n")[0]
    assert release.place == place
    assert release.language == language
    assert release.body == text.split("\n\n")[1]


def test_html_in_cp1251_declared_in_meta(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "</head><body><article><h1>Встреча</h1><p>Москва, 22 февраля 2021 г. – Текст.</p>"
        "</article></body></html>"
    )
    release = read_one(write(tmp_path / "r.html", page.encode("cp1251")))
    assert release.title == "Встреча"
    assert release.place == "Москва"


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"empty{suffix}", b"")
    with pytest.raises(IngestError) as caught:
        read_file(path, tmp_path)
    assert caught.value.path == str(path)
    assert caught.value.reason == "empty file"


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path / "photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    with pytest.raises(IngestError) as caught:
        read_file(path, tmp_path)
    assert caught.value.path == str(path)
    assert caught.value.reason == "expected UTF-8/UTF-16/cp1251/latin-1 text, got binary data"


def test_malformed_json(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n  {"id": 1,\n    "body": }\n]')
    with pytest.raises(IngestError) as caught:
        read_file(path, tmp_path)
    assert caught.value.reason.startswith("malformed JSON at line 3 column 13: ")


def test_json_that_is_not_a_list_of_releases(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.json", '{"count": 3}')
    with pytest.raises(IngestError, match="expected an array of releases or an object"):
        read_file(path, tmp_path)
    with pytest.raises(IngestError, match="got a number"):
        read_file(write(tmp_path / "n.json", "42"), tmp_path)


def test_csv_without_a_body_column(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="expected a body column"):
        read_file(write(tmp_path / "x.csv", "id,title\n1,Hello\n"), tmp_path)


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "Headline\n\n" + "Body text. " * 50)
    with pytest.raises(IngestError, match="over the 100-byte limit"):
        read_file(path, tmp_path, max_bytes=100)
    assert read_file(path, tmp_path).releases


def test_html_without_article_text(tmp_path: Path) -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>"
    with pytest.raises(IngestError, match="no article text"):
        read_file(write(tmp_path / "x.html", page), tmp_path)


def test_text_with_only_boilerplate(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no body text"):
        read_file(write(tmp_path / "x.txt", "PRESS RELEASE\n\n– END –\n"), tmp_path)


def test_unsupported_suffix_is_refused_by_read_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"got a '\.rtf' file"):
        read_file(write(tmp_path / "x.rtf", b"{\\rtf1 Hello}"), tmp_path)


# --- discovery --------------------------------------------------------------------------


def test_discover_walks_sorts_skips_hidden_and_lists_unsupported(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    for name in (
        "b.txt",
        "a.html",
        "sub/c.JSON",
        "sub/deeper/d.md",
        "feeds/e.jsonl",
        "feeds/f.csv",
        "x.htm",
    ):
        write(archive / name, "x")
    write(archive / "report.rtf", b"{\\rtf1}")
    write(archive / "scan.pdf", b"%PDF")
    write(archive / "letter.docx", b"PK")
    write(archive / "sub" / "image.png", b"\x89PNG")
    write(archive / ".hidden.txt", "x")
    write(archive / ".git" / "config.txt", "x")
    single = write(tmp_path / "loose" / "one.txt", "x")

    found = discover([archive, single])

    assert found.files == sorted(
        [
            (archive / "a.html", archive),
            (archive / "b.txt", archive),
            (archive / "letter.docx", archive),
            (archive / "feeds" / "e.jsonl", archive),
            (archive / "feeds" / "f.csv", archive),
            (archive / "sub" / "c.JSON", archive),
            (archive / "sub" / "deeper" / "d.md", archive),
            (archive / "scan.pdf", archive),
            (archive / "x.htm", archive),
            (single, single.parent),
        ],
        key=lambda pair: str(pair[0]),
    )
    assert found.skipped == [archive / "report.rtf", archive / "sub" / "image.png"]


def test_discover_lists_an_unsupported_file_argument_and_dedupes(tmp_path: Path) -> None:
    rtf = write(tmp_path / "x.rtf", b"{\\rtf1}")
    txt = write(tmp_path / "y.txt", "x")
    found = discover([rtf, txt, tmp_path])
    assert found.files == [(txt, tmp_path)]
    assert found.skipped == [rtf]


def test_a_folders_readme_and_license_are_not_releases(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    release = write(archive / "statements" / "20080318.txt", "x")
    readme = write(archive / "README.md", "# About these statements")
    licence = write(archive / "statements" / "LICENSE.txt", "Public domain.")
    found = discover([archive])
    assert found.files == [(release, archive)]
    assert found.skipped == [readme, licence]
    assert discover([readme]).files == [(readme, archive)], "a file given by name is read"


def test_discover_refuses_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(IngestError) as caught:
        discover([missing])
    assert caught.value.path == str(missing)
    assert caught.value.reason == "no such file or directory"


def test_release_id_of_a_nested_file_is_relative_to_its_root(tmp_path: Path) -> None:
    path = write(tmp_path / "2024" / "03" / "x.txt", "Headline\n\nBody.")
    ((found, root),) = discover([tmp_path]).files
    assert read_one(found, root).release_id == "2024/03/x.txt"
    assert read_one(path).release_id == "x.txt"


def test_a_50_mb_text_file_is_refused_by_default_and_read_under_a_higher_limit(
    tmp_path: Path,
) -> None:
    sentence = "In session {} the Commission met and approved the budget for the coming year. "
    lines = ["Annual report", *(sentence.format(i) * 10 for i in range(66_000))]
    path = write(tmp_path / "2024-01-31-annual-report.txt", "\n\n".join(lines))
    size = path.stat().st_size
    assert size > 50 * 1024 * 1024
    with pytest.raises(IngestError) as caught:
        read_file(path, tmp_path)
    assert caught.value.reason == (
        f"file is {size:,} bytes ({size / 1024 / 1024:.1f} MiB), over the 20,971,520-byte "
        "limit (20.0 MiB); raise the limit (PRESSROOM_MAX_FILE_MB) to read it"
    )
    (release,) = read_file(path, tmp_path, max_bytes=64 * 1024 * 1024).releases
    assert release.title == "Annual report"
    assert release.published == dt.date(2024, 1, 31)
    assert release.body.endswith(
        "In session 65999 the Commission met and approved the budget for the coming year."
    )
