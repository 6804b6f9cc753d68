from __future__ import annotations

from pathlib import Path

from evals.synthetic import write_archive
from ingest.readers import discover, read_file


def test_same_seed_same_bytes_and_every_release_reads(tmp_path: Path) -> None:
    first = write_archive(tmp_path / "a", 40, seed=5)
    second = write_archive(tmp_path / "b", 40, seed=5)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {p.suffix for p in first} == {".txt", ".md", ".html"}

    releases = [
        r for path, root in discover([tmp_path / "a"]).files for r in read_file(path, root).releases
    ]
    assert len(releases) == 40
    assert len({r.body_hash for r in releases}) == 40, "no two releases share a body"
    for release in releases:
        assert release.title and release.published and release.place
        assert "For media enquiries" not in release.body and "END" not in release.body


def test_short_releases(tmp_path: Path) -> None:
    (path,) = write_archive(tmp_path, 1, paragraphs=0)
    (release,) = read_file(path, tmp_path).releases
    assert len(release.body.split()) < 80


def test_recurring_near_duplicate_statements(tmp_path: Path) -> None:
    """Some releases repeat their siblings' sentences with other dates and figures."""
    paths = write_archive(tmp_path, 60, seed=1)
    series = [p for p in paths if "series-" in p.name]
    assert 5 <= len(series) <= 25
    releases = [r for p in series for r in read_file(p, tmp_path).releases]
    boilerplate = "It is published every quarter and revised once, when late data arrive."
    quarterly = [r for r in releases if boilerplate in r.body]
    assert len(quarterly) >= 2
    assert len({r.body for r in quarterly}) == len(quarterly)
    assert len({r.published for r in releases}) > len(releases) // 2
