"""Every coding counts: a record keeps each coding of its concept in a code system the profile
knows (`code` plus `other_codes`), ICD-10 codes with their dot; scores sent as coded answers
(ECOG as LOINC LA codes) are read as numbers. On real data (Synthea, the HL7 examples, a FHIR
export written by hand the way an EHR sends one) and on small resources."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from patients.fhir import profile_from_fhir_json, profile_to_fhir
from patients.fhir.codes import CPT, HCPCS, ICD10, ICD10CM, ICD10PCS, LOINC, RXNORM, SNOMED
from patients.fhir.namespace import EXT_PRIMARY
from patients.model import PatientProfile
from patients.scored_answers import SCORED_ANSWERS
from screening.runtime.evaluate import Screener
from tests.patients.fhir.helpers import FHIR, HL7, LUIS, bundle, obs, patient, read

EHR = FHIR / "handwritten" / "ehr-colon-cancer-ecog.json"
ATC = "http://www.whocc.no/atc"
COLON_CANCER = "e7d09c76-9a95-4ca8-85c8-33e97830bf2a"  # Luis's Condition: SNOMED CT 109838007


def codes(rec: Any) -> list[tuple[str, str]]:
    return [(c.system, c.code) for c in rec.codings()]


def condition(cid: str, *codings: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"resourceType": "Condition", "id": cid, "subject": {"reference": "Patient/p1"},
            "code": {"coding": list(codings)}, **kw}


def coding(system: str, code: str, display: str | None = None, **kw: Any) -> dict[str, Any]:
    c = {"system": system, "code": code, **kw}
    if display:
        c["display"] = display
    return c


def ecog(oid: str, **kw: Any) -> dict[str, Any]:
    return obs(oid, code={"coding": [coding(LOINC, "89247-1", "ECOG Performance Status score")]}, **kw)


# -- real data ----------------------------------------------------------------------------------------

def test_synthea_concepts_have_one_coding_each(synthea: dict[str, tuple[PatientProfile, list[str]]]) -> None:
    """Synthea (v2.4) codes every concept in one system (conditions and procedures in SNOMED CT,
    results in LOINC, medications in RxNorm): its records have no other codes."""
    for name, (profile, _) in synthea.items():
        records = profile.conditions + profile.observations + profile.medications + profile.procedures
        assert records and all(r.other_codes == [] for r in records), name
    luis, _ = synthea["Luis"]
    assert ("snomed", "109838007") in {(c.code.system, c.code.code) for c in luis.conditions}


def test_a_synthea_condition_coded_in_several_systems_keeps_them_all() -> None:
    """Luis's colon cancer as an EHR codes it: the Synthea record plus its ICD-10-CM code, sent
    without its dot (C188), and the same code again with it."""
    data = read(LUIS)
    cond = next(e["resource"] for e in data["entry"] if e["resource"]["id"] == COLON_CANCER)
    cond["code"]["coding"][:0] = [coding(ICD10CM, "C188", "Malignant neoplasm of overlapping sites of colon")]
    cond["code"]["coding"].append(coding(ICD10CM, "C18.8"))
    profile, _ = profile_from_fhir_json(data)
    (c,) = [c for c in profile.conditions if c.code.code == "109838007"]
    # SNOMED CT is `code` (the preference for conditions), the ICD-10-CM code follows, once, dotted
    assert codes(c) == [("snomed", "109838007"), ("icd10cm", "C18.8")]
    assert c.code.display == "Overlapping malignant neoplasm of colon"
    assert c.other_codes[0].display == "Malignant neoplasm of overlapping sites of colon"
    assert c.onset == dt.date(2021, 2, 23) and c.verification_status and c.verification_status.value == "confirmed"


def test_hl7_body_weight_keeps_every_known_coding() -> None:
    """observation-example: two LOINC codes, a SNOMED CT code and a code of a system the profile
    does not know (left out; the record has other codes, so no warning)."""
    profile, warnings = profile_from_fhir_json(bundle(read(HL7 / "patient-example.json"), read(HL7 / "observation-example.json")))
    (o,) = profile.observations
    assert codes(o) == [("loinc", "29463-7"), ("loinc", "3141-9"), ("snomed", "27113001")]
    assert warnings == []


def test_an_ehr_export_written_by_hand(screener: Screener) -> None:
    """tests/fixtures/fhir/handwritten: conditions coded in ICD-10-CM only and in ICD-10-CM and
    SNOMED CT (one without its dot), diagnoses not yet confirmed, a procedure in CPT and
    ICD-10-PCS, a drug in RxNorm and HCPCS (by its OID), ECOG as a number with an LA
    interpretation (mCODE) and as an LA answer."""
    profile, warnings = profile_from_fhir_json(read(EHR), EHR.name)
    assert warnings == []
    by_id = {c.code.code: c for c in profile.conditions}
    assert codes(by_id["C18.7"]) == [("icd10cm", "C18.7")]
    assert codes(by_id["44054006"]) == [("snomed", "44054006"), ("icd10cm", "E11.9")]  # sent as E119
    assert codes(by_id["59282003"]) == [("snomed", "59282003"), ("icd10cm", "I26.99")]
    # diagnoses not (yet) confirmed are imported with their status
    statuses = {code: c.verification_status and c.verification_status.value for code, c in by_id.items()}
    assert statuses == {"C18.7": "confirmed", "44054006": "confirmed", "59282003": "provisional",
                        "K57.30": "differential", "I82.401": "unconfirmed"}
    (colectomy,) = profile.procedures
    assert codes(colectomy) == [("icd10pcs", "0DTN0ZZ"), ("cpt", "44140")] and colectomy.date == dt.date(2024, 3, 11)
    (carboplatin,) = profile.medications
    assert codes(carboplatin) == [("rxnorm", "40048"), ("hcpcs", "J9045")]
    assert [(o.date, o.value, o.unit, o.answer and o.answer.code) for o in profile.observations] == [
        (dt.date(2024, 4, 15), 0.0, None, "LA9622-7"), (dt.date(2024, 6, 3), 1.0, None, "LA9623-5")]
    # the answer-coded ECOG reaches the criterion as the number 1
    report = screener.screen(profile, dt.date(2024, 6, 20), ["NCT01420432"])
    c = next(c for c in next(r for r in report.results if r.trial_id == "NCT01420432").criteria if c.id == "ecog_0_2")
    assert c.status == "pass" and c.evidence[0].value == 1.0 and c.evidence[0].date == dt.date(2024, 6, 3)
    # and the profile round-trips through the export
    again, warnings = profile_from_fhir_json(profile_to_fhir(profile))
    assert again == profile and warnings == []


# -- small resources --------------------------------------------------------------------------------

def test_order_duplicates_and_primary() -> None:
    resources = [
        patient(),
        # input order is kept after `code`; a code given twice (with and without its dot) is kept once
        condition("icd-first", coding(ICD10, "C509"), coding(ICD10CM, "C50.919"), coding(SNOMED, "254837009"),
                  coding(ICD10, "C50.9", "Malignant neoplasm of breast, unspecified")),
        # a clearly local coding is kept too; an unknown system is left out
        condition("local", coding("urn:local:hospital", "BRCA"), coding("http://example.org/x", "1"),
                  coding(SNOMED, "254837009")),
        condition("only-local", coding("https://intranet.example.nl/dx", "77")),
        # the project's export marks `code` when it is not in the preferred system
        condition("marked", coding(SNOMED, "254837009"), coding(ICD10CM, "C50.919", extension=[
            {"url": EXT_PRIMARY, "valueBoolean": True}])),
        # two marks tell nothing: the preference decides
        condition("two-marks", coding(ICD10CM, "C50.919", extension=[{"url": EXT_PRIMARY, "valueBoolean": True}]),
                  coding(SNOMED, "254837009", extension=[{"url": EXT_PRIMARY, "valueBoolean": True}])),
    ]
    profile, warnings = profile_from_fhir_json(bundle(*resources))
    assert [codes(c) for c in profile.conditions] == [
        [("snomed", "254837009"), ("icd10", "C50.9"), ("icd10cm", "C50.919")],
        [("snomed", "254837009"), ("local", "BRCA")],
        [("local", "77")],
        [("icd10cm", "C50.919"), ("snomed", "254837009")],
        [("snomed", "254837009"), ("icd10cm", "C50.919")],
    ]
    assert profile.conditions[0].other_codes[0].display is None  # the first of the two spellings stands
    assert warnings == []


def test_codings_that_cannot_be_used() -> None:
    long_code = "X" * 70
    resources = [
        patient(),
        condition("long-and-short", coding(SNOMED, long_code), coding(ICD10CM, "C50.919")),
        condition("only-long", coding(SNOMED, long_code)),
        condition("unknown", coding("http://example.org/x", "1"), coding("http://www.ama-assn.org/go/cpt-typo", "2")),
    ]
    profile, warnings = profile_from_fhir_json(bundle(*resources))
    assert [codes(c) for c in profile.conditions] == [[("icd10cm", "C50.919")]]
    text = "\n".join(warnings)
    assert "Condition/long-and-short code: code longer than 64 characters (XXXXXXXXXXXXXXXXXXXX...): not used" in text
    assert "Condition/only-long code: code longer than 64 characters (XXXXXXXXXXXXXXXXXXXX...): not imported" in text
    assert ("Condition/unknown code: code system http://example.org/x, http://www.ama-assn.org/go/cpt-typo is not "
            "one the profile knows (LOINC, SNOMED CT, ICD-10, ICD-10-CM, ICD-10-PCS, CPT, HCPCS, ATC, RxNorm, CVX, "
            "or a clearly local one): not imported") in text


@pytest.mark.parametrize(("system", "ours"), [
    (ICD10PCS, "icd10pcs"), ("urn:oid:2.16.840.1.113883.6.4", "icd10pcs"),
    ("http://terminology.hl7.org/CodeSystem/icd10PCS", "icd10pcs"),
    (CPT, "cpt"), ("urn:oid:2.16.840.1.113883.6.12", "cpt"),
    (HCPCS, "hcpcs"), ("urn:oid:2.16.840.1.113883.6.285", "hcpcs"),
])
def test_procedure_code_systems(system: str, ours: str) -> None:
    proc = {"resourceType": "Procedure", "id": "p", "status": "completed", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [coding(system, "0DTN0ZZ")]}, "performedDateTime": "2024-03-11"}
    profile, warnings = profile_from_fhir_json(bundle(patient(), proc))
    assert codes(profile.procedures[0]) == [(ours, "0DTN0ZZ")] and warnings == []


def test_icd10pcs_is_preferred_to_cpt_and_codes_are_not_dotted() -> None:
    proc = {"resourceType": "Procedure", "id": "p", "status": "completed", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [coding(CPT, "44140"), coding(ICD10PCS, "0DTN0ZZ"), coding(SNOMED, "24724007")]},
            "performedDateTime": "2024-03-11"}
    profile, _ = profile_from_fhir_json(bundle(patient(), proc))
    assert codes(profile.procedures[0]) == [("snomed", "24724007"), ("cpt", "44140"), ("icd10pcs", "0DTN0ZZ")]


def test_medication_ingredients_keep_their_codings() -> None:
    med = {"resourceType": "Medication", "id": "m1",
           "code": {"coding": [coding("http://hl7.org/fhir/sid/ndc", "0703-4244-01")]},
           "ingredient": [{"itemCodeableConcept": {"coding": [coding(ATC, "L01XA02"), coding(RXNORM, "40048")]}},
                          {"itemCodeableConcept": {"coding": [coding(RXNORM, "32592"), coding(ATC, "L01XA03")]}}]}
    stmt = {"resourceType": "MedicationStatement", "id": "s1", "status": "active", "subject": {"reference": "Patient/p1"},
            "medicationReference": {"reference": "Medication/m1"}, "effectiveDateTime": "2024-04-15"}
    profile, warnings = profile_from_fhir_json(bundle(patient(), med, stmt))
    assert [codes(m) for m in profile.medications] == [[("rxnorm", "40048"), ("atc", "L01XA02")],
                                                       [("rxnorm", "32592"), ("atc", "L01XA03")]]
    assert any("recorded its ingredients instead (rxnorm:40048, rxnorm:32592)" in w for w in warnings)


def test_verification_statuses_short_of_confirmed_are_imported() -> None:
    resources = [patient()] + [
        condition(vs, coding(SNOMED, "59282003"), verificationStatus={"coding": [
            coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", vs)]})
        for vs in ("confirmed", "provisional", "differential", "unconfirmed", "refuted", "entered-in-error")]
    profile, warnings = profile_from_fhir_json(bundle(*resources))
    assert [c.verification_status and c.verification_status.value for c in profile.conditions] == [
        "confirmed", "provisional", "differential", "unconfirmed"]
    assert "Condition/refuted verificationStatus: refuted: not imported" in warnings
    assert "Condition/entered-in-error verificationStatus: entered-in-error: not imported" in warnings


# -- scores sent as coded answers -------------------------------------------------------------------

LA = {"LA9622-7": 0, "LA9623-5": 1, "LA9624-3": 2, "LA9625-0": 3, "LA9626-8": 4, "LA9627-6": 5}


def test_the_ecog_answer_list_is_the_loinc_one() -> None:
    (ecog_list,) = [s for s in SCORED_ANSWERS if s.name == "ECOG performance status"]
    assert {code: score for (system, code), score in ecog_list.scores.items() if system == "loinc"} == LA
    assert {("loinc", "89247-1"), ("loinc", "89262-0")} <= ecog_list.analytes


@pytest.mark.parametrize(("answer", "score"), sorted(LA.items()))
def test_ecog_loinc_answers_are_scores(answer: str, score: int) -> None:
    profile, warnings = profile_from_fhir_json(bundle(patient(), ecog("e", valueCodeableConcept={
        "coding": [coding(LOINC, answer)]})))
    (o,) = profile.observations
    assert (o.value, o.unit, o.result, o.answer and (o.answer.system, o.answer.code)) == (score, None, None, ("loinc", answer))
    assert warnings == []


def test_ecog_answers_in_other_shapes() -> None:
    interpretation = "http://loinc.org/89262-0"
    resources = [
        patient(),
        # LOINC and SNOMED CT answers that agree (MII oncology); the observation coded in both systems
        obs("both", code={"coding": [coding(SNOMED, "423740007"), coding(LOINC, "89262-0")]},
            valueCodeableConcept={"coding": [coding(LOINC, "LA9624-3"), coding(SNOMED, "422894000")]}),
        # answers that disagree: no score
        ecog("disagree", valueCodeableConcept={"coding": [coding(LOINC, "LA9623-5"), coding(SNOMED, "422894000")]}),
        # an ECOG answer in a list the table does not hold: a coded result, with a warning
        ecog("other-list", valueCodeableConcept={"coding": [coding(interpretation, "2")], "text": "ECOG 2"}),
        # a number whose interpretation disagrees with it
        ecog("contradiction", valueInteger=1, interpretation=[{"coding": [coding(LOINC, "LA9625-0")]}]),
        # LA9627-6 is Karnofsky 0 % for a Karnofsky score: not read as ECOG 5
        obs("karnofsky", code={"coding": [coding(LOINC, "89243-0", "Karnofsky Performance Status score")]},
            valueCodeableConcept={"coding": [coding(LOINC, "LA9627-6")]}),
    ]
    profile, warnings = profile_from_fhir_json(bundle(*resources))
    got = [(o.code.code, o.value, o.result, o.answer and o.answer.code) for o in profile.observations]
    assert got == [("89262-0", 2.0, None, "LA9624-3"), ("89247-1", None, "ECOG 2", None),
                   ("89243-0", None, "loinc:LA9627-6", None)]
    assert codes(profile.observations[0]) == [("loinc", "89262-0"), ("snomed", "423740007")]
    text = "\n".join(warnings)
    assert ("Observation/disagree valueCodeableConcept: answers loinc:LA9623-5, snomed:422894000 stand for "
            "different scores (1, 2): not imported") in text
    assert ("Observation/other-list valueCodeableConcept: no answer of the ECOG performance status list: read as "
            "a coded result, not as a score") in text
    assert ("Observation/contradiction interpretation: the value 1 and its interpretation loinc:LA9625-0 (score 3) "
            "disagree: not imported") in text


def test_an_answer_must_stand_for_the_value() -> None:
    base = {"code": {"system": "loinc", "code": "89247-1"}, "date": "2024-06-03", "value": 1.0,
            "answer": {"system": "loinc", "code": "LA9623-5"}}
    PatientProfile.model_validate({"id": "p", "observations": [base]})
    for change, message in [({"value": 2.0}, "stands for 1, not for the `value` 2"),
                            ({"code": {"system": "loinc", "code": "89243-0"}}, "not a scored answer of this observation's code"),
                            ({"answer": {"system": "snomed", "code": "LA9623-5"}}, "not a scored answer")]:
        with pytest.raises(ValueError, match=message):
            PatientProfile.model_validate({"id": "p", "observations": [base | change]})


def test_each_code_once_and_icd_codes_dotted_in_profiles() -> None:
    doc = {"id": "p", "conditions": [{"code": {"system": "icd10cm", "code": "c188"}}]}
    assert PatientProfile.model_validate(doc).conditions[0].code.code == "C18.8"
    twice = copy.deepcopy(doc)
    twice["conditions"][0]["other_codes"] = [{"system": "icd10cm", "code": "C18.8"}]
    with pytest.raises(ValueError, match="icd10cm:C18.8 is given twice"):
        PatientProfile.model_validate(twice)
