"""Debian's nginx with deploy/nginx-pressroom.conf in front of a real `pressroom serve`
(on loopback, ports templated): the chat page and its Gradio queue, /api/ask, SSE
streaming, the widget from an allowed origin, and a rate limit per person, not per proxy.

Skips when nginx is not installed (`make test` installs it as root with apt-get)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from evals.nginx import Nginx, nginx_binary, site_config

REPO = Path(__file__).resolve().parents[2]
ALLOWED = "http://intranet.example:8080"
RATE = 3  # requests a minute per person, in this test
QUESTION = "How many vessels took part in AMBER SHIELD 2024?"

pytestmark = pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (apt-get install nginx)"
)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import free_port

    folder = tmp_path_factory.mktemp("nginx")
    app_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env.update(
        PYTHONPATH=str(REPO),
        HF_HUB_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
        PRESSROOM_STORE=str(folder / "store"),
        PRESSROOM_TRUSTED_PROXIES="127.0.0.1",
        PRESSROOM_RATE_LIMIT_PER_MINUTE=str(RATE),
        PRESSROOM_ALLOWED_ORIGINS=ALLOWED,
    )
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--demo", "--port", str(app_port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, (folder / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve did not answer in 300 s"
            try:
                if httpx.get(f"http://127.0.0.1:{app_port}/api/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        with Nginx(folder / "nginx", free_port(), app_port) as proxy:
            yield proxy.url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def client_at(source: str) -> httpx.Client:
    """A person at loopback address ``source``."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=120)


def test_the_site_config_is_only_retargeted() -> None:
    text = site_config(18080, 17860)
    assert "listen 127.0.0.1:18080;" in text and "server 127.0.0.1:17860;" in text
    for needed in (
        "proxy_http_version 1.1;",
        "proxy_buffering off;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "PRESSROOM_TRUSTED_PROXIES",
    ):
        assert needed in text, needed


def test_the_chat_page_and_its_queue_work_through_nginx(proxied: str) -> None:
    with client_at("127.0.0.20") as person:
        page = person.get(f"{proxied}/")
        assert page.status_code == 200 and "gradio" in page.text.lower()
    from gradio_client import Client

    chat = Client(proxied, verbose=False)
    reply = chat.predict(QUESTION, "", "", api_name="/chat")
    assert "14 vessels" in str(reply)


def test_ask_and_the_widget_from_an_allowed_origin(proxied: str) -> None:
    question = {"question": QUESTION}
    with client_at("127.0.0.21") as person:
        answer = person.post(f"{proxied}/api/ask", json=question)
        assert answer.status_code == 200 and answer.json()["citations"]
        assert person.get(f"{proxied}/widget.js").status_code == 200
        preflight = person.options(
            f"{proxied}/api/ask",
            headers={
                "Origin": ALLOWED,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.headers["access-control-allow-origin"] == ALLOWED
        widget = person.post(f"{proxied}/api/ask", json=question, headers={"Origin": ALLOWED})
        assert widget.status_code == 200
        assert widget.headers["access-control-allow-origin"] == ALLOWED
        elsewhere = {"Origin": "http://elsewhere.example"}
        assert (
            person.post(f"{proxied}/api/ask", json=question, headers=elsewhere).status_code == 403
        )


def test_chat_completions_stream_as_server_sent_events(proxied: str) -> None:
    body = {"messages": [{"role": "user", "content": "What did Morvania do?"}], "stream": True}
    events = []
    with (
        client_at("127.0.0.22") as person,
        person.stream("POST", f"{proxied}/v1/chat/completions", json=body) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "data: [DONE]"
    chunks = [json.loads(line.removeprefix("data: ")) for line in events[:-1]]
    assert len(chunks) > 3 and chunks[-1]["citations"]


def test_each_person_behind_nginx_has_their_own_rate_limit(proxied: str) -> None:
    question = {"question": "What did Morvania do?"}
    with client_at("127.0.0.23") as first, client_at("127.0.0.24") as second:
        statuses = [
            first.post(f"{proxied}/api/ask", json=question).status_code for _ in range(RATE + 1)
        ]
        assert statuses == [200] * RATE + [429]
        # Behind one proxy but another person: not limited by the first one's requests,
        # even when claiming to be someone else (nginx appends the real address).
        forged = {"X-Forwarded-For": "127.0.0.23"}
        assert second.post(f"{proxied}/api/ask", json=question, headers=forged).status_code == 200


Serve = Callable[[object], str]
