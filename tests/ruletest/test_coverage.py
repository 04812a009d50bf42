"""Outcome coverage (`screening.ruletest.coverage`): reachability read from the IR and the
outcomes a small hand-made rule set's cases exercise, counted exactly."""

from __future__ import annotations

from pathlib import Path

from screening.ruleset.catalog import load_catalog
from screening.ruletest.coverage import format_coverage, reachable, total_percent, trial_coverage
from screening.ruletest.suite import ScreenerPool, find_cases_files, run_file
from tests.paths import REPO
from tests.ruletest.demo import DEMO_CASES, write_demo


def test_reachability_is_read_from_the_ir(rules_root: Path) -> None:
    write_demo(rules_root)
    rs = load_catalog(rules_root).get("DEMO-1")
    got = {c.id: reachable(c) for c in rs.ir.criteria}
    assert got["adult"][0] == {"pass", "fail", "unknown"}
    assert "birth date" in got["adult"][1][0]
    assert got["creatinine_ok"][0] == {"pass", "fail", "unknown"}
    # assume_absent: a flag, and a diagnosis query by codes alone counting every verification
    # status, are always known ...
    assert got["pregnant"] == ({"pass", "fail"}, [])
    assert got["hiv"] == ({"pass", "fail"}, [])
    # ... but a diagnosis without status may or may not be active
    assert got["active_hepatitis_b"][0] == {"pass", "fail", "unknown"}
    assert any("neither abatement nor status" in w for w in got["active_hepatitis_b"][1])
    assert got["able_to_comply"] == ({"review"}, [])


def test_coverage_counts_exactly_what_the_passing_cases_give(rules_root: Path) -> None:
    path = write_demo(rules_root, DEMO_CASES + """\
  - name: a failing case does not count
    patient: adult
    merge: {birth_date: 2015-01-01}
    expect:
      criteria: {adult: pass}
""")
    pool = ScreenerPool()
    try:
        run = run_file(pool, path)
        assert [r.ok for r in run.results] == [True, True, True, False]
        cov = trial_coverage(pool.get(run.root).catalog, "DEMO-1", run.results)
    finally:
        pool.close()
    by = {c.id: c for c in cov.criteria}
    # reachable: 3 (adult) + 3 (creatinine) + 2 (pregnant) + 2 (hiv) + 3 (hepatitis B) + 1 (review) = 14
    assert cov.reachable_count == 14
    assert by["adult"].seen == {"pass", "unknown"}  # the failing case's `fail` is not counted
    assert by["adult"].missing == {"fail"}
    assert by["creatinine_ok"].missing == {"fail", "unknown"}
    assert by["pregnant"].missing == set() and by["hiv"].missing == {"fail"}
    assert by["active_hepatitis_b"].missing == {"fail", "unknown"}
    assert by["able_to_comply"].missing == set()
    assert cov.covered_count == 2 + 1 + 2 + 1 + 1 + 1
    assert cov.cases == 3
    assert round(cov.percent, 2) == round(100 * 8 / 14, 2)
    text = format_coverage([cov])
    assert "DEMO-1: 8/14 reachable outcomes covered (57.1%)" in text
    assert "no case gives fail, unknown" in text
    assert "unknown unreachable" in text  # the rule is explained
    line = next(x for x in text.splitlines() if x.strip().startswith("hiv "))
    assert line.split()[:5] == ["hiv", "pass", "(fail)", "-", "-"]


def test_full_coverage_of_the_demo(rules_root: Path) -> None:
    path = write_demo(rules_root, DEMO_CASES + """\
  - name: too young
    patient: adult
    merge: {birth_date: 2010-01-01}
    expect: {criteria: {adult: fail}}
  - name: high creatinine
    patient: adult
    merge: {observations: [{code: {system: loinc, code: 2160-0}, date: 2026-11-01, value: 1.6, unit: mg/dL}]}
    expect: {criteria: {creatinine_ok: fail}}
  - name: old creatinine
    patient: adult
    merge: {observations: [{code: {system: loinc, code: 2160-0}, date: 2026-10-01, value: 1.0, unit: mg/dL}]}
    expect: {criteria: {creatinine_ok: unknown}}
  - name: hiv
    patient: adult
    merge: {conditions: [{code: {system: icd10, code: B20}, onset: 2015-01-01}]}
    expect: {criteria: {hiv: fail}}
  - name: active hepatitis B
    patient: adult
    merge: {conditions: [{code: {system: icd10, code: B18.1}, onset: 2015-01-01, clinical_status: active}]}
    expect: {criteria: {active_hepatitis_b: fail}}
  - name: hepatitis B of unknown status
    patient: adult
    merge: {conditions: [{code: {system: icd10, code: B18.1}, onset: 2015-01-01}]}
    expect: {criteria: {active_hepatitis_b: unknown}}
""")
    pool = ScreenerPool()
    try:
        run = run_file(pool, path)
        assert all(r.ok for r in run.results), "\n".join(r.table() for r in run.results if not r.ok)
        cov = trial_coverage(pool.get(run.root).catalog, "DEMO-1", run.results)
    finally:
        pool.close()
    assert (cov.covered_count, cov.reachable_count) == (14, 14)
    assert total_percent([cov]) == 100.0


def test_reachability_of_the_seed_trials_is_consistent_with_their_cases() -> None:
    """No passing case of the bundled trials produces an outcome the analysis calls unreachable;
    the criteria that can never be unknown are the assume_absent ones."""
    pool = ScreenerPool()
    try:
        runs = [run_file(pool, p) for p in find_cases_files(REPO / "rules")]
        covs = [trial_coverage(pool.get(r.root).catalog, r.trial_id, r.results) for r in runs]
        catalog = pool.get(REPO / "rules").catalog
    finally:
        pool.close()
    assert len(covs) == 5
    assert not [(t.trial_id, c.id, c.unexpected) for t in covs for c in t.criteria if c.unexpected]
    never_unknown = {(t.trial_id, c.id) for t in covs for c in t.criteria if c.reachable == {"pass", "fail"}}
    assert ("NCT02566655", "trial_within_6_months") in never_unknown  # participation windows are always decided
    for trial_id, cid in never_unknown:
        crit = next(c for c in catalog.get(trial_id).ir.criteria if c.id == cid)
        assert crit.policy == "assume_absent", (trial_id, cid)
