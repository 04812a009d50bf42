"""Derived values: BMI from weight and height, eGFR by CKD-EPI 2021 and creatinine clearance by
Cockcroft-Gault, each used only when no value is recorded, with the formula in the evidence and
unknown when an input is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.core.diagnostics import RuleSetError
from screening.ruleset.formulas import FORMULAS
from screening.ruletest.boundaries import check_trial
from screening.ruletest.mutate import mutants
from tests.language.conftest import AS_OF, Screen, criterion

RULES = (criterion("bmi_25_45", "{latest: {code: 'loinc:39156-5', within: 365 days, between: [25, 45], derive: bmi}}")
         + criterion("egfr_45", "{latest: {code: 'loinc:62238-1', within: 90 days, ge: '45 mL/min/{1.73_m2}', "
                                "derive: ckd_epi_2021}}")
         + criterion("crcl_60", "{latest: {code: 'loinc:2164-2', within: 90 days, ge: 60 mL/min, "
                                "derive: cockcroft_gault}}"))


def obs(code: str, value: float, unit: str, date: str = "2026-11-01", **kw: Any) -> dict[str, Any]:
    return {"code": {"system": "loinc", "code": code}, "date": date, "value": value, "unit": unit, **kw}


def weight(v: float, unit: str = "kg", **kw: Any) -> dict[str, Any]:
    return obs("29463-7", v, unit, **kw)


def height(v: float, unit: str = "cm", **kw: Any) -> dict[str, Any]:
    return obs("8302-2", v, unit, **kw)


def creatinine(v: float, unit: str = "mg/dL", **kw: Any) -> dict[str, Any]:
    return obs("2160-0", v, unit, **kw)


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(RULES)


def test_bmi_from_weight_and_height_names_its_formula(screen: Screen) -> None:
    # 80 kg / 1.75 m^2 = 26.1 kg/m2
    r = screen(observations=[weight(80), height(175, date="2019-05-01")])["bmi_25_45"]
    assert r.status == "pass"
    derived = r.evidence[0]
    assert derived.record == "derived" and derived.what == "body mass index" and derived.value == 26.12
    assert "BMI = weight (kg) / height (m)^2" in (derived.note or "")
    assert "from body weight 80 kg, body height 1.75 m" in (derived.note or "")
    assert [e.record for e in r.evidence[1:]] == ["observations[0]", "observations[1]"]
    # a recorded BMI wins over the inputs
    recorded = screen(observations=[obs("39156-5", 24.0, "kg/m2"), weight(80), height(175)])["bmi_25_45"]
    assert recorded.status == "fail" and recorded.evidence[0].record == "observations[0]"


def test_a_missing_input_leaves_it_unknown_and_says_what_to_collect(screen: Screen) -> None:
    r = screen(observations=[weight(80)])["bmi_25_45"]
    assert r.status == "unknown"
    assert r.missing_data == ("loinc:39156-5 within 365 days, or body height to derive it (body mass index)",)
    stale = screen(observations=[weight(80, date="2025-01-01"), height(175)])["bmi_25_45"]
    assert stale.status == "unknown" and "body weight (body weight within 365 days" in stale.missing_data[0]


def test_egfr_ckd_epi_2021_published_values(screen: Screen) -> None:
    # a 50-year-old woman with creatinine 1.0 mg/dL: 142 x (1/0.7)^-1.2 x 0.9938^50 x 1.012 = 68.6
    r = screen(observations=[creatinine(1.0)], birth_date="1976-01-01", sex="female")["egfr_45"]
    assert r.status == "pass" and r.evidence[0].value == 68.63
    assert "CKD-EPI 2021" in (r.evidence[0].note or "") and "age 50; sex female" in (r.evidence[0].note or "")
    # a 70-year-old man with 141.44 umol/L (1.6 mg/dL): 142 x (1.6/0.9)^-1.2 x 0.9938^70 = 46.1; 1.7 mg/dL: 42.8
    man = screen(observations=[creatinine(141.44, "umol/L")], birth_date="1956-01-01", sex="male")["egfr_45"]
    assert man.status == "pass" and man.evidence[0].value == 46.07
    assert screen(observations=[creatinine(1.7)], birth_date="1956-01-01", sex="male")["egfr_45"].status == "fail"


def test_egfr_is_not_derived_for_children_or_without_sex(screen: Screen) -> None:
    child = screen(observations=[creatinine(0.5)], birth_date="2012-01-01")["egfr_45"]
    assert child.status == "unknown" and "is for adults" in child.explanation
    no_sex = screen(observations=[creatinine(1.0)], sex="unknown")["egfr_45"]
    assert no_sex.status == "unknown" and "female or male" in no_sex.explanation


def test_cockcroft_gault(screen: Screen) -> None:
    # (140 - 66) x 72 kg / (72 x 1.2) = 61.7 mL/min for a man; x 0.85 = 52.4 for a woman
    man = screen(observations=[creatinine(1.2), weight(72)], birth_date="1960-01-01", sex="male")["crcl_60"]
    assert man.status == "pass" and man.evidence[0].value == 61.67
    woman = screen(observations=[creatinine(1.2), weight(72)], birth_date="1960-01-01", sex="female")["crcl_60"]
    assert woman.status == "fail" and woman.evidence[0].value == 52.42
    assert screen(observations=[creatinine(1.2)])["crcl_60"].status == "unknown"


def test_a_formula_in_another_unit_than_the_threshold_is_refused(screen_rules: Callable[..., Screen]) -> None:
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("c", "{latest: {code: 'loinc:62238-1', ge: 60 mL/min, derive: ckd_epi_2021}}"))
    assert "E104" in str(info.value) and "cannot be compared" in str(info.value)
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("c", "{latest: {code: 'loinc:62238-1', result: [normal], derive: ckd_epi_2021}}"))
    assert "`derive` computes a number" in str(info.value)


def test_every_formula_is_documented() -> None:
    from tests.paths import REPO

    doc = (REPO / "docs" / "rule-sets.md").read_text(encoding="utf-8")
    for f in FORMULAS.values():
        assert f"`{f.name}`" in doc and f.text in doc


def test_boundary_probes_and_mutants(screen: Screen) -> None:
    report = check_trial(screen.screener, "T1", [], AS_OF)
    assert report.problems == []
    found = {m.description for m in mutants(screen.screener.catalog.get("T1"))}
    assert "latest loinc:39156-5: derived by bmi -> recorded only" in found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(w=st.one_of(st.none(), st.integers(30, 150)), h=st.one_of(st.none(), st.integers(140, 200)),
       scr=st.one_of(st.none(), st.floats(0.3, 4.0).map(lambda x: round(x, 2))),
       birth=st.sampled_from(["1940-02-29", "1976-06-15", "2010-01-01", None]),
       sex=st.sampled_from(["female", "male", "unknown"]), recorded=st.booleans())
def test_the_engine_agrees_with_the_reference_interpretation(screen: Screen, w: int | None, h: int | None,
                                                              scr: float | None, birth: str | None, sex: str,
                                                              recorded: bool) -> None:
    observations = [x for x in (weight(w) if w else None, height(h) if h else None,
                                creatinine(scr) if scr else None,
                                obs("62238-1", 50, "mL/min/{1.73_m2}") if recorded else None) if x]
    screen(observations=observations, birth_date=birth, sex=sex)
