"""Regression tests for what the nineteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

UNCONTROLLED_HT = {"condition": {"code": "uncontrolled_hypertension", "active": True}}
TRANSPLANT = {"condition": {"code": "organ_transplant"}}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_performance_status_range_written_with_a_tilde() -> None:
    assert _whens("ECOG performance status 1~3") == [{"latest": {"code": "ecog", "between": [1, 3]}}]
    assert _whens("ECOG PS 0 ～ 1.") == [{"latest": {"code": "ecog", "between": [0, 1]}}]
    assert _whens("PS score 0~1") == [{"latest": {"code": "ecog", "between": [0, 1]}}]


def test_hypertension_beyond_the_control_of_drugs_is_uncontrolled() -> None:
    assert _whens("Arterial hypertension not controlled by medication", "exclusion") == [UNCONTROLLED_HT]
    assert _whens("Subjects with high blood pressure beyond drug control", "exclusion") == [UNCONTROLLED_HT]
    # a window or a class elsewhere in the sentence is no blood-pressure threshold
    assert _whens("Hypertension beyond medication control, or NYHA class III-IV heart failure within 6 months",
                  "exclusion")[:1] == [UNCONTROLLED_HT]
    # a threshold still leaves it to the blood-pressure recogniser
    assert UNCONTROLLED_HT not in _whens("Uncontrolled hypertension (systolic 150 or more)", "exclusion")
    assert UNCONTROLLED_HT not in _whens("Uncontrolled hypertension, two readings above 160", "exclusion")


def test_status_post_transplantation_is_a_transplant_recipient() -> None:
    assert _whens("Status post transplantation", "exclusion") == [TRANSPLANT]
    assert _whens("Immunosuppressed patients (HIV, s/p transplantation)", "exclusion")[-1:] == [TRANSPLANT]
    # one organ named, or a planned transplant, is not the library's set
    assert TRANSPLANT not in _whens("Status post kidney transplantation", "exclusion")
