"""Boundary checks (`screening.ruletest.boundaries`): the real rule sets agree with their IR at
every edge, and deliberately broken engines (a `<` for a `<=`, a wrong unit factor, a window one
day off, a threshold left in the wrong unit) are caught."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

import screening.runtime.observations as observations_module
from patients.model import PatientProfile
from screening.core.timewindows import Duration
from screening.core.units import Converted
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog, RuleSet, load_catalog
from screening.ruleset.compile import Slot, compile_trial
from screening.ruletest.boundaries import BoundaryReport, check_static, check_trial, expected_status
from screening.ruletest.probes.base import Probe
from screening.ruletest.probes.dates import completed_years, shift
from screening.ruletest.probes.unit_table import to_unit
from screening.ruletest.suite import ScreenerPool, find_cases_files, run_file
from screening.runtime.evaluate import Screener
from screening.runtime.facts import PatientFacts
from tests.paths import REPO
from tests.ruletest.demo import write_demo

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def seed() -> RuleSet:
    return load_catalog(REPO / "rules", ["NCT01420432"]).get("NCT01420432")


def check(rs: RuleSet, definition: dict | None = None, patients: list | None = None) -> BoundaryReport:  # type: ignore[type-arg]
    """Probe `rs` in a fresh engine, optionally with its compiled definition replaced."""
    compiled = rs.compiled
    if definition is not None:
        compiled = dataclasses.replace(compiled, name=compiled.name + "~edited", definition=definition)
    screener = Screener(Catalog(rs.path.parent.parent, {rs.trial_id: dataclasses.replace(rs, compiled=compiled)}))
    try:
        return check_trial(screener, rs.trial_id, patients or [], AS_OF)
    finally:
        screener.close()
        screener.engine.close()


def rule_names(rs: RuleSet, criterion_id: str) -> tuple[str, str]:
    """The names of a criterion's pass and fail rules in the compiled definition."""
    rules = next(r for r in rs.compiled.rules if r.criterion_id == criterion_id)
    return rules.pass_rule, rules.fail_rule


def slot(rs: RuleSet, criterion_id: str) -> Slot:
    """Where the value of a criterion's (only) measure goes in the engine's fact."""
    expr = rs.criterion(criterion_id).expr
    assert expr is not None
    (m,) = ir.measures_of(expr)
    return rs.compiled.layout[rs.compiled.measures.index(m)]


