from __future__ import annotations

from assistant.text.markers import keep_markers, marker_numbers, renumber, without_markers


def test_marker_groups_are_read_kept_and_renumbered() -> None:
    sentence = "The index rose [3, 1] and fell [2;9]."
    assert marker_numbers(sentence) == [3, 1, 2, 9]
    assert keep_markers(sentence, {1, 2, 3}) == "The index rose [3] [1] and fell [2]."
    assert without_markers(sentence) == "The index rose and fell."
    assert renumber("A [3]. B [1] [3].", {3: 1, 1: 2}) == "A [1]. B [2] [1]."
