"""Answering one question: interpret -> retrieve -> evidence gate -> answer -> claim check.

The evidence decides refusals, whoever writes the answer: the gate runs before a
language model is asked (a refusal never reaches it), and an answer none of whose
sentences the passages support is a refusal too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.answering.claims import ClaimChecker, SentenceGate
from assistant.answering.evidence import Candidate, Verdict
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.followup import ASKING_WORDS, FollowUps, LLMCondenser, Standalone
from assistant.answering.generative import DraftFilter, LLMAnswerer, LLMError, declined
from assistant.answering.model import Answer, Checked, Citation, Claim, Interpreted, Refusal
from assistant.answering.relations import relation_words
from assistant.answering.retrieval import HybridRetriever
from assistant.answering.timeframe import TimeFrame, interpret_time
from assistant.answering.tuning import Tuning
from assistant.logs import event
from prompts import load_prompt
from vectorstore.lexical import LexicalIndex
from vectorstore.lexical_files import current_stamp, load_index
from vectorstore.records import Chunk, DateRange, Passage, date_in_words
from vectorstore.store import ChunkStore

log = logging.getLogger("pressroom")
# Rules whose detail names what is missing: said to the user in the refusal's text.
SAID_IN_WORDS = frozenset({"missing_term", "unknown_word", "no_release_in_window"})
# Sentences whose features an explanation shows.
EXPLAINED = 5


class Engine:
    """Everything needed to answer, passed in; nothing read from globals.

    ``writer`` is the LLM answerer when one is configured; without it the extractive
    answerer writes every answer. With ``refresh_seconds``, the BM25 index is rebuilt
    from the store when its chunk count changed (another process ingested), checked at
    most that often (see :meth:`refresh`).
    """

    def __init__(
        self,
        retriever: HybridRetriever,
        answerer: ExtractiveAnswerer,
        top_k: int = 5,
        checker: ClaimChecker | None = None,
        writer: LLMAnswerer | None = None,
        date_filters: bool = True,
        refresh_seconds: float | None = None,
        lexical_folder: Path | None = None,
        lexical_stamp: dict[str, Any] | None = None,
        condenser: LLMCondenser | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        """``date_filters=False`` ignores what questions say about time (no window, no
        newest-first); explicit ``date_from``/``date_to`` still apply. ``lexical_folder``
        is where ingestion saves the BM25 index, ``lexical_stamp`` the store's stamp
        taken before the retriever's index was read (see :meth:`refresh`). ``condenser``
        rewrites follow-up questions with a language model (else rules do, see
        :mod:`assistant.answering.followup`). ``tuning`` holds the numbers of the
        follow-up and "latest" rules (the answerer's own by default)."""
        self.tuning = tuning or answerer.tuning
        self.retriever = retriever
        self.answerer = answerer
        self.top_k = top_k
        self.checker = checker or ClaimChecker(
            answerer.embedder, answerer.lexical, tuning=self.tuning
        )
        self.writer = writer
        self.date_filters = date_filters
        self.refresh_seconds = refresh_seconds
        self.lexical_folder = lexical_folder
        self.condenser = condenser
        self._refresh_lock = threading.Lock()
        self._checked_at = time.monotonic()
        self._lexical_stamp = lexical_stamp
        self._use(retriever.lexical)

    def _use(self, lexical: LexicalIndex) -> None:
        self.retriever.lexical = self.answerer.lexical = self.checker.lexical = lexical
        self.followups = FollowUps(lexical, self.tuning)
        dates = [c.published for c in lexical.chunks if c.published is not None]
        self.first_date: dt.date | None = min(dates, default=None)
        self.newest_date: dt.date | None = max(dates, default=None)

    def refresh(self, force: bool = False) -> bool:
        """Take up the BM25 index of the store as it is now when the store changed since
        the index in use was made; True if it did.

        The dense side reads the store on every query; BM25 (and the term rarities the
        answerer and claim check use) is in memory, so a server would miss releases
        ingested after it started. The store's stamp (collection, revision, count; the
        revision changes before every write and after each sync) tells whether it
        changed. Checked at most every ``refresh_seconds`` (unless ``force``); one thread
        loads the index ingestion saved, or builds it from the store when that one is not
        current, while the others go on with the old index. A serving engine never saves
        an index: the ingest that is writing will.
        """
        now = time.monotonic()
        if not force and (
            self.refresh_seconds is None or now - self._checked_at < self.refresh_seconds
        ):
            return False
        if not self._refresh_lock.acquire(blocking=False):
            return False
        try:
            self._checked_at = now
            store = self.retriever.store
            stamp = current_stamp(store)
            if stamp == self._lexical_stamp:
                return False
            lexical = None
            if self.lexical_folder is not None:
                lexical = load_index(self.lexical_folder, stamp)
            if lexical is None:
                lexical = LexicalIndex(store.iter_chunks())
            self._lexical_stamp = stamp
            self._use(lexical)
            event("bm25_refresh", chunks=len(lexical))
            return True
        finally:
            self._refresh_lock.release()

    @property
    def store(self) -> ChunkStore:
        """The store the engine answers from (the web layer's way to it)."""
        return self.retriever.store

    @property
    def chunks(self) -> Sequence[Chunk]:
        """The chunks of the BM25 index in use: the archive as the engine knows it now."""
        return self.retriever.lexical.chunks

    @property
    def answerer_label(self) -> str:
        """Who writes the answers: ``backend:model`` of the LLM, or ``extractive``."""
        return self.writer.label if self.writer else "extractive"

    @property
    def streams_tokens(self) -> bool:
        """Whether :meth:`stream` yields text as it is written (an LLM writes answers)."""
        return self.writer is not None

    def ask(
        self,
        question: str,
        k: int | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        history: Sequence[str] = (),
        sources: Sequence[str] = (),
        explain: bool = False,
    ) -> Answer:
        """Answer ``question``; explicit ``date_from``/``date_to`` override any date in it.

        ``history`` holds the user's earlier questions in this conversation, oldest first:
        a follow-up that names no time keeps the date window of the last one that did.
        ``sources`` (release-id prefixes: a folder, a feed) limits the search to the
        releases under them. ``explain`` puts the leading sentences' features and every
        gate rule's verdict on the Answer (``explanation``).
        """
        events = list(
            self.stream(
                question,
                k,
                date_from,
                date_to,
                history,
                live=False,
                sources=sources,
                explain=explain,
            )
        )
        answer = events[-1]
        assert isinstance(answer, Answer)
        return answer

    def stream(
        self,
        question: str,
        k: int | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        history: Sequence[str] = (),
        live: bool = True,
        sources: Sequence[str] = (),
        explain: bool = False,
    ) -> Iterator[str | Answer]:
        """Like :meth:`ask`, but first yields the answer's text as the LLM writes it.

        The passages are numbered before the first piece is yielded, so a marker never
        changes meaning. Pieces are safe to show as they come: markers that point at no
        passage are held back, and with ``unsupported="remove"`` each sentence waits
        until it has passed the check. The last item is the checked :class:`Answer`,
        which is what counts (it may differ from the pieces: flags, or a refusal).
        """
        self.refresh()
        turn = self._understand(question, history, date_from, date_to, k, sources, explain)
        found = turn.found
        if found.refusal is not None:
            yield self._refuse(turn, found.refusal)
        elif self.writer is None:
            yield self._settle(turn, self._extractive(turn))
        else:
            yield from self._written(turn, live)

    def _understand(
        self,
        question: str,
        history: Sequence[str],
        date_from: dt.date | None,
        date_to: dt.date | None,
        k: int | None,
        sources: Sequence[str],
        explain: bool,
    ) -> _Turn:
        """Read the question (alone or as a follow-up), search, and weigh the evidence."""
        began = time.perf_counter()
        asked = " ".join(question.split())
        history = [" ".join(h.split()) for h in history if h.strip()]
        standalone = self._standalone(asked, history)
        found = self._search(standalone, date_from, date_to, k, sources)
        readings = [found]
        if standalone.is_follow_up and (found.refused or not standalone.points_back):
            # The user may have changed the subject: read alone, the question is taken
            # when the follow-up reading found nothing, or when its passages cover
            # clearly more of what the question itself asks.
            alone = self._search(Standalone(asked, asked), date_from, date_to, k, sources)
            readings.append(alone)
            margin = self.tuning.subject_change_margin
            if not alone.refused and (found.refused or alone.coverage > found.coverage + margin):
                found = alone
        frame = found.frame
        interpreted = Interpreted(
            query=found.standalone.query,
            date_from=frame.date_from.isoformat() if frame.date_from else None,
            date_to=frame.date_to.isoformat() if frame.date_to else None,
            latest=frame.latest,
            sources=tuple(sources),
        )
        # Searching (each reading's retrieval) apart from weighing the evidence, which
        # counts as answering.
        searching_s = sum(reading.search_s for reading in readings)
        return _Turn(asked, found, interpreted, began, searching_s, explain)

    def _finish(
        self,
        turn: _Turn,
        text: str,
        checked: Checked | None = None,
        refusal: Refusal | None = None,
        answered_by: Literal["extractive", "llm"] = "extractive",
        note: str | None = None,
    ) -> Answer:
        done = time.perf_counter()
        refused = refusal is not None
        citations: list[Citation] = checked.citations if checked and not refused else []
        claims: list[Claim] = checked.claims if checked else []
        passages = checked.passages if checked and checked.passages else turn.found.passages
        return Answer(
            question=turn.asked,
            text=text,
            refused=refused,
            citations=citations,
            interpreted=turn.interpreted,
            passages=list(passages),
            timings_ms={
                "retrieve": turn.searching_s * 1000,
                "answer": (done - turn.began - turn.searching_s) * 1000,
                "total": (done - turn.began) * 1000,
            },
            claims=claims,
            answered_by=answered_by,
            note=note,
            refusal=refusal,
            explanation=self._explanation(turn) if turn.explain else None,
        )

    def _refuse(self, turn: _Turn, verdict: Verdict, note: str | None = None) -> Answer:
        """A refusal that says which rule fired; the rules that name what is missing
        say it in the text too."""
        frame = turn.found.frame
        window = describe_window(frame) if frame.has_window else None
        if verdict.rule in SAID_IN_WORDS:
            text = load_prompt("refusal_reason").render(reason=verdict.detail, window=window)
        else:
            text = load_prompt("refusal").render(window=window)
        return self._finish(turn, text, refusal=Refusal(verdict.rule, verdict.detail), note=note)

    def _settle(
        self,
        turn: _Turn,
        checked: Checked,
        answered_by: Literal["extractive", "llm"] = "extractive",
        note: str | None = None,
    ) -> Answer:
        """The checked answer; if no sentence of it is supported, a refusal."""
        if checked.any_supported:
            return self._finish(turn, checked.text, checked, None, answered_by, note)
        if answered_by == "llm":
            note = _note("unsupported")
        verdict = Verdict("unsupported", True, "No sentence of the answer passed the claim check.")
        refusal = Refusal(verdict.rule, verdict.detail)
        window = describe_window(turn.found.frame) if turn.found.frame.has_window else None
        text = load_prompt("refusal").render(window=window)
        return self._finish(turn, text, checked, refusal, answered_by, note)

    def _written(self, turn: _Turn, live: bool) -> Iterator[str | Answer]:
        """The LLM's answer, streamed through the marker filter (and the sentence gate
        with ``unsupported="remove"``), then checked; the extractive answer when the
        model fails or declines although the evidence answers."""
        assert self.writer is not None
        passages = turn.found.passages
        pieces: list[str] = []
        safe = DraftFilter({p.rank for p in passages})
        removing = self.checker.unsupported == "remove"
        gate = SentenceGate(self.checker, passages) if removing else None
        try:
            for piece in self.writer.write(turn.found.standalone.question, passages, stream=live):
                pieces.append(piece)
                if live:
                    shown = safe.feed(piece)
                    shown = gate.feed(shown) if gate else shown
                    if shown:
                        yield shown
            if live:
                tail = safe.close()
                tail = gate.feed(tail) + gate.close() if gate else tail
                if tail:
                    yield tail
            if not "".join(pieces).strip():
                raise LLMError("the model returned no text")
        except LLMError as exc:
            log.warning("LLM %s failed, answering from the releases: %s", self.writer.label, exc)
            yield self._settle(turn, self._extractive(turn), note=_note("failed"))
            return
        draft = "".join(pieces)
        if declined(draft):
            yield self._settle(turn, self._extractive(turn), note=_note("declined"))
            return
        yield self._settle(turn, self.checker.check(draft, passages), "llm")

    def _explanation(self, turn: _Turn) -> dict[str, Any]:
        """Why the answer is what it is: the leading sentences' features and weights, and
        every gate rule's verdict (all rules, not only up to the first that fired)."""
        found = turn.found
        verdicts = self.answerer.judge(
            found.standalone.question,
            found.passages,
            found.ranked,
            found.frame,
            found.standalone.carried,
            stop=False,
        )
        tuning = self.answerer.tuning
        return {
            "candidates": [c.explain(tuning) for c in found.ranked[:EXPLAINED]],
            "verdicts": [v.to_dict() for v in [*verdicts, *found.engine_verdicts]],
        }

    def _standalone(self, question: str, history: Sequence[str]) -> Standalone:
        """The question as retrieval reads it: rewritten by the language model when one
        is configured and it gives a usable rewrite, else by the rules."""
        ruled = self.followups.standalone(question, history)
        if self.condenser is None or not history:
            return ruled
        condensed = self.condenser.condense(question, history)
        if condensed is None:
            return ruled
        label = self.condenser.label
        return Standalone(condensed, condensed, follows=ruled.follows, condensed_by=label)

    def _search(
        self,
        standalone: Standalone,
        date_from: dt.date | None,
        date_to: dt.date | None,
        k: int | None,
        sources: Sequence[str],
    ) -> _Found:
        began = time.perf_counter()
        frame = self._frame(standalone, date_from, date_to)
        within = tuple(sources)
        if standalone.previous is not None:
            # "that policy", "the meeting": what the previous question found. The
            # follow-up is searched among the releases retrieval gave it.
            earlier = standalone.previous
            before = self._frame(earlier, date_from, date_to)
            found = self.retriever.retrieve(
                earlier.query,
                k or self.top_k,
                DateRange(before.date_from, before.date_to),
                before.latest,
                within,
            )
            releases = (r for p in found for r in (p.chunk.release_id, *p.also_in))
            within = tuple(dict.fromkeys(releases))
        if frame.latest and not frame.has_window and self.newest_date is not None:
            # "The most recent meeting": first the archive's last months, newest first,
            # when the best passage there is about what the question names (the Expert
            # Group, not the Panel); else the whole archive.
            recent = TimeFrame(
                self.newest_date - dt.timedelta(days=self.tuning.recent_days),
                self.newest_date,
                True,
                None,
            )
            found_recent = self._read(standalone, recent, k, within, began)
            if not found_recent.refused and self.followups.names_in(
                standalone.question, [p.chunk.indexed_text for p in found_recent.passages[:1]]
            ):
                return found_recent
        return self._read(standalone, frame, k, within, began)

    def _read(
        self,
        standalone: Standalone,
        frame: TimeFrame,
        k: int | None,
        within: tuple[str, ...],
        began: float,
    ) -> _Found:
        """Retrieve for one reading of the question and weigh the evidence."""
        window = DateRange(frame.date_from, frame.date_to)
        # "Who dissented" is answered by "voting against": the relation's usual words are
        # searched too (not shown in interpreted.query: it is what the user asked).
        relation = relation_words(standalone.question, self.tuning.relation_words_looked_at)
        searched = f"{standalone.query} {relation}".strip()
        passages = self.retriever.retrieve(searched, k or self.top_k, window, frame.latest, within)
        search_s = time.perf_counter() - began
        question = standalone.question
        ranked = self.answerer.evidence(question, passages, frame, standalone.carried)
        coverage = self.answerer.question_coverage(question, passages, frame, ASKING_WORDS)
        engine_verdicts = [self._window_verdict(passages, frame)]
        if not engine_verdicts[0].fired:
            engine_verdicts.append(self._follow_up_verdict(standalone, coverage))
        refusal = next((v for v in engine_verdicts if v.fired), None)
        if refusal is None:
            verdicts = self.answerer.judge(question, passages, ranked, frame, standalone.carried)
            refusal = next((v for v in verdicts if v.fired), None)
        return _Found(
            standalone, frame, passages, ranked, refusal, coverage, search_s, engine_verdicts
        )

    def _window_verdict(self, passages: list[Passage], frame: TimeFrame) -> Verdict:
        """No release at all inside the asked window. "The archive holds no release dated
        X" is said only when no release, dated or not, states X either."""
        if passages or not frame.has_window:
            return Verdict("no_release_in_window", False)
        phrase = (frame.phrase or "").lower()
        if phrase and any(phrase in c.text.lower() for c in self.retriever.lexical.chunks):
            return Verdict(
                "nothing_in_window",
                True,
                f"No release dated {describe_window(frame)} answers this.",
            )
        text = load_prompt("no_releases_in_window").render(
            window=describe_window(frame),
            first=date_in_words(self.first_date) if self.first_date else None,
            last=date_in_words(self.newest_date) if self.newest_date else None,
        )
        return Verdict("no_release_in_window", True, text)

    def _follow_up_verdict(self, standalone: Standalone, coverage: float) -> Verdict:
        """A follow-up's passages come from what the question before it found, and its
        carried words count as evidence: its own words must be there too ("What is the
        Commission's view on nuclear power?" after a question on the budget)."""
        floor = self.tuning.min_follow_up_coverage
        return Verdict(
            "follow_up_off_topic",
            standalone.is_follow_up and coverage < floor,
            f"The passages hold too little of the follow-up's own words "
            f"(coverage {coverage:.2f} < {floor:.2f}).",
        )

    def _frame(
        self, standalone: Standalone, date_from: dt.date | None, date_to: dt.date | None
    ) -> TimeFrame:
        """The date window: the question's own, else (for a follow-up) that of the nearest
        question it follows that named one; explicit dates override both."""
        if not self.date_filters:
            return TimeFrame(date_from, date_to)
        frame = interpret_time(standalone.question, self.newest_date)
        if not frame.has_window and not frame.latest:
            for earlier in standalone.follows:
                previous = interpret_time(earlier, self.newest_date)
                if previous.has_window or previous.latest:
                    frame = previous
                    break
        if date_from is not None or date_to is not None:
            frame = TimeFrame(date_from, date_to, frame.latest, None)
        return frame

    def _extractive(self, turn: _Turn) -> Checked:
        """The releases' own sentences, through the same check as a model's. The passages
        are numbered 1..n in the order the answer cites them (the only source is [1])."""
        found = turn.found
        chosen = self.answerer.select(found.ranked, found.standalone.question)
        numbers = citation_order(chosen, found.passages)
        passages = [dataclasses.replace(p, rank=numbers[p.rank]) for p in found.passages]
        passages.sort(key=lambda p: p.rank)
        by_old = {p.rank: dataclasses.replace(p, rank=numbers[p.rank]) for p in found.passages}
        renumbered = [dataclasses.replace(c, passage=by_old[c.passage.rank]) for c in chosen]
        text = self.answerer.compose_chosen(renumbered, found.standalone.question, found.frame)
        checked = self.checker.check(text, passages)
        return dataclasses.replace(checked, passages=passages)


@dataclass(frozen=True)
class _Found:
    """What one reading of the question found, and whether the evidence answers it."""

    standalone: Standalone
    frame: TimeFrame
    passages: list[Passage]
    ranked: list[Candidate]
    refusal: Verdict | None
    coverage: float
    search_s: float
    # The engine's own rules (date window, follow-up), before the answerer's gate.
    engine_verdicts: list[Verdict]

    @property
    def refused(self) -> bool:
        return self.refusal is not None


@dataclass(frozen=True)
class _Turn:
    """One question being answered: as asked, what was found, and the clock."""

    asked: str
    found: _Found
    interpreted: Interpreted
    began: float
    searching_s: float
    explain: bool


def citation_order(chosen: Sequence[Candidate], passages: Sequence[Passage]) -> dict[int, int]:
    """New numbers for the passages: those the chosen sentences cite first, in the order
    they are cited, then the others in rank order."""
    order = [c.passage.rank for c in chosen]
    order += [p.rank for p in passages]
    return {old: new for new, old in enumerate(dict.fromkeys(order), start=1)}


def _note(reason: str) -> str:
    return load_prompt("llm_note").render(reason=reason)


def describe_window(frame: TimeFrame) -> str:
    """``from 1 March 2024 to 31 March 2024``, ``on 14 March 2024``, ``before 1 January 2016``."""
    if frame.date_from and frame.date_to:
        if frame.date_from == frame.date_to:
            return f"dated {date_in_words(frame.date_from)}"
        return f"from {date_in_words(frame.date_from)} to {date_in_words(frame.date_to)}"
    if frame.date_from:
        return f"from {date_in_words(frame.date_from)} on"
    if frame.date_to:
        return f"up to {date_in_words(frame.date_to)}"
    return ""
