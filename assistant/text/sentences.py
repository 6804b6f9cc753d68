"""Sentence boundaries with character offsets, so a quote can point into the release."""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st e.g i.e etc vs approx dept est gen gov
    sen rep amb h.e jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n inc ltd co corp
    jr sr rev hon""".split()
)
# These end in a full stop only before a number: "No. 5", "Art. 12", "p. 4".
NUMBERED = frozenset("no nos art arts vol p pp fig para".split())
BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])|\n{2,}")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences in ``text``, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip()
        last_word = before.rsplit(None, 1)[-1].lower().rstrip(".") if before.split() else ""
        numbered = last_word in NUMBERED and text[match.end() : match.end() + 1].isdigit()
        if match.group().count("\n") < 2 and (
            last_word in ABBREVIATIONS or numbered or (len(last_word) == 1 and last_word.isalpha())
        ):
            continue
        end = match.start() + len(match.group()) - len(match.group().lstrip("\"'”’)]"))
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    cleaned: list[tuple[int, int]] = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            cleaned.append((begin, end))
    return cleaned
