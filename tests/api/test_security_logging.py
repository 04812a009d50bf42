"""API keys, the loopback rule, CORS, the last-resort handler, and what reaches the logs."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.security import check_bind, is_loopback
from api.settings import Settings, SettingsError
from tests.api.conftest import AS_OF, TRIAL


@pytest.fixture
def keyed(make_app: Any) -> Any:
    with TestClient(make_app(api_keys=frozenset({"k-one", "k-two"}))) as c:
        yield c


@pytest.mark.parametrize("method,path", [("get", "/trials"), ("get", f"/trials/{TRIAL}"), ("post", "/screen"),
                                         ("post", f"/trials/{TRIAL}/screen"), ("post", "/admin/reload")])
def test_keys_required_everywhere_but_health(keyed: TestClient, method: str, path: str) -> None:
    r = keyed.request(method, path)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert "X-API-Key" in r.json()["error"]["message"]
    r = keyed.request(method, path, headers={"x-api-key": "wrong"})
    assert r.status_code == 401 and "not valid" in r.json()["error"]["message"]
    assert keyed.get("/health").status_code == 200


def test_valid_key_by_header_or_bearer(keyed: TestClient, example_patient: dict[str, Any]) -> None:
    body = {"patient": example_patient, "as_of": AS_OF, "trial_ids": [TRIAL]}
    assert keyed.post("/screen", json=body, headers={"X-API-Key": "k-one"}).status_code == 200
    assert keyed.post("/screen", json=body, headers={"Authorization": "Bearer k-two"}).status_code == 200
    assert keyed.post("/screen", json=body, headers={"Authorization": "Basic k-two"}).status_code == 401
    assert keyed.get("/trials", headers={"Authorization": "bearer k-one"}).status_code == 200


def test_auth_is_checked_before_the_body(keyed: TestClient) -> None:
    r = keyed.post("/screen", content=b"not json", headers={"content-type": "text/plain"})
    assert r.status_code == 401


def test_every_presented_key_must_be_valid(keyed: TestClient) -> None:
    """A wrong key beside a valid one is refused, whichever header carries which (fail closed)."""
    for headers in ({"X-API-Key": "wrong", "Authorization": "Bearer k-one"},
                    {"X-API-Key": "k-one", "Authorization": "Bearer wrong"}):
        r = keyed.get("/trials", headers=headers)
        assert r.status_code == 401, headers
        wrong = "X-API-Key" if headers["X-API-Key"] == "wrong" else "Authorization: Bearer"
        assert r.json()["error"]["message"] == (f"the API key in {wrong} is not valid "
                                                "(every key a request presents must be valid)")
    r = keyed.get("/trials", headers=[("X-API-Key", "k-one"), ("X-API-Key", "k-nope")])
    assert r.status_code == 401
    assert keyed.get("/trials", headers={"X-API-Key": "k-one", "Authorization": "Bearer k-two"}).status_code == 200
    assert keyed.get("/trials", headers={"X-API-Key": " ", "Authorization": "Bearer k-two"}).status_code == 200
    assert keyed.get("/trials", headers={"X-API-Key": "k-one", "Authorization": "Basic dXNlcg=="}).status_code == 200


def test_short_keys_are_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"SCREENING_API_KEYS: an API key of 1 character\(s\): keys must have "
                                            r"at least 16 \(set by SCREENING_MIN_API_KEY_LENGTH\)") as e:
        Settings.from_env({"SCREENING_API_KEYS": f"{'k' * 16},x"})
    assert "kkkk" not in str(e.value)  # never the keys themselves
    f = tmp_path / "keys"
    f.write_text("short-key\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="SCREENING_API_KEYS_FILE .*: an API key of 9 character"):
        Settings.from_env({"SCREENING_API_KEYS_FILE": str(f)})
    assert Settings.from_env({"SCREENING_API_KEYS_FILE": str(f), "SCREENING_MIN_API_KEY_LENGTH": "9"}).auth_required


def test_serve_refuses_a_short_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from screening.cli.main import app

    monkeypatch.setenv("SCREENING_API_KEYS", "k")
    with socket.socket() as taken:  # were the key accepted, the server could not listen there: no hang
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(app, ["serve", "--port", str(taken.getsockname()[1])])
    assert result.exit_code == 2 and "keys must have at least 16" in result.output.replace("\n", " ")


def test_keys_from_env_and_file(tmp_path: Path) -> None:
    a, b, c = "a" * 16, "b" * 20, "file-key-0123456789"
    f = tmp_path / "keys"
    f.write_text(f"# service keys\n{c}\n\n", encoding="utf-8")
    s = Settings.from_env({"SCREENING_API_KEYS": f"{a}, {b},,", "SCREENING_API_KEYS_FILE": str(f)})
    assert s.api_keys == {a, b, c} and s.auth_required
    assert not Settings.from_env({}).auth_required
    empty = tmp_path / "empty"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="no API key"):
        Settings.from_env({"SCREENING_API_KEYS_FILE": str(empty)})
    with pytest.raises(SettingsError, match="cannot read .*missing: file not found"):
        Settings.from_env({"SCREENING_API_KEYS_FILE": str(tmp_path / "missing")})
    huge = tmp_path / "huge"
    huge.write_text(f"{c}\n" * 60_000, encoding="utf-8")  # 1.2 MB: not read
    with pytest.raises(SettingsError, match="cannot read .*huge: the file is larger than 1048576 bytes"):
        Settings.from_env({"SCREENING_API_KEYS_FILE": str(huge)})
    with pytest.raises(SettingsError, match="cannot read .*: is a folder, not a file"):
        Settings.from_env({"SCREENING_API_KEYS_FILE": str(tmp_path)})
    with pytest.raises(SettingsError, match="not an integer"):
        Settings.from_env({"SCREENING_MAX_BODY_BYTES": "1MB"})
    assert Settings.from_env({"SCREENING_MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048
    assert Settings.from_env({}).max_body_bytes == 1024 * 1024


def test_no_keys_means_loopback_only() -> None:
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2", "[::1]"):
        assert is_loopback(host)
        check_bind(host, Settings())
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not is_loopback(host)
        with pytest.raises(SettingsError, match="without API keys"):
            check_bind(host, Settings())
        check_bind(host, Settings(api_keys=frozenset({"k"})))


def test_cors_off_by_default_and_configurable(make_app: Any) -> None:
    pre = {"origin": "https://app.example", "access-control-request-method": "POST"}
    with TestClient(make_app()) as c:
        r = c.get("/health", headers={"origin": "https://app.example"})
        assert "access-control-allow-origin" not in r.headers
    with TestClient(make_app(cors_origins=("https://app.example",))) as c:
        r = c.options("/screen", headers=pre)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://app.example"
        r = c.options("/screen", headers={**pre, "origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_unexpected_error_is_a_clean_500_without_details(make_app: Any, caplog: pytest.LogCaptureFixture) -> None:
    app = make_app()

    def boom() -> None:
        raise RuntimeError("patient example-as-001 creatinine 2.3")

    app.add_api_route("/boom", boom)
    with TestClient(app) as c, caplog.at_level(logging.INFO, logger="screening.api"):
        r = c.get("/boom")
    assert r.status_code == 500
    err = r.json()["error"]
    assert err["code"] == "internal_error" and err["request_id"] == r.headers["x-request-id"]
    assert "creatinine" not in r.text
    assert "RuntimeError" in caplog.text and r.headers["x-request-id"] in caplog.text
    assert "creatinine" not in caplog.text and "example-as-001" not in caplog.text


def test_logs_carry_ids_verdicts_timings_never_patient_data(client: TestClient, example_patient: dict[str, Any],
                                                            caplog: pytest.LogCaptureFixture) -> None:
    patient = json.loads(json.dumps(example_patient))
    patient["observations"][0]["value"] = 2.71828
    with caplog.at_level(logging.INFO, logger="screening.api"):
        ok = client.post("/screen", json={"patient": patient, "as_of": AS_OF, "trial_ids": [TRIAL]})
        bad = dict(example_patient, birth_date="1984-13-45")
        client.post("/screen", json={"patient": bad})
    assert ok.status_code == 200
    text = caplog.text
    line = next(r.getMessage() for r in caplog.records if ok.headers["x-request-id"] in r.getMessage())
    assert "POST /screen 200" in line and "ms" in line
    assert f"{TRIAL}:{ok.json()['results'][0]['verdict']}@{ok.json()['results'][0]['ruleset_hash']}" in line
    for secret in ("example-as-001", "1984-03-12", "1984-13-45", "2.71828", "sulfasalazine", "9631008"):
        assert secret not in text, secret


def test_serve_refuses_a_public_host_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from screening.cli.main import app

    monkeypatch.delenv("SCREENING_API_KEYS", raising=False)
    monkeypatch.delenv("SCREENING_API_KEYS_FILE", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without API keys" in result.output.replace("\n", " ")
