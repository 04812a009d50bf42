"""Regression tests for what the forty-fourth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


PREGNANT_OR_NURSING = {"all": [{"sex": ["female"]}, {"ref": "pregnant_or_lactating"}]}


def test_a_plan_after_joined_states_is_every_states_plan() -> None:
    # 'Pregnancy or breast feeding planned during the study' had been drafted at 0.6 as a pregnancy now: the plan
    # after the breast-feeding is the pregnancy's too
    assert _excluded("Pregnancy or lactation planned within the next year") == []
    assert _excluded("Pregnant, breast-feeding or nursing intended during the trial") == []
    # a state alone, or one beside a plan of something else, is drafted as before
    assert _excluded("Pregnancy or lactation") == [PREGNANT_OR_NURSING]
    assert _excluded("Pregnancy or lactation, planned elective surgery") == [PREGNANT_OR_NURSING]


def test_a_difficulty_of_breast_feeding_is_not_the_state() -> None:
    # 'History of pregnancy loss or breast feeding difficulties' had been drafted at 0.6 as breast-feeding now
    assert _excluded("Past miscarriage or lactation problems") == []
    assert _excluded("Breastfeeding difficulties after a previous delivery") == []
    assert _excluded("Currently breastfeeding") == [{"all": [{"sex": ["female"]}, {"ref": "lactating"}]}]


def test_a_value_at_the_time_of_a_transplant_or_biopsy_is_not_the_latest() -> None:
    # 'Serum creatinine > 2.0 mg/dL at the time of transplant' had been drafted at 0.6 as the latest creatinine: a
    # value then (before an enrolment after it, or to come), as 'at the time of surgery' was read
    assert _excluded("Total bilirubin > 3 mg/dL at the time of liver transplantation") == []
    assert _inclusion("Platelet count ≥ 50,000/mm3 at the time of the biopsy") == []
    # a window counted back from the transplant still dates a value before it, as before
    assert _inclusion("Platelet count ≥ 50,000/mm3") == [{"latest": {"code": "platelets", "ge": "50 10*3/uL"}}]


def test_kinds_of_a_class_of_treatments_in_a_parenthesis_after_its_window_share_the_window() -> None:
    # 'Anticancer therapy in the past 3 months (chemo, hormonal therapy)' (test_recognisers) had been left for review
    # since a window after a treatment was made that treatment's alone
    assert _excluded("Antineoplastic treatment within 6 weeks (chemotherapy, biologic agents)") == [
        {"medication": {"code": "antineoplastic_agents", "within": "6 weeks"}}]
    # after one treatment, or as an alternative in the parenthesis, the window stays that treatment's
    assert _excluded("Radiation therapy within 2 weeks (corticosteroids at any time)") == []
    assert _excluded("Chemotherapy within 3 weeks (or corticosteroids at any time)") == [
        {"medication": {"code": "antineoplastic_agents", "within": "3 weeks"}}]


def test_a_decision_of_ones_own_to_take_part_is_consent() -> None:
    # 'People who perfectly understood clinical trial and independently decided to participate in clinical trial.' and
    # '... those who agree to voluntarily decide to participate and to comply with the notice' had been left for review
    consent = {"ref": "informed_consent_signed"}
    assert _inclusion("Subjects who were fully informed and freely decided to take part in this study") == [consent]
    assert _inclusion("Participants who voluntarily decide to participate after hearing the explanation") == [consent]
    # a bare decision, or one to take part in another study, is not
    assert _inclusion("Patients who decided to participate in the program") == []
    assert _inclusion("Those who independently decided to participate in another trial") == []


def _by_sex(value_set: str, op: str, male: str, female: str) -> dict[str, object]:
    return {"any": [{"all": [{"sex": ["male"]}, {"latest": {"code": value_set, op: male}}]},
                    {"all": [{"sex": ["female"]}, {"latest": {"code": value_set, op: female}}]}]}


def test_the_other_sexs_threshold_in_a_bracket_after_one_is_read_by_sex() -> None:
    # 'Body weight: 55kg or higher(female: 50kg or higher) and BMI 18~27kg/m2' had been left for review
    assert _inclusion("Weight 60 kg or more (women: 48 kg or more)") == [_by_sex("body_weight", "ge", "60 kg", "48 kg")]
    assert _inclusion("Haemoglobin ≥ 12.5 g/dL (for females, ≥ 11.5 g/dL) and BMI 19-29 kg/m2") == [
        _by_sex("hemoglobin", "ge", "12.5 g/dL", "11.5 g/dL"), {"latest": {"code": "bmi", "between": ["19 kg/m2", "29 kg/m2"]}}]
    assert _excluded("Hemoglobin < 12 g/dL (women < 11 g/dL)") == [_by_sex("hemoglobin", "lt", "12 g/dL", "11 g/dL")]
    # a bracket that says more than the other sex's threshold is left for review
    assert _excluded("Hemoglobin < 12 g/dL (women: < 10 g/dL if pregnant)") == []


def test_a_rheumatic_diagnosis_suspected_juvenile_named_as_another_disease_dated_or_ruled_out_is_left() -> None:
    # each had been drafted at 0.6 as the diagnosis at any time (probing 'but not of rheumatoid arthritis')
    assert _excluded("Possible rheumatoid arthritis") == []
    assert _excluded("Juvenile rheumatoid arthritis") == []
    assert _excluded("Scleroderma-associated pulmonary hypertension") == []
    assert _excluded("Systemic sclerosis overlap syndrome") == []
    assert _excluded("Ankylosing spondylitis with onset before the age of 16") == []
    assert _inclusion("Hip osteoarthritis (rheumatoid arthritis ruled out)") == []
    # the diagnosis itself, and the item's own negation, as before
    assert _excluded("Rheumatoid arthritis or ankylosing spondylitis") == [
        {"any": [{"condition": {"code": "rheumatoid_arthritis"}}, {"condition": {"code": "ankylosing_spondylitis"}}]}]
    assert _inclusion("Osteoarthritis of the hip, not rheumatoid arthritis") == [
        {"not": {"condition": {"code": "rheumatoid_arthritis"}}}]


def test_what_an_inclusion_names_and_refuses_right_after_is_not_a_requirement() -> None:
    # 'Knee osteoarthritis, HIV infection excluded' had been drafted at 0.6 as HIV required (probing 'but not of
    # rheumatoid arthritis')
    assert _inclusion("Hip fracture, hepatitis C infection excluded") == []
    assert _inclusion("Hip fracture (HIV infection ruled out)") == []
    # named without a refusal, or negated, as before
    assert _inclusion("Adults with HIV infection") == [{"ref": "hiv_positive"}]
    assert _inclusion("Adults, not pregnant") == [{"not": {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}}]


def test_a_diagnosis_named_of_a_relative_right_after_it_is_not_the_participants() -> None:
    # 'Uncontrolled hypertension in a parent' and 'Rheumatoid arthritis in a parent' had been drafted at 0.6 as the
    # participant's (probing the batch's one-line diagnoses)
    assert _excluded("Poorly controlled hypertension in either parent") == []
    assert _excluded("Ankylosing spondylitis in a parent") == []
    assert _excluded("Scleroderma in a twin") == []
    assert _excluded("Poorly controlled hypertension") == [
        {"condition": {"code": "uncontrolled_hypertension", "active": True}}]


def test_the_square_microlitre_sign_is_a_unit_per_microlitre() -> None:
    # 'If screening shows that the white blood cell(WBC) is less than 3000/㎕ or more than 8000/㎕' had been read as
    # counts without a unit (per microlitre assumed), and 'WBC > 8000/㎕ in the cerebrospinal fluid' (probing) drafted at
    # 0.6 as the blood count: the unit stood between the count and the specimen
    assert _exclusion("Platelet count below 75,000/㎕") == [({"latest": {"code": "platelets", "lt": "75 10*3/uL"}}, 0.8)]
    assert _excluded("White blood cells above 10000/㎕ in the cerebrospinal fluid") == []


def test_a_malignancy_at_any_time_named_beside_the_present_one_is_one_at_any_time() -> None:
    # 'Lifetime or current diagnosis of malignancy' (probing 'Lifetime or current diagnosis of Schizophrenia') had been
    # drafted at 0.6 as an active malignancy only
    assert _excluded("Lifetime or current diagnosis of cancer") == [{"condition": {"code": "malignancy"}}]
    assert _excluded("Current diagnosis of cancer") == [{"ref": "active_malignancy"}]


def test_a_value_during_an_earlier_treatment_is_not_the_latest() -> None:
    # 'Leukopenia (WBC < 3000/uL) during prior chemotherapy' (probing the batch's white cell count) had been drafted
    # at 0.6 as the latest count
    assert _excluded("Neutropenia (ANC < 1000/mm3) during previous chemotherapy") == []
    assert _excluded("Platelets < 50,000/mm3 after prior radiotherapy") == []
    assert _excluded("Platelets < 50,000/mm3") == [{"latest": {"code": "platelets", "lt": "50 10*3/uL"}}]


def test_a_younger_age_for_some_place_in_parentheses_leaves_the_bound_for_review() -> None:
    # '≥ 18 years old (≥ 16 years in the UK)' (probing '≥ 18 years old') had been drafted at 0.6 as >= 18, which would
    # turn away the younger participants the parenthesis lets in
    assert _inclusion("Aged 18 years or older (16 years or older in Scotland)") == []
    # a higher local age: the bound still holds everywhere, as before (at 0.6, the local age in the reading)
    assert _inclusion("Aged 18 years or older (20 years or older in Japan)") == [{"age": {"ge": 18}}]


def test_a_pregnancy_in_the_perfect_is_one_at_some_time_not_now() -> None:
    # 'Women who have been pregnant' and 'had been pregnant' (probing '...; or were pregnant;') had been drafted at 0.8
    # as pregnant now; 'Women who have never been pregnant' at 0.6 as not pregnant now
    assert _excluded("Participants who had been pregnant before") == []
    assert _excluded("Females who have ever been pregnant") == []
    assert _inclusion("Women who have never been pregnant") == []
    # the present state, also with its duration, as before
    assert _excluded("Were pregnant or breastfeeding") == [PREGNANT_OR_NURSING]


def test_a_pregnancy_had_or_dated_at_a_past_time_is_not_the_present_one() -> None:
    # 'Women who have had a pregnancy', 'Women pregnant at the time of diagnosis' and 'Pregnant in a previous study'
    # (probing) had been drafted at 0.8 as pregnant now
    assert _excluded("Patients who have had a pregnancy") == []
    assert _excluded("Pregnant women at the time of the diagnosis") == []
    assert _excluded("Pregnancy during a prior trial") == []
    # now, at the study's own points, as before
    assert _excluded("Pregnant at enrolment") == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]
    assert _excluded("Pregnant or breastfeeding at the time of screening") == [PREGNANT_OR_NURSING]


def test_a_value_or_a_consent_of_an_earlier_study_is_not_this_ones() -> None:
    # 'BMI 18-30 kg/m2 in the previous study' (0.8), 'Hemoglobin < 10 g/dL in the parent study' and 'Signed informed
    # consent in the parent study' (0.6) had been drafted as the latest value and this study's consent
    assert _inclusion("Body mass index 19-32 kg/m2 in the prior trial") == []
    assert _excluded("Haemoglobin below 9 g/dL during the parent study") == []
    assert _inclusion("Written informed consent given in the feeder study") == []
    assert _inclusion("Written informed consent for this study") == [{"ref": "informed_consent_signed"}]
