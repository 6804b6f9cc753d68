"""One writer at a time: the OS file lock of an embedded store and the lease on a server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vectorstore.lock import LOCK_FILE, LeaseLock, StoreLock, StoreLockedError
from vectorstore.store import open_client

HOLD = """
import sys, time
from pathlib import Path
from vectorstore.lock import StoreLock
with StoreLock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(600)
"""


def test_second_holder_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    held = f"pid {os.getpid()}, host .*, started 20"
    with StoreLock(tmp_path), pytest.raises(StoreLockedError, match=held):
        StoreLock(tmp_path).__enter__()
    with StoreLock(tmp_path):  # released on exit, taken again
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(StoreLockedError, match=f"pid {holder.pid}"):
            StoreLock(tmp_path).__enter__()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert (tmp_path / LOCK_FILE).exists()
    with StoreLock(tmp_path):  # the OS released it with the process
        pass


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_lease_refuses_a_second_writer_until_it_expires(tmp_path: Path) -> None:
    client = open_client(tmp_path / "store")
    clock = Clock()
    first = LeaseLock(client, "press", "the server", seconds=30, clock=clock).__enter__()
    with pytest.raises(StoreLockedError, match=f"the server \\(pid {os.getpid()}"):
        LeaseLock(client, "press", "the server", seconds=30, clock=clock).__enter__()
    with LeaseLock(client, "other", "the server", seconds=30, clock=clock):
        pass  # another collection has its own lease

    clock.now += 31  # the first holder died without renewing: its lease is taken over
    with LeaseLock(client, "press", "the server", seconds=30, clock=clock) as second:
        first.__exit__(None, None, None)  # a late release must not drop the new lease
        with pytest.raises(StoreLockedError):
            LeaseLock(client, "press", "the server", seconds=30, clock=clock).__enter__()
        assert second.owner != first.owner
    with LeaseLock(client, "press", "the server", seconds=30, clock=clock):
        pass
