"""Regression tests for what the twenty-second held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_minimum_before_the_life_expectancy_is_its_lower_bound() -> None:
    assert _whens("A minimum life expectancy of 12 weeks") == [{"life_expectancy_months": {"ge": 2.76}}]
    assert _whens("Minimal expected survival of 6 months.") == [{"life_expectancy_months": {"ge": 6}}]
    # a maximum is no lower bound
    assert {"life_expectancy_months": {"ge": 6}} not in _whens("Maximum life expectancy of 6 months", "exclusion")


def test_a_window_counted_from_another_treatment_is_not_counted_from_now() -> None:
    chemo = {"medication": {"code": "antineoplastic_agents", "within": "12 months"}}
    assert chemo not in _whens("Palliative chemotherapy started within 12 months of completing neoadjuvant treatment",
                               "exclusion")
    assert chemo not in _whens("Systemic chemotherapy given within 12 months of the end of adjuvant radiotherapy",
                               "exclusion")
    # a window from the study's own start is still one from the screening date
    assert {"medication": {"code": "antineoplastic_agents", "within": "4 weeks"}} in _whens(
        "Chemotherapy within 4 weeks of the first dose of study drug", "exclusion")


def test_in_an_exclusion_a_threshold_joined_by_or_to_another_named_measure_is_that_measures() -> None:
    hgb = {"latest": {"code": "hemoglobin", "lt": "9.5 g/dL"}}
    assert hgb in _whens("Hematocrit below 28 % or hemoglobin < 9.5 g/dL at screening", "exclusion")
    # in an inclusion the other measure is an alternative: not drafted
    assert {"latest": {"code": "hemoglobin", "ge": "9.5 g/dL"}} not in _whens("Hematocrit ≥ 28 % or hemoglobin ≥ 9.5 g/dL")
    # a bare second threshold after 'or' is another value of the same measure: still not drafted
    assert hgb not in _whens("Hemoglobin < 9.5 g/dL or < 11 g/dL in transfused patients", "exclusion")


def test_a_bare_number_and_younger_is_an_age_as_and_older_is() -> None:
    assert _whens("Subjects 64 and younger", "exclusion") == [{"age": {"le": 64}}]
    assert _whens("Children 11 or younger are excluded, as are those with known HIV infection", "exclusion") == [
        {"age": {"le": 11}}, {"ref": "hiv_positive"}]


def test_a_voluntary_willingness_to_take_part_is_consent() -> None:
    consent = {"ref": "informed_consent_signed"}
    assert _whens("Voluntarily willing to take part in this research") == [consent]
    assert _whens("Participants must be voluntary willing to participate.") == [consent]
    # a bare willingness stays for review, and so does a voluntary willingness to do something else
    assert _whens("Willing to participate") == []
    assert _whens("Voluntarily willing to participate in another trial") == []
