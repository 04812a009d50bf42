"""The daily dose of a medication course: its dose when recorded per day (per week, ...), else
dose x times / period, in the unit a rule compares it in."""

from __future__ import annotations

from typing import Any

from screening.core.units import UnitError, convert_value
from screening.ruleset import ir

DAYS_PER = {"min": 1 / 1440, "h": 1 / 24, "d": 1.0, "wk": 7.0, "mo": 30.4375, "a": 365.25}
"""Days in each UCUM unit of a dosing period (a month and a year as UCUM's mean ones)."""


def daily_dose(m: Any, unit: str) -> float | None:
    """A course's daily dose in `unit` (a quantity per day): its dose when recorded per day, else its
    dose x times / period; None when the dose, the frequency or a convertible unit is missing."""
    if m.dose is None:
        return None
    try:
        return convert_value(m.dose.value, m.dose.unit, unit).value  # a dose per day (per week, ...) as recorded
    except UnitError:
        pass
    f = m.frequency
    if f is None:
        return None
    per_day = m.dose.value * f.times / (f.period * DAYS_PER[f.period_unit])
    try:
        return convert_value(float(f"{per_day:.9g}"), f"{m.dose.unit}/d", unit).value
    except UnitError:
        return None


def attribute(r: Any, f: ir.Filter) -> Any:
    """The value a filter tests: a record attribute, or a quantity computed from it (the daily dose)."""
    if f.attr == "daily_dose":
        assert f.unit is not None
        return daily_dose(r, f.unit)
    return getattr(r, f.attr, None)
