"""What one sync did, as lines for a person or one JSON-ready object for a program."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.readers import is_folder_document


@dataclass(frozen=True)
class Duplicate:
    """``release_id`` has the same cleaned body as ``duplicate_of``, which is the one stored."""

    release_id: str
    duplicate_of: str


def skip_reason(path: Path) -> str:
    """Why discovery passed over ``path``."""
    return "the folder's own documentation" if is_folder_document(path) else "unsupported type"


UNDATED_HINT = " (listed by --json; give them a date in pressroom-metadata.csv)"


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0
    releases_read: int = 0
    undated: list[str] = field(default_factory=list)  # ids of the releases read without a date

    def summary(self) -> str:
        lines = [
            f"releases: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.failed)} failed, {len(self.duplicates)} duplicates",
            f"chunks written: {self.chunks_written}",
            f"releases without a date: {len(self.undated)} of {self.releases_read}"
            + (
                " (listed by --json; correct them in pressroom-metadata.csv)"
                if self.undated
                else ""
            ),
            f"seconds: {self.seconds:.1f}",
        ]
        lines += [
            f"duplicate: {d.release_id} (same text as {d.duplicate_of}, stored once)"
            for d in self.duplicates
        ]
        lines += [f"failed: {error.path}: {error.reason}" for error in self.failed]
        lines += [f"skipped ({skip_reason(Path(path))}): {path}" for path in self.skipped]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "removed": list(self.removed),
            "duplicates": [
                {"release_id": d.release_id, "duplicate_of": d.duplicate_of}
                for d in self.duplicates
            ],
            "failed": [{"path": e.path, "reason": e.reason} for e in self.failed],
            "skipped": list(self.skipped),
            "chunks_written": self.chunks_written,
            "undated_count": len(self.undated),
            "undated": list(self.undated),
            "seconds": round(self.seconds, 3),
        }
