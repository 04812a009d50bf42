"""CDS Hooks calls without prefetch, served from the CDS client's FHIR server when (and only when)
it is listed in SCREENING_CDS_FHIR_SERVERS: a small FHIR server on loopback answers the
templates from a Synthea bundle, in pages, and only with the call's bearer token."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import cds
from api.settings import Settings, SettingsError
from tests.api.cds_prefetch import hook_request, prefetch_from_bundle
from tests.paths import FIXTURES

URL = f"/cds-services/{cds.SERVICE_ID}"
TOKEN = "some-opaque-fhir-access-token"
PAGE = 40  # entries per page of a search
SYNTHEA = sorted((FIXTURES / "fhir" / "synthea").glob("*.json"))[1]


class FhirServer:
    """GET Patient/<id> and <Type>?patient=<id>... from a prefetch, paged, behind a bearer token."""

    def __init__(self, pid: str, prefetch: dict[str, Any]):
        self.pid, self.prefetch = pid, prefetch
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                server.requests.append((self.path, self.headers.get("Authorization")))
                status, body = server.answer(self.path, self.headers.get("Authorization"))
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/fhir"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str, auth: str | None) -> tuple[int, dict[str, Any]]:
        if auth != f"Bearer {TOKEN}":
            return 401, {"resourceType": "OperationOutcome"}
        parsed = urllib.parse.urlsplit(path)
        resource = parsed.path.removeprefix("/fhir/")
        if resource == f"Patient/{self.pid}":
            return 200, self.prefetch["patient"]
        query = urllib.parse.parse_qs(parsed.query)
        key = next((k for k, t in cds.PREFETCH.items() if t.split("?")[0] == resource), None)
        if key is None or "?" not in cds.PREFETCH[key]:
            return 404, {"resourceType": "OperationOutcome"}
        entries = (self.prefetch[key] or {}).get("entry", [])
        page = int(query.get("page", ["0"])[0])
        bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "total": len(entries),
                                  "entry": entries[page * PAGE:(page + 1) * PAGE]}
        if (page + 1) * PAGE < len(entries):
            bundle["link"] = [{"relation": "next", "url": f"{self.base}/{resource}?{parsed.query.split('&page=')[0]}"
                                                          f"&page={page + 1}"}]
        return 200, bundle

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def synthea() -> tuple[str, dict[str, Any]]:
    return prefetch_from_bundle(json.loads(SYNTHEA.read_text(encoding="utf-8")))


@pytest.fixture
def fhir_server(synthea: tuple[str, dict[str, Any]]) -> Iterator[FhirServer]:
    server = FhirServer(*synthea)
    yield server
    server.close()


def call_without_prefetch(pid: str, server: str, prefetch: dict[str, Any] | None = None,
                          token: str = TOKEN) -> dict[str, Any]:
    req = hook_request(pid, prefetch)
    req["fhirServer"] = server
    req["fhirAuthorization"] = {"access_token": token, "token_type": "Bearer", "expires_in": 300,
                                "scope": "patient/*.read", "subject": "trial-screening"}
    return req


def without_uuids(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k != "uuid"} for c in body["cards"]]


def test_off_by_default_the_server_is_never_contacted(client: TestClient, fhir_server: FhirServer,
                                                      synthea: tuple[str, dict[str, Any]]) -> None:
    r = client.post(URL, json=call_without_prefetch(synthea[0], fhir_server.base))
    assert r.status_code == 412
    assert "does not query the FHIR server" in r.json()["error"]["message"]
    assert fhir_server.requests == []


def test_a_listed_server_is_queried_for_what_is_missing(
        make_app: Callable[..., FastAPI], fhir_server: FhirServer, synthea: tuple[str, dict[str, Any]]) -> None:
    pid, prefetch = synthea
    with TestClient(make_app(cds_fhir_servers=(fhir_server.base + "/",))) as c:
        discovery = c.get("/cds-services").json()["services"][0]
        assert "fetched" in discovery["usageRequirements"]
        full = c.post(URL, json=hook_request(pid, prefetch))
        assert full.status_code == 200 and fhir_server.requests == []  # nothing missing, nothing fetched
        fetched = c.post(URL, json=call_without_prefetch(pid, fhir_server.base))
        assert fetched.status_code == 200, fetched.text
        assert without_uuids(fetched.json()) == without_uuids(full.json())
        paths = [p for p, _ in fhir_server.requests]
        assert f"/fhir/Patient/{pid}" in paths
        assert sum(p.startswith("/fhir/Observation?") for p in paths) == -(-len(prefetch["observations"]["entry"]) // PAGE) > 1
        assert {auth for _, auth in fhir_server.requests} == {f"Bearer {TOKEN}"}

        fhir_server.requests.clear()  # a partial prefetch: only the missing keys are fetched
        partial = {k: v for k, v in prefetch.items() if k != "conditions"}
        r = c.post(URL, json=call_without_prefetch(pid, fhir_server.base, partial))
        assert r.status_code == 200
        assert [p.split("?")[0] for p, _ in fhir_server.requests] == ["/fhir/Condition"]


def test_an_unlisted_server_or_a_refused_token_is_412(
        make_app: Callable[..., FastAPI], fhir_server: FhirServer, synthea: tuple[str, dict[str, Any]]) -> None:
    pid, _ = synthea
    with TestClient(make_app(cds_fhir_servers=("https://ehr.example.org/fhir",))) as c:
        r = c.post(URL, json=call_without_prefetch(pid, fhir_server.base))
        assert r.status_code == 412 and "SCREENING_CDS_FHIR_SERVERS" in r.json()["error"]["message"]
        assert fhir_server.requests == []
    with TestClient(make_app(cds_fhir_servers=(fhir_server.base,))) as c:
        r = c.post(URL, json=call_without_prefetch(pid, fhir_server.base, token="wrong"))
        assert r.status_code == 412
        assert "answered 401" in r.json()["error"]["message"] and "`patient`" in r.json()["error"]["message"]


def test_the_setting_takes_http_base_urls_only() -> None:
    env = {"SCREENING_CDS_FHIR_SERVERS": "https://a.example/fhir, http://b.example/r4"}
    assert Settings.from_env(env).cds_fhir_servers == ("https://a.example/fhir", "http://b.example/r4")
    with pytest.raises(SettingsError, match="SCREENING_CDS_FHIR_SERVERS"):
        Settings.from_env({"SCREENING_CDS_FHIR_SERVERS": "file:///etc/passwd"})
    assert Settings.from_env({}).cds_fhir_servers == ()
