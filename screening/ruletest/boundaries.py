"""Boundary checks: probe every threshold and time window of a trial at its edge.

For each numeric comparison (age, latest values, life expectancy, record counts, lesion
diameters) the checker builds patients just inside, exactly on and just outside the limit,
also in other units of the same quantity (creatinine in mg/dL or mmol/L against a umol/L
threshold, cell counts in 10*9/L against 10*3/uL); for each time window (`within`, the
`followed_by` offsets) it places a record on the first day of the window, the day before and
the day after, with screening dates and anchor dates at month ends and around 29 February.

Every probe patient is screened by the real engine (`Screener.outcomes`) and the criterion's
status is compared with the status the IR declares. The expected side is derived apart from
the engine: the probed measure's value comes from the probe itself (an age counted in
completed years here, a value converted with the table of units below, a window start
computed here on the calendar) and is compared with the IR's operator and threshold; the
rest of the criterion is taken from the patient's other facts and combined with Kleene
logic. A probe counts only when the probed comparison decides the criterion for that patient
(the base patients come from the trial's cases); probes that no base patient makes decisive
are reported as unchecked.

A static check compares every `latest:` threshold as written (e.g. `lt: 2 mg/dL`) with the
IR's threshold in the value set's unit (e.g. 176.8 umol/L), converted with the same table.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from patients.model import PatientProfile
from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruleset.catalog import RuleSet
from screening.ruleset.model import LatestExpr
from screening.ruletest.rewrite import Leaf, kleene, leaves
from screening.runtime.evaluate import Screener
from screening.runtime.facts import PatientFacts
from screening.runtime.values import Value

# --- an independent table of units (factor to the family's base unit) ----------------------

MASS = {"g/L": 1.0, "g/dL": 10.0, "mg/dL": 1e-2, "mg/L": 1e-3}  # g/L
MOLAR = {"mol/L": 1.0, "mmol/L": 1e-3, "umol/L": 1e-6}  # mol/L
COUNTS = {"10*3/uL": 1.0, "10*9/L": 1.0}  # 10^9 per litre
PERCENT = {"%": 1.0}
FAMILIES = (MASS, MOLAR, COUNTS, PERCENT)


def _family(unit: str) -> dict[str, float] | None:
    return next((f for f in FAMILIES if unit in f), None)


def to_unit(value: float, unit: str, target: str, molar_mass: float | None) -> float | None:
    """value in `unit` expressed in `target` by the table above; None if the table cannot."""
    if unit == target:
        return value
    fu, ft = _family(unit), _family(target)
    if fu is None or ft is None:
        return None
    if fu is ft:
        return value * fu[unit] / ft[target]
    if molar_mass and {id(fu), id(ft)} == {id(MASS), id(MOLAR)}:
        if fu is MASS:  # g/L -> mol/L
            return value * fu[unit] / molar_mass / ft[target]
        return value * fu[unit] * molar_mass / ft[target]
    return None


def alternatives(unit: str, molar_mass: float | None) -> list[str]:
    fam = _family(unit)
    if fam is None:
        return []
    out = [u for u in fam if u != unit]
    if molar_mass and fam is MOLAR:
        out += list(MASS)
    elif molar_mass and fam is MASS:
        out += list(MOLAR)
    return out


def sig9(x: float) -> float:
    """Values are compared after rounding to 9 significant digits (the documented convention)."""
    return float(f"{x:.9g}")


# --- an independent calendar ---------------------------------------------------------------


def shift(day: dt.date, d: Duration, sign: int) -> dt.date:
    n = d.amount * sign
    if d.unit == "days":
        return day + dt.timedelta(days=n)
    if d.unit == "weeks":
        return day + dt.timedelta(days=7 * n)
    months = n * 12 if d.unit == "years" else n
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _window_start(as_of: dt.date, d: Duration) -> dt.date | None:
    try:
        start = shift(as_of, d, -1)
    except (ValueError, OverflowError):
        return None  # a window reaching before the calendar: nothing to probe
    return start if start.year >= 1880 else None


def completed_years(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    if on.month < birth.month or (on.month == birth.month and on.day < birth.day):
        years -= 1
    return years


def _years_before(day: dt.date, n: int) -> dt.date:
    y = day.year - n
    return dt.date(y, day.month, min(day.day, calendar.monthrange(y, day.month)[1]))


# --- leaf truth (Kleene, on intervals) --------------------------------------------------------


def cmp(x: float, op: str, t: float) -> bool:
    return {"gt": x > t, "ge": x >= t, "lt": x < t, "le": x <= t, "eq": x == t}[op]


def leaf_truth(leaf: Leaf, lo: float | None, hi: float | None, value: Any) -> bool | None:
    if isinstance(leaf, ir.Compare):
        t, op = leaf.value, leaf.op
        if lo is not None and hi is not None and lo == hi:
            return cmp(lo, op, t)
        if op in ("ge", "gt"):
            if lo is not None and cmp(lo, op, t):
                return True
            if hi is not None and not cmp(hi, op, t):
                return False
            return None
        if op in ("le", "lt"):
            if hi is not None and cmp(hi, op, t):
                return True
            if lo is not None and not cmp(lo, op, t):
                return False
            return None
        if (lo is not None and lo > t) or (hi is not None and hi < t):
            return False
        return None
    if value is None:
        return None
    if isinstance(leaf, ir.OneOf):
        return value in leaf.values
    return bool(value) == leaf.expected


def _facts_truth(leaf: Leaf, v: Value) -> bool | None:
    return leaf_truth(leaf, v.lo, v.hi, v.value)


# --- probes -------------------------------------------------------------------------------------


@dataclass
class Probe:
    """A change to a base patient at a screening date, and the probed measure's value it gives."""

    description: str
    as_of: dt.date
    edit: Callable[[dict[str, Any]], dict[str, Any] | None]  # base patient -> probe patient (None: n/a)
    measure: ir.Measure
    lo: float | None = None
    hi: float | None = None
    value: Any = None


