"""The capacity run at a small size: people from their own loopback addresses at a
person's pace, against a real `pressroom serve` with default settings, directly and
through nginx (which must not turn them into one client: no 429)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.capacity import capacity, capacity_table, source_address
from evals.load import DEMO_ARCHIVE
from evals.nginx import nginx_binary


def test_each_person_has_an_address_of_their_own() -> None:
    assert [source_address(n) for n in (0, 19)] == ["127.0.0.10", "127.0.0.29"]
    with pytest.raises(ValueError, match="at most 245"):
        source_address(245)


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")
def test_a_small_capacity_run_through_nginx(tmp_path: Path) -> None:
    # 6 people at 90 a minute for 10 s: up to 90 requests, over the default limit of 60 a
    # minute were they one client (each alone stays under it).
    summary = capacity(
        DEMO_ARCHIVE, tmp_path, users=6, pace=90, seconds=10, sources=True, via_nginx=True
    )
    assert summary["failed"] == 0, capacity_table(summary)
    assert summary["requests"] >= 6
