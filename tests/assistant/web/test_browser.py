"""The chat, the widget and the release viewer in a real headless browser.

Debian's chromium driven by Playwright (never `playwright install`). `make test` installs
chromium with apt-get when it is missing and the user is root; elsewhere these tests skip
and say how to enable them. Screenshots land in reports/screenshots/ (a test run changes
no tracked file); `make screenshots` copies the chat at desktop and phone width into
docs/ (chat-desktop.png, chat-phone.png: the docs show them).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.engine import Engine
from assistant.settings import Settings
from assistant.web.app import COPY_LABEL, QUESTION_PLACEHOLDER

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "reports" / "screenshots"
# The tests' own questions: no question or turn of an eval suite is asked (CONTRIBUTING.md).
EEL = "Which member state cast the vote against suspending the export of glass eels?"
ABSTAINED = "Who abstained on it?"
BUDGET = "Which budget was approved by the ministers?"
BUDGET_2023 = "Which budget was approved by the ministers at the 2023 ministerial meeting?"
HOSTILE = """PRESS RELEASE
Hostile test release <script>alert(1)</script>

Riga, 2 February 2025 – The Commission received a parcel labelled <img src=x onerror=alert(1)>
and a note saying <script>alert(2)</script> at its Riga office today.

The parcel contained 17 harmless glass marbles.
"""

HOSTILE_LINK = """---
title: Ferry timetable notice
date: 2025-02-03
url: javascript:alert(3)
---

