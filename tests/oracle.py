"""A reference interpretation of the IR, straight from a patient profile: the test oracle.

It is written independently of `screening.runtime.facts`, `screening.ruleset.compile` and the engine, as a
plain recursive interpreter with Kleene three-valued logic, directly from the documented
semantics:

* numbers and counts are intervals; a comparison is true when the whole interval satisfies it,
  false when none of it does, unknown otherwise;
* a record matches a query YES, MAYBE (some detail needed by the query is not recorded) or NO;
  records dated after the screening date do not exist yet;
* no matching record and no record of the query's domain: 0 under `assume_absent`, else
  unknown upper bound.

Only unit conversion is shared with the engine (it has tests of its own).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from patients.model import PatientProfile
from screening.core.units import UnitError, convert
from screening.ruleset import ir

YES, MAYBE, NO = "yes", "maybe", "no"
ACTIVE = ("active", "recurrence", "relapse")

# the inputs of the derivation formulas (LOINC body weight, body height, serum/plasma creatinine)
WEIGHT = ir.CodeSet("body weight", frozenset({("loinc", "29463-7"), ("loinc", "3141-9")}))
HEIGHT = ir.CodeSet("body height", frozenset({("loinc", "8302-2"), ("loinc", "8308-9"), ("loinc", "3137-7")}))
CREATININE = ir.CodeSet("creatinine", frozenset({("loinc", "2160-0"), ("loinc", "14682-9")}))
DERIVATION_INPUTS = {"bmi": (WEIGHT, HEIGHT), "ckd_epi_2021": (CREATININE,), "cockcroft_gault": (CREATININE, WEIGHT)}


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit in ("days", "weeks"):
        return day + dt.timedelta(days=amount * (7 if unit == "weeks" else 1))
    months = day.year * 12 + (day.month - 1) + amount * (12 if unit == "years" else 1)
    year, month = divmod(months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError


def codings_of(r: Any) -> list[Any]:
    """Every coding of a record (none for a visit without a type)."""
    return [] if r.code is None else [r.code, *r.other_codes]


class Oracle:
    def __init__(self, profile: PatientProfile, as_of: dt.date):
        self.p = profile
        self.as_of = as_of

    def ago(self, d: Any) -> dt.date:
        return shift(self.as_of, -d.amount, d.unit)

    # -- logic -----------------------------------------------------------------------------
    def truth(self, node: ir.Node) -> bool | None:
        if isinstance(node, ir.Labelled):
            return self.truth(node.item)
        if isinstance(node, ir.Not):
            t = self.truth(node.item)
            return None if t is None else not t
        if isinstance(node, ir.And):
            ts = [self.truth(x) for x in node.items]
            if any(t is False for t in ts):
                return False
            return None if any(t is None for t in ts) else True
        if isinstance(node, ir.Or):
            ts = [self.truth(x) for x in node.items]
            if any(t is True for t in ts):
                return True
            return None if any(t is None for t in ts) else False
        if isinstance(node, ir.Compare):
            lo, hi = self.interval(node.measure)
            t = node.value
            sure = {"ge": lambda a: a >= t, "gt": lambda a: a > t, "le": lambda a: a <= t,
                    "lt": lambda a: a < t, "eq": lambda a: a == t}[node.op]
            if lo is not None and hi is not None and lo == hi:
                return sure(lo)
            # interval [lo, hi] with an open side: decide only when every value agrees
            if node.op in ("ge", "gt"):
                if lo is not None and sure(lo):
                    return True
                if hi is not None and not sure(hi):
                    return False
                return None
            if node.op in ("le", "lt"):
                if hi is not None and sure(hi):
                    return True
                if lo is not None and not sure(lo):
                    return False
                return None
            if (lo is not None and lo > t) or (hi is not None and hi < t):
                return False
            return None
        if isinstance(node, ir.OneOf):
            v = self.category(node.measure)
            return None if v is None else v in node.values
        if isinstance(node, ir.IsTrue):
            v = self.flag(node.measure)
            return None if v is None else v == node.expected
        raise TypeError(node)

    def status(self, c: ir.CriterionIR) -> str:
        if c.expr is None:
            return "review"
        t = self.truth(c.expr)
        if t is None:
            # `missing: fail`: unknown only because data is not recorded at all is not met
            return "fail" if c.policy == "fail" and self.absent_only(c.expr) else "unknown"
        if c.kind == "exclusion":
            t = not t
        return "pass" if t else "fail"

    def absent_only(self, node: ir.Node) -> bool:
        """An unknown node is unknown only because data is not recorded at all: every unknown
        part of it (the known parts of an unknown `all`/`any` do not decide it) lacks its data."""
        if isinstance(node, (ir.Labelled, ir.Not)):
            return self.absent_only(node.item)
        if isinstance(node, (ir.And, ir.Or)):
            return all(self.absent_only(x) for x in node.items if self.truth(x) is None)
        return self.absent(node.measure)  # type: ignore[attr-defined]

    def absent(self, m: ir.Measure) -> bool:
        """Nothing at all is recorded of what the measure reads (not stale, unusable or doubtful)."""
        if isinstance(m, ir.Sex):
            return self.p.sex is None or self.p.sex.value == "unknown"
        if isinstance(m, ir.Age):
            return self.p.birth_date is None
        if isinstance(m, ir.Flag):
            return self.flag(m) is None
        if isinstance(m, ir.Number):
            return getattr(self.p.administrative, m.name) is None
        if isinstance(m, (ir.Latest, ir.LatestResult, ir.LatestRatio)):
            # no result of the test at any date (a stale one, or one without a value, unit or reference
            # range, is there but unusable); a derived value also lacks every input of its formula
            # (one input alone is data to derive from, not nothing at all)
            inputs = DERIVATION_INPUTS[m.derive] if isinstance(m, ir.Latest) and m.derive else ()
            return all(self.newest(codes, None) is None for codes in (m.codes, *inputs))
        if isinstance(m, ir.Records):
            return not self.matching(m) and not self.stale(m) and not self.domain(m)
        if isinstance(m, ir.Pairs):
            # no pair, and no record of what the anchor or the event is about; a window nobody assessed
            # or still open is doubt, not absence (nor is a pair that may be one)
            return not self.paired(m) and not (self.domain(m.anchor) and self.domain(m.event))
        raise TypeError(m)

    # -- measures --------------------------------------------------------------------------
    def category(self, m: ir.Measure) -> str | None:
        if isinstance(m, ir.Sex):
            s = self.p.sex
            return None if s is None or s.value == "unknown" else s.value
        if isinstance(m, ir.LatestResult):
            o = self.newest(m.codes, m.within)  # the newest test decides, coded result or not
            return None if o is None or o.result is None else o.result.lower()
        raise TypeError(m)

    def newest(self, codes: ir.CodeSet, within: Any) -> Any:
        """The most recent observation of the codes by any of its codings (the last one listed on its
        day), if it is within the window; else None."""
        obs = [(o.date, i, o) for i, o in enumerate(self.p.observations)
               if o.date <= self.as_of and any(codes.matches(c.system, c.code) for c in [o.code, *o.other_codes])]
        if not obs:
            return None
        date, _, o = max(obs, key=lambda x: (x[0], x[1]))
        return None if within is not None and date < self.ago(within) else o

    def flag(self, m: ir.Flag) -> bool | None:
        adm = self.p.administrative
        if m.name == "informed_consent":
            v = adm.informed_consent.signed if adm.informed_consent else None
        else:
            v = getattr(adm, m.name)
        if v is None and m.policy == "assume_absent":
            return False
        return v

    def interval(self, m: ir.Measure) -> tuple[float | None, float | None]:
        if isinstance(m, ir.Age):
            b = self.p.birth_date
            if b is None or b > self.as_of:
                return None, None
            years = self.as_of.year - b.year
            if (self.as_of.month, self.as_of.day) < (b.month, b.day):
                years -= 1
            return float(years), float(years)
        if isinstance(m, ir.Number):
            v = getattr(self.p.administrative, m.name)
            return (None, None) if v is None else (float(v), float(v))
        if isinstance(m, ir.Latest):
            recorded = self.recorded(m)
            if recorded == (None, None) and m.derive is not None:
                return self.derived(m)
            return recorded
        if isinstance(m, ir.LatestRatio):
            return self.ratio(m)
        if isinstance(m, ir.Records):
            found = self.matching(m)
            yes = sum(1 for _, s in found if s == YES)
            if not found and self.stale(m):
                return (0.0, 0.0) if m.policy == "assume_absent" else (0.0, None)
            if found and m.distinct_days:
                return self.days(m, found)
            if found or self.domain(m):
                return float(yes), float(len(found))
            return (0.0, 0.0) if m.policy == "assume_absent" else (0.0, None)
        if isinstance(m, ir.Pairs):
            return self.pairs(m)
        raise TypeError(m)

    def recorded(self, m: ir.Latest) -> tuple[float | None, float | None]:
        o = self.newest(m.codes, m.within)  # the newest result decides, usable or not
        if o is None or o.value is None:
            return None, None
        if o.unit is None and m.unit != "1":
            return None, None  # a bare number is never read as a quantity with a unit
        try:
            v = convert(o.value, o.unit, m.unit, m.molar_mass)
        except UnitError:
            return None, None
        comp = o.comparator.value if o.comparator else None
        if comp in ("<", "<="):
            return None, v
        if comp in (">", ">="):
            return v, None
        return v, v

    def derived(self, m: ir.Latest) -> tuple[float | None, float | None]:
        """BMI, CKD-EPI 2021 eGFR or Cockcroft-Gault clearance from the newest inputs, in m's unit."""
        def newest(cs: ir.CodeSet, unit: str, within: Any, molar_mass: float | None = None) -> tuple[Any, float | None]:
            o = self.newest(cs, within)
            if o is None or o.value is None or o.unit is None or o.comparator is not None:
                return o, None
            try:
                return o, convert(o.value, o.unit, unit, molar_mass)
            except UnitError:
                return o, None

        weight = newest(WEIGHT, "kg", m.within)[1]
        if m.derive == "bmi":
            height = newest(HEIGHT, "m", None)[1]
            if weight is None or height is None or height <= 0:
                return None, None
            value, unit = weight / height ** 2, "kg/m2"
        else:
            o, scr = newest(CREATININE, "mg/dL", m.within, 113.12)
            b, sex = self.p.birth_date, self.p.sex.value if self.p.sex else None
            if scr is None or scr <= 0 or b is None or sex not in ("female", "male"):
                return None, None
            age = o.date.year - b.year - ((o.date.month, o.date.day) < (b.month, b.day))
            if age < 18:
                return None, None
            female = sex == "female"
            if m.derive == "ckd_epi_2021":
                k, a = (0.7, -0.241) if female else (0.9, -0.302)
                value = 142 * min(scr / k, 1) ** a * max(scr / k, 1) ** -1.2 * 0.9938 ** age * (1.012 if female else 1)
                unit = "mL/min/{1.73_m2}"
            else:
                if weight is None:
                    return None, None
                value, unit = (140 - age) * weight / (72 * scr) * (0.85 if female else 1), "mL/min"
        v = convert(float(f"{value:.9g}"), unit, m.unit)
        return v, v

    def ratio(self, m: ir.LatestRatio) -> tuple[float | None, float | None]:
        """The newest result over the limit of its own reference range, else the stated fallback."""
        o = self.newest(m.codes, m.within)
        if o is None or o.value is None:
            return None, None
        rr = o.reference_range
        if rr is not None and getattr(rr, m.limit) is not None:
            limit, unit = getattr(rr, m.limit), rr.unit or o.unit
        elif m.fallback is not None:
            limit, unit = m.fallback, m.fallback_unit
        else:
            return None, None
        try:
            limit = convert(limit, unit if unit != "1" else None, o.unit or unit or "1", m.molar_mass)
        except UnitError:
            return None, None
        if limit <= 0:
            return None, None
        r = float(f"{o.value / limit:.9g}")
        comp = o.comparator.value if o.comparator else None
        return (None, r) if comp in ("<", "<=") else (r, None) if comp in (">", ">=") else (r, r)

    # -- records ---------------------------------------------------------------------------
    def records(self, q: ir.Records) -> list[Any]:
        if q.record == "participation":
            return list(self.p.administrative.trial_participations)
        recs = list(getattr(self.p, {"condition": "conditions", "observation": "observations",
                                     "medication": "medications", "procedure": "procedures",
                                     "lesion": "lesions", "encounter": "encounters",
                                     "allergy": "allergies"}[q.record]))
        if q.latest_per_lesion:
            newest: dict[Any, Any] = {}
            for i, r in enumerate(recs):
                if r.date > self.as_of:
                    continue
                key = r.lesion_id or r.site or i
                if key not in newest or newest[key].date <= r.date:
                    newest[key] = r
            recs = list(newest.values())
        return recs

    def domain(self, q: ir.Records) -> list[Any]:
        """Records the query is about (by code), known at the screening date."""
        out = []
        for r in self.records(q):
            start = self.period(q.record, r)[0]
            if start is not None and start > self.as_of:
                continue
            if q.codes is None or self.coded_as(q, r) != NO:
                out.append(r)
        return out

    @staticmethod
    def _has(phrases: tuple[str, ...], text: str) -> bool:
        return any(re.search(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in p.split()) + r"(?!\w)", text, re.I)
                   for p in phrases if p.strip())

    def _names(self, cs: ir.CodeSet | None, r: Any) -> bool:
        """Does the text of one of the record's codings name the concept (a name, and no not-name)?"""
        if cs is None:
            return False
        return any(self._has(cs.names, c.display or "") and not self._has(cs.not_names, c.display or "")
                   for c in codings_of(r))

    def coded_as(self, q: ir.Records, r: Any) -> str:
        """YES: a coding is in the code set; MAYBE: one is listed as possible, or the record's text
        names the concept (and not its exception); NO otherwise."""
        assert q.codes is not None
        codings = codings_of(r)
        if any(q.codes.matches(c.system, c.code) for c in codings):
            return YES
        if any((c.system, c.code) in q.codes.possible for c in codings):
            return MAYBE
        if self._names(q.codes, r) and not self._names(q.exclude, r):
            return MAYBE
        # a prescription coded only in systems the codes are not written in (RxNorm, a concept in ATC)
        written_in = {s for s, _ in q.codes.exact} | {s for s, _ in q.codes.prefixes} | {s for s, _ in q.codes.possible}
        if q.record == "medication" and written_in and codings and not any(c.system in written_in for c in codings):
            # unless it is coded only in CVX (vaccines, ATC J07) and the set holds no vaccine
            vaccines = any(s == "atc" and (c.startswith("J07") or "J07".startswith(c)) for s, c in q.codes.prefixes) \
                or any(s == "atc" and c.startswith("J07") for s, c in q.codes.exact | q.codes.possible)
            if vaccines or any(c.system != "cvx" for c in codings):
                return MAYBE
        return NO

    @staticmethod
    def excepted(q: ir.Records, r: Any) -> str:
        assert q.exclude is not None
        codings = codings_of(r)
        if any(q.exclude.matches(c.system, c.code) for c in codings):
            return YES
        return MAYBE if any((c.system, c.code) in q.exclude.possible for c in codings) else NO

    def course_over(self, kind: str, r: Any, course: Any) -> dt.date | None:
        """The end a diagnosis without one is given by its natural course, once that has run."""
        if kind != "condition" or course is None or r.abatement is not None or r.onset is None:
            return None
        end = shift(r.onset, course.amount, course.unit)
        return end if end < self.as_of else None

    def period(self, kind: str, r: Any, course: Any = None) -> tuple[dt.date | None, dt.date | None, bool]:
        """(start, end, ongoing) as known at the screening date: a later end was not known then."""
        if kind == "encounter":  # a visit is one day; a stay in hospital lasts until its discharge
            if r.end is not None and r.end <= self.as_of:
                return r.start, r.end, False
            return (r.start, None, True) if r.class_.value == "inpatient" else (r.start, r.start, False)
        if kind == "allergy":  # a state from its onset, active unless its status says otherwise
            return r.onset, None, r.clinical_status is None or r.clinical_status.value == "active"
        if kind == "condition" and r.abatement is not None and r.abatement > self.as_of:
            return r.onset, None, True
        over = self.course_over(kind, r, course)
        if over is not None:
            return r.onset, over, False
        if kind in ("medication", "participation") and r.end is not None and r.end > self.as_of:
            return r.start, None, True
        if kind == "condition":
            ongoing = r.abatement is None and (r.clinical_status is None or r.clinical_status.value in ACTIVE)
            return r.onset, r.abatement, ongoing
        if kind in ("medication", "participation"):
            return r.start, r.end, r.end is None and r.start is not None  # undated: not known to go on
        return r.date, r.date, False

    def active(self, kind: str, r: Any, course: Any = None) -> str:
        if kind == "allergy":
            if r.clinical_status is None:
                return MAYBE
            return YES if r.clinical_status.value == "active" else NO
        if kind == "encounter":
            return YES if self.period(kind, r)[2] else NO
        if kind == "condition":
            if r.abatement is not None:
                return NO if r.abatement <= self.as_of else YES
            if self.course_over(kind, r, course) is not None:
                return NO
            if r.clinical_status is None:
                return MAYBE
            return YES if r.clinical_status.value in ACTIVE else NO
        if kind in ("medication", "participation"):
            if (r.start is not None and r.start > self.as_of) or (r.end is not None and r.end < self.as_of):
                return NO
            return YES if r.start is not None else MAYBE
        return YES

    def one(self, q: ir.Records, r: Any) -> str:
        kind = q.record
        answers = [YES]
        if q.codes is not None:
            coded = self.coded_as(q, r)
            if coded == NO:
                return NO
            answers.append(coded)
        if q.exclude is not None:
            excepted = self.excepted(q, r)
            if excepted == YES:
                return NO
            answers.append(YES if excepted == NO else MAYBE)
        course = q.codes.natural_course if q.codes is not None else None
        start, end, ongoing = self.period(kind, r, course)
        if start is not None and start > self.as_of:
            return NO
        if q.within is not None and q.window_end is not None:
            first_day, last_day = self.ago(q.within), self.ago(q.window_end)
            if (start is not None and start > last_day) or (end is not None and end < first_day):
                return NO
            if start is None:
                if end is None or end > last_day:
                    answers.append(MAYBE)
            elif start < first_day and end is None and not ongoing:
                answers.append(MAYBE)
        elif q.within is not None:
            first_day = self.ago(q.within)
            if end is not None and end <= self.as_of:
                if end < first_day:
                    return NO
            elif not ongoing and not (start is not None and start >= first_day):
                answers.append(MAYBE)
        if q.onset_at_least is not None:
            if start is None:
                answers.append(MAYBE)
            elif start > self.ago(q.onset_at_least):
                return NO
        if q.active is not None:
            a = self.active(kind, r, course)
            if a == MAYBE:
                answers.append(MAYBE)
            elif (a == YES) != q.active:
                return NO
        if q.confirmed_by:
            have = {c.strip().lower() for c in r.criteria}
            want = {c.strip().lower() for c in q.confirmed_by}
            if not have:
                answers.append(MAYBE)
            elif not have & want:
                return NO
        for f in q.filters:
            v = self.daily_dose(r, f.unit) if f.attr == "daily_dose" else getattr(r, f.attr, None)
            if v is None:
                if f.op not in ("not_in", "maybe_if_in"):
                    answers.append(MAYBE)
                continue
            v = getattr(v, "value", v)
            v = v.lower() if isinstance(v, str) else v
            if f.op == "maybe_if_in":  # a provisional diagnosis (say) may be the one
                if v in f.value:
                    answers.append(MAYBE)
                continue
            ok = {
                "in": lambda a, b: a in b, "not_in": lambda a, b: a not in b, "eq": lambda a, b: a == b,
                "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b,
                "le": lambda a, b: a <= b,
            }[f.op](v, f.value)
            if not ok:
                return NO
        return MAYBE if MAYBE in answers else YES

    def days(self, q: ir.Records, found: list[tuple[Any, str]]) -> tuple[float, float]:
        """Distinct days of the matching records: certain ones on known days (at least one when a
        certain match has no date), at most one more day for every other record."""
        sure = {self.period(q.record, r)[0] for r, s in found if s == YES}
        every = [self.period(q.record, r)[0] for r, _ in found]
        dated = {d for d in every if d is not None}
        lo = len(sure - {None}) or (1 if None in sure else 0)
        return float(lo), float(len(dated) + every.count(None))

    @staticmethod
    def daily_dose(r: Any, unit: str | None) -> float | None:
        """Dose per day as recorded, else dose x times a day (periods in days; UCUM's month and year)."""
        if r.dose is None or unit is None:
            return None
        try:
            return convert(r.dose.value, r.dose.unit, unit)
        except UnitError:
            pass
        f = r.frequency
        if f is None:
            return None
        days = {"min": 1 / 1440, "h": 1 / 24, "d": 1, "wk": 7, "mo": 30.4375, "a": 365.25}[f.period_unit] * f.period
        try:
            return convert(float(f"{r.dose.value * f.times / days:.9g}"), r.dose.unit + "/d", unit)
        except UnitError:
            return None

    def stale(self, q: ir.Records) -> bool:
        """Assessments (observations, lesions) exist that would match but for the window: the state
        within the window was not observed."""
        if q.within is None or q.record not in ("observation", "lesion"):
            return False
        unwindowed = dataclasses.replace(q, within=None, window_end=None)
        return any(self.one(unwindowed, r) != NO for r in self.domain(q))

    def matching(self, q: ir.Records) -> list[tuple[Any, str]]:
        out = []
        for r in self.records(q):
            s = self.one(q, r)
            if s != NO:
                out.append((r, s))
        return out

    def pairs(self, q: ir.Pairs) -> tuple[float | None, float | None]:
        yes, total, undecided = self.pair_counts(q)
        if total or (self.domain(q.anchor) and self.domain(q.event)):
            return float(yes), float(total + undecided)
        return (0.0, 0.0) if q.policy == "assume_absent" else (0.0, None)

    def paired(self, q: ir.Pairs) -> int:
        """How many (anchor, event) pairs may be ones (the event in the anchor's window, or undated)."""
        return self.pair_counts(q)[1]

    def pair_counts(self, q: ir.Pairs) -> tuple[int, int, int]:
        """(certain pairs, possible pairs, anchors whose window nobody assessed or is still open)."""
        yes = total = undecided = 0
        events = self.matching(q.event)
        assessed = [d for e in self.domain_by_code(q.event) if (d := self.period(q.event.record, e)[0]) is not None]
        for a, sa in self.matching(q.anchor):
            start, end, ongoing = self.period(q.anchor.record, a, q.anchor.codes.natural_course if q.anchor.codes else None)
            t0 = start if q.from_ == "start" else (None if ongoing else end)
            paired = 0
            for e, se in events:
                e_date = self.period(q.event.record, e)[0]
                if t0 is None or e_date is None:
                    if q.from_ == "end" and ongoing:
                        continue
                    paired += 1
                    continue
                if shift(t0, q.lo.amount, q.lo.unit) <= e_date <= shift(t0, q.hi.amount, q.hi.unit):
                    paired += 1
                    yes += sa == YES and se == YES
            total += paired
            if not paired and t0 is not None and q.policy == "unknown":
                first, last = shift(t0, q.lo.amount, q.lo.unit), shift(t0, q.hi.amount, q.hi.unit)
                # a window still open at the screening date, or one in which nothing was assessed
                if last > self.as_of or (q.event.record in ("observation", "lesion")
                                         and not any(first <= d <= last for d in assessed)):
                    undecided += 1
        return yes, total, undecided

    def domain_by_code(self, q: ir.Records) -> list[Any]:
        """Every record of the query's kind with a coding in its code set (no text match, every
        assessment of a lesion), known at the screening date."""
        kinds = {"condition": "conditions", "observation": "observations", "medication": "medications",
                 "procedure": "procedures", "lesion": "lesions", "encounter": "encounters", "allergy": "allergies"}
        recs = (self.p.administrative.trial_participations if q.record == "participation"
                else getattr(self.p, kinds[q.record]))
        out = []
        for r in recs:
            start = self.period(q.record, r)[0]
            if start is not None and start > self.as_of:
                continue
            if q.codes is None or any(q.codes.matches(c.system, c.code) or (c.system, c.code) in q.codes.possible
                                      for c in codings_of(r)):
                out.append(r)
        return out


def trial_statuses(trial: ir.TrialIR, profile: PatientProfile, as_of: dt.date) -> dict[str, str]:
    o = Oracle(profile, as_of)
    return {c.id: o.status(c) for c in trial.criteria}
