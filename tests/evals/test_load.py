"""The load script at a small size: a real `pressroom serve` over a `chroma run` server,
chat clients while an ingest runs, every new release answerable, a SIGKILL restart."""

from __future__ import annotations

from pathlib import Path

from evals.load import run, table


def test_load_run_at_a_small_size(tmp_path: Path) -> None:
    summary = run(clients=3, seconds=10, releases=20, workdir=tmp_path)
    assert summary["failed"] == 0, summary["failures"]
    assert summary["requests"] >= 3
    assert summary["ingest"]["added"] == 20 and summary["ingest"]["exit_status"] == 0
    assert summary["answerable"] == {"checked": 20, "missing": {}}
    restart = summary["restart"]
    assert restart["first_answer_ok"] and restart["counts_before"] == restart["counts_after"]
    assert restart["counts_after"]["releases"] == 45 + 20
    assert summary["ok"], table(summary)
