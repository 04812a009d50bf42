"""Medication dose: the daily dose of a course (dose x frequency, or a dose per day), compared, and
a stable dose for a duration (one course, one dose: going on, begun at least that long ago)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patients.fhir import profile_from_fhir_json
from screening.core.diagnostics import RuleSetError
from screening.ruletest.boundaries import check_trial
from screening.ruletest.mutate import mutants
from tests.language.conftest import AS_OF, Screen, criterion
from tests.patients.fhir.helpers import bundle, patient

RULES = (criterion("metformin_1000_stable_8_weeks",
                   "{medication: {code: 'atc:A10BA02', daily_dose: {ge: 1000 mg/d}, stable_for: 8 weeks}}")
         + criterion("metformin_over_2550", "{medication: {code: 'atc:A10BA02', active: true, "
                                            "daily_dose: {gt: 2.55 g/d}}}", kind="exclusion"))


def metformin(start: str = "2026-01-01", **kw: Any) -> dict[str, Any]:
    return {"code": {"system": "atc", "code": "A10BA02", "display": "metformin"}, "start": start, **kw}


def twice_daily(mg: float) -> dict[str, Any]:
    return {"dose": {"value": mg, "unit": "mg"}, "frequency": {"times": 2}}


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(RULES)


def test_the_daily_dose_is_dose_times_frequency(screen: Screen) -> None:
    assert screen(medications=[metformin(**twice_daily(500))])["metformin_1000_stable_8_weeks"].status == "pass"
    assert screen(medications=[metformin(**twice_daily(450))])["metformin_1000_stable_8_weeks"].status == "fail"
    r = screen(medications=[metformin(dose={"value": 850, "unit": "mg"}, frequency={"times": 3})])
    assert r["metformin_over_2550"].status == "pass"  # 2550 mg/d is not more than 2.55 g/d
    more = screen(medications=[metformin(dose={"value": 1000, "unit": "mg"}, frequency={"times": 3})])
    assert more["metformin_over_2550"].status == "fail"
    assert "1000 mg 3 x every d" in more["metformin_over_2550"].evidence[0].what
    # a dose recorded per day, and one per week
    assert screen(medications=[metformin(dose={"value": 1500, "unit": "mg/d"})])[
        "metformin_1000_stable_8_weeks"].status == "pass"
    weekly = metformin(dose={"value": 7000, "unit": "mg"}, frequency={"times": 1, "period": 1, "period_unit": "wk"})
    assert screen(medications=[weekly])["metformin_1000_stable_8_weeks"].status == "pass"


def test_a_dose_without_its_frequency_is_unknown(screen: Screen) -> None:
    r = screen(medications=[metformin(dose={"value": 500, "unit": "mg"})])["metformin_1000_stable_8_weeks"]
    assert r.status == "unknown"
    assert any("daily dose not recorded" in (e.note or "") for e in r.evidence)


def test_a_stable_dose_for_8_weeks(screen: Screen) -> None:
    # 8 weeks before 2026-11-22 is 2026-09-27: a course begun then, going on, is stable long enough
    def status(**kw: Any) -> str:
        return screen(medications=[metformin(**kw, **twice_daily(500))])["metformin_1000_stable_8_weeks"].status

    assert status(start="2026-09-27") == "pass"
    assert status(start="2026-09-28") == "fail"
    assert status(start="2026-01-01", end="2026-11-01") == "fail"  # stopped before the screening date
    # the dose went up four weeks ago: the current course is too recent, the earlier one is over
    changed = [metformin("2026-01-01", end="2026-10-24", **twice_daily(250)), metformin("2026-10-25", **twice_daily(500))]
    assert screen(medications=changed)["metformin_1000_stable_8_weeks"].status == "fail"


def test_a_daily_dose_is_a_quantity_per_day(screen_rules: Callable[..., Screen]) -> None:
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("c", "{medication: {code: 'atc:A10BA02', daily_dose: {ge: 1000 mg}}}"))
    assert "a daily dose is a quantity per day" in str(info.value)
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("c", "{medication: {code: 'atc:A10BA02', active: false, stable_for: 8 weeks}}"))
    assert "cannot be `active: false`" in str(info.value)


def test_fhir_dosage_timing_gives_the_frequency() -> None:
    statement = {"resourceType": "MedicationStatement", "status": "active", "subject": {"reference": "Patient/p1"},
                 "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "A10BA02"}]},
                 "effectivePeriod": {"start": "2026-01-01"},
                 "dosage": [{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                             "doseAndRate": [{"doseQuantity": {"value": 500, "unit": "mg",
                                                               "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}
    p, _ = profile_from_fhir_json(bundle(patient(), statement), "in.json")
    f = p.medications[0].frequency
    assert f is not None and (f.times, f.period, f.period_unit) == (2, 1.0, "d")
    coded = {**statement, "dosage": [{**statement["dosage"][0], "timing": {"code": {"coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation", "code": "TID"}]}}}]}
    p, _ = profile_from_fhir_json(bundle(patient(), coded), "in.json")
    assert p.medications[0].frequency is not None and p.medications[0].frequency.times == 3


def test_boundary_probes_and_mutants(screen: Screen) -> None:
    assert check_trial(screen.screener, "T1", [], AS_OF).problems == []
    found = {m.description.rsplit(": ", 1)[-1] for m in mutants(screen.screener.catalog.get("T1"))}
    assert {"daily dose >= 1000 -> > 1000", "onset at least 8 weeks -> 7 weeks before"} <= found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(courses=st.lists(st.tuples(st.dates(min_value=AS_OF.replace(year=2026, month=1), max_value=AS_OF),
                                  st.one_of(st.none(), st.sampled_from([250, 500, 850, 1000])),
                                  st.one_of(st.none(), st.integers(1, 4)), st.sampled_from(["mg", "g", "mg/d"]),
                                  st.booleans()), max_size=3))
def test_the_engine_agrees_with_the_reference_interpretation(screen: Screen, courses: list[Any]) -> None:
    meds = []
    for start, dose, times, unit, stopped in courses:
        m: dict[str, Any] = metformin(start.isoformat(), **({"end": AS_OF.isoformat()} if stopped else {}))
        if dose is not None:
            m["dose"] = {"value": dose, "unit": unit}
        if times is not None:
            m["frequency"] = {"times": times}
        meds.append(m)
    screen(medications=meds)
