"""The HTTP server: JSON API, OpenAI-compatible chat, release viewer, widget, and the
Gradio chat mounted at ``/``. ``build_server`` only builds; nothing runs at import."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answering.engine import Engine
from assistant.answering.model import Answer
from assistant.logs import event as log_event
from assistant.settings import Settings
from assistant.web.overload import RETRY_AFTER_S, Busy, Slots
from assistant.web.proxies import TrustedProxies
from assistant.web.render import source_list
from assistant.web.schema import (
    AnswerOut,
    HealthOut,
    ModelList,
    add_chunk_schema,
    chat_responses,
)
from assistant.web.security import (
    VIEWER_TOKEN_TTL_S,
    RateLimiter,
    origin_allowed,
    parse_origins,
    parse_proxies,
    sign_widget_token,
    token_valid,
)
from assistant.web.viewer import render_release, viewer_link

API_PREFIXES = ("/api/", "/v1/")
# What needs the API token when one is set: the API and the release viewer (its links
# carry a short-lived token signed with it, since a browser opens them as plain links).
TOKEN_PREFIXES = (*API_PREFIXES, "/releases/")
log = logging.getLogger("pressroom")
# The model names /v1/chat/completions answers to: the default ends the content with a
# numbered source list (generic clients drop the structured `citations`); the bare one
# gives the answer text alone, for clients that render `citations` themselves.
MODEL = "pressroom"
BARE_MODEL = "pressroom-bare"

ASGIApp = Callable[..., Awaitable[None]]
Message = MutableMapping[str, Any]


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1)
    history: list[Turn] = Field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    k: int | None = Field(None, ge=1, le=50)
    sources: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("question")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("expected a question, got only whitespace")
        return value


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if isinstance(p, dict))
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = MODEL
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


def answer_payload(answer: Answer, token: str | None = None) -> dict[str, Any]:
    """The Answer JSON, with each citation's link into the release viewer (carrying
    ``token`` when the viewer needs one)."""
    data = answer.to_dict()
    for citation in data["citations"]:
        citation["viewer"] = viewer_link(
            citation["release_id"], citation["start"], citation["end"], token=token
        )
    return data


class BodyLimit:
    """Refuse an API request body over ``limit`` bytes with 413, also when it comes without
    a Content-Length (chunked): the body is read up to the limit, then handed on."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(API_PREFIXES):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                response = JSONResponse(
                    {"detail": f"request body over {self.limit} bytes"}, status_code=413
                )
                await response(scope, receive, send)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        whole = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return dict(await receive())

        await self.app(scope, replay, send)


