"""Regression tests for what the forty-fifth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_an_age_at_the_onset_or_diagnosis_of_a_named_disease_is_not_todays_age() -> None:
    # 'Older than 50 years of age at migraine onset' had been drafted at 0.6 as an age over 50 today
    assert _excluded("Over 60 years old at asthma onset") == []
    assert _excluded("Aged 40 years or more at the time of diabetes diagnosis") == []
    assert _inclusion("Younger than 30 years at multiple sclerosis onset") == []
    assert _inclusion("Less than 18 years of age at epilepsy diagnosis") == []
    # an age at a point of the study itself is today's, as before
    assert _inclusion("Older than 18 years at the screening visit") == [{"age": {"gt": 18}}]
    assert _excluded("Older than 65 years of age") == [{"age": {"gt": 65}}]


def test_agreeing_to_take_part_voluntarily_with_the_adverb_after_the_verb_is_consent() -> None:
    # 'Those who have agreed to voluntarily decide to participate and observe the instructions after hearing the
    # detailed explanation ...' had been left for review: 'voluntarily agreed to participate' was read, not this order
    consent = [{"ref": "informed_consent_signed"}]
    assert _inclusion("Subjects who agree to voluntarily participate in the trial") == consent
    assert _inclusion("Has agreed to voluntarily decide to take part after the study was explained") == consent
    # taking part in another study, or a bare agreement, is no consent to this one, as before
    assert _inclusion("Agrees to voluntarily participate in another study") == []
    assert _inclusion("Agrees to participate and follow the study procedures") == []
