"""Regression tests for what the fifteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_an_operator_written_equals_slash_greater_or_less_is_inclusive() -> None:
    # '=/>' is '>=' (not '>'), '=/<' is '<='
    assert _whens("Haemoglobin =/> 10 g/dL") == [{"latest": {"code": "hemoglobin", "ge": "10 g/dL"}}]
    assert _whens("Platelet count =/< 50 x 10^9/L", "exclusion") == [
        {"latest": {"code": "platelets", "le": "50 10*3/uL"}}]
    assert _whens("Expected survival =/> 6 months") == [{"life_expectancy_months": {"ge": 6}}]
