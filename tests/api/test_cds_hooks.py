"""CDS Hooks 2.0 `patient-view`: discovery, service calls and feedback, tested with the request and
response examples of the CDS Hooks specification, the example patients exported to FHIR and the
Synthea bundles turned into the prefetch an EHR would send."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import cds
from api.registry import ScreenerRegistry
from api.schemas import CdsCard, CdsRequest
from patients.fhir import profile_from_fhir_json, profile_to_fhir
from patients.io import parse_patient
from tests.api.cds_prefetch import hook_request, prefetch_from_bundle
from tests.paths import FIXTURES, REPO

AS_OF = dt.date(2026, 11, 22)
URL = f"/cds-services/{cds.SERVICE_ID}"
EXAMPLES = REPO / "patients" / "examples"
SYNTHEA = sorted((FIXTURES / "fhir" / "synthea").glob("*.json"))

# The specification's examples (CDS Hooks 2.0, "Calling a CDS Service" and "Feedback")
SPEC_REQUEST = {
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "fhirServer": "http://hooks.smarthealthit.org:9080",
    "hook": "patient-view",
    "fhirAuthorization": {
        "access_token": "some-opaque-fhir-access-token", "token_type": "Bearer", "expires_in": 300,
        "scope": "patient/Patient.read patient/Observation.read", "subject": "cds-service4",
    },
    "context": {"userId": "Practitioner/example", "patientId": "1288992", "encounterId": "89284"},
    "prefetch": {"patientToGreet": {"resourceType": "Patient", "gender": "male", "birthDate": "1925-12-23",
                                    "id": "1288992", "active": True}},
}
SPEC_FEEDBACK = [
    {"feedback": [{"card": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "outcome": "accepted",
                   "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
                   "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
    {"feedback": [{"card": "f6b95768-b1c8-40dc-8385-bf3504b82ffb", "outcome": "overridden",
                   "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
    {"feedback": [{"card": "9368d37b-283f-44a0-93ea-547cebab93ed", "outcome": "overridden",
                   "overrideReason": {"reason": {"code": "d7ecf885",
                                                 "system": "https://example.com/cds-hooks/override-reason-system"},
                                      "userComment": "A comment entered by the clinician."},
                   "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cds, "today", lambda: AS_OF)


def spec_with_our_prefetch(**overrides: Any) -> dict[str, Any]:
    """The specification's example request, its patient given under each of our prefetch keys."""
    req = copy.deepcopy(SPEC_REQUEST)
    patient = req["prefetch"].pop("patientToGreet")
    req["prefetch"] = {k: None for k in cds.PREFETCH} | {"patient": patient} | overrides
    return req


def expected_cards(bundle: dict[str, Any], registry: ScreenerRegistry) -> list[dict[str, Any]]:
    """The cards for the in-process screening of `bundle` as of AS_OF (uuid left out)."""
    profile, warnings = profile_from_fhir_json(bundle, "bundle")
    report = registry.current.screener.screen(profile, AS_OF)
    report.warnings = [f"import: {w}" for w in warnings] + report.warnings
    return [without_uuid(c.model_dump(mode="json", exclude_none=True))
            for c in cds.cards(report, "http://testserver/screening")]


def without_uuid(card: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in card.items() if k != "uuid"}


def test_discovery_lists_the_patient_view_service(client: TestClient) -> None:
    r = client.get("/cds-services")
    assert r.status_code == 200
    (service,) = r.json()["services"]
    assert service["hook"] == "patient-view" and service["id"] == cds.SERVICE_ID
    assert service["title"] and service["description"]
    templates = service["prefetch"]
    assert templates["patient"] == "Patient/{{context.patientId}}"
    for rtype in ("Condition", "Observation", "MedicationRequest", "MedicationStatement", "Procedure"):
        assert any(t.startswith(f"{rtype}?patient={{{{context.patientId}}}}") for t in templates.values()), rtype
    assert all("{{context.patientId}}" in t for t in templates.values())
    assert ": null" not in json.dumps(r.json())  # optional fields without value are left out


def test_spec_example_request_is_refused_with_412_naming_the_prefetch(client: TestClient) -> None:
    """The specification's example sends only its own prefetch key (and a FHIR server with a token):
    this service does not query FHIR servers, so it answers 412 as the specification asks."""
    r = client.post(URL, json=SPEC_REQUEST)
    assert r.status_code == 412
    error = r.json()["error"]
    assert error["code"] == "prefetch_required"
    for key in cds.PREFETCH:
        assert f"`{key}`" in error["message"]