@dataclass
class Problem:
    trial_id: str
    criterion: str
    line: int
    check: str
    probe: str
    expected: str
    actual: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def format(self) -> str:
        return (f"{self.trial_id}:{self.criterion} (line {self.line}): {self.check}: {self.probe}: "
                f"expected {self.expected}, engine gave {self.actual}")


@dataclass
class BoundaryReport:
    trial_id: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # probe targets no base patient makes decisive
    checks: list[str] = field(default_factory=list)  # what was probed

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"trial": self.trial_id, "probes": self.checked, "checks": self.checks,
                "problems": [p.as_dict() for p in self.problems], "unchecked": self.unchecked}


def _code(cs: ir.CodeSet | None, exclude: ir.CodeSet | None = None) -> dict[str, str] | None:
    if cs is None:
        return None
    for s, c in sorted(cs.exact) + list(cs.prefixes):
        if exclude is None or not exclude.matches(s, c):
            return {"system": s, "code": c}
    return None


def _lesion_diameter(q: ir.Records) -> float:
    """A diameter that meets every diameter filter of q."""
    bounds = [(f.op, float(f.value)) for f in q.filters if f.attr == "diameter_mm"]  # type: ignore[arg-type]
    lows = [v for op, v in bounds if op in ("gt", "ge")]
    d = (max(lows) + 1.0) if lows else 5.0
    highs = [v for op, v in bounds if op in ("lt", "le")]
    if highs and d > min(highs):
        d = (max(lows, default=0.0) + min(highs)) / 2
    return d


_seq = iter(range(1, 1 << 30))


