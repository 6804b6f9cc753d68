"""The HTTP API over real HTTP: ask, OpenAI-compatible chat, health, viewer, widget,
and who may call it (origins, tokens, rate limits, bad requests)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from assistant.answering.engine import Engine
from assistant.settings import Settings
from assistant.web.api import build_server
from assistant.web.security import sign_widget_token

Serve = Callable[[Any], str]
# The tests' own questions: no question of an eval suite is asked (CONTRIBUTING.md).
CITY_2024 = "In which city did ministers gather for their annual meeting in 2024?"
CHAIR_2025 = "Who was in the chair at the Annual Ministerial Meeting in 2025?"
EEL = "Which member state cast the vote against suspending the export of glass eels?"


def server(engine: Engine, serve: Serve, chat: bool = False, **settings: Any) -> str:
    from assistant.web.app import build_app

    app = build_server(
        engine, Settings.from_env({}, **settings), chat=build_app(engine) if chat else None
    )
    return serve(app)


def test_ask_returns_the_answer_json_with_viewer_links(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    response = httpx.post(
        f"{url}/api/ask",
        json={"question": CITY_2024},
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
                "content": "Which decisions did ministers take at their 2023 meeting?",
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
    eel = [
        {
            "role": "user",
            "content": EEL,
        }
    ]
    completion = client.chat.completions.create(model="pressroom", messages=eel)
    assert "Holmeria" in (completion.choices[0].message.content or "")
    stream = client.chat.completions.create(model="pressroom", stream=True, messages=eel)
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    assert "Holmeria" in streamed
    # A generic client drops `citations`: the content itself ends with what [n] means.
    for content in (completion.choices[0].message.content or "", streamed):
        text, _, sources = content.partition("\n\nSources:\n")
        assert "[1]" in text and sources.startswith("[1] ")
        assert "/releases/" in sources and sources.split()[-1].startswith("http://")
    bare = client.chat.completions.create(model="pressroom-bare", messages=eel)
    assert "Holmeria" in (bare.choices[0].message.content or "")
    assert "Sources:" not in (bare.choices[0].message.content or "")
    assert bare.model == "pressroom-bare"
    assert {m.id for m in client.models.list()} == {"pressroom", "pressroom-bare"}


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
        json={"question": CHAIR_2025},
        headers={"Origin": url},
    )
    assert same.status_code == 200


def test_token_is_required_when_configured(demo_engine: Engine, serve: Serve) -> None:
    secret = "s3cret-token-value"
    url = server(demo_engine, serve, api_token=secret)
    question = {"question": CHAIR_2025}
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


def test_rate_limit_answers_429_with_retry_after(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve, rate_limit_per_minute=2)
    question = {"question": CHAIR_2025}
    statuses = [httpx.post(f"{url}/api/ask", json=question) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert int(statuses[-1].headers["retry-after"]) >= 1


TRAVERSALS = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2E%2E/%2E%2E/etc/passwd",
    "..%252F..%252Fetc%252Fpasswd",
    "..%5c..%5cetc%5cpasswd",
    "%2Fetc%2Fpasswd",
    "....//....//etc/passwd",
    "..%c0%af..%c0%afetc%c0%afpasswd",
    "2024%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "nope.txt%00.html",
]


def test_release_viewer_rejects_unknown_and_traversal(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    assert httpx.get(f"{url}/releases/nope.txt").status_code == 404
    for form in TRAVERSALS:
        response = httpx.get(f"{url}/releases/{form}")
        assert response.status_code in (400, 404), (form, response.status_code)
        assert "root:" not in response.text and "Traceback" not in response.text
    dotted = httpx.get(f"{url}/releases/..%2F..%2Fetc%2Fpasswd")
    assert dotted.status_code == 400 and "not a release id" in dotted.json()["detail"]


def test_no_route_takes_a_path_to_ingest(demo_engine: Engine, serve: Serve) -> None:
    """Ingesting is the command line's job: the API has no route that reads a path."""
    paths = httpx.get(f"{server(demo_engine, serve)}/openapi.json").json()["paths"]
    assert sorted(paths) == [
        "/api/ask",
        "/api/health",
        "/releases/{release_id}",
        "/v1/chat/completions",
        "/v1/models",
        "/widget.js",
    ]


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
    reply, copied = Client(url + "/", verbose=False).predict(CHAIR_2025, "", "", api_name="/chat")
    assert "Sofia Brandell" in reply and "Sofia Brandell" in copied


