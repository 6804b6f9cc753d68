from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.formats.build import Declared, build_release, normalize_language, relative_id

ENGLISH = (
    "The Commission today launched a new fund for cross-border rail links between the "
    "three Baltic states and Poland, which will be open to applications from May."
)


def test_precedence_declared_then_body_dateline_then_title_then_file_name() -> None:
    body = ["Riga, 14 March 2024 – " + ENGLISH]
    title = "Meeting (Moscow, 22-23 February 2021)"
    file_date = dt.date(2020, 1, 1)
    declared = Declared(published=dt.date(2024, 3, 15), place="Tallinn")
    release = build_release(
        release_id="r",
        source_path=Path("r.txt"),
        title=title,
        body=body,
        declared=declared,
        file_date=file_date,
    )
    assert (release.published, release.place) == (dt.date(2024, 3, 15), "Tallinn")
    release = build_release(
        release_id="r", source_path=Path("r.txt"), title=title, body=body, file_date=file_date
    )
    assert (release.published, release.place) == (dt.date(2024, 3, 14), "Riga")
    release = build_release(
        release_id="r", source_path=Path("r.txt"), title=title, body=[ENGLISH], file_date=file_date
    )
    assert (release.published, release.place) == (dt.date(2021, 2, 22), "Moscow")
    release = build_release(
        release_id="r",
        source_path=Path("r.txt"),
        title="Meeting",
        body=[ENGLISH],
        file_date=file_date,
    )
    assert (release.published, release.place) == (file_date, None)


def test_a_dateline_without_place_leaves_the_place_to_the_title() -> None:
    release = build_release(
        release_id="r",
        source_path=Path("r.txt"),
        title="Meeting (Moscow, 22 February 2021)",
        body=["14 March 2024 – " + ENGLISH],
    )
    assert (release.published, release.place) == (dt.date(2024, 3, 14), "Moscow")


def test_detected_language_beats_a_declared_one_which_fills_in() -> None:
    release = build_release(
        release_id="r",
        source_path=Path("r.txt"),
        title=None,
        body=[ENGLISH],
        declared=Declared(language="fr"),
    )
    assert release.language == "en"
    release = build_release(
        release_id="r",
        source_path=Path("r.txt"),
        title=None,
        body=["Short."],
        declared=Declared(language="fr-BE"),
    )
    assert release.language == "fr"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en-GB", "en"), ("pt_BR", "pt"), ("DE", "de"), ("", None), (None, None), ("x1", None)],
)
def test_normalize_language(code: str | None, expected: str | None) -> None:
    assert normalize_language(code) == expected


def test_relative_id(tmp_path: Path) -> None:
    assert relative_id(tmp_path / "a" / "b.txt", tmp_path) == "a/b.txt"
    assert relative_id(tmp_path / "b.txt", tmp_path / "elsewhere") == "b.txt"


def test_fallback_metadata_counts_only_after_the_file_name() -> None:
    fallback = Declared(published=dt.date(2024, 3, 20), language="de", url="https://x.org/r")
    release = build_release(
        release_id="r",
        source_path=Path("r.pdf"),
        title=None,
        body=["Short."],
        file_date=dt.date(2024, 3, 18),
        fallback=fallback,
    )
    assert (release.published, release.language, release.url) == (
        dt.date(2024, 3, 18),
        "de",
        "https://x.org/r",
    )
    release = build_release(
        release_id="r", source_path=Path("r.pdf"), title=None, body=["Short."], fallback=fallback
    )
    assert release.published == dt.date(2024, 3, 20)
    dated = build_release(
        release_id="r",
        source_path=Path("r.pdf"),
        title=None,
        body=["Riga, 14 March 2024 – " + ENGLISH],
        fallback=fallback,
    )
    assert (dated.published, dated.place, dated.language) == (dt.date(2024, 3, 14), "Riga", "en")


def test_a_made_title_is_marked_so_that_chunks_do_not_embed_it() -> None:
    made = build_release(release_id="r", source_path=Path("r.txt"), title=None, body=[ENGLISH])
    assert made.title is not None and ENGLISH.startswith(made.title.rstrip("…"))
    assert made.title_made and made.date_source == "none"
    kept = build_release(release_id="r", source_path=Path("r.txt"), title="Fund", body=[ENGLISH])
    assert (kept.title, kept.title_made) == ("Fund", False)
