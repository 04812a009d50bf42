"""Compute IR measures from a patient profile at a screening date: the facts the engine sees.

Values are intervals or categories that say what is not known (see `values`). Demographic and
administrative measures are computed here; observations in `observations`, record queries in
`queries` (over the record domains of `domains`). Records dated after the screening date are
ignored (they were not known then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from patients.model import PatientProfile
from screening.core.timewindows import age_years
from screening.core.vocab import ADMINISTRATIVE_ITEMS
from screening.ruleset import ir
from screening.runtime.codeindex import CodeIndex
from screening.runtime.derived import latest_or_derived
from screening.runtime.domains import RecordDomains
from screening.runtime.observations import LatestObservations
from screening.runtime.queries import RecordQueries
from screening.runtime.records import RecordReader
from screening.runtime.results import trusted_evidence
from screening.runtime.values import SharedValues, Value


class PatientFacts:
    """Per-patient measure values, shared by every trial screened for that patient.

    With a `CodeIndex` the patient's records are sorted into the catalog's query domains up
    front; without one (tests, single measures) each domain is found when first asked for.
    """

    def __init__(self, profile: PatientProfile, as_of: dt.date, index: CodeIndex | None = None,
                 shared: SharedValues | None = None):
        # Nothing held here refers back to the facts object (helpers get the reader's and the
        # shared store's methods, evidence builders capture records, not `self`): a patient's
        # facts are freed by reference counting when screening ends, with no cycle for the
        # garbage collector to find.
        self.p = profile
        self.as_of = as_of
        self.cache: dict[int, Value] = {}  # measure number (of a screening plan) -> value
        self.shared = shared if shared is not None else SharedValues()
        # the value of a measure in a situation that is the same for every patient (`SharedValues.unrecorded`)
        self._unrecorded = self.shared.unrecorded
        self.reader = RecordReader(as_of)
        self.window_start = self.reader.window_start  # Duration -> first day of the window ending at as_of
        self.domains = RecordDomains(profile, as_of, index)
        self.queries = RecordQueries(self.domains, self.reader, as_of, self._unrecorded)
        self.observations = LatestObservations(profile.observations, as_of, self.window_start, self._unrecorded,
                                               self.domains.latest, index.observation_set if index else None)

    def get(self, number: int, m: ir.Measure) -> Value:
        v = self.cache.get(number)
        if v is None:
            v = self.cache[number] = self.compute(m)
        return v

    def compute(self, m: ir.Measure) -> Value:
        return _COMPUTE[type(m)](self, m)

    def unrecognised(self) -> list[tuple[str, Any, list[str]]]:
        """(kind, coding, paths) of the coded records no query of the catalog reads (see `RecordDomains`)."""
        return self.domains.unrecognised()

    # -- demographics and administrative facts ----------------------------------------------
    def sex(self, m: ir.Sex) -> Value:
        s = self.p.sex
        if s is None or s.value == "unknown":
            return self._unrecorded(m, "missing", Value, missing="sex", reason="missing")
        # the same value (and evidence) for every patient of that sex
        return self._unrecorded(m, f"sex {s.value}", lambda: Value(value=s.value, evidence=(
            trusted_evidence(record="sex", what="sex", value=s.value),)))

    def number(self, m: ir.Number) -> Value:
        v = getattr(self.p.administrative, m.name)
        label = ADMINISTRATIVE_ITEMS[m.name].label
        if v is None:
            return self._unrecorded(m, "missing", lambda: Value(missing=label, reason="missing"))
        return Value(lo=float(v), hi=float(v),
                     pending=lambda: (trusted_evidence(record=f"administrative.{m.name}", what=label, value=v),))

    def age(self, m: ir.Age) -> Value:
        b = self.p.birth_date
        if b is None:
            return self._unrecorded(m, "missing", Value, missing="birth date", reason="missing")
        if b > self.as_of:
            return Value(missing="birth date after the screening date", reason="unusable")
        as_of = self.as_of
        a = float(age_years(b, as_of))
        return Value(lo=a, hi=a, pending=lambda: (trusted_evidence(record="birth_date", what="birth date", date=b,
                                                           note=f"age {a:g} years on {as_of}"),))

    def flag(self, m: ir.Flag) -> Value:
        adm = self.p.administrative
        item = ADMINISTRATIVE_ITEMS[m.name]
        label = item.label
        if m.name == "informed_consent":
            c = adm.informed_consent
            if c is not None and (c.date is None or c.date <= self.as_of):  # signed later: not known then
                return Value(value=c.signed, pending=lambda: (trusted_evidence(
                    record="administrative.informed_consent", what=label, date=c.date, value=c.signed,
                    note="signed by a representative" if c.by_representative else None),))
        else:
            v = getattr(adm, m.name)
            if v is not None:
                return self._unrecorded(m, "yes" if v else "no", lambda: Value(
                    value=bool(v), evidence=(trusted_evidence(record=f"administrative.{m.name}", what=label, value=v),)))
        if m.policy == "assume_absent":
            return self._unrecorded(m, "absent", lambda: Value(value=False, assumption=f"{label} not recorded: assumed {item.absent}"))
        return self._unrecorded(m, "missing", Value, missing=label, reason="missing")


_COMPUTE: dict[type, Callable[[PatientFacts, Any], Value]] = {
    ir.Records: lambda f, m: f.queries.records(m),
    ir.Latest: lambda f, m: latest_or_derived(f, m) if m.derive else f.observations.latest(m),
    ir.LatestRatio: lambda f, m: f.observations.ratio(m),
    ir.Age: PatientFacts.age,
    ir.Sex: PatientFacts.sex,
    ir.LatestResult: lambda f, m: f.observations.latest_result(m),
    ir.Pairs: lambda f, m: f.queries.pairs(m),
    ir.Flag: PatientFacts.flag,
    ir.Number: PatientFacts.number,
}
