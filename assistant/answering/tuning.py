"""Every weight and threshold of the answering model, in one frozen object.

Nothing in the answering core holds a number of its own: the extractive answerer, the
follow-up rules, the engine and the claim check's quote builder read them from the
``Tuning`` they are given. Each field documents what it means and the range a fit may
search (``metadata["low"]``/``["high"]``). The defaults below are the documented hand-set
values; the shipped values live in ``tuning.toml`` next to this module (written by the
command named in its header), and ``PRESSROOM_TUNING`` points at another file.

``python -m assistant.answering.tuning`` rewrites ``docs/tuning.md`` from this module
(a test checks the committed page matches); with ``--defaults`` it also resets
``tuning.toml`` to the defaults.
"""

from __future__ import annotations

import dataclasses
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from pressroom.errors import PressroomError

DEFAULT_FILE = Path(__file__).with_name("tuning.toml")
DOCS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "tuning.md"


class TuningError(PressroomError, ValueError):
    """A tuning file Pressroom cannot use (named, with the reason)."""


def _knob(default: float | int, doc: str, low: float, high: float, group: str) -> Any:
    return field(default=default, metadata={"doc": doc, "low": low, "high": high, "group": group})


SCORE = "Sentence score (one weighted sum per candidate sentence)"
GATE = "Refusal gate"
WORDS = "Rare words and names"
FOLLOW = "Follow-ups, 'latest' and relations"
QUOTE = "Quotes of the claim check"
RETRIEVE = "Retrieval (fusion of the dense and BM25 rankings)"


