"""The FOMC suite against the real FOMC archive: a regression here fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.runner import check_thresholds, run_suite

REPO = Path(__file__).resolve().parents[2]
FOMC = REPO.parent / "shared" / "data" / "fomc"


@pytest.mark.skipif(not FOMC.is_dir(), reason="../shared/data/fomc is not beside this checkout")
def test_fomc_suite_meets_its_thresholds(tmp_path: Path, embedder: object) -> None:
    from assistant.build import make_chunker, make_engine, open_store
    from assistant.settings import Settings
    from ingest.sync import sync

    settings = Settings.from_env({}, store=tmp_path / "fomc")
    store = open_store(settings, embedder)  # type: ignore[arg-type]
    report = sync([FOMC], store, make_chunker(settings, store.embedder))
    assert len(report.added) >= 160 and not report.failed
    result = run_suite(make_engine(settings, store), REPO / "evals" / "datasets" / "fomc.jsonl")
    misses = check_thresholds([result], REPO / "evals" / "thresholds.toml")
    assert misses == [], "\n".join(misses)
