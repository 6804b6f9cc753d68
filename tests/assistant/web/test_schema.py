"""The published API schema describes what the server really answers: real responses
(an answer, a refusal, health, models, a completion and every streamed chunk) validate
against /openapi.json with jsonschema."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest

from assistant.answering.engine import Engine
from assistant.settings import Settings
from assistant.web.api import build_server

AMBER = "How many vessels took part in AMBER SHIELD 2024?"


@pytest.fixture(scope="module")
def published(demo_engine: Engine, serve_module: Any) -> tuple[str, dict[str, Any]]:
    url = serve_module(build_server(demo_engine, Settings.from_env({})))
    return url, httpx.get(f"{url}/openapi.json").json()


def check(document: dict[str, Any], name: str, instance: Any) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_the_endpoints_name_their_response_models(published: tuple[str, dict[str, Any]]) -> None:
    paths = published[1]["paths"]

    def ok(path: str, method: str) -> dict[str, Any]:
        return paths[path][method]["responses"]["200"]["content"]

    assert ok("/api/ask", "post")["application/json"]["schema"]["$ref"].endswith("/AnswerOut")
    assert ok("/api/health", "get")["application/json"]["schema"]["$ref"].endswith("/HealthOut")
    chat = ok("/v1/chat/completions", "post")
    assert chat["application/json"]["schema"]["$ref"].endswith("/ChatCompletion")
    assert chat["text/event-stream"]["schema"]["$ref"].endswith("/ChatCompletionChunk")


@pytest.mark.parametrize("question", [AMBER, "What did the council decide about Mars colonies?"])
def test_answers_and_refusals_match_the_schema(
    published: tuple[str, dict[str, Any]], question: str
) -> None:
    url, document = published
    answer = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=120).json()
    check(document, "AnswerOut", answer)


def test_health_and_models_match_the_schema(published: tuple[str, dict[str, Any]]) -> None:
    url, document = published
    check(document, "HealthOut", httpx.get(f"{url}/api/health").json())
    check(document, "ModelList", httpx.get(f"{url}/v1/models").json())


def test_completions_and_every_chunk_match_the_schema(
    published: tuple[str, dict[str, Any]],
) -> None:
    url, document = published
    body: dict[str, Any] = {"messages": [{"role": "user", "content": AMBER}]}
    completion = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=120).json()
    check(document, "ChatCompletion", completion)
    with httpx.stream(
        "POST", f"{url}/v1/chat/completions", json={**body, "stream": True}, timeout=120
    ) as response:
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    for event in events[:-1]:
        check(document, "ChatCompletionChunk", json.loads(event))
