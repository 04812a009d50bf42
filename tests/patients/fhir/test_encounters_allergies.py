"""Encounter and AllergyIntolerance: imported from real-shaped resources and exported back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.fhir import profile_from_fhir_json
from patients.fhir.export import profile_to_fhir
from patients.io import parse_patient
from tests.patients.fhir.helpers import JORDAN, bundle, patient, read

ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def visit(code: str, start: str, end: str | None = None, status: str = "finished", **kw: Any) -> dict[str, Any]:
    period = {"start": start, **({"end": end} if end else {})}
    return {"resourceType": "Encounter", "status": status, "class": {"system": ACT, "code": code},
            "subject": {"reference": "Patient/p1"}, "period": period, **kw}


def metformin_intolerance(**kw: Any) -> dict[str, Any]:
    # shaped as the FHIR R4 AllergyIntolerance example, with an RxNorm ingredient
    return {"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/p1"},
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                           "code": "active"}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                         "allergyintolerance-verification", "code": "confirmed"}]},
            "type": "intolerance", "category": ["medication"], "criticality": "low",
            "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "6809",
                                 "display": "metformin"}]},
            "onsetDateTime": "2019-03-01", **kw}


def test_synthea_encounters_keep_their_class_type_and_day() -> None:
    p, warnings = profile_from_fhir_json(read(JORDAN), "jordan.json")
    assert p.encounters and not any("Encounter" in w for w in warnings)
    classes = {e.class_.value for e in p.encounters}
    assert classes <= {"outpatient", "inpatient", "emergency"} and "outpatient" in classes
    first = p.encounters[0]
    assert first.code is not None and first.code.system == "snomed" and first.start <= (first.end or first.start)


def test_visits_that_did_not_take_place_are_left_out_and_classes_read() -> None:
    p, warnings = profile_from_fhir_json(bundle(
        patient(), visit("AMB", "2026-03-01T09:00:00Z"), visit("IMP", "2026-04-01", "2026-04-05"),
        visit("EMER", "2026-05-01", status="cancelled"), visit("XYZ", "2026-06-01")), "in.json")
    assert [(e.class_.value, e.start, e.end) for e in p.encounters] == [
        ("outpatient", dt.date(2026, 3, 1), None), ("inpatient", dt.date(2026, 4, 1), dt.date(2026, 4, 5)),
        ("other", dt.date(2026, 6, 1), None)]
    assert any("'cancelled': not imported" in w for w in warnings)
    assert any("class 'XYZ'" in w for w in warnings)


def test_an_allergy_intolerance_is_imported_with_its_statuses() -> None:
    p, _ = profile_from_fhir_json(bundle(patient(), metformin_intolerance()), "in.json")
    (a,) = p.allergies
    assert a.type is not None and a.category is not None and a.clinical_status is not None
    assert (a.code.system, a.code.code, a.type.value, a.category.value, a.clinical_status.value, a.onset) == (
        "rxnorm", "6809", "intolerance", "medication", "active", dt.date(2019, 3, 1))
    p, warnings = profile_from_fhir_json(bundle(patient(), metformin_intolerance(verificationStatus={"coding": [
        {"code": "entered-in-error"}]})), "in.json")
    assert p.allergies == [] and any("entered-in-error" in w for w in warnings)


def test_encounters_and_allergies_survive_export_and_import() -> None:
    p = parse_patient({"id": "p1", "encounters": [
        {"class": "outpatient", "start": "2026-03-01", "code": {"system": "snomed", "code": "185349003"}},
        {"class": "inpatient", "start": "2026-04-01", "end": "2026-04-05"}],
        "allergies": [{"code": {"system": "rxnorm", "code": "6809"}, "type": "intolerance", "category": "medication",
                       "clinical_status": "active", "verification_status": "confirmed", "onset": "2019-03-01"}]})
    back, warnings = profile_from_fhir_json(profile_to_fhir(p), "out.json")
    assert back.encounters == p.encounters and back.allergies == p.allergies
    assert warnings == []
