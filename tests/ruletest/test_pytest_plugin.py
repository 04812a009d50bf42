"""The pytest plugin (entry point `pytest11`): a team's own rules folder, tested by running pytest
in a subprocess on it, as the team would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO
from tests.ruletest.demo import DEMO_CASES_HEAD, DEMO_TRIAL, write_demo

pytestmark = pytest.mark.slow  # every test runs pytest in a subprocess

PASSING_AND_FAILING = DEMO_CASES_HEAD + """\
  - name: eligible adult
    patient: adult
    expect:
      criteria: {adult: pass, creatinine_ok: pass}
  - name: high creatinine is expected to pass
    patient: adult
    merge:
      observations:
        - {code: {system: loinc, code: 2160-0}, date: 2026-11-01, value: 140, unit: umol/L}
    expect:
      criteria: {creatinine_ok: pass, adult: pass}
"""

# counts the engines built in the session (a conftest of the team's repository may do anything)
COUNTING_CONFTEST = """\
import screening.runtime.evaluate as evaluate

BUILT = []
_init = evaluate.Screener.__init__


def _counting(self, *a, **kw):
    BUILT.append(1)
    _init(self, *a, **kw)


evaluate.Screener.__init__ = _counting


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"screeners built: {len(BUILT)}")
"""


# the plugin is found through its entry point; unrelated heavy plugins are left out to keep this fast
QUIET = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:faker", "-p", "no:schemathesis",
         "-p", "no:anyio"]


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("SCREENING_RULES_DIR", None)
    return subprocess.run([sys.executable, "-m", "pytest", *QUIET, *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def team_repo(tmp_path: Path) -> Path:
    """A repository of its own: rules/library, rules/DEMO-1 (one passing, one failing case), and
    rules/DEMO-2 (another trial of the same folder)."""
    root = tmp_path / "rules"
    shutil.copytree(REPO / "rules" / "library", root / "library")
    write_demo(root, PASSING_AND_FAILING)
    write_demo(root, DEMO_CASES_HEAD.replace("DEMO-1", "DEMO-2") + """\
  - name: adult
    patient: adult
    expect: {criteria: {adult: pass}}
""", trial=DEMO_TRIAL.replace("DEMO-1", "DEMO-2"), folder="DEMO-2")
    (tmp_path / "conftest.py").write_text(COUNTING_CONFTEST, encoding="utf-8")
    return tmp_path


def test_cases_are_items_and_a_failure_shows_file_line_and_table(team_repo: Path) -> None:
    proc = run_pytest(team_repo, "-rA")
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert "1 failed, 2 passed" in out
    # items are named <trial_id>::<case name>
    assert "PASSED rules/DEMO-1/cases.yaml::DEMO-1::eligible adult" in out
    assert "PASSED rules/DEMO-2/cases.yaml::DEMO-2::adult" in out
    assert "FAILED rules/DEMO-1/cases.yaml::DEMO-1::high creatinine is expected to pass" in out
    text = (team_repo / "rules" / "DEMO-1" / "cases.yaml").read_text(encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "name: high creatinine" in x)
    assert f"rules/DEMO-1/cases.yaml:{line}: case 'high creatinine is expected to pass' of trial DEMO-1 failed" in out
    rows = {x.split()[0]: x.split()[1:] for x in out.splitlines()
            if x.strip().startswith(("creatinine_ok ", "adult ", "criterion "))}
    assert rows["criterion"] == ["expected", "actual", "check"]
    assert rows["creatinine_ok"] == ["pass", "fail", "MISMATCH"]
    assert rows["adult"] == ["pass", "pass", "ok"]
    assert re.search(r"why creatinine_ok is fail: .*140 umol/L .* is not below 132\.603 umol/L", out)
    # one engine for the rules folder, however many cases and trials
    assert "screeners built: 1" in out


def test_invalid_cases_file_and_broken_rule_set_fail_with_diagnostics(team_repo: Path) -> None:
    path = team_repo / "rules" / "DEMO-2" / "cases.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("expect:", "expected:"), encoding="utf-8")
    # a third trial whose rule set does not load (an unknown value set): its cases fail, the
    # other trials of the folder still load
    write_demo(team_repo / "rules", DEMO_CASES_HEAD.replace("DEMO-1", "DEMO-3") + """\
  - name: adult
    patient: adult
    expect: {criteria: {adult: pass}}
""", trial=DEMO_TRIAL.replace("DEMO-1", "DEMO-3").replace("code: creatinine,", "code: creatinin,"), folder="DEMO-3")
    proc = run_pytest(team_repo, "-q", "rules")
    out = proc.stdout
    assert proc.returncode == 1
    assert "3 failed, 1 passed" in out  # DEMO-1 runs as before (one of its cases fails by design)
    assert "DEMO-2::(cases file)" in out
    assert re.search(r"rules/DEMO-2/cases\.yaml:\d+:\d+: E011: .*unknown field 'expected'", out)
    assert "DEMO-3::adult: rule set DEMO-3 does not load" in out
    assert re.search(r"rules/DEMO-3/trial\.yaml:\d+:\d+: E102: unknown value set 'creatinin'", out)


def test_node_id_selection_coverage_summary_and_threshold(team_repo: Path) -> None:
    proc = run_pytest(team_repo, "-q", "rules/DEMO-1/cases.yaml::DEMO-1::eligible adult", "--rules-coverage")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout
    assert "rule-set outcome coverage" in proc.stdout
    # the one passing case gives adult, creatinine_ok, pregnant, hiv and hepatitis B pass, and review
    assert "DEMO-1: 6/14 reachable outcomes covered (42.9%) by 1 passing case(s)" in proc.stdout
    assert "DEMO-2" not in proc.stdout
    proc = run_pytest(team_repo, "-q", "rules/DEMO-2", "--rules-min-coverage", "90")
    assert proc.returncode == 1
    assert "1 passed" in proc.stdout and "is below 90%" in proc.stdout


def test_the_project_collects_its_bundled_cases_through_the_plugin() -> None:
    proc = run_pytest(REPO, "--collect-only", "-q", "rules")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ids = [x for x in proc.stdout.splitlines() if x.startswith("rules/")]
    assert len(ids) >= 100
    assert "rules/NCT01420432/cases.yaml::NCT01420432::18 tomorrow is too young" in ids
