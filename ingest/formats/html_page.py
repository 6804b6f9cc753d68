"""HTML releases: the article's own text, with the page's navigation and furniture dropped.

The page is narrowed to its content root (the ``<article>`` with most text, else ``<main>``,
else ``<body>``) and stripped of navigation, cookie banners, footers, scripts and styles.
Trafilatura then decides which of the remaining blocks are main text; the blocks keep the
page's own paragraph structure (see `_main_paragraphs`). When trafilatura finds nothing,
every remaining block is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from ingest.clean import clean_paragraphs, dedupe_paragraphs, normalize_space, split_paragraphs
from ingest.dating import date_from_filename
from ingest.decode import decode
from ingest.errors import IngestError
from ingest.formats.build import Declared, build_release
from ingest.release import Release

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TITLE_SUFFIX = re.compile(r"\s+[|｜]\s+[^|｜]+$")
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "form",
    "button",
    "nav",
    "aside",
    "footer",
    "select",
    "dialog",
)
_CONTENTLESS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "select", "button"}
)
_DROP_TOKENS = frozenset(
    "nav navbar navigation menu breadcrumb breadcrumbs footer sidebar share sharing social "
    "newsletter related recent latest teasers popup modal skip skiplink masthead".split()
)
_DROP_SUBSTRINGS = ("cookie", "consent", "gdpr")
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog"})
_BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt figcaption tr div section address "
    "article main header caption".split()
)
# htmldate refuses dates outside ``min_date``-``max_date`` (1995 to today by default); an
# archive may hold older releases, or one dated ahead (embargoed): the bounds are those of
# the years `ingest.dates` reads.
_MIN_DATE = "1800-01-01"
_MAX_DATE = "2199-12-31"
MIN_TRAFILATURA_SHARE = 0.5
MIN_ARTICLE_SHARE = 0.5


def read_html(data: bytes, *, path: Path, release_id: str) -> Release:
    text = decode(data, path, declared=_declared_charset(data))
    try:
        tree = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (lxml.etree.ParserError, ValueError) as exc:
        raise IngestError(path, f"expected an HTML page, could not parse it: {exc}") from exc
    root = _content_root(tree)
    title = _title(tree, root)
    language = _attr(tree, "/html/@lang")
    url = _attr(tree, '//link[@rel="canonical"]/@href') or _attr(
        tree, '//meta[@property="og:url"]/@content'
    )
    head = tree.find("head")
    head_markup = lxml.html.tostring(head, encoding="unicode") if head is not None else ""
    _prune(tree, keep=root)
    declared = Declared(published=_published(head_markup, root), language=language, url=url)
    paragraphs = _main_paragraphs(root)
    if paragraphs and title and normalize_space(paragraphs[0]).lower() == title.lower():
        paragraphs = paragraphs[1:]
    body = clean_paragraphs(dedupe_paragraphs(paragraphs))
    if not body:
        raise IngestError(path, "no article text found in the HTML page")
    return build_release(
        release_id=release_id,
        source_path=path,
        title=title,
        body=body,
        declared=declared,
        file_date=date_from_filename(path.name),
    )


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML fragment (a record body written in HTML)."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return split_paragraphs(fragment)
    _prune(root, keep=root)
    return _block_paragraphs(root)


def _declared_charset(data: bytes) -> str | None:
    found = _CHARSET.search(data[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def _attr(tree: Any, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        text = normalize_space(str(value))
        if text:
            return text
    return None


def _text_len(element: Any) -> int:
    return len(normalize_space(element.text_content()))


def _content_root(tree: Any) -> Any:
    """The ``<article>`` with the most text, else ``<main>``, else ``<body>``.

    An article holding less than half the text of the page's main area is a teaser or a
    comment, not the release: the wider area is used then, and trafilatura picks from it.
    """
    area = tree
    for xpath in ("//main", '//*[@role="main"]', "//body"):
        found = tree.xpath(xpath)
        if found:
            area = found[0]
            break
    articles = tree.xpath("//article[not(ancestor::aside or ancestor::nav or ancestor::footer)]")
    if articles:
        best = max(articles, key=_text_len)
        if _text_len(best) >= MIN_ARTICLE_SHARE * _text_len(area):
            return best
    return area


def _title(tree: Any, root: Any) -> str | None:
    for candidate in (
        _first_text(root.xpath(".//h1")),
        _attr(tree, '//meta[@property="og:title"]/@content'),
        _first_text(tree.xpath("//h1[not(ancestor::header or ancestor::nav or ancestor::footer)]")),
    ):
        if candidate:
            return candidate
    page_title = _first_text(tree.xpath("//title"))
    return _TITLE_SUFFIX.sub("", page_title) if page_title else None


def _first_text(elements: list[Any]) -> str | None:
    for element in elements:
        text = normalize_space(element.text_content())
        if text:
            return text
    return None


def _published(head_markup: str, root: Any) -> dt.date | None:
    """The publication date the page's markup states, read by htmldate.

    htmldate is shown the page's ``<head>`` and the pruned content root only: navigation,
    "related news" sidebars and footers are gone, so their ``<time>`` and ``span.date``
    never count. htmldate looks at the head's metadata
    (``article:published_time``, JSON-LD ``datePublished``, ``meta name=date``,
    ``DC.date``, ``dcterms.issued``…) and then the article's own ``<time>`` and dated byline,
    preferring the original date to a modified one; ``extensive_search`` off, it never
    guesses from free text (the body's dates are `ingest.dating`'s job).
    """
    import htmldate  # with trafilatura; imported here, like it

    body = lxml.html.tostring(root, encoding="unicode")
    page = f"<html>{head_markup}<body>{body}</body></html>"
    try:
        found = htmldate.find_date(
            page,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%d",
            min_date=_MIN_DATE,
            max_date=_MAX_DATE,
        )
    except Exception:  # a third-party failure on odd markup: the text's dates still count
        return None
    return dt.date.fromisoformat(found) if found else None


def _should_drop(element: Any) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions
    if element.tag in _DROP_TAGS:
        return True
    if element.tag == "header" and not element.xpath("ancestor::article or ancestor::main"):
        return True
    if (element.get("role") or "").lower() in _DROP_ROLES:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    if any(s in names for s in _DROP_SUBSTRINGS):
        return True
    return any(token in _DROP_TOKENS for token in re.split(r"[\s_-]+", names))


def _prune(tree: Any, *, keep: Any) -> None:
    """Remove page furniture, never ``keep``, what contains it, nor what holds a ``<h1>``.

    The last guard is for pages wrapped whole in a ``<form>`` or a ``<div class="…cookie…">``.
    """
    protected = [keep, *keep.iterancestors()]  # held, so that identity comparison is sound
    doomed = [
        element
        for element in tree.iter()
        if not any(element is p for p in protected)
        and element.tag not in ("html", "head", "body", "title", "meta", "link")
        and _should_drop(element)
        and (element.tag in _CONTENTLESS or not _holds_content(element))
    ]
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail and element.tail.strip():
            previous = element.getprevious()
            if previous is not None:
                previous.tail = _xml_safe((previous.tail or "") + element.tail)
            else:
                parent.text = _xml_safe((parent.text or "") + element.tail)
        parent.remove(element)


def _holds_content(element: Any) -> bool:
    return isinstance(element.tag, str) and bool(element.xpath(".//h1 | .//article | .//main"))


def _xml_safe(text: str) -> str:
    """lxml refuses to store characters XML cannot hold, though ``&#xFFFE;`` parses to one."""
    return _NOT_XML.sub("", text)


