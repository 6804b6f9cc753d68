from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.formats.html_page import html_fragment_paragraphs, read_html
from ingest.release import Release

ARTICLE_PARAGRAPHS = [
    "Riga, 14 March 2024",
    "The Commission today launched a €2 billion fund for cross-border rail links between "
    "the three Baltic states & Poland.",
    "Short para.",
    "“This is a milestone,” said the Commissioner. The fund opens for applications in May.",
    "Ministers will meet again in June.",
]

FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Commission launches rail fund | Baltic Transport Office</title>
<meta property="og:title" content="OG title">
<meta name="date" content="2024-03-14">
<style>.x { color: red }</style>
</head>
<body class="has-cookie-banner">
<a class="skip-link" href="#c">Skip to main content</a>
<header class="site-header"><a href="/">Baltic Transport Office</a>
  <nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/press">Press</a></li>
  </ul></nav>
  <form class="search"><input name="q"><button>Search</button></form>
</header>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve this site.</p>
  <button>Accept cookies</button></div>
<main id="c">
<div class="breadcrumb"><a href="/">Home</a> &rsaquo; Press releases</div>
<article class="press-release">
<h1>Commission launches rail fund</h1>
<p class="dateline">Riga, 14 March 2024</p>
<p>The Commission today launched a &euro;2&nbsp;billion fund for cross-border rail links
between the three Baltic states &amp; Poland.</p>
<p>Short para.</p>
<p>&ldquo;This is a milestone,&rdquo; said the Commissioner. The fund opens for
applications in May.</p>
<p>Ministers will meet again in June.</p>
<div class="share">Share this release: <a href="#">LinkedIn</a> | <a href="#">E-mail</a></div>
</article>
<aside class="related"><h2>Related releases</h2><ul><li><a href="/x">Older news</a></li></ul>
</aside>
</main>
<footer class="site-footer"><p>&copy; 2024 Baltic Transport Office &middot; Privacy policy</p>
</footer>
<script>window.dataLayer = window.dataLayer || []; gtag('config', 'X');</script>
<noscript>Enable JavaScript</noscript>
</body></html>
"""


def read(tmp_path: Path, page: str | bytes, name: str = "page.html") -> Release:
    path = tmp_path / name
    path.write_bytes(page.encode("utf-8") if isinstance(page, str) else page)
    return read_html(path.read_bytes(), path=path, release_id=name)


def test_keeps_every_article_paragraph_and_nothing_else(tmp_path: Path) -> None:
    release = read(tmp_path, FULL_PAGE)
    assert release.body.split("\n\n") == ARTICLE_PARAGRAPHS
    assert release.title == "Commission launches rail fund"
    assert release.published == dt.date(2024, 3, 14)
    assert release.place == "Riga"
    assert release.language == "en"


@pytest.mark.parametrize(
    "junk",
    [
        "cookies",
        "Skip to",
        "Home",
        "Search",
        "Related",
        "Older news",
        "Privacy",
        "dataLayer",
        "gtag",
        "color: red",
        "JavaScript",
        "Share this",
        "LinkedIn",
        "©",
    ],
)
def test_page_furniture_is_dropped(tmp_path: Path, junk: str) -> None:
    assert junk not in read(tmp_path, FULL_PAGE).body


def test_a_page_without_article_or_main(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Short note | Org</title></head><body>"
        '<div id="menu"><a href="/">Home</a> <a href="/x">Press</a></div>'
        '<div class="cookie-banner">This site uses cookies. Accept cookies to continue.</div>'
        '<div class="content"><h1>Short note</h1>'
        "<p>Geneva, 3 May 2023 – The office is closed on Friday.</p></div>"
        "<footer>Contact us | Privacy | Imprint</footer>"
        '<script>var x = "tracking";</script></body></html>'
    )
    release = read(tmp_path, page)
    assert release.title == "Short note"
    assert release.body == "Geneva, 3 May 2023 – The office is closed on Friday."
    assert (release.published, release.place) == (dt.date(2023, 5, 3), "Geneva")


def test_a_page_wrapped_whole_in_a_form_keeps_its_text(tmp_path: Path) -> None:
    page = (
        '<html><body><form id="aspnetForm"><div class="cookie-notice-wrapper">'
        "<h1>Budget adopted</h1><p>Riga, 4 May 2023 – The Council adopted the budget.</p>"
        "<p>It enters into force in June.</p></div></form></body></html>"
    )
    release = read(tmp_path, page)
    assert release.title == "Budget adopted"
    assert release.body == (
        "Riga, 4 May 2023 – The Council adopted the budget.\n\nIt enters into force in June."
    )


def test_line_breaks_and_inline_markup_stay_inside_their_paragraph(tmp_path: Path) -> None:
    page = (
        "<html><body><article><h1>T</h1>"
        "<p><strong>Riga, 14 March 2024</strong> – <a href='/c'>The Commission</a> today "
        "launched a <em>fund</em>.</p><p>Second paragraph<br>after a line break.</p>"
        "<ul><li>First item</li><li>Second <b>item</b></li></ul>"
        "<table><tr><th>Country</th><th>Share</th></tr><tr><td>Lauvia</td><td>12%</td></tr>"
        "</table></article></body></html>"
    )
    assert read(tmp_path, page).body.split("\n\n") == [
        "Riga, 14 March 2024 – The Commission today launched a fund.",
        "Second paragraph after a line break.",
        "First item",
        "Second item",
        "Country | Share",
        "Lauvia | 12%",
    ]


def test_the_longest_article_is_the_release(tmp_path: Path) -> None:
    page = (
        "<html><body><main><article><h1>Teaser</h1><p>Short teaser.</p></article>"
        "<article><h1>The release</h1><p>Riga, 4 May 2023 – The full text of the release, "
        "which is longer than the teaser.</p></article></main></body></html>"
    )
    release = read(tmp_path, page)
    assert release.title == "The release"
    assert "Short teaser." not in release.body


def test_a_teaser_article_is_not_taken_for_the_release(tmp_path: Path) -> None:
    page = (
        "<html><body><main><h1>The release</h1>"
        "<p>Riga, 4 May 2023 – The full text of the release, which is much longer than the "
        "teaser of another release further down the page.</p>"
        "<p>A second paragraph of the release, long enough to matter here.</p>"
        "<section><article><h2>Older release</h2><p>Teaser text.</p></article></section>"
        "</main></body></html>"
    )
    release = read(tmp_path, page)
    assert release.title == "The release"
    assert release.body.startswith("Riga, 4 May 2023 – The full text of the release")
    assert release.place == "Riga"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="og:title" content="From OG">', "From OG"),
        ("<title>From the title | Site name</title>", "From the title"),
        ("<title>No site name</title>", "No site name"),
    ],
)
def test_title_fallbacks(tmp_path: Path, head: str, expected: str) -> None:
    page = f"<html><head>{head}</head><body><p>The body text of the release.</p></body></html>"
    assert read(tmp_path, page).title == expected


def test_no_title_at_all(tmp_path: Path) -> None:
    release = read(tmp_path, "<html><body><p>The body text of the release.</p></body></html>")
    assert release.title == "The body text of the release."  # its first sentence
    assert release.published is None
    assert release.date_source == "none"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<meta name="DC.date" content="2024-03-10">', dt.date(2024, 3, 10)),
        (
            '<meta property="article:published_time" content="2024-03-11T08:00:00+01:00">',
            dt.date(2024, 3, 11),
        ),
        ('<time datetime="2024-03-12">12 March</time>', dt.date(2024, 3, 12)),
        ("", dt.date(2024, 3, 14)),  # the dateline
    ],
)
def test_date_sources(tmp_path: Path, markup: str, expected: dt.date) -> None:
    page = (
        f"<html><head>{markup if 'meta' in markup else ''}</head><body><article>"
        f"{markup if 'time' in markup and 'meta' not in markup else ''}"
        "<p>Riga, 14 March 2024 – The Commission met.</p></article></body></html>"
    )
    assert read(tmp_path, page, "2020-01-01-x.html").published == expected


def test_file_name_date_when_the_page_has_none(tmp_path: Path) -> None:
    page = "<html><body><p>The Commission met.</p></body></html>"
    assert read(tmp_path, page, "2021-02-22-visit.html").published == dt.date(2021, 2, 22)


def test_canonical_url_and_entities(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="og:url" content="https://example.org/og"></head>'
        "<body><p>Caf&eacute; &amp; bar &#8211; &quot;open&quot;&nbsp;now.</p></body></html>"
    )
    release = read(tmp_path, page)
    assert release.url == "https://example.org/og"
    assert release.body == 'Café & bar – "open" now.'


def test_html_fragment_paragraphs() -> None:
    fragment = "<p>One <b>bold</b>.</p><script>x()</script><p>Two<br>lines.</p>"
    assert html_fragment_paragraphs(fragment) == ["One bold.", "Two lines."]


SIDEBAR = """<aside class="sidebar" role="complementary"><h3>Related news</h3><ul>
<li><a href="/a">Older one</a> <time datetime="2025-03-04">04.03.2025</time></li>
<li><a href="/b">Older two</a> <span class="date">2 March 2022</span></li></ul></aside>"""


def cms_page(head: str, byline: str, *, sidebar_first: bool) -> str:
    article = f"""<article><h1>Minister meets counterpart</h1>
