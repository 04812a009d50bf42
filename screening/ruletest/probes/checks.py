"""The checks of a criterion's definition: every threshold (a comparison on age, a latest value,
a number, a record count, a `followed_by` pair count) and every window and diameter limit of the
measures it uses, each with its probes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from screening.ruleset import ir
from screening.ruletest.probes.age import age_check
from screening.ruletest.probes.base import Check
from screening.ruletest.probes.counts import (
    count_check,
    natural_course_check,
    onset_check,
    records_window_check,
)
from screening.ruletest.probes.latest import latest_value_check, latest_window_check
from screening.ruletest.probes.lesions import diameter_check
from screening.ruletest.probes.numbers import number_check
from screening.ruletest.probes.pairs import pair_check
from screening.ruletest.probes.ratios import ratio_check, ratio_window_check

THRESHOLD_CHECKS: dict[type[ir.Measure], Callable[[ir.Compare, list[dt.date]], Check]] = {
    ir.Age: age_check, ir.Latest: latest_value_check, ir.Number: number_check,
    ir.Records: count_check, ir.Pairs: pair_check, ir.LatestRatio: ratio_check,
}


def checks_for(expr: ir.Node, dates: list[dt.date]) -> Iterator[Check]:
    """The checks of a definition, in the order of its leaves: a leaf's threshold, then (the first
    time a measure comes up) the measure's window and diameter limits."""
    seen: set[ir.Measure] = set()
    for leaf in ir.leaves_of(expr):
        if isinstance(leaf, ir.Compare) and type(leaf.measure) in THRESHOLD_CHECKS:
            yield THRESHOLD_CHECKS[type(leaf.measure)](leaf, dates)
        if leaf.measure not in seen:
            seen.add(leaf.measure)
            yield from _measure_checks(leaf, dates)


def _measure_checks(leaf: ir.Leaf, dates: list[dt.date]) -> Iterator[Check]:
    m = leaf.measure
    if isinstance(m, (ir.Latest, ir.LatestResult)) and m.within is not None:
        yield latest_window_check(leaf, m, dates)
    if isinstance(m, ir.LatestRatio) and m.within is not None and isinstance(leaf, ir.Compare):
        yield ratio_window_check(leaf, m, dates)
    if isinstance(m, ir.Records):
        if m.within is not None:
            yield records_window_check(m, dates)
        if m.onset_at_least is not None:
            yield onset_check(m, dates)
        if any(f.attr == "diameter_mm" for f in m.filters):
            yield diameter_check(m, dates)
        if m.record == "condition" and m.active and m.codes is not None and m.codes.natural_course is not None:
            yield natural_course_check(m, dates)