def record(q: ir.Records, day: dt.date, point: bool, diameter: float | None = None) -> tuple[str, dict[str, Any]] | None:
    """A record of query q's kind dated `day` that matches every test of q except the window.

    point: the record has an end on the same day (not ongoing), so a window can exclude it.
    Returns (profile list attribute, record) or None when q cannot be matched this way.
    """
    code = _code(q.codes, q.exclude)
    if q.codes is not None and code is None:
        return None
    attrs: dict[str, Any] = {}
    for f in q.filters:
        if f.op == "in":
            attrs[f.attr] = f.value[0]  # type: ignore[index]
        elif f.op == "eq":
            attrs[f.attr] = f.value
    k = q.record
    if k == "condition":
        if point and q.active:
            return None  # an active diagnosis is ongoing: no window can exclude it
        r: dict[str, Any] = {"code": code, "onset": day.isoformat(), "verification_status": "confirmed"}
        if point:
            r["abatement"] = day.isoformat()
            r["clinical_status"] = "resolved"
        elif q.active is not False:
            r["clinical_status"] = "active"
        else:
            r["clinical_status"] = "resolved"
            r["abatement"] = day.isoformat()
        if q.confirmed_by:
            r["criteria"] = [q.confirmed_by[0]]
        return "conditions", r
    if k == "observation":
        r = {"code": code, "date": day.isoformat()}
        if "result" in attrs:
            r["result"] = attrs["result"]
        else:
            r["value"] = 1.0
        return "observations", r
    if k == "medication":
        if point and q.active:
            return None
        r = {"code": code, "start": day.isoformat()}
        if point or q.active is False:
            r["end"] = day.isoformat()
        if "route" in attrs:
            r["route"] = attrs["route"]
        return "medications", r
    if k == "procedure":
        return "procedures", {"code": code, "date": day.isoformat()}
    if k == "lesion":
        r = {"kind": attrs.get("kind", "digital_ulcer"), "date": day.isoformat(),
             "lesion_id": f"probe-{next(_seq)}", "diameter_mm": diameter if diameter is not None else _lesion_diameter(q)}
        for a in ("visible_depth", "loss_of_dermis", "painful", "calcinosis", "trend"):
            if a in attrs:
                r[a] = attrs[a]
        return "lesions", r
    if k == "participation":
        r = {"start": day.isoformat()}
        if point:
            r["end"] = day.isoformat()
        return "participations", r
    return None


def _matches_codes(q: ir.Records, rec: dict[str, Any]) -> bool:
    if q.codes is None:
        return True
    c = rec.get("code") or {}
    return q.codes.matches(c.get("system", ""), c.get("code", ""))


def _clear(p: dict[str, Any], q: ir.Records) -> None:
    """Remove the base patient's records in q's domain."""
    attr = {"condition": "conditions", "observation": "observations", "medication": "medications",
            "procedure": "procedures", "lesion": "lesions"}.get(q.record)
    if attr is None:
        p.setdefault("administrative", {})["trial_participations"] = []
        return
    p[attr] = [r for r in p.get(attr, []) if not _matches_codes(q, r)]


def _add(p: dict[str, Any], where: str, rec: dict[str, Any]) -> None:
    if where == "participations":
        p.setdefault("administrative", {}).setdefault("trial_participations", []).append(rec)
    else:
        p.setdefault(where, []).append(rec)


def _dates(suite_as_of: dt.date) -> list[dt.date]:
    """Screening dates: the cases' date, and month ends and leap days (never in the future)."""
    today = dt.date.today()
    out = [suite_as_of, dt.date(2024, 2, 29), dt.date(2024, 3, 31), dt.date(2025, 2, 28), dt.date(2023, 12, 31)]
    return [d for d in dict.fromkeys(out) if d <= today]


def _step(v: float) -> float:
    text = f"{v:.6g}"
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return 10.0 ** -(decimals + 1)


# --- probe generators per measure ----------------------------------------------------------------


def _age_probes(leaf: ir.Compare, dates: list[dt.date]) -> Iterator[Probe]:
    n = int(leaf.value)
    m = leaf.measure
    for as_of in dates:
        for k in (n - 1, n, n + 1):
            if k < 0 or as_of.year - k < 1880:
                continue  # no valid patient is that old
            for birth in (_years_before(as_of, k), _years_before(as_of, k) + dt.timedelta(days=1)):
                if birth > as_of:
                    continue
                a = completed_years(birth, as_of)
                yield Probe(f"born {birth}, age {a} on {as_of}", as_of, _set_birth(birth), m, a, a)
    # born on 29 February, screened on 28 February and 1 March of a common year
    today = dt.date.today()
    for y in range(today.year - 1, today.year - 9, -1):
        if y - n >= 1880 and not calendar.isleap(y) and calendar.isleap(y - n):
            birth = dt.date(y - n, 2, 29)
            for as_of in (dt.date(y, 2, 28), dt.date(y, 3, 1)):
                a = completed_years(birth, as_of)
                yield Probe(f"born {birth}, age {a} on {as_of}", as_of, _set_birth(birth), m, a, a)
            break


