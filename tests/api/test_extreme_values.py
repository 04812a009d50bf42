"""Valid but extreme patients are screened (never a 5xx), with sound verdicts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from screening.runtime.engine import encode_fact
from tests.api.conftest import AS_OF, TRIAL


def test_fact_encoding_is_read_by_the_core() -> None:
    text = encode_fact({"a": 1e16, "b": -1e-20, "c": float("inf"), "d": "x: 1e5", "e": 1.5e20, "f": True, "g": 2})
    assert json.loads(text) == {"a": 1e16, "b": -1e-20, "c": 1.7976931348623157e308, "d": "x: 1e5", "e": 1.5e20,
                                "f": True, "g": 2}
    assert "1.0e+16" in text and "-1.0e-20" in text and "Infinity" not in text
    assert encode_fact({"t": "p", "x": 1.5}) == json.dumps({"t": "p", "x": 1.5}, allow_nan=False)


@pytest.mark.parametrize("value,unit,status", [
    (1e-20, "umol/L", "pass"), (1e16, "umol/L", "fail"), (1e308, "mg/dL", "fail"), (-1e308, "umol/L", "pass"),
    (1e-300, "mmol/L", "pass"), (1e20, "mg/dL", "fail"), (10**300, "mg/dL", "fail"),
])
def test_extreme_creatinine(client: TestClient, example_patient: dict[str, Any], value: float, unit: str,
                            status: str) -> None:
    p = copy.deepcopy(example_patient)
    p["observations"][0].update(value=value, unit=unit)
    r = client.post(f"/trials/{TRIAL}/screen", json={"patient": p, "as_of": AS_OF})
    assert r.status_code == 200, r.text
    [crit] = [c for c in r.json()["results"][0]["criteria"] if c["id"] == "creatinine_below_176"]
    assert crit["status"] == status


@pytest.mark.parametrize("as_of", ["1900-01-01", "2199-12-31"])
def test_extreme_dates(client: TestClient, example_patient: dict[str, Any], as_of: str) -> None:
    p = copy.deepcopy(example_patient)
    p.pop("birth_date")
    p["procedures"] = [{"code": {"system": "snomed", "code": "234336002"}, "date": "0001-01-01"}]
    p["lesions"] = [{"date": "2026-01-01", "diameter_mm": 1000}] * 50
    r = client.post("/screen", json={"patient": p, "as_of": as_of})
    assert r.status_code == 200, r.text
    assert r.json()["as_of"] == as_of
