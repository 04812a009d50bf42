"""Phrasings that named a measure in brackets or next to another one, each phrased apart from the
texts it was noticed in. The expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_performance_status_with_its_scale_named_in_brackets() -> None:
    assert _whens("Performance status (WHO) 0 to 2") == [{"latest": {"code": "ecog", "between": [0, 2]}}]
    assert _whens("performance score [ECOG] ≤ 1") == [{"latest": {"code": "ecog", "le": 1}}]
    # another scale in brackets is not the ECOG one
    assert _whens("Performance status (Karnofsky) 70-100") == []

