"""The bundled demo archive (package data of ``evals``): `pressroom serve --demo` ingests
it, and the demo suite (datasets/demo.jsonl) asks about it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pressroom.errors import PressroomError


def demo_archive() -> Path:
    """The folder of the demo releases, wherever the package is installed."""
    folder = Path(str(resources.files("evals").joinpath("corpus")))
    if not folder.is_dir():
        raise PressroomError(
            f"expected the demo archive at {folder}, got nothing there; reinstall "
            "Pressroom (`make install`) or ingest an archive of your own"
        )
    return folder
