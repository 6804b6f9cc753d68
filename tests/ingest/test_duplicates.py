from __future__ import annotations

import datetime as dt

from ingest.duplicates import find_duplicates
from ingest.release import Release


def release(release_id: str, body: str, published: dt.date | None) -> Release:
    return Release(
        release_id=release_id,
        title=f"Title of {release_id}",
        published=published,
        place=None,
        language="en",
        url=None,
        body=body,
        source_path=f"/archive/{release_id}",
    )


def by_id(*releases: Release) -> dict[str, Release]:
    return {r.release_id: r for r in releases}


def test_the_earliest_published_is_the_original_then_the_smallest_id() -> None:
    releases = by_id(
        release("a-republished.txt", "Same text.", dt.date(2024, 3, 5)),
        release("b-original.txt", "Same text.", dt.date(2024, 3, 1)),
        release("c-undated.txt", "Same text.", None),
        release("d.txt", "Other text.", dt.date(2024, 1, 1)),
        release("e.txt", "Tie.", None),
        release("f.txt", "Tie.", None),
    )
    assert find_duplicates(releases, {}) == {
        "a-republished.txt": "b-original.txt",
        "c-undated.txt": "b-original.txt",
        "f.txt": "e.txt",
    }


def test_a_release_the_sync_leaves_alone_stays_the_original() -> None:
    copy = release("2024/copy.txt", "Same text.", dt.date(2020, 1, 1))
    assert find_duplicates(by_id(copy), {copy.body_hash: "2023/first.txt"}) == {
        "2024/copy.txt": "2023/first.txt"
    }


def test_the_choice_does_not_depend_on_the_order_of_reading() -> None:
    one = release("x.txt", "Same.", dt.date(2024, 1, 2))
    two = release("y.txt", "Same.", dt.date(2024, 1, 1))
    assert find_duplicates(by_id(one, two), {}) == find_duplicates(by_id(two, one), {})


def test_body_hash_ignores_title_date_and_path() -> None:
    a = release("a.txt", "Body.", dt.date(2024, 1, 1))
    b = release("b.txt", "Body.", None)
    assert a.body_hash == b.body_hash
    assert a.content_hash != b.content_hash