def _block_paragraphs(root: Any) -> list[str]:
    """Text of each innermost block element, in document order."""
    for br in root.iter("br"):
        br.tail = _xml_safe(" " + (br.tail or ""))
    paragraphs: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCK_TAGS:
            continue
        if any(
            isinstance(child.tag, str) and child.tag in _BLOCK_TAGS
            for child in element.iter()
            if child is not element
        ):
            continue
        if element.tag == "tr":
            cells = (normalize_space(cell.text_content()) for cell in element.xpath("./td|./th"))
            text = " | ".join(cell for cell in cells if cell)
        else:
            text = normalize_space(element.text_content().replace("\n", " "))
        if text:
            paragraphs.append(text)
    return paragraphs


def _trafilatura_text(root: Any) -> str:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        page = f"<html><body>{lxml.html.tostring(root, encoding='unicode')}</body></html>"
        text = trafilatura.extract(
            page,
            output_format="txt",
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            deduplicate=False,
        )
    except Exception:  # a third-party failure on odd markup: the page's blocks still work
        return ""
    return text or ""


def _squash(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _main_paragraphs(root: Any) -> list[str]:
    """Trafilatura decides what is main text; the page's own blocks give the paragraphs.

    Trafilatura's text output breaks a paragraph at a ``<br>`` or after a leading link, and
    on small pages can run paragraphs together, so each block of the content root is kept
    when trafilatura kept its text (compared without whitespace). If that matching covers
    too little of trafilatura's text (content in odd markup), its own lines are used.
    """
    blocks = _block_paragraphs(root)
    extracted = _trafilatura_text(root)
    if not extracted.strip():
        return blocks
    extracted_key = _squash(extracted)
    kept = [block for block in blocks if _squash(block) in extracted_key]
    if sum(len(_squash(block)) for block in kept) >= MIN_TRAFILATURA_SHARE * len(extracted_key):
        return kept
    return [line for line in (normalize_space(x) for x in extracted.split("\n")) if line]
