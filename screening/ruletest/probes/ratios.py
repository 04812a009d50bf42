"""Probes of a latest value compared with a multiple of a limit of normal ('3 x ULN'): results just
below, on and just above the multiple of their own reference range; the same value without a range
(the value set's stated range, else unknown); and a result that meets the test dated around the
window's first day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Probe, around, probe_step
from screening.ruletest.probes.dates import window_edges
from screening.ruletest.probes.latest import replace_latest
from screening.ruletest.probes.records import first_code

LIMIT = 40.0
"""The limit of the reference range probe results carry (any positive number would do)."""


def ratio_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    m = leaf.measure
    assert isinstance(m, ir.LatestRatio)
    return Check(f"latest {m.codes.name} {ir.OP_SYMBOL[leaf.op]} {leaf.value:g} x {m.limit_name}",
                 _value_probes(leaf, m, dates[0]))


def ratio_window_check(leaf: ir.Compare, m: ir.LatestRatio, dates: list[dt.date]) -> Check:
    return Check(f"latest {m.codes.name} within {m.within}", _window_probes(leaf, m, dates))


def _result(m: ir.LatestRatio, code: dict[str, str], day: dt.date, value: float, ranged: bool = True) -> dict[str, Any]:
    obs: dict[str, Any] = {"code": code, "date": day.isoformat(), "value": value}
    if ranged:
        obs["reference_range"] = {m.limit: LIMIT}
    return obs


def _value_probes(leaf: ir.Compare, m: ir.LatestRatio, as_of: dt.date) -> Iterator[Probe]:
    code = first_code(m.codes)
    if code is None:
        return
    day = as_of - dt.timedelta(days=1)
    for target, where in around(leaf.value, probe_step(leaf.value)):
        value = float(f"{target * LIMIT:.12g}")
        if value < 0:
            continue
        got = float(f"{value / LIMIT:.9g}")
        yield Probe(f"value {value:g} with {m.limit_name} {LIMIT:g} ({where} {leaf.value:g} x {m.limit_name})",
                    as_of, replace_latest(m, _result(m, code, day, value)), m, got, got)
    # the value on the threshold without a range: the value set's stated limit, else unknown
    value = leaf.value * LIMIT
    fallback = float(f"{value / m.fallback:.9g}") if m.fallback else None
    yield Probe(f"value {value:g} without a reference range", as_of,
                replace_latest(m, _result(m, code, day, value, ranged=False)), m, fallback, fallback)


def _window_probes(leaf: ir.Compare, m: ir.LatestRatio, dates: list[dt.date]) -> Iterator[Probe]:
    code = first_code(m.codes)
    if code is None or m.within is None:
        return
    inside = leaf.value + {"gt": 1.0, "lt": -leaf.value / 2}.get(leaf.op, 0.0)
    for edge in window_edges(dates, m.within):
        obs = _result(m, code, edge.day, inside * LIMIT)
        got = float(f"{inside * LIMIT / LIMIT:.9g}") if edge.inside else None
        yield Probe(f"value {edge.describe()}", edge.as_of, replace_latest(m, obs), m, got, got)
