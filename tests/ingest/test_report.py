from __future__ import annotations

import json

from ingest.errors import IngestError
from ingest.report import Duplicate, SyncReport


def test_report_as_json_and_as_lines() -> None:
    report = SyncReport(
        added=["a.txt"],
        unchanged=["b.txt"],
        removed=["gone.txt"],
        duplicates=[Duplicate("copy.txt", "a.txt")],
        failed=[IngestError("/archive/bad.pdf", "encrypted PDF: it needs a password to be read")],
        skipped=["/archive/x.rtf", "/archive/README.md"],
        chunks_written=3,
        seconds=1.23456,
        releases_read=2,
        undated=["b.txt"],
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data == {
        "added": ["a.txt"],
        "updated": [],
        "unchanged": ["b.txt"],
        "removed": ["gone.txt"],
        "duplicates": [{"release_id": "copy.txt", "duplicate_of": "a.txt"}],
        "failed": [
            {"path": "/archive/bad.pdf", "reason": "encrypted PDF: it needs a password to be read"}
        ],
        "skipped": ["/archive/x.rtf", "/archive/README.md"],
        "chunks_written": 3,
        "undated_count": 1,
        "undated": ["b.txt"],
        "seconds": 1.235,
    }
    lines = report.summary().splitlines()
    assert lines[0] == (
        "releases: 1 added, 0 updated, 1 unchanged, 1 removed, 1 failed, 1 duplicates"
    )
    assert "duplicate: copy.txt (same text as a.txt, stored once)" in lines
    assert lines[2].startswith("releases without a date: 1 of 2 (listed by --json")
    assert "failed: /archive/bad.pdf: encrypted PDF: it needs a password to be read" in lines
    assert "skipped (unsupported type): /archive/x.rtf" in lines
    assert "skipped (the folder's own documentation): /archive/README.md" in lines
