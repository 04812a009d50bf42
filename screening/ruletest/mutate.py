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
from typing import Any, TypeVar

from screening.core.timewindows import Duration
from screening.core.units import UnitError, factor
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog, RuleSet
from screening.ruleset.compile import compile_trial
from screening.ruletest.cases import Case, CaseResult
from screening.ruletest.rewrite import replace_leaf, replace_measure, with_criterion
from screening.ruletest.written import criterion_lines, decimals, latest_thresholds
from screening.runtime.engine import Engine
from screening.runtime.evaluate import Screener

SWAP = {"lt": "le", "le": "lt", "gt": "ge", "ge": "gt"}
SYMBOL = ir.OP_SYMBOL
WHOLE = (ir.Age, ir.Number, ir.Records, ir.Pairs)  # measures counted in whole units (years, months, records)
COUNTS = (ir.Records, ir.Pairs)

Windowed = TypeVar("Windowed", bound=ir.Latest | ir.LatestResult | ir.LatestRatio | ir.Records)
Variant = tuple[str, float, str]  # (operator, value in the IR's unit, how the new threshold reads)


@dataclass(frozen=True)
class Mutant:
    trial_id: str
    criterion: str
    line: int
    description: str
    expr: ir.Node

    def as_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "line": self.line, "mutation": self.description}


def step_of(m: ir.Measure, value: float) -> float:
    """One step of a threshold: one whole unit, or one unit of the value's last written decimal."""
    return 1.0 if isinstance(m, WHOLE) else decimal_step(value)


def decimal_step(value: float) -> float:
    return 10.0 ** -decimals(value)


def _num(x: float) -> str:
    return f"{x:.9g}"


def _unit(u: str) -> str:
    return "" if u in ("1", "") else {"a": " years", "mo": " months"}.get(u, " " + u)


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
    if isinstance(m, ir.LatestRatio):
        return f"latest {m.codes.name}"
    return type(m).__name__.lower()


def mutants(rs: RuleSet) -> list[Mutant]:
    """Every mutant of a trial, criterion by criterion: its thresholds, then its windows."""
    lines = criterion_lines(rs)
    out: list[Mutant] = []
    for c in rs.ir.criteria:
        if c.expr is not None:
            changes = [*_threshold_changes(rs, c, c.expr), *_window_changes(c.expr)]
            out += [Mutant(rs.trial_id, c.id, lines[c.id], desc, expr) for desc, expr in changes]
    return out


