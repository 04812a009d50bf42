"""Probes of record counts: one record fewer, as many and one more than the threshold; one
record dated the day before a window's first day, on it and the day after; and, for a diagnosis
with a natural course, an un-ended record whose course ends the day before the screening date,
on it and the day after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Probe
from screening.ruletest.probes.dates import shift, window_edges
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


def natural_course_check(q: ir.Records, dates: list[dt.date]) -> Check:
    assert q.codes is not None and q.codes.natural_course is not None
    return Check(f"{q.record} natural course {q.codes.natural_course}", _course_probes(q, dates))


def _course_probes(q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    """An active diagnosis without an end stays current until its onset + course; later it is over."""
    course = q.codes.natural_course  # type: ignore[union-attr]
    assert course is not None
    one = dt.timedelta(days=1)
    for as_of in dates:
        for end, where in ((as_of - one, "the day before"), (as_of, "on"), (as_of + one, "the day after")):
            onset = shift(end, course, -1)
            if shift(onset, course, 1) != end:
                continue  # a month end that the calendar cannot reach back to exactly
            rec = record(q, onset, point=False)
            if rec is None:
                return
            current = end >= as_of  # over only once its course has ended before the screening date
            yield records_probe(q, [rec], int(current), f"{q.record} from {onset}, its {course} course ending "
                                f"{where} the screening date", as_of)
