"""`python -m evals.metadata`: dates and titles compared with a truth.tsv."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.metadata import main, measure, read_truth

TRUTH = "path\tpublished\ttitle\n{rows}"


def archive_with_truth(tmp_path: Path) -> tuple[Path, Path]:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text("Council meets\n\nOn 14 May 2023, the Council met.\n")
    (archive / "b.txt").write_text(
        "Greetings\n\nRelated news: Council meets (2 May 2023)\n\nWarm wishes to all.\n"
    )
    (archive / "c.txt").write_text("Visit\n\nThe Minister visited the region.\n")
    truth = tmp_path / "truth.tsv"
    truth.write_text(
        TRUTH.format(
            rows="a.txt\t2023-05-14\tCouncil meets\nb.txt\t\tGreetings\nc.txt\t2023-06-01\tVisit\n"
        )
    )
    return archive, truth


def test_figures(tmp_path: Path) -> None:
    archive, truth = archive_with_truth(tmp_path)
    figures = measure(archive, read_truth(truth)).to_dict()
    assert (figures["releases"], figures["dated"], figures["stating_a_date"]) == (3, 1, 2)
    assert (figures["exact"], figures["exact_share"]) == (1, 0.5)
    assert figures["wrong"] == figures["invented"] == figures["trap_dates"] == []
    assert figures["empty_titles"] == [] and figures["title_exact_share"] == 1.0
    assert figures["date_sources"] == {"lead": 1, "none": 2}


def test_command_prints_one_line_of_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, truth = archive_with_truth(tmp_path)
    assert main([str(archive), str(truth)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("releases 3  dated 1 (33.3%)  exact 1/2 (50.0%)")