# --- thresholds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """A threshold as mutant descriptions show it: as written for `latest:` values (1.5 mg/dL),
    else as in the IR."""

    value: float
    unit: str
    to_ir: float  # factor from `unit` to the IR's unit
    step: float
    variant_unit: str  # the unit shown after a changed threshold ("" for the IR's own)


def _shown(rs: RuleSet, c: ir.CriterionIR, leaf: ir.Compare) -> _Shown:
    m = leaf.measure
    if isinstance(m, ir.Latest):
        for w in latest_thresholds(rs, c.id):
            if w.op != leaf.op:
                continue
            try:
                k = factor(w.unit, m.unit, m.molar_mass)
            except UnitError:
                continue
            if abs(float(f"{w.value * k:.9g}") - leaf.value) <= 1e-9 * max(1.0, abs(leaf.value)):
                return _Shown(w.value, w.unit, k, decimal_step(w.value), _unit(w.unit))
    return _Shown(leaf.value, leaf.unit, 1.0, step_of(m, leaf.value), "")


def _strictness(leaf: ir.Compare, s: _Shown) -> Iterator[Variant]:
    """`<` <-> `<=`, `>` <-> `>=`."""
    if leaf.op in SWAP:
        op = SWAP[leaf.op]
        yield op, leaf.value, f"{SYMBOL[op]} {_num(s.value)}{s.variant_unit}"


def _one_step(leaf: ir.Compare, s: _Shown) -> Iterator[Variant]:
    """The threshold one step down and one step up, as shown."""
    for sign in (-1, 1):
        shown = float(f"{s.value + sign * s.step:.9g}")
        yield leaf.op, float(f"{shown * s.to_ir:.9g}"), f"{SYMBOL[leaf.op]} {_num(shown)}{s.variant_unit}"


def _canonical(c: ir.Compare) -> tuple[str, float]:
    """On whole numbers (completed years, record counts) `> n` is `>= n + 1`: one form for both."""
    if isinstance(c.measure, (ir.Age, *COUNTS)):
        if c.op == "gt":
            return "ge", math.floor(c.value) + 1
        if c.op == "lt":
            return "le", math.ceil(c.value) - 1
        if c.op in ("ge", "le"):
            return c.op, math.ceil(c.value) if c.op == "ge" else math.floor(c.value)
    return c.op, c.value


def _threshold_changes(rs: RuleSet, c: ir.CriterionIR, expr: ir.Node) -> Iterator[tuple[str, ir.Node]]:
    for i, leaf in enumerate(c.leaves):
        if not isinstance(leaf, ir.Compare) or math.isinf(leaf.value):
            continue
        s = _shown(rs, c, leaf)
        what = f"{_label(leaf.measure)} {SYMBOL[leaf.op]} {_num(s.value)}{_unit(s.unit)}" + (
            f" (= {_num(leaf.value)}{_unit(leaf.unit)})" if s.unit != leaf.unit else "")
        done = {_canonical(leaf)}
        for op, value, label in [*_strictness(leaf, s), *_one_step(leaf, s)]:
            new = dataclasses.replace(leaf, op=op, value=value)  # type: ignore[arg-type]
            if (isinstance(leaf.measure, COUNTS) and value < 0) or _canonical(new) in done:
                continue
            done.add(_canonical(new))
            yield f"{what} -> {label}", replace_leaf(expr, i, new)


# --- windows and record filters ------------------------------------------------------------------


def _window_changes(expr: ir.Node) -> Iterator[tuple[str, ir.Node]]:
    for m in ir.measures_of(expr):
        for desc, new in _measure_variants(m):
            yield desc, replace_measure(expr, m, new)


def _measure_variants(m: ir.Measure) -> Iterator[tuple[str, ir.Measure]]:
    """Measures like m with one window, offset or record filter changed, and a description."""
    if isinstance(m, (ir.Latest, ir.LatestResult, ir.LatestRatio)):
        yield from _within_shifts(m)
    if isinstance(m, ir.Latest) and m.derive is not None:
        yield f"{_label(m)}: derived by {m.derive} -> recorded only", dataclasses.replace(m, derive=None)
    elif isinstance(m, ir.Records):
        yield from _records_variants(m)
    elif isinstance(m, ir.Pairs):
        yield from _offset_shifts(m)
        yield from _pair_record_variants(m)


def _shift(d: Duration, delta: int) -> Duration | None:
    return None if d.amount + delta < 0 else Duration(d.amount + delta, d.unit)


def _within_shifts(m: Windowed) -> Iterator[tuple[str, Windowed]]:
    if m.within is not None:
        for delta in (-1, 1):
            d = _shift(m.within, delta)
            if d is not None:
                yield f"{_label(m)}: within {m.within} -> within {d}", dataclasses.replace(m, within=d)


def _records_variants(q: ir.Records) -> Iterator[tuple[str, ir.Records]]:
    yield from _within_shifts(q)
    yield from _timing_changes(q)
    yield from _filter_changes(q)
    yield from _course_shifts(q)


def _timing_changes(q: ir.Records) -> Iterator[tuple[str, ir.Records]]:
    """The end of a past window and a least onset one unit earlier and later; distinct days as records."""
    for delta in (-1, 1):
        end = _shift(q.window_end, delta) if q.window_end is not None else None
        if end is not None and end.amount:  # a window ending 0 days before is `within`
            yield (f"{_label(q)}: window ending {q.window_end} -> {end} before",
                   dataclasses.replace(q, window_end=end))
        onset = _shift(q.onset_at_least, delta) if q.onset_at_least is not None else None
        if onset is not None:
            yield (f"{_label(q)}: onset at least {q.onset_at_least} -> {onset} before",
                   dataclasses.replace(q, onset_at_least=onset))
    if q.distinct_days:
        yield f"{_label(q)}: distinct days -> records", dataclasses.replace(q, distinct_days=False)


def _course_shifts(q: ir.Records) -> Iterator[tuple[str, ir.Records]]:
    """A diagnosis's natural course one unit shorter and longer."""
    course = q.codes.natural_course if q.codes is not None else None
    if course is None:
        return
    for delta in (-1, 1):
        d = _shift(course, delta)
        if d is not None:
            codes = dataclasses.replace(q.codes, natural_course=d)  # type: ignore[type-var]
            yield f"{_label(q)}: natural course {course} -> {d}", dataclasses.replace(q, codes=codes)


