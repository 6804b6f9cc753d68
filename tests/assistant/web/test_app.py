"""The Gradio chat, served on loopback and queried through gradio_client."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.answering.engine import Engine
from assistant.web.app import build_app, example_questions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chat_url(demo_engine: Engine) -> Iterator[str]:
    app: Any = build_app(demo_engine)
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def test_chat_answers_with_sources(chat_url: str) -> None:
    from gradio_client import Client

    client = Client(chat_url, verbose=False)
    reply = client.predict(
        "What budget did the ministers approve in 2023?", "", "", api_name="/chat"
    )
    assert "EUR 41.2 million" in reply
    assert "**Sources**" in reply and "2023-05-23" in reply
    assert "Searched releases from 2023-01-01 to 2023-12-31" in reply


def test_chat_date_filter_and_refusal(chat_url: str) -> None:
    from gradio_client import Client

    client = Client(chat_url, verbose=False)
    reply = client.predict(
        "What budget did the ministers approve?", "2025-01-01", "2025-12-31", api_name="/chat"
    )
    assert "EUR 47.3 million" in reply
    refused = client.predict(
        "What is the Commission's view on nuclear power?", "", "", api_name="/chat"
    )
    assert "No answer in the archive" in refused


def test_bad_date_filter_is_a_clear_error(chat_url: str) -> None:
    from gradio_client import Client

    client = Client(chat_url, verbose=False)
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        client.predict("Anything?", "last tuesday", "", api_name="/chat")


def test_examples_come_from_the_archive(demo_engine: Engine) -> None:
    examples = example_questions(demo_engine)
    titles = {c.title for c in demo_engine.retriever.lexical.chunks}
    assert examples and all(any(t and t in q for t in titles) for q in examples)
