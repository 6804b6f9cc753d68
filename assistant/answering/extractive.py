"""The offline answerer: the best supporting sentences of the passages, each cited.

No model writes anything: every sentence of the answer is a sentence of a release, so a
citation can never point at text that does not say what the answer says. Which sentences,
and whether to answer at all, is :mod:`assistant.answering.evidence`'s: one scorer and
one gate of ordered rules. This module composes the answer from the scored sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.evidence import Candidate, Case, Gate, Scorer, Verdict
from assistant.answering.question import WHEN, analyse
from assistant.answering.timeframe import TimeFrame
from assistant.answering.tuning import Tuning
from assistant.text.lexicon import words
from assistant.text.names import WORD, proper_names
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Passage, date_in_words
from vectorstore.terms import terms

# A sentence that opens with one of these leans on the sentence before it.
PRONOUNS = words("sentences", "pronouns")


class ExtractiveAnswerer:
    """The scorer, the gate, and the composer of extractive answers."""

    def __init__(
        self,
        embedder: Embedder,
        lexical: LexicalIndex,
        tuning: Tuning | None = None,
        max_sentences: int = 3,
    ) -> None:
        self.tuning = tuning or Tuning()
        self.scorer = Scorer(embedder, lexical, self.tuning)
        self.gate = Gate(self.scorer)
        self.max_sentences = max_sentences

    @property
    def embedder(self) -> Embedder:
        return self.scorer.embedder

    @property
    def lexical(self) -> LexicalIndex:
        return self.scorer.lexical

    @lexical.setter
    def lexical(self, lexical: LexicalIndex) -> None:
        self.scorer.lexical = lexical

    def evidence(
        self, question: str, passages: Sequence[Passage], frame: TimeFrame, context: str = ""
    ) -> list[Candidate]:
        """Every sentence of ``passages`` as a scored candidate, best first."""
        return self.scorer.candidates(question, passages, frame, context)

    def judge(
        self,
        question: str,
        passages: Sequence[Passage],
        ranked: Sequence[Candidate],
        frame: TimeFrame,
        context: str = "",
        stop: bool = True,
    ) -> list[Verdict]:
        """The gate's verdicts, in order (the last fired, if any, is the refusal)."""
        asked = analyse(question, self.tuning)
        return self.gate.judge(Case(question, asked, passages, ranked, frame, context), stop)

    def question_coverage(
        self,
        question: str,
        passages: Sequence[Passage],
        frame: TimeFrame,
        ignored: frozenset[str] = frozenset(),
    ) -> float:
        return self.scorer.question_coverage(question, passages, frame, ignored)

    def select(self, ranked: Sequence[Candidate], question: str) -> list[Candidate]:
        """The answer's sentences, the one that answers first.

        The lead (see :meth:`Scorer.lead`) first, the best sentence as context when it is not the
        lead, then close runners-up that add something new, and for a "who" question the
        sentence that gives a name in full when the chosen ones only say "President Parry".
        """
        ranked = self.scorer.answering(ranked, question)
        best = ranked[0]
        kinds = analyse(question, self.tuning).kinds
        lead = self.scorer.lead(ranked, question) or best
        chosen = [lead] if lead is best else [lead, best]
        for candidate in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            floor = self.tuning.select_score_ratio * best.score
            if candidate in chosen or candidate.score < floor or candidate.coverage == 0:
                continue
            limit = self.tuning.redundant_overlap
            if any(_redundant(candidate.text, other.text, limit) for other in chosen):
                continue
            chosen.append(candidate)
        if "name" in kinds:
            chosen += _full_names(chosen, ranked, self.tuning.name_zipf)
        first, rest = chosen[0], chosen[1:]
        rest.sort(key=lambda e: (e.passage.rank, e.start))
        return _with_antecedents([first, *rest], ranked)

    def compose(self, question: str, ranked: Sequence[Candidate], frame: TimeFrame) -> str:
        """The answer made of the chosen sentences, once the gate said answerable."""
        return self.compose_chosen(self.select(ranked, question), question, frame)

    @staticmethod
    def compose_chosen(chosen: Sequence[Candidate], question: str, frame: TimeFrame) -> str:
        """The ``chosen`` sentences, each cited, dated where time matters."""
        dated = frame.has_window or frame.latest or bool(WHEN.search(question))
        releases = {e.passage.chunk.release_id for e in chosen}
        parts: list[str] = []
        dated_releases: set[str] = set()
        for evidence in chosen:
            release_id = evidence.passage.chunk.release_id
            needs_date = (dated or len(releases) > 1) and release_id not in dated_releases
            dated_releases.add(release_id)
            parts.append(_with_date(evidence, needs_date) + f" [{evidence.passage.rank}]")
        return " ".join(parts)


def _with_date(evidence: Candidate, needed: bool) -> str:
    """Prefix the release date when time matters and the sentence does not say it."""
    chunk = evidence.passage.chunk
    if not needed or chunk.published is None:
        return evidence.text
    words = date_in_words(chunk.published)
    if words in evidence.text or chunk.published.strftime("%B %-d, %Y") in evidence.text:
        return evidence.text
    return f"On {words}: {evidence.text}"


def _with_antecedents(chosen: list[Candidate], ranked: Sequence[Candidate]) -> list[Candidate]:
    """Each sentence that opens with a pronoun ("He succeeds Professor Rõõmus") preceded
    by the sentence before it in its passage, which says who "he" is."""
    out: list[Candidate] = []
    for evidence in chosen:
        opening = WORD.match(evidence.text)
        if opening and opening.group().lower() in PRONOUNS:
            before = [
                e for e in ranked if e.passage is evidence.passage and e.end <= evidence.start
            ]
            previous = max(before, key=lambda e: e.end, default=None)
            if previous is not None and previous not in out:
                out.append(previous)
        if evidence not in out:
            out.append(evidence)
    return out


def _full_names(
    chosen: list[Candidate], ranked: Sequence[Candidate], name_zipf: float
) -> list[Candidate]:
    """Sentences of the same releases that name in full someone the chosen sentences
    call by surname only ("President Parry" -> "Robert T. Parry")."""
    said = {name for e in chosen for name in proper_names(e.text, name_zipf)}
    surnames = {name for name in said if " " not in name}
    releases = {e.passage.chunk.release_id for e in chosen}
    added: list[Candidate] = []
    for evidence in ranked:
        if evidence in chosen or evidence.passage.chunk.release_id not in releases:
            continue
        full = [
            name
            for name in proper_names(evidence.text, name_zipf)
            if " " in name and name.rsplit(" ", 1)[1] in surnames and name not in said
        ]
        if full:
            added.append(evidence)
            surnames -= {name.rsplit(" ", 1)[1] for name in full}
    return added


def _redundant(a: str, b: str, limit: float) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    if not ta or not tb:
        return False
    return len(ta & tb) / len(ta | tb) >= limit