def test_spec_example_patient_with_our_prefetch_gets_the_no_card_response(
        client: TestClient, shared_registry: ScreenerRegistry) -> None:
    """The example's patient (male, born 1925: 100 years old on the screening date) is too old for
    every trial: the answer is the specification's 'no decision support' response."""
    r = client.post(URL, json=spec_with_our_prefetch())
    assert r.status_code == 200, r.text
    assert r.json() == {"cards": []}
    profile, _ = profile_from_fhir_json({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": SPEC_REQUEST["prefetch"]["patientToGreet"]}]}, "x")
    assert {t.verdict for t in shared_registry.current.screener.screen(profile, AS_OF).results} == {"ineligible"}


def _exported(name: str, edit: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """An example patient (edited) as the FHIR Bundle the export makes of it."""
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    if edit:
        edit(data)
    return profile_to_fhir(parse_patient(data))


def _drop_creatinine(p: dict[str, Any]) -> None:
    p["observations"] = [o for o in p["observations"] if o["code"]["code"] != "2160-0"]


@pytest.mark.parametrize(("name", "edit", "summary"), [
    ("hsct_graft_failure_patient", None, "Possibly eligible for NCT03389919: every criterion met"),
    ("osteoporosis_patient", None, "Possibly eligible for NCT02566655: 3 criteria to review"),
    ("as_patient", _drop_creatinine, "Possibly eligible for NCT01420432: 1 item to collect, 6 criteria to review"),
])
def test_cards_for_example_patients(client: TestClient, shared_registry: ScreenerRegistry, name: str,
                                    edit: Callable[[dict[str, Any]], None] | None, summary: str) -> None:
    bundle = _exported(name, edit)
    r = client.post(URL, json=hook_request(*prefetch_from_bundle(bundle)))
    assert r.status_code == 200, r.text
    cards = r.json()["cards"]
    for card in cards:  # what the specification requires of a card
        CdsCard.model_validate(card)
        assert len(card["summary"]) < 140 and card["indicator"] in ("info", "warning", "critical")
        assert card["source"]["label"]
        assert card["links"][0]["type"] == "absolute"
        assert card["links"][0]["url"].startswith("http://testserver/screening?trial=")
    assert summary in [c["summary"] for c in cards]
    assert [without_uuid(c) for c in cards] == expected_cards(bundle, shared_registry)
    assert len({c["uuid"] for c in cards}) == len(cards)


def test_card_detail_names_the_data_to_collect_and_the_criteria_to_review(client: TestClient) -> None:
    bundle = _exported("as_patient", _drop_creatinine)
    cards = client.post(URL, json=hook_request(*prefetch_from_bundle(bundle))).json()["cards"]
    card = next(c for c in cards if "NCT01420432" in c["summary"])
    assert "Data to collect:\n- " in card["detail"] and "creatinine" in card["detail"].lower()
    assert "Criteria to review:" in card["detail"]
    assert "stable_permitted_drugs" not in card["detail"]  # criteria by their registry text, not ids
    assert "Screened on 2026-11-22 with rule set " in card["detail"]


@pytest.mark.parametrize("path", SYNTHEA, ids=lambda p: p.name.split("_")[0])
def test_synthea_prefetch_reads_as_the_bundle_does(client: TestClient, shared_registry: ScreenerRegistry,
                                                   path: Path) -> None:
    """A Synthea bundle served as a FHIR server would (searchset per template, server references)
    gives the same patient profile, and the same cards, as the bundle itself."""
    bundle = json.loads(path.read_text(encoding="utf-8"))
    pid, prefetch = prefetch_from_bundle(bundle)
    from_prefetch, _ = profile_from_fhir_json(cds.fhir_bundle(CdsRequest.model_validate(hook_request(pid, prefetch))),
                                              "prefetch")
    from_bundle, _ = profile_from_fhir_json(bundle, "bundle")
    # the same records; a prefetch gives them by search (medication orders, then immunizations), a
    # bundle in its own order
    assert _records_in_any_order(from_prefetch) == _records_in_any_order(from_bundle)
    assert from_bundle.observations and from_bundle.conditions
    r = client.post(URL, json=hook_request(pid, prefetch))
    assert r.status_code == 200, r.text
    assert [without_uuid(c) for c in r.json()["cards"]] == expected_cards(bundle, shared_registry)


def _records_in_any_order(profile: Any) -> dict[str, Any]:
    doc = profile.model_dump(mode="json")
    return {k: sorted(json.dumps(x, sort_keys=True) for x in v) if isinstance(v, list) else v for k, v in doc.items()}


@pytest.mark.parametrize(("change", "status", "code", "words"), [
    (lambda r: r["prefetch"].pop("observations"), 412, "prefetch_required", "`observations`"),
    (lambda r: r["prefetch"].update(patient=None), 412, "prefetch_required", "null"),
    (lambda r: r.pop("prefetch"), 412, "prefetch_required", "`patient`"),
    (lambda r: r["prefetch"]["patient"].update(id="other"), 422, "invalid_prefetch", "Patient/other"),
    (lambda r: r["prefetch"].update(conditions={"resourceType": "Bundle", "type": "searchset", "entry": [],
                                                "link": [{"relation": "next", "url": "https://x/p2"}]}),
     422, "invalid_prefetch", "next"),
    (lambda r: r["prefetch"].update(conditions={"resourceType": "Condition"}), 422, "invalid_prefetch", "Bundle"),
    (lambda r: r.update(hook="order-select"), 422, "unsupported_hook", "order-select"),
    (lambda r: r.pop("hookInstance"), 422, "invalid_request", "hookInstance"),
    (lambda r: r["context"].pop("patientId"), 422, "invalid_request", "context.patientId"),
])
def test_bad_calls_get_clear_errors(client: TestClient, change: Callable[[dict[str, Any]], Any], status: int,
                                    code: str, words: str) -> None:
    req = spec_with_our_prefetch()
    change(req)
    r = client.post(URL, json=req)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert words in r.json()["error"]["message"]


def test_unknown_service_is_404(client: TestClient) -> None:
    assert client.post("/cds-services/nope", json=spec_with_our_prefetch()).status_code == 404
    assert client.post("/cds-services/nope/feedback", json=SPEC_FEEDBACK[0]).status_code == 404


def test_api_keys_guard_the_cds_endpoints(make_app: Callable[..., FastAPI]) -> None:
    key = "k" * 32
    with TestClient(make_app(api_keys=frozenset({key}))) as c:
        assert c.get("/cds-services").status_code == 401
        assert c.post(URL, json=spec_with_our_prefetch()).status_code == 401
        assert c.post(URL + "/feedback", json=SPEC_FEEDBACK[0]).status_code == 401
        bearer = {"Authorization": f"Bearer {key}"}
        assert c.get("/cds-services", headers=bearer).status_code == 200
        assert c.post(URL, json=spec_with_our_prefetch(), headers=bearer).status_code == 200


@pytest.mark.parametrize("body", SPEC_FEEDBACK, ids=["accepted", "overridden", "override-reason"])
def test_spec_feedback_examples_are_received(client: TestClient, body: dict[str, Any],
                                             caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="screening.api"):
        r = client.post(URL + "/feedback", json=body)
    assert r.status_code == 200, r.text
    assert r.json() == {"received": 1}
    assert f"{body['feedback'][0]['outcome']}:1" in caplog.text
    assert "A comment entered by the clinician" not in caplog.text


@pytest.mark.parametrize("body", [
    {"feedback": [{"card": "x", "outcome": "ignored", "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
    {"feedback": [{"card": "x", "outcome": "accepted"}]},
    {"feedback": []},
    [],
])
def test_bad_feedback_is_422(client: TestClient, body: Any) -> None:
    r = client.post(URL + "/feedback", json=body)
    assert r.status_code == 422, r.text


@pytest.mark.slow  # a real uvicorn server on loopback
def test_live_server_answers_a_large_synthea_prefetch(module_server: Any) -> None:
    """A whole patient record is FHIR data: the prefetch gets the FHIR body limit (16 MiB), not the
    1 MiB of a JSON screening request."""
    bundle = json.loads(SYNTHEA[0].read_text(encoding="utf-8"))
    pid, prefetch = prefetch_from_bundle(bundle)
    observations = prefetch["observations"]["entry"]
    original = list(observations)
    for copy_no in range(1, 6):  # a longer history: the observations again, a year earlier each time
        for e in original:
            r = copy.deepcopy(e["resource"])
            r["id"] = f"{r['id']}-{copy_no}"
            if "effectiveDateTime" in r:
                r["effectiveDateTime"] = str(int(r["effectiveDateTime"][:4]) - copy_no) + r["effectiveDateTime"][4:]
            observations.append({"fullUrl": e["fullUrl"] + f"-{copy_no}", "resource": r})
    body = json.dumps(hook_request(pid, prefetch)).encode()
    assert len(body) > 1024 * 1024
    assert httpx.get(module_server.url + "/cds-services").json()["services"][0]["id"] == cds.SERVICE_ID
    r = httpx.post(module_server.url + URL, content=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text[:500]
    for card in r.json()["cards"]:
        CdsCard.model_validate(card)
    assert httpx.post(module_server.url + URL + "/feedback", json=SPEC_FEEDBACK[1]).json() == {"received": 1}


def test_card_summaries_say_what_is_open(shared_registry: ScreenerRegistry) -> None:
    """Summaries under 140 characters, for every kind of open item, and for none listed."""
    profile = parse_patient(json.loads((EXAMPLES / "osteoporosis_patient.json").read_text(encoding="utf-8")))
    result = next(r for r in shared_registry.current.screener.screen(profile, AS_OF).results
                  if r.trial_id == "NCT02566655")
    assert cds.card_summary(result) == "Possibly eligible for NCT02566655: 3 criteria to review"
    two = result.model_copy(update={"data_to_collect": ["a", "b"], "criteria_to_review": ["x"]})
    assert cds.card_summary(two) == "Possibly eligible for NCT02566655: 2 items to collect, 1 criterion to review"
    bare = result.model_copy(update={"data_to_collect": [], "criteria_to_review": []})
    assert cds.card_summary(bare) == "Possibly eligible for NCT02566655: some criteria could not be decided"
    long = result.model_copy(update={"trial_id": "X" * 200})
    assert len(cds.card_summary(long)) == 139 and cds.card_summary(long).endswith("...")
