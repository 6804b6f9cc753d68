from __future__ import annotations

import datetime as dt

from vectorstore.lexical import LexicalIndex
from vectorstore.records import Chunk, DateRange
from vectorstore.terms import terms

from ..conftest import make_chunk

D = dt.date


def chunk(n: int, text: str, published: dt.date | None, title: str | None = None) -> Chunk:
    return make_chunk(
        f"r{n}",
        text,
        title=title,
        published=published,
        source_path=f"archive/r{n}.txt",
        content_hash=f"h{n}",
    )


CHUNKS = [
    chunk(1, "The Commission met to discuss water quality in the basin.", D(2023, 1, 10)),
    chunk(2, "The Commission banned eel exports after a vote.", D(2024, 3, 14)),
    chunk(3, "The Commission discussed water budgets and the basin.", D(2025, 5, 27)),
    chunk(4, "The Commission welcomed new water members.", None),
]


def ids(results: list[tuple[Chunk, float]]) -> list[str]:
    return [c.release_id for c, _ in results]


def test_rare_query_term_ranks_its_chunk_first() -> None:
    index = LexicalIndex(CHUNKS)
    results = index.search("eel commission", limit=5)
    assert ids(results)[0] == "r2"
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert scores[0] > scores[1]


def test_only_matching_chunks_are_returned() -> None:
    index = LexicalIndex(CHUNKS)
    assert ids(index.search("eels exported", limit=5)) == ["r2"]
    assert index.search("microplastics", limit=5) == []


def test_limit_caps_the_results() -> None:
    index = LexicalIndex(CHUNKS)
    assert len(index.search("commission", limit=2)) == 2
    assert index.search("commission", limit=0) == []


def test_date_window_excludes_chunks_outside_it() -> None:
    index = LexicalIndex(CHUNKS)
    assert set(ids(index.search("water basin", limit=5))) == {"r1", "r3", "r4"}
    assert ids(index.search("water basin", limit=5, dates=DateRange(D(2024, 1, 1)))) == ["r3"]
    assert ids(index.search("water basin", limit=5, dates=DateRange(None, D(2023, 12, 31)))) == [
        "r1"
    ]
    # an undated chunk is never inside a window
    window = DateRange(D(2000, 1, 1), D(2100, 1, 1))
    assert "r4" not in ids(index.search("water members", limit=5, dates=window))


def test_open_date_range_filters_nothing() -> None:
    index = LexicalIndex(CHUNKS)
    assert ids(index.search("water", limit=5, dates=DateRange())) == ids(
        index.search("water", limit=5)
    )


def test_heading_date_in_words_is_searchable() -> None:
    index = LexicalIndex([*CHUNKS, chunk(5, "Results were published.", D(2022, 3, 15), "Index")])
    assert ids(index.search("March 2022", limit=5))[0] == "r5"


def test_idf_of_an_unseen_term_is_the_largest() -> None:
    index = LexicalIndex(CHUNKS)
    vocabulary = {t for c in CHUNKS for t in terms(c.indexed_text)}
    unseen = index.idf("microplast")
    assert all(unseen > index.idf(t) for t in vocabulary)
    assert index.idf("eel") > index.idf("water") > index.idf("commiss")
    assert index.idf("commiss") > 0


def test_contains_and_len() -> None:
    index = LexicalIndex(CHUNKS)
    assert len(index) == 4
    assert index.contains("eel")
    assert not index.contains("microplast")


def test_query_of_only_stopwords_returns_nothing() -> None:
    assert LexicalIndex(CHUNKS).search("what is the", limit=5) == []


def test_empty_index_returns_nothing() -> None:
    index = LexicalIndex([])
    assert len(index) == 0
    assert index.search("eel", limit=5) == []
    assert index.search("eel", limit=5, dates=DateRange(D(2024, 1, 1))) == []
    assert not index.contains("eel")
    assert index.idf("eel") > 0
