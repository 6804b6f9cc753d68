from __future__ import annotations

import datetime as dt

import pytest

from vectorstore.records import Chunk, DateRange, date_in_words, day_number, heading_for

D = dt.date


def full_chunk() -> Chunk:
    return Chunk(
        chunk_id="2024-03-14-eel-ban#0002",
        release_id="2024-03-14-eel-ban",
        index=2,
        text="The Commission banned eel exports.",
        start=410,
        end=444,
        title="Commission bans eel exports",
        published=D(2024, 3, 14),
        place="Riga",
        language="en",
        url="https://press.example.org/eel-ban",
        source_path="archive/2024-03-14-eel-ban.txt",
        content_hash="c0ffee",
    )


def bare_chunk() -> Chunk:
    return Chunk(
        chunk_id="note#0000",
        release_id="note",
        index=0,
        text="An undated note.",
        start=0,
        end=16,
        title=None,
        published=None,
        place=None,
        language=None,
        url=None,
        source_path="archive/note.txt",
        content_hash="beef",
    )


def test_metadata_of_a_full_chunk() -> None:
    assert full_chunk().to_metadata() == {
        "release_id": "2024-03-14-eel-ban",
        "chunk_index": 2,
        "start": 410,
        "end": 444,
        "source_path": "archive/2024-03-14-eel-ban.txt",
        "content_hash": "c0ffee",
        "published": "2024-03-14",
        "published_day": 20240314,
        "title": "Commission bans eel exports",
        "place": "Riga",
        "language": "en",
        "url": "https://press.example.org/eel-ban",
    }


def test_metadata_leaves_out_absent_values() -> None:
    meta = bare_chunk().to_metadata()
    assert None not in meta.values()
    assert not {"published", "published_day", "title", "place", "language", "url"} & set(meta)
    assert all(isinstance(v, str | int | float | bool) for v in meta.values())


@pytest.mark.parametrize("chunk", [full_chunk(), bare_chunk()], ids=["full", "bare"])
def test_metadata_round_trips(chunk: Chunk) -> None:
    meta = chunk.to_metadata()
    assert None not in meta.values()
    assert Chunk.from_record(chunk.chunk_id, chunk.text, meta) == chunk


def test_heading_and_indexed_text() -> None:
    chunk = full_chunk()
    assert chunk.heading == "Commission bans eel exports (Riga, 14 March 2024)"
    assert chunk.indexed_text == (
        "Commission bans eel exports (Riga, 14 March 2024)\nThe Commission banned eel exports."
    )
    assert bare_chunk().heading == ""
    assert bare_chunk().indexed_text == "An undated note."


@pytest.mark.parametrize(
    ("title", "place", "published", "expected"),
    [
        ("Budget", "Riga", D(2024, 3, 14), "Budget (Riga, 14 March 2024)"),
        ("Budget", None, D(2024, 3, 14), "Budget (14 March 2024)"),
        ("Budget", "Riga", None, "Budget (Riga)"),
        ("Budget", None, None, "Budget"),
        (None, "Riga", D(2024, 3, 14), "(Riga, 14 March 2024)"),
        (None, None, None, ""),
    ],
)
def test_heading_for(
    title: str | None, place: str | None, published: dt.date | None, expected: str
) -> None:
    assert heading_for(title, place, published) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 3, 14), "14 March 2024"),
        (D(2024, 3, 4), "4 March 2024"),  # no leading zero
        (D(1999, 12, 31), "31 December 1999"),
    ],
)
def test_date_in_words(day: dt.date, expected: str) -> None:
    assert date_in_words(day) == expected


def test_day_number() -> None:
    assert day_number(D(2024, 3, 14)) == 20240314
    assert day_number(D(1999, 1, 1)) == 19990101
    # orders like the dates
    days = [D(2023, 12, 31), D(2024, 1, 1), D(2024, 1, 2), D(2024, 10, 1)]
    assert [day_number(d) for d in days] == sorted(day_number(d) for d in days)


def test_where_of_an_open_range_is_none() -> None:
    assert DateRange().where() is None


def test_where_with_one_bound() -> None:
    assert DateRange(D(2024, 1, 1)).where() == {"published_day": {"$gte": 20240101}}
    assert DateRange(None, D(2024, 12, 31)).where() == {"published_day": {"$lte": 20241231}}


def test_where_with_two_bounds() -> None:
    assert DateRange(D(2024, 1, 1), D(2024, 12, 31)).where() == {
        "$and": [
            {"published_day": {"$gte": 20240101}},
            {"published_day": {"$lte": 20241231}},
        ]
    }


@pytest.mark.parametrize(
    ("window", "day", "inside"),
    [
        (DateRange(), D(2024, 3, 14), True),
        (DateRange(), None, True),
        (DateRange(D(2024, 1, 1), D(2024, 12, 31)), D(2024, 1, 1), True),
        (DateRange(D(2024, 1, 1), D(2024, 12, 31)), D(2024, 12, 31), True),
        (DateRange(D(2024, 1, 1), D(2024, 12, 31)), D(2023, 12, 31), False),
        (DateRange(D(2024, 1, 1), D(2024, 12, 31)), D(2025, 1, 1), False),
        (DateRange(D(2024, 1, 1), D(2024, 12, 31)), None, False),
        (DateRange(D(2024, 1, 1)), D(2030, 1, 1), True),
        (DateRange(D(2024, 1, 1)), D(2023, 1, 1), False),
        (DateRange(None, D(2024, 1, 1)), D(1990, 1, 1), True),
        (DateRange(None, D(2024, 1, 1)), D(2024, 1, 2), False),
        (DateRange(None, D(2024, 1, 1)), None, False),
    ],
)
def test_contains(window: DateRange, day: dt.date | None, inside: bool) -> None:
    assert window.contains(day) is inside


def test_date_source_boilerplate_and_made_titles_survive_the_store() -> None:
    import dataclasses

    chunk = dataclasses.replace(
        full_chunk(), date_source="lead", hidden=((500, "About us."),), title_made=True
    )
    back = Chunk.from_record(chunk.chunk_id, chunk.text, chunk.to_metadata())
    assert back == chunk
    assert "Commission bans eel exports" not in back.heading  # a made title is not embedded
    legacy = {k: v for k, v in full_chunk().to_metadata().items()}
    old = Chunk.from_record("x", "t", legacy)
    assert (old.date_source, old.hidden, old.title_made) == (None, (), False)
