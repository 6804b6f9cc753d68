"""The claim check: every sentence of an answer against the passages it cites.

No model judges here. A sentence is supported when it cites a passage we numbered, every
figure, date and name in it occurs in a passage it cites, and its content overlaps those
passages both in words (weighted by how rare each word is in the archive) and in meaning
(cosine with the closest sentence of the cited passages). Markers that point at no
passage are dropped. The extractive answerer's sentences and a language model's go
through the same check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Literal

import numpy as np

from assistant.answering.model import Checked, Citation, Claim, Support
from assistant.answering.tuning import Tuning
from assistant.text.lexicon import words
from assistant.text.markers import (
    LEADING_MARKERS,
    MARKERS,
    PARTIAL_MARKER,
    keep_markers,
    marker_numbers,
    without_markers,
)
from assistant.text.names import ACRONYM, WORD, opens_sentence
from assistant.text.numbers import FIGURE, NUMBER_WORD, spelled_alternatives
from assistant.text.sentences import split_sentences
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Passage
from vectorstore.terms import terms

Unsupported = Literal["flag", "remove"]

BULLET = re.compile(r"\s*(?:[-*•]|\d{1,2}[.)])\s+")
NEW_SENTENCE_AFTER_MARKER = re.compile(r"\s+(?=[\"“‘(]?[A-ZÀ-Ý])")
# Words a writer uses about the evidence itself, not facts from it.
META_WORDS = frozenset(terms(" ".join(words("words", "meta"))))


def claim_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of an answer, with its trailing markers.

    Lines are split first (a list item is a sentence of its own), then sentences; a
    marker that opens a sentence (``… million. [1] The …``) belongs to the one before.
    """
    pieces: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        bullet = BULLET.match(line.group())
        offset = line.start() + (bullet.end() if bullet else 0)
        for begin, end in split_sentences(text[offset : line.end()]):
            pieces.extend(_split_after_markers(text, offset + begin, offset + end))
    spans: list[tuple[int, int]] = []
    for begin, end in pieces:
        lead = LEADING_MARKERS.match(text, begin, end)
        if lead and spans:
            spans[-1] = (spans[-1][0], lead.end())
            begin = lead.end()
            while begin < end and text[begin].isspace():
                begin += 1
        if begin < end:
            spans.append((begin, end))
    return spans


def _split_after_markers(text: str, begin: int, end: int) -> Iterable[tuple[int, int]]:
    """``… million [1] The ministers …``: a marker followed by a capital ends a sentence
    even without a full stop."""
    cut = begin
    for marker in MARKERS.finditer(text, begin, end):
        gap = NEW_SENTENCE_AFTER_MARKER.match(text, marker.end(), end)
        if gap and gap.end() < end:
            yield cut, marker.end()
            cut = gap.end()
    yield cut, end


def facts(body: str) -> list[str]:
    """Figures, dates, names and acronyms of a sentence: what must be in a cited passage."""
    found = FIGURE.findall(body) + NUMBER_WORD.findall(body) + ACRONYM.findall(body)
    for word in WORD.finditer(body):
        text = word.group()
        if not text[0].isupper() or text.isupper() or opens_sentence(body, word.start(), ":"):
            continue
        if terms(text) and terms(text)[0] not in META_WORDS:
            found.append(text)
    return list(dict.fromkeys(found))


