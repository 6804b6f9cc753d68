"""Property: whatever bytes a file holds, `read_file` returns a ReadResult or raises an
IngestError naming the file, never anything else, and never hangs.

Each format gets random bytes and damaged copies of a valid file (truncated, bytes
flipped, junk inserted), which reach much deeper into the parsers than noise does.
"""

from __future__ import annotations

import json
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import IngestError
from ingest.readers import SUPPORTED_SUFFIXES, ReadResult, read_file

HANG_SECONDS = 20
FUZZ = settings(
    max_examples=30,
    deadline=5000,  # ms; generous for a busy CI machine, a hang is caught by the alarm
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TEXT = (
    "PRESS RELEASE\n\nCommission launches rail fund\n\nRiga, 14 March 2024 – The Commission "
    "today launched a fund for rail links.\n\n“This is a milestone,” said the Chair.\n"
)
HTML = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Rail fund | Office"
    "</title><meta name='date' content='2024-03-14'></head><body><nav>Home</nav><article>"
    "<h1>Rail fund</h1><p>Riga, 14 March 2024 – The Commission launched a fund.</p>"
    "<p>It runs for seven years.</p></article><footer>© Office</footer></body></html>"
)
RECORD = {"id": "PR-1", "title": "Rail fund", "date": "2024-03-14", "body": "Para one.\n\nTwo."}


@pytest.fixture(scope="module")
def samples(make_pdf: Callable[..., bytes], make_docx: Callable[..., bytes]) -> dict[str, bytes]:
    found = {
        ".txt": TEXT.encode(),
        ".md": f"---\ntitle: Rail fund\ndate: 2024-03-14\n---\n# Rail fund\n\n{TEXT}".encode(),
        ".html": HTML.encode(),
        ".htm": HTML.encode("cp1252", errors="replace"),
        ".json": json.dumps([RECORD, RECORD | {"id": "PR-2"}]).encode(),
        ".jsonl": (json.dumps(RECORD) + "\n" + json.dumps(RECORD | {"id": "2"})).encode(),
        ".csv": b'id,title,date,body\n1,Rail fund,2024-03-14,"Para one.\n\nTwo."\n',
        ".pdf": make_pdf(["Riga, 14 March 2024 - The Commission launched a fund."], headline="X"),
        ".docx": make_docx(["Riga, 14 March 2024 – The Commission launched a fund."]),
    }
    assert set(found) == SUPPORTED_SUFFIXES, "a new reader needs a sample here"
    return found


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as name:
        yield Path(name)


@contextmanager
def no_hang(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"reader still busy after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check(folder: Path, suffix: str, data: bytes) -> None:
    path = folder / f"fuzzed{suffix}"
    path.write_bytes(data)
    try:
        with no_hang(HANG_SECONDS):
            result = read_file(path, folder)
    except IngestError as error:
        assert error.path == str(path)
        assert error.reason.strip()
        return
    assert isinstance(result, ReadResult)
    for release in result.releases:
        assert release.body.strip()
        assert "\x00" not in release.body
    for error in result.errors:
        assert isinstance(error, IngestError) and error.path == str(path)


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[at : at + draw(st.integers(1, 256))]
    return bytes(data)


SUFFIXES = sorted(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(folder: Path, suffix: str, data: bytes) -> None:
    check(folder, suffix, data)


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(seed=st.data())
def test_damaged_files(
    folder: Path, samples: dict[str, bytes], suffix: str, seed: st.DataObject
) -> None:
    check(folder, suffix, seed.draw(damaged(samples[suffix])))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_valid_samples_read(folder: Path, samples: dict[str, bytes], suffix: str) -> None:
    path = folder / f"sample{suffix}"
    path.write_bytes(samples[suffix])
    result = read_file(path, folder)
    assert result.releases and not result.errors
