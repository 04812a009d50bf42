"""Wrong drafts found by probing conditions, events and medications with windows in phrasings no fixture
record has: a window counted from another event than the study's. The expected definitions are read by hand
from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_a_window_counted_from_another_event_is_not_one_from_screening() -> None:
    # each had been drafted at 0.6 with the window counted back from the screening date
    assert _excluded("Any cancer in the 3 years preceding the stroke") == []
    assert _excluded("Cytotoxic chemotherapy within 2 months before the planned operation") == []
    assert _excluded("Steroid treatment within 10 days of hospital admission") == []
    assert _excluded("Enrolment in any other interventional study within 60 days prior to delivery") == []
    assert _excluded("Immunosuppressive drugs within 6 weeks from the kidney biopsy") == []
    assert _excluded("Allogeneic stem cell transplantation within 12 months of disease relapse") == []
    assert _inclusion("No malignancy within 2 years of the initial diagnosis of heart failure") == []
    # a window counted from a point of the study, or from the study's own procedure, is still read
    assert _excluded("Any cancer within 3 years prior to randomisation") == [
        {"condition": {"code": "malignancy", "within": "3 years"}}]
    assert _excluded("Cytotoxic chemotherapy within 2 months before the study surgery") == [
        {"medication": {"code": "antineoplastic_agents", "within": "2 months"}}]
    assert _excluded("Enrolment in any other interventional study within 60 days") == [
        {"participation": {"within": "60 days"}}]
    assert _inclusion("No malignancy within 2 years of study entry") == [
        {"not": {"condition": {"code": "malignancy", "within": "2 years"}}}]
