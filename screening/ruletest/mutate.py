"""Mutation checks: do the cases notice a small change to a rule?

Each mutant changes one thing in one criterion's IR: a threshold by one step up or down
(`age >= 18` -> `age >= 19`), a comparison's strictness (`<` <-> `<=`, `>` <-> `>=`), a lesion
diameter limit, or a time window by one unit (`within 90 days` -> `89 days` / `91 days`,
`followed_by` offsets). The mutated trial is compiled under a new rule-set name into a fresh
engine and the trial's cases are run against it. A mutant is *killed* when at least one case
(that passes against the real rule set) now fails; a *survivor* points at a criterion whose
cases do not pin down that detail. The mutation score is killed / all mutants.

Steps: one year of age, one month of life expectancy, one record for counts, one unit of the
threshold's last written decimal for measured values (176 -> 1, 1.5 -> 0.1), one unit of a
window's own unit.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog, RuleSet
from screening.ruleset.compile import compile_trial
from screening.ruletest.cases import Case, CaseResult
from screening.ruletest.irtools import leaves, map_leaves, replace_measure, with_criterion
from screening.runtime.engine import Engine
from screening.runtime.evaluate import Screener

SWAP = {"lt": "le", "le": "lt", "gt": "ge", "ge": "gt"}
SYMBOL = ir.OP_SYMBOL


def step_of(m: ir.Measure, value: float) -> float:
    if isinstance(m, (ir.Age, ir.Number, ir.Records, ir.Pairs)):
        return 1.0
    text = f"{value:.6g}"
    if "e" in text or "." not in text:
        return 1.0
    return 10.0 ** -len(text.split(".")[1])


def _num(x: float) -> str:
    return f"{x:.9g}"


def _written(rs: RuleSet, ci: int, leaf: ir.Compare) -> tuple[float, str, float] | None:
    """For a `latest:` threshold: (value as written, its unit, factor to the IR's unit)."""
    from screening.core.units import UnitError, factor, parse_quantity
    from screening.ruletest.boundaries import _bounds, _latest_specs

    m = leaf.measure
    when = rs.model.criteria[ci].when
    if not isinstance(m, ir.Latest) or when is None:
        return None
    for spec in _latest_specs(when):
        for op, q in _bounds(spec):
            if op != leaf.op:
                continue
            try:
                value, unit = parse_quantity(q)
                k = factor(unit, m.unit, m.molar_mass)
            except UnitError:
                continue
            if abs(float(f"{value * k:.9g}") - leaf.value) <= 1e-9 * max(1.0, abs(leaf.value)):
                return value, unit, k
    return None


def _label(m: ir.Measure) -> str:
    if isinstance(m, ir.Age):
        return "age"
    if isinstance(m, ir.Number):
        return m.name
    if isinstance(m, ir.Latest):
        return f"latest {m.codes.name}"
    if isinstance(m, ir.Records):
        return f"count of {m.record} records" + (f" ({m.codes.name})" if m.codes else "")
    if isinstance(m, ir.Pairs):
        return f"count of {m.anchor.record} -> {m.event.record} pairs"
    if isinstance(m, ir.LatestResult):
        return f"latest {m.codes.name} result"
    return type(m).__name__.lower()


def _unit(u: str) -> str:
    return "" if u in ("1", "") else {"a": " years", "mo": " months"}.get(u, " " + u)


@dataclass(frozen=True)
class Mutant:
    trial_id: str
    criterion: str
    index: int  # criterion index in the trial
    line: int
    description: str
    expr: ir.Node

    def as_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "line": self.line, "mutation": self.description}


def _shift(d: Duration, delta: int) -> Duration | None:
    return None if d.amount + delta < 0 else Duration(d.amount + delta, d.unit)


