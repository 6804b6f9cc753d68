"""Republished releases: the same cleaned body under several ids is stored once.

The original is chosen so that the store's content depends only on the archive, not on
what was stored before or in which order files were read (a sync resumed after a crash
must end where a clean one does): a release that stays in the store untouched by this sync
(outside the paths synced) wins; otherwise the earliest published, undated last, then the
smallest release id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ingest.release import Release

_UNDATED = dt.date.max


def find_duplicates(
    releases: Mapping[str, Release], kept_elsewhere: Mapping[str, str]
) -> dict[str, str]:
    """``{duplicate id: original id}`` for every release that repeats another's body.

    ``kept_elsewhere`` maps the body hash of each stored release that this sync leaves
    alone to its release id.
    """
    groups: dict[str, list[Release]] = {}
    for release in releases.values():
        groups.setdefault(release.body_hash, []).append(release)
    duplicates: dict[str, str] = {}
    for body_hash, group in groups.items():
        ranked = sorted(group, key=lambda r: (r.published or _UNDATED, r.release_id))
        original = kept_elsewhere.get(body_hash, ranked[0].release_id)
        for release in ranked:
            if release.release_id != original:
                duplicates[release.release_id] = original
    return duplicates
