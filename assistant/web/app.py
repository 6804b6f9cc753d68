"""The Gradio chat. ``build_app(engine)`` only builds; ``launch`` serves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from assistant.answering.engine import Engine
from assistant.answering.model import Answer
from assistant.logs import configure as configure_logs
from assistant.settings import Settings
from assistant.web.render import MARKER, answer_as_markdown, draft_as_markdown
from assistant.web.security import VIEWER_TOKEN_TTL_S, sign_widget_token

TITLE = "Pressroom — ask the press archive"
QUESTION_PLACEHOLDER = "Ask a question about the press archive…"
DESCRIPTION = (
    "Answers quote the archive's releases; every sentence cites a numbered passage. "
    "Name a date (“in March 2024”, “the latest”) to search a window; it is shown under the answer."
)


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
    for chunk in engine.chunks:
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


def build_app(engine: Engine, api_token: str | None = None) -> Any:
    """The chat; with ``api_token`` its release viewer links carry a token signed with it."""
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
        events = engine.stream(
            message,
            date_from=_parse_date(date_from, "From"),
            date_to=_parse_date(date_to, "To"),
            history=earlier,
        )
        token = sign_widget_token(api_token, VIEWER_TOKEN_TTL_S) if api_token else None
        yield from chat_messages(events, token)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
        with gr.Row():
            date_from = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any date", scale=1)
            date_to = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any date", scale=1)
        chat = gr.ChatInterface(
            respond,
            additional_inputs=[date_from, date_to],
            api_name="chat",
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
    server = build_server(engine, settings, chat=build_app(engine, token))
    print(f"Pressroom chat on http://{settings.host}:{settings.port}", flush=True)
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning")
