"""Regression tests for what the fiftieth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_an_age_label_closed_by_a_semicolon_opens_its_value() -> None:
    # 'Age; 18-65' had drafted nothing: the semicolon after the bare label ended a sentence holding only 'Age',
    # so the range after it had no age word before it (as 'Age: 18-65' has)
    assert _inclusion("Age; 20-70") == [{"age": {"between": [20, 70]}}]
    assert _inclusion("Ages; 16 to 40") == [{"age": {"between": [16, 40]}}]
    assert _inclusion("Age; ≥ 21") == [{"age": {"ge": 21}}]
    assert _inclusion("age ; > 50") == [{"age": {"gt": 50}}]
    assert _excluded("Age; < 12") == [{"age": {"lt": 12}}]
    # the old right drafts stay: a colon, a unit, or words after the label
    assert _inclusion("Age: 20-70") == [{"age": {"between": [20, 70]}}]
    assert _inclusion("Age; 30-60 years") == [{"age": {"between": [30, 60]}}]
    assert _inclusion("Age; 40 or older") == [{"age": {"ge": 40}}]
    # a semicolon after a whole sentence still ends it: the number after it is no age
    assert _inclusion("Any age; 10-20 cigarettes per day") == []
    assert _inclusion("Age-related macular degeneration; 1-3 drusen") == []


TB_EVER = {"condition": {"code": "tuberculosis"}}


def test_a_history_of_tuberculosis_is_the_disease_at_any_time() -> None:
    # 'Previous emphysema, TB, COPD' had drafted nothing: only an active tuberculosis was read. A history of
    # tuberculosis, the history word right before it or before a list it is a member of, is the disease once
    assert _exclusion("History of tuberculosis") == [(TB_EVER, 0.6)]
    assert _excluded("Previous TB") == [TB_EVER]
    assert _excluded("Prior asthma, TB or sarcoidosis") == [TB_EVER]
    assert _excluded("Past history of bronchiectasis, tuberculosis, lung fibrosis") == [TB_EVER]
    assert _excluded("History of TB within the last 2 years") == [{"condition": {"code": "tuberculosis", "within": "2 years"}}]
    assert _inclusion("No history of tuberculosis") == [{"not": TB_EVER}]
    # in an inclusion a history named is no requirement the drafter reads
    assert _inclusion("History of tuberculosis") == []
    # not a subtype, a site, an exposure, a test, a treatment or latent infection, nor another's history
    assert _excluded("History of multi-drug-resistant TB") == []
    assert _excluded("History of pulmonary tuberculosis") == []
    assert _excluded("Previous TB exposure") == []
    assert _excluded("Prior TB treatment") == []
    assert _excluded("Previous TB infection") == []
    assert _excluded("History of latent TB") == []
    assert _excluded("Previous tuberculin skin test positive") == []
    assert _excluded("Family history of tuberculosis") == []
    assert _excluded("History of contact with TB") == []
    assert _excluded("History of TB-related lung damage") == []
    assert _excluded("Prior TB sequelae") == []
    # the old right drafts stay
    assert _exclusion("Active tuberculosis") == [({"ref": "active_tuberculosis"}, 0.8)]
    assert _excluded("History of active TB") == [TB_EVER]


CONSENT = {"ref": "informed_consent_signed"}


def test_signing_the_permit_is_the_consent() -> None:
    # 'C. sign permit' (the consent form called a permit) had drafted nothing
    assert _inclusion("Sign permit") == [CONSENT]
    assert _inclusion("Patients who signed the permit") == [CONSENT]
    assert _inclusion("Willing to sign an informed permit") == [CONSENT]
    assert _inclusion("Age 30-80 years; signing the consent permit") == [{"age": {"between": [30, 80]}}, CONSENT]
    assert _excluded("Refuse to sign the permit") == [{"not": CONSENT}]
    # the capacity to sign stays left for review, as 'Unable to provide informed consent' is
    assert _excluded("Unable to sign permit") == []
    # a permit of another kind, or a permit for something else, is no consent to the study
    assert _inclusion("Signed work permit") == []
    assert _inclusion("Holding a valid residence permit") == []
    assert _inclusion("Signed the surgical permit") == []
    assert _inclusion("Signed the permit for the operation") == []


def _ast_alt(joined: str, op: str, uln: str) -> dict[str, object]:
    return {joined: [{"latest": {"code": "ast", op: uln}}, {"latest": {"code": "alt", op: uln}}]}


def test_two_analytes_joined_by_an_ampersand_share_the_threshold() -> None:
    # probing 'Transaminase (AST/ALT) < 3 X upper normal value & Bilirubin ...': 'AST & ALT < 2 x ULN' had drafted the
    # ALT alone (0.7), leaving the AST unread; joined by '&' as by 'and', both share the threshold
    assert _inclusion("AST & ALT < 2 x ULN") == [_ast_alt("all", "lt", "2 x ULN")]
    assert _inclusion("SGOT &SGPT ≤ 3 x upper normal value") == [_ast_alt("all", "le", "3 x ULN")]
    assert _excluded("AST & ALT > 5 x ULN") == [_ast_alt("all", "gt", "5 x ULN")]
    # the old joiners stay as they were
    assert _inclusion("AST and ALT < 2 x ULN") == [_ast_alt("all", "lt", "2 x ULN")]
    assert _excluded("AST or ALT > 5 x ULN") == [_ast_alt("any", "gt", "5 x ULN")]
    # an ampersand between two requirements each with its own threshold joins nothing
    assert _inclusion("Bilirubin < 1.5 x ULN & creatinine < 1.5 mg/dL") == [
        {"latest": {"code": "total_bilirubin", "lt": "1.5 x ULN"}}, {"latest": {"code": "creatinine", "lt": "1.5 mg/dL"}}]
