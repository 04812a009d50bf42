"""Regression tests for what the sixteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

HIV, HBV, HCV = {"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_aids_named_among_the_infections_is_hiv() -> None:
    # the syndrome of the infection, spelt out or abbreviated in capitals, is the HIV concept
    assert _whens("Seropositive for hepatitis C or acquired immunodeficiency syndrome", "exclusion") == [
        {"any": [HCV, HIV]}]
    assert _whens("Known AIDS or chronic hepatitis B", "exclusion") == [{"any": [HIV, HBV]}]
    # an illness that AIDS defines is not the infection itself; 'aids' in lower case is no syndrome
    assert _whens("Any AIDS-defining opportunistic infection within 30 days", "exclusion") == []
    assert _whens("Requires walking aids", "exclusion") == []


def test_an_age_written_as_a_bound_right_after_the_person_is_an_age() -> None:
    # 'patient > 18 years': the person named, then the bound in years
    assert _whens("Eligible patient ≥ 21 years") == [{"age": {"ge": 21}}]
    assert _whens("Men or women subjects < 75 years") == [{"age": {"lt": 75}}]
    # a duration after the person is not an age
    assert _whens("Patients with diabetes > 10 years") == []


def test_a_performance_status_of_0_to_4_without_its_scale_named_is_the_ecog_scale() -> None:
    # Karnofsky and Lansky scores run 0-100 in tens: a score of 0-4 can only be the ECOG (WHO) scale
    ecog_0_2 = {"latest": {"code": "ecog", "between": [0, 2]}}
    assert _whens("Performance status of 0, 1 or 2.") == [ecog_0_2]
    assert _whens("PS ≤ 1") == [{"latest": {"code": "ecog", "le": 1}}]
    # a Karnofsky or Lansky score named in the item, or a score of the 0-100 kind: not read as ECOG
    assert _whens("Performance status 0-2 or Karnofsky ≥ 60") == []
    assert _whens("Performance status ≥ 70") == []
    assert _whens("PS 1.5 or less") == []


def test_a_research_or_experimental_drug_within_a_window_is_a_trial_participation() -> None:
    assert _whens("Received an experimental medication in the 30 days before randomisation", "exclusion") == [
        {"participation": {"within": "30 days"}}]
    assert _whens("Use of any research drug within 3 months", "exclusion") == [{"participation": {"within": "3 months"}}]
    # the trial's own drug ('our research drug', 'the experimental drug') is not another trial's
    assert _whens("Allergy to the experimental drug", "exclusion") == []
    assert _whens("Live vaccines within 28 days before the start of research treatment, other vaccines within 7 days",
                  "exclusion") == [{"medication": {"code": "vaccines", "within": "7 days"}}]


def test_a_tilde_between_two_numbers_is_a_range() -> None:
    # '19 ~ 26': a range (as East Asian registrations write it), both bounds included
    assert _whens("Body mass index 19 ~ 26 kg/m2, inclusive") == [
        {"latest": {"code": "bmi", "between": ["19 kg/m2", "26 kg/m2"]}}]
    assert _whens("Healthy adults aged 20~45 years") == [{"age": {"between": [20, 45]}}]