@dataclass(frozen=True)
class Tuning:
    """The answering model's numbers; see the module docstring and docs/tuning.md."""

    # Sentence score: sum(weight * feature).
    w_topic: float = _knob(
        0.3,
        "Weight of the passage's coverage of the question (with a follow-up's carried "
        "words): how on-topic the sentence's passage is.",
        0.0,
        1.0,
        SCORE,
    )
    w_coverage: float = _knob(
        0.35,
        "Weight of the sentence's own coverage of the question's terms (the share of "
        "their weight it holds; see heading_term_share).",
        0.0,
        1.0,
        SCORE,
    )
    w_similarity: float = _knob(
        0.25,
        "Weight of the cosine similarity of question and sentence (embedding model): "
        "what lets a paraphrase win.",
        0.0,
        1.5,
        SCORE,
    )
    w_rank: float = _knob(
        0.1,
        "Weight of the passage rank prior, 1/rank of the sentence's passage.",
        0.0,
        0.5,
        SCORE,
    )
    w_kind: float = _knob(
        0.15,
        "Weight of each asked kind (figure, amount, time of day, name, place, date) the "
        "sentence holds.",
        0.0,
        0.6,
        SCORE,
    )
    w_latest: float = _knob(
        0.15,
        "Weight of being a sentence of the newest release among the passages, when the "
        "question asks for the latest.",
        0.0,
        0.6,
        SCORE,
    )
    w_date: float = _knob(
        0.3,
        "Weight of the sentence's release being dated inside the question's date window, "
        "or stating the asked period (undated releases stay candidates).",
        0.0,
        1.0,
        SCORE,
    )
    w_counted: float = _knob(
        0.3,
        "Weight of how close what the sentence counts is to what a 'how many' question "
        "counts (cosine of the two words: '14 vessels' for 'how many ships').",
        0.0,
        1.0,
        SCORE,
    )
    stated_date_share: float = _knob(
        0.5,
        "The date feature of a release dated outside the window whose text states the "
        "asked period, against 1 for a release dated inside it.",
        0.0,
        1.0,
        SCORE,
    )
    w_terms: float = _knob(
        0.3,
        "Weight of the share of the question's discriminating terms (ordinal, country, "
        "year, figure, name) that the sentence's release holds: of five forums, the "
        "sentence of the second one answers about the second.",
        0.0,
        1.0,
        SCORE,
    )
    heading_term_share: float = _knob(
        0.5,
        "How much a question term counts in a sentence's coverage when the passage "
        "heading holds it too: it is on the topic but does not tell that release's "
        "sentences apart.",
        0.0,
        1.0,
        SCORE,
    )
    heading_share: float = _knob(
        0.5,
        "How much a question term found only in a passage's heading counts, against one "
        "found in its text.",
        0.0,
        1.0,
        SCORE,
    )
    # Gate.
    min_evidence: float = _knob(
        0.6,
        "Evidence score below which the answer is a refusal (best passage coverage + "
        "similarity weight x best similarity + window bonus). PRESSROOM_MIN_EVIDENCE "
        "overrides it.",
        0.3,
        1.2,
        GATE,
    )
    paraphrase_similarity: float = _knob(
        0.65,
        "Cosine of question and closest sentence from which a word the archive never "
        "uses is taken for a paraphrase, not for a topic the archive is silent on "
        "(unknown_word does not fire); 0 never takes it for a topic (users say 'hiked' "
        "and 'tapering' where statements say 'raise' and 'reduce the pace').",
        0.0,
        0.9,
        GATE,
    )
    evidence_similarity: float = _knob(
        0.5,
        "Weight of the best sentence similarity in the evidence score.",
        0.0,
        1.0,
        GATE,
    )
    min_similarity: float = _knob(
        0.45,
        "Without a narrow date window, no sentence at least this close in meaning to "
        "the question means no answer.",
        0.2,
        0.7,
        GATE,
    )
    narrow_window_bonus: float = _knob(
        0.4,
        "Evidence added by a date window of at most `narrow_window_days` (it pins the "
        "release down); it also lifts the similarity floor.",
        0.0,
        0.8,
        GATE,
    )
    narrow_window_days: int = _knob(31, "Longest date window that counts as narrow.", 1, 92, GATE)
    year_window_bonus: float = _knob(
        0.1,
        "Evidence added by a date window of at most `year_window_days`.",
        0.0,
        0.4,
        GATE,
    )
    year_window_days: int = _knob(
        366, "Longest date window that earns `year_window_bonus`.", 92, 731, GATE
    )
    lead_score_ratio: float = _knob(
        0.5,
        "A runner-up holding the asked kind may lead only with at least this share of "
        "the best sentence's score.",
        0.2,
        0.9,
        GATE,
    )
    lead_coverage_ratio: float = _knob(
        0.25,
        "...and, from another release, at least this share of the best sentence's coverage.",
        0.0,
        0.8,
        GATE,
    )
    select_score_ratio: float = _knob(
        0.8,
        "Further sentences join the answer with at least this share of the best score.",
        0.5,
        1.0,
        GATE,
    )
    redundant_overlap: float = _knob(
        0.6,
        "Two sentences sharing this share of their terms (Jaccard) say the same thing; "
        "the second is left out.",
        0.3,
        0.9,
        GATE,
    )
    min_prose_words: int = _knob(
        4, "Fewest words a sentence needs to be prose, not a heading or link.", 1, 8, GATE
    )
    # Rare words and names.
    rare_idf: float = _knob(
        2.0,
        "IDF from which a word of a name counts as rare in the archive (the "
        "organisation's own name, in every release, says nothing).",
        1.0,
        4.0,
        WORDS,
    )
    small_archive_chunks: int = _knob(
        20,
        "Below this many chunks, `small_archive_rare_idf` replaces `rare_idf`.",
        5,
        100,
        WORDS,
    )
    small_archive_rare_idf: float = _knob(
        0.693,
        "Rare-word IDF floor of a small archive (ln 2: in at most half of the chunks).",
        0.2,
        2.0,
        WORDS,
    )
    own_name_idf: float = _knob(
        0.693,
        "A name of the question whose every word has an IDF below this (ln 2: it is in "
        "more than half of the chunks) is the archive's own, its country or body "
        "('Oskaria's second convoy'): releases need not say it, so it discriminates "
        "nothing.",
        0.0,
        1.5,
        WORDS,
    )
    name_zipf: float = _knob(
        2.5,
        "A capitalised word opening a sentence is a name when its English Zipf "
        "frequency is below this ('Jutavia said', not 'Recommendations require').",
        1.0,
        4.0,
        WORDS,
    )
    rare_zipf: float = _knob(
        4.0,
        "A question word the archive never uses, with Zipf frequency below this, is a "
        "topic the archive does not cover ('bitcoin'); above, everyday wording.",
        2.5,
        5.0,
        WORDS,
    )
    common_zipf: float = _knob(
        4.5,
        "Zipf frequency from which an unseen question word is common English.",
        3.5,
        6.0,
        WORDS,
    )
    unseen_rare_weight: float = _knob(
        1.0,
        "Weight (relative to the rarest archive term) of an unseen word rarer than "
        "`rare_zipf`: a topic the archive is silent on ('bitcoin'), or the user's own word "
        "for what it says otherwise ('hiked').",
        0.0,
        1.0,
        WORDS,
    )
    unseen_mid_weight: float = _knob(
        0.5,
        "Weight (relative to the rarest archive term) of an unseen word between "
        "`rare_zipf` and `common_zipf`.",
        0.0,
        1.0,
        WORDS,
    )
    unseen_common_weight: float = _knob(
        0.15,
        "Weight of an unseen common-English word (a paraphrase).",
        0.0,
        0.5,
        WORDS,
    )
    min_topic_word_length: int = _knob(
        4, "Shortest unseen word that can mark a missing topic.", 2, 8, WORDS
    )
    # Follow-ups, latest, relations.
    subject_change_margin: float = _knob(
        0.15,
        "How much more of a follow-up's own words its stand-alone reading must cover "
        "to count as a change of subject.",
        0.0,
        0.5,
        FOLLOW,
    )
    min_follow_up_coverage: float = _knob(
        0.2,
        "Least share of a follow-up's own words its passages must hold.",
        0.0,
        0.6,
        FOLLOW,
    )
    max_carried_words: int = _knob(
        12, "Most words a follow-up carries from the question it follows.", 3, 30, FOLLOW
    )
    condense_max_growth: int = _knob(
        300,
        "Characters an LLM's standalone rewrite may add to the question and its history.",
        50,
        1000,
        FOLLOW,
    )
    recent_days: int = _knob(
        183,
        "'Latest' without a date is first looked for in this many days before the "
        "archive's newest release.",
        30,
        730,
        FOLLOW,
    )
    relation_words_looked_at: int = _knob(
        6, "Words after 'who' searched for the relation asked about.", 2, 12, FOLLOW
    )
    # Claim check quotes.
    quote_min_gain: float = _knob(
        0.2,
        "A sentence joins a citation's quote when it holds this share of the claim's "
        "weighted words the quote does not have yet.",
        0.05,
        0.6,
        QUOTE,
    )
    quote_max_sentences: int = _knob(3, "Most sentences in one quote.", 1, 6, QUOTE)
    # Retrieval.
    w_dense_rank: float = _knob(
        0.6,
        "Weight of the dense (embedding) ranking in reciprocal rank fusion: a candidate "
        "gets weight / (rrf_k + rank) from each ranking that holds it.",
        0.0,
        2.0,
        RETRIEVE,
    )
    w_lexical_rank: float = _knob(
        1.0,
        "Weight of the BM25 ranking in reciprocal rank fusion.",
        0.0,
        2.0,
        RETRIEVE,
    )
    rrf_k: int = _knob(
        60,
        "Reciprocal rank fusion's k: larger flattens the difference between ranks "
        "(60 is the value of Cormack et al., 2009).",
        5,
        200,
        RETRIEVE,
    )
    latest_bm25_share: float = _knob(
        0.75,
        "For 'the latest', a candidate is clearly relevant (and may move to the front by "
        "date) when its BM25 score is at least this share of the best one ...",
        0.3,
        1.0,
        RETRIEVE,
    )
    latest_similarity_margin: float = _knob(
        0.05,
        "... or its similarity is within this margin of the best one.",
        0.0,
        0.2,
        RETRIEVE,
    )
    latest_depth: int = _knob(
        20,
        "How many of the best fused candidates 'the latest' may reorder by date.",
        5,
        40,
        RETRIEVE,
    )

    @classmethod
    def load(cls, path: Path) -> Tuning:
        """The tuning in the TOML file ``path``; keys it lacks keep their defaults."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise TuningError(f"{path}: cannot read the tuning file ({exc.strerror})") from None
        except tomllib.TOMLDecodeError as exc:
            raise TuningError(f"{path}: not valid TOML ({exc})") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "tuning") -> Tuning:
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise TuningError(f"{source}: unknown tuning keys {unknown}; see docs/tuning.md")
        values: dict[str, Any] = {}
        for name, raw in data.items():
            kind: type = int if isinstance(known[name].default, int) else float
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise TuningError(f"{source}: {name}: expected a number, got {raw!r}")
            if kind is int and not isinstance(raw, int):
                raise TuningError(f"{source}: {name}: expected a whole number, got {raw!r}")
            values[name] = kind(raw)
        return cls(**values)

    def to_dict(self) -> dict[str, float | int]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def save(self, path: Path, produced_by: str) -> None:
        """Write every field to ``path`` as TOML, under a header naming ``produced_by``
        (the command and date that produced these values)."""
        header = "".join(f"# {line}\n" for line in produced_by.splitlines())
        header += "# Fields and ranges: docs/tuning.md\n\n"
        path.write_text(header + tomli_w.dumps(self.to_dict()), encoding="utf-8")

    @staticmethod
    def search_ranges() -> dict[str, tuple[float, float]]:
        """Each field's ``(low, high)``: what a fit may try."""
        return {f.name: (f.metadata["low"], f.metadata["high"]) for f in dataclasses.fields(Tuning)}


