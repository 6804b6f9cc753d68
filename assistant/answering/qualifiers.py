"""What a question says *which* of a kind of thing it means, and whether a release has
another one instead.

"Who moderated the round table *on energy*" and "what does a *multiple*-entry visa cost"
name a thing by a qualifier. When the release found has the same thing only with other
qualifiers ("the round table on transport corridors", "a single-entry e-visa") and never
uses the asked one, it answers about another thing: the honest answer is a refusal that
says what the release has. Two forms are read: a noun with "on <topic>", and a
hyphenated compound ("multiple-entry", "short-term").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.text.dates import MONTHS, WEEKDAYS
from assistant.text.lexicon import words
from assistant.text.names import WORD
from vectorstore.terms import terms

# "the round table on energy at the forum": the noun, and the topic up to a small word.
# "On behalf of", "on the sidelines of": a preposition of several words, not a topic.
_ON_TOPIC = re.compile(
    r"\b((?:[a-z][\w-]*\s+)?[a-z][\w-]*)\s+on\s+((?:(?!at\b|in\b|of\b|and\b|during\b|the\b)\w+\b\s*){1,3})"
    r"(?!\s*of\b)"
)
_STOP = r"(?!(?:and|of|in|at|the|for|with|to)\b)"
# "multiple-entry": the qualifier and the word it qualifies, both in lower case (a
# capitalised compound is part of a name: "Asset-Backed").
_COMPOUND = re.compile(r"\b([a-z]{3,})-([a-z]{3,})\b")


@dataclass(frozen=True)
class Qualifier:
    """``noun`` qualified by ``which`` as the question says it (``form``: "on" or "-")."""

    form: str
    noun: str
    which: str
    # The noun as the question says it ("round table").
    phrase: str = ""

    @property
    def said(self) -> str:
        if self.form == "-":
            return f"{self.which}-{self.noun}"
        return f"the {self.phrase or self.noun} on {self.which}"


@lru_cache(maxsize=4096)
def asked_qualifiers(question: str) -> tuple[Qualifier, ...]:
    """The qualified things ``question`` names (see the module docstring)."""
    small = words("words", "asking")
    found: list[Qualifier] = []
    for match in _ON_TOPIC.finditer(question):
        topic = " ".join(w for w in WORD.findall(match.group(2)) if w.lower() not in small)
        if match.group(2)[:1].isdigit() or (topic.split()[:1] and _is_day(topic.split()[0])):
            continue  # "met on 5 May", "on Monday": a date, the window's
        phrase = [w for w in match.group(1).lower().split() if w not in small and w != "the"]
        if topic and phrase:
            found.append(Qualifier("on", phrase[-1], topic.lower(), " ".join(phrase)))
    for match in _COMPOUND.finditer(question):
        found.append(Qualifier("-", match.group(2), match.group(1)))
    return tuple(found)


def _is_day(word: str) -> bool:
    return word.lower() in MONTHS or word.lower() in WEEKDAYS


@lru_cache(maxsize=4096)
def others_in(qualifier: Qualifier, text: str) -> list[str]:
    """How ``text`` qualifies the same noun otherwise ("transport corridors", "single"),
    when it never uses the asked qualifier's words at all; else []. Cached: a release's
    text is looked at again for every question that names the qualifier."""
    held = set(terms(text))
    if set(terms(qualifier.which)) & held:
        return []
    lowered = text.lower()
    if qualifier.form == "-":
        pattern = rf"\b([a-z]{{3,}})-{re.escape(qualifier.noun)}\b"
    else:
        pattern = (
            rf"\b{re.escape(qualifier.noun)}s?\s+on\s+(?:the\s+)?((?:{_STOP}[a-z][\w-]*\s*){{1,2}})"
        )
    return _unique(m.group(1).strip() for m in re.finditer(pattern, lowered))


def _unique(found: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(f for f in found if f))
