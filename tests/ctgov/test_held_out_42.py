"""Regression tests for what the forty-second held-out batch and the probing of its shapes found, each phrased
apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

_ALLO = {"procedure": {"code": "allo_hsct"}}
_ORGAN = {"condition": {"code": "organ_transplant"}}


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _included(item: str) -> list[object]:
    return list(_inclusion(item))


def test_an_allogeneic_transplant_after_an_organ_transplant_is_read_and_the_organ_one_left() -> None:
    # 'Prior <organ transplant> or allogeneic stem cell transplant': the 'Prior' is said of both; the allogeneic one
    # had not been drafted, and the organ transplant had been drafted at 0.6 as the library's organ_transplant, whose
    # bone marrow transplants include the autologous ones the item leaves out by naming the allogeneic
    assert _excluded("Previous solid organ transplant or allogeneic bone marrow transplant") == [_ALLO]
    assert _excluded("History of organ transplantation or allogeneic HSCT") == [_ALLO]
    assert _excluded("Prior kidney transplant, or allogeneic stem cell transplantation") == [_ALLO]
    # a transplant planned or awaited: which one is not told
    assert _excluded("Prior organ transplant or allogeneic stem cell transplant planned during the study") == []
    # the other order, as before, and an organ transplant alone, as before
    assert _excluded("Prior allogeneic stem cell or solid organ transplantation") == [_ALLO]
    assert _excluded("History of solid organ transplantation") == [_ORGAN]
    # a permission of autologous transplants in another sentence is no exception to the allogeneic one
    assert _excluded("Prior allogeneic stem cell transplant. Previous autologous stem cell transplant is allowed.") == [
        _ALLO]
    assert _excluded("Previous solid organ transplant or allogeneic bone marrow transplant. Note: prior autologous "
                     "peripheral blood stem cell transplantation is permitted.") == [_ALLO]
    # a permission of a transplant of any donor type, or of an allogeneic one, still is
    assert _excluded("Prior allogeneic stem cell transplant. Patients transplanted more than 5 years ago are "
                     "eligible.") == []
    assert _excluded("Prior allogeneic stem cell transplant. A remote allogeneic transplant without GVHD is "
                     "permitted.") == []


def test_a_blood_pressure_that_defines_a_hypertension_despite_its_treatment_is_left_for_review() -> None:
    # the batch's 'Treatment-refractory hypertension defined as a blood pressure (BP) >140/90 ... which may not be
    # controlled by anti-hypertensive medication(s)', alone: the latest blood pressure had been drafted at 0.6,
    # which turns away patients with one high reading whom no treatment has failed
    assert _excluded("Treatment-resistant hypertension defined as blood pressure above 150/95 mmHg") == []
    assert _excluded("Refractory hypertension (systolic blood pressure > 160 mmHg)") == []
    assert _excluded("Hypertension with blood pressure >= 150/100 mmHg despite three antihypertensive drugs") == []
    assert _excluded("Systolic blood pressure > 160 mmHg despite optimal medical therapy") == []
    # a blood pressure alone, or an uncontrolled hypertension defined by one, is drafted as before
    assert _excluded("Systolic blood pressure > 160 mmHg") == [{"latest": {"code": "systolic_bp", "gt": "160 mm[Hg]"}}]
    assert _excluded("Uncontrolled hypertension (systolic > 170 mmHg)") == [
        {"latest": {"code": "systolic_bp", "gt": "170 mm[Hg]"}}]


def test_an_age_at_diagnosis_or_onset_named_before_its_bound_is_no_age_today() -> None:
    # the shape of 'Age: >=18 years of age at the time of providing informed consent' with a past point in its
    # place: 'Age at diagnosis of 18 years or older', 'Age at time of diagnosis > 65 years' had been drafted at 0.9
    # as today's age, 'Age of onset 12 years or younger' at 0.6
    assert _included("Age at diagnosis of 18 years or older") == []
    assert _included("Age at diagnosis: 18 years or older") == []
    assert _included("Age at time of diagnosis > 65 years") == []
    assert _included("Age at the time of initial diagnosis 21 years or younger") == []
    assert _included("Age of onset 12 years or younger") == []
    assert _excluded("Age at symptom onset above 50 years") == []
    # an age at a point of the study itself is today's age, as before
    assert _included("Age at enrolment of 18 years or older") == [{"age": {"ge": 18}}]
    assert _included("Age at the time of consent: 18 years or older") == [{"age": {"ge": 18}}]
    assert _included("Age: >=18 years of age at the time of signing informed consent.") == [{"age": {"ge": 18}}]


def test_a_test_of_the_viruses_said_not_required_or_to_be_done_is_no_infection() -> None:
    # the batch's '...; Human immunodeficiency virus (HIV); testing not required.' with the test right after the
    # virus: 'HIV testing not required', 'HIV serology will be done at screening' had been drafted at 0.6 as HIV,
    # 'Hepatitis B and C testing will be performed at screening.' as hepatitis B
    assert _excluded("HIV testing not required") == []
    assert _excluded("HIV serology will be done at screening") == []
    assert _excluded("Hepatitis B and C testing will be performed at screening.") == []
    assert _excluded("HCV antibody testing is optional") == []
    assert _excluded("HBsAg screening to be repeated at week 12") == []
    # the infection stated, or a result, is still read
    assert _excluded("Known HIV infection (testing not required)") == [{"ref": "hiv_positive"}]
    assert _excluded("Known HIV; testing not required.") == [{"ref": "hiv_positive"}]
    assert _excluded("HIV test positive") == [{"ref": "hiv_positive"}]
    assert _excluded("Positive HIV serology") == [{"ref": "hiv_positive"}]


def test_a_malignancy_named_as_the_point_something_came_before_is_no_history_of_one() -> None:
    # the shape of 'ECOG performance status of 0 - 2' dated by the diagnosis: 'ECOG performance status 0-1 prior to
    # the diagnosis of cancer' had been drafted at 0.6 as any malignancy ever ('prior' read as a history)
    assert _included("ECOG performance status 0-1 prior to the diagnosis of cancer") == []
    assert _included("Stable weight in the 6 months prior to the diagnosis of cancer") == []
    assert _included("Fully active prior to the diagnosis of malignancy") == []
    # a prior or previous malignancy is one, as before
    assert _excluded("Prior malignancy") == [{"condition": {"code": "malignancy"}}]
    assert _excluded("Previous cancer diagnosis") == [{"condition": {"code": "malignancy"}}]


def test_a_rule_for_the_subjects_of_one_country_named_by_its_people_is_a_site_rule() -> None:
    # the batch's 'French subjects: In France, a subject will be eligible ...' and 'Subjects enrolled in France: ...':
    # a rule written for one country's subjects, 'French subjects: pregnant or breastfeeding' or 'Japanese
    # patients: aged 20 years or older', had been drafted at 0.6 for everyone
    assert _excluded("French subjects: pregnant or breastfeeding") == []
    assert _included("Japanese patients: aged 20 years or older") == []
    assert _included("For German participants only: age 18 or older") == []
    assert _excluded("Subjects enrolled in France: participation in another interventional study within 30 days") == []
    # the people of a country named otherwise are no rule's scope
    assert _included("Age 18 or older") == [{"age": {"ge": 18}}]


def test_a_malignancy_listed_under_a_history_is_one_at_any_time() -> None:
    # the batch's 'History of: Interstitial lung disease or pneumonitis; Another malignancy.' with any malignancy:
    # one member of a list of diseases is read as a current malignancy, and a list led by a history had been drafted
    # at 0.6 as active_malignancy, which leaves out the past ones the history counts
    ever = {"condition": {"code": "malignancy"}}
    assert _excluded("History of: malignancy; HIV.") == [ever, {"ref": "hiv_positive"}]
    assert _excluded("History of the following diseases: cancer, asthma or diabetes") == [ever]
    assert _excluded("Prior history of: myocardial infarction, stroke, malignancy") == [ever]
    # a list with no history is read as before
    assert _excluded("The following diseases: cancer, asthma, diabetes") == [{"ref": "active_malignancy"}]


def test_an_age_that_says_whom_a_later_rule_binds_is_no_requirement() -> None:
    # the shape of the NIH protocols' 'Adults and children ... will be considered' with a rule for an age group:
    # 'Participants younger than 18 years will need parental consent' had been drafted at 0.6 as an age below 18,
    # 'Patients over 70 years will receive a reduced dose' (in an exclusion) as an exclusion of those over 70
    assert _included("Participants younger than 18 years will need parental consent.") == []
    assert _included("Children under 18 years will be seen only with a parent.") == []
    assert _included("Subjects under 18 years of age require the consent of a parent.") == []
    assert _included("Patients over 65 years will undergo a geriatric assessment.") == []
    assert _excluded("Patients over 70 years will receive a reduced dose.") == []
    # an age the sentence requires, as before
    assert _included("Patients aged 18 years or older will be included.") == [{"age": {"ge": 18}}]
    assert _included("Age 18 years or older required") == [{"age": {"ge": 18}}]


def test_hepatitis_c_joined_to_hepatitis_b_by_a_slash_or_comma_is_read() -> None:
    # the shape of 'Known diagnosis of human immunodeficiency virus (HIV) or hepatitis C.' with both hepatitides
    # written together: 'Known hepatitis B/C infection' had been drafted at 0.85 as hepatitis B alone
    b_or_c = [{"any": [{"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}]
    assert _excluded("Known hepatitis B/C infection") == b_or_c
    assert _excluded("Hepatitis B, C infection") == b_or_c
    assert _excluded("Known HIV, hepatitis B/C") == [
        {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}]
    # as before
    assert _excluded("Known hepatitis B or C infection") == b_or_c
    assert _excluded("Hepatitis B surface antigen positive") == [{"ref": "hepatitis_b_positive"}]


def test_a_permission_written_without_its_verb_is_an_exception_too() -> None:
    # the batch's 'NOTE: ... is permitted.' without its verb: 'Allo transplants over 5 years ago allowed.' and 'HIV
    # with undetectable viral load permitted.' had let the draft stand at 0.6 (allo_hsct ever, HIV), which turns away
    # the patients the note lets in
    assert _excluded("Prior allogeneic HSCT. Allo transplants over 5 years ago allowed.") == []
    assert _excluded("Known HIV infection. HIV with undetectable viral load permitted.") == []
    # a permission of autologous transplants only is none for a transplant of either donor type drafted as the
    # allogeneic one (it says what the value set means), nor for the allogeneic one
    assert _excluded("Prior bone marrow transplant. NOTE: autologous transplant permitted.") == [_ALLO]
    assert _excluded("Prior allogeneic stem cell transplant. Autologous transplants allowed.") == [_ALLO]
    # a sentence that forbids is none
    assert _excluded("Known HIV infection. Antiretroviral therapy not permitted.") == [{"ref": "hiv_positive"}]


def test_a_negative_result_before_a_colon_is_read() -> None:
    # the batch's 'Positive for: Hepatitis B surface antigen or Hepatitis C antibody.' with the other result: 'Negative
    # for: HIV' had been drafted at 0.85 in an exclusion as HIV, and the inclusion 'Negative for: HIV, hepatitis B
    # surface antigen and hepatitis C antibody.' left for review
    assert _excluded("Negative for: HIV") == []
    assert _included("Negative for: HIV, hepatitis B surface antigen and hepatitis C antibody.") == [
        {"not": {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}}]
    assert _included("Seronegative for: HIV and hepatitis C") == [
        {"not": {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_c_positive"}]}}]
    assert _excluded("Positive for: HIV") == [{"ref": "hiv_positive"}]
