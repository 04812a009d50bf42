"""Regression tests for what the sixtieth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _latest(code: str, **bound: object) -> dict[str, object]:
    return {"latest": {"code": code, **bound}}


def test_a_gfr_by_the_cockcroft_gault_formula_in_ml_per_minute_is_a_creatinine_clearance() -> None:
    # 'GFR ≤ 50 ml/min (estimated by the Cockcroft and Gault formula)' had been drafted at 0.6 as an eGFR per 1.73 m2:
    # the Cockcroft-Gault formula estimates the creatinine clearance, in mL/min
    assert _excluded("Renal impairment with GFR < 40 mL/min (Cockcroft-Gault)") == [
        _latest("creatinine_clearance", lt="40 mL/min")]
    assert _excluded("Glomerular filtration rate ≤ 30 ml/min estimated by the Cockcroft and Gault formula") == [
        _latest("creatinine_clearance", le="30 mL/min")]
    assert _inclusion("eGFR ≥ 60 mL/min as calculated using the Cockcroft-Gault equation") == [
        _latest("creatinine_clearance", ge="60 mL/min")]
    # stated per 1.73 m2, or with another formula or none, an eGFR as before
    assert _excluded("eGFR < 30 mL/min/1.73 m2 (Cockcroft-Gault)") == [_latest("egfr", lt="30 mL/min/{1.73_m2}")]
    assert _excluded("eGFR < 30 mL/min (CKD-EPI)") == [_latest("egfr", lt="30 mL/min/{1.73_m2}")]
    assert _excluded("GFR < 45 mL/min") == [_latest("egfr", lt="45 mL/min/{1.73_m2}")]
    # (probed) either of two formulas named, one of them an eGFR's: an eGFR as before
    assert _excluded("eGFR < 30 ml/min (MDRD or Cockcroft-Gault)") == [_latest("egfr", lt="30 mL/min/{1.73_m2}")]


def test_a_consent_given_by_the_childs_own_carer_is_the_participants() -> None:
    # "Willingness and ability of neonate's caregiver to provide informed consent" had been left for review: the child's
    # possessive was read as someone else's state; the child's parent, guardian or carer consents for the participant
    consent = [{"ref": "informed_consent_signed"}]
    assert _inclusion("Willingness of the infant's caregiver to provide informed consent") == consent
    assert _inclusion("Ability of the newborn's parents to give written informed consent") == consent
    assert _inclusion("Baby's legal guardian able to sign informed consent") == consent
    assert _inclusion("Child's parent or guardian willing to provide informed consent") == consent
    # someone else's state named with the possessive stays left alone
    assert _inclusion("Mother's HIV infection") == []
    assert _inclusion("Infant's mother with hepatitis B surface antigen positive") == []


def test_an_express_or_explicit_consent_given_is_the_studys_consent() -> None:
    # 'Patient agreed to participate in the study and gave his/her express consent' had been left unread: 'gave' and an
    # express (explicit) consent were not among the consent's words
    consent = [{"ref": "informed_consent_signed"}]
    assert _inclusion("Subject gave his or her express consent") == consent
    assert _inclusion("Patients who have given their explicit consent to participate") == consent
    assert _inclusion("The participant gave written informed consent") == consent
    assert _excluded("Patient who did not give express consent") == [{"not": {"ref": "informed_consent_signed"}}]
    # a consent given to something else, or a word that is no consent, stays unread
    assert _inclusion("Patient gave express consent for the storage of samples in a biobank") == []
    assert _inclusion("Patient expressed a wish to stop treatment") == []


def test_a_named_carcinoma_or_other_malignancy_in_a_list_of_diseases_is_a_present_malignancy() -> None:
    # 'Decompensated cirrhosis, hepatocellular carcinoma or other malignancy' had been left for review as 'another
    # malignancy than the one under study': the other is other than the carcinoma the item names, both excluded
    active = [({"ref": "active_malignancy"}, 0.6)]
    assert _exclusion("Heart failure, renal carcinoma or other malignancy") == active
    assert _exclusion("Liver cirrhosis, hepatocellular carcinoma, or any other malignancy;") == active
    assert _exclusion("Severe anaemia, lymphoma or other malignant disease") == active
    # a member's own state ('Decompensated cirrhosis') does not qualify the list, as a state of its class does
    assert _exclusion("Decompensated liver cirrhosis, renal carcinoma or other malignancy") == active
    assert _exclusion("Unstable illnesses, for instance angina, cancer, epilepsy") == []
    # another malignancy with no cancer named before it (the trial's own is meant), and a history, stay for review
    assert _exclusion("Hepatitis, cirrhosis, or other malignancy") == []
    assert _exclusion("History of renal carcinoma or other malignancy") == []


def _malignancy(within: str | None, *excepted: str) -> dict[str, object]:
    spec: dict[str, object] = {"code": "malignancy"}
    if within:
        spec["within"] = within
    spec["except"] = excepted[0] if len(excepted) == 1 else list(excepted)
    return {"condition": spec}


def test_a_malignancys_bracketed_exceptions_end_at_the_bracket_and_name_their_cancers_shortly() -> None:
    # 'History of cancer (with the exception of non-melanoma skin, cervical cancer in situ, adequately treated) with sign
    # of illness during the last 5 years' had been left for review: the skin cancer named without 'cancer', the
    # cervical 'cancer in situ', and the exceptions read to the sentence's end, past their bracket, were not recognised
    both = ("skin_bcc_scc", "cervical_carcinoma_in_situ")
    assert _excluded("Malignancy (except non-melanoma skin cancer or cervical carcinoma in situ) within the past 3 years") \
        == [_malignancy("3 years", *both)]
    assert _excluded("Cancer (other than non-melanoma skin or in situ cervical cancer) within the last 2 years") == [
        _malignancy("2 years", *both)]
    assert _excluded("Malignancy within 5 years, except cervical cancer in situ") == [
        _malignancy("5 years", "cervical_carcinoma_in_situ")]
    assert _excluded("Malignancy within the past 3 years except non-melanoma skin") == [
        _malignancy("3 years", "skin_bcc_scc")]
    # the exceptions after the window, in a bracket or not, as before; an exception not recognised stays for review
    assert _excluded("Malignancy within the past 3 years (except non-melanoma skin cancer or cervical carcinoma in situ)") \
        == [_malignancy("3 years", *both)]
    assert _excluded("Malignancy (except prostate cancer) within the past 3 years") == []
    # 'with the exception of' joins nothing to the malignancy (a state joined by 'with' still does)
    assert _excluded("History of cancer (with the exception of non-melanoma skin cancer) in the last 5 years") == [
        _malignancy("5 years", "skin_bcc_scc")]
    assert _excluded("Malignancy with recurrence in the last 2 years") == []


def test_a_stage_threshold_defined_by_the_bracket_after_it_is_no_other_threshold() -> None:
    # 'Chronic kidney disease stage ≥4 (estimate glomerular filtration rate <30 mL/min/1.73 m2)' had been left for
    # review: the stage's '≥4' was read as another threshold, where the bracket right after it states what it means
    egfr_below_30 = [_latest("egfr", lt="30 mL/min/{1.73_m2}")]
    assert _excluded("Chronic kidney disease stage ≥ 4 (eGFR < 30 mL/min/1.73 m2)") == egfr_below_30
    assert _excluded("CKD stage > 3 (glomerular filtration rate below 30 mL/min/1.73m2)") == egfr_below_30
    # a stage beside the value, not defined by it in a bracket, is still another threshold
    assert _excluded("CKD stage ≥ 4 and eGFR < 30 mL/min/1.73 m2") == []


def test_only_a_decompensated_organs_disease_named_first_is_a_members_own_state() -> None:
    # probing the fix above: 'uncontrolled' before a list may say it of all its members, and stays the list's state
    assert _exclusion("Uncontrolled diabetes, hypertension, cancer") == []
    assert _exclusion("Decompensated conditions such as heart failure, cancer") == []
    assert _exclusion("Diabetes, breast carcinoma or other cancers") == [({"ref": "active_malignancy"}, 0.6)]


def test_an_exclusion_that_is_only_the_word_minor_is_a_minor_excluded() -> None:
    # the bare singular 'Minor' (an exclusion's whole item, a French-style list) was not read as minors are: with the
    # record's minimumAge of 18 it is age < 18; without it left for review as minors are (the age of majority varies)
    from screening.ctgov.recognisers import ItemText, recognise

    adults = (18.0, None)
    for text in ("Minor", "Minor.", "Minor patient", "Patient who is a minor"):
        assert [f.when for f in recognise(ItemText(text, "exclusion", registry_age=adults))] == [{"age": {"lt": 18}}]
        assert [f.when for f in recognise(ItemText(text, "exclusion"))] == [None]
    # a minor something else is not a minor person
    assert [f.when for f in recognise(ItemText("Minor surgery", "exclusion", registry_age=adults))] == []