def test_every_route_needs_the_token_when_set(demo_engine: Engine, serve: Serve) -> None:
    secret = "s3cret-token-value"
    url = server(demo_engine, serve, api_token=secret)
    question = {"question": "How many vessels took part in AMBER SHIELD 2024?"}
    chat = {"messages": [{"role": "user", "content": question["question"]}]}
    calls = [
        ("POST", "/api/ask", question),
        ("POST", "/v1/chat/completions", chat),
        ("POST", "/v1/chat/completions", {**chat, "stream": True}),
        ("GET", "/api/health", None),
        ("GET", "/v1/models", None),
        ("GET", "/releases/2024-04-17-amber-shield-exercise.html", None),
    ]
    for method, path, body in calls:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}):
            response = httpx.request(method, url + path, json=body, headers=headers)
            assert response.status_code == 401, (path, headers, response.status_code)
            assert secret not in response.text
    expired = sign_widget_token(secret, ttl_seconds=-1)
    release = "/releases/2024-04-17-amber-shield-exercise.html"
    assert httpx.get(f"{url}{release}?token={expired}").status_code == 401

    auth = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(f"{url}/api/health", headers=auth).status_code == 200
    data = httpx.post(f"{url}/api/ask", json=question, headers=auth).json()
    link = data["citations"][0]["viewer"]
    assert "token=w1." in link and secret not in link
    page = httpx.get(url + link.split("#")[0])
    assert page.status_code == 200 and '<mark id="cite">' in page.text
    assert httpx.get(url + link.split("?")[0]).status_code == 401
    assert httpx.get(f"{url}/widget.js").status_code == 200, "the script itself is public"


def test_a_chunked_body_over_the_limit_is_refused(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve, max_request_bytes=4096)

    def body() -> Any:
        yield b'{"question": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    response = httpx.post(
        f"{url}/api/ask", content=body(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and "4096 bytes" in response.json()["detail"]


def test_the_chat_asks_for_a_login_with_pressroom_auth(demo_engine: Engine, serve: Serve) -> None:
    from gradio_client import Client

    url = server(demo_engine, serve, chat=True, auth="editor:pw-0f-the-chat")
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a bare ValueError
        Client(url + "/", verbose=False)
    bad = httpx.post(f"{url}/login", data={"username": "editor", "password": "guess"})
    assert bad.status_code == 400
    reply, _ = Client(url + "/", auth=("editor", "pw-0f-the-chat"), verbose=False).predict(
        CHAIR_2025, "", "", api_name="/chat"
    )
    assert "Sofia Brandell" in reply


def test_one_json_log_line_per_request_and_no_secret_anywhere(
    demo_engine: Engine, serve: Serve, caplog: pytest.LogCaptureFixture, port_factory: Any
) -> None:
    from assistant.build import make_checker, make_writer

    secrets = {
        "api_token": "tok-7f3a9c1d-api",
        "llm_api_key": "sk-llm-key-5e2b8d",
        "auth": "editor:pw-9d8c7b-chat",
    }
    # An LLM server that is not there: the answer falls back, and the failure is logged.
    config = Settings.from_env(
        {}, llm_url=f"http://127.0.0.1:{port_factory()}/v1", llm_model="m", **secrets
    )
    checker = make_checker(config, demo_engine.answerer.embedder, demo_engine.answerer.lexical)
    engine = Engine(demo_engine.retriever, demo_engine.answerer, 5, checker, make_writer(config))
    from assistant.web.app import build_app

    url = serve(build_server(engine, config, chat=build_app(engine, secrets["api_token"])))
    auth = {"Authorization": f"Bearer {secrets['api_token']}"}
    caplog.set_level("INFO")
    responses = [
        httpx.post(f"{url}/api/ask", json={"question": "Who chaired it?"}),
        httpx.post(
            f"{url}/api/ask",
            json={"question": "How many vessels took part in AMBER SHIELD 2024?"},
            headers=auth,
            timeout=120,
        ),
        httpx.post(f"{url}/api/ask", content=b"{", headers=auth),
        httpx.get(f"{url}/releases/nope?token={secrets['api_token']}"),
        httpx.get(f"{url}/"),
    ]
    answer = responses[1].json()
    assert answer["note"], "the LLM was unreachable, and the answer says so"
    # Everything the server side logged (not this test's own HTTP client) and answered.
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.name != "httpx"
    )
    seen = logged + "".join(r.text + str(r.headers) for r in responses)
    for name, value in secrets.items():
        assert value not in seen, f"{name} leaked"
    assert "pw-9d8c7b-chat" not in seen
    lines = [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "pressroom" and r.getMessage().startswith('{"event": "request"')
    ]
    by_path = {(line["method"], line["path"], line["status"]) for line in lines}
    assert {
        ("POST", "/api/ask", 401),
        ("POST", "/api/ask", 200),
        ("POST", "/api/ask", 422),
    } <= by_path
    assert ("GET", "/releases/nope", 404) in by_path
    assert all(line["ms"] >= 0 and line["client"] == "127.0.0.1" for line in lines)


