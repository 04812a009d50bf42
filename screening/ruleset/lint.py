"""Lint checks on a validated rule set: each check has a stable code and fixtures in tests/.

| code | severity | check |
|------|----------|-------|
| L001 | error    | duplicate criterion id |
| L002 | error    | empty value set |
| L003 | error    | comparisons that no value can satisfy (an age window that cannot be met) |
| L004 | error    | criterion without real source text (empty or a placeholder such as "N/A") |
| L005 | error    | unknown unit in a value set |
| L006 | warning  | value set or concept defined in the trial but never used |
| L007 | error    | trial id differs from its folder name |
| L008 | warning  | age bound outside 0..130 years |
| L009 | warning  | no inclusion criterion |
| L010 | error    | a criterion too complex for the engine (durable_rules expands `any` inside `all` into |
|      |          | one rule path per combination and fires once per true path) |
"""

from __future__ import annotations

import math
from pathlib import Path

from screening.core.diagnostics import Diagnostic
from screening.core.units import UnitError, parse_quantity
from screening.ruleset import ir
from screening.ruleset.model import TrialFile
from screening.ruleset.sourcemap import SourceMap

PLACEHOLDERS = {"", "n/a", "na", "none", "tbd", "todo", "-", "..."}
MAX_RULE_PATHS = 64


def rule_paths(node: ir.Node, want: bool = True) -> int:
    """How many alternative paths (disjunctive-normal-form terms) the compiled condition has."""
    if isinstance(node, ir.Labelled):
        return rule_paths(node.item, want)
    if isinstance(node, ir.Not):
        return rule_paths(node.item, not want)
    if isinstance(node, (ir.And, ir.Or)):
        counts = [rule_paths(x, want) for x in node.items]
        if isinstance(node, ir.And) == want:
            return math.prod(counts)
        return sum(counts)
    if isinstance(node, ir.Compare):
        return 2 if (node.op == "eq" and not want) else 1
    if isinstance(node, ir.OneOf):
        return len(node.values) if want else 1
    return 1


def _interval_empty(bounds: list[tuple[str, float]]) -> bool:
    lo, lo_incl, hi, hi_incl = -math.inf, True, math.inf, True
    for op, v in bounds:
        if op in ("ge", "gt", "eq") and (v > lo or (v == lo and op == "gt")):
            lo, lo_incl = v, op != "gt"
        if op in ("le", "lt", "eq") and (v < hi or (v == hi and op == "lt")):
            hi, hi_incl = v, op != "lt"
    return lo > hi or (lo == hi and not (lo_incl and hi_incl))


def _contradictions(node: ir.Node) -> list[str]:
    out: list[str] = []
    for n in ir.walk(node):
        if isinstance(n, ir.And):
            by_measure: dict[ir.Measure, list[tuple[str, float]]] = {}
            for x in n.items:
                if isinstance(x, ir.Compare):
                    by_measure.setdefault(x.measure, []).append((x.op, x.value))
            for m, bounds in by_measure.items():
                if _interval_empty(bounds):
                    from screening.ruleset.render import measure_text

                    shown = ", ".join(f"{ir.OP_SYMBOL[o]} {v:g}" for o, v in bounds)
                    out.append(f"{measure_text(m)}: no value satisfies {shown}")
    return out


def lint(trial: TrialFile, trial_ir: ir.TrialIR, smap: SourceMap, path: Path | None = None,
         used_value_sets: set[str] | None = None, used_concepts: set[str] | None = None) -> list[Diagnostic]:
    d: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(trial.criteria):
        if c.id in seen:
            d.append(smap.diag(("criteria", i, "id"), "L001", f"duplicate criterion id {c.id!r} (first at criteria[{seen[c.id]}])"))
        else:
            seen[c.id] = i
        if c.text.strip().lower().rstrip(".") in PLACEHOLDERS:
            d.append(smap.diag(("criteria", i, "text"), "L004", f"criterion {c.id!r} has no source text (got {c.text!r})"))
    for name, vs in trial.value_sets.items():
        if not vs.codes:
            d.append(smap.diag(("value_sets", name, "codes"), "L002", f"value set {name!r} is empty"))
        if vs.unit is not None:
            try:
                parse_quantity(f"1 {vs.unit}")
            except UnitError as e:
                d.append(smap.diag(("value_sets", name, "unit"), "L005", str(e)))
    for i, c_ir in enumerate(trial_ir.criteria):
        if c_ir.expr is None:
            continue
        paths = max(rule_paths(c_ir.expr, True), rule_paths(c_ir.expr, False))
        if paths > MAX_RULE_PATHS:
            d.append(smap.diag(("criteria", i, "when"), "L010",
                               f"criterion {c_ir.id!r} compiles to {paths} alternative rule paths (limit {MAX_RULE_PATHS}): "
                               "split it into several criteria or move shared alternatives into one `any`"))
        for msg in _contradictions(c_ir.expr):
            d.append(smap.diag(("criteria", i, "when"), "L003", f"criterion {c_ir.id!r} can never be met: {msg}"))
        for n in ir.walk(c_ir.expr):
            if isinstance(n, ir.Compare) and isinstance(n.measure, ir.Age) and not 0 <= n.value <= 130:
                d.append(smap.diag(("criteria", i, "when"), "L008", f"age bound {n.value:g} is outside 0..130 years", "warning"))
    if used_value_sets is not None:
        for name in trial.value_sets:
            if name not in used_value_sets:
                d.append(smap.diag(("value_sets", name), "L006", f"value set {name!r} is never used", "warning"))
    if used_concepts is not None:
        for name in trial.concepts:
            if name not in used_concepts:
                d.append(smap.diag(("concepts", name), "L006", f"concept {name!r} is never used", "warning"))
    if path is not None and path.name == "trial.yaml" and path.parent.name != trial.trial.id:
        d.append(smap.diag(("trial", "id"), "L007",
                           f"trial id {trial.trial.id!r} differs from its folder name {path.parent.name!r}"))
    if not any(c.kind == "inclusion" for c in trial.criteria):
        d.append(smap.diag(("criteria",), "L009", "the rule set has no inclusion criterion", "warning"))
    return d
