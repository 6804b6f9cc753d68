"""Ingest progress for a person: a bar with rate and ETA on a terminal, sparse lines in a log.

A log (stderr redirected to a file, a CI job) gets a line when a stage starts, then at most
one every ``interval`` seconds, and one when it ends: carriage-return bars make a mess there.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

STAGES = {"read": ("reading", "files"), "embed": ("embedding", "chunks")}


class ProgressDisplay:
    """An `ingest.sync.Progress` that draws on ``stream``."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        tty: bool | None = None,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._tty = self._stream.isatty() if tty is None else tty
        self._interval = interval
        self._clock = clock
        self._bars: dict[str, Any] = {}
        self._started: dict[str, float] = {}
        self._shown: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if self._tty:
            self._bar(stage, done, total)
        else:
            self._line(stage, done, total)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()

    def _bar(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            label, unit = STAGES.get(stage, (stage, "items"))
            bar = tqdm(
                total=total, desc=label, unit=unit[:-1], file=self._stream, dynamic_ncols=True
            )
            self._bars[stage] = bar
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            del self._bars[stage]

    def _line(self, stage: str, done: int, total: int) -> None:
        now = self._clock()
        label, unit = STAGES.get(stage, (stage, "items"))
        if stage not in self._started or done == 0:
            self._started[stage] = self._shown[stage] = now
            self._print(f"{label} {total} {unit}")
            if done == 0:
                return
        if done < total and now - self._shown[stage] < self._interval:
            return
        self._shown[stage] = now
        elapsed = max(now - self._started[stage], 1e-9)
        rate = done / elapsed
        if done >= total:
            speed = f" ({rate:.1f}/s)" if elapsed >= 0.1 else ""
            self._print(f"{label}: {done}/{total} {unit} in {elapsed:.1f} s{speed}")
        else:
            left = (total - done) / rate if rate > 0 else float("inf")
            self._print(f"{label}: {done}/{total} {unit} ({rate:.1f}/s, about {left:.0f} s left)")

    def _print(self, text: str) -> None:
        print(text, file=self._stream, flush=True)
