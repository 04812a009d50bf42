"""Regression tests for what the twenty-eighth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise
from tests.ctgov.test_held_out_17 import _drafted  # drafts of a record with this criteria text, by item


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_items_under_a_numeral_count_of_the_following_are_alternatives() -> None:
    # 'meets 2 of the following' offers alternatives as 'one of the following' does: an age inside one
    # of them is that alternative's, not the trial's
    text = ("Inclusion Criteria:\n\n* Biopsy-proven sarcoma fulfilling 1 of the following risk groups:\n"
            "  - Metastatic disease and older than 10 years\n  - Localised disease, age 2 years or over, with a "
            "poor response\n* Age 40 years or younger\n")
    drafted = _drafted(text)
    assert ("inclusion", "1.1") not in drafted and ("inclusion", "1.2") not in drafted
    assert drafted[("inclusion", "2")] == [{"age": {"le": 40}}]
    # 'all 2 of the following' requires each
    drafted = _drafted("Inclusion Criteria:\n\n* Must meet all 2 of the following:\n  - Age 18 years or older\n")
    assert drafted[("inclusion", "1.1")] == [{"age": {"ge": 18}}]


def test_an_age_at_diagnosis_is_not_todays_age() -> None:
    # the age when the disease was found ('21 or younger at first diagnosis') bounds a past age
    assert all(w is None for w in _whens("Patients 21 or younger at the time of first diagnosis"))
    assert all(w is None for w in _whens("Aged 25 years and under at original diagnosis"))
    assert _whens("Aged 25 years and under") == [{"age": {"le": 25}}]


def test_a_history_of_uncontrolled_hypertension_is_not_only_a_current_one() -> None:
    assert _whens("Past history of uncontrolled hypertension", "exclusion") == [
        {"condition": {"code": "uncontrolled_hypertension"}}]
    assert _whens("Uncontrolled hypertension", "exclusion") == [
        {"condition": {"code": "uncontrolled_hypertension", "active": True}}]


def test_a_threshold_marked_with_a_footnote_is_drafted_below_confidence() -> None:
    # 'at least 75,000/uL*': the asterisk points to a note that may qualify the bound (waived for
    # some), which the item does not show: drafted, but not at a confidence that applies it unread
    for text in ("Platelets at least 75,000/uL* (no transfusion in the last week)", "WBC greater than 3,000/mm3*"):
        findings = [f for f in recognise(ItemText(text, "inclusion")) if f.when is not None]
        assert findings and all(f.confidence < 0.8 and f.leaves for f in findings)
    # no mark, or markdown emphasis: as before
    assert [f.confidence >= 0.8 for f in recognise(ItemText("WBC greater than 3,000/mm3", "inclusion"))] == [True]
    assert [f.confidence >= 0.8 for f in recognise(ItemText("**WBC greater than 3,000/mm3**", "inclusion"))] == [True]


def test_a_bare_range_under_an_age_heading_is_the_age() -> None:
    # the PDQ layout's 'Age' sub-heading, then '21 to 70' with no unit: years
    under_age = ("Age",)
    assert [f.when for f in recognise(ItemText("21 to 70", "inclusion", ancestors=under_age))] == [
        {"age": {"between": [21, 70]}}]
    assert [f.when for f in recognise(ItemText("21-70", "inclusion", ancestors=under_age))] == [
        {"age": {"between": [21, 70]}}]
    # not a range further into the text, nor one without the heading
    assert recognise(ItemText("21 to 70", "inclusion")) == []


def test_a_measured_gfr_is_not_an_estimated_one() -> None:
    # a GFR measured by a radioisotope or a tracer is a different test from the eGFR of the lab report
    for text in ("Nuclear GFR of at least 70 mL/min", "Isotopic glomerular filtration rate >= 50 mL/min",
                 "Creatinine clearance or measured GFR at least 60 mL/min"):
        assert all(w is None for w in _whens(text)), text
    assert _whens("GFR at least 60 mL/min/1.73 m2") == [{"latest": {"code": "egfr", "ge": "60 mL/min/{1.73_m2}"}}]


def test_viral_hepatitis_unnamed_is_hepatitis_b_or_c_at_low_confidence() -> None:
    # 'viral hepatitis' with no virus named: B and C are what a screener checks; A, D and E are
    # left to the item's review, so the draft is not confident
    b_or_c = {"any": [{"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}
    found = recognise(ItemText("Chronic viral hepatitis", "exclusion"))
    assert [f.when for f in found] == [b_or_c] and found[0].confidence < 0.8 and found[0].leaves
    assert [f.when for f in recognise(ItemText("Free of active viral hepatitis", "inclusion"))] == [{"not": b_or_c}]
    # a named virus is that virus only
    assert _whens("Viral hepatitis B", "exclusion") == [{"ref": "hepatitis_b_positive"}]
    # and HIV beside it keeps its own confidence when a hepatitis is named
    assert [f.confidence >= 0.8 for f in recognise(ItemText("Known HIV infection", "exclusion"))] == [True]


def test_pdq_sub_headings_run_together_in_one_line_end_their_sentences() -> None:
    # the old PDQ layout sometimes runs a section's sub-headings into one line: each 'Label:' starts a
    # sentence, so an exception under 'Other:' does not hold back the age under 'Age:'
    text = ("PATIENT CHARACTERISTICS: Age: 21 and over Performance status: ECOG 0-2 Renal: Creatinine no "
            "greater than 2 times ULN Other: No prior malignancy except nonmelanoma skin cancer")
    whens = [f.when for f in recognise(ItemText(text, "inclusion"))]
    assert {"age": {"ge": 21}} in whens
    assert {"latest": {"code": "ecog", "between": [0, 2]}} in whens
    assert {"latest": {"code": "creatinine", "le": "2 x ULN"}} in whens
