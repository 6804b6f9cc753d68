"""A bounded load run: chat clients against a real `pressroom serve` while an ingest runs.

    python -m evals.load [--clients 20] [--seconds 60] [--ingest 500] [--workdir DIR]

1. Starts a `chroma run` server (the way to share one store between a server and an ingest:
   an embedded store belongs to one process; another process's writes stay invisible to
   its vector index) and ingests the demo archive into it (`pressroom ingest`).
2. Starts `pressroom serve` over it on a free loopback port, rate limit off (every client
   shares the loopback address, and a 429 here would be the limit working, not a failure).
3. Starts `pressroom ingest` of ``--ingest`` new synthetic releases into the same store and,
   at the same time, ``--clients`` clients ask the demo suite's questions through
   ``POST /api/ask`` for ``--seconds`` seconds, each sending its next question as soon as
   the last one is answered.
4. Waits for the ingest to end, then asks about every new release by its date and unique
   decision reference ("What was decided on 4 May 2019 under reference 2019/00042?"): the
   release is answerable when the answer is not a refusal and cites it. The running server
   must see what was ingested after it started, in both retrievers and the date filter.
5. SIGKILLs the server, starts it again, and checks that the first question after the port
   opens is answered and that the store's counts are what they were.

A failure is any response but a 200 with an answer, a transport error or a timeout.
Prints a JSON summary on stdout and a table on stderr; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from evals.synthetic import write_archive

REPO = Path(__file__).resolve().parent.parent
DEMO_ARCHIVE = REPO / "evals" / "corpus"
DEMO_SUITE = REPO / "evals" / "datasets" / "demo.dev.jsonl"
REFERENCE = re.compile(r"(\d{1,2} [A-Z][a-z]+ \d{4}) – .*?reference (\d{4}/\d{5})", re.DOTALL)
REQUEST_TIMEOUT_S = 120.0


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + len(self.failures)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_chroma(folder: Path, port: int) -> subprocess.Popen[bytes]:
    """A `chroma run` server on loopback, once its heartbeat answers."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    process = subprocess.Popen(
        [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            heartbeat = httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            if heartbeat.status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}")
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("chroma run did not answer in 60 s")


def pressroom_env(store: str) -> dict[str, str]:
    """The environment of a `pressroom` subprocess over ``store`` (a Chroma server URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_")}
    env.update(  # the command keeps the hub offline itself (vectorstore.offline)
        PRESSROOM_CHROMA_URL=store,
        PRESSROOM_RATE_LIMIT_PER_MINUTE="0",
    )
    return env


def pressroom(
    args: list[str], store: str, env: dict[str, str] | None = None, **popen: Any
) -> subprocess.Popen[str]:
    """A `pressroom` subprocess over the Chroma server ``store``, or with ``env``."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=REPO,
        env=env if env is not None else pressroom_env(store),
        text=True,
        **popen,
    )


def start_server(
    store: str, port: int, log: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], float]:
    """`pressroom serve` and the seconds until its API answered."""
    began = time.perf_counter()
    with log.open("a") as out:
        process = pressroom(
            ["serve", "--port", str(port)], store, env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pressroom serve exited with {process.returncode}; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process, time.perf_counter() - began
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"pressroom serve did not answer in 300 s; see {log}")


async def ask(client: httpx.AsyncClient, question: str) -> tuple[float, dict[str, Any] | str]:
    """(milliseconds, the answer JSON or why the request failed)."""
    began = time.perf_counter()
    try:
        response = await client.post("/api/ask", json={"question": question})
    except httpx.HTTPError as error:
        return (time.perf_counter() - began) * 1000, f"{type(error).__name__}: {error}"
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        return elapsed, f"HTTP {response.status_code}: {response.text[:200]}"
    try:
        data = response.json()
    except ValueError:
        return elapsed, "a 200 whose body is not JSON"
    if not isinstance(data, dict) or not isinstance(data.get("answer"), str):
        return elapsed, "a 200 without an answer"
    return elapsed, data