def _window_variants(m: ir.Measure) -> Iterator[tuple[str, ir.Measure]]:
    """Measures like m with one window moved by one unit, and a description."""
    if isinstance(m, (ir.Latest, ir.LatestResult, ir.Records)) and m.within is not None:
        for delta in (-1, 1):
            d = _shift(m.within, delta)
            if d is not None:
                yield f"{_label(m)}: within {m.within} -> within {d}", dataclasses.replace(m, within=d)
    if isinstance(m, ir.Records):
        for i, f in enumerate(m.filters):
            if f.op in SWAP and isinstance(f.value, (int, float)):
                name = f.attr.replace("_", " ")
                fs = list(m.filters)
                fs[i] = ir.Filter(f.attr, SWAP[f.op], f.value)
                yield (f"{_label(m)}: {name} {SYMBOL[f.op]} {_num(f.value)} -> {SYMBOL[SWAP[f.op]]} {_num(f.value)}",
                       dataclasses.replace(m, filters=tuple(fs)))
                step = 1.0 if float(f.value).is_integer() else step_of(ir.Latest(ir.CodeSet("", frozenset()), "1"), f.value)
                for sign in (-1, 1):
                    v = float(f"{f.value + sign * step:.9g}")
                    fs = list(m.filters)
                    fs[i] = ir.Filter(f.attr, f.op, v)
                    yield (f"{_label(m)}: {name} {SYMBOL[f.op]} {_num(f.value)} -> {SYMBOL[f.op]} {_num(v)}",
                           dataclasses.replace(m, filters=tuple(fs)))
    if isinstance(m, ir.Pairs):
        for attr in ("lo", "hi"):
            d0: Duration = getattr(m, attr)
            for delta in (-1, 1):
                d = _shift(d0, delta)
                if d is None:
                    continue
                lo, hi = (d, m.hi) if attr == "lo" else (m.lo, d)
                if lo.approx_days() > hi.approx_days():
                    continue
                yield (f"{_label(m)}: after [{m.lo}, {m.hi}] -> [{lo}, {hi}] from the {m.from_}",
                       dataclasses.replace(m, lo=lo, hi=hi))
        for role in ("anchor", "event"):
            q: ir.Records = getattr(m, role)
            for desc, q2 in _window_variants(q):
                assert isinstance(q2, ir.Records)
                anchor, event = (q2, m.event) if role == "anchor" else (m.anchor, q2)
                yield f"{role} {desc}", dataclasses.replace(m, anchor=anchor, event=event)


def _canonical(c: ir.Compare) -> tuple[str, float]:
    if isinstance(c.measure, (ir.Age, ir.Records, ir.Pairs)):
        if c.op == "gt":
            return "ge", math.floor(c.value) + 1
        if c.op == "lt":
            return "le", math.ceil(c.value) - 1
        if c.op in ("ge", "le"):
            return c.op, math.ceil(c.value) if c.op == "ge" else math.floor(c.value)
    return c.op, c.value


