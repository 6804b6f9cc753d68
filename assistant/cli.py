"""The ``pressroom`` command: parses, calls assistant/build.py (the composition root, which
constructs every part from the settings) and prints. Heavy imports wait for the command."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answering.engine import Engine
    from assistant.settings import Settings

# How often a running server checks whether another process changed the store.
SERVE_REFRESH_SECONDS = 5.0


def _store_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--store", type=Path, help="store folder (default ./.pressroom or PRESSROOM_STORE)"
    )
    where.add_argument(
        "--chroma-url", help="a `chroma run` server instead of a folder (PRESSROOM_CHROMA_URL)"
    )
    parser.add_argument(
        "--collection", help="collection name (default press, PRESSROOM_COLLECTION)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Ask a press archive; every claim cites a numbered passage of a dated release.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest",
        help="sync files or folders of releases into the store",
        description="Sync files or folders of releases into the store: add new releases, "
        "skip unchanged ones, replace changed ones, store republished ones once. Exit "
        "status: 0 when something was read (failures are listed), 1 when nothing could be "
        "read or, with --strict, when anything failed, 2 on a usage error.",
    )
    ingest.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a folder (read recursively) or a file: .txt .md .html .htm .pdf .docx .json "
        ".jsonl .csv",
    )
    ingest.add_argument(
        "--prune",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="remove stored releases whose file (or feed record) under a PATH is gone "
        "(default: on; a file that fails to read never loses its releases)",
    )
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="drop the collection and embed everything again (after changing the embedder)",
    )
    ingest.add_argument(
        "--json", action="store_true", help="print the report as one JSON object on stdout"
    )
    ingest.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        help="where the embedding model runs (default auto: cuda when available, PRESSROOM_DEVICE)",
    )
    ingest.add_argument(
        "--strict", action="store_true", help="exit 1 when any file or record failed"
    )
    ingest.add_argument(
        "--fields",
        metavar="KIND=FIELD,...",
        help="which feed fields hold what, e.g. title=headline,date=pubDate,body=body_html,"
        "url=link,id=nid (PRESSROOM_FEED_FIELDS; see docs/metadata.md)",
    )
    ingest.add_argument(
        "--metadata",
        type=Path,
        metavar="FILE",
        help="a CSV of corrections (release_id,published,title,place,url; blank keeps what "
        "was read), on top of each folder's own pressroom-metadata.csv",
    )
    _store_options(ingest)

    ask = commands.add_parser("ask", help="answer one question with cited passages")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer object as JSON")
    ask.add_argument(
        "--explain",
        action="store_true",
        help="also print the leading sentences' features and weights and each refusal "
        "rule's verdict (in --json: the answer's `explanation`)",
    )
    ask.add_argument("-k", type=int, help="passages to retrieve (default 5, PRESSROOM_TOP_K)")
    ask.add_argument("--date-from", type=_date, help="only releases on or after YYYY-MM-DD")
    ask.add_argument("--date-to", type=_date, help="only releases on or before YYYY-MM-DD")
    _store_options(ask)

    serve = commands.add_parser("serve", help="serve the chat in a browser")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, PRESSROOM_HOST)")
    serve.add_argument("--port", type=int, help="port (default 7860, PRESSROOM_PORT)")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="ingest the bundled demo archive first if the store is empty",
    )
    serve.add_argument(
        "--watch",
        action="append",
        type=Path,
        metavar="ARCHIVE",
        help="sync this folder (or file) into the store at start and then every --every, "
        "in the serving process: the way to take new releases with an embedded store, "
        "which a running server holds (repeat for several)",
    )
    serve.add_argument(
        "--every",
        type=_interval,
        default="10m",
        metavar="INTERVAL",
        help="how often --watch syncs: 30s, 10m (default), 1h",
    )
    _store_options(serve)

    token = commands.add_parser(
        "widget-token",
        help="print a short-lived widget token signed with PRESSROOM_API_TOKEN",
        description="For the page that embeds the widget: its server runs this (or calls "
        "assistant.web.security.sign_widget_token) and puts the token in the script tag's "
        "data-token attribute, so the API token itself never reaches a browser.",
    )
    token.add_argument("--ttl", type=int, default=3600, help="seconds the token is valid (3600)")

    evaluate = commands.add_parser("eval", help="run eval suites and print their metrics")
    evaluate.add_argument("suites", nargs="+", type=Path, metavar="SUITE.jsonl")
    evaluate.add_argument(
        "--report-json", type=Path, metavar="FILE", help="write metrics and answers"
    )
    evaluate.add_argument(
        "--report-md", type=Path, metavar="FILE", help="write Markdown tables (a CI job summary)"
    )
    evaluate.add_argument(
        "--junit", type=Path, metavar="FILE", help="write JUnit XML: one test case per question"
    )
    evaluate.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="write one self-contained HTML page: charts per question type, failed questions",
    )
    evaluate.add_argument(
        "--check",
        nargs="?",
        const=Path("evals/thresholds.toml"),
        type=Path,
        metavar="THRESHOLDS.toml",
        help="exit 1 if a metric misses its threshold (default evals/thresholds.toml)",
    )
    evaluate.add_argument(
        "--compare",
        type=_configs,
        metavar="CONFIG,CONFIG,...",
        help="run the suites under several configurations over the same store and print "
        "one table per suite (a column each): dense, bm25, hybrid (both, no date "
        "windows), hybrid+dates, extractive (hybrid+dates, never an LLM), llm (needs one)",
    )
    evaluate.add_argument("-k", type=int, help="passages to retrieve (default 5)")
    _store_options(evaluate)

    tune = commands.add_parser(
        "tune",
        help="fit the answering model to this collection from your own questions",
        description="Fit the tuning (docs/tuning.md) on DEV.jsonl's questions, print dev "
        "and test figures side by side with the shipped tuning, and keep the fit with the "
        "collection (used by ask, serve and eval from then on). See "
        "docs/tuning-your-archive.md.",
    )
    tune.add_argument("dev", nargs="?", type=Path, metavar="DEV.jsonl", help="questions to fit on")
    tune.add_argument(
        "--test", type=Path, metavar="TEST.jsonl", help="questions only measured, never fitted on"
    )
    tune.add_argument(
        "--reset", action="store_true", help="forget this collection's fit (back to the shipped)"
    )
    tune.add_argument(
        "--answer-fields",
        default="",
        metavar="F,G",
        help="also fit these answering fields (each candidate re-asks every question: slow)",
    )
    tune.add_argument("-k", type=int, default=5, help="passages per question (5)")
    _store_options(tune)
    return parser


def _date(text: str) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _interval(text: str) -> float:
    from assistant.watch import parse_interval

    try:
        return parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _configs(text: str) -> list[str]:
    from evals.compare import parse_configs

    try:
        return parse_configs(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _settings(args: argparse.Namespace) -> Settings:
    from assistant.settings import Settings

    return Settings.from_env(
        store=getattr(args, "store", None),
        chroma_url=getattr(args, "chroma_url", None),
        collection=getattr(args, "collection", None),
        top_k=getattr(args, "k", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        device=getattr(args, "device", None),
        feed_fields=getattr(args, "fields", None),
    )


def run_ingest(args: argparse.Namespace) -> int:
    from assistant.build import ingest_paths
    from assistant.logs import configure as configure_logs
    from assistant.logs import event as log_event

    settings = _settings(args)
    if args.metadata is not None and not args.metadata.is_file():
        print(f"pressroom: {args.metadata}: no such metadata file", file=sys.stderr)
        return 2
    report = ingest_paths(
        settings, args.paths, prune=args.prune, rebuild=args.rebuild, metadata=args.metadata
    )
    configure_logs()
    log_event(
        "ingest",
        **{k: len(v) if isinstance(v, list) else v for k, v in report.to_dict().items()},
        releases_read=report.releases_read,
    )
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(report.summary())
    if report.releases_read == 0:
        print("pressroom: nothing could be read from the paths given", file=sys.stderr)
        return 1
    return 1 if args.strict and report.failed else 0


def _engine_over_a_filled_store(settings: Settings) -> Engine | None:
    """The engine over the configured store, or None (said on stderr) when it is empty."""
    from assistant.build import make_engine, open_store

    store = open_store(settings)
    if store.count() == 0:
        print(
            f"the store is empty: run `pressroom ingest PATH` first ({settings.store})",
            file=sys.stderr,
        )
        return None
    return make_engine(settings, store)


def run_ask(args: argparse.Namespace) -> int:
    from assistant.web.render import answer_as_text

    settings = _settings(args)
    engine = _engine_over_a_filled_store(settings)
    if engine is None:
        return 1
    answer = engine.ask(
        args.question, date_from=args.date_from, date_to=args.date_to, explain=args.explain
    )
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer_as_text(answer))
        if answer.explanation is not None:
            print("\n" + explanation_as_text(answer.explanation))
    return 0


def explanation_as_text(explanation: dict[str, Any]) -> str:
    """The ``--explain`` block: each leading sentence's score as weight x feature, then
    the refusal rules in order with their verdicts."""
    lines = ["Leading sentences (score = sum of weight x feature):"]
    for n, candidate in enumerate(explanation["candidates"], start=1):
        terms = "  ".join(
            f"{name} {candidate['weights'].get(name, 0):g}x{value:.3f}"
            for name, value in candidate["features"].items()
        )
        lines.append(f"{n}. {candidate['score']:.3f} [passage {candidate['passage']}] {terms}")
        lines.append(f"   {candidate['text'][:160]}")
    lines.append("Refusal rules (in order):")
    for verdict in explanation["verdicts"]:
        mark = "FIRED" if verdict["fired"] else "pass "
        detail = f": {verdict['detail']}" if verdict["fired"] and verdict["detail"] else ""
        lines.append(f"  {mark} {verdict['rule']}{detail}")
    return "\n".join(lines)


def run_serve(args: argparse.Namespace) -> int:
    from contextlib import AbstractContextManager, ExitStack, nullcontext

    from assistant.build import ingest_paths, make_chunker, make_engine, open_store, writer_lock
    from assistant.web.app import launch
    from ingest.sync import sync
    from vectorstore.lock import SERVER_ROLE, StoreLock

    settings = _settings(args)
    with ExitStack() as held:
        if not settings.chroma_url:
            # An embedded store belongs to this process while it serves: an ingest beside
            # it is refused at once (see vectorstore.lock); --watch is its writer.
            held.enter_context(StoreLock(settings.store, role=SERVER_ROLE))

        def write_lock() -> AbstractContextManager[object]:
            return writer_lock(settings) if settings.chroma_url else nullcontext()

        store = open_store(settings)
        if args.demo and store.count() == 0:
            from evals.demo import demo_archive

            archive = demo_archive()
            print(f"empty store: ingesting the demo archive {archive}", file=sys.stderr)
            report = ingest_paths(settings, [archive], store=store, lock=write_lock())
            print(report.summary(), file=sys.stderr)
        engine = make_engine(settings, store, refresh_seconds=SERVE_REFRESH_SECONDS)
        _one_encoder_thread_per_answer()
        if args.watch:
            from assistant.watch import Watcher
            from ingest.formats.records import parse_fields

            chunker = make_chunker(settings, store.embedder)
            paths = [path.resolve() for path in args.watch]

            def sync_once() -> dict[str, object]:
                with write_lock():
                    report = sync(
                        paths,
                        store,
                        chunker,
                        max_bytes=settings.max_file_bytes,
                        batch_chunks=settings.embed_batch,
                        lexical_dir=settings.lexical_folder,
                        fields=parse_fields(settings.feed_fields),
                    )
                engine.refresh(force=True)
                return {
                    k: len(v) if isinstance(v, list) else v for k, v in report.to_dict().items()
                }

            held.callback(Watcher(sync_once, args.every).start().stop)
        launch(engine, settings)
    return 0


def _one_encoder_thread_per_answer() -> None:
    """A server computes answers side by side (PRESSROOM_MAX_CONCURRENT, about one per
    core), each on one thread. PyTorch's default, a pool of threads per call, made every
    call wait on the others once several answers ran at once: a question's embedding
    took 200-440 ms instead of 20 ms on two busy cores (py-spy and a direct measurement;
    see docs/deploying.md), and that was the p95."""
    import torch

    torch.set_num_threads(1)


def run_eval(args: argparse.Namespace) -> int:
    from assistant.build import make_engine, open_store
    from evals.runner import run_cli

    settings = _settings(args)
    store = open_store(settings)
    engine = make_engine(settings, store)
    if args.compare:
        from evals.compare import run_compare

        if args.check is not None:
            print(
                "pressroom: error: --check applies to one configuration, not --compare",
                file=sys.stderr,
            )
            return 2
        return run_compare(engine, args.suites, args.compare, report_json=args.report_json)
    return run_cli(
        engine,
        args.suites,
        report_json=args.report_json,
        check=args.check,
        report_md=args.report_md,
        junit=args.junit,
        html=args.html,
    )


def run_widget_token(args: argparse.Namespace) -> int:
    from assistant.web.security import sign_widget_token

    settings = _settings(args)
    if settings.api_token is None:
        print("PRESSROOM_API_TOKEN is not set: the API needs no token", file=sys.stderr)
        return 1
    print(sign_widget_token(settings.api_token.get_secret_value(), args.ttl))
    return 0


def run_tune(args: argparse.Namespace) -> int:
    from assistant.build import collection_tuning

    settings = _settings(args)
    target = collection_tuning(settings)
    if target is None:
        print(
            "pressroom: error: a `chroma run` store keeps its tuning beside the BM25 index: "
            "set PRESSROOM_LEXICAL_DIR",
            file=sys.stderr,
        )
        return 2
    if args.reset:
        if target.is_file():
            target.unlink()
            print(f"removed {target}: the shipped tuning applies again")
        else:
            print("this collection has no fitted tuning: the shipped one applies")
        return 0
    if args.dev is None:
        print("pressroom: error: tune needs DEV.jsonl (or --reset)", file=sys.stderr)
        return 2
    from evals.tune import tune_collection

    engine = _engine_over_a_filled_store(settings)
    if engine is None:
        return 1
    answer_fields = [f for f in args.answer_fields.split(",") if f]
    return tune_collection(engine, args.dev, args.test, target, answer_fields, args.k)


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `pressroom ask … | head` ends quietly, like other tools
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = build_parser().parse_args(argv)
    # Before anything imports huggingface_hub (gradio does), which reads it once.
    from vectorstore.offline import keep_hub_offline

    keep_hub_offline()
    handlers = {
        "ingest": run_ingest,
        "ask": run_ask,
        "serve": run_serve,
        "eval": run_eval,
        "tune": run_tune,
        "widget-token": run_widget_token,
    }
    from pressroom.errors import PressroomError

    try:
        return handlers[args.command](args)
    except PressroomError as error:
        print(f"pressroom: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        print(f"pressroom: internal error: {_save_traceback(error)}", file=sys.stderr)
        return 1


def _save_traceback(error: Exception) -> str:
    """Write ``error``'s traceback to a log file and say where: a bug, not the user's
    input, so the terminal gets one line and a reference, the report gets the details."""
    import tempfile
    import traceback
    import uuid

    reference = uuid.uuid4().hex[:12]
    path = Path(tempfile.gettempdir()) / f"pressroom-error-{reference}.log"
    try:
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        return f"{type(error).__name__}: {error} (ref {reference}; the log could not be written)"
    return f"{type(error).__name__} (ref {reference}); the traceback is in {path}"


if __name__ == "__main__":
    sys.exit(main())