class ClaimChecker:
    """Checks sentences against cited passages; see the module docstring.

    ``min_overlap``: share of the sentence's IDF-weighted terms found in the cited
    passages. ``min_similarity``: cosine of the sentence with the closest sentence of
    the cited passages. Both must be reached, and every fact found.
    """

    def __init__(
        self,
        embedder: Embedder,
        lexical: LexicalIndex,
        min_overlap: float = 0.6,
        min_similarity: float = 0.45,
        unsupported: Unsupported = "flag",
        tuning: Tuning | None = None,
    ) -> None:
        self.tuning = tuning or Tuning()
        self.embedder = embedder
        self.lexical = lexical
        self.min_overlap = min_overlap
        self.min_similarity = min_similarity
        self.unsupported = unsupported

    def check(self, text: str, passages: Sequence[Passage]) -> Checked:
        """Check every sentence of ``text``; drop unknown markers; flag or remove (per
        ``unsupported``) sentences the passages do not support."""
        by_number = {p.rank: p for p in passages}
        spans = claim_spans(text)
        verdicts = [self.check_sentence(text[b:e], by_number) for b, e in spans]
        out: list[str] = []
        claims: list[Claim] = []
        gaps: list[str] = []
        cursor = 0
        for (begin, end), claim in zip(spans, verdicts, strict=True):
            gaps.append(text[cursor:begin])
            cursor = end
            if not claim.supported and self.unsupported == "remove":
                claims.append(claim)
                continue
            if out:
                # Of the gaps since the last sentence shown, the one that breaks most
                # lines (a paragraph, a list item), so removals keep the layout.
                most = max(g.count("\n") for g in gaps)
                out.append([g for g in gaps if g.count("\n") == most][-1] or " ")
            elif BULLET.fullmatch(gaps[-1].rsplit("\n", 1)[-1]):
                out.append(gaps[-1].rsplit("\n", 1)[-1])  # the first item's bullet
            gaps = []
            start = sum(map(len, out))
            out.append(claim.text)
            claims.append(_at(claim, start, start + len(claim.text)))
        checked_text = "".join(out)
        return Checked(checked_text, claims, _citations(claims, by_number))

    def check_sentence(self, sentence: str, passages: dict[int, Passage]) -> Claim:
        numbers = list(dict.fromkeys(marker_numbers(sentence)))
        cited = tuple(n for n in numbers if n in passages)
        dropped = tuple(n for n in numbers if n not in passages)
        shown = keep_markers(sentence, set(cited))
        body = without_markers(sentence)
        if not cited:
            return Claim(shown, cited, dropped, False, "cites no passage", 0.0, 0.0)
        words = set(terms(body))
        if not words:
            return Claim(shown, cited, dropped, False, "says nothing to check", 0.0, 0.0)
        sources = [passages[n] for n in cited]
        known: set[str] = set()
        for passage in sources:
            known.update(terms(passage.chunk.text), terms(passage.chunk.heading))
        missing = [f for f in facts(body) if not _found(f, known)]
        overlap = self.overlap(words, known)
        similarity, support = self.closest(body, sources, words)
        reason = None
        if missing:
            reason = f"not in the cited passage: {', '.join(missing)}"
        elif overlap < self.min_overlap:
            reason = f"too little of it is in the cited passage (overlap {overlap:.2f})"
        elif similarity < self.min_similarity:
            reason = f"no sentence of the cited passage says this (similarity {similarity:.2f})"
        return Claim(
            shown, cited, dropped, reason is None, reason, overlap, similarity, support=support
        )

    def overlap(self, words: set[str], known: set[str]) -> float:
        total = sum(self.lexical.idf(w) for w in words)
        return sum(self.lexical.idf(w) for w in words & known) / total if total else 0.0

    def closest(
        self, body: str, sources: list[Passage], words: set[str]
    ) -> tuple[float, tuple[Support, ...]]:
        """The best cosine of ``body`` with any sentence of ``sources``, and each source's
        supporting span (its quote).

        The span starts at the sentence closest in meaning and in words; a sentence that
        holds a good share of the words still unaccounted for (``Holmeria`` in "Holmeria
        voted against suspending exports") is added, up to ``quote_max_sentences`` (see the Tuning).
        """
        spans: list[tuple[Passage, int, int]] = []
        for passage in sources:
            for begin, end in split_sentences(passage.chunk.text):
                spans.append((passage, begin, end))
        if not spans:
            return 0.0, ()
        texts = [p.chunk.text[b:e] for p, b, e in spans]
        vectors = self.embedder.embed_documents([*texts, body])
        similarities = vectors[:-1] @ vectors[-1]
        held = [set(terms(t)) & words for t in texts]
        total = sum(self.lexical.idf(w) for w in words) or 1.0

        def share(found: set[str]) -> float:
            return sum(self.lexical.idf(w) for w in found) / total

        support: list[Support] = []
        for passage in sources:
            rows = [i for i, (p, _, _) in enumerate(spans) if p is passage]
            if not rows:
                continue
            best = max(rows, key=lambda i: float(similarities[i]) + share(held[i]))
            chosen = [best]
            # The release's title, place and date vouch for themselves.
            covered = held[best] | (set(terms(passage.chunk.heading)) & words)
            while len(chosen) < self.tuning.quote_max_sentences:
                extra = max(rows, key=lambda i: share(held[i] - covered))
                if share(held[extra] - covered) < self.tuning.quote_min_gain:
                    break
                chosen.append(extra)
                covered |= held[extra]
            start = passage.chunk.start
            support.append(
                Support(
                    passage.rank,
                    start + min(spans[i][1] for i in chosen),
                    start + max(spans[i][2] for i in chosen),
                    float(similarities[best]),
                )
            )
        return float(np.max(similarities)), tuple(support)


