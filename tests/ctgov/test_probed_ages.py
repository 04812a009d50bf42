"""Regression tests for ages probed apart from the fixture records: others enrolled beside those an age bounds, and
a second age for some participants in another sentence. The expected definitions are read by hand from these
example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_others_enrolled_beside_those_the_age_bounds_leave_it_for_review() -> None:
    # 'Children aged 6 to 17 years and their parents' had been drafted at 0.6 as age 6-17, which turns the parents away
    assert _inclusion("Children aged 6 to 17 years and their parents") == []
    assert _inclusion("Adolescents 12-17 years old and their primary caregiver") == []
    assert _inclusion("Patients aged 65 or older and their family caregivers") == []
    assert _inclusion("Children aged 2-12 years and parents willing to participate") == []
    # a clause on those others is no enrolment of theirs: the children's age stands
    assert _inclusion("Children aged 2-12 years and their parent or guardian must consent") == [{"age": {"between": [2, 12]}}]
    # as before
    assert _inclusion("Children aged 6 to 17 years") == [{"age": {"between": [6, 17]}}]
    assert _inclusion("Age 18 or older and ECOG 0-1") == [{"age": {"ge": 18}},
                                                          {"latest": {"code": "ecog", "between": [0, 1]}}]


def test_a_second_age_on_the_same_side_in_another_sentence_is_another_age_for_some() -> None:
    # 'Male or female, 18 years or older; for Part B, 12 years or older' had been drafted at 0.6 as age >= 18, which
    # turns Part B's adolescents away
    assert _inclusion("Male or female, 18 years or older; for Part B, 12 years or older") == []
    assert _excluded("Age less than 18 years; or older than 75 years for the surgical arm") == []
    # a bound on the other side is a second requirement: the first still drafted (at 0.6, the rest for review)
    assert _inclusion("Age >= 18 years. Age <= 75 years.") == [{"age": {"ge": 18}}]
    # a place's own age is the local age, as in parentheses
    assert _inclusion("Male or female, age at least 18 years. For Japan: age at least 20 years") == [{"age": {"ge": 18}}]


def test_a_bound_written_before_the_word_age_is_read_reversed() -> None:
    # '18 years ≤ age < 65 years' had been drafted at 0.9 as age < 65 alone (its lower bound dropped)
    assert _inclusion("18 years ≤ age < 65 years") == [{"age": {"ge": 18, "lt": 65}}]
    assert _inclusion("18 ≤ age ≤ 75") == [{"age": {"between": [18, 75]}}]
    assert _inclusion("65 > age >= 18") == [{"age": {"lt": 65, "ge": 18}}]
    assert _inclusion("Platelets ≥ 100 x 10^9/L, age ≥ 18") == [
        {"latest": {"code": "platelets", "ge": "100 10*3/uL"}}, {"age": {"ge": 18}}]
