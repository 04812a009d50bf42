"""Regression tests for what the thirty-fourth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "exclusion") -> list[dict[str, Any]]:
    return [f.when for f in recognise(ItemText(text, kind)) if f.when is not None]


def test_creatinine_spelled_without_its_final_e_is_creatinine() -> None:
    # the German and Dutch spelling, as European sponsors write it in English
    assert _whens("Renal insufficiency (serum creatinin above 2.0 mg/dl)") == [
        {"latest": {"code": "creatinine", "gt": "2 mg/dL"}}]
    assert _whens("Creatinin ≤ 1,5 mg/dl", "inclusion") == [{"latest": {"code": "creatinine", "le": "1.5 mg/dL"}}]
    # its clearance is still no creatinine value
    assert _whens("Creatinin clearance below 30 ml/min") != [{"latest": {"code": "creatinine", "lt": "30 mL/min"}}]
    assert all("creatinine" != (w.get("latest") or {}).get("code") for w in _whens("Creatinin clearance below 30 ml/min"))


def test_got_and_gpt_are_the_transaminases() -> None:
    # the older names, glutamic oxaloacetic and glutamic pyruvic transaminase, in capitals
    assert _whens("Hepatic impairment with GPT more than 3 times the upper limit of normal") == [
        {"latest": {"code": "alt", "gt": "3 x ULN"}}]
    assert _whens("Glutamic oxaloacetic transaminase above 2.5 x ULN") == [{"latest": {"code": "ast", "gt": "2.5 x ULN"}}]
    # the English word 'got' is no analyte
    assert _whens("Patients who got more than 2 courses of chemotherapy") == []


def test_an_upper_normal_value_is_the_upper_limit_of_normal() -> None:
    assert _whens("Bilirubin > 1.5 x upper normal value") == [{"latest": {"code": "total_bilirubin", "gt": "1.5 x ULN"}}]
    assert _whens("AST > 3 times the upper limit of normal values") == [{"latest": {"code": "ast", "gt": "3 x ULN"}}]


def test_a_spontaneous_inr_is_left_for_review() -> None:
    # 'spontaneous': the INR without anticoagulants, which the latest value does not say
    assert _whens("Coagulopathy (spontaneous INR above 1.7)") == []
    assert _whens("Spontaneous prothrombin time INR > 2") == []
    # an INR without the word is still read
    assert _whens("INR above 1.7") == [{"latest": {"code": "inr", "gt": 1.7}}]


def test_a_cytopenia_with_a_threshold_is_its_count() -> None:
    # NCT00711542's 'thrombocytopenia \\< 100.000/µl' was missed: the count named by its deficiency
    assert _whens("Severe thrombocytopenia (below 50,000/mm3)") == [{"latest": {"code": "platelets", "lt": "50 10*3/uL"}}]
    assert _whens("Neutropenia < 1.0 x 10^9/L") == [{"latest": {"code": "neutrophils", "lt": "1 10*3/uL"}}]
    # without a count, or graded, it is not read as one
    assert _whens("Heparin-induced thrombocytopenia") == []
    assert _whens("Neutropenia of grade 3 or higher") == []