def shipped() -> Tuning:
    """The values shipped with Pressroom (``tuning.toml`` beside this module)."""
    return Tuning.load(DEFAULT_FILE)


def docs_text() -> str:
    """docs/tuning.md: one table row per field, grouped as the module groups them."""
    lines = [
        "# Tuning: the answering model's weights and thresholds",
        "",
        "Generated from `assistant/answering/tuning.py` by "
        "`python -m assistant.answering.tuning`; do not edit by hand.",
        "",
        "Every number the answerer uses is a field of one frozen `Tuning`. Pressroom "
        "reads it from `assistant/answering/tuning.toml` (its header names the command "
        "and date that produced it), or from the TOML file `PRESSROOM_TUNING` names. "
        "A file may set any subset of the fields; the others keep the defaults below. "
        "*Search range* is what a fit may try.",
    ]
    group = None
    for f in dataclasses.fields(Tuning):
        if f.metadata["group"] != group:
            group = f.metadata["group"]
            lines += ["", f"## {group}", "", "| Field | Default | Search range | Meaning |"]
            lines.append("|---|---|---|---|")
        low, high = f.metadata["low"], f.metadata["high"]
        lines.append(f"| `{f.name}` | `{f.default}` | {low} – {high} | {f.metadata['doc']} |")
    return "\n".join(lines + _rules_section()) + "\n"