async def chat_clients(url: str, clients: int, seconds: float, questions: list[str]) -> Tally:
    tally = Tally()
    stop = time.monotonic() + seconds

    async def one(number: int) -> None:
        rng = random.Random(number)
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
            while time.monotonic() < stop:
                elapsed, result = await ask(client, rng.choice(questions))
                if isinstance(result, str):
                    tally.failures.append(result)
                else:
                    tally.latencies_ms.append(elapsed)

    await asyncio.gather(*(one(n) for n in range(clients)))
    return tally


async def unanswerable(url: str, questions: dict[str, str], clients: int) -> dict[str, str]:
    """Release id -> why, for each of ``questions`` (id -> question) whose answer does not
    cite its release."""
    missing: dict[str, str] = {}
    queue = list(questions.items())

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
            while queue:
                release_id, question = queue.pop()
                _, result = await ask(client, question)
                if isinstance(result, str):
                    missing[release_id] = result
                elif result["refused"]:
                    missing[release_id] = "refused"
                elif release_id not in {c["release_id"] for c in result["citations"]}:
                    missing[release_id] = "cites other releases"

    await asyncio.gather(*(worker() for _ in range(clients)))
    return dict(sorted(missing.items()))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def questions_of(archive: Path) -> dict[str, str]:
    """Release id (the path under ``archive``) -> a question only it answers: its date
    and unique decision reference, from its lead."""
    found = {}
    for path in sorted(archive.rglob("*.*")):
        match = REFERENCE.search(path.read_text(encoding="utf-8"))
        if match:
            day, reference = match.groups()
            found[path.relative_to(archive).as_posix()] = (
                f"What was decided on {day} under reference {reference}?"
            )
    return found


def run(clients: int, seconds: float, releases: int, workdir: Path) -> dict[str, Any]:
    chroma_port = free_port()
    chroma = start_chroma(workdir / "chroma", chroma_port)
    try:
        return _run(clients, seconds, releases, workdir, f"http://127.0.0.1:{chroma_port}")
    finally:
        chroma.terminate()
        chroma.wait(timeout=30)


