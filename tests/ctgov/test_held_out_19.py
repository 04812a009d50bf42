"""Regression tests for what the nineteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_performance_status_range_written_with_a_tilde() -> None:
    assert _whens("ECOG performance status 1~3") == [{"latest": {"code": "ecog", "between": [1, 3]}}]
    assert _whens("ECOG PS 0 ～ 1.") == [{"latest": {"code": "ecog", "between": [0, 1]}}]
    assert _whens("PS score 0~1") == [{"latest": {"code": "ecog", "between": [0, 1]}}]

