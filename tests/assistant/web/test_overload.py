"""The bound on answers computed at once: a short queue, then 503 + Retry-After at once;
the chat says it is busy and tries once more."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from assistant.answering.engine import Engine
from assistant.settings import Settings
from assistant.web.api import build_server
from assistant.web.app import BUSY_GAVE_UP, BUSY_RETRYING, with_a_slot
from assistant.web.overload import Busy, Slots

Serve = Callable[[Any], str]


def test_slots_queue_up_to_the_bound_then_refuse() -> None:
    slots = Slots(running=1, waiting=1)
    slots.enter()
    got_in = threading.Event()

    def queued() -> None:
        slots.enter()
        got_in.set()
        slots.leave()

    waiter = threading.Thread(target=queued)
    waiter.start()
    deadline = time.monotonic() + 5
    while slots.stats()["waiting"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    with pytest.raises(Busy, match="1 answers running and 1 waiting"):
        slots.enter()  # the queue is full: refused at once
    assert not got_in.is_set()
    slots.leave()
    waiter.join(timeout=5)
    assert got_in.is_set() and slots.stats() == {"running": 0, "waiting": 0}


def test_the_api_answers_503_with_retry_after_at_once_when_busy(
    demo_engine: Engine, serve: Serve
) -> None:
    slots = Slots(running=1, waiting=0)
    url = serve(build_server(demo_engine, Settings.from_env({}), slots=slots))
    question = {"question": "What did Morvania do?"}
    assert httpx.post(f"{url}/api/ask", json=question, timeout=60).status_code == 200
    slots.enter()  # another answer is being computed
    try:
        began = time.monotonic()
        for path, body in (
            ("/api/ask", question),
            ("/v1/chat/completions", {"messages": [{"role": "user", "content": "Morvania?"}]}),
            (
                "/v1/chat/completions",
                {"messages": [{"role": "user", "content": "Morvania?"}], "stream": True},
            ),
        ):
            busy = httpx.post(f"{url}{path}", json=body, timeout=60)
            assert busy.status_code == 503, path
            assert busy.headers["retry-after"] == "1"
            assert "busy" in busy.json()["detail"]
        assert time.monotonic() - began < 5
    finally:
        slots.leave()
    streamed = httpx.post(
        f"{url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Morvania?"}], "stream": True},
        timeout=60,
    )
    assert streamed.status_code == 200 and streamed.text.endswith("data: [DONE]\n\n")
    assert slots.stats() == {"running": 0, "waiting": 0}  # the stream gave its slot back


def answering() -> Iterator[str]:
    yield "the answer"


def test_the_chat_says_busy_retries_once_then_gives_up() -> None:
    slots = Slots(running=1, waiting=0)
    assert list(with_a_slot(slots, answering)) == ["the answer"]
    slots.enter()
    assert list(with_a_slot(slots, answering)) == [BUSY_RETRYING, BUSY_GAVE_UP]
    freed = threading.Timer(0.3, slots.leave)
    freed.start()
    assert list(with_a_slot(slots, answering)) == [BUSY_RETRYING, "the answer"]
    assert slots.stats() == {"running": 0, "waiting": 0}