def mutants(rs: RuleSet) -> list[Mutant]:
    out: list[Mutant] = []
    for ci, c in enumerate(rs.ir.criteria):
        if c.expr is None:
            continue
        line = rs.smap.locate(("criteria", ci))[0]
        expr = c.expr

        def add(desc: str, new: ir.Node, ci: int = ci, cid: str = c.id, line: int = line) -> None:
            out.append(Mutant(rs.trial_id, cid, ci, line, desc, new))

        for li, leaf in enumerate(leaves(expr)):
            if not isinstance(leaf, ir.Compare) or math.isinf(leaf.value):
                continue
            m, op, v = leaf.measure, leaf.op, leaf.value
            what = f"{_label(m)} {SYMBOL[op]} {_num(v)}{_unit(leaf.unit)}"
            written = _written(rs, ci, leaf)

            def at(li: int, new_leaf: ir.Node, expr: ir.Node = expr) -> ir.Node:
                return map_leaves(expr, lambda i, x: new_leaf if i == li else x)

            # on whole numbers (completed years, record counts) `> n` is `>= n + 1`: one mutant each
            done = {_canonical(leaf)}
            variants = [(SWAP[op], v, f"{SYMBOL[SWAP[op]]} {_num(v)}")] if op in SWAP else []
            if written is not None:
                # one step of the threshold as written (1.5 mg/dL -> 1.4 and 1.6 mg/dL), in the IR's unit
                w, wunit, k = written
                what = f"{_label(m)} {SYMBOL[op]} {_num(w)}{_unit(wunit)}" + (
                    f" (= {_num(v)}{_unit(leaf.unit)})" if wunit != leaf.unit else "")
                if op in SWAP:
                    variants = [(SWAP[op], v, f"{SYMBOL[SWAP[op]]} {_num(w)}{_unit(wunit)}")]
                ws = step_of(ir.Latest(ir.CodeSet("", frozenset()), wunit), w)
                for sign in (-1, 1):
                    nw = float(f"{w + sign * ws:.9g}")
                    variants.append((op, float(f"{nw * k:.9g}"), f"{SYMBOL[op]} {_num(nw)}{_unit(wunit)}"))
            else:
                step = step_of(m, v)
                for sign in (-1, 1):
                    nv = float(f"{v + sign * step:.9g}")
                    variants.append((op, nv, f"{SYMBOL[op]} {_num(nv)}"))
            for nop, nv, label in variants:
                if isinstance(m, (ir.Records, ir.Pairs)) and nv < 0:
                    continue
                new_leaf = dataclasses.replace(leaf, op=nop, value=nv)  # type: ignore[arg-type]
                if _canonical(new_leaf) in done:
                    continue
                done.add(_canonical(new_leaf))
                add(f"{what} -> {label}", at(li, new_leaf))
        seen: list[ir.Measure] = []
        for leaf in leaves(expr):
            if leaf.measure in seen:
                continue
            seen.append(leaf.measure)
            for desc, m2 in _window_variants(leaf.measure):
                add(desc, replace_measure(expr, leaf.measure, m2))
    return out


def _case_fails(screener: Screener, case: Case) -> bool:
    """Does the case's expectation fail against `screener` (fast path: statuses only)?"""
    assert case.patient is not None
    (out,) = screener.outcomes(case.patient, case.as_of, [case.trial_id])
    if case.expected_verdict is not None and out.verdict != case.expected_verdict:
        return True
    return any(out.statuses.get(cid) != want for cid, want in case.expected.items())


@dataclass
class MutationReport:
    trial_id: str
    cases: int
    killed: list[tuple[Mutant, str]] = field(default_factory=list)  # mutant, name of a case that caught it
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.killed) + len(self.survivors)

    @property
    def score(self) -> float:
        return 100.0 * len(self.killed) / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {"trial": self.trial_id, "cases": self.cases, "mutants": self.total, "killed": len(self.killed),
                "score": round(self.score, 2), "survivors": [m.as_dict() for m in self.survivors]}


def run_mutants(catalog: Catalog, trial_id: str, results: list[CaseResult],
                only: Callable[[Mutant], bool] | None = None) -> MutationReport:
    """Run every mutant of `trial_id` against the cases whose results pass on the real rule set."""
    rs = catalog.get(trial_id)
    cases = [r.case for r in results if r.case.trial_id == trial_id and r.ok and r.case.patient is not None]
    report = MutationReport(trial_id, len(cases))
    for n, mut in enumerate(mutants(rs)):
        if only is not None and not only(mut):
            continue
        trial_ir = with_criterion(rs.ir, mut.index, mut.expr)
        compiled = compile_trial(trial_ir, f"{rs.compiled.name}~mutant{n}")
        mutated = dataclasses.replace(rs, ir=trial_ir, compiled=compiled)
        engine = Engine()
        screener = Screener(Catalog(catalog.root, {trial_id: mutated}), engine)
        try:
            killer = next((c.name for c in cases if _case_fails(screener, c)), None)
        finally:
            screener.close()
            engine.close()
        if killer is None:
            report.survivors.append(mut)
        else:
            report.killed.append((mut, killer))
    return report


def format_mutation(reports: list[MutationReport]) -> str:
    lines = []
    for r in reports:
        lines.append(f"{r.trial_id}: mutation score {r.score:.1f}% ({len(r.killed)}/{r.total} mutants caught "
                     f"by {r.cases} case(s))")
        for m in r.survivors:
            lines.append(f"  survivor  {m.criterion} (line {m.line}): {m.description}")
    return "\n".join(lines)