def test_a_stopped_chroma_server_is_a_503_and_recovers(
    tmp_path: Any, embedder: Any, serve: Serve, port_factory: Any
) -> None:
    """Server mode: `chroma run` stops under a running Pressroom, then comes back."""
    import time
    from pathlib import Path

    from assistant.build import make_chunker, make_engine, open_store
    from evals.load import start_chroma
    from ingest.sync import sync

    demo = Path(__file__).resolve().parents[3] / "evals" / "corpus"
    port = port_factory()
    chroma = start_chroma(tmp_path / "chroma", port)
    try:
        config = Settings.from_env({}, chroma_url=f"http://127.0.0.1:{port}")
        store = open_store(config, embedder)
        sync(
            [demo / "2024-04-17-amber-shield-exercise.html"], store, make_chunker(config, embedder)
        )
        url = serve(build_server(make_engine(config, store), config))
        question = {"question": "How many vessels took part in AMBER SHIELD 2024?"}
        first = httpx.post(f"{url}/api/ask", json=question, timeout=120)
        assert "14 vessels" in first.json()["answer"]

        chroma.terminate()
        chroma.wait(timeout=30)
        began = time.monotonic()
        down = httpx.post(f"{url}/api/ask", json=question, timeout=60)
        assert time.monotonic() - began < 30, "no hang"
        assert down.status_code == 503 and "cannot be reached" in down.json()["detail"]
        assert down.headers["retry-after"] == "5"
        health = httpx.get(f"{url}/api/health", timeout=60)
        assert health.status_code == 503 and health.json()["store_reachable"] is False
        stream = httpx.post(
            f"{url}/v1/chat/completions",
            json={"messages": [{"role": "user", "content": question["question"]}], "stream": True},
            timeout=60,
        )
        assert stream.status_code == 503

        chroma = start_chroma(tmp_path / "chroma", port)
        back = httpx.post(f"{url}/api/ask", json=question, timeout=120)
        assert back.status_code == 200 and "14 vessels" in back.json()["answer"]
        assert httpx.get(f"{url}/api/health").json()["store_reachable"] is True
    finally:
        chroma.terminate()
        chroma.wait(timeout=30)


def test_ask_with_a_source_filter(demo_engine: Engine, serve: Serve) -> None:
    url = server(demo_engine, serve)
    body = {"question": "Basin Health Index reading", "sources": ["feeds/"]}
    data = httpx.post(f"{url}/api/ask", json=body).json()
    assert data["interpreted"]["sources"] == ["feeds/"]
    assert data["citations"]
    assert all(c["release_id"].startswith("feeds/") for c in data["citations"])


def post_from(source: str, url: str, **kwargs: Any) -> httpx.Response:
    """A POST from loopback address ``source`` (a client of its own)."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source)) as client:
        return client.post(url, timeout=60, **kwargs)


def test_behind_a_trusted_proxy_each_user_has_their_own_limit_and_log_line(
    demo_engine: Engine, serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    url = server(demo_engine, serve, rate_limit_per_minute=2, trusted_proxies="127.0.0.2")
    caplog.set_level("INFO")
    question = {"question": CHAIR_2025}

    def through_proxy(user: str) -> int:
        headers = {"X-Forwarded-For": user}
        return post_from("127.0.0.2", f"{url}/api/ask", json=question, headers=headers).status_code

    assert [through_proxy("10.1.0.1") for _ in range(3)] == [200, 200, 429]
    assert [through_proxy("10.1.0.2") for _ in range(2)] == [200, 200]  # another person
    # Not the proxy: its X-Forwarded-For is ignored, the address it comes from counts.
    forged = {"X-Forwarded-For": "10.1.0.3"}
    spoofing = [
        post_from("127.0.0.3", f"{url}/api/ask", json=question, headers=forged).status_code
        for _ in range(3)
    ]
    assert spoofing == [200, 200, 429]
    # This test's asks only: a server another test left running may log its own
    # requests (from 127.0.0.1) in the meantime.
    lines = [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "pressroom" and r.getMessage().startswith('{"event": "request"')
    ]
    clients = {line["client"] for line in lines if line["path"] == "/api/ask"}
    assert clients == {"10.1.0.1", "10.1.0.2", "127.0.0.3"}


def test_a_widget_token_has_its_own_limit(demo_engine: Engine, serve: Serve) -> None:
    secret = "s3cret-token"
    url = server(
        demo_engine,
        serve,
        api_token=secret,
        rate_limit_per_minute=100,
        token_rate_limit_per_minute=2,
    )
    page_a, page_b = sign_widget_token(secret, 600), sign_widget_token(secret, 900)
    question = {"question": CHAIR_2025}

    def ask_with(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.post(f"{url}/api/ask", json=question, headers=headers, timeout=60).status_code

    assert [ask_with(page_a) for _ in range(3)] == [200, 200, 429]
    assert ask_with(page_b) == 200  # another page's conversation is not starved
    assert ask_with(secret) == 200  # the API token itself has only the per-client limit
