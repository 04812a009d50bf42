"""Phrasings that named a measure in brackets or next to another one, each phrased apart from the
texts it was noticed in. The expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_performance_status_with_its_scale_named_in_brackets() -> None:
    assert _whens("Performance status (WHO) 0 to 2") == [{"latest": {"code": "ecog", "between": [0, 2]}}]
    assert _whens("performance score [ECOG] ≤ 1") == [{"latest": {"code": "ecog", "le": 1}}]
    # another scale in brackets is not the ECOG one
    assert _whens("Performance status (Karnofsky) 70-100") == []


def test_in_an_inclusion_a_threshold_after_and_with_its_own_measure_is_that_measures() -> None:
    # 'and' joins two requirements of an inclusion: the score's threshold does not qualify the age
    assert {"age": {"ge": 21}} in _whens("Aged 21 years or over and Lansky score >= 60")
    assert {"age": {"ge": 18}} in _whens("Age >= 18 years and Karnofsky performance status of at least 60%")
    # a bound after another measure named behind the age word is that measure's, not a second age
    assert {"age": {"ge": 18}} in _whens("Age 18 or more and Karnofsky > 60")
    # in an exclusion both together exclude: the age alone would exclude more than the item
    assert {"age": {"gt": 65}} not in _whens("Age > 65 years and Karnofsky < 70", "exclusion")
    # no measure named after the 'and': another value of the same one, not drafted
    assert {"age": {"ge": 18}} not in _whens("Age >= 18 years and >= 16 years with consent of a parent")


HIV, HBV, HCV = {"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}


def test_an_anti_virus_antibody_is_the_virus_test_not_a_drug() -> None:
    # 'anti-HCV' is the antibody: a positive one is what the library's hepatitis C concept counts
    assert _whens("Anti-HCV reactive at screening", "exclusion") == [HCV]
    assert _whens("Seropositive for HBsAg, anti-HCV or anti-HIV 1/2", "exclusion") == [{"any": [HBV, HCV, HIV]}]
    assert _whens("Negative anti-HCV and HBsAg") == [{"not": {"any": [HCV, HBV]}}]
    # a drug against the virus is still none
    assert _whens("Anti-HIV agents within the last 4 weeks", "exclusion") == []
    assert _whens("Strong CYP3A4 inhibitors (e.g. ketoconazole, anti-HCV medications)", "exclusion") == []


def test_an_age_without_its_unit_and_a_score_in_percent_after_and() -> None:
    # the age's span ends before the space that precedes 'and'
    assert _whens("Age >= 21 and Lansky play-performance score >= 60%") == [{"age": {"ge": 21}}]


TB_WITHIN_2_YEARS = {"condition": {"code": "tuberculosis", "within": "2 years"}}


def test_active_tuberculosis_within_a_window_is_a_tuberculosis_record_in_that_window() -> None:
    # active at some time in the window: a diagnosis record of the disease overlapping it
    assert _whens("Active TB at any time during the past 2 years", "exclusion") == [TB_WITHIN_2_YEARS]
    assert _whens("No active tuberculosis within the last 2 years") == [{"not": TB_WITHIN_2_YEARS}]
    # latent infection is not in the value set: drafted for the active part, and the item says more
    found = recognise(ItemText("Latent or active tuberculosis in the past 2 years", "exclusion"))
    assert [f.when for f in found] == [TB_WITHIN_2_YEARS] and found[0].leaves
