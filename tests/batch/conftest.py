"""Fixtures for batch screening: two small trials on the shared library, a hand-made cohort."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from patients.synthetic import load_spec, write_cohort
from tests.paths import REPO

AS_OF = "2026-11-01"

TRIAL_1 = """\
schema: trial-screening/v1
trial:
  id: BATCH-T1
  title: Batch test trial one
  sources: [{document: tests}]
criteria:
  - id: adult
    kind: inclusion
    text: Age 18 to 65 years.
    source: {document: tests}
    when: {age: {between: [18, 65]}}
  - id: creatinine_ok
    kind: inclusion
    text: Creatinine below 176 umol/L.
    source: {document: tests}
    when: {latest: {code: creatinine, within: 90 days, lt: 176 umol/L}}
  - id: consent
    kind: inclusion
    text: Written informed consent.
    source: {document: tests}
    when: {ref: informed_consent_signed}
  - id: no_hiv
    kind: exclusion
    text: HIV infection.
    source: {document: tests}
    missing: assume_absent
    when: {condition: {code: hiv_infection}}
"""

TRIAL_2 = """\
schema: trial-screening/v1
trial:
  id: BATCH-T2
  title: Batch test trial two
  sources: [{document: tests}]
criteria:
  - id: female
    kind: inclusion
    text: Women only.
    source: {document: tests}
    when: {sex: [female]}
  - id: judgement
    kind: exclusion
    text: Any condition the investigator judges unsuitable.
    source: {document: tests}
    review: investigator judgement
"""


def _creat(value: float, unit: str, date: str) -> dict:
    code = "14682-9" if unit == "umol/L" else "2160-0"
    return {"code": {"system": "loinc", "code": code}, "date": date, "value": value, "unit": unit}


SIGNED = {"informed_consent": {"signed": True, "date": "2026-10-20"}}

# Expected statuses for BATCH-T1 (adult, creatinine_ok, consent, no_hiv) are in the comments.
PATIENTS = [
    # P1: p p p p -> eligible
    {"id": "P1", "birth_date": "1996-05-01", "sex": "female", "observations": [_creat(80, "umol/L", "2026-10-01")],
     "administrative": SIGNED},
    # P2: f f p p -> ineligible (2.5 mg/dL = 221 umol/L)
    {"id": "P2", "birth_date": "1956-01-01", "sex": "male", "observations": [_creat(2.5, "mg/dL", "2026-10-15")],
     "administrative": SIGNED},
    # P3: p u p p -> undetermined (no creatinine)
    {"id": "P3", "birth_date": "1986-03-03", "sex": "female", "administrative": SIGNED},
    # P4: p p u f -> ineligible (HIV; consent not recorded)
    {"id": "P4", "birth_date": "2001-07-07", "sex": "male", "observations": [_creat(1.0, "mg/dL", "2026-09-30")],
     "conditions": [{"code": {"system": "snomed", "code": "86406008"}, "onset": "2020-01-01"}]},
    # P5: p u f p -> ineligible (stale creatinine; consent refused)
    {"id": "P5", "birth_date": "1976-02-02", "sex": "female", "observations": [_creat(90, "umol/L", "2026-03-01")],
     "administrative": {"informed_consent": {"signed": False}}},
    # P6: u p p p -> undetermined (no birth date, no sex)
    {"id": "P6", "observations": [_creat(100, "umol/L", "2026-10-25")], "administrative": SIGNED},
]


def cohort_lines() -> list[bytes]:
    """Patients interleaved with malformed and blank lines (1-based line numbers in comments)."""
    p = [json.dumps(x).encode() for x in PATIENTS]
    return [
        p[0],                               # 1
        p[1],                               # 2
        b'{"id": "broken", "sex": ',        # 3 invalid JSON
        p[2],                               # 4
        b"",                                # 5 blank
        p[3],                               # 6
        b"[1, 2]",                          # 7 not an object
        p[4],                               # 8
        b'{"id": "x", "sex": "robot"}',     # 9 invalid field
        p[5],                               # 10
        b"\xff\xfe{}",                      # 11 not UTF-8
    ]


MALFORMED_LINES = [3, 7, 9, 11]


def write_batch_trials(rules: Path) -> Path:
    """Add BATCH-T1 and BATCH-T2 to a rule folder that holds a library."""
    for folder, text in (("BATCH-T1", TRIAL_1), ("BATCH-T2", TRIAL_2)):
        (rules / folder).mkdir()
        (rules / folder / "trial.yaml").write_text(text, encoding="utf-8")
    return rules


@pytest.fixture
def batch_rules(rules_root: Path) -> Path:
    return write_batch_trials(rules_root)


@pytest.fixture
def small_cohort(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    path.write_bytes(b"\n".join(cohort_lines()) + b"\n")
    return path


@pytest.fixture
def synthetic_cohort(tmp_path: Path) -> Path:
    """400 synthetic patients (seed 8), then a malformed line (line 401)."""
    path = tmp_path / "cohort.jsonl"
    write_cohort(path, load_spec(), 400, seed=8)
    with path.open("ab") as f:
        f.write(b"not json\n")
    return path


def run_cli(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def, type-arg]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "screening.cli", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=300, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def start_stalled(*args: str, marker: Path, after: int) -> subprocess.Popen:  # type: ignore[type-arg]
    """Start `screening ARGS` (a batch) in its own session, its driver stalling once `after` chunks are
    done (tests/batch/stall.py); return once it has stalled, so the caller kills it mid-run."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    stderr = marker.with_name(marker.name + ".stderr")
    with stderr.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "tests.batch.stall", str(marker), str(after), *args], cwd=REPO,
                                env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the batch ended (exit {proc.returncode}) before it stalled:\n{stderr.read_text()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError("the batch did not stall within 120 s")
        time.sleep(0.02)
    return proc


class Stop(Exception):
    """Raised by a progress hook to interrupt a batch at a chosen point."""


def summary_of(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
