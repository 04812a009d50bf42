"""Regression tests for phrasings probed apart from the fixture records: a life expectancy in days or hours, and
analytes named by their short forms. The expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_a_life_expectancy_in_days_or_hours_is_read_in_months() -> None:
    # 'Life expectancy < 48 hours', '... of less than 30 days' had been left for review (only months, weeks and years
    # were read); the months are rounded as the weeks' are (30.4375 days a month)
    assert _excluded("Life expectancy < 48 hours") == [{"life_expectancy_months": {"lt": 0.07}}]
    assert _excluded("Life expectancy of less than 30 days") == [{"life_expectancy_months": {"lt": 0.99}}]
    assert _inclusion("Life expectancy >= 90 days") == [{"life_expectancy_months": {"ge": 2.96}}]
    assert _excluded("Expected survival less than 72 hours") == [{"life_expectancy_months": {"lt": 0.1}}]
    # as before: weeks and months
    assert _inclusion("Life expectancy of at least 12 weeks") == [{"life_expectancy_months": {"ge": 2.76}}]
    assert _inclusion("Life expectancy > 3 months") == [{"life_expectancy_months": {"gt": 3}}]
    # a duration of something else in days is no life expectancy
    assert _inclusion("Expected hospital stay of at least 3 days") == []


def test_creatinine_by_its_short_forms_before_its_unit() -> None:
    # 'sCr <= 1.5 mg/dL', 'Cr < 1.5 x ULN' had been left for review
    assert _inclusion("sCr <= 1.5 mg/dL") == [{"latest": {"code": "creatinine", "le": "1.5 mg/dL"}}]
    assert _inclusion("SCr ≤ 133 µmol/L") == [{"latest": {"code": "creatinine", "le": "133 umol/L"}}]
    assert _inclusion("Bilirubin < 1.5 x ULN, Cr < 2 mg/dL") == [
        {"latest": {"code": "total_bilirubin", "lt": "1.5 x ULN"}}, {"latest": {"code": "creatinine", "lt": "2 mg/dL"}}]
    # without a creatinine unit after it 'CR' is a complete response and 'Cr' may be chromium: nothing drafted
    assert _excluded("CR lasting more than 4 weeks") == []
    assert _excluded("Chromium (Cr) > 5 ug/L") == []
    assert _inclusion("Creatine kinase < 2.5 x ULN") == []
