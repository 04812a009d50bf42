"""A batch killed mid-run (SIGKILL) and started again ends with the same output as an uninterrupted run,
its patients screened at their own dates."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patients.synthetic import load_spec, write_cohort
from screening.batch.executors import LocalExecutor
from tests.batch.conftest import AS_OF, run_cli, start_stalled

pytestmark = pytest.mark.slow  # a killed subprocess and its worker processes

N_PATIENTS = 1500
CHUNK = 50
N_CHUNKS = N_PATIENTS // CHUNK
STALL_AFTER = 5


def summary_dates(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())["dates"]["own_dates"]


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("results.jsonl", "errors.jsonl", "summary.json")}


def _dated_cohort(path: Path) -> None:
    """A synthetic cohort whose patients carry 45 different screening dates."""
    write_cohort(path, load_spec(), N_PATIENTS, seed=21)
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    for k, line in enumerate(lines):
        line["as_of"] = (dt.date.fromisoformat(AS_OF) - dt.timedelta(days=k % 45)).isoformat()
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")


def test_resume_after_sigkill_gives_identical_outputs(batch_rules: Path, tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.jsonl"
    _dated_cohort(cohort)
    with cohort.open("ab") as f:  # one malformed line, to check errors survive the resume too
        f.write(b'{"id": 1}\n')
    args = ["batch", str(cohort), "--rules", str(batch_rules), "--as-of", AS_OF, "--workers", "1",
            "--chunk-size", str(CHUNK)]

    killed = tmp_path / "killed"
    marker = tmp_path / "stalled"
    # the driver stalls after its 5th finished chunk, so it is killed mid-run whatever the machine's speed
    proc = start_stalled(*args, "-o", str(killed), marker=marker, after=STALL_AFTER)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its worker processes
    proc.wait(timeout=30)
    done_at_kill = len(list((killed / "parts").glob("*.stats.json")))
    # the chunks reported, and at most those submitted ahead besides: far from all of them
    assert int(marker.read_text()) == STALL_AFTER
    assert STALL_AFTER <= done_at_kill <= STALL_AFTER + LocalExecutor(1).ahead_per_worker < N_CHUNKS + 1
    assert json.loads((killed / "manifest.json").read_text())["complete"] is False
    assert not (killed / "summary.json").exists()

    resumed = run_cli(*args, "-o", str(killed))
    assert "resumed:" in resumed.stderr and f"of {N_CHUNKS + 1} chunks were already done" in resumed.stderr

    clean = tmp_path / "clean"
    run_cli(*args, "-o", str(clean))

    assert _outputs(killed) == _outputs(clean)
    a, b = pq.read_table(killed / "results.parquet"), pq.read_table(clean / "results.parquet")
    assert a.equals(b)
    rows = [json.loads(x) for x in (clean / "results.jsonl").read_text().splitlines()]
    assert len(rows) == N_PATIENTS * 2  # two trials, no row lost or duplicated
    assert len({(r["line"], r["trial_id"]) for r in rows}) == len(rows)
    assert [r["line"] for r in rows[::2]] == list(range(1, N_PATIENTS + 1))
    assert len({r["as_of"] for r in rows}) == 45
    assert summary_dates(clean) == {"first": "2026-09-18", "last": AS_OF, "distinct": 45}
    summary = json.loads((clean / "summary.json").read_text())
    assert summary["cohort"]["patients"] == N_PATIENTS and summary["errors"]["count"] == 1
    assert summary["errors"]["first"][0]["line"] == N_PATIENTS + 1
