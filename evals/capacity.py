"""A capacity run: people at a person's pace against a real `pressroom serve` with its
default settings (rate limit included) over an embedded store.

    python -m evals.load --users 20 --pace 20 --seconds 60 --source-addresses \\
        --archive ../shared/data/fomc [--via-nginx]

Each of ``users`` simulated people asks a question of the archive's suite (or the demo
suite) at most ``pace`` times a minute: one every ``60 / pace`` seconds, the first at a
random offset within that interval, the next at once when an answer came late. With
``source_addresses`` user *i* connects from 127.0.0.(10 + *i*), so the server (or the
nginx in front of it, with ``via_nginx``) sees each person as their own client. A failure
is any response but a 200 with an answer (a 429 or 503 too), a transport error or a
timeout. Loopback only; bounded by ``users`` and ``seconds``.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from evals.load import (
    DEMO_SUITE,
    REQUEST_TIMEOUT_S,
    ask,
    free_port,
    percentile,
    pressroom,
    start_server,
)
from evals.nginx import Nginx

FIRST_SOURCE = 10  # user i connects from 127.0.0.(FIRST_SOURCE + i)
MAX_USERS = 245  # so every address stays within 127.0.0.10 - 127.0.0.254


def source_address(user: int) -> str:
    if not 0 <= user < MAX_USERS:
        raise ValueError(f"user {user}: at most {MAX_USERS} source addresses")
    return f"127.0.0.{FIRST_SOURCE + user}"


def serve_env(
    store: Path, trusted_proxies: str = "", settings: dict[str, str] | None = None
) -> dict[str, str]:
    """Default settings over the embedded ``store`` but for ``settings`` (NAME -> value,
    as ``PRESSROOM_NAME``); nothing inherited from PRESSROOM_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PRESSROOM_STORE=str(store))
    if trusted_proxies:
        env["PRESSROOM_TRUSTED_PROXIES"] = trusted_proxies
    env.update({f"PRESSROOM_{name.upper()}": value for name, value in (settings or {}).items()})
    return env


def questions_for(archive: Path) -> list[str]:
    """The questions of the suite in evals/datasets named after the archive's folder (else
    the demo suite): only their text, as traffic."""
    suite = Path(__file__).resolve().parent / "datasets" / f"{archive.name}.jsonl"
    path = suite if suite.is_file() else DEMO_SUITE
    return [json.loads(line)["question"] for line in path.read_text().splitlines() if line]


async def people(
    url: str, users: int, pace: float, seconds: float, questions: list[str], sources: bool
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: collections.Counter[str] = collections.Counter()
    interval = 60.0 / pace
    began = time.monotonic()
    stop = began + seconds

    async def person(number: int) -> None:
        rng = random.Random(number)
        transport = httpx.AsyncHTTPTransport(
            local_address=source_address(number) if sources else None
        )
        async with httpx.AsyncClient(
            base_url=url, timeout=REQUEST_TIMEOUT_S, transport=transport
        ) as client:
            due = began + rng.uniform(0, interval)
            while due < stop:
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                elapsed, result = await ask(client, rng.choice(questions))
                if isinstance(result, str):
                    failures[result.split(":")[0]] += 1
                else:
                    latencies.append(elapsed)
                due = max(due + interval, time.monotonic())

    await asyncio.gather(*(person(n) for n in range(users)))
    took = time.monotonic() - began
    return {
        "requests": len(latencies) + sum(failures.values()),
        "failed": sum(failures.values()),
        "failures": dict(failures),
        "requests_per_s": round((len(latencies) + sum(failures.values())) / took, 2),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5)),
            "p95": round(percentile(latencies, 0.95)),
            "max": round(max(latencies, default=0.0)),
        },
    }


def capacity(
    archive: Path,
    workdir: Path,
    users: int,
    pace: float,
    seconds: float,
    sources: bool,
    via_nginx: bool = False,
    settings: dict[str, str] | None = None,
) -> dict[str, Any]:
    store = workdir / "store"
    env = serve_env(store, "127.0.0.1" if via_nginx else "", settings)
    ingest = pressroom(["ingest", str(archive)], "", env, stdout=subprocess.DEVNULL)
    if ingest.wait(timeout=1800) != 0:
        raise RuntimeError(f"ingesting {archive} failed")
    questions = questions_for(archive)
    port = free_port()
    server, _ = start_server("", port, workdir / "serve.log", env)
    try:
        url = f"http://127.0.0.1:{port}"
        asyncio.run(people(url, 2, 60, 3, questions, False))  # warm up: first-call costs
        load_before = os.getloadavg()
        if via_nginx:
            with Nginx(workdir / "nginx", free_port(), port) as proxy:
                result = asyncio.run(people(proxy.url, users, pace, seconds, questions, sources))
        else:
            result = asyncio.run(people(url, users, pace, seconds, questions, sources))
        load_after = os.getloadavg()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    latency = result["latency_ms"]
    return {
        "archive": str(archive),
        "users": users,
        "pace_per_min": pace,
        "seconds": seconds,
        "source_addresses": sources,
        "via_nginx": via_nginx,
        "settings": settings or "defaults",
        **result,
        "load_average_1m": {"before": load_before[0], "after": load_after[0]},
        "cores": os.cpu_count(),
        "ok": result["failed"] == 0 and result["requests"] > 0 and latency["p95"] <= 2000,
    }


def capacity_table(summary: dict[str, Any]) -> str:
    latency = summary["latency_ms"]
    rows = [
        (
            "users × pace × seconds",
            f"{summary['users']} × {summary['pace_per_min']}/min × {summary['seconds']} s",
        ),
        ("through nginx", summary["via_nginx"]),
        ("requests (failed)", f"{summary['requests']} ({summary['failed']}) {summary['failures']}"),
        ("requests/s", summary["requests_per_s"]),
        ("latency p50 / p95 / max", f"{latency['p50']} / {latency['p95']} / {latency['max']} ms"),
        ("load average (1 min)", f"{summary['load_average_1m']} on {summary['cores']} cores"),
        ("ok (0 failed, p95 ≤ 2 s)", summary["ok"]),
    ]
    return "\n".join(f"{name:<26} {value}" for name, value in rows)
