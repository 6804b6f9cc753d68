"""Prompt and message templates, kept as data files beside this module.

Each ``NAME.yaml`` declares ``description``, ``variables`` and ``template`` (Jinja).
Rendering is strict: a missing or an undeclared variable is an error, never an empty
string quietly sent to a user or a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import yaml

from pressroom.errors import PressroomError

_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
)


class PromptError(PressroomError, ValueError):
    """A prompt file is malformed or was rendered with the wrong variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    description: str
    variables: tuple[str, ...]
    template: str

    def render(self, **values: Any) -> str:
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise PromptError(
                f"prompt {self.name!r} declares variables {sorted(self.variables)}; "
                f"missing {sorted(missing)}, undeclared {sorted(extra)}"
            )
        try:
            return _ENV.from_string(self.template).render(**values).strip()
        except jinja2.TemplateError as exc:
            raise PromptError(f"prompt {self.name!r}: {exc}") from exc


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt ``prompts/NAME.yaml``."""
    try:
        raw = resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"no prompt named {name!r} (expected prompts/{name}.yaml)") from None
    data = yaml.safe_load(raw)
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        raise PromptError(f"prompts/{name}.yaml: expected a mapping with a 'template' string")
    variables = data.get("variables") or []
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise PromptError(f"prompts/{name}.yaml: expected 'variables' to be a list of names")
    try:
        _ENV.parse(data["template"])
    except jinja2.TemplateSyntaxError as exc:
        raise PromptError(f"prompts/{name}.yaml: template syntax error: {exc}") from exc
    return Prompt(name, str(data.get("description", "")), tuple(variables), data["template"])
