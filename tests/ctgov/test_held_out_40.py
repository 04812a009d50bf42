"""Regression tests for what probing the fortieth held-out batch's shapes found (an age bound with a
full stop, an escaped life-expectancy bound, 'must be able to give informed consent'), each phrased
apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

_NOT_CONSENTED = {"not": {"ref": "informed_consent_signed"}}


def test_an_exclusion_of_those_not_able_to_consent_is_their_capacity_left_for_review() -> None:
    # as the tables read 'Unable to provide informed consent': the capacity to consent, not a consent record
    # ('Not able to give informed consent.' had been drafted as no consent signed at 0.7)
    assert _exclusion("Not able to give informed consent.") == []
    assert _exclusion("Patients not capable of providing written informed consent") == []
    assert _exclusion("Subjects who are not in a position to sign the consent form") == []
    assert _exclusion("Patients without the ability to give written informed consent") == []
    assert _exclusion("Lack of capacity to provide informed consent") == []
    # a consent not given, or refused, is still its negation, and so is an unwillingness beside the capacity
    assert _exclusion("Patients who have not signed the informed consent form") == [(_NOT_CONSENTED, 0.6)]
    assert _exclusion("Patients not willing to give written informed consent") == [(_NOT_CONSENTED, 0.7)]
    assert _exclusion("Participants unable or unwilling to provide informed consent") == [(_NOT_CONSENTED, 0.6)]
    # the inclusion of those able to consent is read as before
    assert _inclusion("Patient must be able to provide written informed consent.") == [{"ref": "informed_consent_signed"}]


def test_a_life_expectancy_from_one_cause_is_left_for_review() -> None:
    # as 'due to another illness' was: 'from <a disease>' names the cause, not the point it is counted from
    # ('Life expectancy < 3 months from comorbidities' had been drafted as any short life expectancy at 0.9)
    assert _exclusion("Life expectancy < 3 months from comorbidities") == []
    assert _exclusion("Estimated life expectancy of less than 6 months from another illness") == []
    assert _exclusion("Life expectancy \\<12 weeks from a concurrent malignancy") == []
    assert _exclusion("Life expectancy below 1 year from causes other than the lymphoma") == []
    # any cause, and the point it is counted from, are as before
    assert _exclusion("Life expectancy \\<3 months from any cause") == [({"life_expectancy_months": {"lt": 3}}, 0.9)]
    assert _exclusion("Life expectancy under 6 months from enrolment") == [({"life_expectancy_months": {"lt": 6}}, 0.9)]
    assert _inclusion("Life expectancy of at least 3 months from the start of treatment") == [
        {"life_expectancy_months": {"ge": 3}}]


def test_a_life_expectancy_of_another_illness_named_before_it_is_left_for_review() -> None:
    # as 'Malignancy with a life expectancy under 2 years' was: the prognosis of a comorbidity, not any prognosis
    # ('Comorbidity with life expectancy < 6 months' had been drafted at 0.9)
    assert _exclusion("Comorbidity with life expectancy < 6 months") == []
    assert _exclusion("Concurrent illness with a life expectancy of less than 12 months") == []
    assert _exclusion("Other serious disease with an expected survival under 1 year") == []
    assert _exclusion("Severe non-cardiac comorbidities with life expectancy \\<2 years") == []
    # any illness is any cause, as before
    assert _exclusion("Any illness with a life expectancy of less than 6 months") == [
        ({"life_expectancy_months": {"lt": 6}}, 0.9)]


def test_a_life_expectancy_with_its_bound_in_parentheses_an_abbreviated_unit_or_called_prognosis() -> None:
    # none of these had been read
    assert _exclusion("Short life expectancy (< 6 months)") == [({"life_expectancy_months": {"lt": 6}}, 0.9)]
    assert _exclusion("Limited life expectancy (less than 12 weeks)") == [({"life_expectancy_months": {"lt": 2.76}}, 0.9)]
    assert _inclusion("Life expectancy of at least 6 mos") == [{"life_expectancy_months": {"ge": 6}}]
    assert _inclusion("Life expectancy > 12 wks.") == [{"life_expectancy_months": {"gt": 2.76}}]
    assert _exclusion("Life expectancy \\<1 yr") == [({"life_expectancy_months": {"lt": 12}}, 0.9)]
    assert _exclusion("Prognosis of less than 3 months") == [({"life_expectancy_months": {"lt": 3}}, 0.9)]
    assert _inclusion("Survival prognosis ≥ 6 months") == [{"life_expectancy_months": {"ge": 6}}]
    # a prognosis that is no survival, and an abbreviation that is no unit, are not read
    assert _exclusion("Poor prognosis score > 3") == []
    assert _exclusion("Life expectancy < 3 mol") == []


def test_a_consent_to_something_other_than_the_study_is_not_the_studys_consent() -> None:
    # a procedure's, a sample's or the hospital's consent is not the signed study consent (each had been drafted
    # as the study consent at 0.6 or 0.7)
    assert _inclusion("Written informed consent obtained for the pleural biopsy") == []
    assert _inclusion("Able to give informed consent to the procedure") == []
    assert _inclusion("Signed informed consent for storage of tissue in the biobank") == []
    assert _inclusion("Has provided written informed consent for HIV testing") == []
    assert _inclusion("Patients who have signed the hospital's general consent form") == []
    assert _exclusion("Refusal to give written informed consent for surgery") == []
    assert _exclusion("Did not sign informed consent for the bronchoscopy") == []
    # the study's own consent, however it is named after the consent, is read as before
    assert _inclusion("Signed informed consent for participation in the study") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Able to give written informed consent to take part") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Written informed consent for this trial") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Signed informed consent to all study procedures") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Parents must give informed consent for their child to participate") == [
        {"ref": "informed_consent_signed"}]
    assert _inclusion("Signed informed consent to receive the study medication") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Written informed consent given to the investigators") == [{"ref": "informed_consent_signed"}]
    assert _exclusion("Refusal to give informed consent for the study") == [(_NOT_CONSENTED, 0.7)]
    # 'part' alone is no taking part
    assert _inclusion("Signed consent for the thoracentesis as part of routine care") == []


_OUTSIDE_18_90 = {"any": [{"age": {"lt": 18}}, {"age": {"gt": 90}}]}


def test_an_exclusion_of_ages_either_side_without_the_word_age_is_read() -> None:
    # 'Age younger than 18 years or older than 75 years' was read; without 'Age' before it the upper bound had not
    # been taken for an age ('Patients younger than 18 years of age or older than 90 years' drafted nothing)
    assert _exclusion("Patients younger than 18 years of age or older than 90 years") == [(_OUTSIDE_18_90, 0.8)]
    assert _exclusion("Subjects younger than 18 years or older than 90 years") == [(_OUTSIDE_18_90, 0.8)]
    assert _exclusion("Less than 18 years of age or more than 90 years of age") == [(_OUTSIDE_18_90, 0.8)]
    # a time since something after the 'or' is no age (and the item is left whole for review, as before)
    assert _exclusion("Patients younger than 18 years or more than 2 years since transplant") == []


def test_a_consent_obtained_after_inclusion_or_replaced_by_another_is_left_for_review() -> None:
    # a consent sought after the participant is included is no record at screening, and one that another consent
    # or a consultee may replace is not the signed consent alone (each had been drafted as the signed consent at 0.6)
    assert _inclusion("Written informed consent to be obtained within 48 hours after randomisation") == []
    assert _inclusion("Informed consent will be obtained retrospectively from patients who survive") == []
    assert _inclusion("Signed informed consent (deferred consent allowed in the emergency setting)") == []
    assert _inclusion("Written informed consent (oral consent is acceptable if the patient cannot write)") == []
    assert _inclusion("Able to give informed consent; where this is not possible, a consultee will be asked") == []
    # a consent before inclusion, or before a procedure, is read as before
    assert _inclusion("Written informed consent obtained before randomisation") == [{"ref": "informed_consent_signed"}]
    assert _inclusion("Written informed consent prior to any study procedure") == [{"ref": "informed_consent_signed"}]
