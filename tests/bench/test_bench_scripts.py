"""The benchmark scripts still run on the code they measure (a script that breaks when the code
under it changes shape is found here, not when someone next needs the figures). Small sizes: the
figures themselves are not asserted (no timing assertions in tests), only that each script runs
to its summary and that what it checks alongside (agreement with the baseline, flat memory,
the quality of the drafts) holds."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.paths import REPO as ROOT

pytestmark = pytest.mark.slow


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_engine_bench_runs_and_the_baseline_agrees() -> None:
    out = _run("bench/engine_bench.py", "--quick")
    assert re.search(r"baseline \(plain Python\):.*; 0 of 500 patients with a different status", out), out
    assert re.search(r"engine / baseline cost: +\d+\.\d+x", out), out
    assert re.search(r"engine, fresh sessions:.*reused / fresh: \d+\.\d+x; 0 of 500 patients with a different", out), out
    assert "durable_rules calls" in out and "memory:" in out


def test_catalog_bench_runs_and_every_size_agrees_with_the_baseline() -> None:
    out = _run("bench/catalog_bench.py", "--sizes", "5,10", "--patients", "10", "--rounds", "1")
    rows = re.findall(r"^\s+(\d+)\s+\S+ms.*?(\d+)/(\d+)\s", out, re.MULTILINE)
    assert [r[0] for r in rows] == ["5", "10"], out
    assert all(a == b == "10" for _, a, b in rows), out
    assert "target: verdicts at the largest catalog" in out


def test_ctgov_bench_times_every_record_and_reports_the_drafts_quality() -> None:
    out = _run("bench/ctgov_bench.py", "--rounds", "1")
    records = len(list((ROOT / "tests/fixtures/ctgov").glob("NCT*")))
    assert len(re.findall(r"^NCT\d{8} ", out, re.MULTILINE)) == records, out
    assert re.search(r"drafting: median [\d.]+ ms, max [\d.]+ ms a record", out), out
    assert "wrong drafts at confidence >= 0.8: 0" in out


def test_batch_bench_sets_the_speedup_beside_both_controls() -> None:
    """The speedup is printed beside pure CPU work (L1-resident) and beside the workers' own
    screening work in 1 and 2 processes without the batch around it, with its CPU per patient."""
    out = _run("bench/batch_bench.py", "--n", "200", "--skip-big", "--chunk-size", "100", "--control-patients", "150")
    assert re.search(r"controls: pure CPU \d+\.\d+x, screening \d+\.\d+x \(CPU per patient with 2 processes / 1: "
                     r"\d+\.\d+\)", out), out
    assert re.search(r"speedup with 2 workers: \d+\.\d+x \(target >= 1\.7x\); controls on this machine now: "
                     r"\d+\.\d+x for pure CPU work .*\d+\.\d+x for the workers' own screening work", out), out


def test_gc_bench_compares_two_revisions_and_the_working_tree_leaves_no_cycles() -> None:
    out = _run("bench/gc_bench.py", "--base", "HEAD", "--patients", "60", "--chunk", "30", "--rounds", "1",
               "--passes", "1")
    assert re.search(r"^young collections / 1,000 patients +\d+\.\d +\d+\.\d", out, re.MULTILINE), out
    assert re.search(r"^objects in cycles / patient +\d+\.\d +0\.0 ", out, re.MULTILINE), out
    assert re.search(r"^head: the collector's share of a worker's CPU \d+\.\d%", out, re.MULTILINE), out
