"""Thresholds as multiples of a limit of normal ('ALT > 3 x ULN'): the result's own reference
range, else the range its value set states (an assumption the result says), else unknown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.core.diagnostics import RuleSetError
from screening.ruletest.boundaries import check_trial
from screening.ruletest.mutate import mutants
from tests.language.conftest import AS_OF, Screen, criterion

VALUE_SETS = """value_sets:
  alt:
    title: ALT
    codes: [loinc:1742-6]
    reference_range: {high: 40 U/L, source: typical adult upper limit; use the site laboratory's range}
  ast:
    title: AST
    codes: [loinc:1920-8]
  sodium:
    title: sodium
    codes: [loinc:2951-2]
"""
RULES = (criterion("alt_over_3_uln", "{latest: {code: alt, within: 90 days, gt: 3 x ULN}}", kind="exclusion")
         + criterion("ast_over_3_uln", "{latest: {code: ast, within: 90 days, gt: 3 x ULN}}", kind="exclusion")
         + criterion("sodium_not_low", "{latest: {code: sodium, ge: 1 x LLN}}"))


def lab(code: str, value: float, unit: str | None = "U/L", rng: dict[str, Any] | None = None,
        date: str = "2026-11-01", **kw: Any) -> dict[str, Any]:
    o: dict[str, Any] = {"code": {"system": "loinc", "code": code}, "date": date, "value": value, **kw}
    if unit:
        o["unit"] = unit
    if rng is not None:
        o["reference_range"] = rng
    return o


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(RULES, VALUE_SETS)


def test_the_results_own_range_decides_and_is_named(screen: Screen) -> None:
    r = screen(observations=[lab("1742-6", 130, rng={"low": 7, "high": 40, "unit": "U/L"})])["alt_over_3_uln"]
    assert r.status == "fail" and r.matched is True
    (ev,) = r.evidence
    assert ev.converted_value == 3.25 and ev.converted_unit == "x ULN"
    assert "ULN 40 U/L (the record's reference range 7-40 U/L)" in (ev.note or "")
    assert "more than 3 x ULN" in r.explanation
    assert r.assumptions == ()
    # exactly 3 x ULN is not more than 3 x ULN; a laboratory with a higher limit reads the same value as normal
    assert screen(observations=[lab("1742-6", 120, rng={"high": 40})])["alt_over_3_uln"].status == "pass"
    assert screen(observations=[lab("1742-6", 130, rng={"high": 56})])["alt_over_3_uln"].status == "pass"


def test_a_range_in_another_unit_is_converted(screen: Screen) -> None:
    # 2.2 ukat/L over an upper limit of 40 U/L (0.6667 ukat/L): 3.3 x ULN
    r = screen(observations=[lab("1742-6", 2.2, "ukat/L", rng={"high": 40, "unit": "U/L"})])["alt_over_3_uln"]
    assert r.status == "fail"


def test_without_a_range_the_value_sets_range_is_assumed_and_said(screen: Screen) -> None:
    r = screen(observations=[lab("1742-6", 130)])["alt_over_3_uln"]
    assert r.status == "fail"
    assert r.assumptions == ("ALT of 2026-11-01 has no reference range: ULN taken as 40 U/L (value set alt: typical "
                             "adult upper limit; use the site laboratory's range)",)


def test_without_any_range_it_is_unknown(screen: Screen) -> None:
    r = screen(observations=[lab("1920-8", 400)])["ast_over_3_uln"]
    assert r.status == "unknown"
    assert r.missing_data == ("the reference range (ULN) of AST from 2026-11-01",)
    assert screen(observations=[lab("1920-8", 400, rng={"high": 35})])["ast_over_3_uln"].status == "fail"


def test_lower_limits_and_censored_values(screen: Screen) -> None:
    rng = {"low": 136, "high": 145}
    assert screen(observations=[lab("2951-2", 136, "mmol/L", rng)])["sodium_not_low"].status == "pass"
    assert screen(observations=[lab("2951-2", 135, "mmol/L", rng)])["sodium_not_low"].status == "fail"
    # "< 120 mmol/L" is below the lower limit whatever its exact value
    low = lab("2951-2", 120, "mmol/L", rng, comparator="<")
    assert screen(observations=[low])["sodium_not_low"].status == "fail"
    high = lab("2951-2", 130, "mmol/L", rng, comparator=">")
    assert screen(observations=[high])["sodium_not_low"].status == "unknown"


def test_stale_and_missing_results_stay_unknown(screen: Screen) -> None:
    old = screen(observations=[lab("1742-6", 130, rng={"high": 40}, date="2026-01-01")])["alt_over_3_uln"]
    assert old.status == "unknown" and "latest is from 2026-01-01" in old.missing_data[0]
    assert screen()["alt_over_3_uln"].status == "unknown"


@pytest.mark.parametrize(("when", "message"), [
    ("{latest: {code: alt, between: [1 x ULN, 100 U/L]}}", "as a multiple of a limit of normal"),
    ("{latest: {code: alt, between: [0.5 x LLN, 3 x ULN]}}", "not both"),
    ("{latest: {code: alt, gt: 3 x ULM}}", "E105"),
])
def test_mixed_or_misspelt_limits_are_refused(screen_rules: Callable[..., Screen], when: str, message: str) -> None:
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("c", when), VALUE_SETS)
    assert message in str(info.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.integers(0, 300), high=st.one_of(st.none(), st.integers(1, 80)), censor=st.sampled_from([None, "<", ">"]))
def test_the_engine_agrees_with_the_reference_interpretation(screen: Screen, value: int, high: int | None,
                                                              censor: str | None) -> None:
    extra = {"comparator": censor} if censor else {}
    rng = {"high": high} if high is not None else None
    screen(observations=[lab("1742-6", value, rng=rng, **extra), lab("1920-8", value, rng=rng, **extra)])


def test_boundary_probes_and_mutants_cover_limits_of_normal(screen: Screen) -> None:
    report = check_trial(screen.screener, "T1", [], AS_OF)
    assert report.problems == []
    checks = " | ".join(report.checks)
    for check in ("latest ALT > 3 x ULN", "latest AST > 3 x ULN", "latest sodium >= 1 x LLN",
                  "latest ALT within 90 days"):
        assert check in checks
    found = {m.description for m in mutants(screen.screener.catalog.get("T1"))}
    assert {"latest ALT > 3 x ULN -> >= 3", "latest ALT > 3 x ULN -> > 2", "latest ALT > 3 x ULN -> > 4",
            "latest ALT: within 90 days -> within 89 days"} <= found
