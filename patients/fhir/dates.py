"""Dates in FHIR data: a date/dateTime as a calendar day, and a day plus a UCUM time quantity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def to_date(value: Any) -> dt.date | None:
    """A FHIR date/dateTime/instant as the calendar date it was recorded on (in its own time
    zone); None for a partial date (year or year-month), which is not a day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def today_limit() -> dt.date:
    """The latest date the import accepts for a record: today plus one day."""
    return dt.date.today() + dt.timedelta(days=1)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {d}")


_DAYS_PER = {"wk": 7.0, "d": 1.0, "h": 1 / 24, "min": 1 / 1440, "s": 1 / 86400}


def add_duration(start: dt.date, value: Decimal | float | int, code: str) -> dt.date:
    """`start` plus a UCUM time quantity (a, mo, wk, d, h, min, s); whole years and months are
    calendar years and months, fractions are days (a year being 365.2425 days)."""
    v = Decimal(str(value))
    if v < 0:
        raise ValueError(f"negative duration {value} {code}")
    if code == "a":
        whole = int(v)
        return _add_months(start, 12 * whole) + dt.timedelta(days=float(v - whole) * 365.2425)
    if code == "mo":
        whole = int(v)
        return _add_months(start, whole) + dt.timedelta(days=float(v - whole) * 30.436875)
    if code in _DAYS_PER:
        return start + dt.timedelta(days=float(v) * _DAYS_PER[code])
    raise ValueError(f"{code!r} is not a UCUM time unit (a, mo, wk, d, h, min, s)")
