"""Errors raised while reading an archive."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """One file (or one record in it) could not be read; the rest of the archive goes on."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
