"""The structured log lines go to the stderr of the moment."""

from __future__ import annotations

import io
import json
import logging

import pytest

from assistant.logs import CurrentStderr, event, log


def test_lines_go_to_the_current_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = logging.StreamHandler(CurrentStderr())
    log.addHandler(handler)
    monkeypatch.setattr(log, "level", logging.INFO)
    try:
        first, second = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.stderr", first)
        event("one", n=1)
        first.close()  # a former stderr, closed: the next line still has somewhere to go
        monkeypatch.setattr("sys.stderr", second)
        event("two", n=2)
    finally:
        log.removeHandler(handler)
    assert json.loads(second.getvalue().splitlines()[-1]) == {"event": "two", "n": 2}
