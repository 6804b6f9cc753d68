"""`pressroom ingest` flags and exit status, run in-process (the subprocess path is covered
by test_cli.py and tests/ingest/test_crash.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from vectorstore.embedder import Embedder
from vectorstore.store import ChunkStore, open_client

RELEASE = "Commission meets in {place}\n\n{place}, {day} March 2024 – The Commission met today.\n"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "PRESSROOM_STORE",
        "PRESSROOM_CHROMA_URL",
        "PRESSROOM_COLLECTION",
        "PRESSROOM_CHROMA_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)


def archive_in(tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    archive.mkdir()
    for day, place in ((1, "Riga"), (2, "Tallinn")):
        (archive / f"{place.lower()}.txt").write_text(RELEASE.format(place=place, day=day))
    (archive / "broken.json").write_text('[{"title": ')
    return archive


def ingest(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["ingest", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive, store = archive_in(tmp_path), tmp_path / "store"
    code, out, err = ingest(capsys, archive, "--store", store, "--json")
    assert code == 0  # something was read; the broken feed is reported, not fatal
    report = json.loads(out)
    assert sorted(report) == sorted(
        [
            "added",
            "updated",
            "unchanged",
            "removed",
            "duplicates",
            "failed",
            "skipped",
            "chunks_written",
            "undated_count",
            "undated",
            "seconds",
        ]
    )
    assert sorted(report["added"]) == ["riga.txt", "tallinn.txt"]
    assert [Path(f["path"]).name for f in report["failed"]] == ["broken.json"]
    assert report["failed"][0]["reason"].startswith("malformed JSON")
    assert report["chunks_written"] == 2 and report["seconds"] > 0
    assert "embedding 2 chunks" in err  # plain progress lines: stderr is not a terminal

    code, out, _ = ingest(capsys, archive, "--store", store, "--strict")
    assert code == 1
    assert out.startswith("releases: 0 added, 0 updated, 2 unchanged, 0 removed, 1 failed")


def test_nothing_readable_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "bad"
    archive.mkdir()
    (archive / "x.json").write_text("{")
    code, _, err = ingest(capsys, archive, "--store", tmp_path / "store")
    assert code == 1
    assert "nothing could be read" in err


def test_no_prune(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive, store = archive_in(tmp_path), tmp_path / "store"
    ingest(capsys, archive, "--store", store)
    (archive / "tallinn.txt").unlink()
    _, out, _ = ingest(capsys, archive, "--store", store, "--no-prune", "--json")
    assert json.loads(out)["removed"] == []
    _, out, _ = ingest(capsys, archive, "--store", store, "--json")
    assert json.loads(out)["removed"] == ["tallinn.txt"]


class OtherEmbedder:
    name = "other-model"
    dimension = 8


def test_rebuild_after_an_embedder_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, store = archive_in(tmp_path), tmp_path / "store"
    ChunkStore(open_client(store), "press", OtherEmbedder())  # type: ignore[arg-type]
    code, _, err = ingest(capsys, archive, "--store", store)
    assert code == 2
    assert "other-model (8-d)" in err and "--rebuild" in err and "Traceback" not in err
    code, out, err = ingest(capsys, archive, "--store", store, "--rebuild", "--json")
    assert code == 0, err
    assert sorted(json.loads(out)["added"]) == ["riga.txt", "tallinn.txt"]


def test_file_size_limit_comes_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = archive_in(tmp_path)
    monkeypatch.setenv("PRESSROOM_MAX_FILE_MB", "0.00005")  # 52 bytes
    code, out, _ = ingest(capsys, archive, "--store", tmp_path / "store", "--json")
    assert code == 1  # both releases are over the limit, the feed is broken: nothing read
    failed = {Path(f["path"]).name: f["reason"] for f in json.loads(out)["failed"]}
    assert sorted(failed) == ["broken.json", "riga.txt", "tallinn.txt"]
    assert "over the 52-byte limit" in failed["riga.txt"]
    assert "PRESSROOM_MAX_FILE_MB" in failed["tallinn.txt"]


def test_help_names_every_supported_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    from ingest.readers import SUPPORTED_SUFFIXES

    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    text = capsys.readouterr().out
    assert all(suffix in text.split() for suffix in SUPPORTED_SUFFIXES)
    for flag in ("--prune", "--no-prune", "--rebuild", "--json", "--strict"):
        assert flag in text


def test_ingest_logs_one_json_line_with_counts_and_timing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="pressroom")
    code, _, _ = ingest(capsys, archive_in(tmp_path), "--store", tmp_path / "store")
    assert code == 0
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "pressroom"]
    line = next(line for line in lines if line["event"] == "ingest")
    assert line["added"] == 2 and line["failed"] == 1 and line["releases_read"] == 2
    assert line["chunks_written"] == 2 and line["seconds"] > 0


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["ask", "anything"]])
def test_a_store_of_another_embedding_model_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    store = tmp_path / "store"
    open_client(store).get_or_create_collection(
        "press", embedding_function=None, metadata={"embedder": "other-model", "dimension": 8}
    )
    code = main([*command, "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 2
    assert "built with embedder other-model (8-d)" in err and "--rebuild" in err
    assert "Traceback" not in err


CORPUS = Path(__file__).resolve().parents[2] / "evals" / "corpus"


def few_releases(tmp_path: Path, names: tuple[str, ...]) -> Path:
    folder = tmp_path / "few"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    return folder


def test_server_mode_ingest_and_ask(
    tmp_path: Path, chroma_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = few_releases(tmp_path, ("2024-02-13-morvania-accession.txt",))
    code, out, _ = ingest(capsys, archive, "--chroma-url", chroma_server, "--json")
    assert code == 0 and json.loads(out)["added"] == ["2024-02-13-morvania-accession.txt"]
    assert main(["ask", "When did Morvania join?", "--chroma-url", chroma_server, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["citations"][0]["release_id"] == "2024-02-13-morvania-accession.txt"


def test_unreachable_server_names_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("PRESSROOM_CHROMA_URL", url)
    for command in (["ingest", str(tmp_path)], ["ask", "anything"], ["eval", "x.jsonl"]):
        assert main(command) == 2
        assert f"cannot reach the Chroma server at {url}" in capsys.readouterr().err


def test_one_writer_many_readers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """While an ingest runs, a second one is refused and questions are still answered; an
    ingest killed outright leaves no lock behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from evals.synthetic import write_archive

    store = tmp_path / "store"
    first = few_releases(tmp_path, ("2024-02-13-morvania-accession.txt",))
    assert ingest(capsys, first, "--store", store)[0] == 0
    big = tmp_path / "big"
    write_archive(big, 150, seed=3)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "ingest",
            str(first),
            str(big),
            "--store",
            str(store),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert writer.stderr is not None
        while "embedding" not in writer.stderr.readline():  # it holds the lock and writes
            assert writer.poll() is None, "the ingest ended early"
        code, _, err = ingest(capsys, first, "--store", store)
        assert code == 2
        assert f"another `pressroom ingest` is writing to {store} (pid {writer.pid}" in err
        assert main(["ask", "When did Morvania join?", "--store", str(store), "--json"]) == 0
        answer = json.loads(capsys.readouterr().out)
        assert answer["citations"][0]["release_id"] == "2024-02-13-morvania-accession.txt"
        assert writer.poll() is None, "the ask ran while the ingest was writing"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
    began = time.monotonic()
    code, out, _ = ingest(capsys, first, "--store", store, "--no-prune", "--json")
    assert code == 0 and json.loads(out)["unchanged"] == ["2024-02-13-morvania-accession.txt"]
    assert time.monotonic() - began < 60


