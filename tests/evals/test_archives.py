"""The dev and test halves of every archive are separate: no question is in both."""

from __future__ import annotations

import re

import pytest

from evals.archives import Archive, archives, shared_dir
from evals.suite import load_suite

ARCHIVES = archives(shared_dir())


def _normal(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.lower()))


@pytest.mark.parametrize("name", sorted(ARCHIVES))
def test_no_question_is_in_both_halves(name: str) -> None:
    archive: Archive = ARCHIVES[name]
    if not archive.test.exists():
        pytest.skip(f"{archive.test} is not here")
    dev = [q for path in (archive.dev, *archive.extra_dev) for q in load_suite(path)]
    test = load_suite(archive.test)
    assert len(dev) >= 30 and len(test) >= 30
    assert not {q.id for q in dev} & {q.id for q in test}
    assert not {_normal(q.question) for q in dev} & {_normal(q.question) for q in test}
    assert len({q.id for q in dev}) == len(dev), "ids are unique across the dev files"
