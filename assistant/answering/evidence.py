"""Sentence choice and the refusal gate: one scorer, one ordered list of rules.

Every sentence of the retrieved passages is a candidate, scored as
``sum(weight[f] * feature[f])`` over named features (the weights are the Tuning's
``w_<feature>``); the features stay on the candidate, so ``pressroom ask --explain``
shows why a sentence led. Whether to answer at all is decided by :class:`Gate`: an
ordered list of named rules, each giving a :class:`Verdict`; the first that fires is the
refusal, and the Answer carries it (``refusal: {"rule", "detail"}``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assistant.answering.qualifiers import asked_qualifiers, others_in
from assistant.answering.question import (
    Asked,
    Term,
    analyse,
    asked_about,
    asked_body,
    asked_phase,
    asked_role_country,
    asked_role_heads,
    counted_noun,
    holds_title,
    initials,
    measured,
    measured_terms,
    named_things,
    names_a_place,
    names_a_role,
    numbered_noun,
    spells_out,
)
from assistant.answering.relations import (
    asked_relation,
    asked_succession,
    states_relation,
    states_succession,
)
from assistant.answering.timeframe import TimeFrame
from assistant.answering.tuning import Tuning
from assistant.text.dates import DATES, YEAR
from assistant.text.lexicon import words
from assistant.text.names import WORD, proper_names
from assistant.text.numbers import (
    CLOCK_TIME,
    NUMBER_WORD,
    counted_words,
    has_money,
    ordinals_before,
)
from assistant.text.sentences import split_sentences
from assistant.text.vocabulary import is_rare_topic_word, unseen_weight
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Chunk, Passage
from vectorstore.terms import terms, terms_with_words

LATEST_WORDS = frozenset(terms(" ".join(words("words", "latest"))))
# A figure written in digits ("14 vessels", "EUR 4.2 million"); dates are removed first.
NUMBER = re.compile(r"\b\d[\d,.]*\b")
# A markdown link ("[Bank of Japan (57 KB PDF)](http://…)") and a bare address: navigation,
# not something a release says.
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ADDRESS = re.compile(r"\S*(?:https?://|www\.|\.html?\b|\.pdf\b|\.php\b)\S*", re.IGNORECASE)
# Kinds of answer only a sentence can hold (a date or place may be the release's own).
ANSWERED_IN_TEXT = frozenset({"number", "money", "time", "name"})
# Kinds that are figures: the sentence must also say what it measures.
FIGURES = frozenset({"number", "money"})
# How a refusal names each of them.
KIND_WORDS = {"number": "figure", "money": "amount", "time": "time of day", "name": "name"}
FEATURES = ("topic", "coverage", "similarity", "rank", "kind", "latest", "date", "terms", "counted")


@lru_cache(maxsize=20_000)
def held_terms(text: str) -> frozenset[str]:
    """The search terms of ``text`` and the acronyms of its runs of capitalised words: a
    question's "SOC" is held by "the Senior Officials Committee". Cached: every question
    scores the same passages' sentences again. A stem is also held in its form with or
    without a final "e": the stemmer makes "employ" of "employ" and "employe" of
    "employees"."""
    found = set(terms(text))
    return frozenset(found | {_other_ending(t) for t in found if len(t) >= 5}) | initials(text)


def _other_ending(stem: str) -> str:
    return stem[:-1] if stem.endswith("e") else stem + "e"


def is_prose(sentence: str, min_words: int) -> bool:
    """Whether ``sentence`` says something: not a bare link, an address or a heading of
    fewer than ``min_words`` words."""
    if LINK.fullmatch(sentence.strip(" *-•")):
        return False
    plain = ADDRESS.sub(" ", LINK.sub(r"\1", sentence))
    return len(WORD.findall(plain)) >= min_words


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


def in_window(chunk: Chunk, frame: TimeFrame) -> bool:
    """Whether ``chunk``'s release is dated inside the window, or (dated or not) its text
    states the asked period: "June 2022", a year of the window ("a term starting on 1
    January 2026" for "from 2026"), within one year a month of it."""
    if chunk.published is not None and frame.contains(chunk.published):
        return True
    text = f"{chunk.heading} {chunk.text}".lower()
    if frame.phrase and frame.phrase.lower() in text:
        return True
    if not frame.has_window:
        return False
    first, last = frame.date_from, frame.date_to
    years = [
        int(y)
        for y in YEAR.findall(text)
        if (first is None or int(y) >= first.year) and (last is None or int(y) <= last.year)
    ]
    if not years:
        return False
    if first is None or last is None or first.year != last.year:
        return True
    whole_year = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    months = {calendar.month_name[m].lower() for m in range(first.month, last.month + 1)}
    return whole_year or any(re.search(rf"\b{m}\b", text) for m in months)


def date_match(chunk: Chunk, frame: TimeFrame, tuning: Tuning) -> float:
    """1 for a release dated inside the asked window; ``stated_date_share`` for one
    dated outside it whose text states the period (it counts as inside, but a later
    release that recalls "the September statement" is less likely the one asked about
    than the September statement itself); 0 otherwise."""
    if not frame.has_window or not in_window(chunk, frame):
        return 0.0
    if chunk.published is not None and not frame.contains(chunk.published):
        return tuning.stated_date_share
    return 1.0


@dataclass(frozen=True)
class Candidate:
    """One sentence of one passage, scored for one question: ``features`` by name, and
    ``score``, their sum weighted by the Tuning."""

    passage: Passage
    start: int
    end: int
    text: str
    features: dict[str, float]
    score: float
    # Similarity to the question with a follow-up's carried words: it tells whether the
    # passages are on the conversation's topic, not which sentence answers.
    topic_similarity: float | None = None

    @property
    def coverage(self) -> float:
        return self.features["coverage"]

    @property
    def similarity(self) -> float:
        return self.features["similarity"]

    @property
    def closeness(self) -> float:
        return max(self.similarity, self.topic_similarity or self.similarity)

    def explain(self, tuning: Tuning) -> dict[str, Any]:
        weights = {f: getattr(tuning, f"w_{f}") for f in FEATURES}
        return {
            "text": self.text,
            "passage": self.passage.rank,
            "score": round(self.score, 4),
            "features": {f: round(v, 4) for f, v in self.features.items()},
            "weights": weights,
        }


@dataclass(frozen=True)
class Verdict:
    """What one gate rule says: ``fired`` means refuse, ``detail`` says why in words."""

    rule: str
    fired: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "fired": self.fired, "detail": self.detail}


