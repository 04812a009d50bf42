"""POST /screen with a FHIR R4 Bundle (`application/fhir+json`)."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient

from patients.fhir import profile_from_fhir_json
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.paths import FIXTURES

FHIR = FIXTURES / "fhir"
NEREIDA = next((FHIR / "synthea").glob("Nereida_*.json"))
HEADERS = {"content-type": "application/fhir+json"}


def test_a_bundle_is_screened_like_its_imported_profile(client: TestClient) -> None:
    body = NEREIDA.read_bytes()
    r = client.post("/screen?as_of=2021-06-01", content=body, headers=HEADERS)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["as_of"] == "2021-06-01"
    profile, warnings = profile_from_fhir_json(json.loads(body))
    expected = Screener(load_catalog()).screen(profile, dt.date(2021, 6, 1))
    assert [(t["trial_id"], t["verdict"]) for t in doc["results"]] == [
        (t.trial_id, t.verdict) for t in expected.results]
    # an active pregnancy excludes her from the trials that exclude pregnancy
    pregnancy = {t["trial_id"]: c["status"] for t in doc["results"] for c in t["criteria"] if "pregnan" in c["id"]}
    assert pregnancy["NCT02566655"] == "fail"
    assert any(w.startswith("import: ") for w in doc["warnings"]) == bool(warnings)


def test_trial_ids_come_from_the_query_string(client: TestClient) -> None:
    r = client.post("/screen?as_of=2021-06-01&trial_id=NCT02566655", content=NEREIDA.read_bytes(), headers=HEADERS)
    assert r.status_code == 200, r.text
    assert [t["trial_id"] for t in r.json()["results"]] == ["NCT02566655"]
    r = client.post("/trials/NCT01763086/screen?as_of=2021-06-01", content=NEREIDA.read_bytes(), headers=HEADERS)
    assert r.status_code == 200 and [t["trial_id"] for t in r.json()["results"]] == ["NCT01763086"]


def test_a_malformed_bundle_is_a_422_naming_the_resource(client: TestClient) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "x", "birthDate": "2999-01-01"}}]}
    r = client.post("/screen", content=json.dumps(bundle), headers=HEADERS)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_fhir"
    assert "Patient" in err["message"] and "birthDate" in err["message"]


def test_fhir_bodies_have_their_own_size_limit(make_app) -> None:
    with TestClient(make_app(max_fhir_body_bytes=1000)) as c:
        r = c.post("/screen", content=NEREIDA.read_bytes(), headers=HEADERS)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_a_body_that_is_not_json_is_a_400(client: TestClient) -> None:
    r = client.post("/screen", content=b"{not json", headers=HEADERS)
    assert r.status_code == 400


def test_ndjson_and_undecodable_bodies(client: TestClient) -> None:
    resources = [
        {"resourceType": "Patient", "id": "n1", "gender": "female", "birthDate": "1970-02-01"},
        {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/n1"},
         "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                        "code": "active"}]},
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "72892002"}]},
         "onsetDateTime": "2021-03-21"},
    ]
    ndjson = "\n".join(json.dumps(r) for r in resources).encode()
    r = client.post("/screen?as_of=2021-06-01&trial_id=NCT02566655", content=ndjson, headers=HEADERS)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["verdict"] == "ineligible"
    assert client.post("/screen", content=b"\xff\xfe{}", headers=HEADERS).status_code == 400
    assert client.post("/screen", content=b'{"a": 1}\n[' + b"[" * 100_000, headers=HEADERS).status_code == 400


def test_a_decimal_sent_as_a_string_is_a_422_naming_the_field(client: TestClient) -> None:
    obs = {"resourceType": "Observation", "id": "o1", "status": "final", "subject": {"reference": "Patient/n1"},
           "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]}, "effectiveDateTime": "2021-03-21",
           "valueQuantity": {"value": "3.1", "system": "http://unitsofmeasure.org", "code": "mg/dL"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "n1", "gender": "female"}}, {"resource": obs}]}
    r = client.post("/screen?as_of=2021-06-01", content=json.dumps(bundle), headers=HEADERS)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_fhir"
    assert "Observation/o1" in err["message"] and "valueQuantity.value: a FHIR decimal is a JSON number" in err["message"]


def test_query_parameters_beside_a_json_body_are_refused(client: TestClient) -> None:
    """`as_of` and `trial_id` in the query are read for a FHIR body only; a JSON body carries its own."""
    from tests.api.conftest import EXAMPLE

    body = {"patient": json.loads(EXAMPLE.read_text(encoding="utf-8")), "as_of": "2026-11-22"}
    r = client.post("/screen?as_of=2021-06-01", json=body)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_request" and [e["field"] for e in err["errors"]] == ["query.as_of"]
    assert "FHIR body" in err["errors"][0]["message"] and "`as_of` in the body" in err["errors"][0]["message"]
    r = client.post("/screen?trial_id=NCT02566655&as_of=2021-06-01", json=body)
    assert [e["field"] for e in r.json()["error"]["errors"]] == ["query.as_of", "query.trial_id"]
    assert client.post("/trials/NCT02566655/screen?as_of=2021-06-01", json=body).status_code == 422
    assert client.post("/screen", json=body).status_code == 200


def test_openapi_documents_the_fhir_body_and_the_query(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/screen", "/trials/{trial_id}/screen"):
        op = spec["paths"][path]["post"]
        assert op["requestBody"]["content"]["application/fhir+json"]["schema"] == {"$ref": "#/components/schemas/FhirBundle"}
        for param in op["parameters"]:
            if param["in"] == "query":
                assert "refused (422) with a JSON body" in param["description"]
    bundle = spec["components"]["schemas"]["FhirBundle"]
    assert bundle["properties"]["resourceType"]["enum"] == ["Bundle"] and "collection" in bundle["properties"]["type"]["enum"]
    assert spec["components"]["schemas"]["FhirResource"]["required"] == ["resourceType"]