<div class="news-meta"><span class="author">Press Service</span> {byline}</div>
<div class="field-body"><p>The ministers met in Geneva and signed a plan on 9 November 2020.</p>
<p>They agreed to meet again next year.</p></div></article>"""
    parts = [SIDEBAR, article] if sidebar_first else [article, SIDEBAR]
    return (
        f"<html><head><title>Minister meets | MFA</title>{head}</head><body>"
        f'<nav class="main-menu"><a href="/">Home</a></nav><main>{"".join(parts)}</main>'
        '<footer class="site-footer"><p class="copyright">© 2013–2025 MFA</p></footer>'
        "</body></html>"
    )


@pytest.mark.parametrize("sidebar_first", [True, False])
@pytest.mark.parametrize(
    ("head", "byline"),
    [
        ('<meta property="article:published_time" content="2021-06-29T11:00:00+06:00">', ""),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2021-06-29T08:30:00+06:00"}</script>',
            "",
        ),
        ("", '<time datetime="2021-06-29">29.06.2021</time>'),
        ("", '<span class="date">June 29, 2021</span>'),
    ],
)
def test_the_date_in_markup_is_the_article_s_own_never_the_sidebar_s(
    tmp_path: Path, head: str, byline: str, sidebar_first: bool
) -> None:
    release = read(tmp_path, cms_page(head, byline, sidebar_first=sidebar_first))
    assert (release.published, release.date_source) == (dt.date(2021, 6, 29), "metadata")
    assert release.title == "Minister meets counterpart"


def test_a_modified_date_is_not_the_publication_date(tmp_path: Path) -> None:
    head = (
        '<meta property="article:published_time" content="2023-07-11T12:00:00+06:00">'
        '<meta property="article:modified_time" content="2023-07-28T15:00:00+06:00">'
    )
    release = read(tmp_path, cms_page(head, "", sidebar_first=True))
    assert release.published == dt.date(2023, 7, 11)


def test_without_markup_dates_the_text_dates_the_page_not_the_sidebar(tmp_path: Path) -> None:
    release = read(tmp_path, cms_page("", "", sidebar_first=True))
    assert (release.published, release.date_source) == (dt.date(2020, 11, 9), "lead")


def test_old_and_future_markup_dates_are_read(tmp_path: Path) -> None:
    for day in ("1990-05-02", "2031-01-15"):
        page = (
            f'<html><head><meta name="date" content="{day}"></head><body><p>Text.</p></body></html>'
        )
        assert read(tmp_path, page).published == dt.date.fromisoformat(day)
