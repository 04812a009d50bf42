"""Probes of `followed_by` windows: an anchor record at a month end, a leap day and the end of a
31-day month about a year before the screening date, and an event the day before, on and the
day after the earliest and the latest day the window allows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Probe
from screening.ruletest.probes.dates import shift
from screening.ruletest.probes.records import ProbeRecord, add, clear, record

_EARLIEST_EVENT = dt.date(1900, 1, 1)


def pair_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    m = leaf.measure
    assert isinstance(m, ir.Pairs)
    return Check(f"followed_by after [{m.lo}, {m.hi}] from the {m.from_}", _pair_probes(m, dates[0]))


def _anchor_days(as_of: dt.date) -> list[dt.date]:
    return [dt.date(as_of.year - 1, 1, 31), dt.date(2024, 2, 29), dt.date(as_of.year - 1, 8, 31)]


def _edges(m: ir.Pairs, t0: dt.date) -> list[tuple[dt.date, str]]:
    """The earliest and latest event day after an anchor on t0 (only those within the calendar)."""
    edges = []
    for d, which in ((m.lo, "the earliest"), (m.hi, "the latest")):
        try:
            edges.append((shift(t0, d, 1), which))
        except (ValueError, OverflowError):
            break  # an offset beyond the calendar: only the earliest edge can be probed
    return edges


def _anchor(m: ir.Pairs, t0: dt.date) -> ProbeRecord | None:
    """An anchor record on t0: over on t0 when the window counts from its end."""
    if m.from_ != "end":
        return record(m.anchor, t0, point=False)
    a = record(m.anchor, t0, point=True)
    if a is None or (a.kind == "condition" and "abatement" not in a.data):
        return None
    if a.kind == "medication":
        a.data["start"] = (t0 - dt.timedelta(days=5)).isoformat()
    return a


def _pair_probes(m: ir.Pairs, as_of: dt.date) -> Iterator[Probe]:
    one = dt.timedelta(days=1)
    for t0 in _anchor_days(as_of):
        edges = _edges(m, t0)
        for edge, which in edges:
            for e, where in ((edge - one, "the day before"), (edge, "on"), (edge + one, "the day after")):
                if e > as_of or e < _EARLIEST_EVENT:
                    continue
                a, ev = _anchor(m, t0), record(m.event, e, point=False)
                if a is None or ev is None:
                    return
                inside = edges[0][0] <= e and (len(edges) == 1 or e <= edges[1][0])
                desc = (f"{m.anchor.record} {m.from_} {t0}, {m.event.record} on {e} ({where} {which} day, "
                        f"after [{m.lo}, {m.hi}])")
                undecided = not inside and _undecided(m, edges, as_of)
                yield _pair_probe(m, a, ev, int(inside), desc, as_of, undecided)


def _undecided(m: ir.Pairs, edges: list[tuple[dt.date, str]], as_of: dt.date) -> bool:
    """With no event in the window, the count is not a confident 0 when the rule set keeps missing
    data unknown and the window is still open at the screening date, or nothing was assessed in it
    (the event is an assessment: an observation or a lesion)."""
    if m.policy != "unknown":
        return False
    still_open = len(edges) < 2 or edges[1][0] > as_of
    return still_open or m.event.record in ("observation", "lesion")


def _pair_probe(m: ir.Pairs, a: ProbeRecord, ev: ProbeRecord, n: int, desc: str, as_of: dt.date,
                undecided: bool = False) -> Probe:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        clear(p, m.anchor)
        clear(p, m.event)
        add(p, a)
        add(p, ev)
        return p

    return Probe(desc, as_of, edit, m, float(n), float(n) + undecided)
