"""Regression tests for what the forty-eighth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


ACTIVE = [{"ref": "active_malignancy"}]
EVER = [{"condition": {"code": "malignancy"}}]


def test_a_malignancy_present_or_in_evidence_is_one_now() -> None:
    # 'Presence of malignancy' had been left for review (neither 'active' nor a history): present is now
    assert _excluded("Presence of a malignancy") == ACTIVE
    assert _excluded("Evidence of malignancy") == ACTIVE
    assert _excluded("Radiological or clinical evidence of cancer") == ACTIVE
    # in an inclusion 'No evidence of cancer' is most often the trial's own in remission: left for review
    assert _inclusion("No evidence of malignancy") == []
    assert _inclusion("No evidence of cancer by history or physical examination") == []
    # a history or a window beside it, or a bare mention, stay as they were
    assert _excluded("History or evidence of malignancy") == EVER
    assert _excluded("Evidence of malignancy within the past 5 years") == [
        {"condition": {"code": "malignancy", "within": "5 years"}}]
    assert _excluded("Malignancy") == []
    assert _excluded("Evidence of lung cancer") == []


def test_a_malignancy_or_its_history_after_it_is_one_at_any_time() -> None:
    # 'Clinical evidence of malignancy or prior history.' had been left for review: the history after it widens it
    assert _excluded("Evidence of malignancy or prior history") == EVER
    assert _excluded("Active cancer or a history thereof") == EVER
    assert _excluded("Malignancy, or history of it") == EVER
    assert _excluded("Current malignancy or previous history") == EVER
    # a history of something else after it is not the malignancy's
    assert _excluded("Active malignancy or history of stroke") != EVER
