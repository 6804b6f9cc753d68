"""How many answers are computed at once, and what happens past that.

Answering is CPU work (the encoder, BM25, the claim check): beyond a few at once they only
slow each other down, and every request waits longer. ``Slots`` lets ``running`` answers
be computed at once and ``waiting`` more wait their turn; a request past both is turned
away at once (the API answers 503 with ``Retry-After``; the chat says it is busy and
tries again once), instead of joining a queue that only grows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

# What a turned-away client is told to wait, in seconds: the smallest `Retry-After` there
# is; an answer takes well under that when the server is not overloaded.
RETRY_AFTER_S = 1


class Busy(Exception):
    """Every slot is taken and the wait queue is full."""


class Slots:
    """``running`` answers at once, ``waiting`` more queued; threads block while queued."""

    def __init__(self, running: int, waiting: int) -> None:
        self.running = running
        self.waiting = waiting
        self._active = 0
        self._queued = 0
        self._free = threading.Condition()

    def enter(self) -> None:
        """Take a slot, waiting in the queue when there is room; else raise :class:`Busy`."""
        with self._free:
            if self._active < self.running:
                self._active += 1
                return
            if self._queued >= self.waiting:
                raise Busy(f"{self._active} answers running and {self._queued} waiting")
            self._queued += 1
            try:
                self._free.wait_for(lambda: self._active < self.running)
                self._active += 1
            finally:
                self._queued -= 1

    def leave(self) -> None:
        with self._free:
            self._active -= 1
            self._free.notify()

    @contextmanager
    def held(self) -> Iterator[None]:
        self.enter()
        try:
            yield
        finally:
            self.leave()

    def stats(self) -> dict[str, int]:
        with self._free:
            return {"running": self._active, "waiting": self._queued}
