"""The relation a "who" question asks about, and whether a passage states it.

"Who *succeeded* Janet Yellen as Chair?" asks for a person in a relation. A passage that
only names people (a voting list: "Janet L. Yellen, Chair; William C. Dudley…") holds a
name, but it does not say who succeeded whom, and answering from it is an invented
claim. When the question's verb belongs to one of the relations below, some word of that
relation must occur in a retrieved passage, or the honest answer is a refusal. A verb
outside these relations is not checked: the list only refuses what it knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Ways of saying the same relation, whichever the question or the release uses. Word
# forms are spelled out: a stemmer maps "succeeds" and "succeed" apart.
RELATIONS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    for words in (
        r"succeed(?:s|ed|ing)?|successors?|succession|replac(?:e|es|ed|ing|ement)",
        r"dissent(?:s|ed|ing)?|oppos(?:e|es|ed|ing|ition)|against|object(?:s|ed|ing|ions?)",
        r"appoint(?:s|ed|ing|ments?)?|pick(?:s|ed)?|elect(?:s|ed|ing|ions?)?|"
        r"select(?:s|ed|ing|ion)?|choose|chooses|chose|chosen|nominat(?:e|es|ed|ion)",
        r"resign(?:s|ed|ing|ation)?|retir(?:e|es|ed|ing|ement)|depart(?:s|ed|ure)?",
    )
)
WORD = re.compile(r"[\w-]+")
WORDS_LOOKED_AT = 6  # after "who": "who did the Council finally pick"


def asked_relation(question: str) -> re.Pattern[str] | None:
    """The words that state the relation a "who" question asks about ("who succeeded",
    "who did the Council pick"), found in its first few words, or None."""
    words = WORD.findall(question)
    if not words or words[0].lower() not in ("who", "whom"):
        return None
    for word in words[1 : 1 + WORDS_LOOKED_AT]:
        for relation in RELATIONS:
            if relation.fullmatch(word):
                return relation
    return None


def states_relation(relation: re.Pattern[str], texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` uses a word of ``relation``."""
    return any(relation.search(text) for text in texts)
