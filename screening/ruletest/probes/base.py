"""A probe and a named check (a threshold or window and the probes that test it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from screening.ruleset import ir
from screening.ruletest.written import decimals

Edit = Callable[[dict[str, Any]], dict[str, Any]]
"""A change to a patient profile (as JSON data): takes a copy of the base patient, returns the probe patient."""


@dataclass
class Probe:
    """A change to a base patient at a screening date, and the probed measure's value it gives
    (an interval `lo`..`hi` for numbers and counts, `value` for results): a `kleene.MeasureValue`."""

    description: str
    as_of: dt.date
    edit: Edit
    measure: ir.Measure
    lo: float | None = None
    hi: float | None = None
    value: str | bool | None = None


@dataclass(frozen=True)
class Check:
    """One threshold or window of a criterion (`name` as reported) and its probes, built lazily."""

    name: str
    probes: Iterator[Probe]


def probe_step(value: float) -> float:
    """A tenth of the last decimal of `value` as written: probes land between written values."""
    return 10.0 ** -(decimals(value) + 1)


def around(value: float, step: float) -> list[tuple[float, str]]:
    """Just below, on and just above `value`, each with its description."""
    return [(value - step, "just below"), (value, "on"), (value + step, "just above")]
