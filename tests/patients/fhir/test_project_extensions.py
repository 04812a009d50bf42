"""What the export writes beyond plain FHIR (lesion assessments, undated statuses), read back by
the import when it has been changed on the way: each problem is a warning naming the resource
and the field, and what can be read is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.fhir import profile_from_fhir_json, profile_to_fhir
from patients.fhir.namespace import CS_LESION, CS_STATUS
from patients.model import PatientProfile

PROFILE = PatientProfile.model_validate({
    "id": "p-ext", "birth_date": "1970-05-04", "sex": "female",
    "lesions": [{"kind": "digital_ulcer", "site": "left index finger pulp", "lesion_id": "DU1", "date": "2026-09-01",
                 "diameter_mm": 4.5, "painful": True, "calcinosis": False, "trend": "worsening"}],
    "administrative": {"pregnant": False, "lactating": True, "life_expectancy_months": 9.5},
})


def exported() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The exported Bundle, and its lesion and status Observations by their code."""
    bundle = profile_to_fhir(PROFILE)
    by_code = {}
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Observation":
            by_code[r["code"]["coding"][0]["code"]] = r
    return bundle, by_code


def component(lesion: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in lesion["component"] if c["code"]["coding"][0]["code"] == code)


def test_the_export_reads_back_unchanged() -> None:
    bundle, _ = exported()
    profile, warnings = profile_from_fhir_json(bundle)
    assert profile == PROFILE and warnings == []


def test_lesion_components_that_cannot_be_read_are_left_out() -> None:
    bundle, obs = exported()
    lesion = obs["digital_ulcer"]
    component(lesion, "diameter")["valueQuantity"].update(unit="cm", code="cm")
    component(lesion, "trend")["valueCodeableConcept"]["coding"][0]["code"] = "shrinking"
    del component(lesion, "painful")["valueBoolean"]
    lesion["component"].append({"code": {"coding": [{"system": CS_LESION, "code": "colour"}]}, "valueString": "red"})
    profile, warnings = profile_from_fhir_json(bundle)
    (les,) = profile.lesions
    assert (les.kind, les.lesion_id, les.site, les.date) == ("digital_ulcer", "DU1", "left index finger pulp",
                                                            dt.date(2026, 9, 1))
    assert (les.diameter_mm, les.trend, les.painful, les.calcinosis) == (None, None, None, False)
    where = "Observation at entry[1]"
    assert warnings == [
        f"{where} component[0].valueQuantity: a diameter is an exact quantity in mm: not used",
        f"{where} component[1].valueBoolean: missing: not used",
        f"{where} component[3].valueCodeableConcept: 'shrinking' is not a lesion trend: not used",
        f"{where} component[4].code: not a lesion assessment component: not used",
    ]


def test_statuses_the_last_stands_and_unreadable_ones_are_left_out() -> None:
    bundle, obs = exported()
    pregnant = {**obs["82810-3"], "valueCodeableConcept": {
        "coding": [{"system": "http://snomed.info/sct", "code": "77386006", "display": "Pregnant"}]}}
    bundle["entry"].append({"fullUrl": "urn:uuid:00000000-0000-0000-0000-0000000000aa", "resource": pregnant})
    obs["life-expectancy"]["valueQuantity"].update(unit="wk", code="wk")
    obs["lactating"]["effectiveDateTime"] = "2026-10-01"  # dated: an observation, not a status
    profile, warnings = profile_from_fhir_json(bundle, local_systems=[CS_STATUS])
    adm = profile.administrative
    assert (adm.pregnant, adm.life_expectancy_months, adm.lactating) == (True, None, None)
    assert profile.observations == []  # a yes/no observation is not a result the profile records
    assert warnings == [
        "Observation at entry[3] valueBoolean: valueBoolean is not mapped (quantities, integers, codes and short "
        "strings are): not imported",
        "Observation at entry[4] valueQuantity: a life expectancy is an exact quantity in mo or a: not used",
        "Observation at entry[5] value[x]: contradicts an earlier pregnant status: the last one stands",
    ]