def _rules_section() -> list[str]:
    """The refusal rules in the order they run, from their docstrings."""
    from assistant.answering.evidence import Gate

    lines = [
        "",
        "## Refusal rules",
        "",
        "An answer is refused by the first rule that fires; the Answer carries it as "
        '`refusal: {"rule": ..., "detail": ...}` and `pressroom ask --explain` prints every '
        "rule's verdict. The engine's own rules run first: `no_release_in_window` (no "
        "release at all in the asked window, and none that states it; when one states it "
        "but none is dated there, `nothing_in_window`) and "
        "`follow_up_off_topic` (a follow-up's own words are not in its passages, "
        "`min_follow_up_coverage`); after the answer is written, `unsupported` (no sentence "
        "passed the claim check). Then the gate, in order:",
        "",
    ]
    for rule in Gate.rule_order():
        doc = " ".join((getattr(Gate, rule).__doc__ or "").split())
        lines.append(f"1. `{rule}`: {doc}")
    return lines


def write_docs(path: Path = DOCS_PAGE) -> None:
    path.write_text(docs_text(), encoding="utf-8")


def write_defaults(path: Path = DEFAULT_FILE, date: str = "") -> None:
    """``tuning.toml`` holding the documented defaults (before any fit)."""
    Tuning().save(
        path,
        "The documented defaults of assistant/answering/tuning.py, not fitted: written by\n"
        f"`python -m assistant.answering.tuning --defaults` on {date}.",
    )


if __name__ == "__main__":  # pragma: no cover - the commands that write the files
    if "--defaults" in sys.argv:
        import datetime as dt

        write_defaults(date=dt.date.today().isoformat())
    write_docs()
