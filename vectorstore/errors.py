"""Errors of the store layer, with messages that say what to do."""

from __future__ import annotations

from pressroom.errors import PressroomError


class StoreError(PressroomError):
    """The vector store cannot be used as asked."""


class EmbedderMismatchError(StoreError):
    """The collection was built with another embedding model than the one in use."""

    def __init__(self, collection: str, stored: str, current: str) -> None:
        super().__init__(
            f"collection {collection!r} was built with embedder {stored}, but this run uses "
            f"{current}; vectors of different models cannot be compared. Rebuild it with "
            f"`pressroom ingest PATH... --rebuild` (drops the collection and embeds the archive "
            f"again), or use another --collection."
        )
