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
    reply, copied = client.predict(
        "Which budget was approved by the ministers in 2023?", "", "", api_name="/chat"
    )
    assert "EUR 41.2 million" in reply
    assert "**Sources**" in reply and "2023-05-23" in reply
    assert "Searched releases from 2023-01-01 to 2023-12-31" in reply
    # What "Copy answer with sources" copies: plain text, then the numbered sources.
    text, _, sources = copied.partition("\n\nSources:\n")
    assert "EUR 41.2 million" in text and "**" not in copied
    assert sources.startswith("[1] ") and "(2023-05-23) /releases/" in sources


def test_chat_date_filter_and_refusal(chat_url: str) -> None:
    from gradio_client import Client

    client = Client(chat_url, verbose=False)
    reply, _ = client.predict(
        "Which budget was approved by the ministers?", "2025-01-01", "2025-12-31", api_name="/chat"
    )
    assert "EUR 47.3 million" in reply
    refused, copied = client.predict(
        "What is the Commission's view on nuclear power?", "", "", api_name="/chat"
    )
    assert "No answer in the archive" in refused
    assert "Sources:" not in copied


def test_bad_date_filter_is_a_clear_error(chat_url: str) -> None:
    from gradio_client import Client

    client = Client(chat_url, verbose=False)
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        client.predict("Anything?", "last tuesday", "", api_name="/chat")


def test_examples_ask_about_the_newest_releases(demo_engine: Engine) -> None:
    examples = example_questions(demo_engine)
    newest = sorted({c.published for c in demo_engine.chunks if c.published}, reverse=True)
    assert len(examples) == 4
    for question, day in zip(examples, newest, strict=False):
        assert question.startswith("What was announced") and question.endswith("?")
        assert f"{day.day} {day.strftime('%B')} {day.year}" in question
        assert "…" not in question and len(question) < 80, "short and whole"


def test_examples_can_be_set(demo_engine: Engine) -> None:
    configured = "Who chaired the 2024 meeting? | What was decided about eels?|"
    assert example_questions(demo_engine, configured=configured) == [
        "Who chaired the 2024 meeting?",
        "What was decided about eels?",
    ]


def test_an_example_question_is_answered(demo_engine: Engine) -> None:
    answer = demo_engine.ask(example_questions(demo_engine)[0])
    assert not answer.refused and answer.citations
