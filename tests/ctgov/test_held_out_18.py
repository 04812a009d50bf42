"""Regression tests for what the eighteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

CONSENT = {"ref": "informed_consent_signed"}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_previous_or_concurrent_malignancy_is_another_one_than_the_trials_own() -> None:
    # in a cancer trial the trial's own cancer is concurrent: the exception is the disease under study
    assert _whens("History of previous or concurrent cancer", "exclusion") == [None]
    assert _whens("Concurrent or prior malignancies", "exclusion") == [None]
    assert _whens("Past or current malignant disease", "exclusion") == [None]
    # an active malignancy alone is still one
    assert _whens("Active malignancy", "exclusion") == [{"ref": "active_malignancy"}]


def test_active_tuberculosis_within_a_window_is_a_record_of_the_disease_in_that_window() -> None:
    # active at some time in the window, not active now: the window is not dropped
    assert _whens("Active TB in the 6 months before screening", "exclusion") == [
        {"condition": {"code": "tuberculosis", "within": "6 months"}}]
    assert _whens("Had active tuberculosis during the past 2 years", "exclusion") == [
        {"condition": {"code": "tuberculosis", "within": "2 years"}}]
    assert _whens("Active TB", "exclusion") == [{"ref": "active_tuberculosis"}]


def test_whichever_compares_alternatives_anywhere_in_the_sentence() -> None:
    # 'whichever is shorter' picks between a window and another one (half-lives) in another clause
    assert _whens("Took part in another interventional study less than 30 days before dosing (last visit) or 5 "
                  "elimination half-lives of its drug, whichever is longer", "exclusion") == [None]
    assert _whens("Participation in another clinical trial within 3 months", "exclusion") == [
        {"participation": {"within": "3 months"}}]


def test_the_signing_of_the_consent_as_a_point_in_time_is_no_condition_on_an_age() -> None:
    assert _whens("When giving informed consent, patients are aged 40-70 years") == [
        {"age": {"between": [40, 70]}}]
    assert _whens("When signing the ICF, subjects aged 50 to 80") == [{"age": {"between": [50, 80]}}]
    # a condition at the start is still one
    assert _whens("When pregnant, age 18-40 years") == [None]


def test_consent_written_as_agreeing_to_take_part_or_signing_a_consent_document() -> None:
    assert _whens("Patient voluntarily agrees to take part in the trial") == [CONSENT]
    assert _whens("Participant or legal guardian willing to sign the consent document") == [CONSENT]
    # agreeing to something else is no consent, nor a bare agreement to take part and comply (a willingness)
    assert _whens("Agrees to use two methods of contraception") == []
    assert _whens("Subjects who agree to take part and to attend all visits") == []
