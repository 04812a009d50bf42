"""Regression tests for what the sixty-fourth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_a_consent_named_by_whose_it_is_and_obtained_is_the_consent() -> None:
    # 'Parental consent and child assent are obtained.' had been left for review (a library-known miss): a consent
    # obtained was read only as 'informed consent' or 'written consent', not named by whose it is
    consent = [{"ref": "informed_consent_signed"}]
    assert _inclusion("Parental consent obtained") == consent
    assert _inclusion("Parental consent and child assent must be obtained") == consent
    assert _inclusion("Parental consent and assent of the child are obtained before enrolment.") == consent
    assert _inclusion("Patient consent has been obtained") == consent
    assert _inclusion("Participant consent is signed") == consent
    assert _inclusion("Parents' consent given") == consent
    assert _inclusion("Guardian consent obtained") == consent
    # as before: a consent to something else, a waived one, one after inclusion, a refusal: none
    assert _inclusion("Parental consent obtained for the blood draw") == []
    assert _inclusion("Parental consent is not required") == []
    assert _inclusion("Parental consent obtained after randomisation") == []
    assert _inclusion("Parental consent not obtained") == []
    assert _excluded("Parental consent not obtained") == []
    assert _inclusion("Parental consent to the surgery obtained") == []


def test_an_age_range_from_zero_in_months_leaves_no_bound() -> None:
    # probing 'Between 0 to 30 days of age': 'Infants 0 to 6 months of age' had been drafted as age >= 0 (wrong at 0.6:
    # the upper bound in months cannot be written in completed years, and the lower one kept, 0, says nothing)
    assert _inclusion("Infants 0 to 6 months of age") == []
    assert _inclusion("Age 0-18 months") == []
    assert _inclusion("Children aged 0 to 11 months") == []
    assert _inclusion("Infants from 0 to 12 months old") == []
    # as before: a range in years from 0, an upper bound in years kept beside a lower one in months
    assert _inclusion("Children 0 to 5 years of age") == [{"age": {"between": [0, 5]}}]
    assert _inclusion("Age 3 months to 17 years") == [{"age": {"le": 17}}]
    assert _inclusion("Age 12 months to 6 years") == [{"age": {"between": [1, 6]}}]
    assert _inclusion("Age: 0 months to 12 years") == [{"age": {"between": [0, 12]}}]


def test_an_informed_consent_not_obtained_is_no_consent_asked_for() -> None:
    # probing 'Informed Consent as documented by signature': 'Informed consent not obtained' in an inclusion had been
    # drafted as the signed consent (wrong at 0.7: the 'not' between the consent and its verb was skipped)
    assert _inclusion("Informed consent not obtained") == []
    assert _inclusion("Informed consent not yet signed") == []
    assert _inclusion("Informed consent has never been given") == []
    # as before: the consent obtained, signed or documented
    consent = [{"ref": "informed_consent_signed"}]
    assert _inclusion("Informed consent as documented by signature") == consent
    assert _inclusion("Informed consent obtained") == consent
    assert _inclusion("Informed consent has been signed by the patient") == consent
    assert _inclusion("Informed consent form signed and dated") == consent


def test_an_age_after_a_person_word_and_at_is_todays_age() -> None:
    # probing 'children at age of 7-9 years': 'Boys and girls at age of 6-12 years' had been left for review (a
    # library-known miss): 'girls at age of' was read as an age at a past point ('Myocardial infarction at less than
    # 45 years'), only patients, children, adults, women, men ... being read as the people themselves
    assert _inclusion("Boys and girls at age of 6-12 years") == [{"age": {"between": [6, 12]}}]
    assert _inclusion("Males and females at age of 18-65 years") == [{"age": {"between": [18, 65]}}]
    assert _inclusion("Adolescents at the age of 12-17 years") == [{"age": {"between": [12, 17]}}]
    assert _inclusion("Students at age 18 to 25 years") == [{"age": {"between": [18, 25]}}]
    # as before: an event at an age is not today's age
    assert _inclusion("Myocardial infarction at less than 45 years of age") == []
    assert _inclusion("Menarche at age 10 to 16 years") == []
    assert _excluded("Stroke at age under 50 years") == []


def test_a_consent_named_alone_and_obtained_is_the_consent() -> None:
    # probing 'Informed Consent as documented by signature': 'Consent documented by signature', 'Consent obtained' had
    # been left for review (only an informed or written consent was read with its verb after it)
    consent = [{"ref": "informed_consent_signed"}]
    assert _inclusion("Consent documented by signature") == consent
    assert _inclusion("Consent obtained") == consent
    assert _inclusion("Consent form signed") == consent
    assert _inclusion("Consent signed by the patient or a legal representative") == consent
    # not one for something else, after inclusion, or not obtained
    assert _inclusion("Consent obtained for blood sampling") == []
    assert _inclusion("Consent obtained after randomisation") == []
    assert _inclusion("Consent not obtained") == []
    assert _excluded("Consent obtained") == []
