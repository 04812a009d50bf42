"""Compute IR measures from a patient profile at a screening date: the facts the engine sees.

Values are intervals or categories that say what is not known (see `values`); with no data at
all a count's upper bound is unbounded unless the criterion's policy is ``assume_absent``,
which the value records as an assumption. Records dated after the screening date are ignored
(they were not known then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from patients.model import Observation, PatientProfile
from screening.core.timewindows import Duration, age_years
from screening.core.units import UnitError, convert_value, normalise
from screening.ruleset import ir
from screening.runtime.codeindex import CodeIndex, named_patterns
from screening.runtime.records import (
    ASSESSMENTS,
    MAYBE,
    NO,
    RECORD_LIST,
    START_ATTR,
    UNCODED,
    YES,
    RecordReader,
    coding_label,
    describe_query,
)
from screening.runtime.results import Evidence
from screening.runtime.values import SharedValues, Value

Located = tuple[str, Any]  # (path into the profile, record)
# A record in a query's domain: (path, record, the coding that put it there, why it is only
# possibly there: None when a coding is certainly in the query's code set)
Entry = tuple[str, Any, Any, str | None]
Matched = tuple[str, Any, int, Any, str | None]  # (path, record, YES or MAYBE, coding, why possibly)
POSSIBLE_CODE, NAMED = "possible code", "named"
_EMPTY: list[Entry] = []


class PatientFacts:
    """Per-patient measure values, shared by every trial screened for that patient.

    With a `CodeIndex` the patient's records are sorted into the catalog's query domains up
    front; without one (tests, single measures) each domain is found when first asked for.
    """

    def __init__(self, profile: PatientProfile, as_of: dt.date, index: CodeIndex | None = None,
                 shared: SharedValues | None = None):
        self.p = profile
        self.as_of = as_of
        self.cache: dict[int, Value] = {}  # measure number (of a screening plan) -> value
        self.shared = shared if shared is not None else SharedValues()
        self._shared_values = self.shared.values
        self.reader = RecordReader(as_of, self.window_start)
        self._index = index
        self._window_start: dict[Duration, dt.date] = {}
        self._known_by_kind: dict[str, list[Located]] = {}
        self._domains: dict[Any, list[Entry]] = {}
        if index is not None:
            self._sort_into_domains(index)

    def _sort_into_domains(self, index: CodeIndex) -> None:
        """Every known record into the domain of each query one of its codings belongs to."""
        domains = self._domains
        for kind in index.kinds:
            known = self._known(kind)
            for d in index.uncoded.get(kind, ()):
                domains[d] = [(path, r, None, None) for path, r in known]
            if kind in UNCODED:
                continue
            for path, r in known:
                for c in r.codings():
                    for d, certain in index.domains_of_code(kind, c.system, c.code):
                        dom = domains.get(d)
                        if dom is None:
                            domains[d] = [(path, r, c, None if certain else POSSIBLE_CODE)]
                        elif dom[-1][1] is not r:
                            dom.append((path, r, c, None if certain else POSSIBLE_CODE))
                        elif certain and dom[-1][3] is not None:
                            dom[-1] = (path, r, c, None)  # a later coding is certainly in the set

    def window_start(self, d: Duration) -> dt.date:
        s = self._window_start.get(d)
        if s is None:
            s = self._window_start[d] = d.before(self.as_of)
        return s

    def get(self, number: int, m: ir.Measure) -> Value:
        v = self.cache.get(number)
        if v is None:
            v = self.cache[number] = self.compute(m)
        return v

    def compute(self, m: ir.Measure) -> Value:
        return _COMPUTE[type(m)](self, m)

    def _unrecorded(self, m: Any, situation: str, make: Callable[..., Value], *args: Any, **kwargs: Any) -> Value:
        """The value of a measure in a situation that is the same for every patient: built by
        `make(*args, **kwargs)` the first time, then shared."""
        v = self._shared_values.get((m, situation))
        return v if v is not None else self.shared.add(m, situation, make(*args, **kwargs))

    # -- demographics and administrative facts ----------------------------------------------
    def sex(self, m: ir.Sex) -> Value:
        s = self.p.sex
        if s is None or s.value == "unknown":
            return self._unrecorded(m, "missing", Value, missing="sex", reason="missing")
        return Value(value=s.value, evidence=(Evidence(record="sex", what="sex", value=s.value),))

    def number(self, m: ir.Number) -> Value:
        v = getattr(self.p.administrative, m.name)
        if v is None:
            return self._unrecorded(m, "missing", lambda: Value(missing=m.name.replace("_", " "), reason="missing"))
        return Value(lo=float(v), hi=float(v),
                     evidence=(Evidence(record=f"administrative.{m.name}", what=m.name, value=v),))

    def age(self, m: ir.Age) -> Value:
        b = self.p.birth_date
        if b is None:
            return self._unrecorded(m, "missing", Value, missing="birth date", reason="missing")
        if b > self.as_of:
            return Value(missing="birth date after the screening date", reason="unusable")
        a = float(age_years(b, self.as_of))
        return Value(lo=a, hi=a, evidence=(Evidence(record="birth_date", what="birth date", date=b,
                                                    note=f"age {a:g} years on {self.as_of}"),))

    def flag(self, m: ir.Flag) -> Value:
        adm = self.p.administrative
        label = m.name.replace("_", " ")
        if m.name == "informed_consent":
            c = adm.informed_consent
            if c is not None and (c.date is None or c.date <= self.as_of):  # signed later: not known then
                return Value(value=c.signed, pending=lambda: (Evidence(
                    record="administrative.informed_consent", what="informed consent", date=c.date, value=c.signed,
                    note="signed by a representative" if c.by_representative else None),))
        else:
            v = getattr(adm, m.name)
            if v is not None:
                return self._unrecorded(m, "yes" if v else "no", lambda: Value(
                    value=bool(v), evidence=(Evidence(record=f"administrative.{m.name}", what=label, value=v),)))
        if m.policy == "assume_absent":
            return self._unrecorded(m, "absent", lambda: Value(value=False, assumption=f"{label} not recorded: assumed no"))
        return self._unrecorded(m, "missing", Value, missing=label, reason="missing")

    # -- observations -----------------------------------------------------------------------
    def _latest_observation(self, codes: ir.CodeSet) -> tuple[int, Observation, Any] | None:
        """The most recent observation with a coding in `codes` known at the screening date (the
        later one of a day), with the coding that matched. Most recent means most recent: an
        unusable newest result is reported as such, never passed over for an older one."""
        as_of, match = self.as_of, codes.matches
        found = None
        for i, o in enumerate(self.p.observations):
            if o.date > as_of or (found is not None and o.date < found[1].date):
                continue
            coding = next((c for c in o.codings() if match(c.system, c.code)), None)
            if coding is not None:
                found = (i, o, coding)
        return found

    def latest(self, m: ir.Latest) -> Value:
        found = self._latest_observation(m.codes)
        if found is None:
            return self._unrecorded(m, "missing", lambda: Value(
                missing=m.codes.describe() + (f" within {m.within}" if m.within else ""), reason="missing"))
        i, o, coding = found

        def evidence(note: str | None = None, converted: float | None = None) -> Callable[[], tuple[Evidence, ...]]:
            # the converted value in the measure's unit, when it is not the recorded one
            return lambda: (Evidence(
                record=f"observations[{i}]", what=coding_label(coding.system, coding.code, coding.display),
                date=o.date, value=o.value if o.value is not None else o.result, unit=o.unit, note=note,
                converted_value=converted, converted_unit=m.unit if converted is not None else None),)

        name = m.codes.describe()
        if m.within is not None and o.date < self.window_start(m.within):
            return Value(pending=evidence(f"older than {m.within}"),
                         missing=f"{name} within {m.within} (latest is from {o.date})", reason="stale")
        if o.value is None:
            return Value(pending=evidence("no numeric value"), missing=f"{name} with a numeric value (the latest, "
                         f"from {o.date}, has none)", reason="unusable: the most recent result has no numeric value")
        if o.unit is None and m.unit != "1":
            # a bare number for a quantity with a unit (58 or 0.58 for an LVEF?) is not guessed
            return Value(pending=evidence("no unit recorded"), missing=f"{name} with its unit ({m.unit})",
                         reason="unusable unit: no unit recorded")
        try:
            c = convert_value(o.value, o.unit, m.unit, m.molar_mass, m.conversion)
        except UnitError as e:
            return Value(pending=evidence(str(e)), missing=f"{name} in a unit convertible to {m.unit}",
                         reason=f"unusable unit: {e}")
        v = c.value
        converted = v if normalise(o.unit) != m.unit else None
        comp = o.comparator.value if o.comparator else None
        if comp is None:
            return Value(lo=v, hi=v, pending=evidence(c.formula, converted))
        pending = evidence(f"censored value {comp}{o.value:g}" + (f"; {c.formula}" if c.formula else ""), converted)
        if comp in ("<", "<="):
            return Value(lo=None, hi=v, pending=pending)
        return Value(lo=v, hi=None, pending=pending)

    def latest_result(self, m: ir.LatestResult) -> Value:
        found = self._latest_observation(m.codes)
        name = m.codes.describe()
        if found is None:
            return self._unrecorded(m, "missing", lambda: Value(
                missing=f"{name} result" + (f" within {m.within}" if m.within else ""), reason="missing"))
        i, o, coding = found
        ev = (Evidence(record=f"observations[{i}]", what=coding_label(coding.system, coding.code, coding.display),
                       date=o.date, value=o.result if o.result is not None else o.value, unit=o.unit),)
        if m.within is not None and o.date < self.window_start(m.within):
            return Value(evidence=ev, missing=f"{name} result within {m.within} (latest is from {o.date})", reason="stale")
        if o.result is None:
            return Value(evidence=ev, missing=f"{name} result (the latest, from {o.date}, has a value but no coded "
                         "result)", reason="unusable: the most recent test has no coded result")
        return Value(value=o.result.lower(), evidence=ev)

    # -- record queries ---------------------------------------------------------------------
    def _records(self, kind: str) -> list[Located]:
        """(path, record) pairs of one kind, in the profile's order."""
        if kind == "participation":
            return [(f"administrative.trial_participations[{i}]", r)
                    for i, r in enumerate(self.p.administrative.trial_participations)]
        attr = RECORD_LIST[kind]
        return [(f"{attr}[{i}]", r) for i, r in enumerate(getattr(self.p, attr))]

    def _known(self, kind: str) -> list[Located]:
        """(path, record) of the records of one kind known at the screening date."""
        known = self._known_by_kind.get(kind)
        if known is None:
            start_attr, as_of = START_ATTR[kind], self.as_of
            known = []
            for path, r in self._records(kind):
                start = getattr(r, start_attr)
                if start is None or start <= as_of:  # later: not yet recorded at the screening date
                    known.append((path, r))
            self._known_by_kind[kind] = known
        return known

    def _domain(self, q: ir.Records) -> list[Entry]:
        """Records of the query's kind with a coding in its code set, known at the screening date."""
        if self._index is not None:
            return self._domains.get(self._index.domain_of[q], _EMPTY)  # sorted up front
        key = (q.record, q.codes)
        dom = self._domains.get(key)
        if dom is None:
            dom = self._domains[key] = []
            for path, r in self._known(q.record):
                found = q.codes.match_of(r.codings()) if q.codes is not None else (None, True)
                if found is not None:
                    dom.append((path, r, found[0], None if found[1] else POSSIBLE_CODE))
        return dom

    def _named(self, q: ir.Records, dom: list[Entry]) -> list[Entry]:
        """Records of the query's kind outside its domain whose text names its concept (and not an
        exception to it): never left out silently, they may match."""
        if self._index is not None:
            patterns = self._index.named.get(q)
        else:
            patterns = named_patterns(q)
        if patterns is None:
            return _EMPTY
        names, exceptions = patterns
        inside = {id(e[1]) for e in dom}
        out: list[Entry] = []
        for path, r in self._known(q.record):
            if id(r) in inside:
                continue
            coding = next((c for c in r.codings() if c.display and names.search(c.display)), None)
            if coding is not None and not (exceptions and any(c.display and exceptions.search(c.display)
                                                              for c in r.codings())):
                out.append((path, r, coding, NAMED))
        return out

    def _entries(self, q: ir.Records) -> list[Entry]:
        """The records a query considers: its domain and the records named like its concept."""
        dom = self._domain(q)
        entries = dom + self._named(q, dom) if q.codes is not None and q.codes.names else dom
        return _latest_per_lesion(entries) if q.latest_per_lesion and entries else entries

    def _scan(self, q: ir.Records) -> tuple[list[Matched], int]:
        """Matching records (path, record, YES/MAYBE, coding, why possibly) and how many records
        the query considered."""
        entries = self._entries(q)
        if not entries:
            return [], 0
        kind, match = q.record, self.reader.match
        found = []
        for path, r, coding, why in entries:
            s = match(q, kind, r)
            if s != NO:
                found.append((path, r, s if why is None else MAYBE, coding, why))
        return found, len(entries)

    def records(self, q: ir.Records) -> Value:
        found, considered = self._scan(q)
        if found:
            return Value(lo=float(sum(1 for f in found if f[2] == YES)), hi=float(len(found)),
                         pending=lambda: tuple(self._evidence(q, f) for f in found[:10]))
        if considered:
            older = self._before_window(q) if q.within is not None and q.record in ASSESSMENTS else None
            if older is not None:
                return self._stale(q, older)
            # records of the kind, none matching: the same answer for every such patient
            return self._unrecorded(q, "none", Value, 0.0, 0.0)
        return self._unrecorded(q, "absent", _nothing_recorded, q.policy, q)

    def _before_window(self, q: ir.Records) -> Entry | None:
        """The most recent record that would match the query but for its window (None if none)."""
        period, newest, best = self.reader.period, None, None
        for e in self._entries(q):
            if self.reader.match(q, q.record, e[1], window=False) != NO:
                start, end, _ = period(q.record, e[1])
                day = end or start
                if best is None or (day is not None and day >= best):
                    newest, best = e, day
        return newest

    def _stale(self, q: ir.Records, older: Entry) -> Value:
        """Records exist, none within the window: not a confident 'none' (unless the rule set
        chose to take what is not recorded as absent); names the most recent one."""
        path, r, coding, _ = older
        start, end, _ = self.reader.period(q.record, r)
        when = f"from {start} to {end}" if start and end and start != end else f"from {end or start}"
        what = f"{describe_query(q)} within the past {q.within}"
        latest = f"the latest, {path}, is {when}"
        ev = (self.reader.evidence(q.record, path, r, YES, coding, f"before the {q.within} window"),)
        if q.policy == "assume_absent":
            return Value(lo=0.0, hi=0.0, evidence=ev, assumption=f"no {what} recorded ({latest}): assumed absent")
        return Value(lo=0.0, hi=None, evidence=ev, missing=f"{what} ({latest})", reason="stale")

    def _evidence(self, q: ir.Records, m: Matched, note: str | None = None) -> Evidence:
        path, r, s, coding, why = m
        doubts = self.reader.doubts(q, q.record, r) if s == MAYBE else None
        if why is not None and doubts is not None:
            doubts.insert(0, f"its code names {q.codes.describe()} only possibly" if why == POSSIBLE_CODE  # type: ignore[union-attr]
                          else f"not coded as {q.codes.describe()}, but its text names it")  # type: ignore[union-attr]
        return self.reader.evidence(q.record, path, r, s, coding, note, doubts)

    def pairs(self, q: ir.Pairs) -> Value:
        anchors, in_anchor_domain = self._scan(q.anchor)
        events, in_event_domain = self._scan(q.event) if in_anchor_domain else ([], 0)
        pairs = list(self._pairs(q, anchors, events))
        if pairs or (in_anchor_domain and in_event_domain):
            undecided = self._undecided_windows(q, anchors, pairs)
            shown = pairs[:5]
            lo, hi = float(sum(1 for p in pairs if p[-1] == YES)), float(len(pairs))
            if undecided and q.policy == "unknown":
                return Value(lo=lo, hi=hi + len(undecided), missing=undecided[0][1], reason="window not observed",
                             pending=lambda: self._pair_evidence(q, shown) + self._window_evidence(q, undecided))
            assumption = f"{undecided[0][1]}: assumed absent" if undecided else None
            return Value(lo=lo, hi=hi, assumption=assumption,
                         pending=lambda: self._pair_evidence(q, shown) + self._window_evidence(q, undecided))
        # no anchor or no event recorded: the same answer for every such patient
        if not in_anchor_domain:
            return self._unrecorded(q, "no anchor", _nothing_recorded, q.policy, q.anchor)
        return self._unrecorded(q, "no event", _nothing_recorded, q.policy, q.event)

    def _pairs(self, q: ir.Pairs, anchors: list[Matched], events: list[Matched]) -> Any:
        """(anchor, event, t0, event date, YES/MAYBE) for each pair with the event in the window."""
        period = self.reader.period
        for a in anchors:
            ongoing = period(q.anchor.record, a[1])[2]
            t0 = self._anchor_time(q, a)
            for e in events:
                e_date = period(q.event.record, e[1])[0]
                if t0 is None or e_date is None:
                    s = MAYBE if (q.from_ == "start" or not ongoing) else NO
                elif q.lo.after(t0) <= e_date <= q.hi.after(t0):
                    s = min(a[2], e[2])
                else:
                    continue
                if s != NO:
                    yield a, e, t0, e_date, s

    def _undecided_windows(self, q: ir.Pairs, anchors: list[Matched], pairs: list[Any]) -> list[tuple[Matched, str]]:
        """Anchors without a pair whose window the records do not cover: it ends after the
        screening date, or no event record of any kind falls in it (nothing was assessed then)."""
        paired = {id(p[0][1]) for p in pairs}
        # every record of the event's codes counts as an assessment then (whatever it found)
        event_days = [d for e in self._domain(q.event)
                      if (d := self.reader.period(q.event.record, e[1])[0]) is not None]
        out = []
        for a in anchors:
            t0 = self._anchor_time(q, a)
            if id(a[1]) in paired or t0 is None:
                continue
            first, last = q.lo.after(t0), q.hi.after(t0)
            what = describe_query(q.event)
            if last > self.as_of:
                out.append((a, f"{what} from {first} (after {a[0]}) to the screening date, in a window still "
                               "open then"))
            elif q.event.record in ASSESSMENTS and not any(first <= d <= last for d in event_days):
                out.append((a, f"{what} from {first} to {last} (after {a[0]}): none recorded then"))
        return out

    def _anchor_time(self, q: ir.Pairs, a: Matched) -> dt.date | None:
        start, end, ongoing = self.reader.period(q.anchor.record, a[1])
        return start if q.from_ == "start" else (None if ongoing else end)

    def _window_evidence(self, q: ir.Pairs, undecided: list[tuple[Matched, str]]) -> tuple[Evidence, ...]:
        return tuple(self._evidence(q.anchor, a, f"no decision yet: {why}") for a, why in undecided[:5])

    def _pair_evidence(self, q: ir.Pairs, shown: list[Any]) -> tuple[Evidence, ...]:
        ev: list[Evidence] = []
        for anchor, event, t0, e_date, _ in shown:
            after = f"{(e_date - t0).days} days after the {q.from_} of {anchor[0]}" if t0 is not None and e_date is not None else None
            ev += [self._evidence(q.anchor, anchor), self._evidence(q.event, event, after)]
        return tuple(ev)

    def unrecognised(self) -> list[tuple[str, Any, list[str]]]:
        """(kind, coding, paths) of the coded records known at the screening date that no query of
        the catalog reads by any of their codings: what the rules could not see."""
        if self._index is None:
            return []
        recognises = self._index.recognises
        out: dict[tuple[str, str, str], tuple[str, Any, list[str]]] = {}
        for kind in ("condition", "observation", "medication", "procedure"):
            for path, r in self._known(kind):
                if not any(recognises(kind, c.system, c.code) for c in r.codings()):
                    key = (kind, r.code.system, r.code.code)
                    out.setdefault(key, (kind, r.code, []))[2].append(path)
        return list(out.values())


