"""Corrections by hand in pressroom-metadata.csv: read, applied, kept across re-syncs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.chunking import Chunker
from ingest.overrides import METADATA_FILE, apply_overrides, override_files, read_overrides
from ingest.readers import discover
from ingest.release import Release
from ingest.sync import read_archive, sync
from vectorstore.embedder import Embedder
from vectorstore.store import ChunkStore, open_client

RELEASE = "Council meets in {place}\n\nThe Council met and approved a budget of EUR {n} million.\n"


def release(release_id: str = "a.txt", **changes: object) -> Release:
    values: dict[str, object] = {
        "release_id": release_id,
        "title": "T",
        "published": None,
        "place": None,
        "language": "en",
        "url": None,
        "body": "Text.",
        "source_path": f"/x/{release_id}",
    }
    values.update(changes)
    return Release(**values)  # type: ignore[arg-type]


def write_archive(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, place, n in (("a.txt", "Riga", 1), ("b.txt", "Tallinn", 2), ("c.txt", "Vilnius", 3)):
        (folder / name).write_text(RELEASE.format(place=place, n=n), encoding="utf-8")
    return folder


def test_blank_cells_keep_what_was_read(tmp_path: Path) -> None:
    sheet = tmp_path / METADATA_FILE
    sheet.write_text(
        "release_id,published,title,place,url\na.txt,2024-03-14,,Riga,\nb.txt,,New title,,\n",
        encoding="utf-8",
    )
    releases = {"a.txt": release("a.txt"), "b.txt": release("b.txt", published=dt.date(2020, 1, 1))}
    assert apply_overrides(releases, [sheet]) == []
    a, b = releases["a.txt"], releases["b.txt"]
    assert (a.published, a.date_source, a.place, a.title) == (
        dt.date(2024, 3, 14),
        "override",
        "Riga",
        "T",
    )
    assert (b.published, b.date_source, b.title) == (dt.date(2020, 1, 1), "none", "New title")


def test_a_spreadsheet_s_day_first_dates_and_semicolons_are_read(tmp_path: Path) -> None:
    sheet = tmp_path / "fixes.csv"
    sheet.write_text(
        "release_id;published;title\na.txt;19/04/2023;\nb.txt;05/04/2023;\n", encoding="utf-8"
    )
    overrides, errors = read_overrides(sheet)
    assert not errors
    assert [o.published for o in overrides] == [dt.date(2023, 4, 19), dt.date(2023, 4, 5)]


def test_bad_rows_name_the_file_and_row_and_the_others_still_apply(tmp_path: Path) -> None:
    sheet = tmp_path / METADATA_FILE
    sheet.write_text(
        "release_id,published\na.txt,someday\nnobody.txt,2024-01-01\nb.txt,2024-01-02\n",
        encoding="utf-8",
    )
    releases = {"a.txt": release("a.txt"), "b.txt": release("b.txt")}
    errors = apply_overrides(releases, [sheet])
    assert [e.reason.split(":")[0] for e in errors] == ["row 2", "row 3"]
    assert "cannot read the date 'someday'" in errors[0].reason
    assert "no release with id 'nobody.txt'" in errors[1].reason
    assert all(e.path == str(sheet) for e in errors)
    assert releases["b.txt"].published == dt.date(2024, 1, 2)


def test_a_sheet_without_a_release_id_column_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / METADATA_FILE
    sheet.write_text("id,date\na,2024-01-01\n", encoding="utf-8")
    errors = apply_overrides({}, [sheet])
    assert "expected the columns release_id,published,title,place,url" in errors[0].reason


def test_the_folder_sheet_is_found_and_never_read_as_a_feed(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive")
    (archive / METADATA_FILE).write_text("release_id,published\na.txt,2024-03-14\n")
    assert override_files([archive], None) == [archive / METADATA_FILE]
    assert [p.name for p, _ in discover([archive]).files] == ["a.txt", "b.txt", "c.txt"]
    read = read_archive([archive])
    assert not read.errors
    assert read.releases["a.txt"].published == dt.date(2024, 3, 14)


def test_editing_the_sheet_updates_only_the_releases_it_changed(
    tmp_path: Path, embedder: Embedder
) -> None:
    archive = write_archive(tmp_path / "archive")
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    chunker = Chunker(embedder)
    assert len(sync([archive], store, chunker).added) == 3
    sheet = tmp_path / "fixes.csv"
    sheet.write_text("release_id,published,title\nb.txt,2024-03-14,\n", encoding="utf-8")
    second = sync([archive], store, chunker, metadata=sheet)
    assert (second.updated, sorted(second.unchanged)) == (["b.txt"], ["a.txt", "c.txt"])
    stored = store.release_chunks("b.txt")[0]
    assert (stored.published, stored.date_source) == (dt.date(2024, 3, 14), "override")
    sheet.write_text(
        "release_id,published,title\nb.txt,2024-03-14,\nc.txt,,Vilnius council\n",
        encoding="utf-8",
    )
    third = sync([archive], store, chunker, metadata=sheet)
    assert (third.updated, sorted(third.unchanged)) == (["c.txt"], ["a.txt", "b.txt"])
    assert store.release_chunks("c.txt")[0].title == "Vilnius council"
    assert third.undated == ["a.txt", "c.txt"]
