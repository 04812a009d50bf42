"""Regression tests for what the thirteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

FEMALE = {"sex": ["female"]}
HIV, HBV, HCV = {"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}
CONSENT = {"ref": "informed_consent_signed"}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_an_age_followed_by_a_clause_about_the_same_people_is_required_in_an_inclusion() -> None:
    # the dose in the 'who' clause is another requirement of these adults, not a condition on the age
    assert _whens("Adults aged 21 years or older who have needed more than 10 mg/day of prednisone for 4 weeks") == [
        {"age": {"ge": 21}}]
    # in an exclusion the age says whom the clause excludes: both together, or neither drafted
    assert _whens("Subjects aged 65 years or older who have a creatinine clearance < 30 mL/min", "exclusion") == [
        {"all": [{"age": {"ge": 65}}, {"latest": {"code": "creatinine_clearance", "lt": "30 mL/min"}}]}]
    assert _whens("Children younger than 6 years who attend day care", "exclusion") == [None]
    # a threshold outside such a clause still qualifies the age
    assert _whens("Adults ≥ 18 years with a Lansky score ≥ 60 who are ambulatory") == [None]


def test_a_sex_described_by_a_few_words_before_it_is_the_subject_of_an_inclusion() -> None:
    assert _whens("Young Asian female volunteers aged 20 to 40 years") == [
        {"sex": ["female"]}, {"age": {"between": [20, 40]}}]
    assert _whens("Healthy adult men between 30 and 50 years of age") == [
        {"sex": ["male"]}, {"age": {"between": [30, 50]}}]
    # both sexes named: neither is required
    assert _whens("Sedentary men and women aged 40-60 years") == [{"age": {"between": [40, 60]}}]


def test_a_pregnancy_conditioned_on_childbearing_potential_is_the_pregnancy() -> None:
    assert _whens("Pregnant, if she is of child-bearing potential", "exclusion") == [{"all": [FEMALE, {"ref": "pregnant"}]}]
    # another condition still qualifies it
    assert _whens("Pregnant, if enrolled at a site in the United States", "exclusion") == [None]


def test_consent_from_the_patient_or_a_representative_listed_after_it() -> None:
    assert _whens("Written informed consent from the participant or a legally authorized representative") == [CONSENT]
    assert _whens("Willing to provide informed consent and/or assent from the subject, parent or caregiver") == [CONSENT]
    # an alternative to consent is still an alternative
    assert _whens("Signed informed consent or enrolment by court order") == [None]


def test_a_transplant_the_patient_has_undergone_is_one_at_any_time() -> None:
    assert _whens("Patients who have undergone allogeneic bone marrow transplantation", "exclusion") == [
        {"procedure": {"code": "allo_hsct"}}]
    # a permission in another sentence about something else is no exception to it
    assert _whens("Has undergone an allo-HSCT. Recipients of reduced-intensity regimens are eligible.") == [
        {"procedure": {"code": "allo_hsct"}}]
    # one that names a transplant is
    assert _whens("Has undergone an allo-HSCT. Recipients of a second transplant are eligible.") == [None]


def test_viruses_listed_before_a_shared_negative_result() -> None:
    assert _whens("HBsAg, HCV antibody and HIV antibody: all negative") == [{"not": {"any": [HBV, HCV, HIV]}}]
    assert _whens("HIV serology negative") == [{"not": HIV}]


def test_an_infection_that_requires_treatment_is_not_the_infection() -> None:
    assert _whens("Hepatitis C infection that requires antiviral treatment", "exclusion") == [None]
    assert _whens("HIV infection which requires antiretroviral therapy", "exclusion") == [None]
    assert _whens("Known hepatitis C infection", "exclusion") == [HCV]


def test_an_exclusion_joined_by_a_capitalised_and_excludes_only_both_together() -> None:
    # the other condition is not recognised: the threshold alone would exclude more patients
    assert _whens("Recent gastrointestinal haemorrhage AND platelets < 50,000/mm3", "exclusion") == [None]
    # both recognised: one definition, all of them
    assert _whens("ALT > 3 x ULN AND total bilirubin > 2 x ULN", "exclusion") == [
        {"all": [{"latest": {"code": "alt", "gt": "3 x ULN"}}, {"latest": {"code": "total_bilirubin", "gt": "2 x ULN"}}]}]
    # a sentence in capitals says nothing by its 'AND'
    assert _whens("PLATELETS < 50,000/MM3 AND ACTIVE BLEEDING", "exclusion") == _whens(
        "Platelets < 50,000/mm3 and active bleeding", "exclusion")


def test_a_rheumatic_disease_listed_among_others_excludes_on_its_own() -> None:
    assert _whens("Known lupus, systemic sclerosis or dermatomyositis", "exclusion") == [
        {"condition": {"code": "systemic_sclerosis"}}]
    # in an inclusion an alternative that is not recognised leaves it for review
    assert _whens("Rheumatoid arthritis or psoriatic arthritis") == [None]
