"""The HTTP API over real HTTP: ask, OpenAI-compatible chat, health, viewer, widget,
and who may call it (origins, tokens, rate limits, bad requests)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from assistant.api import build_server
from assistant.engine import Engine
from assistant.security import sign_widget_token
from assistant.settings import Settings

Serve = Callable[[Any], str]


def server(engine: Engine, serve: Serve, chat: bool = False, **settings: Any) -> str:
    from assistant.app import build_app

    app = build_server(
        engine, Settings.from_env({}, **settings), chat=build_app(engine) if chat else None
    )
    return serve(app)


def test_ask_returns_the_answer_json_with_viewer_links(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    response = httpx.post(
        f"{url}/api/ask",
        json={"question": "Which city hosted the 2024 annual ministerial meeting?"},
    )
    assert response.status_code == 200
    data = response.json()
    assert "Helsinki" in data["answer"] and data["refused"] is False
    assert data["interpreted"]["date_from"] == "2024-01-01"
    citation = data["citations"][0]
    assert citation["viewer"].startswith("/releases/") and citation["viewer"].endswith("#cite")
    page = httpx.get(url + citation["viewer"].split("#")[0])
    assert page.status_code == 200
    assert '<mark id="cite">' in page.text
    assert citation["quote"].split()[0] in page.text.split('<mark id="cite">')[1]


def test_follow_up_keeps_the_date_window(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    body = {
        "question": "Who chaired it?",
        "history": [
            {
                "role": "user",
                "content": "What did the ministers decide at the 2023 ministerial meeting?",
            }
        ],
    }
    data = httpx.post(f"{url}/api/ask", json=body).json()
    assert data["interpreted"]["date_from"] == "2023-01-01"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 422, "question"),
        ({"question": ""}, 422, "question"),
        ({"question": "   "}, 422, "whitespace"),
        ({"question": 42}, 422, "question"),
        ({"question": "x", "date_from": "last year"}, 422, "date_from"),
        ({"question": "x", "history": "not a list"}, 422, "history"),
        ({"question": "x", "surprise": 1}, 422, "surprise"),
        ({"question": "x" * 5000}, 413, "2000 characters"),
        ({"question": "x", "history": [{"role": "user", "content": "y"}] * 21}, 422, "20 turns"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(
    demo_engine: Engine, serve: Serve, body: dict[str, Any], status: int, message: str
) -> None:
    url = server(demo_engine, serve)
    response = httpx.post(f"{url}/api/ask", json=body)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert "Traceback" not in response.text


def test_malformed_json_and_huge_body_are_refused(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    broken = httpx.post(
        f"{url}/api/ask", content=b'{"question": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422 and "JSON" in broken.json()["detail"]
    huge = httpx.post(f"{url}/api/ask", json={"question": "x" * 1_000_000})
    assert huge.status_code == 413


def test_health_reports_the_store(demo_engine: Engine, serve: Serve) -> None:
    data = httpx.get(f"{server(demo_engine, serve)}/api/health").json()
    assert data["status"] == "ok" and data["store_reachable"] is True
    assert data["releases"] == 45 and data["chunks"] > 45


def test_openai_compatible_chat_non_streaming(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    body = {
        "model": "pressroom",
        "messages": [
            {"role": "user", "content": "How many vessels took part in AMBER SHIELD 2024?"}
        ],
    }
    data = httpx.post(f"{url}/v1/chat/completions", json=body).json()
    assert data["object"] == "chat.completion" and data["model"] == "pressroom"
    content = data["choices"][0]["message"]["content"]
    assert "14 vessels" in content and "[" in content
    assert data["citations"] and data["citations"][0]["n"] >= 1


def test_openai_compatible_chat_streams_server_sent_events(
    demo_engine: Engine, serve: Serve
) -> None:
    url = server(demo_engine, serve)
    body = {
        "messages": [
            {"role": "user", "content": "How many vessels took part in AMBER SHIELD 2024?"}
        ],
        "stream": True,
    }
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "14 vessels" in text
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["citations"]
    assert len(chunks) > 5, "streamed in pieces"


def test_the_openai_client_library_works(demo_engine: Engine, serve: Serve) -> None:
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(
        base_url=f"{server(demo_engine, serve)}/v1", api_key="unused", max_retries=0
    )
    completion = client.chat.completions.create(
        model="pressroom",
        messages=[
            {
                "role": "user",
                "content": "Which member state voted against suspending glass eel exports?",
            }
        ],
    )
    assert "Holmeria" in (completion.choices[0].message.content or "")
    stream = client.chat.completions.create(
        model="pressroom",
        stream=True,
        messages=[
            {
                "role": "user",
                "content": "Which member state voted against suspending glass eel exports?",
            }
        ],
    )
    assert "Holmeria" in "".join(chunk.choices[0].delta.content or "" for chunk in stream)


def test_origins_cors_and_server_side(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve, allowed_origins="http://intranet.example:8080")
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    ok = httpx.options(
        f"{url}/api/ask", headers={"Origin": "http://intranet.example:8080", **preflight}
    )
    assert ok.headers.get("access-control-allow-origin") == "http://intranet.example:8080"
    bad = httpx.options(f"{url}/api/ask", headers={"Origin": "http://evil.example", **preflight})
    assert "access-control-allow-origin" not in bad.headers
    refused = httpx.post(
        f"{url}/api/ask", json={"question": "x"}, headers={"Origin": "http://evil.example"}
    )
    assert refused.status_code == 403 and "PRESSROOM_ALLOWED_ORIGINS" in refused.json()["detail"]
    same = httpx.post(
        f"{url}/api/ask",
        json={"question": "Who chaired the 2025 ministerial meeting?"},
        headers={"Origin": url},
    )
    assert same.status_code == 200


def test_token_is_required_when_configured(demo_engine: Engine, serve: Serve) -> None:
    secret = "s3cret-token-value"
    url = server(demo_engine, serve, api_token=secret)
    question = {"question": "Who chaired the 2025 ministerial meeting?"}
    missing = httpx.post(f"{url}/api/ask", json=question)
    assert missing.status_code == 401 and secret not in missing.text
    wrong = httpx.post(f"{url}/api/ask", json=question, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert (
        httpx.post(
            f"{url}/api/ask", json=question, headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 200
    )
    widget_token = sign_widget_token(secret, ttl_seconds=60)
    assert (
        httpx.post(
            f"{url}/api/ask", json=question, headers={"Authorization": f"Bearer {widget_token}"}
        ).status_code
        == 200
    )
    expired = sign_widget_token(secret, ttl_seconds=-1)
    assert (
        httpx.post(
            f"{url}/api/ask", json=question, headers={"Authorization": f"Bearer {expired}"}
        ).status_code
        == 401
    )
    forged = sign_widget_token("another secret", ttl_seconds=60)
    assert (
        httpx.post(
            f"{url}/api/ask", json=question, headers={"Authorization": f"Bearer {forged}"}
        ).status_code
        == 401
    )
    chat = httpx.post(
        f"{url}/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]}
    )
    assert chat.status_code == 401
    assert httpx.get(f"{url}/api/health").status_code == 200


def test_rate_limit_answers_429_with_retry_after(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve, rate_limit_per_minute=2)
    question = {"question": "Who chaired the 2025 ministerial meeting?"}
    statuses = [httpx.post(f"{url}/api/ask", json=question) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert int(statuses[-1].headers["retry-after"]) >= 1


def test_release_viewer_rejects_unknown_and_traversal(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    assert httpx.get(f"{url}/releases/nope.txt").status_code == 404
    assert httpx.get(f"{url}/releases/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert "root:" not in httpx.get(f"{url}/releases/../../etc/passwd").text


def test_widget_script_and_docs_are_served(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    script = httpx.get(f"{url}/widget.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "attachShadow" in script.text and "innerHTML" not in script.text
    assert httpx.get(f"{url}/docs").status_code == 200
    assert "/api/ask" in httpx.get(f"{url}/openapi.json").json()["paths"]


def test_gradio_api_stays_usable_on_the_mounted_server(demo_engine: Engine, serve: Serve) -> None:
    from gradio_client import Client

    url = server(demo_engine, serve, chat=True)
    reply = Client(url + "/", verbose=False).predict(
        "Who chaired the 2025 ministerial meeting?", "", "", api_name="/chat"
    )
    assert "Sofia Brandell" in reply


def test_ask_with_a_source_filter(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    body = {"question": "Basin Health Index reading", "sources": ["feeds/"]}
    data = httpx.post(f"{url}/api/ask", json=body).json()
    assert data["interpreted"]["sources"] == ["feeds/"]
    assert data["citations"]
    assert all(c["release_id"].startswith("feeds/") for c in data["citations"])
