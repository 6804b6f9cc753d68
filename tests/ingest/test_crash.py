"""A real `pressroom ingest` killed with SIGKILL at ten moments, then run to the end,
leaves the store exactly as one clean ingest does: same chunk ids and texts, no duplicates,
and a BM25 index over it that ranks as over the clean store. A full disk and a read-only
store are clear errors that lose nothing.

The archive is 80 short releases, embedded and written 4 chunks at a time
(PRESSROOM_EMBED_BATCH), so that each killed run leaves some releases written and the rest
not. A kill inside a write is unlikely here (a write is a few ms of each batch);
test_sync.py covers that case deterministically.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from evals.synthetic import write_archive
from ingest.chunking import Chunker
from ingest.sync import sync
from vectorstore.embedder import Embedder
from vectorstore.errors import StoreError
from vectorstore.lexical import LexicalIndex
from vectorstore.store import ChunkStore, open_client

REPO = Path(__file__).resolve().parents[2]
RELEASES = 80
# Seconds after the run starts embedding: the first kill lands before the first batch can
# be written (a process's first encode alone takes longer); nine more at random (seeded)
# moments, which on a fast machine may find the run already finished.
_moments = random.Random(9)
KILL_AFTER_S = (0.05, *(round(_moments.uniform(0.0, 2.0), 2) for _ in range(9)))


def start_ingest(archive: Path, store: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env.update(HF_HUB_OFFLINE="1", PRESSROOM_STORE=str(store), PRESSROOM_EMBED_BATCH="4")
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(archive), "--json"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_once_embedding(process: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL ``delay`` s after the progress line that opens the embed stage; True if the
    process was still running then (False when it had nothing left to embed)."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("embedding "):
            time.sleep(delay)
            break
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return process.returncode == -signal.SIGKILL


def chunks_of(store: ChunkStore) -> dict[str, tuple[str, str, int, int]]:
    found = {}
    for chunk in store.iter_chunks():
        assert chunk.chunk_id not in found, f"duplicate chunk {chunk.chunk_id}"
        found[chunk.chunk_id] = (chunk.text, chunk.content_hash, chunk.start, chunk.end)
    return found


def assert_lexical_in_sync(store: ChunkStore, clean: ChunkStore) -> None:
    """BM25 built from the store indexes exactly its chunks, and ranks as over a clean one."""
    lexical, expected = LexicalIndex(store.iter_chunks()), LexicalIndex(clean.iter_chunks())
    assert sorted(c.chunk_id for c in lexical.chunks) == sorted(chunks_of(store))
    everything = len(expected)
    for query in ("decision reference", "budget million", "monitoring stations"):
        got = {c.chunk_id: round(s, 6) for c, s in lexical.search(query, everything)}
        assert got == {c.chunk_id: round(s, 6) for c, s in expected.search(query, everything)}


def test_sigkill_at_several_moments_then_resume(tmp_path: Path, embedder: Embedder) -> None:
    archive = tmp_path / "archive"
    write_archive(archive, RELEASES, seed=3, paragraphs=0)
    resumed = tmp_path / "resumed"

    kills = [kill_once_embedding(start_ingest(archive, resumed), d) for d in KILL_AFTER_S]
    assert kills[0], f"expected the first run to be killed mid-way, got {kills}"

    final = start_ingest(archive, resumed)
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err
    report = json.loads(out)
    assert report["failed"] == [] and report["duplicates"] == []
    # How much is left to redo depends on the machine's speed (a fast one may finish in
    # the later runs); what matters is the end state, compared below.
    assert len(report["added"]) + len(report["updated"]) + len(report["unchanged"]) == RELEASES

    clean = ChunkStore(open_client(tmp_path / "clean"), "press", embedder)
    clean_report = sync([archive], clean, Chunker(embedder))
    assert clean_report.failed == [] and len(clean_report.added) == RELEASES

    after_crashes = ChunkStore(open_client(resumed), "press", embedder)
    expected, got = chunks_of(clean), chunks_of(after_crashes)
    assert after_crashes.count() == clean.count() == len(expected)
    assert sorted(got) == sorted(expected)
    assert got == expected
    assert set(after_crashes.stored_releases()) == set(clean.stored_releases())
    assert_lexical_in_sync(after_crashes, clean)

    # The BM25 index saved beside the store matches the chunks the killed runs left.
    from vectorstore.lexical_files import current_stamp, load_index

    index = load_index(resumed / "lexical" / "press", current_stamp(after_crashes))
    assert index is not None and sorted(c.chunk_id for c in index.chunks) == sorted(expected)


@contextmanager
def mounted(folder: Path, *options: str) -> Iterator[None]:
    """``mount`` ``folder`` for the test (a tmpfs, a read-only bind); skips where the test
    may not mount (not root, or no mount permission in the container)."""
    if os.environ.get("PRESSROOM_MOUNT_TESTS") != "1":
        # After a full disk, Chroma's Rust core has deadlocked or taken the test process
        # down with it (a lock left held, or a fault on a mapped file): opt in.
        pytest.skip("set PRESSROOM_MOUNT_TESTS=1 to run the full-disk and read-only tests")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *options, str(folder)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_a_clear_error_and_the_rerun_completes(
    tmp_path: Path, embedder: Embedder
) -> None:
    archive = tmp_path / "archive"
    write_archive(archive, 40, seed=2, paragraphs=0)
    disk = tmp_path / "disk"
    # An empty store takes ~180 KiB; 40 one-chunk releases need ~700 KiB.
    with mounted(disk, "-t", "tmpfs", "-o", "size=400k", "tmpfs"):
        store = ChunkStore(open_client(disk / "store"), "press", embedder)
        with pytest.raises(StoreError, match="free space") as error:
            sync([archive], store, Chunker(embedder), batch_chunks=8)
        assert "cannot write to collection 'press'" in str(error.value)
        written = store.count()
        assert 0 < written < 40, "the disk filled up part-way"
        subprocess.run(["mount", "-o", "remount,size=20m", str(disk)], check=True)
        report = sync([archive], store, Chunker(embedder), batch_chunks=8)
        assert report.failed == []

        clean = ChunkStore(open_client(tmp_path / "clean"), "press", embedder)
        sync([archive], clean, Chunker(embedder))
        assert chunks_of(store) == chunks_of(clean)
        assert set(store.stored_releases()) == set(clean.stored_releases())
        assert_lexical_in_sync(store, clean)


def test_a_read_only_store_is_a_clear_error_and_stays_as_it_was(
    tmp_path: Path, embedder: Embedder
) -> None:
    archive = tmp_path / "archive"
    write_archive(archive, 5, seed=4, paragraphs=0)
    folder = tmp_path / "store"
    written = ChunkStore(open_client(folder), "press", embedder)
    sync([archive], written, Chunker(embedder))
    before = chunks_of(written)
    view = tmp_path / "read-only"
    with mounted(view, "--bind", str(tmp_path)):
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        with pytest.raises(StoreError, match="writable") as error:
            ChunkStore(open_client(view / "store"), "press", embedder)
        assert str(view / "store") in str(error.value)
    assert chunks_of(ChunkStore(open_client(folder), "press", embedder)) == before
