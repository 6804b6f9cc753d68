"""A stand-in LLM server for the answerer's tests: real HTTP on loopback, scripted replies.

It speaks the two wire protocols Pressroom's LLM integrations use: OpenAI-compatible
``/v1/chat/completions`` (plain JSON and server-sent events) and Ollama's ``/api/chat``
(plain JSON and newline-delimited JSON). Every request is recorded, so a test can check
what the model was sent, and that it was never asked at all.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

Reply = Callable[[list[dict[str, Any]]], Iterable[str]]


def tokens(text: str) -> list[str]:
    """``text`` in small pieces, as a model streams it: ``[1]`` arrives as ``[``, ``1``, ``]``."""
    return re.findall(r"\[|\]|\d+|[^\W\d_]+|\s+|[^\w\s\[\]]", text)


class ChatServer:
    """Answers every chat request with ``reply(messages)``, streamed in its pieces."""

    def __init__(self, reply: Reply | str = "") -> None:
        self.reply: Reply = reply if callable(reply) else (lambda _m, text=reply: tokens(text))
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    def script(self, text: str) -> None:
        self.reply = lambda _messages: tokens(text)

    @property
    def prompts(self) -> list[str]:
        """The text of the user messages of each request."""
        return [
            "\n".join(str(m.get("content", "")) for m in r["messages"] if m.get("role") == "user")
            for r in self.requests
        ]

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions", response_model=None)
        async def openai_chat(request: Request) -> Any:
            body = await request.json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            pieces = list(self.reply(body["messages"]))
            if not body.get("stream"):
                return JSONResponse(_completion(body, "".join(pieces)))
            return StreamingResponse(_openai_events(body, pieces), media_type="text/event-stream")

        @app.post("/api/chat", response_model=None)
        async def ollama_chat(request: Request) -> Any:
            body = await request.json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            pieces = list(self.reply(body["messages"]))
            if not body.get("stream", True):
                return JSONResponse(_ollama_chunk(body, "".join(pieces), done=True))
            lines = [json.dumps(_ollama_chunk(body, p, done=False)) + "\n" for p in pieces]
            lines.append(json.dumps(_ollama_chunk(body, "", done=True)) + "\n")
            return StreamingResponse(iter(lines), media_type="application/x-ndjson")

        return app


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _openai_events(body: dict[str, Any], pieces: list[str]) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None) -> str:
        data = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(data)}\n\n"

    yield chunk({"role": "assistant", "content": ""}, None)
    for piece in pieces:
        yield chunk({"content": piece}, None)
    yield chunk({}, "stop")
    yield "data: [DONE]\n\n"


def _ollama_chunk(body: dict[str, Any], text: str, done: bool) -> dict[str, Any]:
    chunk: dict[str, Any] = {
        "model": body.get("model", "fake"),
        "created_at": "2026-11-28T00:00:00Z",
        "message": {"role": "assistant", "content": text},
        "done": done,
    }
    if done:
        chunk.update(done_reason="stop", prompt_eval_count=1, eval_count=1)
    return chunk


@pytest.fixture
def chat_server(serve: Callable[[Any], str]) -> tuple[ChatServer, str]:
    """A scripted LLM server on loopback and its base URL (``script`` sets the reply)."""
    server = ChatServer()
    return server, serve(server.app())
