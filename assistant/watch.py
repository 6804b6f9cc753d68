"""New releases while serving: the serving process syncs an archive folder every so often.

With the default embedded store a `pressroom serve` is the store's one writer (see
`vectorstore.lock`): `pressroom serve --watch ARCHIVE --every 10m` has it sync ARCHIVE at
start and then every 10 minutes, in a background thread, with the same `sync` as
`pressroom ingest` (new releases added, changed ones replaced, removed ones pruned), and
take up the new BM25 index as soon as the sync ends. Questions are answered throughout.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from assistant.logs import event as log_event

UNITS = {"s": 1, "m": 60, "h": 3600}
INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


def parse_interval(text: str) -> float:
    """``"10m"`` -> 600.0; ``"30s"``, ``"1h"``, or plain seconds (``"90"``)."""
    match = INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"expected a positive interval like 30s, 10m or 1h, got {text!r}")
    return float(match.group(1)) * UNITS[match.group(2) or "s"]


class Watcher:
    """Runs ``sync_once`` now and then every ``every`` seconds in a daemon thread, until
    :meth:`stop`. A failed sync is logged and tried again at the next turn; the server
    keeps answering from what the store had."""

    def __init__(self, sync_once: Callable[[], dict[str, Any]], every: float) -> None:
        self.sync_once = sync_once
        self.every = every
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="watch-sync")

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout=timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                log_event("watch_sync", **self.sync_once())
            except Exception as error:  # keep serving; the next round tries again
                log_event("watch_sync_failed", error=f"{type(error).__name__}: {error}")
            self.rounds += 1
            self._stop.wait(self.every)
