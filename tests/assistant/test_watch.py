"""New releases while serving with the embedded store: `pressroom serve --watch` is the
store's one writer; a `pressroom ingest` beside it is refused at once; releases added,
changed and removed under the watched folder are answered (or gone) within the stated
delay while a client keeps asking, without one failed request."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.watch import Watcher, parse_interval

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "evals" / "corpus"
EVERY_S = 2.0
# The stated delay: a change is answered within one interval plus the sync itself
# (embedding a release and rebuilding BM25; seconds on a busy 2-core machine).
STATED_DELAY_S = EVERY_S + 60


def test_intervals_read_as_seconds() -> None:
    assert parse_interval("10m") == 600
    assert parse_interval("30s") == parse_interval("30") == 30
    assert parse_interval("1.5h") == 5400
    for bad in ("", "0", "-5m", "10 minutes", "m"):
        with pytest.raises(ValueError, match="positive interval"):
            parse_interval(bad)


def test_a_failed_sync_is_tried_again_at_the_next_round() -> None:
    calls: list[int] = []

    def sync_once() -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("archive unreachable")
        return {"added": 0}

    watcher = Watcher(sync_once, every=0.05).start()
    deadline = time.monotonic() + 10
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    watcher.stop()
    assert len(calls) >= 3


def env_for(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env.update(
        PYTHONPATH=str(REPO),
        HF_HUB_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
        PRESSROOM_STORE=str(store),
        PRESSROOM_RATE_LIMIT_PER_MINUTE="0",  # one client asks as fast as it can
    )
    return env


@pytest.fixture
def watched(tmp_path: Path, port_factory: Callable[[], int]) -> Iterator[tuple[str, Path, Path]]:
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("2022-01-19-work-programme-2022.txt", "2024-02-13-morvania-accession.txt"):
        shutil.copy(CORPUS / name, archive / name)
    store = tmp_path / "store"
    port = port_factory()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)),
            *("--watch", str(archive), "--every", f"{EVERY_S:g}s"),
        ],
        cwd=REPO,
        env=env_for(store),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve did not answer in 180 s"
            try:
                health = httpx.get(f"{url}/api/health", timeout=5).json()
                if health["releases"] == 2:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        yield url, archive, store
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def cites(url: str, question: str, release_id: str) -> bool:
    answer = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=60).json()
    return release_id in {c["release_id"] for c in answer["citations"]}


def within(delay: float, condition: Callable[[], bool]) -> float:
    """Seconds until ``condition()`` held; fails past ``delay``."""
    began = time.monotonic()
    while not condition():
        assert time.monotonic() - began < delay, f"not within {delay} s"
        time.sleep(0.5)
    return time.monotonic() - began


def test_releases_reach_a_watching_server_and_an_ingest_beside_it_is_refused(
    watched: tuple[str, Path, Path],
) -> None:
    url, archive, store = watched
    began = time.monotonic()
    refused = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(archive)],
        cwd=REPO,
        env=env_for(store),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2
    assert "a running `pressroom serve` holds the embedded store" in refused.stderr
    assert "pressroom serve --watch ARCHIVE" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert time.monotonic() - began < 60  # at once: start-up only, no waiting for the lock

    errors: list[str] = []
    asked = [0]
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while not stop.is_set():
                response = client.post("/api/ask", json={"question": "What did Morvania do?"})
                asked[0] += 1
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")

    client = threading.Thread(target=keep_asking)
    client.start()
    try:
        added = "2024-04-17-amber-shield-exercise.html"
        shutil.copy(CORPUS / added, archive / added)
        amber = "What was the Amber Shield exercise?"
        within(STATED_DELAY_S, lambda: cites(url, amber, added))

        changed = archive / "2022-01-19-work-programme-2022.txt"
        changed.write_text(
            changed.read_text(encoding="utf-8")
            + "\nThe Commission also opened the Quillwort seed bank for riverside plants.\n",
            encoding="utf-8",
        )
        quillwort = "What is the Quillwort seed bank?"
        within(STATED_DELAY_S, lambda: cites(url, quillwort, changed.name))

        (archive / added).unlink()
        within(STATED_DELAY_S, lambda: not cites(url, amber, added))
        health = httpx.get(f"{url}/api/health", timeout=30).json()
        assert health["releases"] == 2
    finally:
        stop.set()
        client.join(timeout=120)
    assert asked[0] > 0
    assert errors == []