class RequestLog:
    """One JSON line per request, refused ones included (added last, so it is the
    outermost); the path without its query, which may carry a token. Plain ASGI rather
    than ``@middleware("http")``: it must not wrap the chat's streamed (SSE) responses in
    another task."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client")
            log_event(
                "request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=status,
                ms=round((time.perf_counter() - began) * 1000, 1),
                client=client[0] if client else None,
            )


def store_reachable(engine: Engine) -> bool:
    try:
        engine.store.count()
    except Exception:
        return False
    return True


def busy_response() -> JSONResponse:
    return JSONResponse(
        {"detail": "busy: every answer slot is taken; retry shortly"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def _releasing(slots: Slots, items: Iterator[str]) -> Iterator[str]:
    """``items``, leaving the slot held for them when they end (or are dropped)."""
    try:
        yield from items
    finally:
        slots.leave()


def build_server(
    engine: Engine, settings: Settings, chat: Any | None = None, slots: Slots | None = None
) -> FastAPI:
    """The FastAPI app; ``chat`` (a Gradio Blocks) is mounted at ``/`` when given.
    ``slots`` bounds the answers computed at once (shared with the chat when given)."""
    server = FastAPI(
        title="Pressroom",
        description="Ask the press archive; every claim cites a numbered passage.",
        version="0.1.0",
    )
    allowed = parse_origins(settings.allowed_origins)
    limiter = RateLimiter(settings.rate_limit_per_minute)
    token_limiter = RateLimiter(settings.token_rate_limit_per_minute)
    slots = slots or Slots(settings.max_concurrent, settings.max_waiting)
    token = settings.api_token.get_secret_value() if settings.api_token else None

    def viewer_token() -> str | None:
        return sign_widget_token(token, VIEWER_TOKEN_TTL_S) if token else None

    server.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    server.add_middleware(
        CORSMiddleware,
        allow_origins=sorted(allowed),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["Retry-After"],  # the widget waits that long before its retry
        max_age=600,
    )

    @server.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if token and path.startswith("/releases/") and request.method != "OPTIONS":
            presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not token_valid(presented or request.query_params.get("token"), token):
                return JSONResponse(
                    {"detail": "missing or invalid token (open the link from an answer)"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
        if not path.startswith(API_PREFIXES) or request.method == "OPTIONS":
            return await call_next(request)
        own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
        if not origin_allowed(request.headers.get("origin"), own, allowed):
            return JSONResponse(
                {"detail": "this origin is not allowed; list it in PRESSROOM_ALLOWED_ORIGINS"},
                status_code=403,
            )
        presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token and not token_valid(presented, token):
            return JSONResponse(
                {"detail": "missing or invalid token (Authorization: Bearer …)"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_request_bytes:
            return JSONResponse(
                {"detail": f"request body over {settings.max_request_bytes} bytes"},
                status_code=413,
            )
        client = request.client.host if request.client else "unknown"
        wait = limiter.check(client)
        if not wait and token and presented.startswith("w1."):
            wait = token_limiter.check(presented)  # one page's widget conversation
        if wait:
            return JSONResponse(
                {"detail": "too many requests; slow down"},
                status_code=429,
                headers={"Retry-After": str(max(1, round(wait)))},
            )
        return await call_next(request)

    server.add_middleware(RequestLog)
    server.add_middleware(TrustedProxies, proxies=parse_proxies(settings.trusted_proxies))

    @server.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> JSONResponse:
        return busy_response()

    @server.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in err['loc'] if p != 'body') or 'body'}: {err['msg']}"
            for err in exc.errors()
        ]
        return JSONResponse({"detail": "; ".join(problems)}, status_code=422)

    @server.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        """503 when the store cannot be reached (it may come back), else a 500 that says
        where to look; the details go to the log, never to the client."""
        reference = uuid.uuid4().hex[:12]
        log.error(
            "request %s %s failed (ref %s)",
            request.method,
            request.url.path,
            reference,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        if not store_reachable(engine):
            return JSONResponse(
                {
                    "detail": "the store cannot be reached (is the Chroma server running?); "
                    "try again shortly"
                },
                status_code=503,
                headers={"Retry-After": "5"},
            )
        return JSONResponse(
            {"detail": f"internal error; the server log has the details (ref {reference})"},
            status_code=500,
        )

    def check_question(question: str, turns: int) -> None:
        if len(question) > settings.max_question_chars:
            raise HTTPException(
                413, f"question over {settings.max_question_chars} characters ({len(question)})"
            )
        if turns > settings.max_history_turns:
            raise HTTPException(422, f"history over {settings.max_history_turns} turns ({turns})")

    @server.get("/api/health", response_model=HealthOut)
    def health(response: Response) -> dict[str, Any]:
        store = engine.store
        try:
            engine.refresh()
            chunks = store.count()
            reachable = True
        except Exception:
            chunks, reachable = 0, False
            response.status_code = 503
        return {
            "status": "ok" if reachable else "store unreachable",
            "store_reachable": reachable,
            "chunks": chunks,
            "releases": len({c.release_id for c in engine.chunks}),
            "embedder": store.embedder.name,
            "collection": store.name,
            "answerer": engine.answerer_label,
        }

    @server.post("/api/ask", response_model=AnswerOut)
    def ask(body: AskRequest) -> dict[str, Any]:
        check_question(body.question, len(body.history))
        history = [t.content for t in body.history if t.role == "user"]
        with slots.held():
            answer = engine.ask(
                body.question,
                k=body.k,
                date_from=body.date_from,
                date_to=body.date_to,
                history=history,
                sources=body.sources,
            )
        return answer_payload(answer, viewer_token())

    @server.get("/v1/models", response_model=ModelList)
    def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [
                {"id": name, "object": "model", "created": 0, "owned_by": "pressroom"}
                for name in (MODEL, BARE_MODEL)
            ],
        }

    @server.post("/v1/chat/completions", response_model=None, responses=chat_responses())
    def chat_completions(body: ChatRequest, request: Request) -> dict[str, Any] | StreamingResponse:
        users = [m.text() for m in body.messages if m.role == "user"]
        if not users or not users[-1].strip():
            raise HTTPException(422, "messages: expected at least one non-empty user message")
        check_question(users[-1], len(body.messages) - 1)
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        base = None if body.model == BARE_MODEL else str(request.base_url).rstrip("/")
        if body.stream:
            slots.enter()  # held until the stream ends
            try:
                events = engine.stream(users[-1], history=users[:-1])
                # The first event comes after retrieval: a store that fails fails here, as
                # an error status, not in the middle of a 200 stream.
                first = next(events)
            except BaseException:
                slots.leave()
                raise
            chunks = _sse(
                completion_id,
                created,
                itertools.chain([first], events),
                viewer_token(),
                model=body.model,
                sources_base=base,
            )
            return StreamingResponse(_releasing(slots, chunks), media_type="text/event-stream")
        with slots.held():
            answer = engine.ask(users[-1], history=users[:-1])
        token = viewer_token()
        payload = answer_payload(answer, token)
        content = answer.text + (source_list(answer, base, token) if base else "")
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": body.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            **_extras(payload),
        }

    @server.get("/releases/{release_id:path}", response_class=HTMLResponse)
    def release(release_id: str, start: int | None = None, end: int | None = None) -> str:
        if "\x00" in release_id or release_id.startswith("/") or ".." in release_id.split("/"):
            raise HTTPException(400, f"not a release id: {release_id!r}")
        chunks = engine.store.release_chunks(release_id)
        if not chunks:
            raise HTTPException(404, f"no release {release_id!r} in the archive")
        return render_release(chunks, start, end)

    @server.get("/widget.js")
    def widget() -> Response:
        script = resources.files("assistant.web").joinpath("static/widget.js").read_text("utf-8")
        return Response(
            script, media_type="text/javascript", headers={"Cache-Control": "max-age=300"}
        )

    if chat is not None:
        import gradio as gr

        auth = None
        if settings.auth:
            user, _, password = settings.auth.get_secret_value().partition(":")
            auth = (user, password)
        server = gr.mount_gradio_app(server, chat, path="/", auth=auth)
    published = server.openapi

    def openapi() -> dict[str, Any]:
        return add_chunk_schema(published())

    server.openapi = openapi  # type: ignore[method-assign]
    return server


def _extras(payload: dict[str, Any]) -> dict[str, Any]:
    """The Answer's fields that ride along with an OpenAI-style completion."""
    keys = ("citations", "claims", "refused", "answered_by", "note", "interpreted", "refusal")
    return {key: payload[key] for key in keys if key in payload}


