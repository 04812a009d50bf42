"""Records and record queries in words, for evidence and explanations; and the period of a visit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from screening.ruleset import ir

LESION_FLAGS = ("visible_depth", "loss_of_dermis", "painful", "calcinosis")


def encounter_period(r: Any, as_of: dt.date) -> tuple[dt.date | None, dt.date | None, bool]:
    """An encounter's (start, end, ongoing): an inpatient stay without an end (or discharged after
    the screening date) is going on; any other visit without an end is a one-day visit."""
    if r.end is not None and r.end <= as_of:
        return r.start, r.end, False
    if r.class_.value == "inpatient":
        return r.start, None, True
    return r.start, r.start, False


def coding_label(system: str, code: str, display: str | None) -> str:
    return f"{display} ({system}:{code})" if display else f"{system}:{code}"


def describe(kind: str, r: Any, coding: Any = None) -> str:
    """A record in words, with its code (the one that matched, when given) and the details a query may test."""
    if kind == "lesion":
        return _describe_lesion(r)
    if kind == "participation":
        return "trial participation" + (f" in {r.trial_id}" if r.trial_id else "")
    if kind == "encounter":
        c = coding or r.code
        return f"{r.class_.value} visit" + (f": {coding_label(c.system, c.code, c.display)}" if c else "")
    c = coding or r.code
    label = coding_label(c.system, c.code, c.display)
    if kind == "medication":
        label += _course_details(r)
    if kind == "observation" and r.result:
        label += f": {r.result}"
    if kind == "condition" and r.criteria:
        label += " (criteria: " + ", ".join(r.criteria) + ")"
    if kind == "allergy":
        label = f"{r.type.value if r.type else 'allergy or intolerance'} to {label}" + (
            f", {r.clinical_status.value}" if r.clinical_status else "")
    return label


def _course_details(r: Any) -> str:
    """', oral, 500 mg 2 x every d': a course's route and, with its frequency, its dose."""
    out = f", {r.route.value}" if r.route else ""
    if r.dose is not None and r.frequency is not None:
        f = r.frequency
        out += f", {r.dose.value:g} {r.dose.unit} {f.times} x every " + (
            f"{f.period:g} {f.period_unit}" if f.period != 1 else f.period_unit)
    return out


def _describe_lesion(r: Any) -> str:
    bits = [r.kind.replace("_", " ")]
    if r.site:
        bits.append(f"at {r.site}")
    if r.diameter_mm is not None:
        bits.append(f"{r.diameter_mm:g} mm")
    for a in LESION_FLAGS:
        v = getattr(r, a)
        if v is not None:
            bits.append(a.replace("_", " ") + ("" if v else ": no"))
    if r.trend:
        bits.append(r.trend.value)
    return ", ".join(bits)


def describe_query(q: ir.Records) -> str:
    """What a record query looks for, in words (for 'no ... recorded')."""
    if q.codes is not None:
        return f"{q.record} records for {q.codes.describe()}"
    return {"lesion": "lesion assessments", "participation": "trial participation history",
            "encounter": "encounters"}.get(q.record, q.record)
