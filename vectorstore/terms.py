"""Turning text into search terms: one definition for BM25 and for the answerer."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

# Numbers keep their decimal point and thousands separators ("4.2", "1,250"): figures
# are what press questions ask about.
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

# Function words only: "against", "before", "not", "most" and the like carry meaning in
# press questions ("who voted against", "before the summit") and stay searchable.
STOPWORDS = frozenset(
    """
    a am an and any are as at be been being both but by can could did do does doing each
    for from had has have having he her here hers herself him himself his how i if in into
    is it its itself just me my myself of on or our ours ourselves she should so some such
    than that the their theirs them themselves then there these they this those to too was
    we were what when where which while who whom whose why will with would you your yours
    yourself yourselves tell please
    """.split()
)

# Snowball's English stemmer (Porter2) from PyStemmer: C, imported in milliseconds (nltk's
# Porter stemmer imported all of nltk, about a second of every command's start-up), and
# kinder to names than Porter's ("herring" stays "herring", "general" is not "gener").
# Saved BM25 indexes record this name and are rebuilt when it changes.
STEMMER = "snowball-english"
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words and numbers of ``text``, in order."""
    return [term for term, _ in terms_with_words(text)]


def terms_with_words(text: str) -> list[tuple[str, str]]:
    """Each search term of ``text`` with the word it came from (``("vote", "voted")``)."""
    out: list[tuple[str, str]] = []
    for match in TOKEN.finditer(text.lower()):
        token = match.group().replace("’", "'")
        if token[0].isdigit():
            number = token.replace(",", "")
            out.append((number, number))
            continue
        word = token.split("'")[0]
        if word not in STOPWORDS:
            out.append((stem(word), word))
    return out
