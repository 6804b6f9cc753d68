"""Turn raw release text into clean paragraphs.

The cleaned body is what chunk offsets and citation spans point into, so every step here is
deterministic and keeps real content: only layout (hard wraps, odd spaces), boilerplate
markers and verbatim repeats go.

Repeated paragraphs keep their *last* copy. Archives (the seed release is one) often put the
lead paragraph above the header as a teaser and again in its place in the body; keeping the
later copy leaves it in its natural position, after the headline, so the header is found
before the first body paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Characters that render as a space but are not ASCII space, and characters that render as
# nothing (including control characters): one translation table turns the first into
# spaces and drops the second, in one pass (three regex passes made big files slow).
_SPACE_LIKE = "\u00a0\u1680\u202f\u205f\u3000\t\f\v" + "".join(map(chr, range(0x2000, 0x200B)))
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\x7f" + "".join(
    map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20)])
)
_TRANSLATION = {ord(c): " " for c in _SPACE_LIKE} | {ord(c): None for c in _INVISIBLE}
_ODD_CHARACTER = re.compile("[" + re.escape(_SPACE_LIKE + _INVISIBLE) + "]")
_RUNS_OF_SPACE = re.compile(r" {2,}")

# A line that is only a marker or a label: dropped wherever it stands. Labels: "Press
# Release" (also "News Release No. 12/2024", "Media Advisory"), "For immediate release", a
# reference line ("PR/23/041", "Ref: SG/SM/21345"), a PDF page line ("Page 2 of 3").
_MARKER_LINE = re.compile(
    r"""^\s*(?:
        (?:[-–—*#]+\s*)?(?:press|news|media)\s+(?:release|statement|advisory|note)
            (?:\s+(?:no\.?|n°|nr\.?|number)?\s*[\w./-]*\d[\w./-]*)?(?:\s*[-–—*#]+)?
      | (?:for\s+)?immediate\s+release
      | for\s+release\s*:?\s*immediately
      | (?:(?:ref(?:erence)?|our\s+ref)\.?\s*(?:no\.?)?\s*:?\s*)?
            (?=[^\n]*\d)[a-z]{1,10}(?:/[a-z0-9.-]{1,12}){1,4}
      | page\s+\d{1,4}\s*(?:of|/)\s*\d{1,4}
      | [-–—*#\s]*\bends?\b[-–—*#\s]*
      | \#{3,}
      | [*]{3,}
    )\s*[.:]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A paragraph that starts like this is a contact or social-media block, not content.
_BOILERPLATE_START = re.compile(
    r"^\s*(?:for\s+(?:further\s+|more\s+)?(?:media|press)\s+(?:enquiries|inquiries|information)"
    r"|(?:media|press)\s+(?:contacts?|enquiries|inquiries)\s*:"
    r"|follow\s+us\s+on\b|share\s+this\s+(?:release|article|page|story)\b)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")


def normalize_space(text: str) -> str:
    """NFC, odd spaces to ASCII spaces, invisible and control characters removed, runs collapsed.

    Control characters reach here from feeds (``"\\u0000"`` in JSON) as well as from files.
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ODD_CHARACTER.search(text):
        text = text.translate(_TRANSLATION)
    if "  " in text:
        text = _RUNS_OF_SPACE.sub(" ", text)
    return text.strip()


def is_marker_line(line: str) -> bool:
    """A line that carries no content: "Press Release", "– END –", "###" and the like."""
    return bool(_MARKER_LINE.match(line)) and bool(line.strip())


def is_boilerplate(paragraph: str) -> bool:
    return is_marker_line(paragraph) or bool(_BOILERPLATE_START.match(paragraph))


def _join_lines(lines: Sequence[str]) -> str:
    """Join hard-wrapped lines; a line ending in a word-hyphen joins without a space."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif re.search(r"\w-$", out) and line[:1].isalpha():
            out += line
        else:
            out += " " + line
    return out


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, hard wraps joined, whitespace normalised.

    A marker line, a contact/social line or a bullet starts a paragraph of its own even
    without a blank line before it, so that it can be recognised (and dropped) whole
    rather than glued onto the sentence above it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            joined = normalize_space(_join_lines(current))
            if joined:
                paragraphs.append(joined)
            current.clear()

    for raw in text.split("\n"):
        line = normalize_space(raw)
        if not line:
            flush()
        elif is_marker_line(line):
            flush()
            paragraphs.append(line)
        elif _BOILERPLATE_START.match(line) or _BULLET.match(line):
            flush()
            current.append(line)
        else:
            current.append(line)
    flush()
    return paragraphs


def dedupe_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """Drop verbatim repeats, keeping each paragraph's last copy (see the module docstring)."""
    last_index = {p: i for i, p in enumerate(paragraphs)}
    return [p for i, p in enumerate(paragraphs) if last_index[p] == i]


def clean_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """Normalise, drop empty and boilerplate paragraphs and verbatim repeats."""
    normalised = (normalize_space(p) for p in paragraphs)
    return dedupe_paragraphs([p for p in normalised if p and not is_boilerplate(p)])


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(paragraphs)
