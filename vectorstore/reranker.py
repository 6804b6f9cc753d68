"""Optional reranking of retrieved candidates by a sentence-transformers CrossEncoder.

Off by default: no reranker model ships offline. Only this module and the embedder
import sentence-transformers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from vectorstore.errors import StoreError
from vectorstore.offline import keep_hub_offline


class Reranker(Protocol):
    """Scores how well each text answers ``query``; higher is better."""

    def score(self, query: str, texts: Sequence[str]) -> list[float]: ...


class CrossEncoderReranker:
    """A CrossEncoder from a local folder, or a hub name already in the local cache (set
    ``HF_HUB_OFFLINE=0`` to let it download where the network allows)."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        keep_hub_offline()
        from sentence_transformers import CrossEncoder

        self.name = model
        self._batch_size = batch_size
        try:
            self._model = CrossEncoder(
                str(Path(model)) if Path(model).is_dir() else model, device="cpu"
            )
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"cannot load the reranker {model!r} (PRESSROOM_RERANKER): expected a local "
                f"sentence-transformers CrossEncoder folder or a cached hub name: {exc}"
            ) from exc

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        scores = self._model.predict(
            [(query, text) for text in texts],
            batch_size=self._batch_size,
            show_progress_bar=False,
        )
        return [float(s) for s in scores]
