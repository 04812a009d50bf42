"""Suite-level checks of the bundled rule sets' cases.

Each case of every `rules/<TRIAL_ID>/cases.yaml` is a pytest item of its own, collected by the
plugin `screening.ruletest.pytest_plugin` (`python -m pytest rules/`, ids `<trial_id>::<case name>`).
Here: every trial has cases, the passing cases drive every criterion to every outcome it can
reach (reachability read from the IR by `screening.ruletest.coverage`) and reach every verdict.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from screening.ruletest.cases import case_files
from screening.ruletest.coverage import trial_coverage
from screening.ruletest.suite import ScreenerPool, SuiteRun, run_file
from tests.paths import RULES


@pytest.fixture(scope="module")
def runs() -> Iterator[tuple[ScreenerPool, list[SuiteRun]]]:
    pool = ScreenerPool()
    yield pool, [run_file(pool, p) for p in case_files(RULES)]
    pool.close()


def test_every_trial_has_cases() -> None:
    trials = sorted(p.parent.name for p in RULES.glob("*/trial.yaml"))
    with_cases = sorted(p.parent.name for p in case_files(RULES))
    assert trials and with_cases == trials


def test_cases_cover_every_reachable_outcome(runs: tuple[ScreenerPool, list[SuiteRun]]) -> None:
    pool, suite_runs = runs
    gaps = []
    for run in suite_runs:
        assert not run.errors, [d.format() for d in run.errors]
        cov = trial_coverage(pool.get(run.root).catalog, run.trial_id, run.results)
        gaps += [f"{run.trial_id}:{c.id}: no passing case gives {', '.join(sorted(c.missing))}"
                 for c in cov.criteria if c.missing]
        gaps += [f"{run.trial_id}:{c.id}: came out {', '.join(sorted(c.unexpected))}, which it cannot reach"
                 for c in cov.criteria if c.unexpected]
    assert not gaps, "outcomes no case produces:\n" + "\n".join(gaps)


def test_cases_reach_every_verdict(runs: tuple[ScreenerPool, list[SuiteRun]]) -> None:
    verdicts = {r.verdict for run in runs[1] for r in run.results if r.ok}
    assert {"eligible", "ineligible", "undetermined"} <= verdicts
