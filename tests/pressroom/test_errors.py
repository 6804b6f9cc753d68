"""One error tree: every layer's user errors derive from PressroomError, and the CLI
prints any of them as one line with exit status 2, anything else as a reference to a log."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import cli
from assistant.settings import SettingsError
from evals.suite import SuiteError
from ingest.errors import IngestError
from pressroom.errors import PressroomError
from prompts import PromptError
from vectorstore.errors import EmbedderMismatchError, StoreError
from vectorstore.lock import StoreLockedError


@pytest.mark.parametrize(
    "error",
    [
        SettingsError,
        SuiteError,
        IngestError,
        PromptError,
        StoreError,
        EmbedderMismatchError,
        StoreLockedError,
    ],
)
def test_every_layers_errors_are_pressroom_errors(error: type[Exception]) -> None:
    assert issubclass(error, PressroomError)


def test_a_malformed_suite_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = tmp_path / "broken.jsonl"
    suite.write_text('{"id": "q1", "question": "Who?"\n', encoding="utf-8")

    def run_eval(args: object) -> int:
        from evals.suite import load_suite

        load_suite(suite)
        return 0

    monkeypatch.setattr(cli, "run_eval", run_eval)
    assert cli.main(["eval", str(suite)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pressroom: error: ")
    assert str(suite) in err and "Traceback" not in err


def test_a_bad_setting_says_expected_and_got(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRESSROOM_TOP_K", "ten")
    assert cli.main(["widget-token"]) == 2
    err = capsys.readouterr().err
    assert "PRESSROOM_TOP_K: expected" in err and "got 'ten'" in err
    assert err.count("\n") == 1


def test_a_bug_is_one_line_with_a_reference_to_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise KeyError("no such thing")

    monkeypatch.setattr(cli, "run_widget_token", broken)
    assert cli.main(["widget-token"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: KeyError" in err
    log = Path(err.rsplit("the traceback is in ", 1)[1].strip())
    assert "Traceback" in log.read_text(encoding="utf-8")
    log.unlink()
