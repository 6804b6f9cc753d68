"""A sentence-transformers model folder exported once to ONNX, cached with its hashes.

The export needs PyTorch, ``transformers`` and ``onnx``; it runs once per model (a few
seconds), and every later start only opens the cached file with ONNX Runtime, which
imports in a tenth of a second where PyTorch takes five.

Layout of ``cache_dir``::

    <model label>-<key>/model.onnx        the transformer (ids -> last hidden state)
    <model label>-<key>/model.int8.onnx   the same, weights quantised to int8 (on demand)
    <model label>-<key>/manifest.json     what it was made from, and the files' sha256

``key`` hashes the model folder's path and its weight file's size and modification
time, so a changed model gets a new export without hashing 90 MB at every start; the
manifest records the full sha256 of the weights and of each export, checked when made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any

log = logging.getLogger("pressroom")

# Bump when the way the graph is exported changes: older exports are then made again.
EXPORT_VERSION = 2
# Operator set of the export; ONNX Runtime 1.32 runs up to 21.
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class OnnxExportError(RuntimeError):
    """The model folder cannot be exported to ONNX (no weights, or the export failed)."""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/pressroom/onnx`` (``~/.cache/pressroom/onnx``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pressroom" / "onnx"


def weights_file(model_dir: Path) -> Path:
    for name in WEIGHT_FILES:
        if (model_dir / name).is_file():
            return model_dir / name
    raise OnnxExportError(f"{model_dir} has no {' or '.join(WEIGHT_FILES)} to export")


def export_folder(model_dir: Path, cache_dir: Path) -> Path:
    """Where the export of ``model_dir`` lives in ``cache_dir`` (made or not)."""
    weights = weights_file(model_dir)
    info = weights.stat()
    key = hashlib.sha256(
        f"{model_dir.resolve()}|{info.st_size}|{info.st_mtime_ns}|{EXPORT_VERSION}".encode()
    ).hexdigest()[:16]
    label = model_dir.parent.name if model_dir.name == "model" else model_dir.name
    return cache_dir / f"{label}-{key}"


def onnx_model(model_dir: Path, cache_dir: Path, *, int8: bool = False) -> Path:
    """The cached ONNX file of ``model_dir`` (int8 weights if asked), exported if absent."""
    folder = export_folder(model_dir, cache_dir)
    target = folder / ("model.int8.onnx" if int8 else "model.onnx")
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model.onnx"
    if not fp32.is_file():
        log.info("exporting the embedding model %s to ONNX (once) in %s", model_dir, folder)
        _atomically(fp32, lambda tmp: _export(model_dir, tmp))
    if int8:
        _atomically(target, lambda tmp: _quantize(fp32, tmp))
    _record(folder, model_dir)
    return target


def _atomically(target: Path, make: Any) -> None:
    """Run ``make(tmp)`` then move ``tmp`` onto ``target``: readers never see half a file."""
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    try:
        make(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _export(model_dir: Path, out: Path) -> None:
    """Export the transformer of ``model_dir`` (last hidden state) with dynamic shapes.

    Eager attention is exported (not PyTorch's fused SDPA), so that ONNX Runtime's
    optimiser recognises the attention blocks and fuses them. The model is wrapped so
    its inputs are passed by keyword (transformers 5 rejects them positionally).
    """
    try:
        import torch
        from onnxruntime.transformers import optimizer
        from transformers import AutoConfig, AutoModel
    except ImportError as exc:
        raise OnnxExportError(f"exporting to ONNX needs torch, transformers, onnx: {exc}") from exc

    import warnings

    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    warnings.filterwarnings("ignore", module=r"torch\.onnx|transformers")
    try:
        config = AutoConfig.from_pretrained(str(model_dir))
        model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    except Exception as exc:  # unreadable weights raise safetensors' own error, among others
        raise OnnxExportError(f"cannot export {model_dir} to ONNX: {exc}") from exc
    takes_types = getattr(config, "type_vocab_size", 0) > 0

    class Wrapper(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            extra = {"token_type_ids": token_type_ids} if takes_types else {}
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, **extra
            ).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, "last_hidden_state")}
    raw = out.with_name(out.name + ".raw")
    try:
        with torch.inference_mode():
            torch.onnx.export(
                Wrapper(model),
                (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(raw),
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes=dynamic,
                opset_version=OPSET,
                dynamo=False,
            )
        model_type = config.model_type if config.model_type in ("bert", "roberta") else "bert"
        optimised = optimizer.optimize_model(
            str(raw),
            model_type=model_type,
            num_heads=int(getattr(config, "num_attention_heads", 0)),
            hidden_size=int(getattr(config, "hidden_size", 0)),
        )
        optimised.save_model_to_file(str(out))
    except Exception as exc:  # the exporter raises many kinds; all mean "no ONNX here"
        raise OnnxExportError(f"cannot export {model_dir} to ONNX: {exc}") from exc
    finally:
        raw.unlink(missing_ok=True)


def _quantize(fp32: Path, out: Path) -> None:
    """Dynamic int8 quantisation of the weights (activations stay float)."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The fused graph has operators (Attention, SkipLayerNormalization) that ONNX's shape
    # inference cannot type: their outputs are float.
    quantize_dynamic(
        str(fp32),
        str(out),
        weight_type=QuantType.QInt8,
        # One scale per output channel: per-tensor scales cost 0.06 of cosine to fp32
        # on the demo releases (min 0.93), per channel 0.01.
        per_channel=True,
        extra_options={"DefaultTensorType": TensorProto.FLOAT},
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _record(folder: Path, model_dir: Path) -> None:
    weights = weights_file(model_dir)
    manifest = {
        "model": str(model_dir.resolve()),
        "weights": weights.name,
        "weights_sha256": _sha256(weights),
        "export_version": EXPORT_VERSION,
        "opset": OPSET,
        "files": {p.name: _sha256(p) for p in sorted(folder.glob("*.onnx"))},
    }
    tmp = folder / f".manifest.{uuid.uuid4().hex}"
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")


def manifest(model_dir: Path, cache_dir: Path) -> dict[str, Any] | None:
    """The recorded manifest of ``model_dir``'s export, or None if there is none yet."""
    try:
        path = export_folder(model_dir, cache_dir) / "manifest.json"
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, OnnxExportError):
        return None
    return found if isinstance(found, dict) else None
