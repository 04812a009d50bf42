"""Regression tests for what the sixty-first held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

import json

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _excluded_set(item: str) -> list[str]:
    """The definitions drafted from one exclusion item, in no particular order."""
    return sorted(json.dumps(w, sort_keys=True) for w in _excluded(item))


def _set(*definitions: object) -> list[str]:
    return sorted(json.dumps(w, sort_keys=True) for w in definitions)


def test_a_treatments_duration_beside_a_life_expectancy_is_no_bound_of_it() -> None:
    # 'Adult (>18 years old) outpatients on 3-4 times per week HD sessions for at least 6 weeks with a life expectancy
    # >6 months' had the life expectancy left for review (a library-known miss): 'for at least 6 weeks', how long the
    # dialysis has lasted, was read as another threshold of the sentence
    assert _inclusion("Patients on haemodialysis for at least 3 months, with a life expectancy of more than 1 year") == [
        {"life_expectancy_months": {"gt": 12}}]
    assert _inclusion("Receiving chemotherapy for at least 4 weeks and life expectancy ≥ 12 weeks") == [
        {"life_expectancy_months": {"ge": 2.76}}]
    assert _inclusion("Stable on treatment for at least 2 weeks, life expectancy > 3 months") == [
        {"life_expectancy_months": {"gt": 3}}]
    assert _inclusion("Adults (≥ 18 years) on peritoneal dialysis for at least 90 days with a life expectancy > 1 year") == [
        {"age": {"ge": 18}}, {"life_expectancy_months": {"gt": 12}}]
    # a bound not written as a duration after 'for' still blocks; in an exclusion only both together exclude
    assert _inclusion("Life expectancy > 6 months if on treatment > 4 weeks") == []
    assert _excluded("Life expectancy < 6 months, on dialysis for at least 6 weeks") == []
    # the score a duration bounds stays left beside it
    assert _inclusion("Life expectancy of at least 12 weeks and ECOG ≤ 2 for at least 4 weeks") == [
        {"life_expectancy_months": {"ge": 2.76}}]


def test_an_informed_or_written_consent_refused_is_no_consent() -> None:
    # 'Declined informed consent.' under Exclusion had been left for review (a library-known miss): a consent refused
    # was read only with no word between the verb and 'consent' ('Patients who deny consent')
    no_consent = [{"not": {"ref": "informed_consent_signed"}}]
    assert _excluded("Declined informed consent") == no_consent
    assert _excluded("Refusal of informed consent") == no_consent
    assert _excluded("Patients who decline written informed consent.") == no_consent
    assert _excluded("Patients who refuse written consent") == no_consent
    assert _excluded("Patient denies informed consent") == no_consent
    # as before: with no word between, or with a verb; a consent to something else is not the study's
    assert _excluded("Refused consent") == no_consent
    assert _excluded("Patient refuses to give informed consent") == no_consent
    assert _excluded("Declined informed consent for surgery") == []
    assert _excluded("Refusal of informed consent for genetic testing") == []
    assert _inclusion("Declined informed consent") == []


def test_tuberculosis_named_in_an_exclusions_list_of_diseases_is_active_tuberculosis() -> None:
    # 'Severe life-limiting Comorbidities (malignant tumour, tuberculosis,....)' under Exclusion had drafted the
    # malignancy, one of the diseases listed, but not the tuberculosis beside it (a library-known miss): tuberculosis
    # was read only with 'active' or a history word
    active_tb = {"ref": "active_tuberculosis"}
    assert _excluded_set("Serious comorbidities (tuberculosis, malignancy)") == _set(active_tb, {"ref": "active_malignancy"})
    assert _excluded("Chronic infectious diseases such as tuberculosis or hepatitis B") == [
        {"any": [active_tb, {"ref": "hepatitis_b_positive"}]}]
    assert _excluded_set("Severe systemic disease (e.g. cancer, TB, cirrhosis)") == _set({"ref": "active_malignancy"}, active_tb)
    assert _excluded("Concomitant illnesses including tuberculosis, sarcoidosis") == [active_tb]
    # a history list, a latent infection, a test, an exposure, a treatment or a state of the list: as before
    assert _excluded("History of asthma, tuberculosis or sarcoidosis") == [{"condition": {"code": "tuberculosis"}}]
    assert _excluded("Latent infections (e.g. tuberculosis, herpes zoster)") == []
    assert _excluded("Positive screening tests (HIV, tuberculosis)") == [{"ref": "hiv_positive"}]
    assert _excluded("Close contact with infections (e.g. tuberculosis, measles)") == []
    assert _excluded("Drugs for infections (e.g. tuberculosis, malaria)") == []
    assert _excluded("Uncontrolled infections (e.g. tuberculosis, pneumonia)") == []
    assert _excluded("Tuberculosis exposure") == []
    assert _excluded("Known tuberculosis (TB), or at high risk of it") == []
    assert _inclusion("Comorbidities (tuberculosis, diabetes)") == []


def test_an_age_in_hours_is_not_read_in_years() -> None:
    # probing 'Infant is 12-36 hours of age.': 'Age 12 to 72 hours' had been drafted as an age of 12 to 72 years, and
    # 'Age > 72 hours' under Exclusion as older than 72 years (wrong drafts): the hours were not read as the unit, and
    # a range after 'age' needs none
    assert _inclusion("Age 12 to 72 hours") == []
    assert _inclusion("Age 12-36 hours old") == []
    assert _inclusion("Age ≥ 24 hours") == []
    assert _inclusion("Aged 6 to 48 hrs at enrolment") == []
    assert _excluded("Age > 72 hours") == []
    assert _excluded("Age < 48 hours at randomisation") == []
    # as before: days, weeks and months are not drafted, years are
    assert _inclusion("Age 3 to 10 days") == []
    assert _inclusion("Age 18 to 65") == [{"age": {"between": [18, 65]}}]
    assert _excluded("Age > 75 years") == [{"age": {"gt": 75}}]
    assert _inclusion("Age 1 to 6 months") == []


def test_a_value_at_an_age_named_after_it_is_of_another_time() -> None:
    # probing 'TSB reported as >6.0 mg/dL before 12 hours age': 'Total serum bilirubin > 6.0 mg/dL before 12 hours of
    # age' had been drafted at 0.6 as the latest bilirubin (a wrong draft): the value taken before an age, or at one
    # ('at 24 hours of life'), is not today's
    assert _excluded("Total serum bilirubin > 6.0 mg/dL before 12 hours of age") == []
    assert _excluded("Total bilirubin > 6 mg/dL at 24 hours of life") == []
    assert _excluded("Haemoglobin < 10 g/dL before 6 months of age") == []
    assert _excluded("Platelets < 100,000/mm3 by 2 years of age") == []
    assert _excluded("Creatinine > 1.5 mg/dL at the age of 2 years") == []
    # as before: a value with no age named, or beside the patient's present age, is the latest
    assert _excluded("Total bilirubin > 6 mg/dL") == [{"latest": {"code": "total_bilirubin", "gt": "6 mg/dL"}}]
    assert _excluded("Haemoglobin < 10 g/dL in the last 6 months") != []


def test_minors_with_their_age_stated_are_younger_than_it() -> None:
    # probing 'Minors,' (left for review: the age of majority is not 18 everywhere): with the age stated beside the
    # word, 'Minors (under 18 years)', it had been left too (a miss), 'minors' not read as naming an age class as
    # 'children' and 'adolescents' are
    assert _excluded("Minors (under 18 years)") == [{"age": {"lt": 18}}]
    assert _excluded("Minors, i.e. younger than 18 years") == [{"age": {"lt": 18}}]
    assert _excluded("Minors (< 19 years old)") == [{"age": {"lt": 19}}]
    # as before: the word alone is left; an age with 'age' named is read
    assert _excluded("Minors") == []
    assert _excluded("Minors under the age of 18") == [{"age": {"lt": 18}}]


def test_a_duration_after_for_and_a_sign_is_no_scope_of_people() -> None:
    # probing 'on 3-4 times per week HD sessions for at least 6 weeks': with a sign or 'more than' instead, 'Adults
    # (≥18 years old) on haemodialysis for ≥ 3 months' had its age left for review (a miss), 'for ≥' read as the scope
    # of an age ('for > 12 years of age') though a duration in months follows
    assert _inclusion("Adults (≥18 years old) on haemodialysis for ≥ 3 months") == [{"age": {"ge": 18}}]
    assert _inclusion("Aged 18-75 years, on stable metformin for > 8 weeks") == [{"age": {"between": [18, 75]}}]
    assert _inclusion("Receiving chemotherapy for more than 4 weeks and life expectancy > 6 months") == [
        {"life_expectancy_months": {"gt": 6}}]
    # a scope of people's age stays one: 'of age' or 'old' after it, or a bound in years
    assert _inclusion("Haemoglobin ≥ 9 g/dL for > 12 years of age") == [
        {"any": [{"not": {"age": {"gt": 12}}}, {"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]}]
    assert _inclusion("Haemoglobin ≥ 9 g/dL for < 6 months old") == []
    assert _inclusion("Haemoglobin ≥ 10 g/dL for ≥ 16 years") == []
    # in an exclusion, where only both together exclude, the age stays left
    assert _excluded("Age > 75 years on dialysis for > 3 months") == []


def test_an_excluded_age_joined_to_a_treatment_is_left() -> None:
    # probing 'for > 3 months' in an exclusion: 'Age > 75 years on dialysis' had been drafted at 0.6 as the age alone
    # (a wrong draft: only both together exclude), a treatment right after an age read only after 'with', 'having',
    # 'requiring' or 'undergoing'
    assert _excluded("Age > 75 years on dialysis") == []
    assert _excluded("Patients older than 75 years on haemodialysis") == []
    assert _excluded("Patients older than 80 years receiving anticoagulants") == []
    assert _excluded("Age > 70 years treated with insulin") == []
    assert _excluded("Patients aged over 65 taking warfarin") == []
    # the age at a point named after it stays read; an inclusion's treatment is another requirement
    assert _excluded("Age < 18 years on the date of consent") == [{"age": {"lt": 18}}]
    assert _excluded("Age > 75 years on the day of screening") == [{"age": {"gt": 75}}]
    assert _excluded("Age < 18 years on 1 January") == [{"age": {"lt": 18}}]
    assert _inclusion("Adults ≥ 18 years on haemodialysis") == [{"age": {"ge": 18}}]
