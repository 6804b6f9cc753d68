from __future__ import annotations

import io

from assistant.progress import ProgressDisplay


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_log_gets_a_start_line_sparse_updates_and_an_end_line() -> None:
    out, clock = io.StringIO(), Clock()
    display = ProgressDisplay(out, interval=10, clock=clock, tty=False)
    display("read", 0, 3)
    display("read", 3, 3)
    display("embed", 0, 1000)
    for done in range(100, 1000, 100):
        clock.now += 4
        display("embed", done, 1000)
    clock.now += 4
    display("embed", 1000, 1000)
    display("embed", 0, 0)  # a stage with nothing to do says nothing
    assert out.getvalue().splitlines() == [
        "reading 3 files",
        "reading: 3/3 files in 0.0 s",
        "embedding 1000 chunks",
        "embedding: 300/1000 chunks (25.0/s, about 28 s left)",
        "embedding: 600/1000 chunks (25.0/s, about 16 s left)",
        "embedding: 900/1000 chunks (25.0/s, about 4 s left)",
        "embedding: 1000/1000 chunks in 40.0 s (25.0/s)",
    ]


def test_a_terminal_gets_a_bar_with_rate_and_eta() -> None:
    out = io.StringIO()
    display = ProgressDisplay(out, tty=True)
    display("embed", 0, 50)
    display("embed", 20, 50)
    display.close()
    text = out.getvalue()
    assert "embedding" in text and "20/50" in text and "chunk/s" in text
    assert "\r" in text
