"""Hostile patient documents get the same refusal on every path that reads them: `screening check`
(a profile, a Bundle, NDJSON), `patients.io`, a batch line and the HTTP bodies (tests/api/test_json_limits.py).
A byte order mark is accepted everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from patients.io import load_patient_with_warnings
from screening.batch.worker import Item, parse_item
from screening.cli.main import app
from screening.core.diagnostics import InputError
from tests.paths import REPO

EXAMPLE = REPO / "patients" / "examples" / "as_patient.json"
DEPTH = "the JSON is nested more than 64 levels deep (the limit for JSON documents)"


def nested_extension(levels: int) -> dict[str, Any]:
    ext: dict[str, Any] = {"url": "http://example.org/x", "valueString": "a"}
    for _ in range(levels):
        ext = {"url": "http://example.org/x", "extension": [ext]}
    return ext


def deep_bundle(levels: int = 123) -> str:
    """A Bundle whose Patient nests extensions `levels` deep (123 exhausted the FHIR models' recursion)."""
    patient = {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1970-01-01",
               "extension": [nested_extension(levels)]}
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}]})


PROFILE = '{"id": "x", "sex": "male", "birth_date": "1970-01-01", "observations": [%s]}'
OBS = '{"code": {"system": "loinc", "code": "2160-0"}, "date": "2026-01-01", "value": %s, "unit": "mg/dL"}'

# document -> the reason every path gives
HOSTILE: dict[str, tuple[str, str]] = {
    "deep FHIR extensions": (deep_bundle(), DEPTH),
    "deep profile": ('{"id": "x", "sex": "male", "extra": ' + "[" * 10_000 + "]" * 10_000 + "}", DEPTH),
    "huge integer": (PROFILE % (OBS % ("1" + "0" * 5000)), "the JSON has a number of 5001 characters (the limit is 4300)"),
    "duplicate key": ('{"id": "x", "sex": "male", "id": "y"}', "the JSON has the key 'id' twice in one object"),
    "NaN": (PROFILE % (OBS % "NaN"), "the JSON has NaN, which is not a JSON number"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_check_exits_2_naming_the_file_and_the_limit(tmp_path: Path, name: str) -> None:
    text, reason = HOSTILE[name]
    path = tmp_path / "patient.json"
    path.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "--as-of", "2026-11-22"])
    assert r.exit_code == 2, r.output
    assert isinstance(r.exception, SystemExit) and "Traceback" not in r.output
    assert f"error: {path}: {reason}" in r.stderr.replace("\n", "")
    with pytest.raises(InputError, match="^" + str(path) + ": "):
        load_patient_with_warnings(path)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_batch_line_gives_the_same_reason(name: str) -> None:
    text, reason = HOSTILE[name]
    with pytest.raises(InputError) as e:
        parse_item(Item(7, text.encode()))
    assert str(e.value) == f"line 7: {reason}"


def test_an_ndjson_line_gives_the_same_reason(tmp_path: Path) -> None:
    patient = {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1970-01-01"}
    deep = dict(patient, extension=[nested_extension(40)])
    path = tmp_path / "record.ndjson"
    path.write_text(json.dumps(patient) + "\n" + json.dumps(deep) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "--as-of", "2026-11-22"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert f"{path}:2:1: refused on NDJSON line 2: {DEPTH}" in r.stderr.replace("\n", "")


def test_deep_data_from_python_is_an_input_error_too() -> None:
    """`profile_from_fhir_json` may be handed data that no JSON reader saw."""
    from patients.fhir import profile_from_fhir_json

    with pytest.raises(InputError, match="nested too deeply"):
        profile_from_fhir_json(json.loads(deep_bundle(200)), "bundle")


def test_a_byte_order_mark_is_accepted_everywhere(tmp_path: Path) -> None:
    raw = EXAMPLE.read_bytes()
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    r = CliRunner().invoke(app, ["check", str(path), "--as-of", "2026-11-22", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["patient_id"] == json.loads(raw)["id"]
    parsed = parse_item(Item(1, b"\xef\xbb\xbf" + raw))
    assert parsed is not None and parsed.profile.id == json.loads(raw)["id"]
    ndjson = tmp_path / "bom.ndjson"
    ndjson.write_bytes(b"\xef\xbb\xbf" + json.dumps({"resourceType": "Patient", "id": "p1", "gender": "male"}).encode()
                       + b"\n")
    assert load_patient_with_warnings(ndjson)[0].sex == "male"


def test_ndjson_lines_are_split_at_newlines_only(tmp_path: Path) -> None:
    """U+2028 may stand inside a JSON string: it does not end an NDJSON line."""
    lines = [{"resourceType": "Patient", "id": "p1", "gender": "male", "name": [{"text": "A\u2028B"}]},
             {"resourceType": "Observation", "id": "o1", "status": "final", "subject": {"reference": "Patient/p1"},
              "code": {"text": "note\u2028two"}}]
    path = tmp_path / "record.ndjson"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    profile, _ = load_patient_with_warnings(path)
    assert profile.sex == "male"
