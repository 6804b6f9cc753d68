"""Structured logs: one JSON object a line on the ``pressroom`` logger (stderr by default).

A line per HTTP request (method, path, status, duration, client) and per ingest (counts,
timings), so a log shipper can parse them. Secrets never go in: paths are logged without
their query string, and nothing logs headers or settings.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

log = logging.getLogger("pressroom")


class CurrentStderr:
    """``sys.stderr`` as it is when a line is written: whoever swaps it (a test runner's
    capture, a daemon) gets the lines, and a closed former stderr gets none."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure(stream: Any = None) -> None:
    """Send the ``pressroom`` logger's INFO lines to ``stream`` (stderr), once."""
    if any(getattr(h, "pressroom", False) for h in log.handlers):
        return
    handler = logging.StreamHandler(stream or CurrentStderr())
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.pressroom = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def event(name: str, **fields: Any) -> None:
    """Log ``{"event": name, **fields}`` as one JSON line."""
    log.info(json.dumps({"event": name, **fields}, ensure_ascii=False, default=str))
