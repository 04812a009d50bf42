"""Regression tests for what the thirtieth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_an_age_at_diagnosis_in_parentheses_is_not_todays_age() -> None:
    # '(at time of first diagnosis ...)' after the range: the age when the disease was found, with or
    # without 'the', in parentheses or not
    for text in ("Aged 3 to 21 years (at time of first diagnosis of medulloblastoma)",
                 "Age 16 or older at time of diagnosis",
                 "Age: 1-30 (at the time of initial diagnosis)"):
        assert all(w is None for w in _whens(text)), text
    # a point of the study itself is today's age
    assert _whens("Age 18-70 (at time of enrollment)") == [{"age": {"between": [18, 70]}}]


def test_an_organ_allograft_is_an_organ_transplant() -> None:
    assert _whens("Recipient of a solid organ allograft", "exclusion") == [{"condition": {"code": "organ_transplant"}}]
    assert _whens("Prior organ allografts", "exclusion") == [{"condition": {"code": "organ_transplant"}}]
    # one organ's allograft is not the library's set of organs
    assert _whens("Kidney allograft recipients", "exclusion") == []


def test_a_life_expectancy_labelled_with_a_colon() -> None:
    # the PDQ layout's 'Life expectancy:' label followed by its bound on the same line
    assert _whens("Life expectancy: more than 6 months") == [{"life_expectancy_months": {"gt": 6}}]
    assert _whens("Life expectancy:   at least 16 weeks") == [{"life_expectancy_months": {"ge": 3.68}}]


def test_an_age_bound_linked_to_the_person_by_a_verb() -> None:
    # 'patients were younger than', 'subjects must be older than': the person names the age as 'patients
    # younger than' does
    assert _whens("Subjects must be older than 40 years") == [{"age": {"gt": 40}}]
    assert _whens("All enrolled patients were younger than 60 years, and their prognosis was good.") == [
        {"age": {"lt": 60}}]
    assert _whens("Participants are over 65 years", "exclusion") == [{"age": {"gt": 65}}]
    # a weight after the same words is not an age
    assert _whens("Patients must be over 45 kg") == []


def test_years_since_or_of_something_after_a_person_are_not_an_age() -> None:
    # probing the verb-linked person found these read as ages at 0.9: a time since an event, after it or
    # of a period is a duration
    for text in ("Subjects less than 3 years since kidney transplantation", "Patients over 10 years post transplant",
                 "Participants with over 5 years of follow-up", "Women more than 1 year postmenopausal"):
        assert all(w is None or "age" not in w for w in _whens(text)), text
    assert _whens("Adults over 21 years of age") == [{"age": {"gt": 21}}]
    assert _whens("Patients younger than 16 years", "exclusion") == [{"age": {"lt": 16}}]


def test_an_age_linked_by_a_verb_to_one_sex_is_that_sex_s_rule() -> None:
    # 'Men must be older than 50 years': a rule for men, which would turn away younger women if drafted
    # for all (as 'men aged over 50' is)
    for text in ("Males must be older than 55 years", "Women were younger than 35 years"):
        assert all(w is None for w in _whens(text)), text
    assert _whens("Men and women must be over 21 years") == [{"age": {"gt": 21}}]


def test_years_of_either_sex_or_any_origin_are_still_an_age() -> None:
    # 'of' after the years names a duration ('5 years of follow-up') but not the people: 'of either sex',
    # 'of both genders', 'of any race'; nor after 'aged'
    assert _whens("Participants over 21 years of either gender") == [{"age": {"gt": 21}}]
    assert _whens("Adults 30 years or older of any race") == [{"age": {"ge": 30}}]
    assert _whens("Boys and girls aged 6 to 11 years of both sexes") == [{"age": {"between": [6, 11]}}]
