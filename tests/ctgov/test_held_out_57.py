"""Regression tests for what the fifty-seventh held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _latest(code: str, **bound: object) -> dict[str, object]:
    return {"latest": {"code": code, **bound}}


def test_full_width_comparison_signs_are_read_as_their_ascii_form() -> None:
    # 'malnourished (BMI＜18.5)' (a full-width '＜', CJK typing) had been left unread beside the other bound of its item
    assert _excluded("Body mass index ＜ 17 kg/m2") == [_latest("bmi", lt="17 kg/m2")]
    assert _excluded("Serum creatinine ＞ 1.5 mg/dL") == [_latest("creatinine", gt="1.5 mg/dL")]
    assert _excluded("Age＜18 years") == [{"age": {"lt": 18}}]
    assert _inclusion("Aged ＞ 65 years") == [{"age": {"gt": 65}}]
    assert _inclusion("Hemoglobin＞＝10 g/dL") == [_latest("hemoglobin", ge="10 g/dL")]
    # the ASCII and mathematical signs read as before
    assert _excluded("Body mass index < 17 kg/m2") == [_latest("bmi", lt="17 kg/m2")]
    assert _excluded("Serum creatinine ≧ 1.5 mg/dL") == [_latest("creatinine", ge="1.5 mg/dL")]


def test_two_named_states_each_defined_in_brackets_joined_by_or_are_one_alternative() -> None:
    # 'Overweight (BMI≥25) or malnourished (BMI<18.5) patients' had been drafted as two definitions at 0.6, each bound
    # on its own: the two bracketed definitions are alternatives, one `any:`
    outside = {"any": [_latest("bmi", gt="30 kg/m2"), _latest("bmi", lt="18 kg/m2")]}
    assert _excluded("Obese (BMI > 30) or underweight (BMI < 18) subjects") == [outside]
    assert _excluded("Obesity (BMI >30 kg/m2), or severe underweight (BMI <18 kg/m2)") == [outside]
    assert _excluded("Severe obesity (body mass index ≥ 40 kg/m2) or cachexia (body mass index < 16 kg/m2)") == [
        {"any": [_latest("bmi", ge="40 kg/m2"), _latest("bmi", lt="16 kg/m2")]}]
    assert _inclusion("Underweight (BMI < 18.5 kg/m2) or obese (BMI ≥ 30 kg/m2) adults") == [
        {"any": [_latest("bmi", lt="18.5 kg/m2"), _latest("bmi", ge="30 kg/m2")]}]
    # bounds of one value without brackets as before; a bracketed definition beside a state of no value stays apart
    assert _excluded("BMI > 30 or < 18 kg/m2") == [outside]
    assert _excluded("Obese (BMI > 30) and diabetic (HbA1c > 8%)") != [
        {"any": [_latest("bmi", gt="30 kg/m2"), _latest("hba1c", gt="8 %")]}]


def test_an_age_by_the_time_of_entry_is_the_age_at_screening() -> None:
    # 'Male or female patient, aged 12 years or older by the time of study entry' had been left for review (a
    # library-known miss): the point of entry was read after 'at' or 'on' only
    assert _inclusion("Boys or girls aged 6 years or older by the time of enrolment") == [{"age": {"ge": 6}}]
    assert _inclusion("Aged 40 to 75 years by the time of screening") == [{"age": {"between": [40, 75]}}]
    assert _inclusion("Patients 18 years of age or older by study entry") == [{"age": {"ge": 18}}]
    assert _excluded("Younger than 16 years by the date of informed consent") == [{"age": {"lt": 16}}]
    # 'at the time of' read as before; an age by a past event stays left
    assert _inclusion("Aged 6 years or older at the time of enrolment") == [{"age": {"ge": 6}}]
    assert _inclusion("Diagnosed with diabetes by 30 years of age") == []
    assert _inclusion("Aged 65 years or older by the end of the study") == []
    assert _inclusion("Aged 65 years or older by the time of the last study visit") == []


def test_a_pregnancy_plan_in_a_negated_list_is_inside_the_negation() -> None:
    # 'Not pregnant, lactating, or planning to become pregnant' under Inclusion had been left for review (a
    # library-known miss), the plan read as an alternative to the negation: it is one more thing negated, left to review
    not_pregnant_or_lactating = {"not": {"all": [{"sex": ["female"]}, {"ref": "pregnant_or_lactating"}]}}
    assert _inclusion("Not pregnant, breastfeeding, or planning to become pregnant") == [not_pregnant_or_lactating]
    assert _inclusion("Not pregnant or nursing or planning a pregnancy during the study") == [not_pregnant_or_lactating]
    assert _inclusion("Women not pregnant or lactating, or intending to conceive") == [not_pregnant_or_lactating]
    assert _inclusion("Not pregnant, or planning to become pregnant") == [
        {"not": {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}}]
    # an alternative of another kind after the negation stays an alternative
    assert _inclusion("Not pregnant or lactating, or surgically sterile") == []


def test_a_pregnancy_plans_period_written_with_a_sign_dates_the_plan() -> None:
    # 'Currently pregnant women or women planning on becoming pregnant ≤ 6 months' had been left for review (a
    # library-known miss): the '≤ 6' of the plan's period was read as another threshold of the item
    pregnant = {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}
    assert _excluded("Pregnant women or women planning to become pregnant ≤ 12 months") == [pregnant]
    assert _excluded("Pregnancy, or planning a pregnancy < 6 months after the last dose") == [pregnant]
    assert _excluded("Women who are pregnant or intend to become pregnant in < 3 months") == [pregnant]
    # a threshold of another measure beside the pregnancy still leaves the item
    assert _excluded("Pregnant women with a BMI ≥ 35") != [pregnant]


def test_a_range_with_no_unit_of_a_measure_of_one_scale() -> None:
    # 'BMI 19-26' had not been read (a miss outside the library): a range was read only with its unit, a bound with
    # none ('BMI ≥25') being read in the measure's one unit
    assert _inclusion("BMI 20-28") == [_latest("bmi", between=["20 kg/m2", "28 kg/m2"])]
    assert _inclusion("Body mass index between 18.5 and 30") == [
        _latest("bmi", between=["18.5 kg/m2", "30 kg/m2"])]
    assert _inclusion("LVEF 40-49") == [_latest("lvef", between=["40 %", "49 %"])]
    # with a unit as before; a measure of several units still needs one
    assert _inclusion("BMI 20-28 kg/m2") == [_latest("bmi", between=["20 kg/m2", "28 kg/m2"])]
    assert _inclusion("Hemoglobin 10-16") == []
    assert _inclusion("Creatinine 1-2") == []


def test_two_ranges_of_one_measure_are_left_for_review() -> None:
    # probing the batch's ranges found 'Ejection fraction 40-50% at baseline and 30-40% at week 4' drafted at 0.8 as
    # the first range alone (the second, at another time, not seen): which holds when is left for review
    assert _inclusion("Ejection fraction 40-50% at baseline and 30-40% at week 4") == []
    assert _inclusion("BMI 18-25 kg/m2 for men, 17-24 kg/m2 for women") == []
    # one range as before
    assert _inclusion("Ejection fraction 40-50%") == [_latest("lvef", between=["40 %", "50 %"])]
    assert _inclusion("HbA1c 7.5 - 10 % (58 - 86 mmol/mol)") == [_latest("hba1c", between=["7.5 %", "10 %"])]
