"""Records for probes: a record of a query's kind that matches every test of the query but its
window, placed on a chosen day, and the edits that put such records into a patient."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from screening.core.vocab import RecordKind
from screening.ruleset import ir
from screening.ruletest.probes.base import Probe
from screening.runtime.records import LESION_FLAGS, RECORD_LIST

_lesion_ids = itertools.count(1)  # every probe lesion is a lesion of its own


@dataclass(frozen=True)
class ProbeRecord:
    kind: RecordKind
    data: dict[str, Any]


@dataclass(frozen=True)
class _Wanted:
    """What a built record must be: query `q`'s kind, dated `day`, with these code and attributes."""

    q: ir.Records
    day: str  # ISO date
    point: bool  # over on the same day (not ongoing), so that a window can exclude it
    code: dict[str, str] | None
    attrs: dict[str, Any]  # attribute values the query's filters ask for
    diameter: float | None


def first_code(cs: ir.CodeSet | None, exclude: ir.CodeSet | None = None) -> dict[str, str] | None:
    """A code of the set (exact codes first, then prefixes) that `exclude` neither matches nor possibly
    matches (a probe record must certainly be in the set and certainly not excepted)."""
    if cs is None:
        return None
    for s, c in sorted(cs.exact) + list(cs.prefixes):
        if exclude is None or not (exclude.matches(s, c) or exclude.possibly(s, c)):
            return {"system": s, "code": c}
    return None


def lesion_diameter(q: ir.Records) -> float:
    """A diameter that meets every diameter filter of q."""
    bounds = [(f.op, float(f.value)) for f in q.filters if f.attr == "diameter_mm"]  # type: ignore[arg-type]
    lows = [v for op, v in bounds if op in ("gt", "ge")]
    d = (max(lows) + 1.0) if lows else 5.0
    highs = [v for op, v in bounds if op in ("lt", "le")]
    if highs and d > min(highs):
        d = (max(lows, default=0.0) + min(highs)) / 2
    return d


def record(q: ir.Records, day: dt.date, point: bool, diameter: float | None = None) -> ProbeRecord | None:
    """A record of query q's kind dated `day` that matches every test of q except the window.

    point: the record has an end on the same day (not ongoing), so a window can exclude it.
    None when q cannot be matched this way.
    """
    code = first_code(q.codes, q.exclude)
    if q.codes is not None and code is None:
        return None
    data = _BUILDERS[q.record](_Wanted(q, day.isoformat(), point, code, _filter_values(q), diameter))
    return None if data is None else ProbeRecord(q.record, data)


def _filter_values(q: ir.Records) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for f in q.filters:
        if f.op == "in":
            attrs[f.attr] = f.value[0]  # type: ignore[index]
        elif f.op == "eq":
            attrs[f.attr] = f.value
    return attrs


def _condition(w: _Wanted) -> dict[str, Any] | None:
    if w.point and w.q.active:
        return None  # an active diagnosis is ongoing: no window can exclude it
    r: dict[str, Any] = {"code": w.code, "onset": w.day, "verification_status": "confirmed"}
    if w.point:
        r["abatement"] = w.day
        r["clinical_status"] = "resolved"
    elif w.q.active is not False:
        r["clinical_status"] = "active"
    else:
        r["clinical_status"] = "resolved"
        r["abatement"] = w.day
    if w.q.confirmed_by:
        r["criteria"] = [w.q.confirmed_by[0]]
    return r


def _observation(w: _Wanted) -> dict[str, Any]:
    r: dict[str, Any] = {"code": w.code, "date": w.day}
    if "result" in w.attrs:
        r["result"] = w.attrs["result"]
    else:
        r["value"] = 1.0
    return r


def _daily_dose(q: ir.Records) -> dict[str, Any] | None:
    """A dose per day that meets every daily-dose filter of q (None without one)."""
    bounds = [(f.op, float(f.value), f.unit) for f in q.filters if f.attr == "daily_dose"]  # type: ignore[arg-type]
    if not bounds:
        return None
    lows = [v + (1.0 if op == "gt" else 0.0) for op, v, _ in bounds if op in ("gt", "ge", "eq")]
    highs = [v - (1.0 if op == "lt" else 0.0) for op, v, _ in bounds if op in ("lt", "le", "eq")]
    value = max(lows) if lows else max(min(highs) / 2, 0.0)
    return {"value": value, "unit": bounds[0][2]}


