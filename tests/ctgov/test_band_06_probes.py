"""The shapes of the wrong 0.6 drafts of the held-out first runs, probed with made-up phrasings
(the thirty-fifth batch's secondary item): each phrasing had been drafted wrongly by the code of the
time; the expected readings are by hand from these example texts."""

from __future__ import annotations

from typing import Any

from tests.ctgov.drafting import exclusion, inclusion


def _inclusion(item: str) -> list[Any]:
    return inclusion(item)


def _exclusion(item: str) -> list[Any]:
    return [w for w, _ in exclusion(item)]


def test_the_age_of_someone_the_participant_lives_with_or_cares_for() -> None:
    # 'children younger than 2 years at home' had been drafted as the participant's age < 2
    assert _exclusion("Individuals with children younger than 2 years at home") == []
    assert _exclusion("Living in the same household as an infant under 6 months of age") == []
    # the participants themselves: as before
    assert _exclusion("Children younger than 2 years") == [{"age": {"lt": 2}}]


def test_an_age_when_a_disease_was_diagnosed() -> None:
    # 'At least 18 years of age when the cancer was diagnosed' had been drafted as today's age >= 18
    assert _inclusion("At least 18 years of age when the cancer was diagnosed") == []
    assert _inclusion("Younger than 40 years when their diabetes was first diagnosed") == []


def test_pregnancy_excluded_from_one_part_of_the_study() -> None:
    # 'excluded from the MRI part of the study' had been drafted as an exclusion of pregnant women from the trial
    assert _exclusion("Pregnant women are excluded from the MRI part of the study") == []


def test_a_capacity_to_consent_judged_after_the_mention() -> None:
    # 'Capable of giving informed consent in the judgement of the investigator' had been drafted as signed consent
    assert _inclusion("Capable of giving informed consent in the judgement of the investigator") == []
    assert _inclusion("Able to provide written informed consent") == [{"ref": "informed_consent_signed"}]


def test_uncontrolled_hypertension_in_the_past_is_a_history() -> None:
    # 'Uncontrolled hypertension in the past' had been drafted as an active diagnosis
    assert _exclusion("Uncontrolled hypertension in the past") == [
        {"condition": {"code": "uncontrolled_hypertension"}}]
    assert _exclusion("Uncontrolled hypertension") == [
        {"condition": {"code": "uncontrolled_hypertension", "active": True}}]


def test_a_performance_status_for_one_phase_of_the_trial() -> None:
    # 'ECOG 0-1 for phase 1 and 0-2 for phase 2' had been drafted as ECOG 0-1 for everyone
    assert _inclusion("ECOG performance status 0-1 for phase 1 and 0-2 for phase 2") == []
    assert _inclusion("ECOG performance status 0-1") == [{"latest": {"code": "ecog", "between": [0, 1]}}]


def test_an_age_at_a_registry_entry_a_relapse_or_the_first_symptoms() -> None:
    # each had been drafted as today's age (at 0.6, and 'at relapse' at 0.9)
    assert _inclusion("Age 40 years or over at registry entry") == []
    assert _inclusion("Aged 30 or younger when symptoms began") == []
    assert _inclusion("30 years or younger at relapse") == []
    # a point of the study itself is today's age: as before
    assert _inclusion("Aged 18 years or older at the time of enrolment") == [{"age": {"ge": 18}}]


def test_an_age_in_the_past_tense_and_a_complicated_pregnancy() -> None:
    # 'who were 18 years or older at the time of the accident' had been drafted as today's age, and
    # 'Pregnancy complicated by pre-eclampsia' as an exclusion of every pregnancy (both at 0.6)
    assert _inclusion("Adults who were 18 years or older at the time of the accident") == []
    assert _exclusion("Pregnancy complicated by pre-eclampsia") == []
    # the present tense, and a pregnancy with no complication named: as before
    assert _inclusion("Adults who are 18 years or older") == [{"age": {"ge": 18}}]
    assert _exclusion("Pregnancy") == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]


def test_an_antibody_with_a_nucleic_acid_test_both_required() -> None:
    # 'Hepatitis C antibody positive with detectable HCV RNA' had been drafted at 0.85 as hepatitis C positive,
    # which counts a positive antibody alone: the item excludes only those with both
    assert _exclusion("Hepatitis C antibody positive with detectable HCV RNA") == []
    assert _exclusion("Positive HCV antibody confirmed by a positive HCV RNA test") == []
    # either test, or the antibody alone: as before
    assert _exclusion("Positive HCV antibody or detectable HCV RNA") == [{"ref": "hepatitis_c_positive"}]
    assert _exclusion("Positive HCV antibody") == [{"ref": "hepatitis_c_positive"}]


def test_a_performance_status_at_a_past_time() -> None:
    # each had been drafted as the latest ECOG score (the first two at 0.9)
    assert _inclusion("ECOG performance status of 0-1 at the time of the last chemotherapy") == []
    assert _inclusion("Premorbid ECOG 0-1") == []
    assert _inclusion("Baseline ECOG of 0-1 prior to the fracture") == []
    # dated by a window, or with no time named: as before
    assert _inclusion("ECOG 0-1 within 14 days prior to registration") == [
        {"latest": {"code": "ecog", "between": [0, 1], "within": "14 days"}}]


def test_the_mother_of_an_infant_participant_and_an_age_in_a_parent_study() -> None:
    # 'Pregnant mother of the infant participant' had been drafted as the participant's pregnancy, and an age
    # 'at the time of the first vaccination in the parent study' as today's age (both at 0.6)
    assert _exclusion("Pregnant mother of the infant participant") == []
    assert _inclusion("Age ≥ 18 years at the time of the first vaccination in the parent study") == []
