"""Archive-wide boilerplate: paragraphs that recur verbatim across many releases.

An "About the Agency" block, a media-contact block, a PDF running header: text that the
archive repeats under most releases says nothing about any one of them, and as an answer
passage it crowds out the release's own text. A paragraph counts as boilerplate when its
cleaned text appears in at least `MIN_SHARE` of the releases read in one ingest run, and in
at least `MIN_RELEASES` of them, so a paragraph that appears once is never boilerplate.

Both are documented defaults (docs/metadata.md). "Many" starts at five releases: below
that, a paragraph shared by a small folder's releases is as likely a quote they share, and
a count that low would flip as files come and go. The share is high on purpose: site-wide
blocks stand under most pages, while a fact repeated over a run of similar releases stays
far below it (in the FOMC statements the most repeated paragraph, forward guidance kept
over 14 meetings, is in 9 % of them; a rate held over seven meetings in 4 %).

Boilerplate stays in the release's body (the viewer shows it, offsets do not move); the
chunker leaves it out of the chunks that answer questions (`ingest.chunking`).
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, MutableMapping

from ingest.release import Release

MIN_SHARE = 0.2
MIN_RELEASES = 5


def recurring_paragraphs(releases: Iterable[Release]) -> frozenset[str]:
    """The paragraphs found in at least ``max(MIN_RELEASES, MIN_SHARE × releases)`` releases."""
    counts: Counter[str] = Counter()
    total = 0
    for release in releases:
        total += 1
        counts.update(set(release.paragraphs))
    needed = max(MIN_RELEASES, math.ceil(MIN_SHARE * total))
    return frozenset(p for p, n in counts.items() if n >= needed)


def mark_boilerplate(releases: MutableMapping[str, Release]) -> int:
    """Record on each release which of its paragraphs are boilerplate; how many releases have any.

    A release made of nothing but boilerplate keeps all of it as its own text.
    """
    recurring = recurring_paragraphs(releases.values())
    marked = 0
    for release_id, release in releases.items():
        found = tuple(p for p in release.paragraphs if p in recurring)
        if len(found) == len(release.paragraphs):
            found = ()
        if found != release.boilerplate:
            releases[release_id] = dataclasses.replace(release, boilerplate=found)
        marked += bool(found)
    return marked
