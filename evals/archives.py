"""The archives the eval suites are about, and where their questions live.

Each archive has a dev half (to tune and debug on) and a test half (to measure only).
``../shared`` is looked for beside this checkout, then beside the main checkout of a git
worktree.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.formats.records import DEFAULT_FIELDS, FieldNames, parse_fields

if TYPE_CHECKING:
    from assistant.answering.engine import Engine

REPO = Path(__file__).resolve().parent.parent
# The ministry's JSON Lines export names its fields its own way; they are tried before
# the default names, which its CSV export uses (as `pressroom ingest --fields` does).
MINISTRY_FIELDS = parse_fields("title=headline,date=pubDate,body=body_html,url=link,id=nid")


@dataclass(frozen=True)
class Archive:
    name: str
    folder: Path
    dev: Path
    test: Path
    fields: FieldNames = DEFAULT_FIELDS
    # Dev questions of our own on the same archive (evals/datasets/NAME-extra.dev.jsonl):
    # tuned on with the dev half, never measured as a test.
    extra_dev: tuple[Path, ...] = ()


def shared_dir() -> Path:
    """``../shared`` beside this checkout, or beside the main checkout of a git worktree."""
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return beside
    return Path(common).parent.parent / "shared"


def archives(shared: Path) -> dict[str, Archive]:
    data = REPO / "evals" / "datasets"
    return {
        "demo": Archive(
            "demo",
            REPO / "evals" / "corpus",
            data / "demo.dev.jsonl",
            data / "demo.test.jsonl",
            extra_dev=(data / "demo-extra.dev.jsonl",),
        ),
        "fomc": Archive(
            "fomc",
            shared / "data" / "fomc",
            data / "fomc.dev.jsonl",
            data / "fomc.test.jsonl",
            extra_dev=(data / "fomc-extra.dev.jsonl",),
        ),
        "secretariat": Archive(
            "secretariat",
            shared / "data" / "secretariat" / "archive",
            shared / "data" / "secretariat" / "questions-dev.jsonl",
            shared / "data" / "secretariat" / "questions-test.jsonl",
            extra_dev=(data / "secretariat-extra.dev.jsonl",),
        ),
        "ministry": Archive(
            "ministry",
            shared / "data" / "ministry" / "archive",
            shared / "data" / "ministry" / "questions-dev.jsonl",
            shared / "data" / "ministry" / "questions-test.jsonl",
            MINISTRY_FIELDS,
            extra_dev=(data / "ministry-extra.dev.jsonl",),
        ),
    }


def ingest_archive(archive: Archive, work: Path, embedder: Any) -> Engine:
    """Ingest ``archive`` into a store under ``work`` (its feed fields mapped) and return
    an engine over it; a file that fails to read is reported on stderr."""
    import sys

    from assistant.build import make_chunker, make_engine, open_store
    from assistant.settings import Settings
    from ingest.sync import sync

    settings = Settings.from_env({}, store=work / archive.name)
    store = open_store(settings, embedder)
    report = sync([archive.folder], store, make_chunker(settings, embedder), fields=archive.fields)
    for failure in report.failed:
        print(f"  ingest failed: {failure}", file=sys.stderr)
    return make_engine(settings, store)
