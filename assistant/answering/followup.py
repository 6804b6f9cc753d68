"""Follow-up questions made standalone, so retrieval knows what they are about.

"Who voted against it?" after "What did the Commission decide about eel exports?" is
about eel exports. Without a language model the rule is plain: a question that points
back ("it", "that decision", "there", "and …") or does not say what it is about (no
rare name and no figure of its own) follows the conversation. It is searched with the
words of the question it follows (itself made standalone first), and it keeps that
question's date window when it names no time of its own. Any other question stands
alone: a user who changes the subject gets no filter from earlier turns.

With a language model configured, :class:`LLMCondenser` asks it to rewrite the question
(prompt ``prompts/condense.yaml``); whatever it returns is checked, and the rule above
is the fallback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answering.evidence import LATEST_WORDS
from assistant.answering.tuning import Tuning
from assistant.text.dates import MONTHS
from assistant.text.lexicon import words
from assistant.text.names import proper_names
from prompts import load_prompt
from vectorstore.lexical import LexicalIndex
from vectorstore.terms import terms, terms_with_words

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger("pressroom")
# Words that point back at something said before. Possessives ("its", "their") are left
# out: they usually point inside the question ("the FOMC … its holdings").
POINTS_BACK = re.compile(
    r"\b(?:it|they|them|there|he|she|him|the same)\b"
    r"|\b(?:that|this|these|those)\b(?!\s+(?:is|was|are|were|the|a|an|it|they)\b)"
    r"|^\s*(?:and|but|also|so|what about|how about)\b",
    re.IGNORECASE,
)
# Words of a question that say how it asks, not what it is about: never carried over.
ASKING_WORDS = frozenset(terms(" ".join(words("words", "asking"))))
# Time is carried as a date window (see Standalone.follows), not as words.
TIME_WORDS = LATEST_WORDS | frozenset(terms(" ".join(MONTHS)))
YEAR = re.compile(r"^(?:19|20)\d\d$")
FIGURE = re.compile(r"\d")


@dataclass(frozen=True)
class Standalone:
    """A question as retrieval should read it.

    ``query`` is the question with the words ``carried`` from the conversation appended;
    ``follows`` holds the earlier questions it follows, nearest first (their date
    windows apply when it names none); ``points_back`` is true when the question itself
    says it follows ("it", "that decision"), false when it only says too little to stand
    alone (then the engine weighs both readings); ``previous`` is the question it
    follows, itself made standalone; ``condensed_by`` says who rewrote it.
    """

    question: str
    query: str
    carried: str = ""
    follows: tuple[str, ...] = ()
    points_back: bool = False
    previous: Standalone | None = None
    condensed_by: str = "rules"

    @property
    def is_follow_up(self) -> bool:
        return bool(self.follows)


class FollowUps:
    """The rule-based rewriting; ``lexical`` tells which words are rare in the archive."""

    def __init__(self, lexical: LexicalIndex, tuning: Tuning | None = None) -> None:
        self.lexical = lexical
        self.tuning = tuning or Tuning()

    def standalone(self, question: str, history: Sequence[str]) -> Standalone:
        """``question`` as it reads after the user's earlier questions ``history``
        (oldest first)."""
        if not history:
            return Standalone(question, question)
        previous = self.standalone(history[-1], history[:-1])
        points_back = bool(POINTS_BACK.search(question))
        if not points_back and self.identifies_subject(question):
            return Standalone(question, question)
        asked = set(terms(question))
        carried: list[str] = []
        seen: set[str] = set()
        for term, word in terms_with_words(previous.query):
            if term in asked or term in ASKING_WORDS or term in TIME_WORDS or term in seen:
                continue
            if YEAR.match(term):
                continue
            seen.add(term)
            carried.append(word)
        words = " ".join(carried[: self.tuning.max_carried_words])
        query = f"{question} ({words})" if words else question
        follows = (history[-1], *previous.follows)
        return Standalone(question, query, words, follows, points_back, previous)

    def identifies_subject(self, question: str) -> bool:
        """Whether ``question`` names a figure or a name rare in the archive: something
        that says what it is about without the conversation."""
        return bool(FIGURE.search(question)) or any(
            self.is_rare(name) for name in proper_names(question, self.tuning.name_zipf)
        )

    def names_in(self, question: str, texts: Sequence[str]) -> bool:
        """Whether ``texts`` hold every archive-rare word of the names ``question`` uses."""
        floor = self.rare_floor()
        wanted = {
            term
            for name in proper_names(question, self.tuning.name_zipf)
            for term in terms(name)
            if self.lexical.idf(term) >= floor
        }
        found = {term for text in texts for term in terms(text)}
        return wanted <= found

    def rare_floor(self) -> float:
        t = self.tuning
        return (
            t.small_archive_rare_idf if len(self.lexical) < t.small_archive_chunks else t.rare_idf
        )

    def is_rare(self, name: str) -> bool:
        return any(self.lexical.idf(term) >= self.rare_floor() for term in terms(name))


class LLMCondenser:
    """A language model rewrites a follow-up into a standalone question."""

    def __init__(self, llm: LLM, label: str, tuning: Tuning | None = None) -> None:
        self.llm = llm
        self.label = label
        self.tuning = tuning or Tuning()

    def condense(self, question: str, history: Sequence[str]) -> str | None:
        """The model's standalone question, or None when it failed or wrote something
        that is not one question (then the rules apply)."""
        from llama_index.core.llms import ChatMessage

        prompt = load_prompt("condense").render(history=list(history), question=question)
        try:
            reply = self.llm.chat([ChatMessage(role="user", content=prompt)]).message.content
        except Exception as exc:  # the integrations raise their clients' own errors
            log.warning(
                "the follow-up condenser %s failed (%s: %s); the rules read the question",
                self.label,
                type(exc).__name__,
                exc,
            )
            return None
        text = " ".join((reply or "").split()).strip().strip('"“”')
        limit = len(question) + sum(len(h) for h in history[-2:]) + self.tuning.condense_max_growth
        if not text or len(text) > limit or "\n" in (reply or "").strip():
            return None
        return text
