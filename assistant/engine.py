"""Answering one question: interpret -> retrieve -> answer -> Answer."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from assistant.answer import Answer, Interpreted
from assistant.extractive import ExtractiveAnswerer
from assistant.retrieval import HybridRetriever
from assistant.timeframe import TimeFrame, interpret_time
from prompts import load_prompt
from vectorstore.records import DateRange, date_in_words


class Engine:
    """Everything needed to answer, passed in; nothing read from globals."""

    def __init__(self, retriever: HybridRetriever, answerer: ExtractiveAnswerer, top_k: int = 5):
        self.retriever = retriever
        self.answerer = answerer
        self.top_k = top_k
        dates = [c.published for c in retriever.lexical.chunks if c.published is not None]
        self.first_date: dt.date | None = min(dates, default=None)
        self.newest_date: dt.date | None = max(dates, default=None)

    def ask(
        self,
        question: str,
        k: int | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """Answer ``question``; explicit ``date_from``/``date_to`` override any date in it.

        ``history`` holds the user's earlier questions in this conversation, oldest first:
        a follow-up that names no time keeps the date window of the last one that did.
        """
        began = time.perf_counter()
        question = " ".join(question.split())
        frame = interpret_time(question, self.newest_date)
        if not frame.has_window and not frame.latest:
            for earlier in reversed(history):
                previous = interpret_time(earlier, self.newest_date)
                if previous.has_window or previous.latest:
                    frame = previous
                    break
        if date_from is not None or date_to is not None:
            frame = TimeFrame(date_from, date_to, frame.latest, None)
        window = DateRange(frame.date_from, frame.date_to)
        interpreted = Interpreted(
            query=question,
            date_from=frame.date_from.isoformat() if frame.date_from else None,
            date_to=frame.date_to.isoformat() if frame.date_to else None,
            latest=frame.latest,
        )
        passages = self.retriever.retrieve(question, k or self.top_k, window, frame.latest)
        retrieved = time.perf_counter()
        if not passages and frame.has_window:
            text = load_prompt("no_releases_in_window").render(
                window=describe_window(frame),
                first=date_in_words(self.first_date) if self.first_date else None,
                last=date_in_words(self.newest_date) if self.newest_date else None,
            )
            draft_text, citations, refused = text, [], True
        else:
            refusal = load_prompt("refusal").render(
                window=describe_window(frame) if frame.has_window else None
            )
            draft = self.answerer.answer(question, passages, frame, refusal)
            draft_text, citations, refused = draft.text, draft.citations, draft.refused
        done = time.perf_counter()
        return Answer(
            question=question,
            text=draft_text,
            refused=refused,
            citations=citations,
            interpreted=interpreted,
            passages=passages,
            timings_ms={
                "retrieve": (retrieved - began) * 1000,
                "answer": (done - retrieved) * 1000,
                "total": (done - began) * 1000,
            },
        )


def describe_window(frame: TimeFrame) -> str:
    """``from 1 March 2024 to 31 March 2024``, ``on 14 March 2024``, ``before 1 January 2016``."""
    if frame.date_from and frame.date_to:
        if frame.date_from == frame.date_to:
            return f"dated {date_in_words(frame.date_from)}"
        return f"from {date_in_words(frame.date_from)} to {date_in_words(frame.date_to)}"
    if frame.date_from:
        return f"from {date_in_words(frame.date_from)} on"
    if frame.date_to:
        return f"up to {date_in_words(frame.date_to)}"
    return ""
