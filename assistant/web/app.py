"""The Gradio chat. ``build_app(engine)`` only builds; ``launch`` serves."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from assistant.answering.engine import Engine
from assistant.answering.model import Answer
from assistant.logs import configure as configure_logs
from assistant.settings import Settings
from assistant.web.overload import RETRY_AFTER_S, Busy, Slots
from assistant.web.render import MARKER, answer_as_markdown, draft_as_markdown
from assistant.web.security import VIEWER_TOKEN_TTL_S, sign_widget_token

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

TITLE = "Pressroom — ask the press archive"
QUESTION_PLACEHOLDER = "Ask a question about the press archive…"
DESCRIPTION = (
    "Answers quote the archive's releases; every sentence cites a numbered passage. "
    "Name a date (“in March 2024”, “the latest”) to search a window; it is shown under the answer."
)
BUSY_RETRYING = "The server is busy; retrying…"
BUSY_GAVE_UP = "The server is still busy; please ask again in a moment."


def _parse_date(text: str | None, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        import gradio as gr

        raise gr.Error(f"{label}: expected a date as YYYY-MM-DD, got {text!r}") from None


def example_questions(engine: Engine, count: int = 4) -> list[str]:
    """Questions drawn from the archive's own titles, newest first."""
    seen: dict[str, dt.date] = {}
    for chunk in engine.retriever.lexical.chunks:
        if chunk.title and chunk.published and chunk.title not in seen:
            seen[chunk.title] = chunk.published
    titles = sorted(seen, key=lambda t: seen[t], reverse=True)[:count]
    return [f"What does the release “{title}” say?" for title in titles]


def stream_markdown(answer: Answer, token: str | None = None) -> Iterator[str]:
    """The answer sentence by sentence, then complete with its sources.

    The numbering never changes while streaming: the passages were numbered before the
    first sentence was shown.
    """
    ends = [m.end() for m in MARKER.finditer(answer.text)]
    for end in ends[:-1]:
        yield answer_as_markdown(
            replace(answer, text=answer.text[:end], citations=answer.citations), token
        )
    yield answer_as_markdown(answer, token)


def chat_messages(events: Iterable[str | Answer], token: str | None = None) -> Iterator[str]:
    """What the chat shows as an answer arrives: the model's text token by token (when an
    LLM writes it), then the checked answer with its sources in place of the draft.
    An extractive answer arrives whole and is shown sentence by sentence. ``token`` goes
    into the release viewer links when the server requires one."""
    draft = ""
    for event in events:
        if isinstance(event, Answer):
            if draft:
                yield answer_as_markdown(event, token)
            else:
                yield from stream_markdown(event, token)
            return
        draft += event
        yield draft_as_markdown(draft)


def with_a_slot(slots: Slots | None, answer: Callable[[], Iterator[str]]) -> Iterator[str]:
    """``answer()``'s messages computed in one of ``slots``; when all are taken, "busy,
    retrying", one more try after ``RETRY_AFTER_S``, then "still busy"."""
    if slots is None:
        yield from answer()
        return
    for attempt in range(2):
        try:
            slots.enter()
        except Busy:
            if attempt:
                yield BUSY_GAVE_UP
                return
            yield BUSY_RETRYING
            time.sleep(RETRY_AFTER_S)
            continue
        try:
            yield from answer()
        finally:
            slots.leave()
        return


def build_app(
    engine: Engine,
    api_token: str | None = None,
    slots: Slots | None = None,
    concurrency: int = 1,
) -> Any:
    """The chat; with ``api_token`` its release viewer links carry a token signed with it.
    ``slots`` (shared with the API) bounds the answers computed at once; ``concurrency``
    is how many of the chat's own events Gradio runs at once."""
    import gradio as gr

    def respond(message: str, history: list[Any], date_from: str, date_to: str) -> Iterator[str]:
        if not message or not message.strip():
            yield "Please type a question about the press archive."
            return
        earlier = [
            str(turn.get("content", ""))
            for turn in history
            if isinstance(turn, dict) and turn.get("role") == "user"
        ]
        start, end = _parse_date(date_from, "From"), _parse_date(date_to, "To")
        token = sign_widget_token(api_token, VIEWER_TOKEN_TTL_S) if api_token else None

        def answer() -> Iterator[str]:
            events = engine.stream(message, date_from=start, date_to=end, history=earlier)
            yield from chat_messages(events, token)

        yield from with_a_slot(slots, answer)

    with gr.Blocks(title=TITLE) as app:
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
        with gr.Row():
            date_from = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any date", scale=1)
            date_to = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any date", scale=1)
        chat = gr.ChatInterface(
            respond,
            additional_inputs=[date_from, date_to],
            api_name="chat",
            concurrency_limit=concurrency,
            textbox=gr.Textbox(placeholder=QUESTION_PLACEHOLDER, show_label=False, scale=7),
        )
        examples = example_questions(engine)
        if examples:
            gr.Examples(examples=examples, inputs=[chat.textbox], label="Try asking")
    return app


def launch(engine: Engine, settings: Settings) -> None:
    """Serve the chat, the API, the release viewer and the widget on one port."""
    import uvicorn

    from assistant.web.api import build_server

    configure_logs()
    token = settings.api_token.get_secret_value() if settings.api_token else None
    slots = Slots(settings.max_concurrent, settings.max_waiting)
    chat = build_app(engine, token, slots, concurrency=settings.max_concurrent)
    server = build_server(engine, settings, chat=chat, slots=slots)
    print(f"Pressroom chat on http://{settings.host}:{settings.port}", flush=True)
    # Proxy headers are read by the app itself, from PRESSROOM_TRUSTED_PROXIES only
    # (uvicorn's own default would believe any process on 127.0.0.1).
    uvicorn.run(
        server,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=False,
    )
