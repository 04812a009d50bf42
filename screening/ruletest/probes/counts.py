"""Probes of record counts: one record fewer, as many and one more than the threshold; one
record dated the day before a window's first day, on it and the day after; and, for a diagnosis
with a natural course, an un-ended record whose course ends the day before the screening date,
on it and the day after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Probe
from screening.ruletest.probes.dates import shift, window_edges
from screening.ruletest.probes.records import record, records_probe


def count_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    q = leaf.measure
    assert isinstance(q, ir.Records)
    return Check(f"{q.record} count {ir.OP_SYMBOL[leaf.op]} {leaf.value:g}", _count_probes(leaf, q, dates[0]))


def records_window_check(q: ir.Records, dates: list[dt.date]) -> Check:
    what = f"within {q.within}" if q.window_end is None else f"from {q.within} to {q.window_end} before"
    return Check(f"{q.record} {what}", _window_probes(q, dates))


def onset_check(q: ir.Records, dates: list[dt.date]) -> Check:
    return Check(f"{q.record} first dated at least {q.onset_at_least} before", _onset_probes(q, dates))


def _ago(as_of: dt.date, d: Duration) -> dt.date:
    """`as_of` less `d` (the first day of the calendar for a duration that reaches before it)."""
    try:
        return shift(as_of, d, -1)
    except (ValueError, OverflowError):
        return dt.date.min


def _latest_day(q: ir.Records, as_of: dt.date) -> dt.date | None:
    """The latest day a record can be dated and still match q's window and onset (None: no such day)."""
    day = as_of - dt.timedelta(days=1)
    for d in (q.window_end, q.onset_at_least):
        if d is not None:
            day = min(day, _ago(as_of, d))
    if q.within is not None and day < _ago(as_of, q.within):
        return None
    return day


def _in_window(q: ir.Records, day: dt.date, as_of: dt.date) -> bool:
    """Does a record dated (and over on) `day` fall in q's window?"""
    if q.within is not None and day < _ago(as_of, q.within):
        return False
    return q.window_end is None or day <= _ago(as_of, q.window_end)


def _onset_met(q: ir.Records, day: dt.date, as_of: dt.date) -> bool:
    return q.onset_at_least is None or day <= _ago(as_of, q.onset_at_least)


def _matches_timing(q: ir.Records, day: dt.date, as_of: dt.date) -> bool:
    """Does a record dated (and over on) `day` meet q's window and onset?"""
    return _in_window(q, day, as_of) and _onset_met(q, day, as_of)


def _count_probes(leaf: ir.Compare, q: ir.Records, as_of: dt.date) -> Iterator[Probe]:
    n = int(leaf.value)
    day = _latest_day(q, as_of)
    if day is None:
        return
    one = dt.timedelta(days=1)
    for k in sorted({max(n - 1, 0), n, n + 1}):
        # distinct days are counted: one record a day, going back from the latest day that counts
        days = [day - one * i if q.distinct_days else day for i in range(k)]
        if any(not _matches_timing(q, d, as_of) for d in days):
            return
        recs = [record(q, d, point=False) for d in days]
        kept = [r for r in recs if r is not None]
        if len(kept) < k:
            return
        counted = "day(s) with a matching" if q.distinct_days else "matching"
        yield records_probe(q, kept, k, f"{k} {counted} {q.record} record(s) (count {ir.OP_SYMBOL[leaf.op]} {n})",
                            as_of)


def _window_probes(q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    if q.within is None:
        return
    for edge in window_edges(dates, q.within):
        yield from _dated_probe(q, edge.day, edge.as_of, edge.describe())
    if q.window_end is not None:
        for edge in window_edges(dates, q.window_end):
            yield from _dated_probe(q, edge.day, edge.as_of, f"dated {edge.day}, {edge.where} of the last "
                                                          f"{q.window_end} before {edge.as_of}")


def _onset_probes(q: ir.Records, dates: list[dt.date]) -> Iterator[Probe]:
    assert q.onset_at_least is not None
    for edge in window_edges(dates, q.onset_at_least):
        # a record going on from that day (a course, a diagnosis), or one dated that day (a result)
        yield from _dated_probe(q, edge.day, edge.as_of, f"from {edge.day}, {edge.where} of the "
                                                      f"{q.onset_at_least} before {edge.as_of}", point=False)


def _dated_probe(q: ir.Records, day: dt.date, as_of: dt.date, where: str, point: bool = True) -> Iterator[Probe]:
    rec = record(q, day, point=point)
    if rec is not None:
        onset = _onset_met(q, day, as_of)
        lasting = not point and q.record in ("condition", "medication", "participation", "allergy")
        # a record going on at the screening date overlaps a window that ends after its start
        in_window = (q.window_end is None or day <= _ago(as_of, q.window_end)) if lasting else \
            _in_window(q, day, as_of)
        inside = onset and in_window
        # a record that misses only the window (not the onset) may leave the window unobserved
        yield records_probe(q, [rec], int(inside), f"{q.record} record {where}", as_of,
                            outside_window=onset and not inside)


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
