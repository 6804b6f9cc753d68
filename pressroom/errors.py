"""The base of Pressroom's error tree.

Every error a user can cause and fix derives from :class:`PressroomError`: a bad
setting, an unreadable file, a store built with another model, a malformed prompt or
eval suite. Each layer defines its own subclasses next to its code (``StoreError`` in
vectorstore, ``IngestError`` in ingest, ``SettingsError`` in assistant, ``SuiteError``
in evals, ``PromptError`` in prompts). The ``pressroom`` command prints any of them as
one line and exits 2; anything else is a bug, logged with a reference.

A message says what was expected, what was found, and what to do:
``PRESSROOM_TOP_K: expected an integer from 1 to 50, got 'ten'; set it to a number``.
"""

from __future__ import annotations


class PressroomError(Exception):
    """An error the user can fix; its message is meant to be shown as it is."""
