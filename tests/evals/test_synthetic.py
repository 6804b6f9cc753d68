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
