"""Criteria over visits and allergies: "an outpatient visit in the past 12 months", "no
hospitalisation between 90 and 0 days", "no known intolerance to metformin"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.ruletest.boundaries import check_trial
from tests.language.conftest import AS_OF, Screen, criterion

RULES = (criterion("outpatient_12_months", "{encounter: {class: [outpatient], within: 12 months}}")
         + criterion("no_admission_90_days", "{encounter: {class: [inpatient, emergency], within: 90 days}}",
                     kind="exclusion", extra="    missing: assume_absent\n")
         + criterion("metformin_intolerance", "{allergy: {code: ['rxnorm:6809', 'atc:A10BA02'], active: true}}",
                     kind="exclusion"))


def visit(cls: str, start: str, end: str | None = None) -> dict[str, Any]:
    return {"class": cls, "start": start, **({"end": end} if end else {})}


def intolerance(**kw: Any) -> dict[str, Any]:
    return {"code": {"system": "rxnorm", "code": "6809", "display": "metformin"}, "type": "intolerance", **kw}


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(RULES)


def test_an_outpatient_visit_in_the_past_12_months(screen: Screen) -> None:
    # 12 months before 2026-11-22 is 2025-11-22: that day counts, the day before does not
    assert screen(encounters=[visit("outpatient", "2025-11-22")])["outpatient_12_months"].status == "pass"
    r = screen(encounters=[visit("outpatient", "2025-11-21"), visit("emergency", "2026-10-01")])
    assert r["outpatient_12_months"].status == "fail"
    nothing = screen()["outpatient_12_months"]
    assert nothing.status == "unknown" and nothing.missing_data == ("encounters",)
    ok = screen(encounters=[visit("outpatient", "2026-06-01")])["outpatient_12_months"]
    assert "outpatient visit" in ok.evidence[0].what and ok.evidence[0].date is not None


def test_a_stay_in_hospital_lasts_until_discharge(screen: Screen) -> None:
    # admitted 2026-07-01 and not discharged: still in hospital within the past 90 days (from 2026-08-24)
    assert screen(encounters=[visit("inpatient", "2026-07-01")])["no_admission_90_days"].status == "fail"
    assert screen(encounters=[visit("inpatient", "2026-07-01", "2026-08-24")])["no_admission_90_days"].status == "fail"
    assert screen(encounters=[visit("inpatient", "2026-07-01", "2026-08-23")])["no_admission_90_days"].status == "pass"
    none = screen()["no_admission_90_days"]
    assert none.status == "pass" and "assumed absent" in none.assumptions[0]


def test_an_active_intolerance_excludes_and_statuses_count(screen: Screen) -> None:
    r = screen(allergies=[intolerance(clinical_status="active")])["metformin_intolerance"]
    assert r.status == "fail" and r.evidence[0].what == "intolerance to metformin (rxnorm:6809), active"
    assert screen(allergies=[intolerance(clinical_status="resolved")])["metformin_intolerance"].status == "pass"
    assert screen(allergies=[intolerance()])["metformin_intolerance"].status == "unknown"  # status not recorded
    refuted = intolerance(clinical_status="active", verification_status="refuted")
    assert screen(allergies=[refuted])["metformin_intolerance"].status == "pass"  # refuted: it is not there
    unconfirmed = intolerance(clinical_status="active", verification_status="unconfirmed")
    assert screen(allergies=[unconfirmed])["metformin_intolerance"].status == "unknown"


def test_boundary_probes_of_visits_and_allergies(screen: Screen) -> None:
    report = check_trial(screen.screener, "T1", [], AS_OF)
    assert report.problems == []
    assert any("encounter within 12 months" in c for c in report.checks)


_DAY = st.dates(min_value=AS_OF.replace(year=2025), max_value=AS_OF)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(visits=st.lists(st.tuples(st.sampled_from(["outpatient", "inpatient", "emergency", "virtual"]), _DAY,
                                 st.one_of(st.none(), st.integers(0, 30))), max_size=3),
       allergies=st.lists(st.tuples(st.sampled_from([None, "active", "inactive", "resolved"]),
                                    st.sampled_from([None, "confirmed", "unconfirmed", "refuted"])), max_size=2))
def test_the_engine_agrees_with_the_reference_interpretation(screen: Screen, visits: list[Any],
                                                              allergies: list[Any]) -> None:
    encounters = [visit(cls, start.isoformat(), (min(start.toordinal() + n, AS_OF.toordinal()) and
                                                 AS_OF.fromordinal(min(start.toordinal() + n, AS_OF.toordinal()))
                                                 .isoformat()) if n is not None else None)
                  for cls, start, n in visits]
    allergy = [intolerance(**{k: v for k, v in (("clinical_status", c), ("verification_status", s)) if v})
               for c, s in allergies]
    screen(encounters=encounters, allergies=allergy)