def _with_filter(m: ir.Records, i: int, f: ir.Filter) -> ir.Records:
    fs = list(m.filters)
    fs[i] = f
    return dataclasses.replace(m, filters=tuple(fs))


def _filter_changes(m: ir.Records) -> Iterator[tuple[str, ir.Records]]:
    """A numeric record filter (a lesion's diameter): its strictness, and its limit one step down and up."""
    for i, f in enumerate(m.filters):
        if f.op not in SWAP or not isinstance(f.value, (int, float)):
            continue
        what = f"{_label(m)}: {f.attr.replace('_', ' ')} {SYMBOL[f.op]} {_num(f.value)}"
        yield f"{what} -> {SYMBOL[SWAP[f.op]]} {_num(f.value)}", _with_filter(m, i, dataclasses.replace(f, op=SWAP[f.op]))
        step = 1.0 if float(f.value).is_integer() else decimal_step(f.value)
        for sign in (-1, 1):
            v = float(f"{f.value + sign * step:.9g}")
            yield f"{what} -> {SYMBOL[f.op]} {_num(v)}", _with_filter(m, i, dataclasses.replace(f, value=v))


def _offset_shifts(m: ir.Pairs) -> Iterator[tuple[str, ir.Measure]]:
    """A `followed_by` window with its earliest or latest offset moved by one unit."""
    for attr in ("lo", "hi"):
        for delta in (-1, 1):
            d = _shift(getattr(m, attr), delta)
            if d is None:
                continue
            lo, hi = (d, m.hi) if attr == "lo" else (m.lo, d)
            if lo.approx_days() <= hi.approx_days():
                yield (f"{_label(m)}: after [{m.lo}, {m.hi}] -> [{lo}, {hi}] from the {m.from_}",
                       dataclasses.replace(m, lo=lo, hi=hi))


def _pair_record_variants(m: ir.Pairs) -> Iterator[tuple[str, ir.Measure]]:
    """A `followed_by` pair with its anchor's or its event's window or filter changed."""
    for desc, q in _records_variants(m.anchor):
        yield f"anchor {desc}", dataclasses.replace(m, anchor=q)
    for desc, q in _records_variants(m.event):
        yield f"event {desc}", dataclasses.replace(m, event=q)


# --- running -------------------------------------------------------------------------------------


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


def _killer(catalog: Catalog, rs: RuleSet, mutant: Mutant, name: str, cases: list[Case]) -> str | None:
    """The name of the first case that fails against the mutated rule set (None: the mutant survives)."""
    trial_ir = with_criterion(rs.ir, mutant.criterion, mutant.expr)
    mutated = dataclasses.replace(rs, ir=trial_ir, compiled=compile_trial(trial_ir, name))
    engine = Engine()
    screener = Screener(Catalog(catalog.root, {rs.trial_id: mutated}), engine)
    try:
        return next((c.name for c in cases if _case_fails(screener, c)), None)
    finally:
        screener.close()
        engine.close()


def run_mutants(catalog: Catalog, trial_id: str, results: list[CaseResult],
                only: Callable[[Mutant], bool] | None = None) -> MutationReport:
    """Run every mutant of `trial_id` against the cases whose results pass on the real rule set."""
    rs = catalog.get(trial_id)
    cases = [r.case for r in results if r.case.trial_id == trial_id and r.ok and r.case.patient is not None]
    report = MutationReport(trial_id, len(cases))
    for n, mutant in enumerate(mutants(rs)):
        if only is not None and not only(mutant):
            continue
        killer = _killer(catalog, rs, mutant, f"{rs.compiled.name}~mutant{n}", cases)
        if killer is None:
            report.survivors.append(mutant)
        else:
            report.killed.append((mutant, killer))
    return report


def format_mutation(reports: list[MutationReport]) -> str:
    lines = []
    for r in reports:
        lines.append(f"{r.trial_id}: mutation score {r.score:.1f}% ({len(r.killed)}/{r.total} mutants caught "
                     f"by {r.cases} case(s))")
        for m in r.survivors:
            lines.append(f"  survivor  {m.criterion} (line {m.line}): {m.description}")
    return "\n".join(lines)
