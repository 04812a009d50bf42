"""Regression tests for what probing the shapes of the forty-first held-out batch found (its first run drafted
nothing wrong), each phrased apart from the fixture texts: the expected definitions are read by hand from these
example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

_NOT_CONSENTED = {"not": {"ref": "informed_consent_signed"}}


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_an_exclusion_of_those_unable_to_consent_is_a_capacity_not_a_consent_record() -> None:
    # 'Inability to provide informed consent by the patient or the surrogate' was left for review, as the tables
    # read 'Unable to provide informed consent'; 'Lack of capacity to give informed consent' and its kin had been
    # drafted at 0.7 as no signed consent
    assert _excluded("Lack of capacity to give informed consent") == []
    assert _excluded("Not capable of giving written informed consent") == []
    assert _excluded("Participants without the capacity to sign the informed consent form") == []
    assert _excluded("No ability to provide informed consent") == []
    assert _excluded("Subjects not able to give informed consent") == []
    assert _excluded("Patient not competent to provide written informed consent") == []
    # an unwillingness besides it is a refusal, and a consent that is missing is no capacity: both still drafted
    assert _excluded("Not able or unwilling to sign the informed consent form") == [_NOT_CONSENTED]
    assert _excluded("Lack of signed informed consent") == [_NOT_CONSENTED]
    assert _excluded("Patients who did not give written informed consent") == [_NOT_CONSENTED]
    # in an inclusion the ability to consent is read as the consent, as before
    assert _inclusion("Patient or surrogate able to give written informed consent") == [
        {"ref": "informed_consent_signed"}]


def test_a_value_of_another_fluid_named_after_it_or_by_the_effusion_is_not_the_bloods() -> None:
    # the batch's pleural fluid, named after the value or as 'the effusion', 'the aspirate', 'the drain fluid': each
    # had been drafted at 0.8 as the blood's latest value
    assert _excluded("Glucose below 60 mg/dL in pleural fluid") == []
    assert _excluded("Haemoglobin in the effusion greater than 10 g/dL") == []
    assert _excluded("LDH > 1000 U/L of the effusion") == []
    assert _excluded("Platelet count below 50,000/mm3 in the aspirate") == []
    assert _excluded("Haemoglobin above 8 g/dL in the drainage fluid") == []
    assert _excluded("White cell count above 5,000/mm3 in the cerebrospinal fluid") == []
    assert _excluded("Creatinine above 2 mg/dL in urine") == []
    # the blood's value is read beside an effusion in another clause or named as the disease, and with a point in
    # time after it
    assert _excluded("Malignant effusion with haemoglobin < 9 g/dL") == [{"latest": {"code": "hemoglobin", "lt": "9 g/dL"}}]
    assert _excluded("Haemoglobin below 9 g/dL, or pericardial effusion requiring drainage") == [
        {"latest": {"code": "hemoglobin", "lt": "9 g/dL"}}]
    assert _excluded("Platelets < 100,000/mm3 on the day of the pleural procedure") == [
        {"latest": {"code": "platelets", "lt": "100 10*3/uL"}}]
    assert _inclusion("Serum creatinine at most 1.5 mg/dL in the last 2 weeks") == [
        {"latest": {"code": "creatinine", "le": "1.5 mg/dL", "within": "2 weeks"}}]


def test_a_cancer_of_one_site_named_after_it_or_a_screening_is_not_any_malignancy() -> None:
    # as 'Malignant pleural mesothelioma' and 'lung cancer' are left alone; each had been drafted at 0.6 as any
    # malignancy (ever, or within the window)
    assert _excluded("Previous cancer of the breast") == []
    assert _excluded("Cancer of the colon within the past 5 years") == []
    assert _excluded("History of malignancy in the right kidney") == []
    # a screening for cancer, and a surgery for it, are no diagnosis
    assert _excluded("Cancer screening in the past year") == []
    assert _excluded("History of cancer surgery within 3 years") == []
    # any site, and a window after 'in', are still malignancy in general
    assert _excluded("Previous cancer of any site") == [{"condition": {"code": "malignancy"}}]
    assert _excluded("Malignancy in the past 5 years") == [{"condition": {"code": "malignancy", "within": "5 years"}}]


def test_an_alternative_after_the_parenthesis_an_age_is_stated_in_is_an_alternative() -> None:
    # 'Adults (>= 18 years) or children with parental consent' had been drafted at 0.9 as age >= 18, turning the
    # children away; without the parenthesis the alternative was already seen
    assert _inclusion("Adults (18 years or older) or adolescents with a guardian's consent") == []
    assert _inclusion("Adult patients (≥ 21 years), or younger patients whose parents consent") == []
    assert _inclusion("Adequate renal function (serum creatinine ≤ 1.5 mg/dL) or on haemodialysis") == []
    # the parenthesis alone, or joined by 'and', is still read
    assert _inclusion("Adults (≥ 18 years)") == [{"age": {"ge": 18}}]
    assert _inclusion("Adults (≥ 18 years) and able to give written informed consent") == [
        {"age": {"ge": 18}}, {"ref": "informed_consent_signed"}]


def test_a_prognosis_or_an_anticipated_survival_in_months_is_the_life_expectancy() -> None:
    # the batch's 'Life expectancy <3 months' by its other names, which had been left unread
    assert _excluded("Prognosis of less than 6 months") == [{"life_expectancy_months": {"lt": 6}}]
    assert _inclusion("Survival prognosis of at least 3 months") == [{"life_expectancy_months": {"ge": 3}}]
    assert _excluded("Anticipated survival under 8 weeks") == [{"life_expectancy_months": {"lt": 1.84}}]
    # a prognosis without a duration, of one cause, or of something else, is not
    assert _excluded("Poor prognosis") == []
    assert _excluded("Prognosis below 3 months because of another disease") == []
    assert _excluded("Prognostic index score < 3") == []


def test_a_unit_in_brackets_after_the_number_is_its_unit() -> None:
    # the batch's bleeding-diathesis shape with its unit bracketed: had been left unread
    assert _excluded("Platelet count below 75 (x10^9/L)") == [{"latest": {"code": "platelets", "lt": "75 10*3/uL"}}]
    assert _excluded("Serum creatinine > 1.8 (mg/dL)") == [{"latest": {"code": "creatinine", "gt": "1.8 mg/dL"}}]
    assert _inclusion("Haemoglobin ≥ 10 [g/dL]") == [{"latest": {"code": "hemoglobin", "ge": "10 g/dL"}}]
    # a bracket that is no unit leaves the number without one
    assert _excluded("Haemoglobin < 8 (see appendix)") == []


def test_a_consent_to_a_procedure_or_a_biobank_is_not_the_studys_consent() -> None:
    # each had been drafted at 0.7 as the study's signed consent
    assert _inclusion("Signed informed consent for the diagnostic thoracoscopy") == []
    assert _inclusion("Patient signed the consent form for the operation") == []
    assert _inclusion("Written informed consent obtained for the planned procedure") == []
    assert _inclusion("Has given informed consent to biobanking") == []
    assert _excluded("Refusal to sign informed consent for anaesthesia") == []
    # the study's consent before or for its procedures is still the study's
    assert _inclusion("Written informed consent prior to any study-related procedures") == [
        {"ref": "informed_consent_signed"}]
    assert _inclusion("Signed informed consent for study procedures") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Signed informed consent form for the trial") == [{"ref": "informed_consent_signed"}]


def test_an_unnamed_score_of_another_domain_is_not_the_ecog_score() -> None:
    # each had been drafted at 0.7 as the ECOG score (a score of 0-4 with no scale named)
    assert _inclusion("Breathlessness performance status 0-1") == []
    assert _inclusion("Physical performance status of 0 to 2") == []
    assert _inclusion("PS ≤ 1 (modified Borg)") == []
    # the general performance status, with or without a bracket that names no other scale, is still read
    assert _inclusion("Performance status 0-1 (WHO)") == [{"latest": {"code": "ecog", "between": [0, 1]}}]
    assert _inclusion("Performance status of 0 to 2") == [{"latest": {"code": "ecog", "between": [0, 2]}}]
