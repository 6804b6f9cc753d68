"""What `pressroom` imports: each command loads only the libraries it uses.

Each command runs in a fresh interpreter (a real `pressroom` process over a real store),
which then reports the modules it had imported. `import sentence_transformers` alone
costs about five seconds (PyTorch), nltk one, gradio three: a command that loads one it
does not need is seconds slower for every user, cron job and CI run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO_ARCHIVE = REPO / "evals" / "corpus"
# The encoder's libraries: none is needed to sync an archive where nothing changed.
ENCODER = {"torch", "transformers", "sentence_transformers", "onnxruntime", "tokenizers"}
# Heavy and never needed to answer one question from a terminal.
NOT_FOR_ASK = {"torch", "transformers", "sentence_transformers", "gradio", "llama_index", "nltk"}

RUN_AND_REPORT = """
import json, runpy, sys
sys.argv = ["pressroom", *sys.argv[1:]]
try:
    runpy.run_module("assistant.cli", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
tops = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "modules": tops}), file=sys.stderr)
"""


def imported_by(*args: str, env: dict[str, str]) -> set[str]:
    """Top-level modules a `pressroom ARGS` process had imported when it finished."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_REPORT, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr
    return set(report["modules"])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A store holding part of the demo archive, ingested by the real command."""
    folder = tmp_path_factory.mktemp("startup")
    archive = folder / "archive"
    archive.mkdir()
    for path in sorted(DEMO_ARCHIVE.glob("2023-*"))[:4]:
        (archive / path.name).write_bytes(path.read_bytes())
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")},
        "PYTHONPATH": str(REPO),
        "HF_HUB_OFFLINE": "1",
        "PRESSROOM_STORE": str(folder / "store"),
        "PRESSROOM_DEVICE": "cpu",
    }
    imported_by("ingest", str(archive), env=env)
    return archive, env


def test_a_sync_with_nothing_changed_loads_no_encoder_nor_chunker(
    store: tuple[Path, dict[str, str]],
) -> None:
    archive, env = store
    loaded = imported_by("ingest", str(archive), env=env)
    assert "chromadb" in loaded, "the check itself is real: the store was opened"
    assert not loaded & (ENCODER | {"llama_index", "nltk", "gradio", "scipy", "bm25s"})


def test_ask_needs_the_store_and_onnx_but_not_torch(store: tuple[Path, dict[str, str]]) -> None:
    _, env = store
    loaded = imported_by("ask", "What did the ministers approve in 2023?", env=env)
    assert {"chromadb", "onnxruntime", "tokenizers"} <= loaded
    assert not loaded & NOT_FOR_ASK


def test_help_imports_nothing_heavy() -> None:
    loaded = imported_by("--help", env={**os.environ, "PYTHONPATH": str(REPO)})
    assert not loaded & (ENCODER | NOT_FOR_ASK | {"chromadb", "pydantic", "numpy"})
