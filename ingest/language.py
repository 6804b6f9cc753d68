"""A tiny language guesser: counts each language's most frequent function words.

Good enough to label whole press releases in the languages an archive usually holds; it
answers ``None`` rather than guess on short or mixed text.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that for on with was are be by this it as at from have "
        "has will which were their its an or not been would they who said",
        "fr": "le la les des du de et est un une dans pour que qui sur par au aux avec "
        "pas ce cette sont il elle ont été nous vous leur ses ne plus",
        "de": "der die das und ist nicht mit den dem des ein eine einen zu von für auf im "
        "sich auch wird werden wurde sind als bei oder nach aus",
        "es": "el la los las de del y en que es un una por con para se al su sus lo como "
        "más pero fue ha han este esta",
        "ru": "и в не на что с по как это к из у за от о для же то все он она они был было "
        "также его ее их при",
        "it": "il lo la gli le di del della e è un una che per con non si sono nel nella "
        "anche alla dei delle degli al ha",
        "pt": "o a os as de do da dos das e em um uma que para com não por se no na nos "
        "ao pelo pela foi são mais",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

MIN_WORDS = 12
MIN_HITS = 4
MARGIN = 1.5


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code, or ``None`` when the text is too short or the scores too close."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(words) < MIN_WORDS:
        return None
    scores = {
        lang: sum(1 for w in words if w in stopwords) for lang, stopwords in _STOPWORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < MIN_HITS or best_score < MARGIN * second_score:
        return None
    return best
