"""Staleness and time, one table across every kind of query: a record older than a query's window
is never a confident 'no' for what it samples; the newest result decides even when unusable; a
window still open, or in which nothing was assessed, is not closed; undated courses are
possibly current for every question."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patients.io import parse_patient
from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.runtime.facts import PatientFacts

AS_OF = dt.date(2026, 11, 22)
W4 = Duration.parse("4 weeks")  # the window starts on 2026-10-25
CREAT = ir.CodeSet("creatinine", frozenset({("loinc", "2160-0")}))
HCG = ir.CodeSet("hCG test", frozenset({("loinc", "2106-3")}))
TB = ir.CodeSet("tuberculosis", frozenset({("snomed", "56717001")}))
DRUG = ir.CodeSet("iloprost", frozenset({("atc", "B01AC11")}))
HSCT = ir.CodeSet("allo HSCT", frozenset({("snomed", "234336002")}))
FAILURE = ir.CodeSet("graft failure", frozenset({("snomed", "782745005")}))


def facts(**records: Any) -> PatientFacts:
    return PatientFacts(parse_patient({"id": "p", "birth_date": "1970-01-01", **records}, "test"), AS_OF)


def value(m: ir.Measure, **records: Any) -> tuple[float | None, float | None, str | None, str | None, str | None]:
    v = facts(**records).compute(m)
    return v.lo, v.hi, v.reason, v.missing, v.assumption


OLD_LESION = {"lesion_id": "DU-1", "date": "2026-10-10", "diameter_mm": 4.0}
NEW_LESION = {"lesion_id": "DU-1", "date": "2026-11-10", "diameter_mm": 4.0}


def obs(day: str, **kw: Any) -> dict[str, Any]:
    return {"code": {"system": "loinc", "code": "2160-0"}, "date": day, **kw}


@pytest.mark.parametrize(("kind", "measure", "records", "expect"), [
    # what samples a state, older than the window: unknown, naming the latest and its date
    ("latest value", ir.Latest(CREAT, "mg/dL", W4), {"observations": [obs("2026-09-01", value=1.0, unit="mg/dL")]},
     (None, None, "stale", "creatinine within 4 weeks (latest is from 2026-09-01)", None)),
    ("latest result", ir.LatestResult(HCG, W4),
     {"observations": [{"code": {"system": "loinc", "code": "2106-3"}, "date": "2026-09-01", "result": "negative"}]},
     (None, None, "stale", "hCG test result within 4 weeks (latest is from 2026-09-01)", None)),
    ("observation count", ir.Records("observation", CREAT, within=W4),
     {"observations": [obs("2026-09-01", value=1.0, unit="mg/dL")]},
     (0.0, None, "stale", "observation records for creatinine within the past 4 weeks (the latest, "
                          "observations[0], is from 2026-09-01)", None)),
    ("lesion count", ir.Records("lesion", within=W4), {"lesions": [OLD_LESION]},
     (0.0, None, "stale", "lesion assessments within the past 4 weeks (the latest, lesions[0], is from 2026-10-10)",
      None)),
    ("lesion count, assumed absent", ir.Records("lesion", within=W4, policy="assume_absent"), {"lesions": [OLD_LESION]},
     (0.0, 0.0, None, None, "no lesion assessments within the past 4 weeks recorded (the latest, lesions[0], is from "
                            "2026-10-10): assumed absent")),
    ("lesion count, assessed in time", ir.Records("lesion", within=W4), {"lesions": [OLD_LESION, NEW_LESION]},
     (1.0, 1.0, None, None, None)),
    # what dates the thing itself: a diagnosis, a course, a procedure, a participation that ended before
    ("diagnosis", ir.Records("condition", TB, within=W4),
     {"conditions": [{"code": {"system": "snomed", "code": "56717001"}, "onset": "2020-01-01", "abatement": "2021-01-01"}]},
     (0.0, 0.0, None, None, None)),
    ("course", ir.Records("medication", DRUG, within=W4),
     {"medications": [{"code": {"system": "atc", "code": "B01AC11"}, "start": "2026-01-01", "end": "2026-01-05"}]},
     (0.0, 0.0, None, None, None)),
    ("procedure", ir.Records("procedure", HSCT, within=W4),
     {"procedures": [{"code": {"system": "snomed", "code": "234336002"}, "date": "2026-01-01"}]},
     (0.0, 0.0, None, None, None)),
    ("participation", ir.Records("participation", within=W4),
     {"administrative": {"trial_participations": [{"start": "2025-01-01", "end": "2025-06-01"}]}},
     (0.0, 0.0, None, None, None)),
    # an undated course: possibly current, whether asked by window or as active
    ("undated course, within", ir.Records("medication", DRUG, within=W4),
     {"medications": [{"code": {"system": "atc", "code": "B01AC11"}}]}, (0.0, 1.0, None, None, None)),
    ("undated course, active", ir.Records("medication", DRUG, active=True),
     {"medications": [{"code": {"system": "atc", "code": "B01AC11"}}]}, (0.0, 1.0, None, None, None)),
])
def test_staleness_by_kind_of_query(kind: str, measure: ir.Measure, records: dict[str, Any], expect: tuple[Any, ...]) -> None:
    assert value(measure, **records) == expect, kind


def test_the_newest_result_decides_even_when_unusable() -> None:
    m = ir.Latest(CREAT, "mg/dL", W4)
    unusable = value(m, observations=[obs("2026-11-01", value=1.0, unit="mg/dL"),
                                      obs("2026-11-15", value=2.4, unit="milligrams")])
    assert unusable[:2] == (None, None) and (unusable[2] or "").startswith("unusable unit")
    no_value = value(m, observations=[obs("2026-11-01", value=1.0, unit="mg/dL"), obs("2026-11-15", result="see note")])
    assert no_value[:3] == (None, None, "unusable: the most recent result has no numeric value")
    result = value(ir.LatestResult(CREAT, W4), observations=[obs("2026-11-01", result="normal"),
                                                              obs("2026-11-15", value=1.0, unit="mg/dL")])
    assert result[:3] == (None, None, "unusable: the most recent test has no coded result")


LESION_AFTER_COURSE = ir.Pairs(ir.Records("medication", DRUG), ir.Records("lesion"), "end",
                               Duration.parse("3 weeks"), Duration.parse("5 weeks"))
FAILURE_AFTER_HSCT = ir.Pairs(ir.Records("procedure", HSCT), ir.Records("condition", FAILURE), "start",
                              Duration.parse("14 days"), Duration.parse("42 days"))


def course(end: str) -> dict[str, Any]:
    return {"code": {"system": "atc", "code": "B01AC11"}, "start": "2026-06-01", "end": end}


@pytest.mark.parametrize(("measure", "records", "count", "why"), [
    # assessed before and after the window, not in it: not observed then
    (LESION_AFTER_COURSE, {"medications": [course("2026-07-01")], "lesions": [{"date": "2026-07-10"}, {"date": "2026-09-30"}]},
     (0.0, 1.0), "none recorded then"),
    # assessed in the window, not matching: a confident 0
    (LESION_AFTER_COURSE, {"medications": [course("2026-07-01")], "lesions": [{"date": "2026-07-28", "trend": "stable"}]},
     (1.0, 1.0), None),
    # the window has not closed at the screening date: unknown, whatever the event
    (LESION_AFTER_COURSE, {"medications": [course("2026-11-01")], "lesions": [{"date": "2026-11-02"}]},
     (0.0, 1.0), "still open"),
    (FAILURE_AFTER_HSCT, {"procedures": [{"code": {"system": "snomed", "code": "234336002"}, "date": "2026-11-01"}],
                          "conditions": [{"code": {"system": "snomed", "code": "782745005"}, "onset": "2026-11-02"}]},
     (0.0, 1.0), "still open"),
    # a diagnosis dated outside a closed window: a confident 0
    (FAILURE_AFTER_HSCT, {"procedures": [{"code": {"system": "snomed", "code": "234336002"}, "date": "2026-01-01"}],
                          "conditions": [{"code": {"system": "snomed", "code": "782745005"}, "onset": "2026-01-05"}]},
     (0.0, 0.0), None),
])
def test_followed_by_windows_not_observed_or_not_closed(measure: ir.Pairs, records: dict[str, Any],
                                                          count: tuple[float, float], why: str | None) -> None:
    lo, hi, _, missing, _ = value(measure, **records)
    assert (lo, hi) == count
    assert (why is None and missing is None) or (why is not None and why in (missing or ""))
