"""How common a word is in English at large (wordfreq's Zipf scale: 1 rare … 7 "the").

The archive's own statistics cannot tell a question word it never uses because the
question paraphrases ("how *big* was the cut") from one it never uses because the
archive is silent on the topic ("*bitcoin*"). General English frequency can: common
words are paraphrase, rare ones are topics.
"""

from __future__ import annotations

from functools import lru_cache

# Below this a word the archive never uses marks a topic the archive does not cover
# (brexit 3.8, cryptocurrency 3.3, offshore 3.9); above it, it is everyday wording
# (big 5.7, handle 4.8, succeed 4.3). Measured on the demo and FOMC eval questions.
RARE_ZIPF = 4.0
COMMON_ZIPF = 4.5


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def unseen_weight(word: str) -> float:
    """The weight, relative to the rarest archive term, of a question word the archive
    never uses: full for rare words, little for everyday ones."""
    if word[:1].isdigit():
        return 1.0
    frequency = zipf(word)
    if frequency < RARE_ZIPF:
        return 1.0
    return 0.5 if frequency < COMMON_ZIPF else 0.15


def is_rare_topic_word(word: str) -> bool:
    return len(word) >= 4 and not word[:1].isdigit() and zipf(word) < RARE_ZIPF
