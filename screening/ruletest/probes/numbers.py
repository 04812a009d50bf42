"""Probes of an administrative number (life expectancy in months): just below, on and just above."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from screening.core.vocab import ADMINISTRATIVE_ITEMS
from screening.ruleset import ir
from screening.ruletest.probes.base import Check, Edit, Probe, around, probe_step


def number_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    m = leaf.measure
    assert isinstance(m, ir.Number)
    return Check(f"{m.name} {ir.OP_SYMBOL[leaf.op]} {leaf.value:g}", _number_probes(leaf, m, dates[0]))


def _number_probes(leaf: ir.Compare, m: ir.Number, as_of: dt.date) -> Iterator[Probe]:
    v = leaf.value
    for x, where in around(v, max(probe_step(v), 0.1)):
        if x >= 0:
            x = round(x, 6)
            yield Probe(f"{ADMINISTRATIVE_ITEMS[m.name].label} {x:g} ({where} {v:g})", as_of, _set_number(m.name, x), m, x, x)


def _set_number(name: str, x: float) -> Edit:
    def edit(p: dict[str, Any]) -> dict[str, Any]:
        p.setdefault("administrative", {})[name] = x
        return p

    return edit
