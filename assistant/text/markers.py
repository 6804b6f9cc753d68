"""Citation markers: ``[1]``, ``[1, 2]``, ``[1;2]`` — one definition for every reader."""

from __future__ import annotations

import re

# One group of citation markers.
MARKERS = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
LEADING_MARKERS = re.compile(rf"(?:\s*{MARKERS.pattern})+")
# An opening bracket whose marker may still be arriving in a stream ("[", "[1", "[1, ").
PARTIAL_MARKER = re.compile(r"\[\s*(?:\d+(?:\s*[,;]\s*\d*)*)?\s*$")


def marker_numbers(sentence: str) -> list[int]:
    return [int(n) for group in MARKERS.findall(sentence) for n in re.split(r"[,;]", group)]


def without_markers(sentence: str) -> str:
    """The sentence's words, without markers and Markdown emphasis."""
    body = MARKERS.sub(" ", sentence).replace("**", "").replace("__", "")
    body = " ".join(body.split())
    return re.sub(r"\s+([.,;:!?])", r"\1", body)


def keep_markers(sentence: str, known: set[int]) -> str:
    """The sentence with each marker group rewritten as ``[1] [2]``, unknown numbers gone."""

    def rewrite(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"[,;]", match.group(1))]
        kept = list(dict.fromkeys(n for n in numbers if n in known))
        return " ".join(f"[{n}]" for n in kept)

    rewritten = MARKERS.sub(rewrite, sentence)
    rewritten = re.sub(r"[ \t]{2,}", " ", rewritten).strip()
    return re.sub(r"\s+([.,;:!?])(?=\s|$)", r"\1", rewritten)


def renumber(text: str, numbers: dict[int, int]) -> str:
    """``text`` with each marker ``[n]`` written ``[numbers[n]]``."""

    def rewrite(match: re.Match[str]) -> str:
        found = [int(n) for n in re.split(r"[,;]", match.group(1))]
        return " ".join(f"[{numbers.get(n, n)}]" for n in found)

    return MARKERS.sub(rewrite, text)
