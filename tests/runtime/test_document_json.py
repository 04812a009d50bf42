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


def _made_from_one_outcome(screener: Screener):
    """Two reports with a result each made from the same shared outcome, their evidence different."""
    json = screener._explained.json
    seen: dict[int, tuple[ScreeningReport, object]] = {}
    for p in cohort(60, seed=11):
        report = screener.screen(p, AS_OF)
        for trial in report.results:
            for res in trial.criteria:
                made = json._made.get(id(res))
                if made is None or made[0]() is not res:
                    continue
                first = seen.setdefault(id(made[1]), (report, res))
                if first[1].evidence and res.evidence and first[1].evidence != res.evidence:
                    return first, (report, res)
    raise AssertionError("no two patients share an outcome with different evidence")


def test_patients_sharing_an_outcome_each_get_their_own_evidence(screener) -> None:
    from screening.runtime.document import _evidence_ser

    (report_a, res_a), (report_b, res_b) = _made_from_one_outcome(screener)
    assert res_a.explanation is res_b.explanation  # the same outcome: its text kept once
    outcomes = len(screener._explained.json._outcomes)
    for report, res in ((report_a, res_a), (report_b, res_b)):
        own = _evidence_ser.to_json(res.evidence, exclude_none=True)
        body = screener.report_json(report)
        assert own in body
        assert body == report.model_dump_json().encode()
    assert len(screener._explained.json._outcomes) >= outcomes > 0
    # written again once its entry is dropped (a report served twice): the same bytes
    _same(screener, report_a)


def test_a_small_memo_cleared_when_full_writes_the_same_results_of_shared_outcomes(screener) -> None:
    small = Screener(screener.catalog, memo_size=2)  # results and outcomes dropped all the time
    try:
        reports = [small.screen(p, AS_OF) for p in cohort(30, seed=12)]
        assert 0 < len(small._explained.json._made) <= 2
        for report in reports + reports[:5]:
            _same(small, report)
    finally:
        small.close()


def test_evidence_written_in_one_call_is_what_pydantic_writes_of_it() -> None:
    """Every known/unknown combination of the fields, values of each type (None inside a value is
    kept: only the evidence's own unknown fields are left out)."""
    import itertools

    from screening.runtime.document import _evidence_ser
    from screening.runtime.results import CriterionResult, Evidence

    known = {"value": [None, True, 0, 1.5, "positive", [1, None], {"a": None}], "unit": [None, "mg/dL"],
             "converted_value": [None, 88.4], "converted_unit": [None, "umol/L"], "note": [None, 'a "note" é'],
             "date": [None, dt.date(2020, 2, 29)]}
    evidence = tuple(Evidence(record="observations[0]", what="creatinine", **dict(zip(known, values, strict=True)))
                     for values in itertools.product(*known.values()))
    res = CriterionResult(id="c", kind="inclusion", status="pass", explanation="e", text="t", source="s",
                          evidence=evidence)
    whole = res.model_dump_json().encode()
    assert b'"evidence":' + _evidence_ser.to_json(evidence, exclude_none=True) + b',"thresholds"' in whole
    assert b'"value":{"a":null}' in whole and b'"value":[1,null]' in whole


def test_trial_text_kept_before_the_criteria_follows_every_field_it_is_written_from(screener) -> None:
    """The text of a trial result before its criteria is kept by the fields it is written from: a
    trial with another count, verdict or date gets its own; the lists after the criteria are
    always its own."""
    p = cohort(2, seed=6)[0]
    report = screener.screen(p, AS_OF)
    screener.report_json(report)  # keeps the text before each trial's criteria
    trial = report.results[0]
    trial.data_to_collect = [*trial.data_to_collect, 'a "quoted" datum \u00e9']
    trial.assumptions = ["assumed \\ absent", *trial.assumptions]
    trial.criteria_to_review = ["x"]
    assert b'"a \\"quoted\\" datum \xc3\xa9"' in screener.report_json(report)
    _same(screener, report)
    for change in ({"counts": {**trial.counts, "pass": trial.counts["pass"] + 1}},
                   {"verdict": "eligible" if trial.verdict != "eligible" else "ineligible"},
                   {"as_of": trial.as_of - dt.timedelta(days=1)}, {"title": "another title"}):
        for name, value in change.items():
            setattr(trial, name, value)
        _same(screener, report)


def test_results_screened_and_never_served_are_not_kept_alive(screener) -> None:
    """The results of shared outcomes are registered for writing, weakly: a report that is only
    screened (the command line, batch) leaves nothing of the patient behind once dropped."""
    import gc
    import weakref

    json = screener._explained.json
    refs = []
    for p in cohort(10, seed=13):
        report = screener.screen(p, AS_OF)
        refs += [weakref.ref(res) for trial in report.results for res in trial.criteria
                 if (made := json._made.get(id(res))) is not None and made[0]() is res]
        del report
    assert refs
    gc.collect()
    assert all(ref() is None for ref in refs)


def test_results_whose_explanation_quotes_the_patients_records_are_written_with_their_own_text(screener) -> None:
    """An outcome whose explanation is filled with each patient's records ('1 found (X on D)') is not
    written from a kept head: each report carries its own explanation."""
    import json as json_

    texts: dict[tuple[str, str], set[str]] = {}
    for p in cohort(80, seed=13):
        report = screener.screen(p, AS_OF)
        body = screener.report_json(report)
        assert body == report.model_dump_json().encode()
        for trial in report.results:
            for res in trial.criteria:
                if " found (" in res.explanation:
                    assert json_.dumps(res.explanation, ensure_ascii=False).encode() in body
                    texts.setdefault((res.id, res.status), set()).add(res.explanation)
    assert max(map(len, texts.values())) >= 3  # one outcome, several patients' own listings
