"""The errors a user can cause and fix: shown as one clear line, never a traceback."""

from __future__ import annotations

from assistant.answering.tuning import TuningError
from assistant.settings import SettingsError
from ingest.errors import IngestError
from prompts import PromptError
from vectorstore.errors import StoreError

USER_ERRORS: tuple[type[Exception], ...] = (
    SettingsError,
    TuningError,
    IngestError,
    StoreError,
    PromptError,
)