def _found(fact: str, known: set[str]) -> bool:
    """The fact's terms are all among the passage's; a number may be in words or digits."""
    wanted = set(terms(fact))
    if wanted <= known:
        return True
    alternatives = {t for a in spelled_alternatives(fact) for t in (terms(a) or [a])}
    return bool(alternatives & known)


def _at(claim: Claim, start: int, end: int) -> Claim:
    return Claim(
        claim.text,
        claim.cited,
        claim.dropped,
        claim.supported,
        claim.reason,
        claim.overlap,
        claim.similarity,
        start,
        end,
        claim.support,
    )


def _citations(claims: list[Claim], passages: dict[int, Passage]) -> list[Citation]:
    """One citation per passage cited by a shown sentence; its quote spans the closest
    sentences; supported when every sentence citing it is."""
    shown = [c for c in claims if c.start >= 0]
    citations: list[Citation] = []
    for number in sorted({n for c in shown for n in c.cited}):
        passage = passages[number]
        citing = [c for c in shown if number in c.cited]
        spans = [s for c in citing for s in c.support if s.number == number]
        chunk = passage.chunk
        if spans:
            start, end = min(s.start for s in spans), max(s.end for s in spans)
        else:
            start, end = chunk.start, chunk.end
        quote = chunk.text[start - chunk.start : end - chunk.start]
        supported = all(c.supported for c in citing)
        citations.append(Citation(number, passage, quote, start, end, supported))
    return citations


class SentenceGate:
    """For a stream with ``unsupported="remove"``: lets a sentence through only once it
    is complete and has passed the check, so nothing shown is later taken back."""

    def __init__(self, checker: ClaimChecker, passages: Sequence[Passage]) -> None:
        self.checker = checker
        self.passages = {p.rank: p for p in passages}
        self._buffer = ""
        self._done = 0
        self._shown = 0

    def feed(self, delta: str) -> str:
        self._buffer += delta
        spans = [s for s in claim_spans(self._buffer) if s[0] >= self._done]
        ready = [
            span
            for span, after in pairwise(spans)
            if PARTIAL_MARKER.sub("", MARKERS.sub("", self._buffer[after[0] : after[1]])).strip()
        ]
        return self._release(ready)

    def close(self) -> str:
        return self._release([s for s in claim_spans(self._buffer) if s[0] >= self._done])

    def _release(self, spans: list[tuple[int, int]]) -> str:
        out: list[str] = []
        for begin, end in spans:
            gap = self._buffer[self._done : begin]
            self._done = end
            claim = self.checker.check_sentence(self._buffer[begin:end], self.passages)
            if not claim.supported:
                continue
            if self._shown:
                out.append("\n\n" if "\n" in gap else " ")
            out.append(claim.text)
            self._shown += 1
        return "".join(out)
