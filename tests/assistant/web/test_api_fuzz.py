"""Random and malformed request bodies against the real API over HTTP: never a 5xx, never
a hang, always a JSON ``detail`` that says what was wrong.

Most generated bodies are invalid and answered by validation in microseconds; the few
valid ones are real questions the engine answers, so the budget is kept small.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.answering.engine import Engine
from assistant.settings import Settings
from assistant.web.api import build_server

MAX_QUESTION = 300
TIMEOUT_S = 60.0

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from(["", " ", "\x00", "x\x00y", "ü" * 500, "💥" * 200, "a" * 20_000])
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)
turn = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant", "system", "bot"]) | values, "content": values}
)
ask_bodies = st.fixed_dictionaries(
    {},
    optional={
        "question": text | values,
        "history": st.lists(turn, max_size=25) | values,
        "date_from": st.sampled_from(["2024-01-01", "2024-13-01", "yesterday", ""]) | values,
        "date_to": st.sampled_from(["2023-12-31", "0000-00-00"]) | values,
        "k": st.integers(-5, 100) | values,
        "extra": values,
    },
)
chat_bodies = st.fixed_dictionaries(
    {},
    optional={
        "model": values,
        "messages": st.lists(turn, max_size=25) | values,
        "stream": st.booleans() | values,
        "temperature": values,
    },
)
raw_bodies = st.binary(max_size=300) | st.sampled_from(
    [b"{", b"[]", b"null", b'{"question": "\xff\xfe"}', b'{"question": 1e999}', b"\x00" * 64]
)


@pytest.fixture(scope="module")
def url(demo_engine: Engine, serve_module: Callable[[Any], str]) -> Iterator[str]:
    config = Settings.from_env(
        {}, rate_limit_per_minute=0, max_question_chars=MAX_QUESTION, max_history_turns=10
    )
    yield serve_module(build_server(demo_engine, config))


def post(url: str, content: bytes) -> httpx.Response:
    return httpx.post(
        url, content=content, headers={"content-type": "application/json"}, timeout=TIMEOUT_S
    )


def problem(response: httpx.Response) -> str | None:
    """What is wrong with the reply to a bad body: a 5xx, or a 4xx without a message."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        try:
            detail = response.json()["detail"]
        except (ValueError, KeyError, TypeError):
            return f"no JSON detail: {response.text[:500]}"
        if not (isinstance(detail, str) and detail) or "Traceback" in response.text:
            return f"unclear detail: {response.text[:500]}"
    return None


FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=ask_bodies)
def test_ask_bodies(url: str, body: dict[str, Any]) -> None:
    response = post(f"{url}/api/ask", json.dumps(body, allow_nan=True).encode())
    assert problem(response) is None, problem(response)


@FUZZ
@given(body=chat_bodies)
def test_chat_bodies(url: str, body: dict[str, Any]) -> None:
    response = post(f"{url}/v1/chat/completions", json.dumps(body, allow_nan=True).encode())
    assert problem(response) is None, problem(response)


@FUZZ
@given(raw=raw_bodies, path=st.sampled_from(["/api/ask", "/v1/chat/completions"]))
def test_raw_bytes(url: str, raw: bytes, path: str) -> None:
    response = post(url + path, raw)
    assert problem(response) is None, problem(response)
