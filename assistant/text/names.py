"""Words and names: runs of capitalised words ("Esther L. George", "Klaipėda")."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.text.vocabulary import zipf

# A word in any script ("Gdańsk", "Łukasz", "Ørsted"), with its apostrophes and hyphens.
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


@lru_cache(maxsize=20_000)
def fold(text: str) -> str:
    """``text`` in lower case without its accents ("Türkiye" -> "turkiye", "Rõõmus" ->
    "roomus"): a question typed without them still names the same thing."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def opens_sentence(text: str, position: int, also: str = "") -> bool:
    """Whether the word at ``position`` opens a sentence (or, with ``also=":"``, a
    clause after a colon): there a capital says nothing about a name."""
    before = text[:position].rstrip(" \"'“‘(*")
    return not before or before[-1] in ".!?" + also


def proper_names(text: str, name_zipf: float) -> list[str]:
    """Runs of capitalised words inside a sentence ("Esther L. George", "Klaipėda"): a
    person, place or body. The first word of a sentence is capitalised anyway; it opens
    a name when English hardly uses it (Zipf below ``name_zipf``: "Jutavia said…", not
    "Recommendations require…"). A one-letter initial joins a run but is left out of
    the name."""
    names: list[str] = []
    run: list[str] = []
    end = -1
    for match in WORD.finditer(text):
        word = match.group()
        between = text[end : match.start()] if end >= 0 else ""
        joined = between in (" ", "-") or (between == ". " and run and len(run[-1]) == 1)
        initial = len(word) == 1 and word.isupper()
        capital = word[0].isupper() and not word.isupper()
        end = match.end()
        if run and joined and (capital or initial):
            run.append(word)
            continue
        if run:
            names.append(" ".join(w for w in run if len(w) > 1))
        starts = capital and (
            not opens_sentence(text, match.start()) or zipf(word.lower()) < name_zipf
        )
        run = [word] if starts else []
    if run:
        names.append(" ".join(w for w in run if len(w) > 1))
    return [name for name in names if name]
