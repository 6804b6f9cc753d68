"""Bytes of a file to text: size limit, binary rejection and encoding detection.

The cascade: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then a choice
between cp1251 and Windows-1252/latin-1 by which of them yields words in one script.
Cyrillic read as latin-1 gives words made only of accented letters ("Ïðåññ"); French or
German read as cp1251 gives words that mix Latin and Cyrillic letters ("cafй"). Statistical
detectors guess wildly on short texts; this rule does not need many words.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import IngestError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
EXPECTED = "expected UTF-8/UTF-16/cp1251/latin-1 text"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NON_ASCII_LATIN = re.compile(r"^[\u00c0-\u00ff]+$")


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refusing what is over ``max_bytes`` before reading it."""
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)  # the file may grow after stat
            size = max(size, len(data))
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise IngestError(
            path,
            f"file is {size:,} bytes ({_mib(size)}), over the {max_bytes:,}-byte limit "
            f"({_mib(max_bytes)}); raise the limit (PRESSROOM_MAX_FILE_MB) to read it",
        )
    return data


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def _score_cp1251(text: str) -> int:
    """Positive when the text reads as Cyrillic words rather than mixed-script noise."""
    score = 0
    for word in _WORD.findall(text):
        cyrillic = bool(_CYRILLIC.search(word))
        if cyrillic and _LATIN.search(word):
            score -= 2
        elif cyrillic:
            score += 1
    return score


def _latin_noise(text: str) -> int:
    """Words made only of accented Latin letters: how Cyrillic looks when read as latin-1."""
    return sum(1 for word in _WORD.findall(text) if len(word) >= 3 and _NON_ASCII_LATIN.match(word))


def _decode_single_byte(data: bytes) -> str:
    as_cyrillic = data.decode("cp1251", errors="replace")
    try:
        as_latin = data.decode("cp1252")
    except UnicodeDecodeError:
        as_latin = data.decode("latin-1")
    if _score_cp1251(as_cyrillic) > 0 and _latin_noise(as_latin) > 0:
        return as_cyrillic
    return as_latin


def _looks_binary(data: bytes) -> bool:
    return data.startswith(_BINARY_MAGIC) or b"\x00" in data


def decode(data: bytes, path: Path | str, declared: str | None = None) -> str:
    """Text of ``data``; ``declared`` is a charset the file names itself (HTML ``<meta>``).

    A few stray control characters are tolerated and removed (form feeds become line
    breaks); many of them mean binary data.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"{EXPECTED}, got invalid {encoding}: {exc}") from exc
            break
    if text is None:
        if _looks_binary(data):
            raise IngestError(path, f"{EXPECTED}, got binary data")
        text = _decode_unmarked(data, declared)
    text = text.lstrip("\ufeff")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(2, len(text[:100_000]) // 100):
        raise IngestError(path, f"{EXPECTED}, got binary data")
    if not text.strip():
        raise IngestError(path, "empty file")
    return _CONTROL.sub("", text.replace("\f", "\n").replace("\v", "\n"))


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return _decode_single_byte(data)
