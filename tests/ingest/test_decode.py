from __future__ import annotations

from pathlib import Path

import pytest

from ingest.decode import decode, read_bytes
from ingest.errors import IngestError

RUSSIAN = "Пресс-релиз. Москва, 22 февраля 2021 г. – Исполнительный директор провёл встречу."
FRENCH = "Communiqué de presse. Genève, le 3 mai 2023 - La réunion a été très réussie, où « à »."
GERMAN = "Pressemitteilung: Die Kommission hat heute über die Maßnahmen für Zürich beraten."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RUSSIAN, "utf-8"),
        (RUSSIAN, "utf-8-sig"),
        (RUSSIAN, "utf-16"),
        (RUSSIAN, "utf-16-be"),
        (RUSSIAN, "cp1251"),
        (FRENCH, "utf-8"),
        (FRENCH, "utf-16"),
        (FRENCH, "latin-1"),
        (GERMAN, "latin-1"),
        (GERMAN, "cp1252"),
    ],
)
def test_encodings(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode(data, "x.txt") == text


def test_windows_smart_quotes_in_a_single_byte_file() -> None:
    assert decode("“Quoted” – dash".encode("cp1252"), "x.txt") == "“Quoted” – dash"


def test_a_declared_charset_is_tried_after_utf8() -> None:
    assert decode("Ελληνικά κείμενα".encode("iso-8859-7"), "x", declared="iso-8859-7") == (
        "Ελληνικά κείμενα"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"text with a \x00 NUL byte",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_is_rejected(data: bytes) -> None:
    with pytest.raises(IngestError) as caught:
        decode(data, "x.txt")
    assert caught.value.reason == "expected UTF-8/UTF-16/cp1251/latin-1 text, got binary data"
    assert caught.value.path == "x.txt"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_is_rejected(data: bytes) -> None:
    with pytest.raises(IngestError, match="empty file"):
        decode(data, "x.txt")


def test_read_bytes_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(IngestError, match="over the 100-byte limit"):
        read_bytes(path, max_bytes=100)
    assert read_bytes(path, max_bytes=101) == b"x" * 101
