"""One writer at a time: the lock a `pressroom ingest` holds on its store.

Readers (`pressroom ask`, `eval`) never take it: Chroma serves reads while a writer
writes. A `pressroom serve` over an embedded store holds it for as long as it runs: another
process's writes into that folder would never reach the server's in-memory vector index,
and questions that find the new chunks fail. That server is then the store's one writer
(`pressroom serve --watch ARCHIVE` syncs the archive in the serving process).

Two ingests into one store would interleave their deletes and adds (a sync replaces
releases and prunes the ones whose files are gone), so the second waits for nobody: it
is refused with a message that names the holder.

- Embedded store: an OS lock (``fcntl.flock``) on ``<store>/ingest.lock``. The OS drops
  it when the process ends, however it ends (even SIGKILL), so it can never go stale.
  The file keeps the holder's pid, host and start time for the message.
- Chroma server: a lease, one record in a small collection on the server, with the
  holder and an expiry. The holder renews it while it works; a holder that dies without
  releasing it blocks other ingests until the lease expires (``LEASE_SECONDS``). Taking
  it relies on Chroma's ``add`` ignoring an id that exists (create-if-absent), and
  taking over an expired lease deletes it only where the old holder still owns it.
  Limits: holders on different machines must have clocks within a few seconds of each
  other, and a holder paused for longer than the lease (a suspended VM) can lose it
  without noticing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

from vectorstore.errors import StoreError

LOCK_FILE = "ingest.lock"
LEASE_COLLECTION = "pressroom_locks"
LEASE_SECONDS = 60.0


SERVER_ROLE = "serve"


class StoreLockedError(StoreError):
    """Another ingest is writing to the store, or a server holds it."""

    def __init__(self, where: str, holder: dict[str, Any]) -> None:
        who = ", ".join(
            f"{key} {holder[key]}" for key in ("pid", "host", "started") if holder.get(key)
        )
        if holder.get("role") == SERVER_ROLE:
            super().__init__(
                f"a running `pressroom serve` holds the embedded store {where} ({who}): "
                "another process's writes would corrupt its view. Let the server take new "
                "releases (`pressroom serve --watch ARCHIVE`), or stop it, ingest, and start "
                "it again, or share a Chroma server (PRESSROOM_CHROMA_URL) between them"
            )
            return
        super().__init__(
            f"another `pressroom ingest` is writing to {where} ({who or 'holder unknown'}); "
            f"one ingest at a time: wait for it to finish, then run this one again"
        )


def _holder(role: str = "ingest") -> dict[str, Any]:
    return {
        "role": role,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


class StoreLock:
    """An exclusive OS file lock on an embedded store folder, held as a context manager;
    ``role`` (``ingest`` or :data:`SERVER_ROLE`) tells a refused process who holds it."""

    def __init__(self, store_dir: Path, role: str = "ingest") -> None:
        self.path = store_dir / LOCK_FILE
        self.role = role
        self._file: Any = None

    def __enter__(self) -> StoreLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            text = handle.read()
            handle.close()
            try:
                holder = json.loads(text)
            except ValueError:
                holder = {}
            raise StoreLockedError(str(self.path.parent), holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(_holder(self.role)))
        handle.flush()
        self._file = handle
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._file is not None:
            self._file.close()  # closing the last descriptor releases the lock
            self._file = None


class LeaseLock:
    """A renewed, expiring lease on a collection of a Chroma server (see the module doc)."""

    def __init__(
        self,
        client: Any,
        collection: str,
        where: str,
        seconds: float = LEASE_SECONDS,
        clock: Any = time.time,
    ) -> None:
        self._locks = client.get_or_create_collection(
            LEASE_COLLECTION, embedding_function=None, metadata={"purpose": "pressroom leases"}
        )
        self.record = f"ingest:{collection}"
        self.where = where
        self.seconds = seconds
        self._clock = clock
        self.owner = uuid.uuid4().hex
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _current(self) -> dict[str, Any] | None:
        found = self._locks.get(ids=[self.record], include=["metadatas"])
        metas = found["metadatas"] or []
        return dict(metas[0]) if metas else None

    def _meta(self) -> dict[str, Any]:
        return {"owner": self.owner, "expires": self._clock() + self.seconds, **_holder()}

    def __enter__(self) -> LeaseLock:
        current = self._current()
        if current is not None and float(current.get("expires", 0)) < self._clock():
            self._locks.delete(ids=[self.record], where={"owner": current["owner"]})
        self._locks.add(ids=[self.record], embeddings=[[0.0]], metadatas=[self._meta()])
        current = self._current()
        if current is None or current.get("owner") != self.owner:
            raise StoreLockedError(self.where, current or {})
        self._renewer = threading.Thread(target=self._renew, daemon=True, name="lease-renewer")
        self._renewer.start()
        return self

    def _renew(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            current = self._current()
            if current is None or current.get("owner") != self.owner:
                return
            self._locks.update(ids=[self.record], metadatas=[self._meta()])

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        self._locks.delete(ids=[self.record], where={"owner": self.owner})
