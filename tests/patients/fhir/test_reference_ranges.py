"""Observation.referenceRange: the normal range reported with a result, read into the profile."""

from __future__ import annotations

from typing import Any

from patients.fhir import profile_from_fhir_json
from patients.fhir.export import profile_to_fhir
from patients.io import parse_patient
from tests.patients.fhir.helpers import bundle, example, obs, patient

UCUM = "http://unitsofmeasure.org"


def qty(value: float, code: str | None = "U/L") -> dict[str, Any]:
    return {"value": value, **({"system": UCUM, "code": code} if code else {})}


def imported(**kw: Any) -> tuple[Any, list[str]]:
    alt = obs("alt", code={"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
              valueQuantity=qty(130), **kw)
    p, warnings = profile_from_fhir_json(bundle(patient(), alt), "in.json")
    return p.observations[0].reference_range, warnings


def test_the_real_hl7_creatinine_keeps_its_range_in_the_results_unit() -> None:
    p, _ = example("observation-example-f204-creatinine.json", "f201")
    (o,) = p.observations
    assert (o.value, o.unit) == (122.0, "umol/L")
    assert o.reference_range is not None
    assert (o.reference_range.low, o.reference_range.high, o.reference_range.unit) == (64.0, 104.0, None)


def test_a_range_with_ucum_limits() -> None:
    rr, warnings = imported(referenceRange=[{"low": qty(7), "high": qty(40)}])
    assert rr is not None and (rr.low, rr.high, rr.unit) == (7.0, 40.0, "U/L")
    assert warnings == []


def test_the_normal_range_is_chosen_over_a_therapeutic_one() -> None:
    meaning = "http://terminology.hl7.org/CodeSystem/referencerange-meaning"
    rr, _ = imported(referenceRange=[
        {"high": qty(80), "type": {"coding": [{"system": meaning, "code": "treatment"}]}},
        {"high": qty(40), "type": {"coding": [{"system": meaning, "code": "normal"}]}}])
    assert rr is not None and rr.high == 40.0


def test_ranges_that_cannot_be_used_are_left_out_with_a_warning() -> None:
    rr, warnings = imported(referenceRange=[{"text": "< 40"}])
    assert rr is None and any("text only" in w for w in warnings)
    rr, warnings = imported(referenceRange=[{"high": qty(40), "age": {"low": {"value": 18, "system": UCUM,
                                                                              "code": "a"}}}])
    assert rr is None and any("part of the population" in w for w in warnings)
    rr, warnings = imported(referenceRange=[{"low": qty(50), "high": qty(40)}])
    assert rr is None and any("low 50 is above high 40" in w for w in warnings)
    rr, warnings = imported(referenceRange=[{"low": qty(7, "U/L"), "high": qty(0.7, "ukat/L")}])
    assert rr is None and any("different or unusable units" in w for w in warnings)


def test_a_range_survives_export_and_import() -> None:
    p = parse_patient({"id": "p1", "observations": [{"code": {"system": "loinc", "code": "1742-6"},
                                                     "date": "2026-10-01", "value": 130, "unit": "U/L",
                                                     "reference_range": {"low": 7, "high": 40, "unit": "U/L"}}]})
    back, _ = profile_from_fhir_json(profile_to_fhir(p), "out.json")
    assert back.observations[0].reference_range == p.observations[0].reference_range