def _sse(
    completion_id: str,
    created: int,
    events: Iterator[str | Answer],
    token: str | None = None,
    *,
    model: str = MODEL,
    sources_base: str | None = None,
) -> Iterator[str]:
    """The answer as OpenAI-style chunks; citations, claims and the checked text ride on
    the last one.

    An LLM's text is passed on as the engine yields it (token by token). An extractive
    answer arrives whole and is sent word by word. When the model's answer was not used
    (its ``note`` says why), the answer actually given follows what was streamed. With
    ``sources_base`` the numbered source list follows the text (see :func:`source_list`).
    """

    def event(
        delta: dict[str, Any], finish: str | None, extra: dict[str, Any] | None = None
    ) -> str:
        chunk: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        chunk.update(extra or {})
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""}, None)
    streamed = False
    for item in events:
        if isinstance(item, Answer):
            answer = item
            break
        streamed = True
        yield event({"content": item}, None)
    else:  # pragma: no cover - the engine always ends with an Answer
        raise RuntimeError("the engine's stream ended without an answer")
    if not streamed:
        for index, word in enumerate(answer.text.split(" ")):
            yield event({"content": word if index == 0 else " " + word}, None)
    elif answer.note:
        yield event({"content": "\n\n" + answer.text}, None)
    sources = source_list(answer, sources_base, token) if sources_base is not None else ""
    if sources:
        yield event({"content": sources}, None)
    payload = answer_payload(answer, token)
    yield event({}, "stop", {"answer": answer.text, **_extras(payload)})
    yield "data: [DONE]\n\n"