class Scorer:
    """Scores every sentence of the passages for a question (see the module docstring)."""

    def __init__(self, embedder: Embedder, lexical: LexicalIndex, tuning: Tuning) -> None:
        self.embedder = embedder
        self.lexical = lexical
        self.tuning = tuning

    def weights(self, found: dict[str, str]) -> dict[str, float]:
        """How much each question term counts: its IDF in the archive; a term the archive
        never uses counts by how rare the word is in English (see assistant.text.vocabulary)."""
        top = self.lexical.idf("\x00never-seen")
        return {
            term: self.lexical.idf(term)
            if self.lexical.contains(term)
            else top * unseen_weight(word, self.tuning)
            for term, word in found.items()
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
            hit = remaining & held_terms(text)
            found += sum(weights[t] for t in hit) * (
                1.0 if position == 0 else self.tuning.heading_share
            )
            remaining -= hit
        return found / total

    def sentence_coverage(self, weights: dict[str, float], sentence: str, heading: str) -> float:
        """Share of the question's term weight ``sentence`` holds, a term the passage's
        heading also holds counting ``heading_term_share`` of its weight: it is on the
        topic but does not tell that release's sentences apart ("which member state
        voted *against*" in a release headed by the vote)."""
        total = sum(weights.values())
        if total == 0:
            return 0.0
        headed = held_terms(heading)
        share = self.tuning.heading_term_share
        found = held_terms(sentence) & set(weights)
        return sum(weights[t] * (share if t in headed else 1.0) for t in found) / total

    def best_coverage(self, wanted: dict[str, float], passages: Sequence[Passage]) -> float:
        return max(
            (self.coverage(wanted, p.chunk.text, p.chunk.heading) for p in passages),
            default=0.0,
        )

    def question_coverage(
        self,
        question: str,
        passages: Sequence[Passage],
        frame: TimeFrame,
        ignored: frozenset[str] = frozenset(),
    ) -> float:
        """The largest share of the question's own weighted terms (less ``ignored``) one
        passage holds."""
        found = question_words(question, frame)
        return self.best_coverage(
            self.weights({t: w for t, w in found.items() if t not in ignored}), passages
        )

    def candidates(
        self, question: str, passages: Sequence[Passage], frame: TimeFrame, context: str = ""
    ) -> list[Candidate]:
        """Every prose sentence of ``passages``, best first.

        ``context`` holds words a follow-up question carries over from the conversation:
        they count towards which passage is on topic (``topic``), not towards which
        sentence answers. ``coverage`` is the share of the question's term weight the
        sentence itself holds, a term of the heading counting less (see
        :meth:`sentence_coverage`; counting none of it made a sentence of the release
        whose heading matched the question score below one of a release that matched
        worse). ``similarity`` is the cosine
        of question and sentence, so a paraphrase ("inaugurated by" for "opened") can
        lead; ``kind`` counts the asked kinds (a figure, a name, a place, a date) the
        sentence holds; ``rank`` is 1/rank of its passage; ``latest`` marks the newest
        release when the question asks for the latest.
        """
        t = self.tuning
        asked = self.weights(question_words(question, frame))
        wanted = self.weights(question_words(f"{question} {context}", frame)) if context else asked
        asked_terms = self.discriminating(question)
        kinds = analyse(question, t).kinds
        spans = [
            (passage, passage.chunk.start + b, passage.chunk.start + e, passage.chunk.text[b:e])
            for passage in passages
            for b, e in split_sentences(passage.chunk.text)
            if is_prose(passage.chunk.text[b:e], t.min_prose_words)
        ]
        if not spans:
            return []
        newest = max((p.chunk.published for p in passages if p.chunk.published), default=None)
        vectors = self.embedder.embed_documents([text for *_, text in spans])
        similarities = vectors @ self.embedder.embed_query(question)
        on_topic = vectors @ self.embedder.embed_query(f"{question} {context}") if context else None
        counted = self.counted_similarity(question, [text for *_, text in spans])
        topical: dict[str, float] = {}
        held: dict[str, float] = {}
        scored: list[Candidate] = []
        for position, (passage, start, end, text) in enumerate(spans):
            chunk = passage.chunk
            if chunk.chunk_id not in topical:
                topical[chunk.chunk_id] = self.coverage(wanted, chunk.text, chunk.heading)
            if chunk.release_id not in held:
                held[chunk.release_id] = self.terms_held(asked_terms, chunk)
            features = {
                "topic": topical[chunk.chunk_id],
                "coverage": self.sentence_coverage(asked, text, chunk.heading),
                "similarity": float(similarities[position]),
                "rank": 1.0 / passage.rank,
                "kind": float(len(kinds & self.kinds_in(text, question, chunk.place))),
                "latest": float(frame.latest and newest is not None and chunk.published == newest),
                "date": date_match(chunk, frame, t),
                "terms": held[chunk.release_id],
                "counted": counted[position],
            }
            score = sum(getattr(t, f"w_{name}") * value for name, value in features.items())
            topic = float(on_topic[position]) if on_topic is not None else None
            scored.append(Candidate(passage, start, end, text, features, score, topic))
        scored.sort(key=lambda c: -c.score)
        return scored

    def counted_similarity(self, question: str, sentences: Sequence[str]) -> list[float]:
        """For "how many ships", each sentence's closest word counted by a figure to
        "ships" (cosine of the two words: "14 vessels" counts ships); 0 for a sentence
        that counts nothing, and for every sentence of another kind of question."""
        noun = counted_noun(question)
        counted = [counted_words(s) for s in sentences]
        unique = sorted({w for ws in counted for w in ws})
        if noun is None or not unique:
            return [0.0] * len(sentences)
        cosines = self.embedder.embed_documents(unique) @ self.embedder.embed_query(noun)
        closeness = dict(zip(unique, cosines.tolist(), strict=True))
        return [max((closeness[w] for w in ws), default=0.0) for ws in counted]

    def discriminating(self, question: str) -> tuple[Term, ...]:
        """The question's discriminating terms, less the archive's own names: a name in
        more than half of the chunks ("Oskaria" in a ministry's archive, see
        ``own_name_idf``) need not be said by the release that answers."""
        floor = self.tuning.own_name_idf
        return tuple(
            t
            for t in analyse(question, self.tuning).terms
            if t.kind != "name" or any(self.lexical.idf(f) >= floor for f in t.forms)
        )

    def terms_held(self, asked: Sequence[Term], chunk: Chunk) -> float:
        """The share of the question's discriminating terms that ``chunk``'s release
        holds, in any of its chunks (0 when the question has none)."""
        if not asked:
            return 0.0
        return sum(release_holds(self.lexical, chunk, term) for term in asked) / len(asked)

    def kinds_in(self, sentence: str, question: str, place: str | None) -> set[str]:
        """Which kinds of answer ``sentence`` holds that the question does not already say."""
        found: set[str] = set()
        asked = set(terms(question))
        without_dates = DATES.sub(" ", sentence)
        figures = NUMBER.findall(without_dates)
        if analyse(question, self.tuning).kind == "how-many":
            # A count is answered by a number in words ("thirteen member states"); a
            # value ("what was the index") is not.
            figures += [w.lower() for w in NUMBER_WORD.findall(without_dates) if w.lower() != "one"]
        if any(terms(q)[0] not in asked for q in figures if terms(q)):
            found.add("number")
        if has_money(without_dates):
            found.add("money")
        if CLOCK_TIME.search(sentence):
            found.add("time")
        if any(
            self.is_new_name(name, asked, place)
            for name in proper_names(without_dates, self.tuning.name_zipf)
        ):
            found.add("name")
        dateline = bool(place and place in sentence and place.lower() not in question.lower())
        if dateline or names_a_place(without_dates, question):
            found.add("place")
        if DATES.search(sentence):
            found.add("date")
        return found

    def is_new_name(self, name: str, asked: set[str], place: str | None) -> bool:
        """A name the question does not already say, with a word rare in the archive (in
        a small archive even a word of one release has a low IDF: there the floor is
        ``small_archive_rare_idf``)."""
        if name == place:
            return False
        t = self.tuning
        small = len(self.lexical) < t.small_archive_chunks
        floor = t.small_archive_rare_idf if small else t.rare_idf
        rare = {term for term in terms(name) if self.lexical.idf(term) >= floor}
        return bool(rare - asked)

    def answering(self, ranked: Sequence[Candidate], question: str) -> list[Candidate]:
        """The candidates an answer may use: when the question has discriminating terms
        and some release holds them all, only that release's sentences (the 4th forum's
        youth track does not answer about the 5th forum)."""
        if self.discriminating(question):
            holding = [c for c in ranked if c.features.get("terms") == 1.0]
            if holding:
                return holding
        return list(ranked)

    def lead(self, ranked: Sequence[Candidate], question: str) -> Candidate | None:
        """The sentence that answers: the best one, unless it lacks what was asked for (a
        figure, a name…); then the best close runner-up that has it, of the best one's
        release first, then of others about as much on the question's words. For "which
        foreign minister" a sentence that gives a name *and* the role is taken first.
        None when a figure or a name was asked for and no such sentence holds one: the
        releases found are about the topic but do not say it.
        """
        ranked = self.answering(ranked, question)
        if not ranked:
            return None
        best = ranked[0]
        kinds = analyse(question, self.tuning).kinds
        if not kinds:
            return best
        t = self.tuning
        release = best.passage.chunk.release_id
        close = [c for c in ranked[1:] if c.score >= t.lead_score_ratio * best.score]
        # The best sentence found the release: its own sentences are looked at first
        # ("authorised through January 2011" two passages further down the statement).
        close.sort(key=lambda c: c.passage.chunk.release_id != release)
        looked_at = [best] + [
            c
            for c in close
            if c.passage.chunk.release_id == release
            or c.coverage >= t.lead_coverage_ratio * best.coverage
        ]
        answering = [
            c for c in looked_at if kinds & self.kinds_in(c.text, question, c.passage.chunk.place)
        ]
        if kinds & FIGURES and (wanted := measured_terms(question)):
            # "What unemployment rate": a figure of the funds rate is not the answer.
            answering = [c for c in answering if wanted <= _measures(c)]
        if phase := asked_phase(question):
            # "When did the convention enter into force": the signing's date, or the
            # release's, is not the answer; a sentence saying it with a date is.
            stating = [c for c in answering if phase.stem in held_terms(c.text)]
            return next((c for c in stating if DATES.search(c.text)), None)
        heads = asked_role_heads(question) if "name" in kinds else frozenset()
        nationality = asked_role_country(question) if heads else None
        body = frozenset(terms(asked_body(question) or "")) if heads else frozenset()
        in_role = [
            c
            for c in answering
            if heads and _in_role(c, heads, nationality) and body <= held_terms(c.text)
        ]
        if heads:
            # "Who is the ministry's spokesperson": a sentence naming someone else (the
            # minister) is not the answer, nor, for "which Turkish minister attended",
            # a minister of another country or a Turkish delegate. The role may be said
            # by a verb ("chaired by", "headed by") or a chairmanship.
            return in_role[0] if in_role else None
        if in_role or answering:
            return (in_role or answering)[0]
        # A date or place is answered by the release's own date and place line.
        return None if kinds <= ANSWERED_IN_TEXT else best

    def evidence_score(
        self,
        question: str,
        passages: Sequence[Passage],
        ranked: Sequence[Candidate],
        frame: TimeFrame,
        context: str = "",
    ) -> float:
        """How strongly the passages answer the question: the share of its weighted terms
        in the best passage, plus ``evidence_similarity`` times the best sentence's
        cosine, plus a bonus when a narrow date window pins the releases down ("the cut
        in September 2007" needs few other words to find its statement)."""
        found = question_words(question, frame)
        if context:
            found = {**question_words(context, frame), **found}
        coverage = self.best_coverage(self.weights(found), passages)
        closest = max((c.closeness for c in ranked), default=0.0)
        t = self.tuning
        return coverage + t.evidence_similarity * closest + window_bonus(frame, t)


@dataclass
class Case:
    """What the gate judges: one question, what it asks, what was found."""

    question: str
    asked: Asked
    passages: Sequence[Passage]
    ranked: Sequence[Candidate]
    frame: TimeFrame
    context: str = ""
    notes: dict[str, Any] = field(default_factory=dict)


Rule = Callable[[Case], Verdict]


class Gate:
    """The refusal rules, in order; the first that fires refuses (see :meth:`rules`)."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.tuning = scorer.tuning

    @staticmethod
    def rule_order() -> tuple[str, ...]:
        """The rules' names, in the order they run."""
        return (
            "nothing_found",
            "outside_window",
            "missing_term",
            "unknown_word",
            "off_topic",
            "weak_evidence",
            "kind_missing",
            "other_year",
            "relation_unstated",
            "succession_unstated",
            "other_qualifier",
            "other_thing",
        )

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(getattr(self, name) for name in self.rule_order())

    def judge(self, case: Case, stop: bool = True) -> list[Verdict]:
        """Each rule's verdict, in order; with ``stop``, up to the first that fires."""
        verdicts: list[Verdict] = []
        for rule in self.rules:
            verdict = rule(case)
            verdicts.append(verdict)
            if verdict.fired and stop:
                break
        return verdicts

    def lead(self, case: Case) -> Candidate | None:
        """The case's answering sentence (see :meth:`Scorer.lead`), found once: several
        rules look at it."""
        if "lead" not in case.notes:
            case.notes["lead"] = self.scorer.lead(case.ranked, case.question)
        found: Candidate | None = case.notes["lead"]
        return found

    def lead_release(self, case: Case) -> str | None:
        """The heading and whole text of the lead sentence's release (None without a
        lead): what the answer would come from."""
        lead = self.lead(case)
        if lead is None:
            return None
        chunk = lead.passage.chunk
        return (
            f"{chunk.heading}\n{self.scorer.lexical.release_text(chunk.release_id) or chunk.text}"
        )

    def nothing_found(self, case: Case) -> Verdict:
        """No sentence to answer from."""
        return Verdict("nothing_found", not case.ranked, "No passage was found.")

    def outside_window(self, case: Case) -> Verdict:
        """The question asks about a period and no passage found is dated in it or states
        it (a date window ranks those first but keeps the others as candidates)."""
        frame = case.frame
        fired = frame.has_window and not any(in_window(p.chunk, frame) for p in case.passages)
        return Verdict(
            "outside_window", fired, f"No release found is dated {frame.phrase} or mentions it."
        )

    def missing_term(self, case: Case) -> Verdict:
        """A discriminating term of the question (an ordinal, a country or nationality, a
        year, a figure, a name) that no retrieved passage has: the releases found are
        about something else ("the 12th session" when they have the 9th to the 11th).
        Several terms must be held by one release together."""
        asked = self.scorer.discriminating(case.question)
        for term in asked:
            if not any(_holds(p, term) for p in case.passages):
                return Verdict("missing_term", True, self.describe_missing(term, case))
        if len(asked) > 1 and not any(
            holds_all(self.scorer.lexical, p.chunk, asked) for p in case.passages
        ):
            # "The minister's talks in Geneva in 2023": talks in Geneva in other years and
            # talks elsewhere in 2023 each hold one term, no release holds both.
            in_order = sorted(asked, key=lambda t: case.question.find(t.text))
            said = " and ".join(t.text for t in in_order)
            return Verdict("missing_term", True, f"No release found mentions {said} together.")
        return Verdict("missing_term", False)

    def describe_missing(self, term: Term, case: Case) -> str:
        if term.kind == "ordinal":
            noun = numbered_noun(case.question, term.text)
            head = {noun.split()[0].lower()} if noun else set()
            have = sorted(
                {n for p in self.scorer.lexical.chunks for n in ordinals_before(p.text, head, 1)}
            )
            what = f"a {term.text} {noun}".strip()
            if have:
                return f"No release mentions {what}; the archive has {_ordinal_range(have)}."
            return f"No release mentions {what}."
        if term.kind == "country":
            return f"No release found mentions {term.text} (or its country)."
        return f"No release found mentions {term.text}."

    def unknown_word(self, case: Case) -> Verdict:
        """A word rare in English that the archive never uses, naming what the question
        asks about: the thing counted or measured ("how many *spectators*"), or its
        topic ("the position on *cryptocurrencies*"): the archive is silent on it. Other
        words the archive never uses are the user's own for what the release says
        otherwise ("the new *envoy*" for the ambassador, "*unveil*" for present, "ran
        *aground*" for grounded). Nor does it fire when a sentence found is as close in
        meaning to the question as ``paraphrase_similarity``, or a day or month named
        pins a release found."""
        closest = max((c.closeness for c in case.ranked), default=0.0)
        if closest >= self.tuning.paraphrase_similarity:
            return Verdict("unknown_word", False)
        narrow = window_bonus(case.frame, self.tuning) >= self.tuning.narrow_window_bonus
        if narrow and any(in_window(p.chunk, case.frame) for p in case.passages):
            # A day or month named pins the release: "who dissented when the Fed *hiked*
            # in September 2005" asks about that statement in the user's own words.
            return Verdict("unknown_word", False)
        found = question_words(case.question, case.frame)
        # A nationality or country is the missing_term rule's, in all its forms ("Qatari"
        # is said "the State of Qatar"): not an unknown word.
        countries = {
            w.lower() for t in case.asked.terms if t.kind == "country" for w in t.text.split()
        }
        asked = asked_about(case.question)
        for term, word in found.items():
            if word.lower() in countries or word.lower() not in asked:
                continue
            if not self.scorer.lexical.contains(term) and is_rare_topic_word(word, self.tuning):
                return Verdict("unknown_word", True, f"No release uses the word {word!r}.")
        return Verdict("unknown_word", False)

    def off_topic(self, case: Case) -> Verdict:
        """Without a narrow date window, no sentence close in meaning to the question
        means no answer, however many words match ("nuclear power *plants*" is not
        about wastewater treatment plants)."""
        t = self.tuning
        closest = max((c.closeness for c in case.ranked), default=0.0)
        narrow = window_bonus(case.frame, t) >= t.narrow_window_bonus
        fired = not narrow and closest < t.min_similarity
        return Verdict(
            "off_topic",
            fired,
            f"No sentence found is close in meaning to the question "
            f"(best similarity {closest:.2f} < {t.min_similarity:.2f}).",
        )

    def weak_evidence(self, case: Case) -> Verdict:
        """The passages hold too little of the question (see
        :meth:`Scorer.evidence_score`). When the question has discriminating terms, only
        the passages of releases that hold them all count: "the budget in 2020" is not
        evidenced by a 2020 release about trade, nor by a budget of another year."""
        passages, ranked = case.passages, case.ranked
        asked = self.scorer.discriminating(case.question)
        if asked:
            lexical = self.scorer.lexical
            holding = {p.chunk.chunk_id for p in passages if holds_all(lexical, p.chunk, asked)}
            passages = [p for p in passages if p.chunk.chunk_id in holding]
            ranked = [c for c in ranked if c.passage.chunk.chunk_id in holding]
        score = self.scorer.evidence_score(
            case.question, passages, ranked, case.frame, case.context
        )
        case.notes["evidence"] = score
        floor = self.tuning.min_evidence
        return Verdict(
            "weak_evidence",
            score < floor,
            f"The passages found hold too little of the question "
            f"(evidence {score:.2f} < {floor:.2f}).",
        )

    def kind_missing(self, case: Case) -> Verdict:
        """A figure, an amount of money, a time of day or a name was asked for and no
        sentence close to the question holds one ("what did the exercise cost" is not
        answered by "24 hours", nor "at what time" by the date)."""
        fired = self.lead(case) is None
        nationality = asked_role_country(case.question)
        if fired and nationality is not None:
            role = " ".join(sorted(asked_role_heads(case.question)))
            return Verdict(
                "kind_missing", True, f"No sentence found names a {nationality.text} {role}."
            )
        wanted = (
            " or ".join(KIND_WORDS[k] for k in sorted(case.asked.kinds & ANSWERED_IN_TEXT))
            or "answer"
        )
        if phase := asked_phase(case.question):
            return Verdict(
                "kind_missing",
                fired,
                f"No sentence found gives the date asked for ({phase.said!r}).",
            )
        if case.asked.kinds & FIGURES and (what := measured(case.question)):
            return Verdict("kind_missing", fired, f"No sentence found gives the {what} asked for.")
        return Verdict("kind_missing", fired, f"No sentence found gives the {wanted} asked for.")

    def other_year(self, case: Case) -> Verdict:
        """The question names a year and the answering sentence gives its answer for
        another: it names years, none of them an asked one, and its release is not dated
        in one ("the budget in 2021" answered by "the budget for 2022"). The release's
        date speaks for a year only when the question asks about that year's releases (a
        window: "in 2021"); a year the releases talk about ("the budget for 2023") is not
        answered by a release of 2023 approving the budget for 2024; there a day's date
        in the sentence says when, not for which year ("presented the 2022 budget draft
        on 23 November 2021")."""
        asked = {y for t in case.asked.terms if t.kind == "year" for y in t.forms}
        lead = self.lead(case)
        if not asked or lead is None:
            return Verdict("other_year", False)
        published = lead.passage.chunk.published
        windowed = {y for y in asked if _year_in_window(int(y), case.frame)}
        text = lead.text if windowed else _without_days(lead.text)
        named = set(YEAR.findall(text))
        fired = bool(named) and not named & asked
        fired = fired and (published is None or str(published.year) not in windowed)
        return Verdict(
            "other_year",
            fired,
            f"The release found gives it for {' and '.join(sorted(named))}, "
            f"not {' or '.join(sorted(asked))}.",
        )

    def relation_unstated(self, case: Case) -> Verdict:
        """A "who" question about a relation (succeeded, dissented, appointed, resigned)
        that no passage states: a list of names does not say who succeeded whom."""
        relation = asked_relation(case.question, self.tuning.relation_words_looked_at)
        # In the releases an answer would come from: "who chaired the group in 2024" is
        # not stated by the chair of its 2023 meeting, nor "who was named best player at
        # the 2024 Cup" by an election in another 2024 release. Those are the releases of
        # the lead and of the sentences the answer may add (``select_score_ratio``).
        answering = self.scorer.answering(case.ranked, case.question)
        lead = self.lead(case) if relation else None
        floor = self.tuning.select_score_ratio * answering[0].score if answering else 0.0
        cited = {c.passage.chunk.release_id for c in answering if c.score >= floor}
        if lead is not None:
            cited.add(lead.passage.chunk.release_id)
        passages = [p for p in case.passages if p.chunk.release_id in cited] or case.passages
        fired = relation is not None and not states_relation(
            relation, (p.chunk.text for p in passages)
        )
        said = (relation.said_in(case.question) or "") if relation else ""
        return Verdict(
            "relation_unstated",
            fired,
            f"No passage found states the relation asked about ({said!r}).",
        )

    def succession_unstated(self, case: Case) -> Verdict:
        """A "who" question for the one before or after a person it names ("who was
        Deputy Director before Zhou Mingyuan", "Belyalov's predecessor") that no
        sentence found answers: a release naming the person, or their successor, does
        not say who came before them."""
        asked = asked_succession(case.question, names_a_role(case.question))
        if asked is None:
            return Verdict("succession_unstated", False)
        fired = not states_succession(asked, _sentences(case.passages))
        which = "before" if asked.before else "after"
        return Verdict(
            "succession_unstated", fired, f"No passage found says who came {which} {asked.name}."
        )

    def other_qualifier(self, case: Case) -> Verdict:
        """The question names a thing by a qualifier ("the round table on energy", "a
        multiple-entry e-visa") and the release the answer would come from has that
        thing only with others, never using the asked qualifier's words (see
        :mod:`assistant.answering.qualifiers`)."""
        text = self.lead_release(case)
        if text is None:
            return Verdict("other_qualifier", False)
        for qualifier in asked_qualifiers(case.question):
            others = others_in(qualifier, text)
            if others:
                if qualifier.form == "-":
                    had = " and ".join(f"{o}-{qualifier.noun}" for o in others)
                else:
                    had = f"the {qualifier.phrase} on " + " and on ".join(others)
                return Verdict(
                    "other_qualifier",
                    True,
                    f"The release found speaks of {had}, not of {qualifier.said}.",
                )
        return Verdict("other_qualifier", False)

    def other_thing(self, case: Case) -> Verdict:
        """The question names what it is about by a name of everyday words or an
        acronym ("the Senior Officials Committee", "the SOC", see
        :func:`named_things`) and the release the answer would come from never names it:
        a release of the asked month about something else does not answer ("how many
        delegations attended the SOC meeting in March 2022" when March 2022 had only a
        courtesy visit). A word the archive never uses is the user's own, and one in most
        releases the archive's own name ("FDCE"): neither tells releases apart, so
        neither is looked for."""
        text = self.lead_release(case)
        if text is None:
            return Verdict("other_thing", False)
        held = held_terms(text)
        for thing in named_things(case.question, self.tuning):
            telling = {t for t in thing.stems or {thing.acronym} if self._tells_apart(t)}
            if not telling or telling <= held:
                continue
            if thing.acronym and spells_out(thing.acronym, text):
                continue
            return Verdict("other_thing", True, f"The release found does not mention {thing.said}.")
        return Verdict("other_thing", False)

    def _tells_apart(self, term: str) -> bool:
        """Whether the archive uses ``term``, and not in most of its chunks."""
        lexical = self.scorer.lexical
        return lexical.contains(term) and lexical.idf(term) >= self.tuning.own_name_idf


def _measures(candidate: Candidate) -> frozenset[str]:
    """The terms a sentence measures by: its own, and its release's heading's."""
    return held_terms(candidate.text) | held_terms(candidate.passage.chunk.heading)


def _sentences(passages: Sequence[Passage]) -> list[str]:
    return [p.chunk.text[b:e] for p in passages for b, e in split_sentences(p.chunk.text)]


def _without_days(text: str) -> str:
    """``text`` less its dates of a day or a month ("23 November 2021"), bare years kept."""
    return DATES.sub(lambda m: m.group() if m.group().isdigit() else " ", text)


def _year_in_window(year: int, frame: TimeFrame) -> bool:
    """Whether the question's date window covers some of ``year``."""
    if not frame.has_window:
        return False
    return (frame.date_from is None or frame.date_from.year <= year) and (
        frame.date_to is None or year <= frame.date_to.year
    )


def _in_role(candidate: Candidate, heads: frozenset[str], nationality: Term | None) -> bool:
    """Whether the sentence names the asked role, of the asked nationality if any (its
    release's heading may say the country)."""
    if not holds_title(candidate.text, heads):
        return False
    return nationality is None or nationality.found_in(
        f"{candidate.text} {candidate.passage.chunk.heading}"
    )


def holds_all(lexical: LexicalIndex, chunk: Chunk, asked: Sequence[Term]) -> bool:
    """Whether ``chunk``'s release holds every one of ``asked`` (see :func:`release_holds`)."""
    return all(release_holds(lexical, chunk, term) for term in asked)


def release_holds(lexical: LexicalIndex, chunk: Chunk, term: Term) -> bool:
    """Whether the release of ``chunk`` holds ``term``: its date (for a year), its
    heading, or any of its chunks (the index's copy of its whole text)."""
    if term.kind == "year" and chunk.published and str(chunk.published.year) in term.forms:
        return True
    text = lexical.release_text(chunk.release_id) or chunk.text
    return term.found_in(text) or term.found_in(chunk.heading)


def _holds(passage: Passage, term: Term) -> bool:
    chunk = passage.chunk
    if term.kind == "year" and chunk.published and str(chunk.published.year) in term.forms:
        return True
    return term.found_in(chunk.text) or term.found_in(chunk.heading)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _ordinal_range(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"the {_ordinal(numbers[0])}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"the {_ordinal(numbers[0])} to the {_ordinal(numbers[-1])}"
    return "the " + ", ".join(_ordinal(n) for n in numbers[:-1]) + f" and {_ordinal(numbers[-1])}"
