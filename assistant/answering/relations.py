"""The relation a "who" question asks about, and whether a passage states it.

"Who *succeeded* Janet Yellen as Chair?" asks for a person in a relation. A passage that
only names people (a voting list: "Janet L. Yellen, Chair; William C. Dudley…") holds a
name, but it does not say who succeeded whom, and answering from it is an invented
claim. When the question's verb belongs to one of the relations of
``assistant/text/lexicon/relations.yaml``, some word of that relation must occur in a
retrieved passage, or the honest answer is a refusal. A verb outside these relations is
not checked: the list only refuses what it knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.answering.question import WHO
from assistant.text.lexicon import lexicon
from assistant.text.names import WORD


@dataclass(frozen=True)
class Relation:
    words: frozenset[str]
    searched: str


RELATIONS: tuple[Relation, ...] = tuple(
    Relation(frozenset(r["words"]), r["searched"]) for r in lexicon("relations")
)


def asked_relation(question: str, looked_at: int) -> Relation | None:
    """The relation a "who" question asks about ("who succeeded", "who did the Council
    pick", "which members dissented"), found in its first ``looked_at`` words after "who"
    or after "which <people>", or None."""
    words = WORD.findall(question.lower())
    if words and words[0] in ("who", "whom"):
        after = words[1 : 1 + looked_at]
    elif match := WHO.search(question):
        # "Which Committee members dissented": the words after the asked-for people.
        after = WORD.findall(question[match.end() :].lower())[:looked_at]
    else:
        return None
    for word in after:
        for relation in RELATIONS:
            if word in relation.words:
                return relation
    return None


def relation_words(question: str, looked_at: int) -> str:
    """Words to search for besides the question's own when a "who" question asks about a
    relation ("who dissented" -> "voting against dissented opposed"), else ""."""
    if WORD.findall(question.lower())[:1] not in (["who"], ["whom"]):
        # "Which Mongolian minister presided": the people asked for are the search's
        # subject already; adding "chairmanship" finds the handovers instead.
        return ""
    relation = asked_relation(question, looked_at)
    return relation.searched if relation else ""


def states_relation(relation: Relation, texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` uses a word of ``relation``."""
    return any(relation.words & set(WORD.findall(text.lower())) for text in texts)
