"""Every endpoint and every error answer, in process (TestClient)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi.testclient import TestClient

from api.registry import ScreenerRegistry
from patients.io import parse_patient
from screening.ruleset.render import node_text
from tests.api.conftest import AS_OF, TRIAL
from tests.paths import REPO


def error_of(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    err: dict[str, Any] = r.json()["error"]
    assert err["status"] == status and err["code"] == code
    assert err["request_id"] == r.headers["x-request-id"]
    return err


def test_health_lists_rule_sets_and_hashes(client: TestClient, shared_registry: ScreenerRegistry) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["ready"] is True
    expected = {rs.trial_id: rs.hash for rs in shared_registry.current.catalog.rulesets.values()}
    assert {x["trial_id"]: x["ruleset_hash"] for x in body["rulesets"]} == expected
    assert body["generation"] == shared_registry.current.number
    assert body["durable_rules_version"] == "2.0.28"


def test_trials_list_matches_catalog(client: TestClient, shared_registry: ScreenerRegistry) -> None:
    rows = client.get("/trials").json()
    cat = shared_registry.current.catalog
    assert [r["id"] for r in rows] == list(cat.rulesets)
    for row in rows:
        rs = cat.rulesets[row["id"]]
        assert row["ruleset_hash"] == rs.hash
        assert row["criteria"] == len(rs.model.criteria) == row["inclusion"] + row["exclusion"]
        assert row["computable"] + row["review"] == row["criteria"]


def test_trial_detail_has_source_text_and_rendering(client: TestClient, shared_registry: ScreenerRegistry) -> None:
    r = client.get(f"/trials/{TRIAL}")
    assert r.status_code == 200
    body = r.json()
    rs = shared_registry.current.catalog.rulesets[TRIAL]
    assert body["id"] == TRIAL and body["ruleset_hash"] == rs.hash
    assert [c["id"] for c in body["criteria"]] == [c.id for c in rs.model.criteria]
    for c, c_ir, m in zip(body["criteria"], rs.ir.criteria, rs.model.criteria, strict=True):
        assert c["text"] == m.text and m.source.document in c["source"]
        if c_ir.expr is None:
            assert c["computable"] is False and c["rule"] is None and c["review_reason"] == m.review
        else:
            assert c["computable"] is True and c["rule"] == node_text(c_ir.expr, 1)


def test_unknown_trial_is_404_naming_known_ones(client: TestClient, shared_registry: ScreenerRegistry) -> None:
    known = list(shared_registry.current.catalog.rulesets)
    err = error_of(client.get("/trials/NCT0142043"), 404, "unknown_trial")
    assert err["known_trials"] == known
    assert "did you mean 'NCT01420432'" in err["message"]
    assert all(k in err["message"] for k in known)


def test_screen_equals_in_process_report(client: TestClient, shared_registry: ScreenerRegistry,
                                         example_patient: dict[str, Any]) -> None:
    r = client.post("/screen", json={"patient": example_patient, "as_of": AS_OF})
    assert r.status_code == 200, r.text
    expected = shared_registry.current.screener.screen(parse_patient(example_patient), dt.date(2026, 11, 22))
    assert r.json() == json.loads(expected.model_dump_json())
    assert len(r.json()["results"]) == len(shared_registry.current.catalog.rulesets)


def test_screen_selected_trials_and_trial_route(client: TestClient, shared_registry: ScreenerRegistry,
                                               example_patient: dict[str, Any]) -> None:
    a = client.post("/screen", json={"patient": example_patient, "as_of": AS_OF, "trial_ids": [TRIAL]})
    b = client.post(f"/trials/{TRIAL}/screen", json={"patient": example_patient, "as_of": AS_OF})
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()
    [res] = a.json()["results"]
    assert res["trial_id"] == TRIAL
    assert res["ruleset_hash"] == shared_registry.current.hashes[TRIAL]
    assert res["verdict"] == "ineligible"  # creatinine 2.3 mg/dL in the example patient


def test_screen_defaults_to_today(client: TestClient, example_patient: dict[str, Any]) -> None:
    r = client.post(f"/trials/{TRIAL}/screen", json={"patient": example_patient})
    assert r.status_code == 200
    assert r.json()["as_of"] in {dt.date.today().isoformat(), (dt.date.today() + dt.timedelta(days=1)).isoformat()}


def test_invalid_patient_is_422_with_field_path(client: TestClient, example_patient: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(example_patient))
    bad["observations"][0]["value"] = "2.3"
    bad["sex"] = "mail"
    bad["shoe_size"] = 42
    err = error_of(client.post("/screen", json={"patient": bad}), 422, "invalid_patient")
    fields = {e["field"]: e["message"] for e in err["errors"]}
    assert "valid number" in fields["patient.observations[0].value"]
    assert "patient.sex" in fields
    assert fields["patient.shoe_size"] == "unknown field"
    assert "patient.observations[0].value" in err["message"]
    assert ["patient", "observations", 0, "value"] in [e["loc"] for e in err["errors"]]


def test_semantic_patient_errors_are_422(client: TestClient, example_patient: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(example_patient))
    bad["birth_date"] = "2099-01-01"
    err = error_of(client.post("/screen", json={"patient": bad}), 422, "invalid_patient")
    assert err["errors"][0]["field"] == "patient.birth_date" and "future" in err["errors"][0]["message"]


def test_request_shape_errors_are_422(client: TestClient, example_patient: dict[str, Any]) -> None:
    err = error_of(client.post("/screen", json={"patient": example_patient, "as_of": "22/11/2026"}), 422,
                   "invalid_request")
    assert err["errors"][0]["field"] == "as_of"
    err = error_of(client.post("/screen", json={"patient": example_patient, "as_of": "0001-01-01"}), 422,
                   "invalid_request")
    assert "between" in err["errors"][0]["message"]
    err = error_of(client.post("/screen", json={}), 422, "invalid_patient")
    assert err["errors"][0] == {"field": "patient", "loc": ["patient"], "message": "required field is missing"}
    err = error_of(client.post("/screen", json=[1, 2]), 422, "invalid_request")
    assert "JSON object" in err["message"]
    err = error_of(client.post("/screen", json={"patient": example_patient, "trial_ids": "NCT01420432"}), 422,
                   "invalid_request")
    assert err["errors"][0]["field"] == "trial_ids"
    err = error_of(client.post(f"/trials/{TRIAL}/screen", json={"patient": example_patient, "trial_ids": []}), 422,
                   "invalid_request")
    assert err["errors"][0]["message"] == "unknown field"


def test_unknown_trial_in_body_or_path_is_404(client: TestClient, example_patient: dict[str, Any]) -> None:
    err = error_of(client.post("/screen", json={"patient": example_patient, "trial_ids": [TRIAL, "NOPE"]}), 404,
                   "unknown_trial")
    assert err["errors"][0]["field"] == "trial_ids[1]" and TRIAL in err["known_trials"]
    err = error_of(client.post("/trials/NOPE/screen", json={"patient": example_patient}), 404, "unknown_trial")
    assert TRIAL in err["known_trials"]


def test_malformed_bodies_are_400(client: TestClient) -> None:
    h = {"content-type": "application/json"}
    assert "line 1 column 2" in error_of(client.post("/screen", content=b"{", headers=h), 400, "invalid_json")["message"]
    error_of(client.post("/screen", content=b"", headers=h), 400, "empty_body")
    error_of(client.post("/screen", content=b"\xff\xfe{}", headers=h), 400, "invalid_encoding")
    error_of(client.post("/screen", content=b"[" * 100_000, headers=h), 400, "invalid_json")
    error_of(client.post("/screen", content=b'{"patient": 1' + b"0" * 5000 + b"}", headers=h), 400, "invalid_json")


def test_unsupported_content_type_is_415(client: TestClient, example_patient: dict[str, Any]) -> None:
    body = json.dumps({"patient": example_patient}).encode()
    for ct in ("text/plain", "application/x-www-form-urlencoded", "application/xml",
               "application/json; charset=latin-1", "application/fhir+json; charset=latin-1"):
        err = error_of(client.post("/screen", content=body, headers={"content-type": ct}), 415,
                       "unsupported_media_type")
        assert "application/json" in err["message"]
    ok = client.post("/screen", content=body, headers={"content-type": "Application/JSON; charset=UTF-8"})
    assert ok.status_code == 200
    assert client.post("/screen", content=body).status_code == 200  # no content type: read as JSON


def test_body_over_limit_is_413(make_app: Any, example_patient: dict[str, Any]) -> None:
    body = json.dumps({"patient": example_patient}).encode()
    with TestClient(make_app(max_body_bytes=len(body) - 1)) as c:
        err = error_of(c.post("/screen", content=body, headers={"content-type": "application/json"}), 413,
                       "payload_too_large")
        assert str(len(body) - 1) in err["message"]

        def chunks() -> Any:  # no Content-Length: counted while it streams
            for i in range(0, len(body), 100):
                yield body[i:i + 100]

        err = error_of(c.post("/screen", content=chunks(), headers={"content-type": "application/json"}), 413,
                       "payload_too_large")
    with TestClient(make_app(max_body_bytes=len(body))) as c:
        assert c.post("/screen", content=body, headers={"content-type": "application/json"}).status_code == 200


def test_default_body_limit_is_one_mebibyte(client: TestClient) -> None:
    big = b'{"patient": {"id": "' + b"x" * (1024 * 1024) + b'"}}'
    error_of(client.post("/screen", content=big, headers={"content-type": "application/json"}), 413,
             "payload_too_large")


def test_unknown_route_and_method(client: TestClient) -> None:
    err = error_of(client.get("/nothing-here"), 404, "not_found")
    assert "/docs" in err["message"]
    error_of(client.get("/screen"), 405, "method_not_allowed")


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    r = client.get("/health", headers={"x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = client.get("/health", headers={"x-request-id": "bad id\twith spaces"})
    assert r.headers["x-request-id"] != "bad id\twith spaces" and len(r.headers["x-request-id"]) == 32
    a, b = client.get("/health"), client.get("/health")
    assert a.headers["x-request-id"] != b.headers["x-request-id"]


def test_openapi_documents_bodies_and_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/screen"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ScreenRequest"}
    assert body["example"]["patient"]["id"] == "example-as-001"
    assert "PatientProfile" in spec["components"]["schemas"]
    responses = spec["paths"]["/screen"]["post"]["responses"]
    assert {"200", "400", "401", "404", "413", "415", "422"} <= set(responses)
    assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ScreeningReport"}
    assert client.get("/docs").status_code == 200


def test_bundled_request_body_wraps_the_example_patient(client: TestClient, example_patient: dict[str, Any]) -> None:
    from tests.paths import REPO

    raw = (REPO / "patients" / "examples" / "requests" / "screen_as_patient.json").read_bytes()
    assert json.loads(raw)["patient"] == example_patient
    r = client.post("/screen", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["patient_id"] == example_patient["id"]


def test_a_body_that_does_not_arrive_in_time_is_408(make_app: Any) -> None:
    """The middleware's body timeout, in process (tests/api/test_connections.py has it on real sockets)."""
    import asyncio

    app = make_app(body_timeout=0.2)
    sent: list[dict[str, Any]] = []
    first = [{"type": "http.request", "body": b'{"pat', "more_body": True}]

    async def receive() -> dict[str, Any]:
        if first:
            return first.pop()
        await asyncio.sleep(3600)  # the rest never comes
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "path": "/screen",
             "raw_path": b"/screen", "query_string": b"", "root_path": "", "scheme": "http",
             "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 10))
    start, body = sent
    assert start["status"] == 408 and (b"connection", b"close") in start["headers"]
    err = json.loads(body["body"])["error"]
    assert err["code"] == "request_timeout" and "within 0.2 seconds" in err["message"]


def test_screen_gives_the_date_a_patient_held_back_by_time_becomes_eligible(client: TestClient) -> None:
    doc = json.loads((REPO / "patients" / "examples" / "osteoporosis_patient.json").read_text())
    doc["administrative"]["trial_participations"] = [{"trial_id": "NCT0999", "start": "2026-03-01", "end": "2026-09-10"}]
    r = client.post("/trials/NCT02566655/screen", json={"patient": doc, "as_of": "2026-11-22"})
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["verdict"] == "ineligible"
    assert result["eligible_from"] == {"date": "2027-03-11", "days": 109, "verdict": "undetermined",
                                       "criteria": ["trial_within_6_months"],
                                       "pending_review": ["concomitant_systemic_disease",
                                                          "contraindication_sedation_marrow", "cannot_understand_consent"]}