FEED_RECORD = {
    "nid": 7,
    "headline": "Ministers meet",
    "pubDate": "Wed, 19 Apr 2023 10:30:00 +0600",
    "story": "<p>The ministers met.</p>",
}


def test_fields_flag_and_undated_releases_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "news.jsonl").write_text(json.dumps(FEED_RECORD) + "\n", encoding="utf-8")
    (archive / "note.txt").write_text("A note\n\nThe office is closed.\n", encoding="utf-8")
    store = tmp_path / "store"
    code, out, _ = ingest(capsys, archive, "--store", store, "--json")
    report = json.loads(out)
    assert "record 1 (id '7'): no body" in report["failed"][0]["reason"]
    assert "the record has: nid, headline, pubDate, story" in report["failed"][0]["reason"]
    code, out, _ = ingest(capsys, archive, "--store", store, "--json", "--fields", "body=story")
    report = json.loads(out)
    assert code == 0 and report["added"] == ["news.jsonl:7"]
    assert (report["undated_count"], report["undated"]) == (1, ["note.txt"])
    monkeypatch.setenv("PRESSROOM_FEED_FIELDS", "body=story")
    code, out, _ = ingest(capsys, archive, "--store", store)
    assert out.startswith("releases: 0 added, 0 updated, 2 unchanged")
    assert "releases without a date: 1 of 2" in out


def test_a_bad_fields_value_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = ingest(capsys, tmp_path, "--store", tmp_path / "s", "--fields", "colour=red")
    assert code == 2 and "PRESSROOM_FEED_FIELDS" in err and "colour" in err


def test_metadata_flag_corrects_a_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], embedder: Embedder
) -> None:
    archive, store = archive_in(tmp_path), tmp_path / "store"
    sheet = tmp_path / "fixes.csv"
    sheet.write_text("release_id,published,title\nriga.txt,2024-03-09,\n", encoding="utf-8")
    code, _, _ = ingest(capsys, archive, "--store", store, "--metadata", sheet)
    assert code == 0
    chunk = ChunkStore(open_client(store), "press", embedder).release_chunks("riga.txt")[0]
    assert (str(chunk.published), chunk.date_source) == ("2024-03-09", "override")
    code, _, err = ingest(capsys, archive, "--store", store, "--metadata", tmp_path / "none.csv")
    assert code == 2 and "no such metadata file" in err
