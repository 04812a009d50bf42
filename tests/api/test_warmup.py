"""Start-up warm-up: the service pays its one-time costs (FHIR models and import, unit answers,
serialisers, the eligibility-date search) before the first request rather than in it. Checked
without timing: in a fresh process, a first FHIR request after the warm-up imports no module that
the process had not imported already, and without the warm-up it does (so the check can fail)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from api.settings import Settings, SettingsError
from tests.paths import REPO
from tests.patients.fhir.helpers import LUIS

PROBE = r"""
import json, sys
from fastapi.testclient import TestClient
from api.main import create_app
from api.settings import Settings

app = create_app(Settings.from_env())
bundle = open(sys.argv[1], encoding="utf-8").read()  # a Synthea record: not one the warm-up screens
with TestClient(app) as client:
    warm = app.state.warm_up.result(timeout=120) if app.state.warm_up is not None else None
    before = set(sys.modules)
    r = client.post("/screen?as_of=2026-11-22", content=bundle, headers={"Content-Type": "application/fhir+json"})
    assert r.status_code == 200, r.text
    verdicts = {t["trial_id"]: t["verdict"] for t in r.json()["results"]}
    print(json.dumps({"warm": warm, "new": sorted(set(sys.modules) - before), "verdicts": verdicts}))
"""


def _first_request(warm_up: str) -> dict[str, object]:
    env = {"PATH": "/usr/bin:/bin", "SCREENING_WARM_UP": warm_up, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", PROBE, str(LUIS)], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return out


@pytest.mark.slow
def test_after_the_warm_up_a_first_fhir_request_loads_nothing_new() -> None:
    warm = _first_request("1")
    cold = _first_request("0")
    assert isinstance(warm["warm"], float) and warm["warm"] > 0
    assert warm["new"] == [], warm["new"]
    assert cold["warm"] is None and any(m.startswith("fhir.resources") for m in cold["new"])  # type: ignore[attr-defined]
    assert warm["verdicts"] == cold["verdicts"] and set(warm["verdicts"].values()) == {"ineligible"}  # type: ignore[attr-defined]


def test_the_warm_up_setting() -> None:
    assert Settings.from_env({}).warm_up is True
    assert Settings.from_env({"SCREENING_WARM_UP": "0"}).warm_up is False
    with pytest.raises(SettingsError, match="SCREENING_WARM_UP: expected 1 or 0"):
        Settings.from_env({"SCREENING_WARM_UP": "maybe"})
