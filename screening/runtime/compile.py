"""Compile a trial's IR to a durable_rules ruleset definition (plain JSON data).

Each computable criterion becomes two rules, `<id>.pass` and `<id>.fail`, whose conditions are
the Kleene (three-valued) truth of the criterion over the trial's facts; when neither fires the
criterion is unknown. Facts carry each measure under a short key: numbers and counts as an
interval (`m3l`, `m3h`), categories and flags as `m3`; an unknown bound is simply absent, and
durable_rules matches no comparison on an absent key. Every rule is anchored on `t == 'p'` so
that no rule can match the engine's own session-state fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from screening.ruleset import ir
from screening.runtime.facts import Value

ANCHOR = {"t": "p"}


@dataclass(frozen=True)
class CompiledTrial:
    trial_id: str
    name: str  # ruleset name in the engine: "<trial id>@<content hash>"
    definition: dict[str, Any]
    measure_keys: dict[ir.Measure, str]

    def encode(self, values: dict[str, Value]) -> dict[str, Any]:
        """The fact asserted for one patient: measure key -> lo/hi/value, unknowns left out."""
        layout = fact_layout((key, m.kind in ("number", "count")) for m, key in self.measure_keys.items())
        return build_fact(layout, [values[key] for key, *_ in layout])


Layout = list[tuple[str, str, str, bool]]


def fact_layout(keys: Iterable[tuple[str, bool]]) -> Layout:
    """(key, numeric) pairs -> (key, lo key, hi key, numeric): the keys a fact uses, built once."""
    return [(key, key + "l", key + "h", numeric) for key, numeric in keys]


def build_fact(layout: Layout, values: Iterable[Value]) -> dict[str, Any]:
    """A fact from measure values: intervals as `<key>l`/`<key>h`, categories and flags as `<key>`."""
    fact: dict[str, Any] = {"t": "p"}
    for (key, lo_key, hi_key, numeric), v in zip(layout, values, strict=True):
        if numeric:
            if v.lo is not None:
                fact[lo_key] = v.lo
            if v.hi is not None:
                fact[hi_key] = v.hi
        elif v.value is not None:
            fact[key] = int(v.value) if isinstance(v.value, bool) else v.value
    return fact


def _cmp(key: str, op: str, value: Any) -> dict[str, Any]:
    if op == "eq":
        return {key: value}
    return {"$" + {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}[op]: {key: value}}


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


class Compiler:
    def __init__(self, keys: dict[ir.Measure, str]):
        self.keys = keys

    def cond(self, node: ir.Node, want: bool) -> dict[str, Any]:
        """Condition under which `node` is definitely `want` (True: pass side, False: fail side)."""
        if isinstance(node, ir.Labelled):
            return self.cond(node.item, want)
        if isinstance(node, ir.Not):
            return self.cond(node.item, not want)
        if isinstance(node, (ir.And, ir.Or)):
            parts = [self.cond(x, want) for x in node.items]
            conj = isinstance(node, ir.And) == want
            return parts[0] if len(parts) == 1 else {"$and" if conj else "$or": parts}
        if isinstance(node, ir.Compare):
            k = self.keys[node.measure]
            lo, hi, t = k + "l", k + "h", _num(node.value)
            table = {
                ("ge", True): _cmp(lo, "ge", t), ("ge", False): _cmp(hi, "lt", t),
                ("gt", True): _cmp(lo, "gt", t), ("gt", False): _cmp(hi, "le", t),
                ("le", True): _cmp(hi, "le", t), ("le", False): _cmp(lo, "gt", t),
                ("lt", True): _cmp(hi, "lt", t), ("lt", False): _cmp(lo, "ge", t),
            }
            if node.op == "eq":
                if want:
                    return {"$and": [_cmp(lo, "eq", t), _cmp(hi, "eq", t)]}
                return {"$or": [_cmp(lo, "gt", t), _cmp(hi, "lt", t)]}
            return table[(node.op, want)]
        if isinstance(node, ir.OneOf):
            k = self.keys[node.measure]
            if want:
                eqs = [{k: v} for v in node.values]
                return eqs[0] if len(eqs) == 1 else {"$or": eqs}
            return {"$and": [{"$ex": {k: 1}}, *({"$neq": {k: v}} for v in node.values)]}
        if isinstance(node, ir.IsTrue):
            k = self.keys[node.measure]
            return {k: int(node.expected == want)}
        raise TypeError(f"cannot compile {node!r}")


def compile_trial(trial: ir.TrialIR, name: str) -> CompiledTrial:
    keys = {m: f"m{i}" for i, m in enumerate(trial.measures)}
    comp = Compiler(keys)
    definition: dict[str, Any] = {}
    for c in trial.criteria:
        if c.expr is None:
            continue
        for want, suffix in ((True, "pass"), (False, "fail")):
            definition[f"{c.id}.{suffix}"] = {"all": [{"m": {"$and": [ANCHOR, comp.cond(c.expr, want)]}}]}
    return CompiledTrial(trial.trial_id, name, definition, keys)
