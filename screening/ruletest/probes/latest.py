"""Probes of the latest value or result of an observation: values just below, on and just above
a threshold, written in the threshold's unit and in every other unit of the same quantity
(creatinine in mg/dL or mmol/L against a umol/L threshold); and a value that meets the test
dated the day before the window's first day, on it and the day after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from screening.ruleset import ir
from screening.ruleset.formulas import FORMULAS
from screening.ruletest.probes.base import Check, Edit, Probe, around, probe_step
from screening.ruletest.probes.dates import window_edges
from screening.ruletest.probes.records import first_code
from screening.ruletest.probes.unit_table import alternatives, sig9, to_unit

# a value that meets `op` against the threshold, by how much it differs from it
_INSIDE_BY = {"gt": 1.0, "ge": 0.0, "lt": -1.0, "le": 0.0, "eq": 0.0}


def latest_value_check(leaf: ir.Compare, dates: list[dt.date]) -> Check:
    m = leaf.measure
    assert isinstance(m, ir.Latest)
    unit = f" {m.unit}" if m.unit != "1" else ""
    return Check(f"latest {m.codes.name} {ir.OP_SYMBOL[leaf.op]} {leaf.value:g}{unit}",
                 _value_probes(leaf, m, dates[0]))


def latest_window_check(leaf: ir.Leaf, m: ir.Latest | ir.LatestResult, dates: list[dt.date]) -> Check:
    return Check(f"latest {m.codes.name} within {m.within}", _window_probes(leaf, m, dates))


def replace_latest(m: ir.Latest | ir.LatestResult | ir.LatestRatio, obs: dict[str, Any]) -> Edit:
    """An edit that makes `obs` the patient's only observation of m's codes (and, for a value that may
    be derived, removes the formula's inputs, so that the recorded value alone decides)."""
    derive = getattr(m, "derive", None)
    sets = [m.codes, *(i.codes for i in FORMULAS[derive].inputs)] if derive else [m.codes]

    def edit(p: dict[str, Any]) -> dict[str, Any]:
        p["observations"] = [o for o in p.get("observations", [])
                             if not any(cs.matches(o["code"]["system"], o["code"]["code"]) for cs in sets)] + [obs]
        return p

    return edit


def _value_probes(leaf: ir.Compare, m: ir.Latest, as_of: dt.date) -> Iterator[Probe]:
    code = first_code(m.codes)
    if code is None:
        return
    day = as_of - dt.timedelta(days=1)
    v = leaf.value
    for unit in [m.unit, *alternatives(m.unit, m.molar_mass)]:
        k = to_unit(1.0, unit, m.unit, m.molar_mass)
        if k is None:
            continue
        for target, where in around(v, probe_step(v)):
            written = float(f"{target / k:.12g}")
            if written < 0:
                continue
            got = sig9(written * k) if unit != m.unit else written
            obs = _observation(code, day, value=written, unit=unit)
            yield Probe(f"value {written:.12g} {unit} ({where} {v:g} {m.unit})", as_of,
                        replace_latest(m, obs), m, got, got)


def _observation(code: dict[str, str], day: dt.date, value: float | None = None, unit: str = "1",
                 result: str | None = None) -> dict[str, Any]:
    obs: dict[str, Any] = {"code": code, "date": day.isoformat()}
    if result is not None:
        obs["result"] = result
        return obs
    obs["value"] = value
    if unit != "1":
        obs["unit"] = unit
    return obs


def _inside_value(leaf: ir.Leaf) -> float | str | None:
    """A value (or result) that satisfies the leaf, so that only the date decides."""
    if isinstance(leaf, ir.Compare):
        return leaf.value + _INSIDE_BY[leaf.op]
    if isinstance(leaf, ir.OneOf):
        return leaf.values[0]
    return None


def _window_probes(leaf: ir.Leaf, m: ir.Latest | ir.LatestResult, dates: list[dt.date]) -> Iterator[Probe]:
    code = first_code(m.codes)
    val = _inside_value(leaf)
    if code is None or m.within is None or val is None:
        return
    for edge in window_edges(dates, m.within):
        at = edge.describe()
        if isinstance(val, str):
            yield Probe(f"result {at}", edge.as_of, replace_latest(m, _observation(code, edge.day, result=val)), m,
                        value=val if edge.inside else None)
        else:
            obs = _observation(code, edge.day, value=val, unit=getattr(m, "unit", "1"))
            got = val if edge.inside else None
            yield Probe(f"value {at}", edge.as_of, replace_latest(m, obs), m, got, got)
