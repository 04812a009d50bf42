"""Regression tests for what the forty-ninth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _latest(code: str, **bound: str) -> dict[str, object]:
    return {"latest": {"code": code, **bound}}


def test_a_blood_pressure_pair_without_a_unit_reads_each_number_as_its_own() -> None:
    # 'Systolic/diastolic blood pressure < 140/90' (no mmHg) had been drafted at 0.7 as systolic and diastolic both
    # below 140 (the pair's first number for both); the pair was read only before 'mmHg'
    assert _inclusion("Systolic/diastolic BP below 135/85") == [
        {"all": [_latest("systolic_bp", lt="135 mm[Hg]"), _latest("diastolic_bp", lt="85 mm[Hg]")]}]
    assert _excluded("SBP/DBP ≥ 150/95 at screening") == [
        {"any": [_latest("systolic_bp", ge="150 mm[Hg]"), _latest("diastolic_bp", ge="95 mm[Hg]")]}]
    assert _excluded("Blood pressure > 160/100") == [
        {"any": [_latest("systolic_bp", gt="160 mm[Hg]"), _latest("diastolic_bp", gt="100 mm[Hg]")]}]
    # with its unit, as before; a pair of other numbers after a blood pressure is no pressure
    assert _excluded("Systolic/diastolic blood pressure > 150/95 mmHg") == [
        {"any": [_latest("systolic_bp", gt="150 mm[Hg]"), _latest("diastolic_bp", gt="95 mm[Hg]")]}]
    assert _excluded("Blood pressure > 160/100 mg") == []
    assert _excluded("Systolic blood pressure > 150 on 2/3 readings") == [_latest("systolic_bp", gt="150 mm[Hg]")]


def test_an_age_outside_a_range_with_the_unit_said_once_after_both_bounds() -> None:
    # '<30 or >69 years old' had been left for review (a library-known miss): the first bound, with no unit, was not
    # read as an age, though the unit and 'old' after the second are both bounds'
    outside = [{"any": [{"age": {"lt": 25}}, {"age": {"gt": 70}}]}]
    assert _excluded("<25 or >70 years old") == outside
    assert _excluded("Under 25 or over 70 years of age") == outside
    assert _excluded("Over 70 or under 25 years old") == outside
    assert _excluded("younger than 25 or older than 70 years") == outside
    # a time since something after the second bound is no age; nor is an 'or' range under Inclusion
    assert _excluded("Less than 18 or more than 2 years since transplant") == []
    assert _inclusion("<25 or >70 years old") == []
    assert _excluded("Body weight < 40 or > 120 kg") == [
        {"any": [_latest("body_weight", lt="40 kg"), _latest("body_weight", gt="120 kg")]}]


def test_the_ecog_abbreviation_in_square_brackets_after_the_scales_name() -> None:
    # 'Eastern Cooperative Oncology Group [ECOG] 0-1' had been left for review (a library-known miss): the abbreviation
    # was read in round brackets only
    ecog = [_latest("ecog", between=[0, 2])]
    assert _inclusion("Eastern Cooperative Oncology Group [ECOG] 0-2") == ecog
    assert _inclusion("Eastern Cooperative Oncology Group performance status [ECOG PS] of 0-2") == ecog
    assert _inclusion("Eastern Cooperative Oncology Group [ECOG] performance status 0 to 2") == ecog
    # round brackets, as before
    assert _inclusion("Eastern Cooperative Oncology Group (ECOG) 0-2") == ecog


def test_uncontrolled_hypertension_named_among_a_treatments_contraindications_excludes() -> None:
    # 'Contraindications to cabergoline (e.g., cardiac valve disorder; ...; uncontrolled hypertension)' had been left
    # for review (a library-known miss): a diagnosis in parentheses was read as an example of a wider class only, but
    # each contraindication named excludes
    active = [{"condition": {"code": "uncontrolled_hypertension", "active": True}}]
    assert _excluded("Contraindications to bromocriptine (e.g., heart valve disease; uncontrolled hypertension)") == active
    assert _excluded("Medical contraindications to varenicline (unstable angina, uncontrolled hypertension)") == active
    assert _excluded("Contraindication to exercise testing (such as uncontrolled hypertension or recent MI)") == active
    # an example of a wider class stays for review, as before
    assert _excluded("Severe heart disease (e.g. uncontrolled hypertension)") == []
    assert _excluded("Cardiovascular disease (uncontrolled hypertension, heart failure)") == []
    # probing: contraindications denied ('No contraindications to surgery (e.g. ...)', an inclusion's words under
    # Exclusion) had been drafted at 0.5 as no uncontrolled hypertension
    assert _excluded("No contraindications to surgery (e.g., uncontrolled hypertension)") == []
    assert _excluded("No known contraindication to MRI (such as uncontrolled hypertension)") == []


def test_one_sex_with_a_disease_as_the_subject_of_an_inclusion_is_that_sex() -> None:
    # 'Female with surgically-confirmed endometriosis, determined at laparoscopy ...' had been left for review (a
    # library-known miss): the sex was read as an inclusion's subject before 'aged', a number or a comma, not 'with'
    female = [{"sex": ["female"]}]
    assert _inclusion("Female with a diagnosis of polycystic ovary syndrome") == female
    assert _inclusion("Women with histologically confirmed breast cancer") == female
    assert _inclusion("Male patients with benign prostatic hyperplasia") == [{"sex": ["male"]}]
    # a rule for women who have something, both sexes, or 'with' after another subject, are not, as before
    assert _inclusion("Women with childbearing potential must use two methods of contraception") == []
    assert _inclusion("Women with a positive pregnancy test at screening are not eligible") == []
    assert _inclusion("Men and women with asthma") == []
    assert _inclusion("Patients with endometriosis") == []
    # a lead-in to the diseases below it stays for review, as before
    assert _inclusion("Women with one of the following autoimmune diseases:") == []


def test_one_sex_named_in_a_clause_after_an_age_is_that_sex() -> None:
    # 'Age: 18 - 75 years old, postmenopausal women or prepostmenopausal women' had been drafted with the age alone (a
    # library-known miss): the sex was read only as the item's subject, before the age
    assert _inclusion("Aged 40 to 70 years, postmenopausal women or premenopausal women") == [
        {"age": {"between": [40, 70]}}, {"sex": ["female"]}]
    assert _inclusion("Age 18 years or older, women") == [{"age": {"ge": 18}}, {"sex": ["female"]}]
    assert _inclusion("Age 50-80 years, males") == [{"age": {"between": [50, 80]}}, {"sex": ["male"]}]
    # both sexes, a rule for one, or a clause after no age, are not
    assert _inclusion("Age 18-75 years, men or women") == [{"age": {"between": [18, 75]}}]
    assert _inclusion("Age 18-75 years, men and women") == [{"age": {"between": [18, 75]}}]
    assert _inclusion("Age 18-75 years, men, women") == [{"age": {"between": [18, 75]}}]
    assert _inclusion("Age 18-45 years, non-pregnant women") == [
        {"age": {"between": [18, 45]}}, {"not": {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}}]
    assert _inclusion("Diagnosed with osteoporosis, postmenopausal women") == []


def test_a_number_run_into_the_operators_last_word_is_its_number() -> None:
    # 'Haemoglobin equal to or greater than100 g/L at enrolment.' had been left for review: the operator's words were
    # read only before a space
    assert _inclusion("Hemoglobin greater than100 g/L") == [_latest("hemoglobin", gt="100 g/L")]
    assert _inclusion("Platelets equal to or more than100 x 10^9/L") == [_latest("platelets", ge="100 10*3/uL")]
    assert _excluded("Serum creatinine more than2 mg/dL") == [_latest("creatinine", gt="2 mg/dL")]
    # with the space, as before
    assert _inclusion("Hemoglobin greater than 100 g/L") == [_latest("hemoglobin", gt="100 g/L")]


def test_a_value_in_the_first_hours_after_admission_is_not_the_latest() -> None:
    # probing the batch's 'High initial morphine equivalent use ≥ 90 mg in the first 24 hours from admission' with
    # measured values found 'Creatinine > 2 mg/dL in the first 24 hours from admission' drafted at 0.6 as the latest
    # creatinine: the value is the one of the stay's first hours, which may be days before screening
    assert _excluded("Creatinine > 2 mg/dL in the first 24 hours from admission") == []
    assert _excluded("Platelets < 100,000/mm3 during the first 48 hours after hospital admission") == []
    assert _inclusion("Haemoglobin above 10 g/dL within the first 2 days of hospitalisation") == []
    # a window counted back from the study's own point, as before
    assert _excluded("Creatinine > 2 mg/dL within 7 days before randomization") == [
        _latest("creatinine", gt="2 mg/dL", within="7 days")]


def test_uncontrolled_hypertension_current_or_previous_is_at_any_time() -> None:
    # probing the batch's 'Breast cancer, current or previous' and 'Thromboembolic disease, current or previous' with
    # the library's diagnoses found 'Uncontrolled hypertension, current or previous' drafted at 0.6 as a present one only
    ever = [{"condition": {"code": "uncontrolled_hypertension"}}]
    assert _excluded("Uncontrolled hypertension, current or previous") == ever
    assert _excluded("Poorly controlled hypertension (past or present)") == ever
    assert _excluded("Current or previous uncontrolled hypertension") == ever
    # a present one, as before
    assert _excluded("Uncontrolled hypertension, current") == [
        {"condition": {"code": "uncontrolled_hypertension", "active": True}}]


def test_a_pregnancy_current_or_previous_is_more_than_the_present_state() -> None:
    # probing the batch's 'Breast cancer, current or previous' with a pregnancy found 'Pregnancy, current or previous'
    # drafted at 0.8 as a pregnancy now with nothing left for review (a past one excludes too): the present state is
    # one way to meet the exclusion, drafted at 0.6 beside the review criterion, as 'Current or past-year pregnancy' is
    for text, ref in (("Pregnancy, current or previous", "pregnant"), ("Breast-feeding (current or past)", "lactating"),
                      ("Pregnant or lactating, currently or previously", "pregnant_or_lactating"),
                      ("Pregnant now or in the past", "pregnant")):
        assert _exclusion(text) == [({"all": [{"sex": ["female"]}, {"ref": ref}]}, 0.6)], text
    # now, as before
    assert _exclusion("Pregnancy, current") == [({"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}, 0.8)]


def test_the_age_of_a_son_or_daughter_is_not_the_participants() -> None:
    # probing the sex before 'with' found 'Women with sons aged 5-10 years' drafted with the sons' age as the
    # participant's (at 0.6); 'with children aged ...' was already someone else's
    assert _inclusion("Women with sons aged 5-10 years") == [{"sex": ["female"]}]
    assert _inclusion("Parents with a daughter younger than 3 years") == []
    assert _inclusion("Mothers having one or more sons under 12 years") == []
    # the participant's own age, as before
    assert _inclusion("Women aged 25-40 years with one child") == [{"sex": ["female"]}, {"age": {"between": [25, 40]}}]
