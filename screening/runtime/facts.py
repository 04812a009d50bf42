"""Compute IR measures from a patient profile at a screening date: the facts the engine sees.

Every measure value is honest about what is not known:

* numbers are intervals ``[lo, hi]`` (an exact value has lo == hi; a censored lab such as
  ``<0.5`` has no lo; unknown has neither);
* counts of matching records are intervals too: records that certainly match count in lo,
  records that might match (a missing diameter, an unknown onset) only in hi; with no data at
  all hi is unbounded unless the criterion's policy is ``assume_absent``, which the value
  records as an assumption;
* categories and flags are a value or unknown.

Records dated after the screening date are ignored (they were not known then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from patients.model import PatientProfile
from screening.core.timewindows import Duration, age_years
from screening.core.units import UnitError, convert, normalise
from screening.core.vocab import ACTIVE_STATUSES
from screening.ruleset import ir

YES, MAYBE, NO = 2, 1, 0

_EMPTY: list[tuple[str, Any]] = []
_UNCODED = frozenset({"lesion", "participation"})
_START_ATTR = {"condition": "onset", "medication": "start", "participation": "start",
               "observation": "date", "procedure": "date", "lesion": "date"}
_RECORD_ATTR = {"condition": "conditions", "observation": "observations", "medication": "medications",
                "procedure": "procedures", "lesion": "lesions"}


@dataclass
class Evidence:
    record: str  # path into the profile, e.g. "observations[2]"
    what: str
    date: dt.date | None = None
    value: float | str | bool | None = None
    unit: str | None = None
    converted_value: float | None = None
    converted_unit: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"record": self.record, "what": self.what}
        for k in ("value", "unit", "converted_value", "converted_unit", "note"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.date is not None:
            d["date"] = self.date.isoformat()
        return d


class Value:
    """A measure's value: interval (lo/hi) for numbers and counts, `value` for categories/flags.

    Evidence for record queries is built only when asked for (explanations), not on the
    batch hot path.
    """

    __slots__ = ("lo", "hi", "value", "_evidence", "_pending", "missing", "reason", "assumption", "shared")

    def __init__(self, lo: float | None = None, hi: float | None = None, value: str | bool | None = None,
                 evidence: list[Evidence] | None = None, missing: str | None = None, reason: str | None = None,
                 assumption: str | None = None, pending: Any = None):
        self.lo, self.hi, self.value = lo, hi, value
        self._evidence = evidence
        self._pending = pending  # a zero-argument callable that builds the evidence
        self.missing, self.reason, self.assumption = missing, reason, assumption
        self.shared = False  # True: the one value of this measure for every patient with nothing recorded

    @property
    def evidence(self) -> list[Evidence]:
        if self._evidence is None:
            self._evidence = self._pending() if self._pending is not None else []
            self._pending = None
        return self._evidence

    @property
    def known(self) -> bool:
        return self.value is not None or self.lo is not None or self.hi is not None

    def __repr__(self) -> str:
        return f"Value(lo={self.lo}, hi={self.hi}, value={self.value!r}, missing={self.missing!r})"


def _coding_label(system: str, code: str, display: str | None) -> str:
    return f"{display} ({system}:{code})" if display else f"{system}:{code}"


class CodeIndex:
    """Which code sets of a catalog's record queries each (kind, system, code) belongs to.

    With it, a patient's records are sorted into the domains of every query in one pass over
    the records (cost grows with the record, not with the number of criteria), and a query whose
    codes the patient has none of is answered by one dictionary lookup.
    """

    def __init__(self, measures: Iterable[ir.Measure]):
        self.exact: dict[tuple[str, str, str], list[tuple[str, int]]] = {}
        self.prefixes: dict[tuple[str, str, str], list[tuple[str, int]]] = {}  # (kind, system, prefix)
        self.prefixed: dict[tuple[str, str], tuple[int, ...]] = {}  # (kind, system) -> prefix lengths
        self.uncoded: dict[str, list[tuple[str, int]]] = {}
        seen: set[tuple[str, int]] = set()
        self._keep: list[ir.CodeSet | None] = []  # ids stay valid while the index lives
        for m in measures:
            for q in ((m.anchor, m.event) if isinstance(m, ir.Pairs) else (m,) if isinstance(m, ir.Records) else ()):
                key = (q.record, id(q.codes))
                if key in seen:
                    continue
                seen.add(key)
                self._keep.append(q.codes)
                if q.codes is None:
                    self.uncoded.setdefault(q.record, []).append(key)
                    continue
                for system, code in q.codes.exact:
                    self.exact.setdefault((q.record, system, code), []).append(key)
                for system, prefix in q.codes.prefixes:
                    self.prefixes.setdefault((q.record, system, prefix), []).append(key)
                    lengths = set(self.prefixed.get((q.record, system), ())) | {len(prefix)}
                    self.prefixed[(q.record, system)] = tuple(sorted(lengths))
        self.kinds = sorted({k for k, _ in seen})


class PatientFacts:
    """Per-patient cache of measure values; shared by every trial screened for that patient."""

    def __init__(self, profile: PatientProfile, as_of: dt.date, index: CodeIndex | None = None):
        self.p = profile
        self.as_of = as_of
        self.cache: dict[int, Value] = {}  # measure id -> value, shared by every trial screened
        self._window_start: dict[Duration, dt.date] = {}
        self._by_kind: dict[str, list[tuple[str, Any]]] = {}
        self._domains: dict[tuple[str, int], list[tuple[str, Any]]] = {}
        self._known_by_kind: dict[str, list[tuple[str, str, str, Any]]] = {}
        self._indexed = index is not None
        if index is not None:
            self._sort_into_domains(index)

    def _sort_into_domains(self, index: CodeIndex) -> None:
        domains = self._domains
        exact, prefixes, prefixed = index.exact, index.prefixes, index.prefixed
        for kind in index.kinds:
            known = self._known(kind)
            for key in index.uncoded.get(kind, ()):
                domains[key] = [(path, r) for _, _, path, r in known]
            for system, code, path, r in known:
                for key in exact.get((kind, system, code), ()):
                    domains.setdefault(key, []).append((path, r))
                lengths = prefixed.get((kind, system))
                if lengths is not None:
                    for n in lengths:
                        if n > len(code):
                            break
                        for key in prefixes.get((kind, system, code[:n]), ()):
                            dom = domains.setdefault(key, [])
                            if not dom or dom[-1][1] is not r:  # a code under two prefixes of one set
                                dom.append((path, r))

    def window_start(self, d: Duration) -> dt.date:
        s = self._window_start.get(d)
        if s is None:
            s = self._window_start[d] = d.before(self.as_of)
        return s

    def get(self, mid: int, m: ir.Measure) -> Value:
        v = self.cache.get(mid)
        if v is None:
            v = self.cache[mid] = self.compute(m)
        return v

    # ------------------------------------------------------------------------------------
    def compute(self, m: ir.Measure) -> Value:
        return _COMPUTE[type(m)](self, m)

    def _sex(self, m: ir.Sex) -> Value:
        s = self.p.sex
        if s is None or s.value == "unknown":
            return self._shared(m, "_missing", lambda: Value(missing="sex", reason="missing", evidence=[]))
        return Value(value=s.value, evidence=[Evidence("sex", "sex", value=s.value)])

    def _number(self, m: ir.Number) -> Value:
        v = getattr(self.p.administrative, m.name)
        if v is None:
            return self._shared(m, "_missing", lambda: Value(missing=m.name.replace("_", " "), reason="missing",
                                                              evidence=[]))
        return Value(lo=float(v), hi=float(v), evidence=[Evidence(f"administrative.{m.name}", m.name, value=v)])

    def age(self, m: ir.Age) -> Value:
        b = self.p.birth_date
        if b is None:
            return self._shared(m, "_missing", lambda: Value(missing="birth date", reason="missing", evidence=[]))
        if b > self.as_of:
            return Value(missing="birth date before the screening date", reason="unusable")
        a = float(age_years(b, self.as_of))
        return Value(lo=a, hi=a, evidence=[Evidence("birth_date", "birth date", date=b, note=f"age {a:g} years on {self.as_of}")])

    def _obs(self, codes: ir.CodeSet) -> list[tuple[int, Any]]:
        as_of, match = self.as_of, codes.matches
        return [(i, o) for i, o in enumerate(self.p.observations)
                if o.date <= as_of and match(o.code.system, o.code.code)]

    def latest(self, m: ir.Latest) -> Value:
        cands = [(i, o) for i, o in self._obs(m.codes) if o.value is not None]
        if not cands:
            return self._shared(m, "_missing", lambda: Value(
                missing=m.codes.describe() + (f" within {m.within}" if m.within else ""), reason="missing"))
        i, o = max(cands, key=lambda t: (t[1].date, t[0]))

        def evidence(note: str | None = None, converted: float | None = None) -> Callable[[], list[Evidence]]:
            def build() -> list[Evidence]:
                ev = Evidence(f"observations[{i}]", _coding_label(o.code.system, o.code.code, o.code.display),
                              date=o.date, value=o.value, unit=o.unit, note=note)
                if converted is not None:
                    ev.converted_value, ev.converted_unit = converted, m.unit
                return [ev]
            return build

        name = m.codes.describe()
        if m.within is not None and o.date < self.window_start(m.within):
            return Value(pending=evidence(f"older than {m.within}"),
                         missing=f"{name} within {m.within} (latest is from {o.date})", reason="stale")
        if o.unit is None and m.unit != "1":
            # a bare number for a quantity with a unit (58 or 0.58 for an LVEF?) is not guessed
            return Value(pending=evidence("no unit recorded"), missing=f"{name} with its unit ({m.unit})",
                         reason="unusable unit: no unit recorded")
        try:
            v = convert(o.value, o.unit, m.unit, m.molar_mass)
        except UnitError as e:
            return Value(pending=evidence(str(e)), missing=f"{name} in a unit convertible to {m.unit}",
                         reason=f"unusable unit: {e}")
        converted = v if normalise(o.unit) != m.unit else None
        comp = o.comparator.value if o.comparator else None
        if comp is None:
            return Value(lo=v, hi=v, pending=evidence(None, converted))
        pending = evidence(f"censored value {comp}{o.value:g}", converted)
        if comp in ("<", "<="):
            return Value(lo=None, hi=v, pending=pending)
        return Value(lo=v, hi=None, pending=pending)

    @staticmethod
    def _shared(m: ir.Measure, slot: str, make: Callable[[], Value]) -> Value:
        """A value that is the same for every patient (nothing recorded), built once per measure."""
        v = m.__dict__.get(slot)
        if v is None:
            v = make()
            v.shared = True
            object.__setattr__(m, slot, v)
        return v  # type: ignore[no-any-return]

    def latest_result(self, m: ir.LatestResult) -> Value:
        cands = [(i, o) for i, o in self._obs(m.codes) if o.result is not None]
        name = m.codes.describe()
        if not cands:
            return self._shared(m, "_missing", lambda: Value(
                missing=f"{name} result" + (f" within {m.within}" if m.within else ""), reason="missing", evidence=[]))
        i, o = max(cands, key=lambda t: (t[1].date, t[0]))
        ev = Evidence(f"observations[{i}]", _coding_label(o.code.system, o.code.code, o.code.display),
                      date=o.date, value=o.result)
        if m.within is not None and o.date < self.window_start(m.within):
            return Value(evidence=[ev], missing=f"{name} result within {m.within} (latest is from {o.date})", reason="stale")
        return Value(value=o.result.lower(), evidence=[ev])

    # -- record queries ---------------------------------------------------------------------
    def _records(self, kind: str) -> list[tuple[str, Any]]:
        """(path, record) pairs of one kind; paths are built once per patient."""
        recs = self._by_kind.get(kind)
        if recs is None:
            if kind == "participation":
                recs = [(f"administrative.trial_participations[{i}]", r)
                        for i, r in enumerate(self.p.administrative.trial_participations)]
            else:
                attr = _RECORD_ATTR[kind]
                recs = [(f"{attr}[{i}]", r) for i, r in enumerate(getattr(self.p, attr))]
            self._by_kind[kind] = recs
        return recs

    def _interval(self, kind: str, r: Any) -> tuple[dt.date | None, dt.date | None, bool]:
        """(start, end, ongoing): the record's period. Point records have start == end."""
        # an end dated after the screening date was not known then: the record was ongoing
        if kind == "condition":
            if r.abatement is not None and r.abatement > self.as_of:
                return r.onset, None, True
            return r.onset, r.abatement, r.abatement is None and (r.clinical_status is None or r.clinical_status in ACTIVE_STATUSES)
        if kind in ("medication", "participation"):
            if r.end is not None and r.end > self.as_of:
                return r.start, None, True
            return r.start, r.end, r.end is None
        return r.date, r.date, False

    def match(self, q: ir.Records, kind: str, r: Any) -> int:
        """Does record r (already in the query's code domain) match the query? YES, MAYBE or NO."""
        as_of = self.as_of
        if q.exclude is not None and q.exclude.matches(r.code.system, r.code.code):
            return NO
        status = YES
        start, end, ongoing = self._interval(kind, r)
        if start is not None and start > as_of:
            return NO  # not yet happened at the screening date
        if q.within is not None:
            wstart = self.window_start(q.within)
            if end is not None and end <= as_of:
                if end < wstart:
                    return NO
            elif ongoing:
                pass  # still going on at the screening date: overlaps any window ending then
            elif start is not None and start >= wstart:
                pass
            else:
                status = MAYBE  # no end recorded and not known to be ongoing
        if q.active is not None:
            a = self._active(kind, r)
            if a == MAYBE:
                status = min(status, MAYBE)
            elif (a == YES) != q.active:
                return NO
        if q.confirmed_by:
            crit = {c.strip().lower() for c in (r.criteria or [])}
            if not crit:
                status = min(status, MAYBE)
            elif not crit & {c.strip().lower() for c in q.confirmed_by}:
                return NO
        for f in q.filters:
            v = getattr(r, f.attr, None)
            if v is None:
                if f.op == "not_in":
                    continue
                status = min(status, MAYBE)
                continue
            v = getattr(v, "value", v)
            if isinstance(v, str):
                v = v.lower()
            if not _test(v, f.op, f.value):
                return NO
        return status

    def _active(self, kind: str, r: Any) -> int:
        as_of = self.as_of
        if kind == "condition":
            if r.abatement is not None:
                return NO if r.abatement <= as_of else YES
            if r.clinical_status is not None:
                return YES if r.clinical_status in ACTIVE_STATUSES else NO
            return MAYBE
        if kind in ("medication", "participation"):
            if r.start is not None and r.start > as_of:
                return NO
            if r.end is not None and r.end < as_of:
                return NO
            return YES if r.start is not None else MAYBE
        return YES

    def _known(self, kind: str) -> list[tuple[str, str, str, Any]]:
        """(system, code, path, record) of the records of one kind known at the screening date."""
        known = self._known_by_kind.get(kind)
        if known is None:
            as_of = self.as_of
            start_attr = _START_ATTR[kind]  # the first date of the record's period
            uncoded = kind in _UNCODED
            known = []
            for path, r in self._records(kind):
                start = getattr(r, start_attr)
                if start is not None and start > as_of:
                    continue  # not yet recorded at the screening date
                if uncoded:
                    known.append(("", "", path, r))
                else:
                    code = r.code
                    known.append((code.system, code.code, path, r))
            self._known_by_kind[kind] = known
        return known

    def _domain(self, kind: str, codes: ir.CodeSet | None) -> list[tuple[str, Any]]:
        """Records of `kind` with a code in `codes`, known at the screening date (cached per patient)."""
        key = (kind, id(codes))
        dom = self._domains.get(key)
        if dom is None and self._indexed and codes is not None:
            return _EMPTY  # sorted into domains up front: none of these codes is recorded
        if dom is None:
            known = self._known(kind)
            if codes is None:
                dom = [(path, r) for _, _, path, r in known]
            else:
                exact, prefixes = codes.exact, codes.prefix_by_system
                dom = [(path, r) for system, code, path, r in known
                       if (system, code) in exact or (system in prefixes and code.startswith(prefixes[system]))]
            self._domains[key] = dom
        return dom

    def _scan(self, q: ir.Records, recs: list[tuple[str, Any]] | None = None) -> tuple[list[tuple[str, Any, int]], int]:
        """Matching records (path, record, YES/MAYBE) and how many records are in the query's domain."""
        kind = q.record
        if recs is None:
            recs = self._domain(kind, q.codes)
        if not recs:
            return [], 0
        if q.latest_per_lesion:
            latest: dict[Any, tuple[str, Any]] = {}
            for path, r in recs:
                key = r.lesion_id or r.site or path
                if key not in latest or latest[key][1].date <= r.date:
                    latest[key] = (path, r)
            recs = list(latest.values())
        out = []
        match = self.match
        for path, r in recs:
            s = match(q, kind, r)
            if s != NO:
                out.append((path, r, s))
        return out, len(recs)

    def _describe(self, kind: str, r: Any) -> str:
        if kind == "lesion":
            bits = [r.kind.replace("_", " ")]
            if r.site:
                bits.append(f"at {r.site}")
            if r.diameter_mm is not None:
                bits.append(f"{r.diameter_mm:g} mm")
            for a in ("visible_depth", "loss_of_dermis", "painful", "calcinosis"):
                v = getattr(r, a)
                if v is not None:
                    bits.append(a.replace("_", " ") + ("" if v else ": no"))
            if r.trend:
                bits.append(r.trend.value)
            return ", ".join(bits)
        if kind == "participation":
            return "trial participation" + (f" in {r.trial_id}" if r.trial_id else "")
        label = _coding_label(r.code.system, r.code.code, r.code.display)
        if kind == "medication" and r.route:
            label += f", {r.route.value}"
        if kind == "observation" and r.result:
            label += f": {r.result}"
        if kind == "condition" and r.criteria:
            label += " (criteria: " + ", ".join(r.criteria) + ")"
        return label

    def _evidence(self, kind: str, path: str, r: Any, s: int) -> Evidence:
        start, end, _ = self._interval(kind, r)
        ev = Evidence(path, self._describe(kind, r), date=start or end)
        if kind == "observation" and r.value is not None:
            ev.value, ev.unit = r.value, r.unit
        if kind in ("medication", "participation", "condition") and end is not None:
            ev.note = f"until {end}"
        if s == MAYBE:
            ev.note = ((ev.note + "; ") if ev.note else "") + "may match: some details are not recorded"
        return ev

    def _what(self, q: ir.Records) -> str:
        what = q.__dict__.get("_what")
        if what is None:
            what = self._describe_query(q)
            object.__setattr__(q, "_what", what)
        return what

    @staticmethod
    def _describe_query(q: ir.Records) -> str:
        if q.codes is not None:
            return f"{q.record} records for {q.codes.describe()}"
        return {"lesion": "lesion assessments", "participation": "trial participation history"}.get(q.record, q.record)

    def records(self, q: ir.Records) -> Value:
        dom = self._domains.get((q.record, id(q.codes)))
        if dom is None and not (self._indexed and q.codes is not None):
            dom = self._domain(q.record, q.codes)
        if dom:
            found, _ = self._scan(q, dom)
            if not found:  # records of the kind, none matching: the same answer for every such patient
                return self._shared(q, "_none", lambda: Value(lo=0.0, hi=0.0, evidence=[]))
            hi = len(found)
            lo = sum(1 for *_, s in found if s == YES)
            kind = q.record
            return Value(lo=float(lo), hi=float(hi),
                         pending=lambda: [self._evidence(kind, path, r, s) for path, r, s in found[:10]])
        # nothing recorded: the same answer for every patient, built once per query
        what = self._what(q)
        if q.policy == "assume_absent":
            return self._shared(q, "_absent", lambda: Value(lo=0.0, hi=0.0, evidence=[],
                                                             assumption=f"no {what} recorded: assumed absent"))
        return self._shared(q, "_absent", lambda: Value(lo=0.0, hi=None, evidence=[], missing=what, reason="missing"))

    def pairs(self, q: ir.Pairs) -> Value:
        anchors, adom = self._scan(q.anchor)
        events, edom = self._scan(q.event) if adom else ([], 0)
        lo = hi = 0
        shown: list[tuple[str, Any, int, str, Any, int, dt.date | None, dt.date | None]] = []
        for apath, a, sa in anchors:
            start, end, ongoing = self._interval(q.anchor.record, a)
            t0 = start if q.from_ == "start" else (None if ongoing else end)
            for epath, e, se in events:
                e_date = self._interval(q.event.record, e)[0]
                if t0 is None or e_date is None:
                    s = MAYBE if (q.from_ == "start" or not ongoing) else NO
                else:
                    if not (q.lo.after(t0) <= e_date <= q.hi.after(t0)):
                        continue
                    s = min(sa, se)
                if s == NO:
                    continue
                hi += 1
                lo += s == YES
                if len(shown) < 5:
                    shown.append((apath, a, sa, epath, e, se, t0, e_date))
        if hi > 0 or (adom > 0 and edom > 0):
            return Value(lo=float(lo), hi=float(hi), pending=lambda: self._pair_evidence(q, shown))
        # no anchor or no event recorded: the same answer for every such patient
        slot = "_no_anchor" if adom == 0 else "_no_event"
        missing = self._what(q.anchor) if adom == 0 else self._what(q.event)
        if q.policy == "assume_absent":
            return self._shared(q, slot, lambda: Value(lo=0.0, hi=0.0, evidence=[],
                                                        assumption=f"no {missing} recorded: assumed absent"))
        return self._shared(q, slot, lambda: Value(lo=0.0, hi=None, evidence=[], missing=missing, reason="missing"))

    def _pair_evidence(self, q: ir.Pairs, shown: list[Any]) -> list[Evidence]:
        ev: list[Evidence] = []
        for apath, a, sa, epath, e, se, t0, e_date in shown:
            ae = self._evidence(q.anchor.record, apath, a, sa)
            ee = self._evidence(q.event.record, epath, e, se)
            if t0 is not None and e_date is not None:
                ee.note = ((ee.note + "; ") if ee.note else "") + f"{(e_date - t0).days} days after the {q.from_} of {apath}"
            ev += [ae, ee]
        return ev

    def flag(self, m: ir.Flag) -> Value:
        adm = self.p.administrative
        label = m.name.replace("_", " ")
        if m.name == "informed_consent":
            c = adm.informed_consent
            if c is not None and (c.date is None or c.date <= self.as_of):  # signed later: not known then
                return Value(value=c.signed, pending=lambda: [Evidence(
                    "administrative.informed_consent", "informed consent", date=c.date, value=c.signed,
                    note="signed by a representative" if c.by_representative else None)])
        else:
            v = getattr(adm, m.name)
            if v is not None:
                return self._shared(m, "_yes" if v else "_no", lambda: Value(
                    value=bool(v), evidence=[Evidence(f"administrative.{m.name}", label, value=v)]))
        if m.policy == "assume_absent":
            return self._shared(m, "_absent", lambda: Value(value=False, evidence=[],
                                                             assumption=f"{label} not recorded: assumed no"))
        return self._shared(m, "_missing", lambda: Value(missing=label, reason="missing", evidence=[]))


def _test(v: Any, op: str, target: Any) -> bool:
    if op == "in":
        return v in target
    if op == "not_in":
        return v not in target
    if op == "eq":
        return bool(v == target)
    if op == "gt":
        return bool(v > target)
    if op == "ge":
        return bool(v >= target)
    if op == "lt":
        return bool(v < target)
    if op == "le":
        return bool(v <= target)
    raise ValueError(op)


_COMPUTE: dict[type, Callable[[PatientFacts, Any], Value]] = {
    ir.Records: PatientFacts.records,
    ir.Latest: PatientFacts.latest,
    ir.Age: PatientFacts.age,
    ir.Sex: PatientFacts._sex,
    ir.LatestResult: PatientFacts.latest_result,
    ir.Pairs: PatientFacts.pairs,
    ir.Flag: PatientFacts.flag,
    ir.Number: PatientFacts._number,
}
