"""How common a word is in English at large (wordfreq's Zipf scale: 1 rare … 7 "the").

The archive's own statistics cannot tell a question word it never uses because the
question paraphrases ("how *big* was the cut") from one it never uses because the
archive is silent on the topic ("*bitcoin*"). General English frequency can: common
words are paraphrase, rare ones are topics.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.answering.tuning import Tuning


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def unseen_weight(word: str, tuning: Tuning) -> float:
    """The weight, relative to the rarest archive term, of a question word the archive
    never uses: ``unseen_rare_weight`` for rare words (Zipf below ``tuning.rare_zipf``:
    brexit 3.8, cryptocurrency 3.3), little for everyday ones (big 5.7, handle 4.8)."""
    if word[:1].isdigit():
        return 1.0
    frequency = zipf(word)
    if frequency < tuning.rare_zipf:
        return tuning.unseen_rare_weight
    return (
        tuning.unseen_mid_weight if frequency < tuning.common_zipf else tuning.unseen_common_weight
    )


def is_rare_topic_word(word: str, tuning: Tuning) -> bool:
    return (
        len(word) >= tuning.min_topic_word_length
        and not word[:1].isdigit()
        and zipf(word) < tuning.rare_zipf
    )
