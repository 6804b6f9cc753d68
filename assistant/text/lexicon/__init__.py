"""The word lists of the answering model, as data: one YAML file each, read once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def lexicon(name: str) -> Any:
    """The parsed ``assistant/text/lexicon/<name>.yaml``."""
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def words(name: str, key: str) -> frozenset[str]:
    """One list of ``<name>.yaml`` as a set."""
    return frozenset(str(w) for w in lexicon(name)[key])
