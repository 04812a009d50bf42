"""Every case of every `rules/<TRIAL_ID>/cases.yaml`, screened by the real engine.

Test ids are `<trial_id>::<case name>`; a failing case prints its expected-vs-actual table.
The coverage test checks that the cases drive every computable criterion to `pass` and to
`fail`, and to `unknown` unless the criterion lists why that outcome cannot occur.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.cases import CaseResult, case_files, load_cases, run_case, status_coverage
from screening.catalog import load_catalog
from screening.diagnostics import RuleSetError
from screening.evaluate import Screener

RULES = Path(__file__).resolve().parent.parent / "rules"

# criteria whose `unknown` outcome no profile can produce, and why
UNKNOWN_UNREACHABLE = {
    ("NCT01420432", "other_trial_within_4_weeks"):
        "assume_absent, and a participation's period is always known (start required, no end = ongoing)",
    ("NCT02566655", "trial_within_6_months"):
        "assume_absent, and a participation's period is always known (start required, no end = ongoing)",
    ("NCT02566655", "inflammatory_arthritis"):
        "assume_absent with no window or status test: a matching verified diagnosis always counts",
    ("NCT02566655", "genetic_secondary_osteoporosis"):
        "assume_absent with no window or status test: a matching verified diagnosis always counts",
    ("NCT02566655", "transplant_recipient"):
        "assume_absent with no window or status test: a matching diagnosis or procedure always counts",
    ("NCT02566655", "established_osteoporosis"):
        "assume_absent with no window or status test: a matching verified diagnosis always counts",
}


def _params() -> list[object]:
    params: list[object] = []
    for path in case_files(RULES):
        try:
            suite = load_cases(path)
        except RuleSetError as e:
            params.append(pytest.param(None, str(e), id=f"{path.parent.name}::(cases file)"))
            continue
        params += [pytest.param(case, None, id=case.id) for case in suite.cases]
    return params


PARAMS = _params()


@pytest.fixture(scope="module")
def screener():  # type: ignore[no-untyped-def]
    s = Screener(load_catalog(RULES))
    yield s
    s.close()


@pytest.fixture(scope="module")
def all_results(screener) -> list[CaseResult]:  # type: ignore[no-untyped-def]
    return [run_case(screener, p.values[0]) for p in PARAMS if p.values[0] is not None]  # type: ignore[attr-defined]


def test_every_trial_has_cases() -> None:
    trials = sorted(p.parent.name for p in RULES.glob("*/trial.yaml"))
    with_cases = sorted(p.parent.name for p in case_files(RULES))
    assert trials and with_cases == trials


@pytest.mark.parametrize("case,load_error", PARAMS)
def test_rule_case(screener, case, load_error) -> None:  # type: ignore[no-untyped-def]
    if load_error is not None:
        pytest.fail(load_error, pytrace=False)
    result = run_case(screener, case)
    if not result.ok:
        pytest.fail("\n" + result.table(), pytrace=False)


def test_cases_cover_every_outcome(screener, all_results) -> None:  # type: ignore[no-untyped-def]
    cov = status_coverage(all_results)
    gaps = []
    for trial_id, rs in screener.catalog.rulesets.items():
        for c in rs.model.criteria:
            seen = cov.get(trial_id, {}).get(c.id, set())
            if c.when is None:
                if seen != {"review"}:
                    gaps.append(f"{trial_id}:{c.id}: review criterion came out {sorted(seen)}")
                continue
            wanted = {"pass", "fail"}
            if (trial_id, c.id) not in UNKNOWN_UNREACHABLE:
                wanted.add("unknown")
            if wanted - seen:
                gaps.append(f"{trial_id}:{c.id}: no case gives {', '.join(sorted(wanted - seen))}")
    assert not gaps, "outcomes no case produces:\n" + "\n".join(gaps)


def test_cases_reach_every_verdict(all_results) -> None:  # type: ignore[no-untyped-def]
    verdicts = {r.verdict for r in all_results}
    assert {"eligible", "ineligible", "undetermined"} <= verdicts
