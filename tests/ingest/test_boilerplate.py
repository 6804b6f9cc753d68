"""Archive-wide boilerplate: recurring paragraphs found across one ingest run."""

from __future__ import annotations

from ingest.boilerplate import MIN_RELEASES, MIN_SHARE, mark_boilerplate, recurring_paragraphs
from ingest.chunking import answer_segments, boilerplate_spans
from ingest.release import Release

ABOUT = "About the Agency: the Agency is a body of 25 member states founded in 1992."
PAGE = "Page 2 of 3"


def release(n: int, *extra: str) -> Release:
    body = "\n\n".join([f"Release {n} says something of its own, number {n}.", *extra])
    return Release(f"r{n}", f"T{n}", None, None, "en", None, body, f"/x/r{n}.txt")


def test_a_paragraph_under_most_releases_is_boilerplate() -> None:
    releases = {f"r{n}": release(n, ABOUT, PAGE) for n in range(10)}
    assert recurring_paragraphs(releases.values()) == {ABOUT, PAGE}
    assert mark_boilerplate(releases) == 10
    assert releases["r3"].boilerplate == (ABOUT, PAGE)


def test_a_one_off_paragraph_is_never_boilerplate() -> None:
    releases = {"r0": release(0, ABOUT)}
    assert recurring_paragraphs(releases.values()) == frozenset()
    assert mark_boilerplate(releases) == 0


def test_the_threshold_is_a_share_of_the_archive_and_at_least_a_few_releases() -> None:
    total = 40
    needed = max(MIN_RELEASES, int(MIN_SHARE * total))
    shared = "A fact repeated across a run of similar releases."
    below = [release(n, shared) if n < needed - 1 else release(n) for n in range(total)]
    assert shared not in recurring_paragraphs(below)
    at = [release(n, shared) if n < needed else release(n) for n in range(total)]
    assert shared in recurring_paragraphs(at)
    assert recurring_paragraphs([release(1, ABOUT), release(2, ABOUT)]) == frozenset()


def test_a_release_of_nothing_but_boilerplate_keeps_its_text() -> None:
    releases = {f"r{n}": release(n, ABOUT) for n in range(5)}
    releases["only"] = Release("only", "T", None, None, "en", None, ABOUT, "/x/only.txt")
    mark_boilerplate(releases)
    assert releases["only"].boilerplate == ()


def test_answer_chunks_leave_boilerplate_out_with_offsets_into_the_body() -> None:
    releases = {f"r{n}": release(n, ABOUT, f"More of release {n}.", PAGE) for n in range(5)}
    mark_boilerplate(releases)
    marked = releases["r1"]
    segments = answer_segments(marked)
    assert [text for _, text in segments] == [
        "Release 1 says something of its own, number 1.",
        "More of release 1.",
    ]
    assert all(marked.body[o : o + len(t)] == t for o, t in segments)
    spans = boilerplate_spans(marked)
    assert [t for _, t in spans] == [ABOUT, PAGE]
    assert all(marked.body[o : o + len(t)] == t for o, t in spans)
    plain = release(9)
    assert answer_segments(plain) == [(0, plain.body)]
