"""The served document written with shared criterion results spliced in (`Screener.report_json`)
is byte for byte what pydantic writes (`model_dump_json()`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from patients.io import examples_dir, load_patient_with_warnings
from screening.ruleset.catalog import load_catalog
from screening.runtime.eligibility import add_eligibility_dates
from screening.runtime.evaluate import Screener
from screening.runtime.results import ScreeningReport
from tests.patient_gen import AS_OF, cohort

SYNTHEA = Path("/work/shared/data/fhir/synthea")


@pytest.fixture(scope="module")
def screener():
    s = Screener(load_catalog())
    yield s
    s.close()


def _same(screener: Screener, report: ScreeningReport) -> None:
    assert screener.report_json(report) == report.model_dump_json().encode(), report.patient_id


def test_a_cohort_written_with_shared_results_is_what_pydantic_writes(screener) -> None:
    # twice over, on two dates: the second pass splices in the JSON kept the first time
    patients = cohort(120, seed=5)
    for as_of in (AS_OF, AS_OF, dt.date(2027, 3, 1)):
        for p in patients:
            _same(screener, screener.screen(p, as_of))
    assert len(screener._explained.json) > 20  # results were shared (the splicing was exercised)


def test_one_trial_at_a_time_and_a_small_memo_write_the_same(screener) -> None:
    small = Screener(screener.catalog, memo_size=3)  # entries dropped and written again
    try:
        for p in cohort(25, seed=9):
            for trial_id in screener.catalog.rulesets:
                _same(screener, screener.screen(p, AS_OF, [trial_id]))
            _same(small, small.screen(p, AS_OF))
    finally:
        small.close()


def _files() -> list[Path]:
    return sorted(examples_dir().glob("*.json")) + sorted(SYNTHEA.glob("*.json"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name[:30])
def test_examples_and_synthea_bundles_as_served_are_what_pydantic_writes(screener, path: Path) -> None:
    """As the API serves them: with eligibility dates, import warnings, unrecognised codes."""
    profile, warnings = load_patient_with_warnings(path)
    for as_of in (dt.date(2026, 11, 22), dt.date(2016, 1, 1)):
        report = add_eligibility_dates(screener, profile, screener.screen(profile, as_of))
        report.warnings = [f"import: {w}" for w in warnings] + report.warnings
        _same(screener, report)
        _same(screener, screener.screen(profile, as_of))


def test_a_result_kept_for_another_object_is_not_spliced_in(screener) -> None:
    """Kept JSON is used for the very object it was written for, never for an equal-looking or
    changed copy."""
    p = cohort(3, seed=2)[0]
    report = screener.screen(p, AS_OF)
    screener.report_json(report)  # keeps the shared results' JSON
    trial = report.results[0]
    shared = [i for i, c in enumerate(trial.criteria) if len(screener._explained.json) and
              screener._explained.json.criterion(c) is screener._explained.json.criterion(c)]
    assert shared
    i = shared[0]
    changed = trial.criteria[i].model_copy(update={"explanation": "changed \"quoted\" \u00e9"})
    trial.criteria[i] = changed
    assert b'changed \\"quoted\\" \xc3\xa9' in screener.report_json(report)
    _same(screener, report)


def test_value_sets_kept_for_a_trial_are_used_only_for_the_same_value_sets(screener) -> None:
    from screening.runtime.results import ValueSetUse

    p = cohort(2, seed=4)[0]
    report = screener.screen(p, AS_OF)
    screener.report_json(report)
    trial = next(t for t in report.results if len(t.value_sets) > 1)
    first, *rest = trial.value_sets
    trial.value_sets = [first, ValueSetUse(name="another", sources=("x",)), *rest[1:]]  # same length, same first
    assert b'"name":"another"' in screener.report_json(report)
    _same(screener, report)