def test_independent_calendar_and_units() -> None:
    assert shift(dt.date(2024, 3, 31), Duration(1, "months"), -1) == dt.date(2024, 2, 29)
    assert shift(dt.date(2024, 2, 29), Duration(10, "years"), -1) == dt.date(2014, 2, 28)
    assert shift(dt.date(2025, 1, 31), Duration(1, "months"), 1) == dt.date(2025, 2, 28)
    assert completed_years(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert completed_years(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18
    assert to_unit(1.0, "mg/dL", "umol/L", 113.12) == pytest.approx(88.4017, rel=1e-5)
    assert to_unit(0.176, "mmol/L", "umol/L", None) == pytest.approx(176.0)
    assert to_unit(1.0, "mg/dL", "%", None) is None


def test_the_expected_status_and_whether_the_probe_decides_it() -> None:
    """The probed measure's value comes from the probe, the others from the patient; a probe is
    decisive when flipping one probed comparison changes the criterion's three-valued truth."""
    expr = ir.And((ir.Compare(ir.Age(), "ge", 18.0, "a"), ir.OneOf(ir.Sex(), ("female",))))
    inclusion = ir.CriterionIR("adult_woman", "inclusion", expr)
    exclusion = ir.CriterionIR("adult_woman", "exclusion", expr)
    probe = Probe("age 17", AS_OF, lambda p: p, ir.Age(), 17.0, 17.0)
    adult = Probe("age 18", AS_OF, lambda p: p, ir.Age(), 18.0, 18.0)
    unknown_age = Probe("no age", AS_OF, lambda p: p, ir.Age())

    def facts(sex: str | None) -> PatientFacts:
        data = {"id": "p", "birth_date": "1990-01-01"} | ({"sex": sex} if sex else {})
        return PatientFacts(PatientProfile.model_validate(data), AS_OF)

    assert expected_status(inclusion, probe, facts("female")) == ("fail", True)
    assert expected_status(inclusion, adult, facts("female")) == ("pass", True)
    assert expected_status(exclusion, adult, facts("female")) == ("fail", True)
    assert expected_status(inclusion, probe, facts("male")) == ("fail", False)  # the sex decides alone
    # the sex unknown: under 18 fails whatever the sex, 18 leaves it unknown
    assert expected_status(inclusion, probe, facts(None)) == ("fail", True)
    assert expected_status(inclusion, adult, facts(None)) == ("unknown", True)
    assert expected_status(inclusion, unknown_age, facts("female")) == ("unknown", True)


@pytest.mark.slow
def test_the_seed_trials_agree_with_their_ir_at_every_boundary() -> None:
    pool = ScreenerPool()
    try:
        for path in find_cases_files(REPO / "rules"):
            run = run_file(pool, path)
            assert run.suite is not None
            patients = [c.patient for c in run.suite.cases if c.patient is not None]
            report = check_trial(pool.get(run.root).screener, run.trial_id, patients, run.suite.as_of)
            assert report.ok, "\n".join(p.format() for p in report.problems)
            assert report.checked > 30
            assert not report.unchecked
    finally:
        pool.close()


def test_lt_written_for_le_in_the_compiled_rule_is_caught(seed: RuleSet) -> None:
    assert check(seed).ok  # the real compiled rule set: no disagreement (base patients: the probes' own)
    d = copy.deepcopy(seed.compiled.definition)
    age = slot(seed, "age_18_60").hi_key
    cond = d[rule_names(seed, "age_18_60")[0]]["all"][0]["m"]["$and"][1]["$and"]
    assert cond[1] == {"$lte": {age: 60}}
    cond[1] = {"$lt": {age: 60}}  # age < 60 where the IR says age <= 60
    report = check(seed, d)
    assert report.problems
    assert {p.criterion for p in report.problems} == {"age_18_60"}
    assert all(p.check == "age <= 60" for p in report.problems)
    assert all(" age 60 on " in p.probe and p.expected == "pass" and p.actual != "pass" for p in report.problems)
    # including a birthday on 29 February and a screening date that is a leap day
    assert any("born 1964-02-29" in p.probe for p in report.problems)
    assert any("on 2024-02-29" in p.probe for p in report.problems)


def test_a_strictness_slip_on_a_lab_is_caught_in_every_unit(seed: RuleSet) -> None:
    d = copy.deepcopy(seed.compiled.definition)
    creatinine = slot(seed, "creatinine_below_176").lo_key
    fail = d[rule_names(seed, "creatinine_below_176")[1]]["all"][0]["m"]["$and"]
    assert fail[1] == {"$gte": {creatinine: 176}}
    fail[1] = {"$gt": {creatinine: 176}}  # 176 no longer fails
    report = check(seed, d)
    units = {p.probe.split()[2] for p in report.problems}
    assert {"umol/L", "mg/dL", "mmol/L"} <= units
    assert all("(on 176 umol/L)" in p.probe and p.expected == "fail" for p in report.problems)


def test_a_wrong_unit_factor_in_the_engine_is_caught(seed: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    real = observations_module.convert_value

    def slip(value, from_unit, to_unit, molar_mass=None, conversion=None):  # type: ignore[no-untyped-def]
        if from_unit == "mg/dL" and to_unit == "umol/L":
            return Converted(float(f"{value * 88.0:.9g}"))  # 88 instead of 88.4
        return real(value, from_unit, to_unit, molar_mass, conversion)

    monkeypatch.setattr(observations_module, "convert_value", slip)
    report = check(seed)
    assert report.problems
    assert all(p.criterion == "creatinine_below_176" and " mg/dL " in p.probe for p in report.problems)


def test_a_window_one_day_off_is_caught(seed: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Duration.before
    monkeypatch.setattr(Duration, "before", lambda self, day: real(self, day) + dt.timedelta(days=1))
    report = check(seed)
    checks = {(p.criterion, p.check) for p in report.problems}
    assert ("creatinine_below_176", "latest creatinine (serum, plasma or blood) within 90 days") in checks
    assert ("other_trial_within_4_weeks", "participation within 4 weeks") in checks
    assert all("the first day" in p.probe for p in report.problems)


def test_a_threshold_left_in_the_written_unit_is_caught(rules_root: Path) -> None:
    write_demo(rules_root)
    rs = load_catalog(rules_root).get("DEMO-1")
    assert check_static(rs) == []
    # lowering that forgot to convert 1.5 mg/dL to the value set's unit (umol/L)
    i = next(i for i, c in enumerate(rs.ir.criteria) if c.id == "creatinine_ok")
    c = rs.ir.criteria[i]
    assert isinstance(c.expr, ir.Compare) and c.expr.value == pytest.approx(1.5 * 10 / 113.12 * 1000, rel=1e-8)
    crits = list(rs.ir.criteria)
    crits[i] = dataclasses.replace(c, expr=dataclasses.replace(c.expr, value=1.5))
    slipped_ir = dataclasses.replace(rs.ir, criteria=tuple(crits))
    slipped = dataclasses.replace(rs, ir=slipped_ir, compiled=compile_trial(slipped_ir, "DEMO-1@slipped"))
    (problem,) = check_static(slipped)
    assert problem.criterion == "creatinine_ok" and problem.check == "threshold unit"
    assert problem.probe == "written < 1.5 mg/dL"
    assert problem.expected == "< 132.603 umol/L" and problem.actual == "< 1.5 umol/L"
    report = check(slipped)
    assert any(p.check == "threshold unit" for p in report.problems)


def test_windows_beyond_the_calendar_are_screened_and_reported(rules_root: Path) -> None:
    """A 5000-year window used to crash the facts stage (the window start was before year 1)."""
    write_demo(rules_root, trial="""\
schema: trial-screening/v1
trial:
  id: DEMO-1
  title: Limits beyond any patient
  sources:
    - {document: protocol.pdf}
criteria:
  - id: any_age
    kind: inclusion
    text: Any age up to 200.
    source: {document: protocol.pdf, item: 1}
    when:
      age: {le: 200}
  - id: cancer_ever
    kind: exclusion
    text: Cancer in the past 5000 years.
    source: {document: protocol.pdf, item: 2}
    missing: assume_absent
    when:
      condition: {code: malignancy, within: 5000 years}
""")
    assert Duration(5000, "years").before(AS_OF) == dt.date.min
    assert Duration(3_000_000, "days").before(AS_OF) == dt.date.min
    assert Duration(9000, "years").after(AS_OF) == dt.date.max
    rs = load_catalog(rules_root).get("DEMO-1")
    report = check(rs)
    assert report.ok
    assert "cancer_ever: condition count >= 1 (3 probes)" in report.checks
    assert set(report.unchecked) == {"any_age: age <= 200", "cancer_ever: condition within 5000 years"}
