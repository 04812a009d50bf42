"""An independent calendar: date arithmetic for probes, written apart from the engine's."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from screening.core.timewindows import Duration

EARLIEST_BIRTH_YEAR = 1880
"""No valid patient is born before this year."""


def shift(day: dt.date, d: Duration, sign: int) -> dt.date:
    """`day` moved by `d` forwards (sign 1) or backwards (-1); month ends clamp (31 Mar - 1 month = 29 Feb)."""
    n = d.amount * sign
    if d.unit == "days":
        return day + dt.timedelta(days=n)
    if d.unit == "weeks":
        return day + dt.timedelta(days=7 * n)
    months = n * 12 if d.unit == "years" else n
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def window_start(as_of: dt.date, d: Duration) -> dt.date | None:
    """The first day of a window of `d` before `as_of`; None when it reaches before any patient."""
    try:
        start = shift(as_of, d, -1)
    except (ValueError, OverflowError):
        return None  # a window reaching before the calendar: nothing to probe
    return start if start.year >= EARLIEST_BIRTH_YEAR else None


@dataclass(frozen=True)
class WindowEdge:
    """A day around the first day of a window of `within` before the screening date `as_of`."""

    as_of: dt.date
    within: Duration
    day: dt.date
    where: str  # "the day before", "the first day", "the day after the start"
    inside: bool

    def describe(self) -> str:
        return f"dated {self.day}, {self.where} of the {self.within} window before {self.as_of}"


def window_edges(dates: list[dt.date], within: Duration) -> Iterator[WindowEdge]:
    """For each screening date: the day before the window's first day, the first day and the day
    after (no days for a window that reaches before any patient)."""
    one = dt.timedelta(days=1)
    for as_of in dates:
        start = window_start(as_of, within)
        if start is not None:
            for day, where in ((start - one, "the day before"), (start, "the first day"),
                               (start + one, "the day after the start")):
                yield WindowEdge(as_of, within, day, where, day >= start)


def completed_years(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    if on.month < birth.month or (on.month == birth.month and on.day < birth.day):
        years -= 1
    return years


def years_before(day: dt.date, n: int) -> dt.date:
    """The same day `n` years earlier (28 February for a 29 February in a common year)."""
    y = day.year - n
    return dt.date(y, day.month, min(day.day, calendar.monthrange(y, day.month)[1]))


def screening_dates(suite_as_of: dt.date) -> list[dt.date]:
    """Screening dates: the cases' date, and month ends and leap days (never in the future)."""
    today = dt.date.today()
    out = [suite_as_of, dt.date(2024, 2, 29), dt.date(2024, 3, 31), dt.date(2025, 2, 28), dt.date(2023, 12, 31)]
    return [d for d in dict.fromkeys(out) if d <= today]
