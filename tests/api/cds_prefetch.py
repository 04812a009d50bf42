"""CDS Hooks prefetch built from a patient's FHIR Bundle, as an EHR's FHIR server would answer the
discovery document's templates: the Patient read, and one complete searchset Bundle per search
(null when a search finds nothing), with server URLs and `Patient/<id>` references."""

from __future__ import annotations

import json
from typing import Any

from api import cds

BASE = "https://ehr.example.org/fhir"
# prefetch key -> the resource types its search returns (matches, then _include'd resources)
KEY_TYPES = {
    "conditions": ("Condition",),
    "observations": ("Observation",),
    "medicationRequests": ("MedicationRequest", "Medication"),
    "medicationStatements": ("MedicationStatement",),
    "procedures": ("Procedure",),
    "researchSubjects": ("ResearchSubject", "ResearchStudy"),
    "consents": ("Consent",),
    "encounters": ("Encounter",),
    "allergies": ("AllergyIntolerance",),
    "immunizations": ("Immunization",),
}


def prefetch_from_bundle(bundle: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(patient id, prefetch) for the one patient of `bundle`."""
    entries = [e for e in bundle["entry"] if isinstance(e.get("resource"), dict)]
    for n, e in enumerate(entries):
        e["resource"].setdefault("id", f"{e['resource']['resourceType'].lower()}-{n}")
    text = json.dumps(entries)
    for e in entries:  # urn:uuid references become the server's Type/id references
        if e.get("fullUrl"):
            r = e["resource"]
            text = text.replace(json.dumps(e["fullUrl"]), json.dumps(f"{r['resourceType']}/{r['id']}"))
    resources = [e["resource"] for e in json.loads(text)]
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    prefetch: dict[str, Any] = {"patient": patient}
    for key, types in KEY_TYPES.items():
        found = [{"fullUrl": f"{BASE}/{r['resourceType']}/{r['id']}", "resource": r,
                  "search": {"mode": "match" if r["resourceType"] == types[0] else "include"}}
                 for r in resources if r["resourceType"] in types]
        prefetch[key] = {"resourceType": "Bundle", "type": "searchset", "total": len(found), "entry": found} \
            if found else None
    assert set(prefetch) == set(cds.PREFETCH)
    return patient["id"], prefetch


def hook_request(pid: str, prefetch: dict[str, Any] | None) -> dict[str, Any]:
    req: dict[str, Any] = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": pid, "encounterId": "89284"},
    }
    if prefetch is not None:
        req["prefetch"] = prefetch
    return req
