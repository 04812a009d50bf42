"""Regression tests for lead-ins and allowances probed apart from the fixture records: an exclusion denied ('is not
exclusionary'), and items listed under a lead-in that lets them in or qualifies them. The expected definitions are
read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_an_exclusion_denied_is_no_exclusion() -> None:
    # each had been drafted at 0.6 as the exclusion it denies
    assert _excluded("Pregnancy is not exclusionary") == []
    assert _excluded("HIV infection is not an exclusion") == []
    assert _excluded("HIV-positive patients are not excluded") == []
    assert _excluded("HIV infection is not a reason for exclusion") == []
    assert _excluded("Prior malignancy is not exclusionary") == []
    assert _inclusion("HIV infection is not an exclusion criterion") == []
    # as before
    assert _excluded("HIV infection") == [{"ref": "hiv_positive"}]