def _nothing_recorded(policy: ir.Policy, q: ir.Records) -> Value:
    """Nothing the query looks for is recorded: assumed absent, or unknown (an unbounded count)."""
    if policy == "assume_absent":
        return Value(lo=0.0, hi=0.0, assumption=f"no {describe_query(q)} recorded: assumed absent")
    return Value(lo=0.0, hi=None, missing=describe_query(q), reason="missing")


def _latest_per_lesion(entries: list[Entry]) -> list[Entry]:
    """Each lesion's most recent assessment (a lesion is known by its id, else its site)."""
    latest: dict[Any, Entry] = {}
    for e in entries:
        path, r = e[0], e[1]
        key = r.lesion_id or r.site or path
        if key not in latest or latest[key][1].date <= r.date:
            latest[key] = e
    return list(latest.values())


_COMPUTE: dict[type, Callable[[PatientFacts, Any], Value]] = {
    ir.Records: PatientFacts.records,
    ir.Latest: PatientFacts.latest,
    ir.Age: PatientFacts.age,
    ir.Sex: PatientFacts.sex,
    ir.LatestResult: PatientFacts.latest_result,
    ir.Pairs: PatientFacts.pairs,
    ir.Flag: PatientFacts.flag,
    ir.Number: PatientFacts.number,
}
