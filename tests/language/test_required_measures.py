"""Required data (`missing: fail`) over derived values, multiples of a limit of normal and
`followed_by`: nothing at all recorded of what the criterion reads (the test, every input of its
formula; the anchor or the event) is not met; a stale or unusable result, one input of a formula, or
a window nobody assessed stays unknown. Every status is checked against the reference
interpretation (tests/oracle.py), on chosen patients and on random ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patients.model import PatientProfile
from tests.language.conftest import Screen, criterion
from tests.language.test_reference_ranges import lab as obs
from tests.oracle import Oracle, trial_statuses
from tests.patient_gen import AS_OF, FUTURE_DAYS, cohort, random_patient

VALUE_SETS = """value_sets:
  alt:
    title: ALT
    codes: [loinc:1742-6]
    reference_range: {high: 40 U/L, source: typical adult upper limit}
  ast:
    title: AST
    codes: [loinc:1920-8]
"""
REQUIRED = "    missing: fail\n"
RULES = (
    criterion("bmi_25_45", "{latest: {code: 'loinc:39156-5', within: 365 days, between: [25, 45], derive: bmi}}",
              extra=REQUIRED)
    + criterion("egfr_45", "{latest: {code: 'loinc:62238-1', within: 90 days, ge: '45 mL/min/{1.73_m2}', "
                           "derive: ckd_epi_2021}}", extra=REQUIRED)
    + criterion("crcl_60", "{latest: {code: 'loinc:2164-2', within: 90 days, ge: 60 mL/min, derive: cockcroft_gault}}",
                extra=REQUIRED)
    + criterion("alt_over_3_uln", "{latest: {code: alt, within: 90 days, gt: 3 x ULN}}", kind="exclusion",
                extra=REQUIRED)
    + criterion("ast_under_2_uln", "{latest: {code: ast, within: 90 days, lt: 2 x ULN}}", extra=REQUIRED)
    + criterion("hsct_then_graft_failure", "{followed_by: {anchor: {procedure: {code: 'snomed:234336002'}}, "
                "event: {condition: {code: 'snomed:782745005'}}, from: start, after: [0 days, 100 years]}}",
                extra=REQUIRED)
    + criterion("iloprost_then_worse", "{followed_by: {anchor: {medication: {code: 'atc:B01AC11'}}, "
                "event: {lesion: {where: {trend: [worsening]}}}, from: end, after: [3 weeks, 6 weeks]}}",
                kind="exclusion", extra=REQUIRED)
)
NEW_KINDS = ("bmi_25_45", "egfr_45", "crcl_60", "alt_over_3_uln", "ast_under_2_uln", "hsct_then_graft_failure",
             "iloprost_then_worse")
POLICY = "counted as not met (missing: fail)"


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(RULES, VALUE_SETS)


def test_nothing_recorded_is_not_met_and_says_so(screen: Screen) -> None:
    res = screen()
    assert {k: (r.status, r.matched) for k, r in res.items()} == {
        "bmi_25_45": ("fail", False), "egfr_45": ("fail", False), "crcl_60": ("fail", False),
        "alt_over_3_uln": ("fail", True), "ast_under_2_uln": ("fail", False),
        "hsct_then_graft_failure": ("fail", False), "iloprost_then_worse": ("fail", True)}
    for r in res.values():
        assert any(a.endswith(POLICY) for a in r.assumptions), r


def test_one_input_of_a_formula_is_data_to_derive_from_not_nothing(screen: Screen) -> None:
    res = screen(observations=[obs("29463-7", 80, "kg")])  # a weight: no height, no creatinine
    assert res["bmi_25_45"].status == "unknown" and res["crcl_60"].status == "unknown"
    assert res["egfr_45"].status == "fail" and any(a.endswith(POLICY) for a in res["egfr_45"].assumptions)
    res = screen(observations=[obs("2160-0", 1.0, "mg/dL", date="2026-01-01")])  # a creatinine too old
    assert res["egfr_45"].status == "unknown" and not res["egfr_45"].assumptions


def test_a_limit_of_normal_result_that_is_there_but_unusable_stays_unknown(screen: Screen) -> None:
    res = screen(observations=[obs("1742-6", 90, "U/L", date="2026-06-01"), obs("1920-8", 30, "U/L")])
    assert res["alt_over_3_uln"].status == "unknown"  # older than 90 days
    assert res["ast_under_2_uln"].status == "unknown"  # no reference range, none stated for AST
    res = screen(observations=[obs("1742-6", 90, "U/L"), obs("1920-8", 30, "U/L", rng={"high": 40})])
    assert res["alt_over_3_uln"].status == "pass" and res["ast_under_2_uln"].status == "pass"


def test_followed_by_is_absent_only_without_anchor_or_event(screen: Screen) -> None:
    hsct = {"code": {"system": "snomed", "code": "234336002"}, "date": "2025-03-01"}
    res = screen(procedures=[hsct])  # a transplant, no graft failure recorded at all
    assert res["hsct_then_graft_failure"].status == "fail"
    assert any(a.endswith(POLICY) for a in res["hsct_then_graft_failure"].assumptions)
    iloprost = {"code": {"system": "atc", "code": "B01AC11"}, "start": "2026-09-01", "end": "2026-09-05"}
    res = screen(medications=[iloprost], lesions=[{"date": "2026-11-15", "kind": "ulcer", "trend": "stable"}])
    # ulcers were assessed, but not 3 to 6 weeks after the course: the window was not observed
    assert res["iloprost_then_worse"].status == "unknown" and not res["iloprost_then_worse"].assumptions


def _with_extras(p: PatientProfile, rng: random.Random, as_of: dt.date) -> PatientProfile:
    """A random patient with random weights, heights, BMIs, eGFRs, ALTs and ASTs (with or without a
    reference range, value or unit, some stale), which the shared generator does not draw."""
    data = p.model_dump(mode="json", by_alias=True, exclude_none=True)
    birth = dt.date.fromisoformat(data.get("birth_date", "1930-01-01"))
    for _ in range(rng.randint(0, 5)):
        code, unit, values = rng.choice([
            ("29463-7", "kg", [50, 80, 120]), ("3141-9", "[lb_av]", [150, 200]), ("8302-2", "cm", [150, 175, 190]),
            ("39156-5", "kg/m2", [24.9, 25, 30, 45, 46]), ("62238-1", "mL/min/{1.73_m2}", [30, 45, 90]),
            ("1742-6", "U/L", [20, 120, 121, 200]), ("1920-8", "U/L", [20, 79, 80, 81])])
        day = max(as_of + dt.timedelta(days=rng.randint(-500, FUTURE_DAYS)), birth)
        o = obs(code, rng.choice(values), unit if rng.random() < 0.9 else None, date=day.isoformat())
        if code in ("1742-6", "1920-8") and rng.random() < 0.5:
            o["reference_range"] = {"high": rng.choice([40, 56]), "unit": "U/L"}
        if rng.random() < 0.1:  # a result in words only: the test is there, its number is not
            for k in ("value", "unit", "reference_range"):
                o.pop(k, None)
            o["result"] = "see report"
        data["observations"].append(o)
    return PatientProfile.model_validate(data)


def _agree(screen: Screen, profile: PatientProfile, as_of: dt.date) -> dict[str, str]:
    (out,) = screen.screener.outcomes(profile, as_of)
    assert out.statuses == trial_statuses(screen.screener.catalog.get("T1").ir, profile, as_of), \
        profile.model_dump_json()
    return out.statuses


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), days=st.integers(min_value=-900, max_value=0))
@pytest.mark.slow
def test_engine_agrees_with_the_oracle_on_random_patients(screen: Screen, rng: random.Random, days: int) -> None:
    as_of = AS_OF + dt.timedelta(days=days)
    _agree(screen, _with_extras(random_patient(rng, 0, as_of), rng, as_of), as_of)


def test_engine_agrees_on_a_seeded_cohort_and_the_policy_decides_each_kind(screen: Screen) -> None:
    """The required-data reading is exercised for every kind of measure: converted from unknown
    to not met somewhere, and left unknown (data there but unusable) somewhere else."""
    rng = random.Random(5)
    ir = screen.screener.catalog.get("T1").ir
    converted: dict[str, int] = dict.fromkeys(NEW_KINDS, 0)
    kept: dict[str, int] = dict.fromkeys(NEW_KINDS, 0)
    for p in cohort(400, seed=23):
        p = _with_extras(p, rng, AS_OF)
        statuses = _agree(screen, p, AS_OF)
        plain = {c.id: Oracle(p, AS_OF).status(dataclasses.replace(c, policy="unknown")) for c in ir.criteria}
        for cid in NEW_KINDS:
            converted[cid] += plain[cid] == "unknown" and statuses[cid] == "fail"
            kept[cid] += statuses[cid] == "unknown"
    assert all(converted.values()) and all(kept.values()), (converted, kept)
