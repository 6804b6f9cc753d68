"""How much a question word the archive never uses counts, by its English frequency."""

from __future__ import annotations

import dataclasses

from assistant.answering.tuning import Tuning
from assistant.text.vocabulary import is_rare_topic_word, unseen_weight


def test_an_unseen_word_counts_by_how_rare_it_is_in_english() -> None:
    tuning = Tuning()
    assert unseen_weight("cryptocurrency", tuning) == tuning.unseen_rare_weight
    assert unseen_weight("big", tuning) == tuning.unseen_common_weight
    assert unseen_weight("2024", tuning) == 1.0
    halved = dataclasses.replace(tuning, unseen_rare_weight=0.5)
    assert unseen_weight("hiked", halved) == 0.5


def test_a_rare_topic_word() -> None:
    tuning = Tuning()
    assert is_rare_topic_word("cryptocurrency", tuning)
    assert not is_rare_topic_word("big", tuning)
    assert not is_rare_topic_word("2024", tuning)
