"""JSON and FHIR bodies are read by the one JSON reader: the same limits and reasons as the CLI
(tests/patients/test_json_input.py), as 400s in the service's error format, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.patients.test_json_input import DEPTH, HOSTILE, deep_bundle, nested_extension

FHIR = {"content-type": "application/fhir+json"}
JSON = {"content-type": "application/json"}


def refused(r: Any, reason: str) -> None:
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_json" and err["message"] == reason


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_are_400_with_the_cli_reason(client: TestClient, name: str) -> None:
    text, reason = HOSTILE[name]
    refused(client.post("/screen", content=text.encode(), headers=FHIR if "FHIR" in name else JSON), reason)
    if not text.startswith('{"resourceType"'):  # the same profile, wrapped in a request
        refused(client.post("/screen", content=b'{"patient": ' + text.encode() + b"}", headers=JSON), reason)


def test_a_deep_bundle_is_400_not_500(client: TestClient) -> None:
    r = client.post("/screen?as_of=2026-11-22", content=deep_bundle().encode(), headers=FHIR)
    refused(r, DEPTH)


def test_an_ndjson_line_too_deep(client: TestClient) -> None:
    patient = {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1970-01-01"}
    body = json.dumps(patient) + "\n" + json.dumps(dict(patient, id="p2", extension=[nested_extension(40)]))
    refused(client.post("/screen", content=body.encode(), headers=FHIR), DEPTH)


def test_the_depth_limit_is_a_setting(make_app: Any, example_patient: dict[str, Any]) -> None:
    body = json.dumps({"patient": example_patient, "as_of": "2026-11-22"}).encode()
    with TestClient(make_app(max_json_depth=3)) as c:
        refused(c.post("/screen", content=body, headers=JSON),
                "the JSON is nested more than 3 levels deep (the limit for JSON documents)")
    with TestClient(make_app(max_json_depth=5)) as c:
        assert c.post("/screen", content=body, headers=JSON).status_code == 200


def test_a_byte_order_mark_is_accepted(client: TestClient, example_patient: dict[str, Any]) -> None:
    body = b"\xef\xbb\xbf" + json.dumps({"patient": example_patient, "as_of": "2026-11-22"}).encode()
    assert client.post("/screen", content=body, headers=JSON).status_code == 200
