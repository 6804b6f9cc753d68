"""A real `pressroom ingest` killed with SIGKILL at several moments, then run to the end,
leaves the store exactly as one clean ingest does: same chunk ids and texts, no duplicates.

The archive is 150 short releases, embedded and written 8 chunks at a time
(PRESSROOM_EMBED_BATCH), so that each killed run leaves some releases written and the rest
not. A kill inside a write is unlikely here (a write is a few ms of each batch);
test_sync.py covers that case deterministically.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from evals.synthetic import write_archive
from ingest.chunking import Chunker
from ingest.sync import sync
from vectorstore.embedder import Embedder
from vectorstore.store import ChunkStore, open_client

REPO = Path(__file__).resolve().parents[2]
RELEASES = 150
# Seconds after the run starts embedding. The first kill lands before the first batch can
# be written (a process's first encode alone takes longer); the later ones land mid-way on
# this 2-core machine and may find the run finished on a faster one.
KILL_AFTER_S = (0.05, 1.0, 0.7)


def start_ingest(archive: Path, store: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env.update(HF_HUB_OFFLINE="1", PRESSROOM_STORE=str(store), PRESSROOM_EMBED_BATCH="8")
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

    # The BM25 index saved beside the store matches the chunks the killed runs left.
    from vectorstore.lexical_files import current_stamp, load_index

    index = load_index(resumed / "lexical" / "press", current_stamp(after_crashes))
    assert index is not None and sorted(c.chunk_id for c in index.chunks) == sorted(expected)
