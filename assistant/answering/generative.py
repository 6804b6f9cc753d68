"""The LLM answerer: a language model writes the answer from the numbered passages.

The model gets the passages retrieval numbered, with the same ``[n]``, as quoted data
inside a boundary no release can know in advance, and is told to answer only from them.
It never decides what counts as evidence: the evidence gate runs before it is asked, and
the claim check runs on what it writes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.text.markers import MARKERS, PARTIAL_MARKER, keep_markers, marker_numbers
from prompts import load_prompt
from vectorstore.records import Passage, date_in_words

if TYPE_CHECKING:
    from llama_index.core.llms import LLM, ChatMessage

# What the prompt asks the model to write when the passages do not answer.
DECLINE = "NOT IN ARCHIVE"
DECLINES = re.compile(
    r"\bnot in (?:the )?archive\b"
    r"|\b(?:cannot|can't|can ?not|unable to|not able to) (?:answer|find|determine|tell|say)\b"
    r"|\b(?:passages?|sources?|releases?|context|documents?) (?:do|does) not "
    r"(?:contain|mention|say|provide|include|answer|state)\b"
    r"|\bno (?:relevant )?information\b",
    re.IGNORECASE,
)


class LLMError(RuntimeError):
    """The language model could not be reached or failed to answer."""


@dataclass(frozen=True)
class PromptPassage:
    """One passage as the prompt shows it."""

    number: int
    title: str
    source_line: str
    text: str


def declined(text: str) -> bool:
    """The model said the passages do not answer: the sentinel, or a refusal in words
    with no citation at all."""
    if DECLINE in text.upper():
        return True
    return not marker_numbers(text) and bool(DECLINES.search(text))


class LLMAnswerer:
    """Writes answers with ``llm`` (any LlamaIndex LLM, passed in, never a global)."""

    def __init__(
        self,
        llm: LLM,
        label: str,
        max_sentences: int = 3,
        redact: Sequence[str] = (),
    ) -> None:
        self.llm = llm
        self.label = label
        self.max_sentences = max_sentences
        self._redact = tuple(r for r in redact if r)

    def prompt(self, question: str, passages: Sequence[Passage]) -> str:
        boundary = secrets.token_hex(8)
        shown = [
            PromptPassage(
                p.rank,
                (p.chunk.title or p.chunk.release_id).replace(boundary, ""),
                ", ".join(
                    x
                    for x in (
                        date_in_words(p.chunk.published) if p.chunk.published else "undated",
                        p.chunk.place,
                    )
                    if x
                ),
                p.chunk.text.replace(boundary, ""),
            )
            for p in passages
        ]
        return load_prompt("answer").render(
            question=question,
            passages=shown,
            boundary=boundary,
            max_sentences=self.max_sentences,
            decline=DECLINE,
        )

    def messages(self, question: str, passages: Sequence[Passage]) -> list[ChatMessage]:
        from llama_index.core.llms import ChatMessage

        return [ChatMessage(role="user", content=self.prompt(question, passages))]

    def write(self, question: str, passages: Sequence[Passage], stream: bool) -> Iterator[str]:
        """The model's answer, in pieces as it writes them (one piece without ``stream``)."""
        messages = self.messages(question, passages)
        try:
            if stream:
                for response in self.llm.stream_chat(messages):
                    if response.delta:
                        yield response.delta
            else:
                yield self.llm.chat(messages).message.content or ""
        except Exception as exc:  # the integrations raise their clients' own errors
            raise LLMError(self._clean(f"{type(exc).__name__}: {exc}")) from None

    def _clean(self, message: str) -> str:
        for secret in self._redact:
            message = message.replace(secret, "***")
        return message


class DraftFilter:
    """Makes a model's streamed text safe to show as it arrives.

    Markers that point at no passage never appear (a marker is held back until its
    closing bracket arrives), and the decline sentinel is held back until the text
    can no longer be it.
    """

    def __init__(self, numbers: set[int]) -> None:
        self.numbers = numbers
        self._pending = ""
        self._started = False

    def feed(self, delta: str) -> str:
        self._pending += delta
        if not self._started:
            head = self._pending.lstrip().upper()
            if DECLINE.startswith(head) or head.startswith(DECLINE):
                return ""
            self._started = True
        partial = PARTIAL_MARKER.search(self._pending)
        cut = partial.start() if partial else len(self._pending)
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._rewrite(ready)

    def close(self) -> str:
        rest, self._pending = self._pending, ""
        if not self._started and rest.strip().upper().startswith(DECLINE):
            return ""
        return self._rewrite(rest)

    def _rewrite(self, text: str) -> str:
        if not MARKERS.search(text):
            return text
        return MARKERS.sub(lambda m: keep_markers(m.group(), self.numbers), text)
