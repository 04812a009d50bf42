"""Explanations read as a clinician would write them: no unit said twice, no raw offsets, margins
to the precision of the data, pairs listed as pairs, counts stated as facts (also under a `not`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from screening.core.diagnostics import RuleSetError
from screening.ruleset.catalog import load_catalog
from tests.language.conftest import HEAD, Screen, criterion

T2DM = {"code": {"system": "icd10cm", "code": "E11.9", "display": "T2DM"}}


def hba1c(date: str) -> dict[str, Any]:
    return {"code": {"system": "loinc", "code": "4548-4", "display": "HbA1c"}, "date": date, "value": 7.2, "unit": "%"}


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(
        criterion("t2dm_then_hba1c", "{followed_by: {anchor: {condition: {code: 'icd10cm:E11*'}}, "
                                     "event: {observation: {code: 'loinc:4548-4'}}, from: start, "
                                     "after: [0 days, 100 years]}}")
        + criterion("hba1c_6_weeks", "{followed_by: {anchor: {condition: {code: 'icd10cm:E11*'}}, "
                                     "event: {observation: {code: 'loinc:4548-4'}}, from: start, "
                                     "after: [2 weeks, 6 weeks]}}")
        + criterion("not_two_metformin", "{not: {medication: {code: 'atc:A10BA02', count: {ge: 2}}}}")
        + criterion("ulcer", "{lesion: {where: {diameter_mm: {gt: 2}}}}")
        + criterion("life_expectancy", "{life_expectancy_months: {lt: 12}}", kind="exclusion")
        + criterion("age_upto_60", "{age: {le: 60}}")
        + criterion("creatinine", "{latest: {code: creatinine, lt: 176 umol/L}}"))


def test_a_record_followed_by_another_at_any_time_and_its_pairs(screen: Screen) -> None:
    r = screen(conditions=[{**T2DM, "onset": "2020-01-01"}],
               observations=[hba1c("2025-07-12"), hba1c("2026-01-10")])["t2dm_then_hba1c"]
    assert r.status == "pass"
    assert "followed at any time after its start by" in r.explanation
    assert "0 days" not in r.explanation and "100 years" not in r.explanation
    # each pair as 'anchor, then event'; not a flat list mixing anchors and events
    assert ": 2 found (T2DM" in r.explanation
    assert "on 2020-01-01, then HbA1c" in r.explanation and "; T2DM" in r.explanation


def test_a_followed_by_window_in_words(screen: Screen) -> None:
    r = screen(conditions=[{**T2DM, "onset": "2020-01-01"}])["hba1c_6_weeks"]
    assert "followed between 2 weeks and 6 weeks after its start" in r.explanation


def test_a_count_under_not_is_stated_as_a_fact(screen: Screen) -> None:
    met = {"code": {"system": "atc", "code": "A10BA02", "display": "metformin"}, "start": "2026-01-01"}
    r = screen(medications=[met, {**met, "start": "2026-03-01"}])["not_two_metformin"]
    assert r.status == "fail"
    assert "meets 'needs" not in r.explanation
    assert "2 found, which is at least 2" in r.explanation
    r = screen(medications=[met])["not_two_metformin"]
    assert r.status == "pass" and "1 found, which is not at least 2" in r.explanation


def test_a_unit_is_said_once(screen: Screen) -> None:
    results = screen()
    assert "diameter more than 2 mm" in results["ulcer"].explanation
    assert "life expectancy below 12 months" in results["life_expectancy"].explanation
    assert "mm more than" not in results["ulcer"].explanation


def test_one_year_is_singular(screen: Screen) -> None:
    r = screen(birth_date="1965-01-01")["age_upto_60"]
    assert r.explanation.endswith("(by 1 year)")


def test_a_converted_value_and_its_margin_keep_the_precision_recorded(screen: Screen) -> None:
    crea = {"code": {"system": "loinc", "code": "2160-0"}, "date": "2026-11-01", "value": 1.961, "unit": "mg/dL"}
    r = screen(observations=[crea])["creatinine"]
    assert r.status == "pass"
    # 1.961 mg/dL is about 173.356 umol/L: four figures recorded, four shown; the margin to 176 follows
    assert "173.4 umol/L (recorded as 1.961 mg/dL" in r.explanation
    assert "(margin 2.6 umol/L)" in r.explanation
    (t,) = r.thresholds
    assert t.margin == pytest.approx(2.644, abs=1e-3)  # the machine-readable margin keeps its precision


@pytest.mark.parametrize(("when", "field", "place"), [
    ("{lesion: {where: {gt: 2}}}", "gt", "age"),
    ("{age: {code: lvef, gt: 45}}", "code", "latest"),
])
def test_a_field_known_elsewhere_is_said_to_be_misplaced(write_trial: Callable[..., Path], rules_root: Path,
                                                        when: str, field: str, place: str) -> None:
    write_trial(HEAD + "criteria:\n" + criterion("c1", when))
    with pytest.raises(RuleSetError) as e:
        load_catalog(rules_root)
    text = str(e.value)
    assert f"field {field!r} is not allowed here; it belongs in" in text and place in text
    assert "did you mean" not in text