def _run(clients: int, seconds: float, releases: int, workdir: Path, store: str) -> dict[str, Any]:
    log = workdir / "serve.log"
    base = pressroom(["ingest", str(DEMO_ARCHIVE)], store, stdout=subprocess.DEVNULL)
    if base.wait(timeout=900) != 0:
        raise RuntimeError("ingesting the demo archive failed")
    archive = workdir / "new-releases"
    write_archive(archive, releases, seed=9, series=False)
    references = questions_of(archive)
    questions = [json.loads(line)["question"] for line in DEMO_SUITE.read_text().splitlines()]

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server, _ = start_server(store, port, log)
    try:
        began = time.perf_counter()
        ingest = pressroom(
            ["ingest", str(archive), "--json"],
            store,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        tally = asyncio.run(chat_clients(url, clients, seconds, questions))
        load_s = time.perf_counter() - began
        out, _ = ingest.communicate(timeout=3600)
        ingest_s = time.perf_counter() - began
        report = json.loads(out) if ingest.returncode == 0 else {}
        added = len(report.get("added", []))

        time.sleep(6)  # the server checks the store for changes every 5 s
        missing = asyncio.run(unanswerable(url, references, clients))
        before = httpx.get(f"{url}/api/health", timeout=30).json()

        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        server, restart_s = start_server(store, port, log)
        first_ms, first = asyncio.run(_first_answer(url, questions[0]))
        after = httpx.get(f"{url}/api/health", timeout=30).json()
    finally:
        server.kill()
        server.wait(timeout=30)

    summary = {
        "clients": clients,
        "seconds": round(load_s, 1),
        "requests": tally.requests,
        "failed": len(tally.failures),
        "failures": sorted(set(tally.failures))[:10],
        "requests_per_s": round(tally.requests / load_s, 2),
        "latency_ms": {
            "p50": round(percentile(tally.latencies_ms, 0.5)),
            "p95": round(percentile(tally.latencies_ms, 0.95)),
            "max": round(max(tally.latencies_ms, default=0.0)),
        },
        "ingest": {
            "releases": releases,
            "added": added,
            "exit_status": ingest.returncode,
            "seconds": round(ingest_s, 1),
        },
        "answerable": {"checked": len(references), "missing": missing},
        "why_missing": sorted(set(missing.values()))[:10],
        "restart": {
            "seconds_to_ready": round(restart_s, 1),
            "first_answer_ms": round(first_ms),
            "first_answer_ok": isinstance(first, dict),
            "counts_before": {k: before[k] for k in ("chunks", "releases")},
            "counts_after": {k: after[k] for k in ("chunks", "releases")},
        },
    }
    summary["ok"] = (
        summary["failed"] == 0
        and tally.requests > 0
        and ingest.returncode == 0
        and added == releases
        and not missing
        and len(references) == releases
        and isinstance(first, dict)
        and all(before[k] == after[k] for k in ("chunks", "releases"))
    )
    return summary


async def _first_answer(url: str, question: str) -> tuple[float, dict[str, Any] | str]:
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        return await ask(client, question)


def table(summary: dict[str, Any]) -> str:
    latency, ingest, restart = summary["latency_ms"], summary["ingest"], summary["restart"]
    rows = [
        ("clients × seconds", f"{summary['clients']} × {summary['seconds']}"),
        ("requests (failed)", f"{summary['requests']} ({summary['failed']})"),
        ("requests/s", summary["requests_per_s"]),
        ("latency p50 / p95 / max", f"{latency['p50']} / {latency['p95']} / {latency['max']} ms"),
        (
            "ingest added / seconds",
            f"{ingest['added']}/{ingest['releases']} in {ingest['seconds']} s",
        ),
        (
            "new releases answerable",
            f"{summary['answerable']['checked'] - len(summary['answerable']['missing'])}"
            f"/{summary['answerable']['checked']}",
        ),
        (
            "restart after SIGKILL",
            f"ready in {restart['seconds_to_ready']} s, first answer "
            f"{restart['first_answer_ms']} ms, counts {restart['counts_after']}",
        ),
        ("ok", summary["ok"]),
    ]
    return "\n".join(f"{name:<26} {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ingest", type=int, default=500, help="new releases ingested meanwhile")
    parser.add_argument("--workdir", type=Path, help="keep the store and serve.log here")
    capacity = parser.add_argument_group(
        "capacity run (with --users): people at a person's pace, default settings, an "
        "embedded store of --archive, no ingest meanwhile (see evals/capacity.py)"
    )
    capacity.add_argument("--users", type=int, help="simulated people")
    capacity.add_argument(
        "--pace", type=float, default=20.0, help="most questions a minute per person (20)"
    )
    capacity.add_argument(
        "--source-addresses",
        action="store_true",
        help="person i connects from 127.0.0.(10+i), so each is its own client",
    )
    capacity.add_argument(
        "--archive", type=Path, default=DEMO_ARCHIVE, help="archive to ingest and ask"
    )
    capacity.add_argument(
        "--via-nginx", action="store_true", help="through nginx with deploy/'s site config"
    )
    capacity.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting other than its default (PRESSROOM_NAME), to compare",
    )
    args = parser.parse_args(argv)
    if args.users:
        return _capacity_main(args)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        summary = run(args.clients, args.seconds, args.ingest, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="pressroom-load-") as folder:
            summary = run(args.clients, args.seconds, args.ingest, Path(folder))
    print(json.dumps(summary, ensure_ascii=False))
    print(table(summary), file=sys.stderr)
    return 0 if summary["ok"] else 1


def _capacity_main(args: argparse.Namespace) -> int:
    from evals.capacity import capacity, capacity_table

    def measure(folder: Path) -> dict[str, Any]:
        return capacity(
            args.archive.resolve(),
            folder,
            args.users,
            args.pace,
            args.seconds,
            args.source_addresses,
            args.via_nginx,
            dict(item.split("=", 1) for item in args.setting),
        )

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        summary = measure(args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="pressroom-capacity-") as folder:
            summary = measure(Path(folder))
    print(json.dumps(summary, ensure_ascii=False))
    print(capacity_table(summary), file=sys.stderr)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
