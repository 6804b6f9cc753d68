"""How right ingest's dates and titles are on an archive with a ``truth.tsv``.

    python -m evals.metadata ARCHIVE TRUTH.tsv [--fields title=headline,...] [--json]

Reads ``ARCHIVE`` the way ``pressroom ingest`` does (readers, overrides, nothing embedded)
and compares each release with its line in ``TRUTH.tsv`` (header ``path  published
title``; ``path`` relative to ``ARCHIVE``, a feed record as ``file:id``; ``published``
empty for a release that states no date). Prints:

- ``dated``: releases read with any date, over all releases read;
- ``exact``: releases that state a date and got exactly that date, over those that state
  one (the figure the issue asks to be at least 98 %);
- ``wrong``: releases with a date other than the true one, ``invented``: a date on a
  release that states none;
- ``trap_dates``: wrong dates that appear in a sidebar, "related news" list, navigation or
  footer of the page, or in an embargo or copyright line of the text;
- ``empty_titles`` and ``title_exact`` (titles equal to the truth, where it has one);
- ``missing``: truth lines with no release read, ``failed``: read errors.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.dates import find_all_dates
from ingest.formats.records import DEFAULT_FIELDS, FieldNames, parse_fields
from ingest.sync import read_archive

# A line of text whose dates never count as a release's own: see `trap_dates`.
_TRAP_LINE = re.compile(r"embargo|copyright|©|related|see also|read more", re.IGNORECASE)
_TRAP_XPATH = (
    "//aside | //nav | //footer | //*[contains(@class, 'related')] | "
    "//*[contains(@class, 'sidebar')] | //*[@role='complementary']"
)


@dataclass(frozen=True)
class Truth:
    published: dt.date | None
    title: str


@dataclass
class Figures:
    releases: int = 0
    stating_a_date: int = 0
    dated: int = 0
    exact: int = 0
    wrong: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    trap_dates: list[str] = field(default_factory=list)
    empty_titles: list[str] = field(default_factory=list)
    titles_known: int = 0
    title_exact: int = 0
    missing: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def share(n: int, d: int) -> float:
            return round(n / d, 3) if d else 0.0

        return {
            "releases": self.releases,
            "dated": self.dated,
            "dated_share": share(self.dated, self.releases),
            "stating_a_date": self.stating_a_date,
            "exact": self.exact,
            "exact_share": share(self.exact, self.stating_a_date),
            "wrong": self.wrong,
            "invented": self.invented,
            "trap_dates": self.trap_dates,
            "empty_titles": self.empty_titles,
            "title_exact": self.title_exact,
            "title_exact_share": share(self.title_exact, self.titles_known),
            "missing": self.missing,
            "failed": self.failed,
            "date_sources": self.sources,
        }


def read_truth(path: Path) -> dict[str, Truth]:
    truth: dict[str, Truth] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            published = (row.get("published") or "").strip()
            truth[row["path"]] = Truth(
                dt.date.fromisoformat(published) if published else None,
                (row.get("title") or "").strip(),
            )
    return truth


def trap_dates(source: Path) -> set[dt.date]:
    """Dates a release must never take: those of sidebars, navigation, footers, embargoes."""
    try:
        raw = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    found: set[dt.date] = set()
    if source.suffix.lower() in (".html", ".htm"):
        import lxml.html

        tree = lxml.html.document_fromstring(raw)
        for element in tree.xpath(_TRAP_XPATH):
            found.update(m.date for m in find_all_dates(element.text_content()))
            for value in element.xpath(".//@datetime | .//@content"):
                found.update(m.date for m in find_all_dates(str(value)))
        return found
    for line in raw.splitlines():
        if _TRAP_LINE.search(line):
            found.update(m.date for m in find_all_dates(line))
    return found


def measure(archive: Path, truth: dict[str, Truth], fields: FieldNames = DEFAULT_FIELDS) -> Figures:
    result = read_archive([archive], fields=fields)
    figures = Figures()
    figures.failed = [f"{e.path}: {e.reason}" for e in result.errors]
    by_id = dict(result.releases)
    figures.missing = sorted(set(truth) - set(by_id))
    for key, release in sorted(by_id.items()):
        source = getattr(release, "date_source", "unknown")
        figures.sources[source] = figures.sources.get(source, 0) + 1
        if release.published is not None:
            figures.dated += 1
        if not (release.title or "").strip():
            figures.empty_titles.append(key)
    for key, expected in sorted(truth.items()):
        found = by_id.get(key)
        if expected.published is not None:
            figures.stating_a_date += 1
        if found is None:
            continue
        source = getattr(found, "date_source", "unknown")
        if expected.title:
            figures.titles_known += 1
            figures.title_exact += (found.title or "").strip() == expected.title
        if expected.published is None:
            if found.published is not None:
                figures.invented.append(f"{key}: {found.published} ({source})")
        elif found.published == expected.published:
            figures.exact += 1
        elif found.published is not None:
            figures.wrong.append(f"{key}: {found.published} ({source}), truth {expected.published}")
            if found.published in trap_dates(Path(found.source_path)):
                figures.trap_dates.append(key)
    figures.releases = len(by_id)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.metadata", description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--fields", type=parse_fields, default=DEFAULT_FIELDS)
    parser.add_argument("--json", action="store_true", help="print everything as JSON")
    args = parser.parse_args(argv)
    figures = measure(args.archive, read_truth(args.truth), args.fields).to_dict()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    print(
        f"releases {figures['releases']}  dated {figures['dated']} "
        f"({figures['dated_share']:.1%})  exact {figures['exact']}/{figures['stating_a_date']} "
        f"({figures['exact_share']:.1%})  wrong {len(figures['wrong'])}  "
        f"invented {len(figures['invented'])}  trap dates {len(figures['trap_dates'])}  "
        f"empty titles {len(figures['empty_titles'])}  titles exact "
        f"{figures['title_exact_share']:.1%}  missing {len(figures['missing'])}  "
        f"failed {len(figures['failed'])}"
    )
    print(f"date sources: {figures['date_sources']}")
    for label in ("wrong", "invented", "trap_dates", "empty_titles", "missing", "failed"):
        for line in figures[label]:
            print(f"{label}: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
