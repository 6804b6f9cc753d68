"""Shared fixtures: the real embedding model and a real store with the demo archive; and
:func:`make_chunk`, the one way tests write a chunk by hand."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from vectorstore.records import Chunk

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
DEMO_ARCHIVE = REPO / "evals" / "corpus"
DEMO_SUITE = REPO / "evals" / "datasets" / "demo.test.jsonl"
SHARED = REPO.parent / "shared"

# The runs `make test-fast` leaves out (pytest -m "not browser and not crash and not load and
# not e2e"): each marker names the test modules it covers (a new test in them is marked
# too), or single tests as `module::name`.
MARKED_MODULES = {
    "browser": ("tests/assistant/web/test_browser.py",),
    "crash": (
        "tests/ingest/test_crash.py",
        "tests/assistant/web/test_api.py::test_a_stopped_chroma_server_is_a_503_and_recovers",
    ),
    "load": (
        "tests/evals/test_load.py",
        "tests/evals/test_fomc_suite.py",
        "tests/evals/test_lookup.py",
        "tests/evals/test_capacity.py",
        "tests/evals/test_shared_suites.py",
        "tests/ingest/test_archives.py",
    ),
    "e2e": (
        "tests/assistant/test_cli.py",
        "tests/assistant/test_cli_ingest.py::test_one_writer_many_readers",
        "tests/assistant/test_cli_ingest.py::test_server_mode_ingest_and_ask",
        "tests/assistant/test_watch.py",
        "tests/evals/test_nginx.py",
    ),
}


def make_chunk(
    release_id: str,
    text: str,
    *,
    index: int = 0,
    start: int = 0,
    title: str | None = None,
    published: dt.date | None = None,
    place: str | None = None,
    url: str | None = None,
    source_path: str | None = None,
    content_hash: str = "h",
) -> Chunk:
    """A chunk of ``release_id`` holding ``text`` at ``start`` in the release's body (id
    ``RELEASE#NNNN``, English, source ``RELEASE.txt`` unless given)."""
    return Chunk(
        chunk_id=f"{release_id}#{index:04d}",
        release_id=release_id,
        index=index,
        text=text,
        start=start,
        end=start + len(text),
        title=title,
        published=published,
        place=place,
        language="en",
        url=url,
        source_path=source_path if source_path is not None else f"{release_id}.txt",
        content_hash=content_hash,
    )


@pytest.fixture(scope="session")
def embedder() -> object:
    from vectorstore.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, embedder: object) -> Iterator[Path]:
    """A persistent store holding the demo archive, ingested once per test session."""
    from assistant.build import make_chunker, open_store
    from assistant.settings import Settings
    from ingest.sync import sync

    folder = tmp_path_factory.mktemp("demo-store")
    settings = Settings.from_env({}, store=folder)
    store = open_store(settings, embedder)  # type: ignore[arg-type]
    report = sync([DEMO_ARCHIVE], store, make_chunker(settings, store.embedder))
    assert not report.failed, report.summary()
    yield folder


@pytest.fixture(scope="session")
def demo_engine(demo_store: Path, embedder: object) -> object:
    from assistant.build import make_engine, open_store
    from assistant.settings import Settings

    settings = Settings.from_env({}, store=demo_store)
    return make_engine(settings, open_store(settings, embedder))  # type: ignore[arg-type]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_chroma(path: Path) -> tuple[object, str]:
    """Start `chroma run --path PATH` on a free loopback port; ``(process, url)`` once healthy."""
    import shutil
    import subprocess
    import sys
    import time

    import httpx

    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI ships with the chromadb package"
    port = free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("chroma run did not start in 60 s")
        time.sleep(0.2)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` server on loopback, stopped after the test."""
    process, url = start_chroma(tmp_path / "server")
    try:
        yield url
    finally:
        process.terminate()  # type: ignore[attr-defined]
        process.wait(timeout=20)  # type: ignore[attr-defined]


class ServerThread:
    """A real uvicorn server on loopback, in a thread, for one test or module."""

    def __init__(self, app: object, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # proxy_headers=False as in `pressroom serve`: the app reads them itself, from
        # PRESSROOM_TRUSTED_PROXIES only.
        config = uvicorn.Config(
            app,  # type: ignore[arg-type]
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            proxy_headers=False,
        )
        self.server = uvicorn.Server(config)
        import threading

        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start in 30 s"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _serving() -> Iterator[object]:
    servers: list[ServerThread] = []

    def start(app: object) -> str:
        server = ServerThread(app).__enter__()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.__exit__()


@pytest.fixture
def serve() -> Iterator[object]:
    """``serve(app) -> url``: runs the ASGI app on a free loopback port until the test ends."""
    yield from _serving()


@pytest.fixture(scope="module")
def serve_module() -> Iterator[object]:
    """Like ``serve``, for servers shared by a test module."""
    yield from _serving()


@pytest.fixture(scope="session")
def port_factory() -> object:
    return free_port


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of MARKED_MODULES get their marker; tests marked ``slow`` run only with
    PRESSROOM_SLOW_TESTS=1."""
    for item in items:
        path = Path(str(item.path)).resolve().relative_to(REPO).as_posix()
        test = f"{path}::{getattr(item, 'originalname', item.name)}"
        for marker, modules in MARKED_MODULES.items():
            if path in modules or test in modules:
                item.add_marker(getattr(pytest.mark, marker))
    if os.environ.get("PRESSROOM_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set PRESSROOM_SLOW_TESTS=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
