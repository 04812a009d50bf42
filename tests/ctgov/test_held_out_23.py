"""Regression tests for what the twenty-third held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion", registry_age: tuple[float | None, float | None] | None = None
           ) -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind, registry_age=registry_age))]


def test_a_range_whose_upper_bound_has_its_own_operator_keeps_both_bounds() -> None:
    assert _whens("Boys and girls aged from 6 to <18 years") == [{"age": {"ge": 6, "lt": 18}}]
    assert _whens("Children 3 to < 10 years old at enrolment") == [{"age": {"ge": 3, "lt": 10}}]
    assert _whens("Participants between 40 and ≤ 70 years of age") == [{"age": {"between": [40, 70]}}]
    assert _whens("Children aged 3 to under 11 years") == [{"age": {"ge": 3, "lt": 11}}]
    assert _whens("Pupils from 7 years to less than 15 years of age") == [{"age": {"ge": 7, "lt": 15}}]
    assert _whens("Age 13 through 19 years") == [{"age": {"between": [13, 19]}}]
    assert _whens("Adults aged 40 up to and including 80 years") == [{"age": {"between": [40, 80]}}]
    # a number joined before an upper bound that no range reads is not dropped: left for review
    assert _whens("Children from 4 until < 9 years") == [None]
    # two bounds each with its operator stay two bounds
    assert _whens("Aged over 5 and < 12 years") == [{"age": {"gt": 5, "lt": 12}}]
    # the lower bound is never dropped from such a range
    assert {"age": {"lt": 18}} not in _whens("Boys and girls aged from 6 to <18 years")


def test_anticipated_to_live_for_a_time_is_a_life_expectancy() -> None:
    assert _whens("Expected to survive for at least 6 months") == [{"life_expectancy_months": {"ge": 6}}]
    assert _whens("Patient anticipated to live more than 12 weeks.") == [{"life_expectancy_months": {"gt": 2.76}}]
    assert _whens("Likely to live for more than 1 year") == [{"life_expectancy_months": {"gt": 12}}]
    # living somewhere for a time is not a prognosis
    assert _whens("Expected to live in the study area for more than 6 months") == []


def test_an_item_opening_with_volunteering_to_take_part_is_consent() -> None:
    assert _whens("Volunteers to take part in this trial") == [{"ref": "informed_consent_signed"}]
    assert _whens("Volunteering to participate in the research") == [{"ref": "informed_consent_signed"}]
    assert _whens("Volunteer to participate in another interventional study") == []


def test_a_malignancy_opening_a_clause_after_a_semicolon_is_malignancy_in_general() -> None:
    assert {"condition": {"code": "malignancy", "within": "3 years"}} in _whens(
        "Chronic hepatitis requiring treatment; malignancy within the past 3 years", "exclusion")
    # a cancer of one site after the semicolon is still not malignancy in general
    assert not any(w and "condition" in w and w["condition"].get("code") == "malignancy" for w in _whens(
        "Chronic hepatitis requiring treatment; breast cancer within the past 3 years", "exclusion"))


def test_a_lone_equals_sign_before_the_records_own_minimum_age_is_a_lost_at_least() -> None:
    assert _whens("Adults = 21 years of age and < 65 years", registry_age=(21.0, 64.0)) == [
        {"age": {"ge": 21, "lt": 65}}]
    # with no age field to confirm it, or another number, the sign is left for review
    assert _whens("Adults = 21 years of age and < 65 years") == [None]
    assert _whens("Adults = 30 years of age", registry_age=(21.0, 64.0)) == [None]


def test_a_window_shared_by_a_malignancy_and_a_treatment_joined_by_a_slash_dates_both() -> None:
    whens = _whens("Cancer/chemotherapy within the last 3 years", "exclusion")
    assert {"condition": {"code": "malignancy", "within": "3 years"}} in whens
    assert {"medication": {"code": "antineoplastic_agents", "within": "3 years"}} in whens


def test_an_age_with_another_age_for_some_participants_is_left_for_review() -> None:
    # the bound alone would turn away the younger participants the item lets in
    assert _whens("21 years of age or older (18 years with a guardian's consent)") == [None]
    assert _whens("Aged 12 to 17 years, inclusive, or 18 to 25 years if still at school") == [None]
    # a place's own age in parentheses is still drafted, at a lower confidence; 'inclusive' is no other age
    assert _whens("Age ≥ 18 years (19 in Korea)") == [{"age": {"ge": 18}}]
    assert _whens("Aged 12 to 17 years (inclusive)") == [{"age": {"between": [12, 17]}}]
    # younger people let in later in the item with a parent's or guardian's consent
    assert _whens("Aged 18 or over; minors of 15-17 with their guardian's agreement") == [None]
    # a parent's consent for the ages stated is no other age
    assert _whens("Children 7-10 years whose parents agree") == [{"age": {"between": [7, 10]}}]
