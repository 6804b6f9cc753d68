"""The one place that keeps the Hugging Face hub offline.

Only vectorstore loads models (the embedder, the reranker), and each calls
:func:`keep_hub_offline` before importing sentence-transformers; the CLI calls it first
thing too, because huggingface_hub reads the variable once, when it is first imported
(gradio imports it). No model or file is fetched at run time unless the caller set
``HF_HUB_OFFLINE=0`` on purpose.
"""

from __future__ import annotations

import os


def keep_hub_offline() -> None:
    """Set ``HF_HUB_OFFLINE=1`` unless the caller chose a value."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
