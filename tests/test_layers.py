"""The layers of docs/architecture.md: evals -> assistant -> ingest -> vectorstore; prompts
is a leaf; ``pressroom`` (the base of the error tree) is below all of them.

A lower layer never imports a higher one, and only vectorstore talks to Chroma and to
sentence-transformers. The CLI (assistant/cli.py) is the composition root and may reach
evals for the `eval` command.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RANK = {"pressroom": -1, "prompts": 0, "vectorstore": 1, "ingest": 2, "assistant": 3, "evals": 4}
ONLY_IN_VECTORSTORE = {"chromadb", "sentence_transformers"}
COMPOSITION_ROOT = Path("assistant/cli.py")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


SOURCES = sorted(p.relative_to(REPO) for layer in RANK for p in (REPO / layer).rglob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=str)
def test_no_module_imports_a_higher_layer(source: Path) -> None:
    layer = source.parts[0]
    imported = imports_of(REPO / source)
    higher = {m for m in imported if m in RANK and RANK[m] > RANK[layer] and m != layer}
    if source == COMPOSITION_ROOT:
        higher.discard("evals")
    if layer == "prompts":
        higher = {m for m in imported if m in RANK and m not in ("prompts", "pressroom")}
    assert not higher, f"{source} imports higher layers {sorted(higher)}"
    if layer != "vectorstore":
        assert not imported & ONLY_IN_VECTORSTORE, (
            f"{source} imports {imported & ONLY_IN_VECTORSTORE}"
        )


def test_global_llama_index_settings_are_never_used() -> None:
    for source in SOURCES:
        text = (REPO / source).read_text(encoding="utf-8")
        assert "llama_index.core import Settings" not in text
        assert "Settings.llm" not in text and "Settings.embed_model" not in text


# What assistant/web/ may use of the engine: its public interface (docs/architecture.md).
ENGINE_INTERFACE = {"ask", "stream", "refresh", "store", "chunks", "answerer_label"}
WEB_SOURCES = [s for s in SOURCES if s.parts[:2] == ("assistant", "web")]


@pytest.mark.parametrize("source", WEB_SOURCES, ids=str)
def test_web_uses_the_engine_only_through_its_public_interface(source: Path) -> None:
    tree = ast.parse((REPO / source).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
        private = node.attr.startswith("_") and not node.attr.startswith("__") and not own
        assert not private, f"{source}:{node.lineno} reads the private attribute {node.attr}"
        if isinstance(node.value, ast.Name) and node.value.id == "engine":
            assert node.attr in ENGINE_INTERFACE, (
                f"{source}:{node.lineno} uses engine.{node.attr}; the web layer may use "
                f"{sorted(ENGINE_INTERFACE)} (add a public method to Engine if it needs more)"
            )


def test_the_engines_public_interface_exists() -> None:
    from assistant.answering.engine import Engine

    missing = {name for name in ENGINE_INTERFACE if not hasattr(Engine, name)}
    assert not missing, f"Engine lacks {sorted(missing)}"
