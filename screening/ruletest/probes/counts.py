"""Probes of record counts: one record fewer, as many and one more than the threshold; and one
record dated the day before a window's first day, on it and the day after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Probe
from screening.ruletest.probes.dates import window_edges
from screening.ruletest.probes.records import record, records_probe


def count_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    q = leaf.measure
    assert isinstance(q, ir.Records)
    return Check(f"{q.record} count {ir.OP_SYMBOL[leaf.op]} {leaf.value:g}", _count_probes(leaf, q, dates[0]))


def records_window_check(q: ir.Records, dates: list[dt.date]) -> Check:
    return Check(f"{q.record} within {q.within}", _window_probes(q, dates))


def _count_probes(leaf: ir.Compare, q: ir.Records, as_of: dt.date) -> Iterator[Probe]:
    n = int(leaf.value)
    day = as_of - dt.timedelta(days=1)
    for k in sorted({max(n - 1, 0), n, n + 1}):
        recs = [record(q, day, point=False) for _ in range(k)]
        kept = [r for r in recs if r is not None]
        if len(kept) < k:
            return
        yield records_probe(q, kept, k, f"{k} matching {q.record} record(s) (count {ir.OP_SYMBOL[leaf.op]} {n})",
                            as_of)


def _window_probes(q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    if q.within is None:
        return
    for edge in window_edges(dates, q.within):
        rec = record(q, edge.day, point=True)
        if rec is None:
            return
        yield records_probe(q, [rec], int(edge.inside), f"{q.record} record {edge.describe()}", edge.as_of,
                            outside_window=not edge.inside)
