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

# Ways of saying the same relation, whichever the question or the release uses (word
# forms spelled out: a stemmer maps "succeeds" and "succeed" apart), with the words a
# search for it adds: "who dissented" is answered by "voting against the action was…".
RELATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b", re.IGNORECASE), searched)
    for words, searched in (
        (
            r"succeed(?:s|ed|ing)?|successors?|succession|replac(?:e|es|ed|ing|ement)",
            "succeeds successor replaces",
        ),
        (
            r"dissent(?:s|ed|ing)?|oppos(?:e|es|ed|ing|ition)|against|object(?:s|ed|ing|ions?)",
            "voting against dissented opposed",
        ),
        (
            r"appoint(?:s|ed|ing|ments?)?|pick(?:s|ed)?|elect(?:s|ed|ing|ions?)?|"
            r"select(?:s|ed|ing|ion)?|choose|chooses|chose|chosen|nominat(?:e|es|ed|ion)",
            "appointed elected",
        ),
        (
            r"resign(?:s|ed|ing|ation)?|retir(?:e|es|ed|ing|ement)|depart(?:s|ed|ure)?",
            "resigned retired",
        ),
    )
)
WORD = re.compile(r"[\w-]+")


def asked_relation(question: str, looked_at: int) -> re.Pattern[str] | None:
    """The words that state the relation a "who" question asks about ("who succeeded",
    "who did the Council pick"), found in its first ``looked_at`` words after "who",
    or None."""
    words = WORD.findall(question)
    if not words or words[0].lower() not in ("who", "whom"):
        return None
    for word in words[1 : 1 + looked_at]:
        for relation, _ in RELATIONS:
            if relation.fullmatch(word):
                return relation
    return None


def relation_words(question: str, looked_at: int) -> str:
    """Words to search for besides the question's own when it asks about a relation
    ("who dissented" -> "voting against dissented opposed"), else ""."""
    relation = asked_relation(question, looked_at)
    return next((searched for pattern, searched in RELATIONS if pattern is relation), "")


def states_relation(relation: re.Pattern[str], texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` uses a word of ``relation``."""
    return any(relation.search(text) for text in texts)
