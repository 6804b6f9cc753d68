from __future__ import annotations

from assistant.text.lexicon import lexicon, words


def test_word_lists_load_once_from_data_files() -> None:
    assert lexicon("sentences") is lexicon("sentences")
    assert "mr" in words("sentences", "abbreviations")
    assert "latest" in words("words", "latest")
