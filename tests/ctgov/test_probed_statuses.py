"""Regression tests for infection statuses probed apart from the fixture records: a sentence that lets either status
in. The expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def test_a_sentence_that_lets_either_status_in_requires_neither() -> None:
    # each had been drafted as one of the statuses: 'HIV-positive or HIV-negative adults' as no HIV at 0.8, 'with or
    # without HIV infection' as no HIV at 0.6, 'HIV-infected and uninfected adults' as HIV at 0.6
    assert _inclusion("HIV-positive or HIV-negative adults") == []
    assert _inclusion("Adults with or without HIV infection") == []
    assert _inclusion("HIV-infected and uninfected adults") == []
    assert _inclusion("HIV seropositive or seronegative women") == []
    assert _inclusion("HIV-infected or HIV-uninfected") == []
    # one status, or a list of results of one sign, as before
    assert _inclusion("HIV negative") == [{"not": {"ref": "hiv_positive"}}]
    assert [w for w, _ in _exclusion("HIV positive, HBsAg positive or HCV positive")] == [
        {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}]
    assert _inclusion("HIV-positive adults with a negative pregnancy test") == [
        {"ref": "hiv_positive"}, {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]


def test_a_diagnosis_or_treatment_with_or_without_which_patients_are_let_in_is_no_requirement() -> None:
    # 'Patients with or without a history of malignancy' had been drafted at 0.6 as no malignancy, 'regardless of
    # prior malignancy' as a malignancy, 'with or without active malignancy' (exclusion) as no active malignancy
    assert _inclusion("Patients with or without a history of malignancy") == []
    assert _inclusion("Patients regardless of prior malignancy") == []
    assert _exclusion("Patients with or without active malignancy") == []
    assert _inclusion("Patients with or without prior chemotherapy within 4 weeks") == []
    # a value got with or without support, and one beside a diagnosis either way, still hold
    assert _inclusion("Hemoglobin >= 9 g/dL with or without transfusion") == [
        {"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]
    assert _inclusion("Patients with or without liver metastases with bilirubin < 1.5 x ULN") == [
        {"latest": {"code": "total_bilirubin", "lt": "1.5 x ULN"}}]


def test_an_item_about_a_control_group_is_not_every_participants() -> None:
    # 'Healthy controls aged 18-60 years' had been drafted at 0.9 as everyone's age
    assert _inclusion("Healthy controls aged 18-60 years") == []
    assert _inclusion("Controls: age 18-60 years") == []
    assert _exclusion("Control group: HIV infection") == []
    # 'controlled' is no control group
    assert _inclusion("Age 18-65 years, blood pressure controlled") == [{"age": {"between": [18, 65]}}]


def test_a_contraindication_to_a_test_is_not_the_diagnosis_and_an_unexcluded_one_is_allowed() -> None:
    # 'No known contraindication to HIV testing' had been drafted at 0.6 as no HIV; 'HIV infection not excluded' as HIV
    assert _inclusion("No known contraindication to HIV testing") == []
    assert _inclusion("HIV infection not excluded") == []
    assert _exclusion("HIV infection not excluded") == []
    assert [w for w, _ in _exclusion("HIV infection")] == [{"ref": "hiv_positive"}]


def test_a_window_closing_the_list_member_before_it_is_not_the_next_members() -> None:
    # 'Malignancy within 3 years, or current chemotherapy' had drafted the chemotherapy at 0.6 within 3 years (a
    # current one is meant)
    assert _exclusion("Malignancy within 3 years, or current chemotherapy") == [
        ({"condition": {"code": "malignancy", "within": "3 years"}}, 0.6)]
    assert [w for w, _ in _exclusion("Malignancy within 5 years, or patients on chemotherapy")] == [
        {"condition": {"code": "malignancy", "within": "5 years"}}]
    # a window that leads the list, or stands in a parenthesis before the mention, still dates it
    assert [w for w, _ in _exclusion("Within 6 months: chemotherapy, radiotherapy, or surgery")] == [
        {"medication": {"code": "antineoplastic_agents", "within": "6 months"}}]
    assert [w for w, _ in _exclusion("Recent (within 30 days), current or anticipated use of any immunosuppressive "
                                     "medication")] == [{"medication": {"code": "immunosuppressive_therapy", "within": "30 days"}}]


def test_an_immunity_to_an_infection_is_not_the_infection() -> None:
    # 'Immune to hepatitis B (anti-HBs positive)' had been drafted at 0.6 as hepatitis B
    assert _inclusion("Immune to hepatitis B (anti-HBs positive)") == []
    assert _inclusion("Immunity against hepatitis B") == []
    assert [w for w, _ in _exclusion("Hepatitis B")] == [{"ref": "hepatitis_b_positive"}]
