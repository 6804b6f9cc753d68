"""The LlamaIndex comparison's parts that need no model: crediting raw-file text."""

from __future__ import annotations

from evals.versus_llamaindex import ReleaseFinder
from ingest.release import Release


def release(release_id: str, body: str) -> Release:
    return Release(release_id, None, None, None, None, None, body, f"{release_id}.html")


def test_a_node_of_raw_markup_is_credited_with_the_release_it_carries() -> None:
    forum = release("forum", "The Forum brought together 350 participants from 61 countries.")
    budget = release("budget", "The Assembly approved the Ministry's budget of 38.4 billion.")
    finder = ReleaseFinder([forum, budget])
    page = "<article><p>The Forum brought together 350\n participants from 61 countries.</p>"
    assert [r.release_id for r in finder.releases_in(page)] == ["forum"]
    both = f"{page}<p>The Assembly approved the Ministry's budget of 38.4 billion.</p>"
    assert {r.release_id for r in finder.releases_in(both)} == {"forum", "budget"}
    assert finder.releases_in("<nav>Home · News · Contacts</nav>") == []


def test_short_sentences_credit_nothing() -> None:
    finder = ReleaseFinder([release("a", "Read more. The Forum opened in the capital today.")])
    assert [r.release_id for r in finder.releases_in("Read more.")] == []
