"""Batch runs end to end (the CLI and run_batch, real worker processes): verdicts, attrition,
malformed lines and outputs of a small hand-made cohort; re-runs; driver memory; Parquet input."""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patients.synthetic import load_spec, write_cohort
from screening.batch import BatchError, run_batch
from tests.batch.conftest import AS_OF, MALFORMED_LINES, PATIENTS, cohort_lines, run_cli, write_batch_trials
from tests.paths import LIBRARY

DAY = dt.date.fromisoformat(AS_OF)

T1_EXPECTED = {
    "P1": ("eligible", ["pass", "pass", "pass", "pass"]),
    "P2": ("ineligible", ["fail", "fail", "pass", "pass"]),
    "P3": ("undetermined", ["pass", "unknown", "pass", "pass"]),
    "P4": ("ineligible", ["pass", "pass", "unknown", "fail"]),
    "P5": ("ineligible", ["pass", "unknown", "fail", "pass"]),
    "P6": ("undetermined", ["unknown", "pass", "pass", "pass"]),
}
PATIENT_LINES = {"P1": 1, "P2": 2, "P3": 4, "P4": 6, "P5": 8, "P6": 10}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One batch of the hand-made cohort with 2 workers and 3-line chunks (shared by the tests here)."""
    root = tmp_path_factory.mktemp("small")
    rules = root / "rules"
    shutil.copytree(LIBRARY, rules / "library")
    write_batch_trials(rules)
    cohort = root / "small.jsonl"
    cohort.write_bytes(b"\n".join(cohort_lines()) + b"\n")
    out = root / "out"
    proc = run_cli("batch", str(cohort), "--rules", str(rules), "--as-of", AS_OF, "--workers", "2",
                   "--chunk-size", "3", "-o", str(out))
    (root / "stdout.txt").write_text(proc.stdout + proc.stderr)
    return out


def _trial(summary: dict, tid: str) -> dict:
    return next(t for t in summary["trials"] if t["trial_id"] == tid)


@pytest.mark.slow
def test_verdict_counts_and_cohort_totals(small_run: Path) -> None:
    s = json.loads((small_run / "summary.json").read_text())
    assert s["cohort"]["lines"] == 11
    assert s["cohort"]["patients"] == 6
    assert s["cohort"]["malformed"] == 4 and s["errors"]["count"] == 4
    assert s["cohort"]["blank_lines"] == 1
    assert _trial(s, "BATCH-T1")["verdicts"] == {"eligible": 1, "ineligible": 3, "undetermined": 2}
    # BATCH-T2: women only + a review criterion: nobody can be eligible
    assert _trial(s, "BATCH-T2")["verdicts"] == {"eligible": 0, "ineligible": 2, "undetermined": 4}


@pytest.mark.slow
def test_attrition_matches_hand_computation(small_run: Path) -> None:
    s = json.loads((small_run / "summary.json").read_text())
    rows = {r["criterion"]: r for r in _trial(s, "BATCH-T1")["attrition"]}
    assert [r["criterion"] for r in _trial(s, "BATCH-T1")["attrition"]] == ["adult", "creatinine_ok", "consent", "no_hiv"]
    expect = {  # pass, fail, unknown, remaining, all_pass_so_far, sole_fail, would_be_eligible
        "adult": (4, 1, 1, 5, 4, 0, 1),
        "creatinine_ok": (3, 1, 2, 5, 2, 0, 1),
        "consent": (4, 1, 1, 4, 1, 1, 0),
        "no_hiv": (5, 1, 0, 3, 1, 1, 0),
    }
    for cid, (p, f, u, rem, allp, sole, wbe) in expect.items():
        r = rows[cid]
        got = (r["pass"], r["fail"], r["unknown"], r["remaining"], r["all_pass_so_far"], r["sole_fail"], r["would_be_eligible"])
        assert got == (p, f, u, rem, allp, sole, wbe), cid
    assert rows["consent"]["remaining_pct"] == pytest.approx(66.67)
    t2 = {r["criterion"]: r for r in _trial(s, "BATCH-T2")["attrition"]}
    assert (t2["female"]["fail"], t2["female"]["unknown"], t2["judgement"]["review"]) == (2, 1, 6)
    assert t2["judgement"]["would_be_eligible"] == 3  # the three women pass everything else


@pytest.mark.slow
def test_missing_data_counts_only_unknown_criteria(small_run: Path) -> None:
    s = json.loads((small_run / "summary.json").read_text())
    missing = {m["data"]: m["patients"] for m in _trial(s, "BATCH-T1")["missing_data"]}
    assert missing.get("birth date") == 1  # P6
    assert missing.get("written informed consent") == 1  # P4
    creat = {k: v for k, v in missing.items() if "creatinine" in k}
    assert sum(creat.values()) == 2  # P3 (none) and P5 (stale)
    assert any("latest is from 2026-03-01" in k for k in creat)
    # sex is missing for P6 but only BATCH-T2 asks for it
    assert "sex" not in missing
    assert {m["data"]: m["patients"] for m in _trial(s, "BATCH-T2")["missing_data"]} == {"sex": 1}


@pytest.mark.slow
def test_malformed_lines_are_reported_with_line_numbers(small_run: Path) -> None:
    errors = [json.loads(x) for x in (small_run / "errors.jsonl").read_text().splitlines()]
    assert [e["line"] for e in errors] == MALFORMED_LINES
    assert "invalid JSON" in errors[0]["error"]
    assert "JSON object" in errors[1]["error"]
    assert "sex" in errors[2]["error"]
    assert "UTF-8" in errors[3]["error"]
    assert all(e["error"].startswith(f"line {e['line']}:") for e in errors)
    assert "4 malformed line(s) skipped" in (small_run.parent / "stdout.txt").read_text()


@pytest.mark.slow
def test_results_rows_in_line_order_with_statuses(small_run: Path) -> None:
    rows = [json.loads(x) for x in (small_run / "results.jsonl").read_text().splitlines()]
    assert [(r["line"], r["trial_id"]) for r in rows] == [
        (PATIENT_LINES[p["id"]], t) for p in PATIENTS for t in ("BATCH-T1", "BATCH-T2")]
    for r in rows:
        if r["trial_id"] == "BATCH-T1":
            verdict, statuses = T1_EXPECTED[r["patient_id"]]
            assert r["verdict"] == verdict
            assert list(r["statuses"].values()) == statuses
            assert list(r["statuses"]) == ["adult", "creatinine_ok", "consent", "no_hiv"]
    table = pq.read_table(small_run / "results.parquet")
    assert table.num_rows == len(rows)
    as_rows = table.to_pylist()
    assert [(r["line"], r["patient_id"], r["trial_id"], r["verdict"], dict(r["statuses"])) for r in as_rows] == [
        (r["line"], r["patient_id"], r["trial_id"], r["verdict"], r["statuses"]) for r in rows]
    assert not (small_run / "parts").exists()
    assert json.loads((small_run / "manifest.json").read_text())["complete"] is True


@pytest.mark.slow
def test_rerun_of_a_complete_batch_and_changed_options(small_run: Path, batch_rules: Path, tmp_path: Path) -> None:
    manifest = json.loads((small_run / "manifest.json").read_text())
    cohort = Path(manifest["cohort"])
    rules = Path(manifest["cohort"]).parent / "rules"
    before = (small_run / "results.jsonl").read_bytes()
    proc = run_cli("batch", str(cohort), "--rules", str(rules), "--as-of", AS_OF, "--chunk-size", "3", "-o", str(small_run))
    assert "already complete" in proc.stderr
    assert (small_run / "results.jsonl").read_bytes() == before
    with pytest.raises(BatchError, match=r"differs in: as_of.*--restart"):
        run_batch(cohort, small_run, as_of=dt.date(2026, 10, 1), rules_dir=rules, chunk_size=3)


def test_unknown_trial_and_missing_cohort(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="unknown trial 'BATCH-T3'.*did you mean"):
        run_batch(small_cohort, tmp_path / "o", trial_ids=("BATCH-T3",), as_of=DAY, rules_dir=batch_rules)
    with pytest.raises(BatchError, match="not found"):
        run_batch(tmp_path / "none.jsonl", tmp_path / "o", as_of=DAY, rules_dir=batch_rules)


def _driver_peak(cohort: Path, out: Path, rules: Path) -> int:
    """The peak of the Python allocations of a batch's driver (tracemalloc: this process only; the
    workers are other processes), starting from a collected heap."""
    gc.collect()
    tracemalloc.start()
    try:
        res = run_batch(cohort, out, trial_ids=("BATCH-T1",), as_of=DAY, rules_dir=rules, workers=1, chunk_size=250)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert res.summary["cohort"]["patients"] == sum(1 for _ in cohort.open())
    return peak


@pytest.mark.slow
def test_driver_memory_does_not_grow_with_the_cohort(batch_rules: Path, tmp_path: Path) -> None:
    """The driver's peak for 2,500 patients against its peak for 300. A run's peak is a fixed part
    (a planning block, the futures of the chunks in flight, the summary; about 0.5-0.6 MB) plus noise
    of some tens of KB (when the collector runs, how many chunks finish together); the one-off
    imports and caches of a first run (about 2 MB) are paid by a warm-up run, not by either
    measurement. A driver that held the patients, or their result rows, would grow by at least the
    extra input (about 3.4 MB; about 2,200 more rows): the bound, a quarter of that, is several
    times the growth measured (about 0.1 MB) and far below what holding them would take."""
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    write_cohort(small, load_spec(), 300, seed=4)
    write_cohort(large, load_spec(), 2500, seed=4)
    _driver_peak(small, tmp_path / "warm-up", batch_rules)
    peak_small = _driver_peak(small, tmp_path / "o1", batch_rules)
    peak_large = _driver_peak(large, tmp_path / "o2", batch_rules)
    grown = large.stat().st_size - small.stat().st_size
    assert peak_large - peak_small < grown / 4, (peak_small, peak_large, grown)


@pytest.mark.slow
def test_parquet_cohort_gives_the_same_results_as_json_lines(batch_rules: Path, tmp_path: Path) -> None:
    spec = load_spec()
    write_cohort(tmp_path / "c.jsonl", spec, 500, seed=9)
    write_cohort(tmp_path / "c.parquet", spec, 500, seed=9, batch_size=200)  # 3 row groups = 3 chunks
    a = run_batch(tmp_path / "c.jsonl", tmp_path / "a", trial_ids=("BATCH-T1",), as_of=DAY, rules_dir=batch_rules,
                  chunk_size=200)
    b = run_batch(tmp_path / "c.parquet", tmp_path / "b", trial_ids=("BATCH-T1",), as_of=DAY, rules_dir=batch_rules)
    assert b.chunks_total == 3
    assert (tmp_path / "a" / "results.jsonl").read_bytes() == (tmp_path / "b" / "results.jsonl").read_bytes()
    assert a.summary["trials"] == b.summary["trials"]
