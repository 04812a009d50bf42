"""An honest baseline for the engine: the same rule sets evaluated in plain Python.

Each criterion's IR is compiled once into a closure over the facts stage's measure values (the
same `PatientFacts`, the same numbering of measures as the screener), with the same three-valued
semantics, so that a benchmark compares what durable_rules adds (building and encoding a fact,
the C calls, reading the fired rules) against the cheapest faithful evaluation in Python.

    from bench.baseline import Baseline
    statuses = Baseline(catalog).outcomes(profile, as_of)   # {trial_id: {criterion_id: status}}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from patients.model import PatientProfile
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog
from screening.runtime.facts import PatientFacts
from screening.runtime.plan import ScreeningPlan

Values = list[Any]  # measure number -> Value
Truth = Callable[[Values], bool | None]

def _compare(n: int, op: str, t: float) -> Truth:
    if op == "ge":
        return lambda v: True if (x := v[n]).lo is not None and x.lo >= t else (False if x.hi is not None and x.hi < t else None)
    if op == "gt":
        return lambda v: True if (x := v[n]).lo is not None and x.lo > t else (False if x.hi is not None and x.hi <= t else None)
    if op == "le":
        return lambda v: True if (x := v[n]).hi is not None and x.hi <= t else (False if x.lo is not None and x.lo > t else None)
    if op == "lt":
        return lambda v: True if (x := v[n]).hi is not None and x.hi < t else (False if x.lo is not None and x.lo >= t else None)

    def eq(v: Values) -> bool | None:
        x = v[n]
        if x.lo is not None and x.hi is not None and x.lo == t == x.hi:
            return True
        return False if (x.lo is not None and x.lo > t) or (x.hi is not None and x.hi < t) else None
    return eq


def _all(parts: list[Truth]) -> Truth:
    def f(v: Values) -> bool | None:
        unknown = False
        for p in parts:
            t = p(v)
            if t is False:
                return False
            unknown |= t is None
        return None if unknown else True
    return f


def _any(parts: list[Truth]) -> Truth:
    def f(v: Values) -> bool | None:
        unknown = False
        for p in parts:
            t = p(v)
            if t is True:
                return True
            unknown |= t is None
        return None if unknown else False
    return f


def compile_node(node: ir.Node, number: dict[ir.Measure, int]) -> Truth:
    """A closure giving the node's truth (True, False, None) from the patient's values."""
    if isinstance(node, ir.Labelled):
        return compile_node(node.item, number)
    if isinstance(node, ir.Not):
        inner = compile_node(node.item, number)
        return lambda v: None if (t := inner(v)) is None else not t
    if isinstance(node, ir.And):
        return _all([compile_node(x, number) for x in node.items])
    if isinstance(node, ir.Or):
        return _any([compile_node(x, number) for x in node.items])
    if isinstance(node, ir.Compare):
        return _compare(number[node.measure], node.op, node.value)
    if isinstance(node, ir.OneOf):
        n, allowed = number[node.measure], frozenset(node.values)
        return lambda v: None if (x := v[n].value) is None else x in allowed
    if isinstance(node, ir.IsTrue):
        n, expected = number[node.measure], node.expected
        return lambda v: None if (x := v[n].value) is None else x == expected
    raise TypeError(node)


class Baseline:
    """Statuses and verdicts of every trial of a catalog, in plain Python."""

    def __init__(self, catalog: Catalog):
        self.plan = ScreeningPlan(catalog)
        number = self.plan.measure_numbers
        self.trials = [(rs.trial_id, [(c.id, c.kind == "exclusion", compile_node(c.expr, number) if c.expr else None)
                                      for c in rs.ir.criteria])
                       for rs in catalog.rulesets.values()]

    def outcomes(self, profile: PatientProfile, as_of: dt.date) -> dict[str, dict[str, str]]:
        facts = PatientFacts(profile, as_of, self.plan.index, self.plan.shared)
        compute = facts.compute
        values = [compute(m) for m in self.plan.measures]
        out = {}
        for trial_id, criteria in self.trials:
            statuses = {}
            for cid, exclusion, fn in criteria:
                if fn is None:
                    statuses[cid] = "review"
                    continue
                t = fn(values)
                statuses[cid] = "unknown" if t is None else ("pass" if t != exclusion else "fail")
            out[trial_id] = statuses
        return out
