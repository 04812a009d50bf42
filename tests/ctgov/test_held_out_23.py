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


def test_a_lone_equals_sign_before_the_records_own_minimum_age_is_a_lost_at_least() -> None:
    assert _whens("Adults = 21 years of age and < 65 years", registry_age=(21.0, 64.0)) == [
        {"age": {"ge": 21, "lt": 65}}]
    # with no age field to confirm it, or another number, the sign is left for review
    assert _whens("Adults = 21 years of age and < 65 years") == [None]
    assert _whens("Adults = 30 years of age", registry_age=(21.0, 64.0)) == [None]
