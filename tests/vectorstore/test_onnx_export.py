"""The one-time ONNX export of a model folder: cached, keyed by the weights, hashed."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from vectorstore.embedder import bundled_model_path
from vectorstore.onnx_export import (
    OnnxExportError,
    default_cache_dir,
    export_folder,
    manifest,
    onnx_model,
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_export_is_made_once_and_its_hashes_recorded() -> None:
    model = bundled_model_path()
    first = onnx_model(model, default_cache_dir())
    made = first.stat().st_mtime_ns
    assert onnx_model(model, default_cache_dir()) == first
    assert first.stat().st_mtime_ns == made, "a cached export is not made again"
    recorded = manifest(model, default_cache_dir())
    assert recorded is not None
    assert recorded["weights_sha256"] == sha256(model / "model.safetensors")
    assert recorded["files"]["model.onnx"] == sha256(first)
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")], "no temp files"


def test_changed_weights_get_a_new_export_folder(tmp_path: Path) -> None:
    model = tmp_path / "my-model"
    model.mkdir()
    weights = model / "model.safetensors"
    weights.write_bytes(b"weights")
    before = export_folder(model, tmp_path / "cache")
    os.utime(weights, ns=(1, 1))
    assert export_folder(model, tmp_path / "cache") != before
    assert export_folder(model, tmp_path / "cache").name.startswith("my-model-")


def test_a_folder_without_weights_or_a_failed_export_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OnnxExportError, match=r"no model\.safetensors"):
        onnx_model(tmp_path, tmp_path / "cache")
    broken = tmp_path / "broken"
    shutil.copytree(bundled_model_path(), broken, ignore=shutil.ignore_patterns("*.safetensors"))
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(OnnxExportError, match="cannot export"):
        onnx_model(broken, tmp_path / "cache")
    assert not list((tmp_path / "cache").rglob("*.onnx")), "nothing half-written is left"
