"""Regression tests for what the sixty-third held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_a_subgroup_let_in_with_including_is_no_requirement_of_everyone() -> None:
    # '... advanced refractory solid tumors with no standard treatment options, including some patients with advanced
    # disease in reduced general condition (ECOG 3 and 4).' had been drafted as ECOG 3-4 for everyone (wrong at 0.6):
    # in an inclusion, 'including (some) patients ...' lets a subgroup in beside the others, it asks nothing of them
    assert _inclusion("Metastatic solid tumours, including some patients in poor general condition (ECOG 3 or 4)") == []
    assert _inclusion("Advanced cancer, including patients with ECOG performance status 3-4") == []
    assert _inclusion("Refractory lymphoma, including also patients with a poor performance status (ECOG 2-3)") == []
    assert _inclusion("Adolescents and adults, including those aged 12 to 17 years with parental consent") == []
    assert _inclusion("Chronic kidney disease, including patients with creatinine > 3 mg/dL") == []
    # (probing: the people with a word before them, or named as an age class)
    assert _inclusion("Any age, including children under 2 years") == []
    assert _inclusion("Asthma, including elderly adults over 75 years") == []
    # the people's own bound before the subgroup, or after it past a comma, stays drafted
    assert _inclusion("ECOG performance status 0-2, including patients with brain metastases") == [
        {"latest": {"code": "ecog", "between": [0, 2]}}]
    assert _inclusion("Solid tumours including patients with brain metastases, ECOG 0-1") == [
        {"latest": {"code": "ecog", "between": [0, 1]}}]
    # a measured requirement listed after 'including' (no people named) stays a requirement
    assert _inclusion("Adequate organ function including platelets ≥ 100,000/mm3") == [
        {"latest": {"code": "platelets", "ge": "100 10*3/uL"}}]
    # in an exclusion the patients named after 'including' are excluded too
    assert _excluded("Severe renal disease, including patients with creatinine > 3 mg/dL") == [
        {"latest": {"code": "creatinine", "gt": "3 mg/dL"}}]


def test_agreeing_to_take_part_voluntarily_is_consenting() -> None:
    # 'Healthy adult volunteers (ASA 1 physical state) who agree to participate voluntarily in the study, previous
    # information about it ...' had the consent left (a library-known miss): the adverb after the verb's object was
    # read only before it ('voluntarily agree to participate', 'agree to voluntarily participate')
    assert _inclusion("Volunteers who agree to participate voluntarily in the study") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Patients who agree to take part voluntarily, after being informed about the trial") == [
        {"ref": "informed_consent_signed"}]
    assert _inclusion("Subjects willing to participate voluntarily in this research") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Agrees to participate in the study voluntarily") == [{"ref": "informed_consent_signed"}]
    # not another study, nor agreeing to something else
    assert _inclusion("Agree to participate voluntarily in another study") == []
    assert _inclusion("Agree to participate voluntarily in the follow-up calls") == []


def test_patients_also_eligible_are_a_subgroup_let_in() -> None:
    # probing the subgroup shape: 'Patients aged 16-17 years are also eligible' had been drafted as an age of 16-17 for
    # everyone, 'Patients with platelets < 50,000/mm3 are also eligible' as the platelets (wrong at 0.6): 'also' before
    # the word that lets them in admits them beside the others
    assert _inclusion("Patients aged 16-17 years are also eligible") == []
    assert _inclusion("Patients with platelets < 50,000/mm3 are also eligible") == []
    assert _inclusion("Patients with creatinine clearance of 30-50 mL/min may also be enrolled") == []
    assert _inclusion("Adolescents 12 to 17 years old can also participate") == []
    # a further requirement of the same people, and a bound beside another sentence, stay drafted
    assert _inclusion("Age ≥ 18 years; must also be eligible for surgery") == [{"age": {"ge": 18}}]
    assert _inclusion("Patients with ANC ≥ 1500/mm3 are eligible") == [{"latest": {"code": "neutrophils", "ge": "1.5 10*3/uL"}}]
    assert _inclusion("Age ≥ 18 years. Patients with treated brain metastases are also eligible.") == [{"age": {"ge": 18}}]
    # a subgroup let in inside brackets the definition is not in is the bracket's own
    assert _inclusion("Patients (age 40-75) undergoing knee replacement (patients also undergoing a hip revision are also "
                      "eligible)") == [{"age": {"between": [40, 75]}}]


def test_an_age_with_a_plus_and_its_unit_after() -> None:
    # probing 'Age 16+': '18+ years old', '16+ years of age' had been left (a library-known miss): the plus was read
    # only bare ('Age 16+', 'Adults 18+'), its unit after it not taken as an age's
    assert _inclusion("18+ years old") == [{"age": {"ge": 18}}]
    assert _inclusion("Patients 16+ years of age") == [{"age": {"ge": 16}}]
    assert _inclusion("Women 40+ years of age") == [{"sex": ["female"]}, {"age": {"ge": 40}}]
    assert _excluded("Patients 75+ years old") == [{"age": {"ge": 75}}]
    # a duration written so is no age
    assert _inclusion("Symptoms for 6+ months") == []
    assert _inclusion("Diabetes for 10+ years") == []


def test_an_age_after_the_sexes_and_a_comma() -> None:
    # probing 'Male or female ≥ 18 years': 'Male or female, 18 years or above' and 'Male or female, ≥ 18 years' had the
    # age left (a library-known miss): the sexes named the age only with no comma between
    assert _inclusion("Male or female, 18 years or above") == [{"age": {"ge": 18}}]
    assert _inclusion("Male or female, ≥ 18 years") == [{"age": {"ge": 18}}]
    assert _inclusion("Men and women, 18-65 years") == [{"age": {"between": [18, 65]}}]
    assert _inclusion("Female, 18 years or above") == [{"sex": ["female"]}, {"age": {"ge": 18}}]
    # a time since or of something else after the comma is no age
    assert _inclusion("Male or female, 3 years since diagnosis") == []
    assert _inclusion("Women, 2 years after menopause") == [{"sex": ["female"]}]


def test_an_excluded_age_of_one_sex_after_a_comma() -> None:
    # probing the same shape: under Exclusion, 'Females, 50 years or older' had been drafted as an age of 50 or more for
    # everyone (wrong at 0.9, before this batch too): the one sex named before the comma was not read as whose age it is
    assert _excluded("Females, 50 years or older") == []
    assert _excluded("Men, 60 years or older") == []
    # both sexes named: everyone's age
    assert _excluded("Men and women, 40 years or older") == [{"age": {"ge": 40}}]


def test_voluntarily_agreeing_is_consenting() -> None:
    # probing the same shape: 'Voluntarily agreeing to take part in the study' had the consent left (the verb read in
    # 'agree', 'agrees', 'agreed' only)
    assert _inclusion("Voluntarily agreeing to take part in the study") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Voluntarily agreeing to participate") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Voluntarily agreeing to participate in another trial") == []
