"""The offline answerer: the best supporting sentences of the passages, each cited.

No model writes anything: every sentence of the answer is a sentence of a release, so a
citation can never point at text that does not say what the answer says. The evidence
decides refusals: too little of the question found in the passages means no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.relations import asked_relation, states_relation
from assistant.answering.timeframe import TimeFrame
from assistant.answering.tuning import Tuning
from assistant.text.dates import DATES
from assistant.text.lexicon import words
from assistant.text.names import WORD, proper_names
from assistant.text.numbers import NUMBER_WORD
from assistant.text.sentences import split_sentences
from assistant.text.vocabulary import is_rare_topic_word, unseen_weight
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Passage, date_in_words
from vectorstore.terms import terms, terms_with_words

NUMERIC = re.compile(
    r"\bhow (?:much|many|large|big|high|low|far|long)\b|\b(?:amount|number|figure|rate|share|"
    r"total|budget|percentage|per cent|percent|value|level|index|reading|cost)\b",
    re.IGNORECASE,
)
# "Who …", and "which (Reserve Bank) president …": a person, country or body is asked for.
WHO = re.compile(
    r"^\s*(?:who|whom|whose)\b|\bwhich (?:[\w-]+ ){0,2}(?:official|minister|member|president|"
    r"governor|chair|chairman|director|spokesperson|person|people|delegation|country|countries|"
    r"state|states|company|companies)s?\b",
    re.IGNORECASE,
)
COUNT = re.compile(r"\bhow (?:many|long|often)\b|\bnumber of\b", re.IGNORECASE)
WHERE = re.compile(r"^\s*where\b|\b(?:which|what) (?:city|town|country|place|venue)\b", re.I)
WHEN = re.compile(r"^\s*when\b|\bwhat (?:date|day|year)\b|\bon which date\b", re.IGNORECASE)
LATEST_WORDS = frozenset(terms(" ".join(words("words", "latest"))))


# A figure written in digits ("14 vessels", "EUR 4.2 million"); dates are removed first.
NUMBER = re.compile(r"\b\d[\d,.]*\b")
# A markdown link ("[Bank of Japan (57 KB PDF)](http://…)") and a bare address: navigation,
# not something a release says.
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ADDRESS = re.compile(r"\S*(?:https?://|www\.|\.html?\b|\.pdf\b|\.php\b)\S*", re.IGNORECASE)
PRONOUNS = words("sentences", "pronouns")


def is_prose(sentence: str, min_words: int) -> bool:
    """Whether ``sentence`` says something: not a bare link, an address or a heading of
    fewer than ``min_words`` words."""
    if LINK.fullmatch(sentence.strip(" *-•")):
        return False
    plain = ADDRESS.sub(" ", LINK.sub(r"\1", sentence))
    return len(WORD.findall(plain)) >= min_words


def answer_kinds(question: str) -> set[str]:
    """What kind of thing the question asks for."""
    kinds = set()
    if NUMERIC.search(question):
        kinds.add("number")
    if WHO.search(question):
        kinds.add("name")
    if WHERE.search(question):
        kinds.add("place")
    if WHEN.search(question):
        kinds.add("date")
    return kinds


# Kinds of answer only a sentence can hold (a date or place may be the release's own).
ANSWERED_IN_TEXT = frozenset({"number", "name"})


def window_bonus(frame: TimeFrame, tuning: Tuning) -> float:
    """Evidence that a date window adds: a month or less pins a release down."""
    if frame.date_from is None or frame.date_to is None:
        return 0.0
    days = (frame.date_to - frame.date_from).days
    if days <= tuning.narrow_window_days:
        return tuning.narrow_window_bonus
    return tuning.year_window_bonus if days <= tuning.year_window_days else 0.0


def question_words(question: str, frame: TimeFrame) -> dict[str, str]:
    """The question's search terms (with the word each came from), less those the date
    window already stands for."""
    found = dict(terms_with_words(question))
    dropped = set(LATEST_WORDS) if frame.latest else set()
    if frame.has_window and frame.phrase:
        dropped |= set(terms(frame.phrase))
    return {term: word for term, word in found.items() if term not in dropped}


@dataclass(frozen=True)
class Evidence:
    """One sentence of one passage, scored for one question."""

    passage: Passage
    start: int
    end: int
    text: str
    coverage: float
    similarity: float
    score: float
    # Similarity to the question with a follow-up's carried words: it tells whether the
    # passages are on the conversation's topic, not which sentence answers.
    topic_similarity: float | None = None

    @property
    def closeness(self) -> float:
        return max(self.similarity, self.topic_similarity or self.similarity)


@dataclass(frozen=True)
class Draft:
    text: str
    refused: bool


class ExtractiveAnswerer:
    def __init__(
        self,
        embedder: Embedder,
        lexical: LexicalIndex,
        tuning: Tuning | None = None,
        max_sentences: int = 3,
    ) -> None:
        self.embedder = embedder
        self.lexical = lexical
        self.tuning = tuning or Tuning()
        self.max_sentences = max_sentences

    def weights(self, words: dict[str, str]) -> dict[str, float]:
        """How much each question term counts: its IDF in the archive; a term the archive
        never uses counts by how rare the word is in English (see assistant.text.vocabulary)."""
        top = self.lexical.idf("\x00never-seen")
        return {
            term: self.lexical.idf(term)
            if self.lexical.contains(term)
            else top * unseen_weight(word, self.tuning)
            for term, word in words.items()
        }

    def coverage(self, weights: dict[str, float], *texts: str) -> float:
        """Share of the question's term weight found in ``texts`` (first text full weight,
        later ones ``heading_share``: the heading of a release says less than its
        sentences)."""
        total = sum(weights.values())
        if total == 0:
            return 0.0
        found = 0.0
        remaining = set(weights)
        for position, text in enumerate(texts):
            hit = remaining & set(terms(text))
            found += sum(weights[t] for t in hit) * (
                1.0 if position == 0 else self.tuning.heading_share
            )
            remaining -= hit
        return found / total

    def evidence(
        self, question: str, passages: list[Passage], frame: TimeFrame, context: str = ""
    ) -> list[Evidence]:
        """Every sentence of ``passages``, best first.

        ``context`` holds words a follow-up question carries over from the conversation:
        they count towards which passage is on topic, not towards which sentence answers.

        The question's terms that the release heading already has (its topic) are
        credited to every sentence of the passage alike; a sentence is ranked by the
        remaining, specific terms ("who voted *against*"), by meaning, and by whether it
        holds the kind of thing asked for (a figure, a name, a place, a date).
        """
        asked = self.weights(question_words(question, frame))
        wanted = self.weights(question_words(f"{question} {context}", frame)) if context else asked
        kinds = answer_kinds(question)
        spans: list[tuple[Passage, int, int, str]] = []
        for passage in passages:
            chunk = passage.chunk
            for begin, end in split_sentences(chunk.text):
                if not is_prose(chunk.text[begin:end], self.tuning.min_prose_words):
                    continue
                spans.append(
                    (passage, chunk.start + begin, chunk.start + end, chunk.text[begin:end])
                )
        if not spans:
            return []
        newest = max((p.chunk.published for p in passages if p.chunk.published), default=None)
        vectors = self.embedder.embed_documents([text for *_, text in spans])
        similarities = vectors @ self.embedder.embed_query(question)
        on_topic = vectors @ self.embedder.embed_query(f"{question} {context}") if context else None
        topical: dict[str, float] = {}
        scored: list[Evidence] = []
        for position, ((passage, start, end, text), sim) in enumerate(
            zip(spans, similarities, strict=True)
        ):
            chunk = passage.chunk
            if chunk.chunk_id not in topical:
                topical[chunk.chunk_id] = self.coverage(wanted, chunk.text, chunk.heading)
            heading_terms = set(terms(chunk.heading))
            focus = {t: w for t, w in asked.items() if t not in heading_terms} or asked
            own = self.coverage(focus, text)
            t = self.tuning
            bonus = t.w_kind * len(kinds & self.kinds_in(text, question, chunk.place))
            if frame.latest and newest is not None and chunk.published == newest:
                bonus += t.w_latest
            score = (
                t.w_topic * topical[chunk.chunk_id]
                + t.w_coverage * own
                + t.w_similarity * float(sim)
                + t.w_rank / passage.rank
                + bonus
            )
            topic = float(on_topic[position]) if on_topic is not None else None
            scored.append(Evidence(passage, start, end, text, own, float(sim), score, topic))
        scored.sort(key=lambda e: -e.score)
        return scored

    def kinds_in(self, sentence: str, question: str, place: str | None) -> set[str]:
        """Which kinds of answer ``sentence`` holds that the question does not already say."""
        found: set[str] = set()
        asked = set(terms(question))
        without_dates = DATES.sub(" ", sentence)
        figures = NUMBER.findall(without_dates)
        if COUNT.search(question):
            # "How many member states…" is answered by "thirteen"; "what was the index"
            # is not answered by "across its thirteen member states".
            figures += [w.lower() for w in NUMBER_WORD.findall(without_dates) if w.lower() != "one"]
        if any(terms(q)[0] not in asked for q in figures if terms(q)):
            found.add("number")
        if any(
            self.is_new_name(name, asked, place)
            for name in proper_names(without_dates, self.tuning.name_zipf)
        ):
            found.add("name")
        if place and place in sentence and place.lower() not in question.lower():
            found.add("place")
        if DATES.search(sentence):
            found.add("date")
        return found

    def is_new_name(self, name: str, asked: set[str], place: str | None) -> bool:
        """A name the question does not already say, with a word rare in the archive."""
        if name == place:
            return False
        # In a small archive even a word of one release has a low IDF: there a word in at
        # most half of the chunks counts as rare.
        t = self.tuning
        small = len(self.lexical) < t.small_archive_chunks
        floor = t.small_archive_rare_idf if small else t.rare_idf
        rare = {t for t in terms(name) if self.lexical.idf(t) >= floor}
        return bool(rare - asked)

    def question_coverage(
        self,
        question: str,
        passages: list[Passage],
        frame: TimeFrame,
        ignored: frozenset[str] = frozenset(),
    ) -> float:
        """The largest share of the question's own weighted terms (less ``ignored``) one
        passage holds."""
        words = question_words(question, frame)
        return self.best_coverage(
            self.weights({t: w for t, w in words.items() if t not in ignored}), passages
        )

    def best_coverage(self, wanted: dict[str, float], passages: list[Passage]) -> float:
        return max(
            (self.coverage(wanted, p.chunk.text, p.chunk.heading) for p in passages),
            default=0.0,
        )

    def evidence_score(
        self,
        question: str,
        passages: list[Passage],
        ranked: list[Evidence],
        frame: TimeFrame,
        context: str = "",
    ) -> float:
        """How strongly the passages answer the question; 0 when the question names a
        rare word the archive never uses ("bitcoin"): the archive is silent on that.

        The share of the question's weighted terms found in the best passage, plus half
        the best sentence's cosine similarity (the small model's similarities crowd
        together, so they count less), plus a bonus when a date window narrower than a
        month or a year pins the releases down: "the cut in September 2007" needs few
        other words to find its statement. Without such a window, no sentence close in
        meaning (cosine below ``min_similarity``) means no answer, however many words
        match: "nuclear power *plants*" is not about wastewater treatment plants. The
        numbers are the Tuning's (docs/tuning.md).
        """
        words = question_words(question, frame)
        if any(
            is_rare_topic_word(word, self.tuning)
            for term, word in words.items()
            if not self.lexical.contains(term)
        ):
            return 0.0
        if context:
            words = {**question_words(context, frame), **words}
        coverage = self.best_coverage(self.weights(words), passages)
        closest = max((e.closeness for e in ranked), default=0.0)
        t = self.tuning
        bonus = window_bonus(frame, t)
        if bonus < t.narrow_window_bonus and closest < t.min_similarity:
            return 0.0
        return coverage + t.evidence_similarity * closest + bonus

    def is_answerable(
        self,
        question: str,
        passages: list[Passage],
        ranked: list[Evidence],
        frame: TimeFrame,
        context: str = "",
    ) -> bool:
        """The honest answer is a refusal when the evidence is weak, whatever ranks first,
        when no sentence close to the question holds the figure or name it asks for, and
        when a "who" question asks about a relation no passage states (see
        :mod:`assistant.answering.relations`)."""
        relation = asked_relation(question, self.tuning.relation_words_looked_at)
        return (
            self.evidence_score(question, passages, ranked, frame, context)
            >= self.tuning.min_evidence
            and self.lead(ranked, question) is not None
            and (relation is None or states_relation(relation, (p.chunk.text for p in passages)))
        )

    def lead(self, ranked: list[Evidence], question: str) -> Evidence | None:
        """The sentence that answers: the best one, unless it lacks what was asked for (a
        figure, a name…); then the best close runner-up, about as much on the question's
        words, that has it. None when a figure or a name was asked for and no such
        sentence holds one: the releases found are about the topic but do not say it.
        """
        best = ranked[0]
        kinds = answer_kinds(question)
        if not kinds or kinds & self.kinds_in(best.text, question, best.passage.chunk.place):
            return best
        for candidate in ranked[1:]:
            if candidate.score < self.tuning.lead_score_ratio * best.score:
                break
            same_release = candidate.passage.chunk.release_id == best.passage.chunk.release_id
            if (
                not same_release
                and candidate.coverage < self.tuning.lead_coverage_ratio * best.coverage
            ):
                continue
            if kinds & self.kinds_in(candidate.text, question, candidate.passage.chunk.place):
                return candidate
        # A date or place is answered by the release's own date and place line.
        return None if kinds <= ANSWERED_IN_TEXT else best

    def select(self, ranked: list[Evidence], question: str) -> list[Evidence]:
        """The answer's sentences, the one that answers first.

        The lead (see :meth:`lead`) first, the best sentence as context when it is not the
        lead, then close runners-up that add something new, and for a "who" question the
        sentence that gives a name in full when the chosen ones only say "President Parry".
        """
        best = ranked[0]
        kinds = answer_kinds(question)
        lead = self.lead(ranked, question) or best
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

    def answer(
        self, question: str, passages: list[Passage], frame: TimeFrame, refusal: str
    ) -> Draft:
        ranked = self.evidence(question, passages, frame)
        if not ranked or not self.is_answerable(question, passages, ranked, frame):
            return Draft(refusal, True)
        return self.compose(question, ranked, frame)

    def compose(self, question: str, ranked: list[Evidence], frame: TimeFrame) -> Draft:
        """The answer made of the chosen sentences, once the evidence said answerable."""
        chosen = self.select(ranked, question)
        dated = frame.has_window or frame.latest or bool(WHEN.search(question))
        releases = {e.passage.chunk.release_id for e in chosen}
        parts: list[str] = []
        dated_releases: set[str] = set()
        for evidence in chosen:
            release_id = evidence.passage.chunk.release_id
            needs_date = (dated or len(releases) > 1) and release_id not in dated_releases
            dated_releases.add(release_id)
            parts.append(_with_date(evidence, needs_date) + f" [{evidence.passage.rank}]")
        return Draft(" ".join(parts), False)


def _with_date(evidence: Evidence, needed: bool) -> str:
    """Prefix the release date when time matters and the sentence does not say it."""
    chunk = evidence.passage.chunk
    if not needed or chunk.published is None:
        return evidence.text
    words = date_in_words(chunk.published)
    if words in evidence.text or chunk.published.strftime("%B %-d, %Y") in evidence.text:
        return evidence.text
    return f"On {words}: {evidence.text}"


def _with_antecedents(chosen: list[Evidence], ranked: list[Evidence]) -> list[Evidence]:
    """Each sentence that opens with a pronoun ("He succeeds Professor Rõõmus") preceded
    by the sentence before it in its passage, which says who "he" is."""
    out: list[Evidence] = []
    for evidence in chosen:
        opening = WORD.match(evidence.text)
        if opening and opening.group().lower() in PRONOUNS:
            before = [
                e for e in ranked if e.passage is evidence.passage and e.end <= evidence.start
            ]
            previous = max(before, key=lambda e: e.end, default=None)
            if previous is not None and previous not in chosen and previous not in out:
                out.append(previous)
        if evidence not in out:
            out.append(evidence)
    return out


def _full_names(chosen: list[Evidence], ranked: list[Evidence], name_zipf: float) -> list[Evidence]:
    """Sentences of the same releases that name in full someone the chosen sentences
    call by surname only ("President Parry" -> "Robert T. Parry")."""
    said = {name for e in chosen for name in proper_names(e.text, name_zipf)}
    surnames = {name for name in said if " " not in name}
    releases = {e.passage.chunk.release_id for e in chosen}
    added: list[Evidence] = []
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