def _medication(w: _Wanted) -> dict[str, Any] | None:
    if w.point and w.q.active:
        return None
    r: dict[str, Any] = {"code": w.code, "start": w.day}
    dose = _daily_dose(w.q)
    if dose is not None:
        r["dose"] = dose
    if w.point or w.q.active is False:
        r["end"] = w.day
    if "route" in w.attrs:
        r["route"] = w.attrs["route"]
    return r


def _procedure(w: _Wanted) -> dict[str, Any]:
    return {"code": w.code, "date": w.day}


def _lesion(w: _Wanted) -> dict[str, Any]:
    r: dict[str, Any] = {"kind": w.attrs.get("kind", "digital_ulcer"), "date": w.day,
                         "lesion_id": f"probe-{next(_lesion_ids)}",
                         "diameter_mm": w.diameter if w.diameter is not None else lesion_diameter(w.q)}
    for a in (*LESION_FLAGS, "trend"):
        if a in w.attrs:
            r[a] = w.attrs[a]
    return r


def _participation(w: _Wanted) -> dict[str, Any]:
    r: dict[str, Any] = {"start": w.day}
    if w.point:
        r["end"] = w.day
    return r


def _encounter(w: _Wanted) -> dict[str, Any] | None:
    cls = w.attrs.get("class_", "outpatient")
    if cls == "inpatient" and not w.point:
        return None  # an undischarged stay is going on: no window can exclude it
    r: dict[str, Any] = {"class": cls, "start": w.day}
    if w.code is not None:
        r["code"] = w.code
    if cls == "inpatient":
        r["end"] = w.day
    return r


def _allergy(w: _Wanted) -> dict[str, Any] | None:
    if w.point:
        return None  # an allergy is a state from its onset: no window can exclude it
    r: dict[str, Any] = {"code": w.code, "onset": w.day, "verification_status": "confirmed",
                         "clinical_status": "inactive" if w.q.active is False else "active"}
    for attr in ("type", "category"):
        if attr in w.attrs:
            r[attr] = w.attrs[attr]
    return r


_BUILDERS: dict[str, Callable[[_Wanted], dict[str, Any] | None]] = {
    "encounter": _encounter, "allergy": _allergy,
    "condition": _condition, "observation": _observation, "medication": _medication,
    "procedure": _procedure, "lesion": _lesion, "participation": _participation,
}


def _matches_codes(q: ir.Records, rec: dict[str, Any]) -> bool:
    if q.codes is None:
        return True
    c = rec.get("code") or {}
    return q.codes.matches(c.get("system", ""), c.get("code", ""))


def clear(p: dict[str, Any], q: ir.Records) -> None:
    """Remove the patient's records in q's domain (every trial participation for participations)."""
    attr = RECORD_LIST.get(q.record)
    if attr is None:
        p.setdefault("administrative", {})["trial_participations"] = []
        return
    p[attr] = [r for r in p.get(attr, []) if not _matches_codes(q, r)]


def add(p: dict[str, Any], rec: ProbeRecord) -> None:
    """Add a copy of a probe record to the patient."""
    data = copy.deepcopy(rec.data)
    if rec.kind == "participation":
        p.setdefault("administrative", {}).setdefault("trial_participations", []).append(data)
    else:
        p.setdefault(RECORD_LIST[rec.kind], []).append(data)


def records_probe(q: ir.Records, recs: list[ProbeRecord], matching: int, desc: str, as_of: dt.date,
                  outside_window: bool = False) -> Probe:
    """A probe that replaces the patient's records in q's domain with `recs`, of which `matching` match q
    (`outside_window`: the records miss only the query's window)."""

    def edit(p: dict[str, Any]) -> dict[str, Any]:
        clear(p, q)
        for r in recs:
            add(p, r)
        return p

    if q.policy == "unknown" and (not recs or (matching == 0 and outside_window and _stale(q))):
        # nothing recorded, or only assessments older than the window: not a confident 0
        return Probe(desc, as_of, edit, q, 0.0, None)
    return Probe(desc, as_of, edit, q, float(matching), float(matching))


def _stale(q: ir.Records) -> bool:
    """Records that sample a state (observations, lesion assessments) outside a query's window
    leave the state in the window unobserved."""
    return q.within is not None and q.record in ("observation", "lesion")
