"""Words and names."""

from __future__ import annotations

from assistant.text.names import fold


def test_fold_takes_accents_and_case_off() -> None:
    assert fold("Türkiye") == "turkiye"
    assert fold("Rõõmus") == "roomus"
    assert fold("Gdańsk") == "gdansk"