Riga, 3 February 2025 – The Commission published the winter ferry timetable for the
Lielupe crossing, with 6 daily departures.
"""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's chromium: run `apt-get install -y chromium` "
    "(make test does this when run as root)",
)


def host_page(folder: Path, widget_src: str) -> Path:
    page = folder / "index.html"
    page.write_text(
        "<!doctype html><html><head><title>Intranet</title>"
        "<style>button { background: red !important; font-size: 40px; }</style></head>"
        "<body><h1>Our intranet</h1><p>News and more.</p>"
        f'<script src="{widget_src}" data-title="Ask the press archive" async></script>'
        "</body></html>",
        encoding="utf-8",
    )
    return page


class StaticSite:
    """Another origin: a plain static server on its own loopback port."""

    def __init__(self, folder: Path, port: int) -> None:
        self.port = port
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}/index.html"

    def close(self) -> None:
        self.httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Sites:
    allowed: StaticSite
    denied: StaticSite
    allowed_dir: Path
    denied_dir: Path


@pytest.fixture(scope="module")
def hostile_engine(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Engine:
    """The demo archive plus one release full of HTML that must never run."""
    from assistant.build import make_chunker, make_engine, open_store
    from ingest.sync import sync

    archive = tmp_path_factory.mktemp("archive")
    shutil.copytree(REPO / "evals" / "corpus", archive, dirs_exist_ok=True)
    (archive / "2025-02-02-hostile-parcel.txt").write_text(HOSTILE, encoding="utf-8")
    (archive / "2025-02-03-ferry-notice.md").write_text(HOSTILE_LINK, encoding="utf-8")
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("store"))
    store = open_store(settings, embedder)
    report = sync([archive], store, make_chunker(settings, embedder))
    assert not report.failed, report.summary()
    return make_engine(settings, store)


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, port_factory: Callable[[], int]
) -> Iterator[Sites]:
    """Two host pages on two origins: one allowed to use the widget, one not."""
    allowed_dir = tmp_path_factory.mktemp("allowed")
    denied_dir = tmp_path_factory.mktemp("denied")
    allowed = StaticSite(allowed_dir, port_factory())
    denied = StaticSite(denied_dir, port_factory())
    yield Sites(allowed, denied, allowed_dir, denied_dir)
    allowed.close()
    denied.close()


@pytest.fixture(scope="module")
def server_url(
    hostile_engine: Engine,
    site: Sites,
    serve_module: Callable[[Any], str],
) -> str:
    from assistant.web.api import build_server
    from assistant.web.app import build_app

    settings = Settings.from_env({}, allowed_origins=f"http://127.0.0.1:{site.allowed.port}")
    url = serve_module(build_server(hostile_engine, settings, chat=build_app(hostile_engine)))
    host_page(site.allowed_dir, f"{url}/widget.js")
    host_page(site.denied_dir, f"{url}/widget.js")
    return url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1100, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def shot(page: Any, name: str, folder: Path = SCREENSHOTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def type_question(page: Any, question: str) -> None:
    """Type ``question`` into the chat box and send it. The textbox is in the page before
    Gradio's scripts bind it: a question typed too early is dropped without a trace, so
    it is typed again until the chat shows it."""
    box = page.get_by_placeholder(QUESTION_PLACEHOLDER)
    for _ in range(5):
        box.fill(question)
        box.press("Enter")
        try:
            page.get_by_text(question).first.wait_for(timeout=10_000)
            break
        except Exception:
            continue


def ask_in_chat(page: Any, url: str, question: str) -> None:
    page.goto(url + "/", wait_until="load")
    page.get_by_placeholder(QUESTION_PLACEHOLDER).wait_for(timeout=60_000)
    type_question(page, question)
    try:
        page.wait_for_function(
            "() => ['Sources', 'No answer'].some(t => document.body.innerText.includes(t))",
            timeout=180_000,
        )
    except Exception as exc:
        shot(page, "no-answer")
        raise AssertionError(
            f"no answer to {question!r}; the page says: {page.locator('body').inner_text()}"
        ) from exc


def test_chat_shows_a_cited_answer_and_a_highlighted_source(page: Any, server_url: str) -> None:
    ask_in_chat(page, server_url, BUDGET_2023)
    text = page.locator("body").inner_text()
    assert "EUR 41.2 million" in text
    assert "Searched releases from 2023-01-01 to 2023-12-31" in text
    mark = page.locator("mark").first
    assert "EUR 41.2 million" in mark.inner_text()
    shot(page, "chat-desktop")

    # "Copy answer with sources": the answer as plain text, the numbered sources with
    # links that work outside the page.
    page.get_by_role("button", name=COPY_LABEL).click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
    copied = page.evaluate("navigator.clipboard.readText()")
    text, _, sources = copied.partition("\n\nSources:\n")
    assert "EUR 41.2 million" in text and "<mark>" not in copied
    assert sources.startswith("[1] ") and f" {server_url}/releases/" in sources
    link = page.locator("a[href*='/releases/']").first
    href = link.get_attribute("href")
    assert href and "#cite" in href
    page.goto(server_url + href if href.startswith("/") else href, wait_until="load")
    cited = page.locator("mark#cite")
    assert "EUR 41.2 million" in cited.inner_text()
    assert cited.is_visible()
    shot(page, "release-viewer")


def test_chat_on_a_phone_screen(browser: Any, server_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    ask_in_chat(page, server_url, "How many vessels took part in AMBER SHIELD 2024?")
    assert "14 vessels" in page.locator("body").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "no horizontal scrolling on a phone"
    shot(page, "chat-phone")
    context.close()


def test_widget_on_an_allowed_page_answers_with_citation_links(
    page: Any, server_url: str, site: Sites
) -> None:
    allowed = site.allowed
    page.goto(allowed.url, wait_until="load")
    page.locator("#pressroom-widget .launcher").click()
    page.locator("#pressroom-widget input").fill(EEL)
    page.locator("#pressroom-widget form button").click()
    answer = page.locator("#pressroom-widget .msg.bot").last
    page.wait_for_function(
        "() => { const h = document.querySelector('#pressroom-widget');"
        " return h && h.shadowRoot.querySelector('.sources'); }",
        timeout=120_000,
    )
    assert "Holmeria" in answer.inner_text()
    links = page.locator("#pressroom-widget a.citation")
    assert links.count() >= 1
    assert (links.first.get_attribute("href") or "").startswith(server_url + "/releases/")
    launcher_color = page.locator("#pressroom-widget .launcher").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert launcher_color != "rgb(255, 0, 0)", "the page's styles do not leak into the widget"
    shot(page, "widget")

    # A follow-up: the widget sends the conversation and shows what was searched.
    page.locator("#pressroom-widget input").fill(ABSTAINED)
    page.locator("#pressroom-widget form button").click()
    page.wait_for_function(
        "() => { const h = document.querySelector('#pressroom-widget');"
        " return h && h.shadowRoot.querySelectorAll('.sources').length >= 2; }",
        timeout=120_000,
    )
    follow_up = page.locator("#pressroom-widget .msg.bot").last.inner_text()
    assert "Jutavia" in follow_up
    assert f"Read as a follow-up to your question “{EEL}”" in follow_up
    assert "Read as: " not in follow_up, "never the internal search words"


def test_widget_on_a_page_from_another_origin_is_refused(
    page: Any, server_url: str, site: Sites
) -> None:
    denied = site.denied
    page.goto(denied.url, wait_until="load")
    page.locator("#pressroom-widget .launcher").click()
    page.locator("#pressroom-widget input").fill(EEL)
    page.locator("#pressroom-widget form button").click()
    refused = page.locator("#pressroom-widget .msg.refused")
    refused.wait_for(timeout=60_000)
    assert "could not be asked" in refused.inner_text()
    assert "Holmeria" not in page.locator("#pressroom-widget .log").inner_text()


def test_hostile_release_is_shown_as_text_everywhere(
    page: Any, server_url: str, site: Sites
) -> None:
    question = "What was in the parcel labelled at the Riga office?"
    ask_in_chat(page, server_url, question)
    assert "onerror=alert(1)" in page.locator("body").inner_text()
    assert page.locator("img[src='x']").count() == 0
    href = page.locator("a[href*='/releases/']").first.get_attribute("href")
    page.goto(server_url + str(href), wait_until="load")
    assert "<script>alert(2)</script>" in page.locator("article").inner_text()
    assert page.locator("article script, article img").count() == 0

    allowed = site.allowed
    page.goto(allowed.url, wait_until="load")
    page.locator("#pressroom-widget .launcher").click()
    page.locator("#pressroom-widget input").fill(question)
    page.locator("#pressroom-widget form button").click()
    page.wait_for_function(
        "() => { const h = document.querySelector('#pressroom-widget');"
        " return h && h.shadowRoot.querySelector('.sources'); }",
        timeout=120_000,
    )
    assert "onerror=alert(1)" in page.locator("#pressroom-widget .log").inner_text()
    page.wait_for_timeout(500)
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_a_javascript_source_url_is_never_a_link(page: Any, server_url: str) -> None:
    ask_in_chat(page, server_url, "How many daily departures does the Lielupe ferry have?")
    assert "6 daily departures" in page.locator("body").inner_text()
    unsafe = "a[href^='javascript' i], a[href^='data:' i], a[href^='vbscript:' i]"
    assert page.locator(unsafe).count() == 0
    href = page.locator("a[href*='/releases/']").first.get_attribute("href")
    page.goto(server_url + str(href), wait_until="load")
    assert "javascript:alert(3)" in page.locator(".meta").inner_text(), "shown as text"
    assert page.locator("article a").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_the_date_filter_is_folded_away_with_real_date_inputs(page: Any, server_url: str) -> None:
    page.goto(server_url + "/", wait_until="load")
    page.get_by_placeholder(QUESTION_PLACEHOLDER).wait_for(timeout=60_000)
    panel = page.get_by_text("Filter by date").first
    assert panel.is_visible()
    start = page.locator("#pressroom-date-from input").first
    assert not start.is_visible(), "collapsed until opened"
    questions = page.get_by_text("What was announced", exact=False)
    assert questions.count() >= 1, "example questions about the newest releases"
    assert all(q.endswith("?") for q in questions.all_inner_texts() if q)
    panel.click()
    start.wait_for(state="visible")
    assert page.locator("#pressroom-date-from button").count() >= 1, "a calendar to pick from"
    start.fill("2025-01-01")
    page.locator("#pressroom-date-to input").first.fill("2025-12-31")
    type_question(page, BUDGET)
    page.wait_for_function(
        "() => ['Sources', 'No answer'].some(t => document.body.innerText.includes(t))",
        timeout=180_000,
    )
    assert "EUR 47.3 million" in page.locator("body").inner_text(), "the 2025 budget"


def test_a_chat_follow_up_is_read_as_in_plain_words(page: Any, server_url: str) -> None:
    ask_in_chat(page, server_url, EEL)
    box = page.locator("#pressroom-question textarea")
    try:
        page.wait_for_function(  # the textbox is disabled while the answer streams
            "() => { const b = document.querySelector('#pressroom-question textarea');"
            " return b && !b.disabled && b.offsetParent !== null; }",
            timeout=120_000,
        )
        box.fill(ABSTAINED)
        box.press("Enter")
        page.get_by_text("Read as a follow-up").first.wait_for(timeout=120_000)
    except Exception:
        shot(page, "follow-up-failed")
        raise
    text = page.locator("body").inner_text()
    assert f"Read as a follow-up to your question “{EEL}”" in text
    assert "Read as: " not in text


def test_widget_says_busy_and_retries_once_when_every_slot_is_taken(
    page: Any, hostile_engine: Engine, site: Sites, serve: Callable[[Any], str]
) -> None:
    from assistant.web.api import build_server
    from assistant.web.overload import Slots

    slots = Slots(running=1, waiting=0)
    settings = Settings.from_env({}, allowed_origins=f"http://127.0.0.1:{site.allowed.port}")
    url = serve(build_server(hostile_engine, settings, slots=slots))
    (site.allowed_dir / "busy.html").write_text(
        f'<!doctype html><html><body><script src="{url}/widget.js" async></script></body></html>',
        encoding="utf-8",
    )
    page.goto(f"http://127.0.0.1:{site.allowed.port}/busy.html", wait_until="load")
    slots.enter()  # another answer holds the only slot
    try:
        page.locator("#pressroom-widget .launcher").click()
        page.locator("#pressroom-widget input").fill("How many glass marbles were in the parcel?")
        page.locator("#pressroom-widget form button").click()
        page.wait_for_function(
            "() => document.querySelector('#pressroom-widget').shadowRoot"
            ".querySelector('.msg.bot').textContent.includes('busy; retrying')",
            timeout=30_000,
        )
    finally:
        slots.leave()  # free before the retry (Retry-After: 1 s)
    page.wait_for_function(
        "() => document.querySelector('#pressroom-widget').shadowRoot.querySelector('.sources')",
        timeout=120_000,
    )
    assert "17" in page.locator("#pressroom-widget .msg.bot").last.inner_text()
