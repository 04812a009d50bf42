"""Immunization: a vaccine given is a medication record of its day; one not given, or without a
date, is not imported (with a warning)."""

from __future__ import annotations

from typing import Any

from patients.fhir import profile_from_fhir_json
from tests.patients.fhir.helpers import bundle, patient

CVX = "http://hl7.org/fhir/sid/cvx"


def immunization(iid: str, status: str = "completed", **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Immunization", "id": iid, "status": status, "patient": {"reference": "Patient/p1"},
            "vaccineCode": {"coding": [{"system": CVX, "code": "208", "display": "COVID-19, mRNA, LNP-S, PF"}]},
            **extra}


def test_a_vaccine_given_is_a_medication_of_its_day() -> None:
    profile, warnings = profile_from_fhir_json(bundle(patient(), immunization(
        "i1", occurrenceDateTime="2026-10-02T09:30:00+02:00")))
    (m,) = profile.medications
    assert (m.code.system, m.code.code, str(m.start), str(m.end)) == ("cvx", "208", "2026-10-02", "2026-10-02")
    assert warnings == []


def test_not_given_or_undated_is_not_imported() -> None:
    profile, warnings = profile_from_fhir_json(bundle(
        patient(), immunization("i2", status="not-done", occurrenceDateTime="2026-10-02"),
        immunization("i3", occurrenceString="autumn 2025")))
    assert profile.medications == []
    text = "\n".join(warnings)
    assert "Immunization/i2 status: 'not-done': not imported" in text
    assert "Immunization/i3 occurrence[x]: a vaccination without a date" in text
