"""Relative timing: an onset at least some time ago, windows that end before the screening
date, and counts of distinct days in a window; unknown when the dates needed are missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.core.diagnostics import RuleSetError
from screening.ruletest.boundaries import check_trial
from screening.ruletest.mutate import mutants
from tests.language.conftest import AS_OF, Screen, criterion

T2DM = "{system: icd10cm, code: E11.9, display: Type 2 diabetes mellitus without complications}"
STATIN = "{system: atc, code: C10AA05, display: atorvastatin}"


def t2dm(**kw: Any) -> dict[str, Any]:
    return {"code": {"system": "icd10cm", "code": "E11.9"}, **kw}


def statin(**kw: Any) -> dict[str, Any]:
    return {"code": {"system": "atc", "code": "C10AA05"}, **kw}


def glucose(date: str) -> dict[str, Any]:
    return {"code": {"system": "loinc", "code": "2345-7"}, "date": date, "value": 6.1, "unit": "mmol/L"}


@pytest.fixture
def screen(screen_rules: Callable[..., Screen]) -> Screen:
    return screen_rules(
        criterion("t2dm_6_months", "{condition: {code: 'icd10cm:E11*', onset_at_least: 6 months}}")
        + criterion("statin_180_to_30", "{medication: {code: 'atc:C10AA*', window: [180 days, 30 days]}}",
                    kind="exclusion")
        + criterion("glucose_3_days", "{observation: {code: 'loinc:2345-7', window: [90 days, 0 days], "
                                      "distinct: days, count: {ge: 3}}}"))


def test_an_onset_at_least_six_months_before_screening(screen: Screen) -> None:
    # 2026-11-22 less 6 months is 2026-05-22: that day counts, the next does not
    assert screen(conditions=[t2dm(onset="2026-05-22")])["t2dm_6_months"].status == "pass"
    r = screen(conditions=[t2dm(onset="2026-05-23")])["t2dm_6_months"]
    assert r.status == "fail"
    assert "first dated at least 6 months before the screening date" in r.explanation


def test_an_onset_not_recorded_is_unknown_not_a_guess(screen: Screen) -> None:
    r = screen(conditions=[t2dm()])["t2dm_6_months"]
    assert r.status == "unknown"
    assert any("no onset date recorded" in (e.note or "") for e in r.evidence)
    # a second diagnosis, dated long enough ago, decides it
    assert screen(conditions=[t2dm(), t2dm(onset="2015-01-01")])["t2dm_6_months"].status == "pass"


def test_a_window_that_ends_before_the_screening_date(screen: Screen) -> None:
    # the window runs from 2026-05-26 (180 days before) to 2026-10-23 (30 days before)
    def status(**m: Any) -> str:
        return screen(medications=[statin(**m)])["statin_180_to_30"].status

    assert status(start="2026-10-23", end="2026-11-01") == "fail"  # excluded: taken on the last day
    assert status(start="2026-10-24") == "pass"  # started after the window: ongoing does not reach back
    assert status(start="2026-01-01", end="2026-05-26") == "fail"  # stopped on the first day
    assert status(start="2026-01-01", end="2026-05-25") == "pass"  # stopped the day before it
    assert status(start="2025-01-01") == "fail"  # going on through the window
    assert status(end="2026-06-01") == "fail"  # no start, but it ended in the window
    assert status(end="2026-11-01") == "unknown"  # no start, ended after the window: may have overlapped


def test_a_past_window_is_described_in_words(screen: Screen) -> None:
    r = screen(medications=[statin(start="2025-01-01")])["statin_180_to_30"]
    assert "from 180 days to 30 days before the screening date" in r.explanation


def test_distinct_days_are_counted_not_records(screen: Screen) -> None:
    three = [glucose("2026-11-01"), glucose("2026-11-01"), glucose("2026-10-01")]
    assert screen(observations=three)["glucose_3_days"].status == "fail"  # 3 records, 2 days
    r = screen(observations=[*three, glucose("2026-09-01")])["glucose_3_days"]
    assert r.status == "pass"
    assert "result for loinc:2345-7 within the past 90 days: found on 3 distinct days, which is at least 3" \
        in r.explanation
    # only older results: the window was not observed, so it is unknown (stale), naming the latest
    old = screen(observations=[glucose("2026-01-01")])["glucose_3_days"]
    assert old.status == "unknown" and "the latest, observations[0]" in " ".join(old.missing_data)


@pytest.mark.parametrize(("window", "message"), [
    ("[30 days, 180 days]", "window is empty"),
    ("[180 days]", "window takes two offsets"),
])
def test_a_wrong_window_is_refused_at_its_line(screen_rules: Callable[..., Screen], window: str, message: str) -> None:
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("w", f"{{medication: {{code: 'atc:C10AA*', window: {window}}}}}"))
    assert message in str(info.value)


def test_within_and_window_together_are_refused(screen_rules: Callable[..., Screen]) -> None:
    with pytest.raises(RuleSetError) as info:
        screen_rules(criterion("w", "{medication: {code: 'atc:C10AA*', within: 90 days, window: [180 days, 30 days]}}"))
    assert "not both" in str(info.value)


def test_the_dates_of_the_screening_window_follow_the_calendar(screen: Screen) -> None:
    # month arithmetic: 6 months before 2024-08-31 is 2024-02-29
    as_of = dt.date(2024, 8, 31)
    assert screen(as_of, conditions=[t2dm(onset="2024-02-29")])["t2dm_6_months"].status == "pass"
    assert screen(as_of, conditions=[t2dm(onset="2024-03-01")])["t2dm_6_months"].status == "fail"


def test_boundary_probes_place_records_around_every_edge(screen: Screen) -> None:
    """The boundary toolkit probes the first and last days of a past window and the least onset, and
    its expectations (an independent calendar) agree with the engine on each."""
    screener = screen.screener
    report = check_trial(screener, "T1", [], AS_OF)
    assert report.problems == []
    checks = " | ".join(report.checks)
    assert "medication from 180 days to 30 days before" in checks
    assert "condition first dated at least 6 months before" in checks
    assert "observation count >= 3" in checks
    assert report.checked >= 60


def test_mutants_move_window_ends_and_onsets_and_count_records_for_days(screen: Screen) -> None:
    rs = screen.screener.catalog.get("T1")
    found = {m.description.rsplit(": ", 1)[-1] for m in mutants(rs)}
    assert {"onset at least 6 months -> 5 months before", "onset at least 6 months -> 7 months before",
            "window ending 30 days -> 29 days before", "window ending 30 days -> 31 days before",
            "distinct days -> records"} <= found


_DAYS = st.integers(min_value=-400, max_value=5)


def _day(offset: int) -> str:
    return (AS_OF + dt.timedelta(days=offset)).isoformat()


@st.composite
def _timed_records(draw: st.DrawFn) -> dict[str, Any]:
    """Diagnoses, courses and results dated around the windows, some without the dates the rules need."""
    conditions = [t2dm(**({"onset": _day(draw(_DAYS))} if draw(st.booleans()) else {}))
                  for _ in range(draw(st.integers(0, 2)))]
    medications = []
    for _ in range(draw(st.integers(0, 2))):
        start, length = draw(st.one_of(st.none(), _DAYS)), draw(st.one_of(st.none(), st.integers(0, 200)))
        med: dict[str, Any] = {}
        if start is not None:
            med["start"] = _day(start)
        if length is not None:
            med["end"] = _day(min((start if start is not None else -200) + length, 5))
        medications.append(statin(**med))
    observations = [glucose(_day(draw(_DAYS))) for _ in range(draw(st.integers(0, 5)))]
    return {"conditions": conditions, "medications": medications, "observations": observations}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=_timed_records())
def test_the_engine_agrees_with_the_reference_interpretation(screen: Screen, records: dict[str, Any]) -> None:
    screen(**records)  # `Screen` checks every status against tests/oracle.py
