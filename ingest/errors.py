"""Errors raised while reading an archive."""

from __future__ import annotations

from pathlib import Path

from pressroom.errors import PressroomError


class IngestError(PressroomError):
    """One file (or one record in it) could not be read; the rest of the archive goes on."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def describe(exc: BaseException) -> str:
    """``PdfReadError: EOF marker not found``: an exception from a parser, for a reason text."""
    message = str(exc).strip() or "no details"
    return f"{type(exc).__name__}: {message}"[:300]
