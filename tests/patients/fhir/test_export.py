"""FHIR export and the round trip profile -> FHIR R4 Bundle -> profile.

The exported Bundles are validated with the fhir.resources R4B models; the round trip must give
back the same profile (every field of the model) and the same screening outcomes (the status of
every criterion of every trial) for the example patients and thousands of synthetic ones.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle as FhirBundle

from patients.fhir import profile_from_fhir_json, profile_to_fhir, write_fhir_cohort
from patients.fhir.namespace import CS_LESION, CS_STATUS, EXT_CRITERIA, EXT_PRIMARY
from patients.model import PatientProfile
from patients.synthetic import generate, load_spec
from screening.runtime.evaluate import Screener
from tests.paths import REPO

EXAMPLES = sorted((REPO / "patients" / "examples").glob("*.json"))
N_SYNTHETIC = 2000

# Every optional part of the model, including the rarely used ones.
FULL: dict[str, Any] = {
    "id": "patient 7/ü (not a FHIR id)",
    "birth_date": "1970-05-04",
    "sex": "other",
    "conditions": [
        {"code": {"system": "snomed", "code": "9631008", "display": "Ankylosing spondylitis"}, "onset": "2001-02-03",
         "clinical_status": "active", "verification_status": "confirmed",
         "criteria": ["modified New York", "ASAS axial SpA"], "body_site": "sacroiliac joints"},
        {"code": {"system": "icd10", "code": "C50.9"}, "onset": "2010-01-01", "abatement": "2012-06-30",
         "clinical_status": "remission", "verification_status": "provisional"},
        {"code": {"system": "local", "code": "poor-graft-function", "display": "Poor graft function"}},
        {"code": {"system": "icd10cm", "code": "T86.02"}, "clinical_status": "relapse", "verification_status": "differential"},
        # several codings, `code` not in the system the importer prefers (SNOMED CT)
        {"code": {"system": "icd10cm", "code": "C18.8", "display": "Malignant neoplasm of overlapping sites of colon"},
         "other_codes": [{"system": "snomed", "code": "109838007", "display": "Overlapping malignant neoplasm of colon"},
                         {"system": "icd10", "code": "C18.8"}],
         "onset": "2021-02-23", "clinical_status": "active", "verification_status": "unconfirmed"},
    ],
    "observations": [
        {"code": {"system": "loinc", "code": "14682-9"}, "date": "2026-10-01", "value": 88.5, "unit": "umol/L"},
        {"code": {"system": "loinc", "code": "1988-5"}, "date": "2026-10-02", "value": 0.5, "unit": "mg/L", "comparator": "<"},
        {"code": {"system": "loinc", "code": "89247-1"}, "date": "2026-10-03", "value": 1.0},
        {"code": {"system": "loinc", "code": "56888-1"}, "date": "2026-10-04", "result": "non-reactive"},
        {"code": {"system": "loinc", "code": "5195-3"}, "date": "2026-10-05", "result": "Weakly positive"},
        {"code": {"system": "snomed", "code": "123"}, "date": "2026-10-06", "value": 1.0, "unit": "{titer}",
         "comparator": ">=", "result": "positive"},
        # ECOG scores read from coded answers
        {"code": {"system": "loinc", "code": "89247-1"}, "other_codes": [{"system": "snomed", "code": "423740007"}],
         "date": "2026-10-07", "value": 2.0,
         "answer": {"system": "loinc", "code": "LA9624-3", "display": "Ambulatory and capable of all selfcare"}},
        {"code": {"system": "snomed", "code": "423740007"}, "date": "2026-10-08", "value": 4.0, "unit": "{score}",
         "answer": {"system": "snomed", "code": "423237006"}, "result": "bedbound"},
    ],
    "medications": [
        {"code": {"system": "atc", "code": "B01AC11", "display": "iloprost"}, "route": "intravenous",
         "dose": {"value": 0.5, "unit": "ng/kg/min"}, "start": "2026-05-01", "end": "2026-05-05"},
        {"code": {"system": "rxnorm", "code": "197361"}, "route": "other", "start": "2020-01-01"},
        {"code": {"system": "atc", "code": "M05BX04"}, "route": "subcutaneous", "end": "2025-01-01"},
        {"code": {"system": "atc", "code": "L04AX03"}, "route": "intraosseous", "dose": {"value": 15, "unit": "mg"}},
        {"code": {"system": "atc", "code": "R03AC02"}, "route": "inhaled"},
        {"code": {"system": "atc", "code": "D07AC01"}, "route": "topical", "start": "2026-01-01"},
        {"code": {"system": "atc", "code": "H02AB04"}, "route": "intramuscular", "start": "2026-01-01"},
        {"code": {"system": "hcpcs", "code": "J9045", "display": "Injection, carboplatin, 50 mg"},
         "other_codes": [{"system": "rxnorm", "code": "40048", "display": "carboplatin"}, {"system": "atc", "code": "L01XA02"}],
         "route": "intravenous", "start": "2026-04-01", "end": "2026-04-01"},
    ],
    "procedures": [
        {"code": {"system": "snomed", "code": "234336002"}, "date": "2026-03-01", "outcome": "engraftment failure"},
        {"code": {"system": "snomed", "code": "71651007"}, "date": "2026-03-02"},
        {"code": {"system": "cpt", "code": "44140", "display": "Colectomy, partial; with anastomosis"},
         "other_codes": [{"system": "icd10pcs", "code": "0DTN0ZZ", "display": "Resection of Sigmoid Colon, Open Approach"}],
         "date": "2021-03-11"},
    ],
    "lesions": [
        {"kind": "digital_ulcer", "site": "left index finger pulp", "lesion_id": "DU1", "date": "2026-09-01",
         "diameter_mm": 4.5, "visible_depth": True, "loss_of_dermis": False, "painful": True, "calcinosis": False,
         "trend": "worsening"},
        {"kind": "ulcer", "date": "2026-09-02", "diameter_mm": 0.0, "trend": "healed"},
        {"kind": "other", "date": "2026-09-03"},
    ],
    "administrative": {
        "informed_consent": {"signed": False, "date": "2026-10-20", "by_representative": True},
        "trial_participations": [{"trial_id": "NCT01234567", "start": "2025-01-01", "end": "2025-06-30"},
                                 {"start": "2026-08-01"}],
        "pregnant": False, "lactating": True, "adequate_contraception": False, "life_expectancy_months": 9.5,
        "msc_available": True,
    },
}


def round_trip(profile: PatientProfile) -> tuple[dict[str, Any], PatientProfile, list[str]]:
    bundle = profile_to_fhir(profile)
    again, warnings = profile_from_fhir_json(json.loads(json.dumps(bundle)), profile.id)
    return bundle, again, warnings


def resources(bundle: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def test_export_is_valid_fhir_with_references() -> None:
    profile = PatientProfile.model_validate(FULL)
    bundle = profile_to_fhir(profile)
    FhirBundle.model_validate(bundle)  # raises on anything R4B does not accept
    assert bundle["type"] == "collection"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls) and len(set(urls)) == len(urls)
    patient_url = urls[0]
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"
    refs = [r.get("subject") or r.get("individual") or r.get("patient") for e in bundle["entry"]
            for r in [e["resource"]] if r["resourceType"] not in ("Patient", "ResearchStudy")]
    assert refs and all(ref == {"reference": patient_url} for ref in refs)
    studies = {e["fullUrl"]: e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ResearchStudy"}
    subjects = resources(bundle, "ResearchSubject")
    assert studies[subjects[0]["study"]["reference"]]["identifier"] == [{"value": "NCT01234567"}]
    assert "reference" not in subjects[1]["study"]
    # the same profile always gives the same Bundle
    assert profile_to_fhir(PatientProfile.model_validate(FULL)) == bundle


def test_export_codes() -> None:
    bundle = profile_to_fhir(PatientProfile.model_validate(FULL))
    cond = resources(bundle, "Condition")[0]
    assert cond["code"]["coding"] == [{"system": "http://snomed.info/sct", "code": "9631008",
                                       "display": "Ankylosing spondylitis"}]
    assert [x for x in cond["extension"] if x["url"] == EXT_CRITERIA] == [
        {"url": EXT_CRITERIA, "valueString": "modified New York"}, {"url": EXT_CRITERIA, "valueString": "ASAS axial SpA"}]
    assert "evidence" not in cond
    assert cond["clinicalStatus"]["coding"][0]["code"] == "active"
    obs = resources(bundle, "Observation")
    creat = obs[0]
    assert creat["valueQuantity"] == {"value": 88.5, "unit": "umol/L", "system": "http://unitsofmeasure.org",
                                      "code": "umol/L"}
    assert creat["effectiveDateTime"] == "2026-10-01"
    assert obs[1]["valueQuantity"]["comparator"] == "<"
    assert obs[3]["valueCodeableConcept"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "131194007"}
    assert obs[4]["valueString"] == "Weakly positive"
    pregnancy = next(o for o in obs if o["code"]["coding"][0]["code"] == "82810-3")
    assert pregnancy["code"]["coding"][0]["system"] == "http://loinc.org"
    assert pregnancy["valueCodeableConcept"]["coding"][0]["code"] == "60001007"
    assert "effectiveDateTime" not in pregnancy
    statuses = {o["code"]["coding"][0]["code"]: o for o in obs if o["code"]["coding"][0]["system"] == CS_STATUS}
    assert set(statuses) == {"lactating", "adequate-contraception", "life-expectancy", "msc-available"}
    assert statuses["life-expectancy"]["valueQuantity"]["code"] == "mo"
    lesion = next(o for o in obs if o["code"]["coding"][0]["system"] == CS_LESION)
    assert lesion["bodySite"] == {"text": "left index finger pulp"}
    assert lesion["identifier"][0]["value"] == "DU1"
    comps = {c["code"]["coding"][0]["code"]: c for c in lesion["component"]}
    assert comps["diameter"]["valueQuantity"]["code"] == "mm" and comps["painful"]["valueBoolean"] is True
    meds = resources(bundle, "MedicationStatement")
    assert meds[0]["status"] == "completed" and meds[1]["status"] == "active"
    assert meds[0]["dosage"][0]["route"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "47625008",
                                                          "display": "Intravenous route"}
    assert meds[0]["effectivePeriod"] == {"start": "2026-05-01", "end": "2026-05-05"}
    consent = resources(bundle, "Consent")[0]
    assert consent["status"] == "rejected" and consent["scope"]["coding"][0]["code"] == "research"
    assert consent["performer"][0]["type"] == "RelatedPerson"
    assert resources(bundle, "Procedure")[0]["outcome"] == {"text": "engraftment failure"}


def test_export_writes_every_coding() -> None:
    """Several codings: one CodeableConcept, `code` first and marked as the primary coding; a
    score read from a coded answer: the number, and the answer as its interpretation."""
    bundle = profile_to_fhir(PatientProfile.model_validate(FULL))
    FhirBundle.model_validate(bundle)
    primary = [{"url": EXT_PRIMARY, "valueBoolean": True}]
    colon = resources(bundle, "Condition")[4]
    assert colon["code"] == {"coding": [
        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C18.8",
         "display": "Malignant neoplasm of overlapping sites of colon", "extension": primary},
        {"system": "http://snomed.info/sct", "code": "109838007", "display": "Overlapping malignant neoplasm of colon"},
        {"system": "http://hl7.org/fhir/sid/icd-10", "code": "C18.8"}]}
    # one coding: no mark
    assert "extension" not in resources(bundle, "Condition")[0]["code"]["coding"][0]
    colectomy = resources(bundle, "Procedure")[2]
    assert [(c["system"], c["code"]) for c in colectomy["code"]["coding"]] == [
        ("http://www.ama-assn.org/go/cpt", "44140"), ("http://www.cms.gov/Medicare/Coding/ICD10", "0DTN0ZZ")]
    carboplatin = resources(bundle, "MedicationStatement")[7]
    assert [(c["system"], c["code"]) for c in carboplatin["medicationCodeableConcept"]["coding"]] == [
        ("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "J9045"),
        ("http://www.nlm.nih.gov/research/umls/rxnorm", "40048"), ("http://www.whocc.no/atc", "L01XA02")]
    ecog = resources(bundle, "Observation")[6]
    assert ecog["valueQuantity"] == {"value": 2.0}
    assert ecog["interpretation"] == [{"coding": [{"system": "http://loinc.org", "code": "LA9624-3",
                                                   "display": "Ambulatory and capable of all selfcare"}]}]


def test_full_profile_round_trips() -> None:
    profile = PatientProfile.model_validate(FULL)
    _, again, warnings = round_trip(profile)
    # the only remark: two ongoing courses have no start date (as in the profile)
    assert warnings == ["MedicationStatement at entry[17], MedicationStatement at entry[18] effective[x]: "
                        "no start date recorded"]
    for name in PatientProfile.model_fields:
        assert getattr(again, name) == getattr(profile, name), name
    assert again == profile
    # the same data signed by the patient, no representative
    signed = FULL | {"administrative": FULL["administrative"] | {
        "informed_consent": {"signed": True, "date": "2026-10-20"}, "pregnant": True}}
    p2 = PatientProfile.model_validate(signed)
    assert round_trip(p2)[1] == p2


def test_a_minimal_profile_round_trips() -> None:
    profile = PatientProfile(id="only-an-id")
    bundle, again, warnings = round_trip(profile)
    assert len(bundle["entry"]) == 1 and again == profile and warnings == []


def test_examples_round_trip(screener: Screener) -> None:
    assert len(EXAMPLES) >= 4
    for path in EXAMPLES:
        profile = PatientProfile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        bundle, again, warnings = round_trip(profile)
        FhirBundle.model_validate(bundle)
        assert warnings == [], path.name
        assert again == profile, path.name
        for day in (dt.date(2026, 11, 20), dt.date(2027, 6, 1)):
            before = [(o.trial_id, o.verdict, o.statuses) for o in screener.outcomes(profile, day)]
            after = [(o.trial_id, o.verdict, o.statuses) for o in screener.outcomes(again, day)]
            assert before == after, path.name


@pytest.mark.slow
def test_synthetic_cohort_round_trips(screener: Screener) -> None:
    spec = load_spec()
    seen_fields: set[str] = set()
    verdicts: set[str] = set()
    for k, doc in enumerate(generate(spec, N_SYNTHETIC, seed=20261101)):
        profile = PatientProfile.model_validate(doc)
        bundle, again, warnings = round_trip(profile)
        if k % 100 == 0:  # full R4B validation of a sample (it is the slow part)
            FhirBundle.model_validate(bundle)
        assert warnings == [], (profile.id, warnings)
        assert again == profile, profile.id
        before = screener.outcomes(profile, spec.as_of)
        after = screener.outcomes(again, spec.as_of)
        assert [(o.trial_id, o.verdict, o.statuses) for o in before] == \
               [(o.trial_id, o.verdict, o.statuses) for o in after], profile.id
        verdicts.update(o.verdict for o in before)
        seen_fields.update(k for k, v in doc.items() if v)
        seen_fields.update(f"administrative.{k}" for k in doc.get("administrative", {}))
        seen_fields.update(f"conditions.{k}" for c in doc.get("conditions", []) for k in c)
        seen_fields.update(f"lesions.{k}" for c in doc.get("lesions", []) for k in c)
    # the cohort exercises every part of the export, and every verdict
    assert verdicts == {"eligible", "ineligible", "undetermined"}
    for f in ("lesions", "procedures", "conditions.criteria", "conditions.abatement", "conditions.body_site",
              "lesions.calcinosis", "lesions.painful", "administrative.pregnant", "administrative.lactating",
              "administrative.adequate_contraception", "administrative.life_expectancy_months",
              "administrative.msc_available", "administrative.trial_participations", "administrative.informed_consent"):
        assert f in seen_fields, f


def test_what_does_not_round_trip() -> None:
    """Documented losses: refuted / entered-in-error conditions (the importer leaves them out on
    purpose) and units that are not UCUM (the importer imports UCUM units only)."""
    doc = {"id": "p", "conditions": [{"code": {"system": "snomed", "code": "9631008"}, "verification_status": "refuted"}],
           "medications": [{"code": {"system": "atc", "code": "M01AE01"}, "start": "2026-01-01",
                            "dose": {"value": 2, "unit": "tablets"}}]}
    profile = PatientProfile.model_validate(doc)
    bundle, again, warnings = round_trip(profile)
    FhirBundle.model_validate(bundle)
    assert again.conditions == [] and any("refuted" in w for w in warnings)
    assert again.medications[0].dose is None and any("'tablets'" in w for w in warnings)


def test_importer_reads_exported_parts_from_foreign_bundles() -> None:
    """Status observations that carry a date stay observations (as before); an unknown lesion
    component or a malformed criteria extension is a warning, not an error."""
    bundle = profile_to_fhir(PatientProfile.model_validate(FULL))
    for r in resources(bundle, "Observation"):
        if r["code"]["coding"][0]["code"] == "82810-3":
            r["effectiveDateTime"] = "2026-10-10"
        if r["code"]["coding"][0]["system"] == CS_LESION and r.get("component"):
            r["component"].append({"code": {"coding": [{"system": CS_LESION, "code": "colour"}]}, "valueString": "red"})
    resources(bundle, "Condition")[1]["extension"] = [{"url": EXT_CRITERIA, "valueString": " "}]
    profile, warnings = profile_from_fhir_json(bundle)
    assert profile.administrative.pregnant is None
    dated = [o for o in profile.observations if o.code.code == "82810-3"]
    assert [(o.date, o.result) for o in dated] == [(dt.date(2026, 10, 10), "Not pregnant")]
    assert any("component[6].code" in w for w in warnings)
    assert profile.conditions[1].criteria == [] and any("diagnostic-criteria" in w for w in warnings)


@pytest.mark.parametrize("target", ["cohort.ndjson", "bundles"])
def test_write_fhir_cohort(tmp_path: Path, target: str) -> None:
    docs = list(generate(load_spec(), 12, seed=3))
    path = tmp_path / target
    assert write_fhir_cohort(path, iter(docs)) == 12
    if target.endswith(".ndjson"):
        texts = path.read_text(encoding="utf-8").splitlines()
    else:
        files = sorted(path.glob("*.json"))
        assert [f.name[:7] for f in files] == [f"{k:07d}" for k in range(1, 13)]
        texts = [f.read_text(encoding="utf-8") for f in files]
    assert len(texts) == 12
    for doc, text in zip(docs, texts, strict=True):
        profile, warnings = profile_from_fhir_json(json.loads(text))
        assert profile == PatientProfile.model_validate(doc) and warnings == []
