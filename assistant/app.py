"""The Gradio chat. ``build_app(engine)`` only builds; ``launch`` serves."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from assistant.engine import Engine
from assistant.render import answer_as_markdown

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

TITLE = "Pressroom — ask the press archive"
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
    for chunk in engine.retriever.lexical.chunks:
        if chunk.title and chunk.published and chunk.title not in seen:
            seen[chunk.title] = chunk.published
    titles = sorted(seen, key=lambda t: seen[t], reverse=True)[:count]
    return [f"What does the release “{title}” say?" for title in titles]


def build_app(engine: Engine) -> Any:
    import gradio as gr

    def respond(message: str, history: list[Any], date_from: str, date_to: str) -> str:
        if not message or not message.strip():
            return "Please type a question about the press archive."
        answer = engine.ask(
            message,
            date_from=_parse_date(date_from, "From"),
            date_to=_parse_date(date_to, "To"),
        )
        return answer_as_markdown(answer)

    with gr.Blocks(title=TITLE) as app:
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
        with gr.Row():
            date_from = gr.Textbox(label="From (YYYY-MM-DD)", placeholder="any date", scale=1)
            date_to = gr.Textbox(label="To (YYYY-MM-DD)", placeholder="any date", scale=1)
        gr.ChatInterface(
            respond,
            additional_inputs=[date_from, date_to],
            examples=[[q, "", ""] for q in example_questions(engine)] or None,
            cache_examples=False,
            api_name="chat",
        )
    return app


def launch(engine: Engine, host: str, port: int) -> None:
    app = build_app(engine)
    print(f"Pressroom chat on http://{host}:{port}")
    app.launch(server_name=host, server_port=port, show_error=True)
