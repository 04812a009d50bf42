"""Regression tests for what the twenty-second held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_minimum_before_the_life_expectancy_is_its_lower_bound() -> None:
    assert _whens("A minimum life expectancy of 12 weeks") == [{"life_expectancy_months": {"ge": 2.76}}]
    assert _whens("Minimal expected survival of 6 months.") == [{"life_expectancy_months": {"ge": 6}}]
    # a maximum is no lower bound
    assert {"life_expectancy_months": {"ge": 6}} not in _whens("Maximum life expectancy of 6 months", "exclusion")
