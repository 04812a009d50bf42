"""A starter `cases.yaml` for a drafted rule set: a base patient who meets the computable criteria
where that is possible, and one case per computable criterion that makes it fail. Every case is
named "draft: check against the registry text ..." : the patients are built from the drafted
definitions, so they test the rules as drafted, not the trial.

Each definition is turned into what a patient needs for it to be true or false ("needs": an age
bound, a sex, a lab value, an administrative fact, a record recent or old), recursively through
`all`, `any` and `not`; the needs of all criteria are merged into one base patient (a criterion
whose needs contradict those already taken is left out of the base case), and each failing case
is the base patient with that criterion's needs for failing put in place of the base's.

Some definitions cannot be made true or false by data alone: `hiv_positive` is unknown until
there is a diagnosis or a test, whatever the tests say, so an exclusion of HIV has a failing case
but no expectation in the base case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from screening.core.units import UnitError, convert, parse_molar_mass, parse_quantity
from screening.ctgov.needs import Need, needs
from screening.ctgov.value_sets import molar_mass

LABEL = "draft: check against the registry text"
# a concrete code for value sets given as a code pattern ('atc:L01*')
_SAMPLE_CODES = {"atc:H02*": "atc:H02AB06", "atc:L01*": "atc:L01BA01", "atc:J07*": "atc:J07BB02",
                 "atc:L04*": "atc:L04AX03", "icd10:D06*": "icd10:D06.9", "icd10:C*": "icd10:C50.9"}

# --- merging needs into a patient ------------------------------------------------------------


@dataclass
class _Patient:
    """The needs taken so far, merged."""

    age: list[tuple[str, float]] = field(default_factory=list)
    sex: frozenset[str] = frozenset({"female", "male"})
    obs: dict[str, list[tuple[str, float, str]]] = field(default_factory=dict)  # code -> (op, value, unit)
    life: list[tuple[str, float]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    records: list[Need] = field(default_factory=list)

    def copy(self) -> _Patient:
        return _Patient(list(self.age), self.sex, {k: list(v) for k, v in self.obs.items()}, list(self.life),
                        dict(self.facts), list(self.records))


def _interval(bounds: list[tuple[str, float]]) -> tuple[float, bool, float, bool]:
    lo, lo_strict, hi, hi_strict = float("-inf"), False, float("inf"), False
    for op, v in bounds:
        if op in ("ge", "gt") and (v > lo or v == lo and op == "gt"):
            lo, lo_strict = v, op == "gt"
        if op in ("le", "lt") and (v < hi or v == hi and op == "lt"):
            hi, hi_strict = v, op == "lt"
    return lo, lo_strict, hi, hi_strict


def pick(bounds: list[tuple[str, float]], integer: bool = False) -> float | None:
    """A value that meets every bound (an integer one for ages); None when there is none."""
    lo, lo_strict, hi, hi_strict = _interval(bounds)
    step = 1.0 if integer else max(abs(lo if lo != float("-inf") else hi) * 0.05, 0.1) if bounds else 1.0
    if lo == float("-inf"):
        value = (hi - step if hi_strict else hi) if hi != float("inf") else (40.0 if integer else 1.0)
    else:
        value = lo + step if lo_strict else lo
    if integer:
        value = float(int(value)) if value >= 0 else value
        if value < lo or (lo_strict and value == lo):
            value = float(int(lo) + 1)
    ok = (value > lo if lo_strict else value >= lo) and (value < hi if hi_strict else value <= hi)
    return round(value, 4) if ok else None


def _to_unit(code: str, value: float, unit: str, target: str) -> float | None:
    try:
        mass = molar_mass(code)
        return convert(value, unit, target, parse_molar_mass(mass) if mass else None)
    except (UnitError, KeyError):
        return None


def _obs_bounds(items: list[tuple[str, float, str]], code: str) -> tuple[list[tuple[str, float]], str] | None:
    """The bounds of one code in its first unit; None when a unit does not convert."""
    unit = items[0][2]
    out = []
    for op, v, u in items:
        value = v if u == unit else _to_unit(code, v, u, unit)
        if value is None:
            return None
        out.append((op, value))
    return out, unit


def _fits(p: _Patient) -> bool:
    if not p.sex or pick(p.age, integer=True) is None and p.age or pick(p.life) is None and p.life:
        return False
    return all((b := _obs_bounds(items, code)) is not None and pick(b[0]) is not None for code, items in p.obs.items())


def _clear(q: _Patient, ns: list[Need]) -> None:
    """Forget what `q` had for the ages, sex, labs, facts and participations `ns` decide."""
    kinds = {n[0] for n in ns}
    if "age" in kinds:
        q.age = []
    if "life" in kinds:
        q.life = []
    if "sex" in kinds:
        q.sex = frozenset({"female", "male"})
    for n in ns:
        if n[0] == "obs":
            q.obs.pop(n[1], None)
        elif n[0] in ("fact", "consent"):
            q.facts.pop(n[1] if n[0] == "fact" else "informed_consent", None)
    if "participation" in kinds:
        q.records = [r for r in q.records if r[0] != "participation"]


def take(p: _Patient, ns: list[Need], replace: bool = False) -> _Patient | None:
    """`p` with the needs `ns` merged (or, with `replace`, put in place of what `p` had for the
    same ages, sex, labs and facts); None when they contradict it."""
    q = p.copy()
    if replace:
        _clear(q, ns)
    for n in ns:
        kind = n[0]
        if kind in ("age", "life"):
            getattr(q, kind).append((n[1], float(n[2])))
        elif kind == "sex":
            q.sex = q.sex & n[1]
        elif kind == "obs":
            value, unit = parse_quantity(n[3])
            q.obs.setdefault(n[1], []).append((n[2], value, unit))
        elif kind in ("fact", "consent"):
            name, value = (n[1], n[2]) if kind == "fact" else ("informed_consent", n[1])
            if q.facts.get(name, value) != value:
                return None
            q.facts[name] = value
        else:
            q.records.append(n)
    return q if _fits(q) else None


# --- writing the patient -----------------------------------------------------------------------


def _code(value_set: str, codes: Mapping[str, list[str]]) -> dict[str, str] | None:
    listed = codes.get(value_set)
    if not listed:
        return None
    first = _SAMPLE_CODES.get(listed[0], listed[0].rstrip("*"))
    system, code = first.split(":", 1)
    return {"system": system, "code": code}


def _oldest(records: list[Need]) -> dict[str, int]:
    """The widest window, by record kind, that an old record must be older than: every old record
    of a kind is placed before it, outside every window of that kind ('steroids within 2 months'
    and 'immunosuppressants or steroids within 6 months', both false: a steroid 8 months ago)."""
    out: dict[str, int] = {}
    for n in records:
        if n[0] == "participation" and n[1] == "old":
            out["participation"] = max(out.get("participation", 0), n[2] or 365)
        elif n[0] == "record" and n[3] == "old":
            out[n[1]] = max(out.get(n[1], 0), n[4] or 365)
    return out


def _record(n: Need, as_of: dt.date, codes: Mapping[str, list[str]],
            oldest: Mapping[str, int], birth: dt.date) -> tuple[str, dict[str, Any]] | None:
    """The record of a need, dated after the patient's birth (an infant's old record is placed just
    outside the window); None when it cannot be (a window longer than the patient's life)."""
    if n[0] == "participation":
        kind, value_set, timing, days = "participation", "", n[1], n[2]
    else:
        kind, value_set, timing, days = n[1], n[2], n[3], n[4]
    recent = as_of - dt.timedelta(days=3)
    window = max(days or 365, oldest.get(kind, 0))
    old = max(as_of - dt.timedelta(days=window + 60), min(as_of - dt.timedelta(days=window + 1), birth + dt.timedelta(days=30)))
    when = recent if timing == "recent" else old
    if when <= birth:
        return None
    begun = max(when - dt.timedelta(days=30), birth)
    if kind == "participation":
        return "participation", {"trial_id": "OTHER-TRIAL", "start": str(begun), "end": str(when)}
    code = _code(value_set, codes)
    if code is None:
        return None
    if kind == "condition":
        rec: dict[str, Any] = {"code": code, "onset": str(begun), "verification_status": "confirmed"}
        rec.update({"clinical_status": "active"} if timing == "recent" else
                   {"clinical_status": "resolved", "abatement": str(when)})
        return "conditions", rec
    if kind == "medication":
        return "medications", {"code": code, "start": str(begun), "end": str(when)}
    return "procedures", {"code": code, "date": str(when)}


def _observations(p: _Patient, as_of: dt.date, codes: Mapping[str, list[str]]) -> list[dict[str, Any]] | None:
    out = []
    day = str(as_of - dt.timedelta(days=1))
    for value_set, items in p.obs.items():
        read, code = _obs_bounds(items, value_set), _code(value_set, codes)
        if read is None or code is None:
            return None
        value = pick(read[0])
        obs: dict[str, Any] = {"code": code, "date": day, "value": value}
        if read[1] != "1":
            obs["unit"] = read[1]
        out.append(obs)
    for n in p.records:
        if n[0] == "result" and (code := _code(n[1], codes)) is not None:
            out.append({"code": code, "date": day, "result": n[2]})
    return out


def patient(p: _Patient, as_of: dt.date, codes: Mapping[str, list[str]], pid: str) -> dict[str, Any] | None:
    """The patient profile of the merged needs; None when a code or unit cannot be written."""
    age = pick(p.age, integer=True) if p.age else 40.0
    if age is None:
        return None
    birth = as_of.replace(year=as_of.year - int(age)) - dt.timedelta(days=100) if as_of.month != 2 or as_of.day != 29 \
        else dt.date(as_of.year - int(age), 2, 28) - dt.timedelta(days=100)
    profile: dict[str, Any] = {"id": pid, "birth_date": str(birth),
                               "sex": "female" if "female" in p.sex else "male"}
    observations = _observations(p, as_of, codes)
    if observations is None:
        return None
    lists: dict[str, list[dict[str, Any]]] = {"conditions": [], "observations": observations, "medications": [],
                                              "procedures": []}
    admin: dict[str, Any] = {}
    oldest = _oldest(p.records)
    for n in p.records:
        if n[0] in ("record", "participation"):
            written = _record(n, as_of, codes, oldest, birth)
            if written is None:
                return None
            if written[0] == "participation":
                admin.setdefault("trial_participations", []).append(written[1])
            else:
                lists[written[0]].append(written[1])
    profile.update({k: v for k, v in lists.items() if v})
    for name, value in p.facts.items():
        admin[name] = {"signed": value, "date": str(as_of - dt.timedelta(days=1))} if name == "informed_consent" else value
    if p.life:
        admin["life_expectancy_months"] = pick(p.life)
    if admin:
        profile["administrative"] = admin
    return profile


def _diff(base: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """A JSON merge patch taking `base` to `other` (lists replaced whole)."""
    patch: dict[str, Any] = {}
    for k in set(base) | set(other):
        if k not in other:
            patch[k] = None
        elif isinstance(other[k], dict) and isinstance(base.get(k), dict):
            inner = _diff(base[k], other[k])
            if inner:
                patch[k] = inner
        elif base.get(k) != other[k]:
            patch[k] = other[k]
    return patch


@dataclass
class StarterCases:
    data: dict[str, Any]  # the cases file as plain data
    base_criteria: list[str]  # criteria the base case expects to pass
    failing: list[str]  # criteria with a case that makes them fail
    left_out: list[str]  # computable criteria without a case


def starter_cases(trial_id: str, criteria: list[dict[str, Any]], codes: Mapping[str, list[str]],
                  as_of: dt.date) -> StarterCases:
    """The starter cases of a drafted rule set. `codes`: every value set the criteria may name
    (library and trial-local) -> its codes."""
    computable = [c for c in criteria if c.get("when") is not None]
    base, in_base = _Patient(), []
    for c in computable:
        ns = needs(c["when"], c["kind"] == "inclusion")
        merged = take(base, ns) if ns is not None else None
        if merged is not None and patient(merged, as_of, codes, "x") is not None:
            base = merged
            in_base.append(c["id"])
    base_profile = patient(base, as_of, codes, f"{trial_id.lower()}-draft-base")
    assert base_profile is not None
    cases: list[dict[str, Any]] = []
    if in_base:
        cases.append({"name": f"{LABEL}: a patient who meets every computable criterion it can",
                      "patient": "base", "expect": {"criteria": {cid: "pass" for cid in in_base}}})
    failing, left_out = [], []
    for c in computable:
        ns = needs(c["when"], c["kind"] == "exclusion")
        fails = take(base, ns, replace=True) if ns is not None else None
        profile = patient(fails, as_of, codes, base_profile["id"]) if fails is not None else None
        if profile is None:
            left_out.append(c["id"])
            continue
        failing.append(c["id"])
        case: dict[str, Any] = {"name": f"{LABEL}: {c['id']} fails", "patient": "base"}
        patch = _diff(base_profile, profile)
        if patch:
            case["merge"] = patch
        case["expect"] = {"criteria": {c["id"]: "fail"}}
        cases.append(case)
    data = {"trial": trial_id, "as_of": str(as_of), "patients": {"base": base_profile}, "cases": cases}
    return StarterCases(data, in_base, failing, left_out)