def _set_birth(birth: dt.date) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        p["birth_date"] = birth.isoformat()
        return p

    return edit


def _latest_edit(m: ir.Latest | ir.LatestResult, obs: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        p["observations"] = [o for o in p.get("observations", [])
                             if not m.codes.matches(o["code"]["system"], o["code"]["code"])] + [obs]
        return p

    return edit


def _latest_value_probes(leaf: ir.Compare, m: ir.Latest, dates: list[dt.date]) -> Iterator[Probe]:
    code = _code(m.codes)
    if code is None:
        return
    as_of = dates[0]
    day = as_of - dt.timedelta(days=1)
    v, s = leaf.value, _step(leaf.value)
    for unit in [m.unit, *alternatives(m.unit, m.molar_mass)]:
        k = to_unit(1.0, unit, m.unit, m.molar_mass)
        if k is None:
            continue
        for target, where in ((v - s, "just below"), (v, "on"), (v + s, "just above")):
            written = float(f"{target / k:.12g}")
            if written < 0:
                continue
            got = sig9(written * k) if unit != m.unit else written
            obs: dict[str, Any] = {"code": code, "date": day.isoformat(), "value": written}
            if unit != "1":
                obs["unit"] = unit
            yield Probe(f"value {written:.12g} {unit} ({where} {v:g} {m.unit})", as_of,
                        _latest_edit(m, obs), m, got, got)


def _latest_window_probes(leaf: Leaf, m: ir.Latest | ir.LatestResult, dates: list[dt.date]) -> Iterator[Probe]:
    code = _code(m.codes)
    if code is None or m.within is None:
        return
    # a value (or result) that satisfies the leaf, so that only the date decides
    val: Any
    if isinstance(leaf, ir.Compare):
        val = leaf.value + {"gt": 1.0, "ge": 0.0, "lt": -1.0, "le": 0.0, "eq": 0.0}[leaf.op]
    elif isinstance(leaf, ir.OneOf):
        val = leaf.values[0]
    else:
        return
    for as_of in dates:
        start = _window_start(as_of, m.within)
        if start is None:
            continue
        for day, where in ((start - dt.timedelta(days=1), "the day before"), (start, "the first day"),
                           (start + dt.timedelta(days=1), "the day after the start")):
            obs: dict[str, Any] = {"code": code, "date": day.isoformat()}
            inside = day >= start
            if isinstance(val, str):
                obs["result"] = val
                yield Probe(f"result dated {day}, {where} of the {m.within} window before {as_of}",
                            as_of, _latest_edit(m, obs), m, value=val if inside else None)
            else:
                obs["value"] = val
                unit = getattr(m, "unit", "1")
                if unit != "1":
                    obs["unit"] = unit
                yield Probe(f"value dated {day}, {where} of the {m.within} window before {as_of}",
                            as_of, _latest_edit(m, obs), m, val if inside else None, val if inside else None)


def _number_probes(leaf: ir.Compare, m: ir.Number, dates: list[dt.date]) -> Iterator[Probe]:
    v, s = leaf.value, max(_step(leaf.value), 0.1)
    for x, where in ((v - s, "just below"), (v, "on"), (v + s, "just above")):
        if x < 0:
            continue
        x = round(x, 6)

        def edit(p: dict[str, Any], x: float = x) -> dict[str, Any]:
            p.setdefault("administrative", {})[m.name] = x
            return p

        yield Probe(f"{m.name.replace('_', ' ')} {x:g} ({where} {v:g})", dates[0], edit, m, x, x)


def _records_probe(q: ir.Records, recs: list[tuple[str, dict[str, Any]]], matching: int,
                   desc: str, as_of: dt.date, measure: ir.Measure | None = None) -> Probe:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        _clear(p, q)
        for where, r in recs:
            _add(p, where, copy.deepcopy(r))
        return p

    m = measure or q
    if not recs and q.policy == "unknown":
        return Probe(desc, as_of, edit, m, 0.0, None)
    return Probe(desc, as_of, edit, m, float(matching), float(matching))


def _count_probes(leaf: ir.Compare, q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    n = int(leaf.value)
    as_of = dates[0]
    day = as_of - dt.timedelta(days=1)
    for k in sorted({max(n - 1, 0), n, n + 1}):
        recs = [record(q, day, point=False) for _ in range(k)]
        if any(r is None for r in recs):
            return
        yield _records_probe(q, recs, k, f"{k} matching {q.record} record(s) (count {ir.OP_SYMBOL[leaf.op]} {n})",  # type: ignore[arg-type]
                             as_of)


def _records_window_probes(q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    if q.within is None:
        return
    for as_of in dates:
        start = _window_start(as_of, q.within)
        if start is None:
            continue
        for day, where in ((start - dt.timedelta(days=1), "the day before"), (start, "the first day"),
                           (start + dt.timedelta(days=1), "the day after the start")):
            rec = record(q, day, point=True)
            if rec is None:
                return
            yield _records_probe(q, [rec], int(day >= start),
                                 f"{q.record} record dated {day}, {where} of the {q.within} window before {as_of}", as_of)


def _diameter_probes(q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    as_of = dates[0]
    day = as_of - dt.timedelta(days=1)
    for f in q.filters:
        if f.attr != "diameter_mm" or f.op not in ("gt", "ge", "lt", "le", "eq"):
            continue
        v = float(f.value)  # type: ignore[arg-type]
        others = [g for g in q.filters if g is not f and g.attr == "diameter_mm"]
        s = _step(v)
        for d, where in ((v - s, "just below"), (v, "on"), (v + s, "just above")):
            if d < 0:
                continue
            d = round(d, 9)
            rec = record(q, day, point=False, diameter=d)
            if rec is None:
                return
            ok = cmp(d, f.op, v) and all(cmp(d, g.op, float(g.value)) for g in others)  # type: ignore[arg-type]
            yield _records_probe(q, [rec], int(ok), f"lesion of {d:g} mm ({where} {ir.OP_SYMBOL[f.op]} {v:g} mm)", as_of)


def _pair_probes(leaf: ir.Compare, m: ir.Pairs, dates: list[dt.date]) -> Iterator[Probe]:
    as_of = dates[0]
    # anchors at a month end, a leap day and the end of a 31-day month, about a year before the screening date
    anchors = [dt.date(as_of.year - 1, 1, 31), dt.date(2024, 2, 29), dt.date(as_of.year - 1, 8, 31)]
    for t0 in anchors:
        try:
            edges = [(shift(t0, m.lo, 1), "the earliest"), (shift(t0, m.hi, 1), "the latest")]
        except (ValueError, OverflowError):
            edges = []  # an offset beyond the calendar: only the earliest edge can be probed
            try:
                edges = [(shift(t0, m.lo, 1), "the earliest")]
            except (ValueError, OverflowError):
                continue
        for edge, which in edges:
            for e, where in ((edge - dt.timedelta(days=1), "the day before"), (edge, "on"),
                             (edge + dt.timedelta(days=1), "the day after")):
                if e > as_of or e < dt.date(1900, 1, 1):
                    continue
                if m.from_ == "end":
                    a = record(m.anchor, t0, point=True)
                    if a is not None and a[0] == "medications":
                        a[1]["start"] = (t0 - dt.timedelta(days=5)).isoformat()
                else:
                    a = record(m.anchor, t0, point=False)
                ev = record(m.event, e, point=False)
                if a is None or ev is None or (m.from_ == "end" and a[0] == "conditions" and "abatement" not in a[1]):
                    return
                inside = edges[0][0] <= e and (len(edges) == 1 or e <= edges[1][0])
                desc = (f"{m.anchor.record} {m.from_} {t0}, {m.event.record} on {e} ({where} {which} day, "
                        f"after [{m.lo}, {m.hi}])")
                yield _pair_probe(m, a, ev, int(inside), desc, as_of)


def _pair_probe(m: ir.Pairs, a: tuple[str, dict[str, Any]], ev: tuple[str, dict[str, Any]], n: int,
                desc: str, as_of: dt.date) -> Probe:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        _clear(p, m.anchor)
        _clear(p, m.event)
        _add(p, a[0], copy.deepcopy(a[1]))
        _add(p, ev[0], copy.deepcopy(ev[1]))
        return p

    return Probe(desc, as_of, edit, m, float(n), float(n))


def _named(check: str, probes: Iterator[Probe]) -> Iterator[tuple[str, Probe | None]]:
    yield check, None  # names the check even when no probe can be built for it
    for p in probes:
        yield check, p


def probes_for(expr: ir.Node, dates: list[dt.date]) -> Iterator[tuple[str, Probe | None]]:
    """(check name, probe) for every threshold and window of a criterion's definition; each check
    first comes with no probe, so that a check no probe can be built for is still reported."""
    seen: set[ir.Measure] = set()
    for leaf in leaves(expr):
        m = leaf.measure
        if isinstance(leaf, ir.Compare):
            sym = ir.OP_SYMBOL[leaf.op]
            if isinstance(m, ir.Age):
                yield from _named(f"age {sym} {leaf.value:g}", _age_probes(leaf, dates))
            elif isinstance(m, ir.Latest):
                unit = f" {m.unit}" if m.unit != "1" else ""
                yield from _named(f"latest {m.codes.name} {sym} {leaf.value:g}{unit}", _latest_value_probes(leaf, m, dates))
            elif isinstance(m, ir.Number):
                yield from _named(f"{m.name} {sym} {leaf.value:g}", _number_probes(leaf, m, dates))
            elif isinstance(m, ir.Records):
                yield from _named(f"{m.record} count {sym} {leaf.value:g}", _count_probes(leaf, m, dates))
            elif isinstance(m, ir.Pairs):
                yield from _named(f"followed_by after [{m.lo}, {m.hi}] from the {m.from_}", _pair_probes(leaf, m, dates))
        if m in seen:
            continue
        seen.add(m)
        if isinstance(m, (ir.Latest, ir.LatestResult)) and m.within is not None:
            yield from _named(f"latest {m.codes.name} within {m.within}", _latest_window_probes(leaf, m, dates))
        if isinstance(m, ir.Records):
            if m.within is not None:
                yield from _named(f"{m.record} within {m.within}", _records_window_probes(m, dates))
            if any(f.attr == "diameter_mm" for f in m.filters):
                yield from _named(f"{m.record} diameter", _diameter_probes(m, dates))


# --- running ------------------------------------------------------------------------------------


def _status(kind: str, truth: bool | None) -> str:
    if truth is None:
        return "unknown"
    if kind == "exclusion":
        truth = not truth
    return "pass" if truth else "fail"


def _expected(c: ir.CriterionIR, probe: Probe, facts: PatientFacts) -> tuple[str, bool]:
    """(expected status, decisive): decisive when flipping a probed comparison changes the result."""
    assert c.expr is not None
    ls = leaves(c.expr)
    base: dict[int, bool | None] = {}
    targets = []
    for i, leaf in enumerate(ls):
        if leaf.measure == probe.measure:
            base[i] = leaf_truth(leaf, probe.lo, probe.hi, probe.value)
            targets.append(i)
        else:
            base[i] = _facts_truth(leaf, facts.compute(leaf.measure))
    truth = kleene(c.expr, lambda i, _: base[i])
    decisive = False
    for t in targets:
        flipped = dict(base)
        flipped[t] = not base[t] if base[t] is not None else True
        if kleene(c.expr, lambda i, _, f=flipped: f[i]) != truth:  # type: ignore[misc]
            decisive = True
            break
    return _status(c.kind, truth), decisive


def _bases(patients: list[PatientProfile]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in patients:
        d = p.model_dump(mode="json", exclude_none=True)
        if d not in out:
            out.append(d)
    for sex in ("female", "male"):
        out.append({"id": f"boundary-probe-{sex}", "birth_date": "1970-06-15", "sex": sex})
    return out


def check_static(rs: RuleSet) -> list[Problem]:
    """`latest:` thresholds as written against the IR's thresholds (unit slips in lowering)."""
    from screening.core.units import parse_quantity

    problems = []
    for ci, (c_model, c_ir) in enumerate(zip(rs.model.criteria, rs.ir.criteria, strict=True)):
        if c_model.when is None or c_ir.expr is None:
            continue
        line = rs.smap.locate(("criteria", ci))[0]
        ir_leaves = [lf for lf in leaves(c_ir.expr) if isinstance(lf, ir.Compare) and isinstance(lf.measure, ir.Latest)]
        for spec in _latest_specs(c_model.when):
            for op, q in _bounds(spec):
                value, unit = parse_quantity(q)
                cands = [lf for lf in ir_leaves if lf.op == op]
                for lf in cands:
                    m = lf.measure
                    assert isinstance(m, ir.Latest)
                    want = to_unit(value, unit, m.unit, m.molar_mass)
                    if want is None:
                        continue
                    if not any(abs(sig9(want) - x.value) <= 1e-9 * max(1.0, abs(want)) for x in cands):
                        problems.append(Problem(rs.trial_id, c_ir.id, line, "threshold unit",
                                                f"written {ir.OP_SYMBOL[op]} {q}", f"{ir.OP_SYMBOL[op]} {sig9(want):g} {m.unit}",
                                                f"{ir.OP_SYMBOL[op]} {lf.value:g} {lf.unit}"))
                    break
    return problems


def _latest_specs(node: Any) -> Iterator[Any]:
    if isinstance(node, LatestExpr):
        if node.latest.result is None:
            yield node.latest
        return
    for attr in ("all", "any"):
        for x in getattr(node, attr, None) or []:
            yield from _latest_specs(x)
    inner = getattr(node, "not_", None)
    if inner is not None:
        yield from _latest_specs(inner)


def _bounds(spec: Any) -> list[tuple[str, Any]]:
    out = [(op, getattr(spec, op)) for op in ("gt", "ge", "lt", "le", "eq") if getattr(spec, op) is not None]
    if spec.between is not None:
        out += [("ge", spec.between[0]), ("le", spec.between[1])]
    return out


def check_trial(screener: Screener, trial_id: str, patients: list[PatientProfile], as_of: dt.date) -> BoundaryReport:
    """Probe every threshold and window of one trial through `screener`'s engine."""
    rs = screener.catalog.get(trial_id)
    report = BoundaryReport(trial_id, problems=check_static(rs))
    bases = _bases(patients)
    dates = _dates(as_of)
    for ci, c in enumerate(rs.ir.criteria):
        if c.expr is None:
            continue
        line = rs.smap.locate(("criteria", ci))[0]
        decided: dict[str, int] = {}
        for check, probe in probes_for(c.expr, dates):
            decided.setdefault(check, 0)
            if probe is None:
                continue
            result = _probe_once(screener, rs, c, probe, bases)
            if result is None:
                continue
            expected, actual = result
            decided[check] += 1
            report.checked += 1
            if expected != actual:
                report.problems.append(Problem(trial_id, c.id, line, check, probe.description, expected, actual))
        for check, n in decided.items():
            label = f"{c.id}: {check}"
            (report.checks if n else report.unchecked).append(label + (f" ({n} probes)" if n else ""))
    return report


def _probe_once(screener: Screener, rs: RuleSet, c: ir.CriterionIR, probe: Probe,
                bases: list[dict[str, Any]]) -> tuple[str, str] | None:
    for base in bases:
        data = probe.edit(copy.deepcopy(base))
        if data is None:
            continue
        try:
            profile = PatientProfile.model_validate(data)
        except ValidationError:
            continue  # e.g. a record dated before this base patient's birth
        expected, decisive = _expected(c, probe, PatientFacts(profile, probe.as_of))
        if not decisive:
            continue
        (out,) = screener.outcomes(profile, probe.as_of, [rs.trial_id])
        return expected, out.statuses[c.id]
    return None


def format_boundaries(reports: list[BoundaryReport], verbose: bool = False) -> str:
    lines = []
    for r in reports:
        lines.append(f"{r.trial_id}: {r.checked} boundary probe(s), {len(r.problems)} disagreement(s)"
                     + (f", {len(r.unchecked)} check(s) left unprobed (no valid patient at the limit, "
                        "or none whose status the limit decides)" if r.unchecked else ""))
        for p in r.problems:
            lines.append("  MISMATCH " + p.format())
        if verbose:
            lines += [f"  checked   {c}" for c in r.checks]
        lines += [f"  unchecked {c}" for c in r.unchecked]
    return "\n".join(lines)
