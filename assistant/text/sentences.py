"""Sentence boundaries with character offsets, so a quote can point into the release."""

from __future__ import annotations

import re

from assistant.text.lexicon import words

# Words after which a full stop does not end a sentence, and those that do not only
# before a number ("No. 5"): see lexicon/sentences.yaml.
ABBREVIATIONS = words("sentences", "abbreviations")
NUMBERED = words("sentences", "numbered")
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
