"""Units spelled as labs send them, in a profile written by hand or another tool: read as UCUM,
each with a warning naming the mapping; other units left as written."""

from __future__ import annotations

import json
from pathlib import Path

from patients.io import load_patient_with_warnings, parse_patient
from patients.units import read_units

OBS = {"code": {"system": "loinc", "code": "62238-1"}, "date": "2026-11-01", "value": 75}


def profile(*units: str) -> dict[str, object]:
    return {"id": "u1", "birth_date": "1980-01-01", "observations": [{**OBS, "unit": u} for u in units],
            "medications": [{"code": {"system": "atc", "code": "B01AC11"}, "dose": {"value": 20, "unit": "IU/L"}}]}


def test_lab_spellings_are_read_as_ucum_with_a_warning() -> None:
    p, warnings = read_units(parse_patient(profile("mL/min/1.73m2", "mg/dL", "K/uL")))
    assert [o.unit for o in p.observations] == ["mL/min/{1.73_m2}", "mg/dL", "10*3/uL"]
    assert p.medications[0].dose is not None and p.medications[0].dose.unit == "[IU]/L"
    assert warnings == [
        "observations[0].unit: unit 'mL/min/1.73m2' read as UCUM 'mL/min/{1.73_m2}'",
        "observations[2].unit: unit 'K/uL' read as UCUM '10*3/uL'",
        "medications[0].dose.unit: unit 'IU/L' read as UCUM '[IU]/L'",
    ]


def test_a_profile_in_ucum_is_returned_as_it_is() -> None:
    p = parse_patient({"id": "u2", "observations": [{**OBS, "unit": "mL/min/{1.73_m2}"}]})
    assert read_units(p) == (p, [])


def test_a_profile_file_reports_the_mappings(tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps(profile("mL/min/1.73 m2")), encoding="utf-8")
    p, warnings = load_patient_with_warnings(f)
    assert p.observations[0].unit == "mL/min/{1.73_m2}"
    assert warnings[0] == "observations[0].unit: unit 'mL/min/1.73 m2' read as UCUM 'mL/min/{1.73_m2}'"
