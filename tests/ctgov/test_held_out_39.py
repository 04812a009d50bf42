"""Regression tests for what the thirty-ninth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import drafts
from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

_ALL_THREE = {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}


def test_a_test_named_before_a_list_of_viruses_is_said_of_the_whole_list() -> None:
    # 'Positive results at screening for human immunodeficiency virus (HIV), hepatitis B surface antigen (HBsAg), or
    # hepatitis C virus (HCV)' had dropped HIV ('screening for HIV' read as a test without its result) and kept the
    # hepatitis viruses after it
    assert _exclusion("Reactive results at screening for HIV, hepatitis B surface antigen or hepatitis C antibody") == [
        (_ALL_THREE, 0.85)]
    assert _inclusion("Screening for HIV, hepatitis B and hepatitis C must be negative") == [{"not": _ALL_THREE}]
    assert _inclusion("Negative results at screening for HIV, HBsAg and HCV") == [{"not": _ALL_THREE}]
    # no result said: a test done, for each virus of the list (the hepatitis viruses had been drafted at 0.85)
    assert _exclusion("Tested for HIV, hepatitis B and hepatitis C in the past month") == []
    assert _exclusion("Screening for HIV, HBsAg and HCV not performed") == []
    # a test in another clause leaves the infection before it alone
    assert _exclusion("Known HIV infection, or tested for hepatitis C within 4 weeks") == [
        ({"ref": "hiv_positive"}, 0.6)]


def test_a_malignancy_a_judgement_qualifies_is_left_for_review() -> None:
    # 'Clinically significant history of cancer' had been drafted as any malignancy ever (0.6)
    assert _exclusion("Significant history of malignancy") == []
    assert _exclusion("Clinically relevant malignant disease within the past 5 years") == []
    assert _inclusion("No clinically significant history of cancer") == []
    # unqualified, as before
    assert _exclusion("History of malignancy") == [({"condition": {"code": "malignancy"}}, 0.6)]


def test_a_bare_score_under_a_performance_status_sub_heading_is_the_ecog_score() -> None:
    # the PDQ layout's 'Performance status' sub-heading over 'CTC 0-2' had left the score unread
    record = "PATIENT CHARACTERISTICS:\n\nPerformance status\n\n* {}\n\nLife expectancy\n\n* Not specified\n"

    def performance(score: str) -> list[tuple[object, float]]:
        return drafts(record.format(score))["Inclusion Criteria"]
    assert performance("NCI CTC 0-1") == [({"latest": {"code": "ecog", "between": [0, 1]}}, 0.8)]
    assert performance("0 or 1") == [({"latest": {"code": "ecog", "between": [0, 1]}}, 0.8)]
    assert performance("SWOG 0-2") == [({"latest": {"code": "ecog", "between": [0, 2]}}, 0.8)]
    # another scale, or a score that is not all of the item, is not read from the heading
    assert performance("Karnofsky 60-100%") == []
    assert performance("0-2 (2 only if due to bone pain)") == []


def test_written_consent_received_or_obtained_is_the_signed_consent() -> None:
    # 'Have received oral and written consent and agreed.' had been left for review
    assert _inclusion("Has received verbal and written consent from the participant") == [
        {"ref": "informed_consent_signed"}]
    assert _inclusion("Written consent obtained before any study procedure") == [{"ref": "informed_consent_signed"}]
    assert _exclusion("No written consent obtained") == [({"not": {"ref": "informed_consent_signed"}}, 0.7)]
    # information received is no consent
    assert _inclusion("Have received oral and written information about the study") == []


def test_a_blood_count_of_a_thousand_or_more_without_a_unit_is_per_microlitre() -> None:
    # 'platelets \< 50,000' (no unit) had been left for review beside the INR drafted after it
    assert _exclusion("Thrombocytopenia (platelet count under 75,000) or INR above 2") == [
        ({"latest": {"code": "platelets", "lt": "75 10*3/uL"}}, 0.6), ({"latest": {"code": "inr", "gt": 2}}, 0.7)]
    assert _inclusion("Absolute neutrophil count of at least 1,500 and WBC of at least 3000") == [
        {"latest": {"code": "neutrophils", "ge": "1.5 10*3/uL"}}, {"latest": {"code": "leukocytes", "ge": "3 10*3/uL"}}]
    # a small number without a unit may be in 10^9/L or 10^3/uL: still not drafted
    assert _inclusion("Platelets of at least 100") == []
    assert _inclusion("ANC >= 1.5") == []


def test_since_prior_and_no_concurrent_treatment_is_none_within_the_window() -> None:
    # the PDQ layout's 'More than 2 weeks since prior and no concurrent corticosteroid therapy' had been left for review
    assert _inclusion("At least 4 weeks since prior and no concurrent chemotherapy") == [
        {"not": {"medication": {"code": "antineoplastic_agents", "within": "4 weeks"}}}]
    assert _inclusion("More than 30 days since prior and no concurrent systemic steroids") == [
        {"not": {"medication": {"code": "systemic_corticosteroids", "within": "30 days"}}}]


# found by probing the shapes above with made-up phrasings


def test_a_test_covers_only_the_list_right_after_it() -> None:
    # a virus after the list, with its own result, is that virus's: HIV, only tested, had been drafted with it at 0.85
    # (here left for review: the sentence's 'more than 1' is read as a threshold of the hepatitis B)
    assert _exclusion("Tested for HIV more than 1 year ago and HBsAg positive") == []
    assert _exclusion("Tested for HIV more than 1 year ago; HBsAg positive") == [
        ({"ref": "hepatitis_b_positive"}, 0.6)]
    assert _exclusion("Screened for HIV and hepatitis B in the last 6 months") == []
    assert _exclusion("Seropositive at screening for HIV-1/2, HBsAg or anti-HCV") == [(_ALL_THREE, 0.85)]


def test_a_clinical_judgement_said_of_a_list_with_a_malignancy_in_it() -> None:
    # 'clinically significant' before a list of diseases qualifies the malignancy in it too (drafted at 0.6)
    assert _exclusion("Any clinically significant history of cardiovascular disease or cancer") == []
    assert _exclusion("Clinically relevant hepatic, renal or malignant disease") == []


def test_more_wordings_of_consent_and_of_since_prior() -> None:
    assert _inclusion("Received written and oral consent") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("More than 4 weeks since prior and no other concurrent investigational agents") == [
        {"not": {"participation": {"within": "4 weeks"}}}]


def test_a_bare_score_with_a_symbol_under_the_heading_and_the_white_count_by_its_other_names() -> None:
    record = "PATIENT CHARACTERISTICS:\n\nPerformance Status\n\n* ≤ 1\n\nHematopoietic\n\n* White cell count at least 4,000/mm3\n"
    assert drafts(record)["Inclusion Criteria"] == [({"latest": {"code": "ecog", "le": 1}}, 0.8),
                                                    ({"latest": {"code": "leukocytes", "ge": "4 10*3/uL"}}, 0.8)]
    assert _inclusion("White blood count greater than 3.5 x 10^9/L") == [
        {"latest": {"code": "leukocytes", "gt": "3.5 10*3/uL"}}]
    assert _inclusion("Leucocytes ≥ 3000/mm3") == [{"latest": {"code": "leukocytes", "ge": "3 10*3/uL"}}]
