"""Mutation checks (`screening.ruletest.mutate`): weak cases leave survivors, strong cases kill
every mutant; mutants are compiled into a fresh engine under a new rule-set name."""

from __future__ import annotations

from pathlib import Path

from screening.ruleset.catalog import load_catalog
from screening.ruletest.mutate import mutants, run_mutants
from screening.ruletest.suite import ScreenerPool, run_file
from tests.paths import REPO
from tests.ruletest.demo import STRONG_CASES, THRESHOLDS_TRIAL, WEAK_CASES, write_demo


def run(rules_root: Path, cases: str):  # type: ignore[no-untyped-def]
    path = write_demo(rules_root, cases, trial=THRESHOLDS_TRIAL)
    pool = ScreenerPool()
    try:
        suite_run = run_file(pool, path)
        assert suite_run.ok, "\n".join(r.table() for r in suite_run.results if not r.ok)
        return run_mutants(pool.get(suite_run.root).catalog, "DEMO-1", suite_run.results)
    finally:
        pool.close()


def test_the_mutants_of_a_small_trial(rules_root: Path) -> None:
    write_demo(rules_root, WEAK_CASES, trial=THRESHOLDS_TRIAL)
    rs = load_catalog(rules_root).get("DEMO-1")
    descs = {(m.criterion, m.description) for m in mutants(rs)}
    assert ("adult", "age >= 18 years -> > 18") in descs
    assert ("adult", "age >= 18 years -> >= 17") in descs
    assert ("adult", "age <= 75 years -> < 75") in descs
    # on whole years `> 18` is `>= 19`: one mutant, not two
    assert ("adult", "age >= 18 years -> >= 19") not in descs
    # a lab threshold moves by one step of the value as written, in the unit as written
    lab = "latest creatinine (serum, plasma or blood) < 1.5 mg/dL (= 132.602546 umol/L)"
    assert {d for c, d in descs if c == "creatinine_ok" and d.startswith(lab)} == {
        f"{lab} -> <= 1.5 mg/dL", f"{lab} -> < 1.4 mg/dL", f"{lab} -> < 1.6 mg/dL"}
    assert any(c == "creatinine_ok" and "within 30 days -> within 29 days" in d for c, d in descs)
    assert any(c == "creatinine_ok" and "within 30 days -> within 31 days" in d for c, d in descs)


def test_weak_cases_leave_survivors(rules_root: Path) -> None:
    report = run(rules_root, WEAK_CASES)
    survivors = {(m.criterion, m.description) for m in report.survivors}
    assert ("adult", "age >= 18 years -> > 18") in survivors
    assert ("adult", "age <= 75 years -> < 75") in survivors
    assert any(c == "creatinine_ok" and "within 30 days" in d for c, d in survivors)
    # 2 mutants per age limit, 3 for the creatinine threshold, 2 for its window: none caught
    assert report.total == 9 and report.killed == [] and report.score == 0.0
    # the rule set itself is untouched: its cases still pass
    path = rules_root / "DEMO-1" / "cases.yaml"
    pool = ScreenerPool()
    try:
        assert run_file(pool, path).ok
    finally:
        pool.close()


def test_strong_cases_kill_every_mutant(rules_root: Path) -> None:
    report = run(rules_root, STRONG_CASES)
    assert report.survivors == [], [m.description for m in report.survivors]
    assert report.score == 100.0
    killers = {m.description: case for m, case in report.killed}
    assert killers["age >= 18 years -> > 18"] == "18 today"
    assert killers["age <= 75 years -> < 75"] == "75 (76 tomorrow)"


def test_a_seed_trial_report_is_consistent() -> None:
    pool = ScreenerPool()
    try:
        suite_run = run_file(pool, REPO / "rules" / "NCT03389919" / "cases.yaml")
        report = run_mutants(pool.get(suite_run.root).catalog, "NCT03389919", suite_run.results)
    finally:
        pool.close()
    assert report.total == len(mutants(load_catalog(REPO / "rules", ["NCT03389919"]).get("NCT03389919")))
    assert report.total > 0 and len(report.killed) > 0
    assert all(m.trial_id == "NCT03389919" and m.line > 0 for m in report.survivors)
