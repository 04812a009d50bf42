"""Age probes: born so that the patient is one year under, at and one year over the limit on
each screening date, on the birthday and the day after; and born on 29 February, screened on
28 February and 1 March of a common year."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Edit, Probe
from screening.ruletest.probes.dates import EARLIEST_BIRTH_YEAR, completed_years, years_before


def age_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    return Check(f"age {ir.OP_SYMBOL[leaf.op]} {leaf.value:g}", _age_probes(leaf, dates))


def _age_probes(leaf: ir.Compare, dates: list[dt.date]) -> Iterator[Probe]:
    n = int(leaf.value)
    for as_of in dates:
        for k in (n - 1, n, n + 1):
            if k < 0 or as_of.year - k < EARLIEST_BIRTH_YEAR:
                continue  # no valid patient is that old
            for birth in (years_before(as_of, k), years_before(as_of, k) + dt.timedelta(days=1)):
                if birth <= as_of:
                    yield _born(birth, as_of, leaf.measure)
    yield from _leap_day_probes(n, leaf.measure)


def _leap_day_probes(n: int, m: ir.Measure) -> Iterator[Probe]:
    """Born on 29 February n years before a recent common year, screened on 28 February and 1 March."""
    today = dt.date.today()
    for y in range(today.year - 1, today.year - 9, -1):
        if y - n >= EARLIEST_BIRTH_YEAR and not calendar.isleap(y) and calendar.isleap(y - n):
            birth = dt.date(y - n, 2, 29)
            for as_of in (dt.date(y, 2, 28), dt.date(y, 3, 1)):
                yield _born(birth, as_of, m)
            return


def _born(birth: dt.date, as_of: dt.date, m: ir.Measure) -> Probe:
    a = completed_years(birth, as_of)
    return Probe(f"born {birth}, age {a} on {as_of}", as_of, _set_birth(birth), m, a, a)


def _set_birth(birth: dt.date) -> Edit:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        p["birth_date"] = birth.isoformat()
        return p

    return edit
