"""The Gradio chat. ``build_app(engine)`` only builds; ``launch`` serves."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from assistant.answering.engine import Engine
from assistant.answering.model import Answer
from assistant.logs import configure as configure_logs
from assistant.settings import Settings
from assistant.web.overload import RETRY_AFTER_S, Busy, Slots
from assistant.web.render import (
    MARKER,
    answer_as_markdown,
    answer_with_sources,
    draft_as_markdown,
)
from assistant.web.security import VIEWER_TOKEN_TTL_S, sign_widget_token
from vectorstore.records import date_in_words

TITLE = "Pressroom — ask the press archive"
QUESTION_PLACEHOLDER = "Ask a question about the press archive…"
DESCRIPTION = (
    "Answers quote the archive's releases; every sentence cites a numbered passage. "
    "Name a date (“in March 2024”, “the latest”) to search a window; it is shown under the answer."
)
COPY_LABEL = "Copy answer with sources"
# Copies the plain-text answer with its sources (kept in a hidden textbox), its viewer
# links made absolute with the page's own origin.
COPY_JS = """(text) => {
  if (!text) { return; }
  const origin = window.location.origin;
  navigator.clipboard.writeText(text.replace(/ \\/releases\\//g, " " + origin + "/releases/"));
}"""
BUSY_RETRYING = "The server is busy; retrying…"
BUSY_GAVE_UP = "The server is still busy; please ask again in a moment."


def _parse_date(value: object, label: str) -> dt.date | None:
    """A date picker's value (``YYYY-MM-DD``, maybe with a time, or a timestamp) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        import gradio as gr

        raise gr.Error(f"{label}: expected a date as YYYY-MM-DD, got {text!r}") from None


def example_questions(engine: Engine, count: int = 4, configured: str | None = None) -> list[str]:
    """The questions the chat offers: ``configured`` (PRESSROOM_EXAMPLES, ``|`` between
    them), else short questions a person would ask about the archive's newest releases,
    by the date and place they were issued ("What was announced in Riga on 2 February
    2025?"), which the date windows answer. Whole questions, never cut."""
    if configured:
        return [q.strip() for q in configured.split("|") if q.strip()][:count]
    newest: dict[dt.date, str | None] = {}
    for chunk in engine.chunks:
        if chunk.published is not None:
            newest.setdefault(chunk.published, chunk.place)
            newest[chunk.published] = newest[chunk.published] or chunk.place
    questions = []
    for day in sorted(newest, reverse=True)[:count]:
        where = f" in {newest[day]}" if newest[day] else ""
        questions.append(f"What was announced{where} on {date_in_words(day)}?")
    return questions


def stream_markdown(
    answer: Answer, token: str | None = None, previous: str | None = None
) -> Iterator[str]:
    """The answer sentence by sentence, then complete with its sources.

    The numbering never changes while streaming: the passages were numbered before the
    first sentence was shown.
    """
    ends = [m.end() for m in MARKER.finditer(answer.text)]
    for end in ends[:-1]:
        yield answer_as_markdown(
            replace(answer, text=answer.text[:end], citations=answer.citations), token, previous
        )
    yield answer_as_markdown(answer, token, previous)


def chat_messages(
    events: Iterable[str | Answer], token: str | None = None, previous: str | None = None
) -> Iterator[str]:
    """What the chat shows as an answer arrives: the model's text token by token (when an
    LLM writes it), then the checked answer with its sources in place of the draft.
    An extractive answer arrives whole and is shown sentence by sentence. ``token`` goes
    into the release viewer links when the server requires one; ``previous`` is the user's
    earlier question (shown when the question was read as a follow-up to it)."""
    draft = ""
    for event in events:
        if isinstance(event, Answer):
            if draft:
                yield answer_as_markdown(event, token, previous)
            else:
                yield from stream_markdown(event, token, previous)
            return
        draft += event
        yield draft_as_markdown(draft)


Shown = TypeVar("Shown")


def with_a_slot(
    slots: Slots | None,
    answer: Callable[[], Iterator[Shown]],
    busy: Callable[[str], Shown] = lambda text: text,  # type: ignore[assignment,return-value]
) -> Iterator[Shown]:
    """``answer()``'s messages computed in one of ``slots``; when all are taken, "busy,
    retrying", one more try after ``RETRY_AFTER_S``, then "still busy" (each message
    made into what the chat shows by ``busy``)."""
    if slots is None:
        yield from answer()
        return
    for attempt in range(2):
        try:
            slots.enter()
        except Busy:
            if attempt:
                yield busy(BUSY_GAVE_UP)
                return
            yield busy(BUSY_RETRYING)
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
    examples: str | None = None,
) -> Any:
    """The chat; with ``api_token`` its release viewer links carry a token signed with it;
    ``examples`` is PRESSROOM_EXAMPLES (see :func:`example_questions`).
    ``slots`` (shared with the API) bounds the answers computed at once; ``concurrency``
    is how many of the chat's own events Gradio runs at once."""
    import gradio as gr

    def respond(
        message: str,
        history: list[Any],
        date_from: object,
        date_to: object,
    ) -> Iterator[tuple[str, str]]:
        if not message or not message.strip():
            yield "Please type a question about the press archive.", ""
            return
        earlier = [
            _text(turn.get("content", ""))
            for turn in history
            if isinstance(turn, dict) and turn.get("role") == "user"
        ]
        start, end = _parse_date(date_from, "From"), _parse_date(date_to, "To")
        token = sign_widget_token(api_token, VIEWER_TOKEN_TTL_S) if api_token else None
        previous = earlier[-1] if earlier else None

        def answer() -> Iterator[tuple[str, str]]:
            events = engine.stream(message, date_from=start, date_to=end, history=earlier)
            kept: Answer | None = None

            def keep(event: str | Answer) -> str | Answer:
                nonlocal kept
                if isinstance(event, Answer):
                    kept = event
                return event

            for shown in chat_messages((keep(e) for e in events), token, previous):
                yield shown, answer_with_sources(kept, "", token) if kept else ""

        yield from with_a_slot(slots, answer, busy=lambda text: (text, ""))

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
        with gr.Accordion("Filter by date", open=False), gr.Row():
            date_from = gr.DateTime(label="From", include_time=False, type="string", scale=1)
            date_to = gr.DateTime(label="To", include_time=False, type="string", scale=1)
        copied = gr.Textbox(visible="hidden", elem_id="pressroom-copy-text")
        chat = gr.ChatInterface(
            respond,
            additional_inputs=[date_from, date_to],
            additional_outputs=[copied],
            api_name="chat",
            analytics_enabled=False,
            concurrency_limit=concurrency,
            textbox=gr.Textbox(placeholder=QUESTION_PLACEHOLDER, show_label=False, scale=7),
        )
        copy = gr.Button(COPY_LABEL, size="sm", elem_id="pressroom-copy")
        copy.click(None, inputs=[copied], js=COPY_JS)
        questions = example_questions(engine, configured=examples)
        if questions:
            gr.Examples(examples=questions, inputs=[chat.textbox], label="Try asking")
    return app


def _text(content: object) -> str:
    """A chat turn's text (Gradio may hand over a list of parts)."""
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def launch(engine: Engine, settings: Settings) -> None:
    """Serve the chat, the API, the release viewer and the widget on one port."""
    import uvicorn

    from assistant.web.api import build_server

    configure_logs()
    token = settings.api_token.get_secret_value() if settings.api_token else None
    slots = Slots(settings.max_concurrent, settings.max_waiting)
    chat = build_app(
        engine, token, slots, concurrency=settings.max_concurrent, examples=settings.examples
    )
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
