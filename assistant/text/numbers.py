"""Figures: in digits ("14", "4.2", "1,500") and in words ("thirteen", "the fifth")."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

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


def ordinals_before(text: str, nouns: set[str], reach: int = 6) -> set[int]:
    """Ordinals in ``text`` followed within ``reach`` words by one of ``nouns`` (lower
    case): "the 9th meeting of the Think Tank Forum" numbers a forum meeting, "for the
    first time" numbers no forum."""
    words = re.findall(r"[\w-]+", text)
    found: set[int] = set()
    for i, word in enumerate(words):
        digits = ORDINAL_DIGITS.fullmatch(word)
        number = int(digits.group(1)) if digits else ORDINAL_WORDS.get(word.lower(), 0)
        if number > 0 and any(w.lower() in nouns for w in words[i + 1 : i + 1 + reach]):
            found.add(number)
    return found


_FIGURE = rf"(?:\b\d[\d,.]*|\b(?:{'|'.join(NUMBER_WORDS)}))"
# A figure and the three words after it, one of which it counts ("14 vessels", "22
# member states", "46 young delegates", "nine of the 13 votes", "96 of 198 reporting
# gauging stations"); small words and figures between are passed over.
_COUNTED_AFTER = re.compile(
    rf"{_FIGURE}(?=((?:\s+[A-Za-z0-9][A-Za-z0-9,.;:-]*){{1,5}}))", re.IGNORECASE
)
_CONTENT_WORDS_AFTER = 3
# A noun counted by "of" and a figure ("delegations of 24 member states").
_COUNTED_OF = re.compile(rf"\b([A-Za-z][A-Za-z-]*)\s+of\s+(?:the\s+)?{_FIGURE}", re.IGNORECASE)


def counted_words(text: str) -> list[str]:
    """The words a figure in ``text`` may count, in lower case: the three words after
    it, small words left out ("22 member states", "nine of the 13 votes"), and the noun
    it is "of" ("delegations of 24 member states")."""
    found: list[str] = []
    numbers = {w.lower() for w in NUMBER_WORDS}
    for match in _COUNTED_AFTER.finditer(text):
        content: list[str] = []
        for token in match.group(1).split():
            word = token.lower().rstrip(",.;:")
            if word[:1].isdigit() or word in numbers or word in _PHRASE_ENDS:
                break  # another figure counts what follows it; a preposition ends it
            if word.isalpha() and word not in _SMALL_WORDS:
                content.append(word)
            if token[-1] in ",.;:" or len(content) == _CONTENT_WORDS_AFTER:
                break  # the phrase ends with its clause
        found += content
    found += [m.group(1).lower() for m in _COUNTED_OF.finditer(text)]
    return list(dict.fromkeys(w for w in found if w not in _SMALL_WORDS and w not in numbers))


# Prepositions that end what a figure counts ("600 personnel *in* a drill").
_PHRASE_ENDS = frozenset("in on at to for from by with as than per during after before".split())
# Words that count nothing ("14 *of* them", "12 *in* person").
_SMALL_WORDS = frozenset(
    "of the a an and or in on at to for from by with as than per them these those".split()
)


def is_currency_word(word: str) -> bool:
    """Whether ``word`` names a currency ("dollar", "euros", "tenge")."""
    return word.lower() in _currency_words()


@cache
def _currency_words() -> frozenset[str]:
    """The last word of every currency's English name, singular and plural, from the
    CLDR data of ``babel`` ("euro", "euros", "tenge", "rupees"). Codes starting with X
    (gold, special drawing rights, test codes) name no money a release would quote."""
    from babel.numbers import get_currency_name, list_currencies

    found: set[str] = set()
    for code in list_currencies():
        if code.startswith("X"):
            continue
        for count in (1, 2):
            word = get_currency_name(code, count, "en").split()[-1].lower()
            if word.isalpha():
                found.add(word)
    return frozenset(found)


@cache
def _money() -> re.Pattern[str]:
    """A figure with its currency (see :func:`has_money`)."""
    symbols = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Sc")
    # A symbol maybe after a country's letters ("US$", "A$"); a code is three capital
    # letters, as ISO 4217 writes them and as an archive writes its own currency.
    symbol = f"[A-Z]{{0,3}}[{re.escape(symbols)}]"
    figure = r"\d[\d,.]*"
    scale = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn|m|k)\b)?"
    names = "|".join(sorted(_currency_words(), key=len, reverse=True))
    country = r"(?:[A-Z][A-Za-z]+\s)?"  # "200 Swiss francs", "5 US dollars"
    return re.compile(
        rf"{symbol}\s?{figure}"
        rf"|\b[A-Z]{{3}}\s?{figure}"
        rf"|\b{figure}{scale}\s?(?:{symbol}|[A-Z]{{3}}\b|{country}(?i:{names})\b)"
    )


def has_money(text: str) -> bool:
    """Whether ``text`` states an amount of money: a figure with a currency symbol (any
    character of Unicode category Sc), a three-letter code or a currency's name ("EUR 3.7
    million", "US$ 480,000", "3.7 million euros", "OSK 45.7 billion")."""
    return _money().search(text) is not None


# A time of day: "10:30", "2:15 p.m.", "9 am", "1400 hours", "noon".
CLOCK_TIME = re.compile(
    r"\b\d{1,2}:\d{2}\b"
    r"|\b\d{1,2}(?:[.:]\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\b\d{4}\s?(?:hours|hrs|GMT|UTC)\b"
    r"|\b(?:noon|midday|midnight|o'clock)\b",
    re.IGNORECASE,
)
