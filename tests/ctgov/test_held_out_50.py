"""Regression tests for what the fiftieth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_an_age_label_closed_by_a_semicolon_opens_its_value() -> None:
    # 'Age; 18-65' had drafted nothing: the semicolon after the bare label ended a sentence holding only 'Age',
    # so the range after it had no age word before it (as 'Age: 18-65' has)
    assert _inclusion("Age; 20-70") == [{"age": {"between": [20, 70]}}]
    assert _inclusion("Ages; 16 to 40") == [{"age": {"between": [16, 40]}}]
    assert _inclusion("Age; ≥ 21") == [{"age": {"ge": 21}}]
    assert _inclusion("age ; > 50") == [{"age": {"gt": 50}}]
    assert _excluded("Age; < 12") == [{"age": {"lt": 12}}]
    # the old right drafts stay: a colon, a unit, or words after the label
    assert _inclusion("Age: 20-70") == [{"age": {"between": [20, 70]}}]
    assert _inclusion("Age; 30-60 years") == [{"age": {"between": [30, 60]}}]
    assert _inclusion("Age; 40 or older") == [{"age": {"ge": 40}}]
    # a semicolon after a whole sentence still ends it: the number after it is no age
    assert _inclusion("Any age; 10-20 cigarettes per day") == []
    assert _inclusion("Age-related macular degeneration; 1-3 drusen") == []
