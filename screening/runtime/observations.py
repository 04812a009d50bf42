"""The values of observation measures: the most recent result of a test, as a number in the
measure's unit (converted, censored, stale or unusable as recorded) or as a coded result.

Most recent means most recent: an unusable newest result is reported as such, never passed over
for an older one; a bare number without its unit is not guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from patients.model import Observation
from screening.core.timewindows import Duration
from screening.core.units import UnitError, convert_value, normalise
from screening.ruleset import ir
from screening.runtime.records import coding_label
from screening.runtime.results import Evidence, trusted_evidence
from screening.runtime.values import Value

Pending = Callable[[], tuple[Evidence, ...]]


class LatestObservations:
    """Observation values for one patient at one screening date."""

    def __init__(self, observations: Sequence[Observation], as_of: dt.date,
                 window_start: Callable[[Duration], dt.date], unrecorded: Callable[..., Value],
                 found: dict[int, tuple[int, Observation, Any]] | None = None, set_of: dict[int, int] | None = None):
        self.observations = observations
        self.as_of = as_of
        self.window_start = window_start
        self._unrecorded = unrecorded
        # found up front (see `RecordDomains`): code set number -> latest; `set_of`: the number of
        # each code set object of the catalog's latest values
        self._found, self._set_of = found, set_of

    def _latest(self, codes: ir.CodeSet) -> tuple[int, Observation, Any] | None:
        """The most recent observation with a coding in `codes` known at the screening date (the
        later one of a day), with the coding that matched."""
        if self._found is not None and self._set_of is not None:
            n = self._set_of.get(id(codes))
            if n is not None:
                return self._found.get(n)
        as_of, match = self.as_of, codes.matches
        found = None
        for i, o in enumerate(self.observations):
            if o.date > as_of or (found is not None and o.date < found[1].date):
                continue
            coding = next((c for c in o.codings() if match(c.system, c.code)), None)
            if coding is not None:
                found = (i, o, coding)
        return found

    def latest(self, m: ir.Latest) -> Value:
        found = self._latest(m.codes)
        if found is None:
            return self._unrecorded(m, "missing", lambda: Value(
                missing=m.codes.describe() + (f" within {m.within}" if m.within else ""), reason="missing"))
        i, o, coding = found

        def evidence(note: str | None = None, converted: float | None = None) -> Pending:
            # the converted value in the measure's unit, when it is not the recorded one
            return lambda: (trusted_evidence(
                record=f"observations[{i}]", what=coding_label(coding.system, coding.code, coding.display),
                date=o.date, value=o.value if o.value is not None else o.result, unit=o.unit, note=note,
                converted_value=converted, converted_unit=m.unit if converted is not None else None),)

        unusable = self._unusable(m, o, evidence)
        if unusable is not None:
            return unusable
        assert o.value is not None
        try:
            c = convert_value(o.value, o.unit, m.unit, m.molar_mass, m.conversion)
        except UnitError as e:
            return Value(pending=evidence(str(e)), missing=f"{m.codes.describe()} in a unit convertible to {m.unit}",
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

    def _stale_or_valueless(self, m: ir.Latest | ir.LatestRatio, o: Observation,
                            evidence: Callable[..., Pending]) -> Value | None:
        """The value of a latest result older than the window or without a number (None otherwise)."""
        name = m.codes.describe()
        if m.within is not None and o.date < self.window_start(m.within):
            return Value(pending=evidence(f"older than {m.within}"),
                         missing=f"{name} within {m.within} (latest is from {o.date})", reason="stale")
        if o.value is None:
            return Value(pending=evidence("no numeric value"), missing=f"{name} with a numeric value (the latest, "
                         f"from {o.date}, has none)", reason="unusable: the most recent result has no numeric value")
        return None

    def _unusable(self, m: ir.Latest, o: Observation, evidence: Callable[..., Pending]) -> Value | None:
        """The value of a latest result too old, without a number or without its unit (None if usable)."""
        name = m.codes.describe()
        old_or_empty = self._stale_or_valueless(m, o, evidence)
        if old_or_empty is not None:
            return old_or_empty
        if o.unit is None and m.unit != "1":
            # a bare number for a quantity with a unit (58 or 0.58 for an LVEF?) is not guessed
            return Value(pending=evidence("no unit recorded"), missing=f"{name} with its unit ({m.unit})",
                         reason="unusable unit: no unit recorded")
        return None

    def ratio(self, m: ir.LatestRatio) -> Value:
        """The latest value as a multiple of its upper (or lower) limit of normal: the record's own
        reference range, else the value set's stated range (an assumption, said so), else unknown."""
        found = self._latest(m.codes)
        name, lim = m.codes.describe(), m.limit_name
        if found is None:
            return self._unrecorded(m, "missing", lambda: Value(
                missing=name + (f" within {m.within}" if m.within else ""), reason="missing"))
        i, o, coding = found

        def evidence(note: str | None = None, ratio: float | None = None) -> Pending:
            return lambda: (trusted_evidence(
                record=f"observations[{i}]", what=coding_label(coding.system, coding.code, coding.display),
                date=o.date, value=o.value if o.value is not None else o.result, unit=o.unit, note=note,
                converted_value=ratio, converted_unit=f"x {lim}" if ratio is not None else None),)

        old_or_empty = self._stale_or_valueless(m, o, evidence)
        if old_or_empty is not None:
            return old_or_empty
        assert o.value is not None
        limit = _limit_of(m, o)
        if limit is None:
            return Value(pending=evidence("no reference range recorded"),
                         missing=f"the reference range ({lim}) of {name} from {o.date}",
                         reason=f"unusable: no {lim} recorded with the result and none stated for {name}")
        value, unit, source, assumption = limit
        try:
            k = convert_value(value, unit, o.unit or unit or "1", m.molar_mass, m.conversion).value
        except UnitError as e:
            return Value(pending=evidence(f"{lim} {value:g} {unit}: {e}"),
                         missing=f"{name} with a reference range in its unit", reason=f"unusable unit: {e}")
        if k <= 0:
            return Value(pending=evidence(f"{lim} {value:g} is not a limit to divide by"),
                         missing=f"the reference range ({lim}) of {name}", reason=f"unusable: {lim} is {value:g}")
        ratio = float(f"{o.value / k:.9g}")
        note = f"{ratio:g} x {lim}; {lim} {value:g}{' ' + unit if unit and unit != '1' else ''} ({source})"
        comp = o.comparator.value if o.comparator else None
        pending = evidence(note if comp is None else f"censored value {comp}{o.value:g}; {note}", ratio)
        if comp in ("<", "<="):
            return Value(lo=None, hi=ratio, pending=pending, assumption=assumption)
        if comp in (">", ">="):
            return Value(lo=ratio, hi=None, pending=pending, assumption=assumption)
        return Value(lo=ratio, hi=ratio, pending=pending, assumption=assumption)

    def latest_result(self, m: ir.LatestResult) -> Value:
        found = self._latest(m.codes)
        name = m.codes.describe()
        if found is None:
            return self._unrecorded(m, "missing", lambda: Value(
                missing=f"{name} result" + (f" within {m.within}" if m.within else ""), reason="missing"))
        i, o, coding = found

        def ev() -> tuple[Evidence, ...]:
            return (trusted_evidence(record=f"observations[{i}]", what=coding_label(coding.system, coding.code, coding.display),
                             date=o.date, value=o.result if o.result is not None else o.value, unit=o.unit),)
        if m.within is not None and o.date < self.window_start(m.within):
            return Value(pending=ev, missing=f"{name} result within {m.within} (latest is from {o.date})", reason="stale")
        if o.result is None:
            return Value(pending=ev, missing=f"{name} result (the latest, from {o.date}, has a value but no coded "
                         "result)", reason="unusable: the most recent test has no coded result")
        return Value(value=o.result.lower(), pending=ev)


def _limit_of(m: ir.LatestRatio, o: Observation) -> tuple[float, str | None, str, str | None] | None:
    """(limit, its unit, where it comes from, the assumption made) for a result: the record's own
    reference range, else the value set's stated one; None when neither gives the limit."""
    rr = o.reference_range
    own = getattr(rr, m.limit) if rr is not None else None
    if rr is not None and own is not None:
        span = f"{rr.low:g}-{rr.high:g}" if rr.low is not None and rr.high is not None else f"{own:g}"
        unit = rr.unit or o.unit
        return float(own), unit, f"the record's reference range {span}{' ' + unit if unit else ''}", None
    if m.fallback is None:
        return None
    where = m.fallback_source or "the rule set"
    unit = m.fallback_unit if m.fallback_unit != "1" else None
    said = f"{m.fallback:g}{' ' + unit if unit else ''}"
    return (m.fallback, unit, f"assumed: {where}",
            f"{m.codes.describe()} of {o.date} has no reference range: {m.limit_name} taken as {said} ({where})")
