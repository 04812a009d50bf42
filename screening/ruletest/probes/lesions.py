"""Probes of lesion diameter limits: one lesion just below, on and just above each limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from screening.ruleset import ir
from screening.ruleset.kleene import TESTS
from screening.ruletest.probes.base import Check, Probe, around, probe_step
from screening.ruletest.probes.records import record, records_probe


def diameter_check(q: ir.Records, dates: list[dt.date]) -> Check:
    return Check(f"{q.record} diameter", _diameter_probes(q, dates[0]))


def _meets(d: float, filters: list[ir.Filter]) -> bool:
    return all(TESTS[f.op](d, float(f.value)) for f in filters)  # type: ignore[arg-type]


def _diameter_probes(q: ir.Records, as_of: dt.date) -> Iterator[Probe]:
    day = as_of - dt.timedelta(days=1)
    limits = [f for f in q.filters if f.attr == "diameter_mm" and f.op in TESTS]
    for f in limits:
        v = float(f.value)  # type: ignore[arg-type]
        others = [g for g in q.filters if g is not f and g.attr == "diameter_mm"]
        for d, where in around(v, probe_step(v)):
            if d < 0:
                continue
            d = round(d, 9)
            rec = record(q, day, point=False, diameter=d)
            if rec is None:
                return
            yield records_probe(q, [rec], int(_meets(d, [f, *others])),
                                f"lesion of {d:g} mm ({where} {ir.OP_SYMBOL[f.op]} {v:g} mm)", as_of)
