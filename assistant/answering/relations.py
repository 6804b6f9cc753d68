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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.question import WHO
from assistant.text.lexicon import lexicon, words
from assistant.text.names import WORD
from assistant.text.numbers import NUMBER_WORDS


@dataclass(frozen=True)
class Relation:
    words: frozenset[str]
    searched: str

    @property
    def phrases(self) -> tuple[re.Pattern[str], ...]:
        """The relation's forms of several words ("voted against"), as patterns."""
        return _phrases(self.words)

    def said_in(self, text: str) -> str | None:
        """The form of the relation ``text`` uses, in lower case, or None."""
        lowered = text.lower()
        for pattern in self.phrases:
            if match := pattern.search(lowered):
                return match.group()
        return next((w for w in WORD.findall(lowered) if w in self.words), None)


@lru_cache(maxsize=64)
def _phrases(forms: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    number = rf"(?:\d+|{'|'.join(NUMBER_WORDS)})"
    return tuple(
        re.compile(rf"\b{re.escape(f).replace('<number>', number)}\b")
        for f in sorted(forms)
        if " " in f
    )


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
    for position in range(len(after)):
        for relation in RELATIONS:
            if relation.said_in(" ".join(after[position : position + 2])):
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
    """Whether any of ``texts`` uses a form of ``relation``."""
    return any(relation.said_in(text) for text in texts)


# "Who was Deputy Director *before Zhou Mingyuan*", "*Askar Belyalov's predecessor*": who
# came before or after a person the question names.
_NAME = r"((?:(?:Mr|Ms|Mrs|Dr|H\.E)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
_AROUND = re.compile(rf"\b(before|after)\s+{_NAME}")
_NOUN_OF = re.compile(rf"\b(predecessor|successor)s?\s+(?:of|to)\s+{_NAME}", re.IGNORECASE)
_OWNER = re.compile(rf"{_NAME}['’]s?\s+(predecessor|successor)s?\b")
# "Who took over from NAME", "who succeeded NAME": the one after; "whom did NAME
# replace": the one before.
_AFTER_NAME = re.compile(
    rf"\b(?i:who\s+(?:took\s+over\s+from|succeeded|replaced|followed))\s+{_NAME}"
)
_BEFORE_NAME = re.compile(
    rf"\b(?i:who(?:m)?\s+did)\s+{_NAME}\s+(?i:succeed|replace|take\s+over\s+from)\b"
)
# Words of a succession: a verb (active, or passive before "by") or a noun, and which way
# a noun points ("the predecessor of NAME" came before).
SUCCESSION_VERBS = words("successions", "verbs")
SUCCESSION_NOUNS = {
    **{noun: True for noun in words("successions", "earlier_nouns")},
    **{noun: False for noun in words("successions", "later_nouns")},
}
# How many sentences after a person is named "He" or "She" may still be that person.
PRONOUN_REACH = 3


@dataclass(frozen=True)
class Succession:
    """A question for who came ``before`` (or after) the person ``name``."""

    name: str
    before: bool

    @property
    def surname(self) -> str:
        return self.name.split()[-1].lower()


def asked_succession(question: str, role_asked: bool) -> Succession | None:
    """The person whose predecessor or successor a "who" question asks for: "before
    NAME" and "after NAME" when it asks for a role (``role_asked``: "who was the
    ambassador before…", not "who dissented after Hurricane Katrina"), "NAME's
    predecessor", "the successor of NAME" always."""
    if not (WHO.search(question) or question.lower().lstrip().startswith("who")):
        return None
    if match := _NOUN_OF.search(question):
        return Succession(_bare_name(match.group(2)), match.group(1).lower() == "predecessor")
    if match := _OWNER.search(question):
        return Succession(_bare_name(match.group(1)), match.group(2).lower() == "predecessor")
    if match := _AFTER_NAME.search(question):
        return Succession(_bare_name(match.group(1)), False)
    if match := _BEFORE_NAME.search(question):
        return Succession(_bare_name(match.group(1)), True)
    if role_asked and (match := _AROUND.search(question)):
        return Succession(_bare_name(match.group(2)), match.group(1) == "before")
    return None


def states_succession(asked: Succession, sentences: Iterable[str]) -> bool:
    """Whether a sentence that names the person says who came before them (or after):
    "NAME succeeds X", "X was replaced by NAME" and "NAME's predecessor X" say who came
    before NAME; "X, succeeding NAME" says who came after."""
    since = PRONOUN_REACH + 1  # sentences since the person was last named
    for sentence in sentences:
        said = [w.lower() for w in WORD.findall(sentence)]
        found = [re.sub(r"['’]s$", "", w) for w in said]
        if asked.surname in found:
            at, since = found.index(asked.surname), 0
        elif found[:1] in (["he"], ["she"]) and since < PRONOUN_REACH:
            # "…Gulnara Estemirova has been appointed… She succeeds Ambassador Kusherbay."
            at, since = 0, since + 1
        else:
            since += 1
            continue
        owns = said[at] != found[at]
        for i, word in enumerate(found):
            if word in SUCCESSION_VERBS:
                passive = found[i + 1 : i + 2] == ["by"]
                # Active: the one before the verb came later; passive, the other way.
                came_later = (at < i) != passive
                if came_later == asked.before:
                    return True
            elif word in SUCCESSION_NOUNS:
                of_name = at > i or owns
                noun_before = SUCCESSION_NOUNS[word]
                # "the predecessor of NAME" says who came before NAME; "NAME, the
                # predecessor of X", who came after.
                if (noun_before if of_name else not noun_before) == asked.before:
                    return True
    return False


def _bare_name(name: str) -> str:
    """The name without its title ("Mr. Zhou Mingyuan" -> "Zhou Mingyuan")."""
    return re.sub(r"^(?:Mr|Ms|Mrs|Dr|H\.E)\.?\s+", "", name.strip())
