"""The FOMC suite against the real FOMC archive, through `pressroom eval --check` as a CI job
runs it: a regression here fails the build."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from evals.archives import shared_dir

REPO = Path(__file__).resolve().parents[2]
FOMC = shared_dir() / "data" / "fomc"
SUITE = REPO / "evals" / "datasets" / "fomc.test.jsonl"


@pytest.mark.skipif(not FOMC.is_dir(), reason="../shared/data/fomc is not beside this checkout")
def test_fomc_suite_meets_its_thresholds(tmp_path: Path, embedder: object) -> None:
    from assistant.build import make_chunker, open_store
    from assistant.settings import Settings
    from evals.suite import load_suite
    from ingest.sync import sync

    # Ingested in-process with the session's model; only the eval runs as a command.
    settings = Settings.from_env({}, store=tmp_path / "fomc")
    store = open_store(settings, embedder)  # type: ignore[arg-type]
    report = sync([FOMC], store, make_chunker(settings, store.embedder))
    assert len(report.added) >= 160 and not report.failed
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    junit = tmp_path / "fomc.xml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "eval",
            str(SUITE),
            "--check",
            "--junit",
            str(junit),
        ],
        cwd=REPO,
        env={**env, "HF_HUB_OFFLINE": "1", "PRESSROOM_STORE": str(tmp_path / "fomc")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "eval check passed (evals/thresholds.toml)" in result.stdout
    cases = ET.parse(junit).getroot().findall("testsuite/testcase")
    assert len(cases) == len(load_suite(SUITE)) + 1  # the questions and the thresholds
