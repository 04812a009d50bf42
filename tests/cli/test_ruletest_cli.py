"""`screening test`: cases without pytest, coverage threshold, boundaries and mutation, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from screening.cli.main import app
from tests.ruletest.demo import DEMO_CASES, STRONG_CASES, THRESHOLDS_TRIAL, WEAK_CASES, write_demo

runner = CliRunner()


def invoke(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_runs_cases_and_reports_failures_with_file_line_and_table(rules_root: Path) -> None:
    path = write_demo(rules_root, DEMO_CASES + """\
  - name: wrong expectation
    patient: adult
    merge: {birth_date: 2015-01-01}
    expect: {criteria: {adult: pass}}
""")
    result = invoke("test", rules_root)
    assert result.exit_code == 1, result.output
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "wrong expectation" in x)
    assert f"cases.yaml:{line}: wrong expectation" in result.output
    row = next(x for x in result.output.splitlines() if x.strip().startswith("adult "))
    assert row.split() == ["adult", "pass", "fail", "MISMATCH"]
    assert "3 passed, 1 failed" in result.output


def test_coverage_threshold_sets_the_exit_status(rules_root: Path) -> None:
    write_demo(rules_root)
    ok = invoke("test", rules_root / "DEMO-1", "--coverage")
    assert ok.exit_code == 0, ok.output
    assert "DEMO-1: 8/14 reachable outcomes covered (57.1%)" in ok.output
    assert "reachability:" in ok.output
    low = invoke("test", rules_root / "DEMO-1" / "cases.yaml", "--min-coverage", "60")
    assert low.exit_code == 1
    assert "below the minimum 60%" in low.output
    assert invoke("test", rules_root, "--min-coverage", "57").exit_code == 0


def test_json_document_with_boundaries_and_mutation(rules_root: Path) -> None:
    write_demo(rules_root, WEAK_CASES, trial=THRESHOLDS_TRIAL)
    result = invoke("test", rules_root, "--coverage", "--boundaries", "--mutate", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["ok"] is True and doc["cases"]["passed"] == 3 and doc["cases"]["failed"] == 0
    (trial,) = doc["coverage"]["trials"]
    assert trial["trial"] == "DEMO-1" and trial["reachable"] == 6
    (b,) = doc["boundaries"]
    assert b["problems"] == [] and b["probes"] > 20
    (m,) = doc["mutation"]["trials"]
    assert m["mutants"] == 9 and m["score"] == 0.0 and len(m["survivors"]) == 9
    bad = invoke("test", rules_root, "--min-mutation-score", "50", "--json")
    assert bad.exit_code == 1 and json.loads(bad.output)["ok"] is False


def test_strong_cases_meet_a_mutation_threshold(rules_root: Path) -> None:
    write_demo(rules_root, STRONG_CASES, trial=THRESHOLDS_TRIAL)
    result = invoke("test", rules_root, "--mutate", "--min-mutation-score", "100")
    assert result.exit_code == 0, result.output
    assert "DEMO-1: mutation score 100.0% (9/9 mutants caught by 8 case(s))" in result.output


def test_no_cases_is_an_error(tmp_path: Path) -> None:
    result = invoke("test", tmp_path)
    assert result.exit_code == 2
    assert "no cases.yaml" in result.output
