"""Builders of small FHIR inputs and the paths of the real FHIR fixtures (tests/fixtures/fhir),
shared by the FHIR import tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from patients.fhir import profile_from_fhir_json
from patients.model import PatientProfile
from screening.core.diagnostics import InputError
from tests.paths import FIXTURES

FHIR = FIXTURES / "fhir"
SYNTHEA = FHIR / "synthea"
HL7 = FHIR / "hl7-r4-examples"
LUIS = SYNTHEA / "Luis_Miguel_Delarosa_f118c1b4-27e0-4de5-bc04-b51e14ea5bbd.json"
JORDAN = SYNTHEA / "Jordan_Cruickshank_5de38439-d320-46d3-854d-3c098e88de4c.json"
NEREIDA = SYNTHEA / "Nereida_Rogahn_d152b13a-1c1f-4f89-ba75-df923e481603.json"
TEST_BIRTH = dt.date(1960, 3, 13)  # birth date given to the test patient of the f20x examples


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def bundle(*resources: dict[str, Any], btype: str = "collection") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": btype, "entry": [{"resource": r} for r in resources]}


def patient(pid: str = "p1", birth: str | None = "1960-03-13", gender: str = "female") -> dict[str, Any]:
    p: dict[str, Any] = {"resourceType": "Patient", "id": pid, "gender": gender}
    if birth:
        p["birthDate"] = birth
    return p


def example(name: str, pid: str, birth: dt.date | None = TEST_BIRTH) -> tuple[PatientProfile, list[str]]:
    """An HL7 example resource in a collection bundle with a Patient its subject refers to."""
    return profile_from_fhir_json(bundle(patient(pid, birth.isoformat() if birth else None), read(HL7 / name)), name)



def obs(oid: str, **kw: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"resourceType": "Observation", "id": oid, "status": "final",
                         "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]},
                         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2020-01-02"}
    r.update(kw)
    return r


def raises_input_error(data: Any, *needles: str) -> None:
    """The import of `data` raises InputError with a message holding every needle."""
    with pytest.raises(InputError) as ei:
        profile_from_fhir_json(data, "in.json")
    msg = str(ei.value)
    for n in needles:
        assert n in msg, (n, msg)
