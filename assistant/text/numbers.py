"""Figures: in digits ("14", "4.2", "1,500") and in words ("thirteen", "the fifth")."""

from __future__ import annotations

import re

from assistant.text.lexicon import lexicon

# A figure in digits.
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBERS = lexicon("numbers")
UNITS: list[str] = list(_NUMBERS["units"])
ORDINALS: list[str] = list(_NUMBERS["ordinals"])
TENS: dict[str, int] = dict(_NUMBERS["tens"])
# Each number word and the digits it stands for ("first" and "second" are left out: they
# are more often order in time than a figure).
NUMBER_WORDS: dict[str, str] = {
    **{w: str(i) for i, w in enumerate(UNITS)},
    **{w: str(i) for i, w in enumerate(ORDINALS) if i > 2},
    **{w: str(n) for w, n in TENS.items()},
}
NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)
# "12th", "1st", "the 3rd": an ordinal in digits.
ORDINAL_DIGITS = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
ORDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(ORDINALS)}


def spelled_alternatives(figure: str) -> set[str]:
    """The ways ``figure`` ("13" or "thirteen") may be written: its digits and words."""
    digits = NUMBER_WORDS.get(figure.lower()) or figure.replace(",", "")
    found = {digits}
    found |= {w for w, d in NUMBER_WORDS.items() if d == digits}
    return found


def ordinals_in(text: str) -> set[int]:
    """Ordinals ``text`` names, as numbers ("the 12th session", "the fifth meeting")."""
    found = {int(m.group(1)) for m in ORDINAL_DIGITS.finditer(text)}
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in ORDINAL_WORDS and ORDINAL_WORDS[word] > 0:
            found.add(ORDINAL_WORDS[word])
    return found
