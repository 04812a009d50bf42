"""Profile records beyond diagnoses, results and courses: reference ranges, dosing frequency,
encounters and allergies, validated field by field."""

from __future__ import annotations

from typing import Any

import pytest

from patients.io import parse_patient
from screening.core.diagnostics import InputError

BASE: dict[str, Any] = {"id": "p1", "birth_date": "1970-05-15", "sex": "male"}
ALT = {"code": {"system": "loinc", "code": "1742-6"}, "date": "2026-10-01", "value": 130, "unit": "U/L"}


def errors(data: Any) -> str:
    with pytest.raises(InputError) as info:
        parse_patient(data, "p.json")
    return str(info.value)


def test_an_observation_keeps_its_reference_range() -> None:
    p = parse_patient({**BASE, "observations": [{**ALT, "reference_range": {"low": 7, "high": 40, "unit": "U/L"}}]})
    rr = p.observations[0].reference_range
    assert rr is not None and (rr.low, rr.high, rr.unit) == (7, 40, "U/L")


def test_a_reference_range_needs_a_limit_in_order_and_a_value() -> None:
    assert "needs a `low` or a `high`" in errors({**BASE, "observations": [{**ALT, "reference_range": {}}]})
    assert "low 50 is above high 40" in errors(
        {**BASE, "observations": [{**ALT, "reference_range": {"low": 50, "high": 40}}]})
    coded = {"code": ALT["code"], "date": "2026-10-01", "result": "high", "reference_range": {"high": 40}}
    assert "without a `value`" in errors({**BASE, "observations": [coded]})


def test_a_medication_states_how_often_its_dose_is_given() -> None:
    med = {"code": {"system": "atc", "code": "A10BA02"}, "start": "2026-01-01",
           "dose": {"value": 500, "unit": "mg"}, "frequency": {"times": 2}}
    p = parse_patient({**BASE, "medications": [med]})
    f = p.medications[0].frequency
    assert f is not None and (f.times, f.period, f.period_unit) == (2, 1.0, "d")
    assert "frequency.times" in errors({**BASE, "medications": [{**med, "frequency": {"times": 0}}]})


def test_encounters_have_a_class_and_a_period() -> None:
    p = parse_patient({**BASE, "encounters": [{"class": "outpatient", "start": "2026-03-01"},
                                              {"class": "inpatient", "start": "2026-04-01", "end": "2026-04-05"}]})
    assert [e.class_.value for e in p.encounters] == ["outpatient", "inpatient"]
    assert [path for path, _ in p.iter_dates()][-3:] == ["encounters[0].start", "encounters[1].start",
                                                        "encounters[1].end"]
    assert "encounters[0].class" in errors({**BASE, "encounters": [{"class": "ward", "start": "2026-03-01"}]})
    assert "is before start" in errors({**BASE, "encounters": [{"class": "inpatient", "start": "2026-04-05",
                                                                "end": "2026-04-01"}]})


def test_allergies_are_coded_with_their_statuses() -> None:
    p = parse_patient({**BASE, "allergies": [{"code": {"system": "rxnorm", "code": "6809"}, "type": "intolerance",
                                              "category": "medication", "clinical_status": "active",
                                              "onset": "2020-02-01"}]})
    a = p.allergies[0]
    assert a.type is not None and a.type.value == "intolerance" and a.clinical_status is not None
    assert "allergies[0].type" in errors({**BASE, "allergies": [{"code": {"system": "rxnorm", "code": "6809"},
                                                                 "type": "dislike"}]})
