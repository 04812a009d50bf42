"""Durations such as '4 weeks', '10 years' or '90 days', applied to an explicit screening date.

Months and years are calendar units (10 years before 2024-02-29 is 2014-02-28); days and
weeks are exact.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "wk": "weeks", "w": "weeks", "week": "weeks", "weeks": "weeks",
    "mo": "months", "month": "months", "months": "months",
    "a": "years", "y": "years", "yr": "years", "year": "years", "years": "years",
}
_RE = re.compile(r"^\s*(\d+)\s*([a-zA-Z]+)\s*$")


class DurationError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Duration:
    amount: int
    unit: str  # days | weeks | months | years

    @classmethod
    def parse(cls, text: str | int) -> Duration:
        if isinstance(text, bool) or not isinstance(text, (str, int)):
            raise DurationError(f"{text!r} is not a duration: write e.g. '4 weeks', '90 days', '10 years'")
        if isinstance(text, int):
            if text < 0:
                raise DurationError(f"{text!r} is not a duration: a duration is not negative")
            return cls(text, "days")
        m = _RE.match(text)
        if not m or m.group(2).lower() not in _UNITS:
            raise DurationError(f"{text!r} is not a duration: write e.g. '4 weeks', '90 days', '10 years'")
        return cls(int(m.group(1)), _UNITS[m.group(2).lower()])

    def before(self, day: dt.date) -> dt.date:
        return shift(day, -self.amount, self.unit)

    def after(self, day: dt.date) -> dt.date:
        return shift(day, self.amount, self.unit)

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"

    def approx_days(self) -> float:
        return self.amount * {"days": 1, "weeks": 7, "months": 30.4375, "years": 365.25}[self.unit]


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    """`day` moved by `amount` units; beyond the calendar (years 1 to 9999) it stops at its ends."""
    try:
        if unit == "days":
            return day + dt.timedelta(days=amount)
        if unit == "weeks":
            return day + dt.timedelta(weeks=amount)
    except OverflowError:
        return dt.date.min if amount < 0 else dt.date.max
    months = amount * (12 if unit == "years" else 1)
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    if not 1 <= year <= 9999:
        return dt.date.min if year < 1 else dt.date.max
    last = _month_days(year, month)
    return dt.date(year, month, min(day.day, last))


def _month_days(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def age_years(birth: dt.date, on: dt.date) -> int:
    """Completed years (a person born on 29 Feb turns a year older on 1 Mar in common years)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
