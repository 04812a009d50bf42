"""One class per lint check (the table of codes is in the package docstring).

A check reads a `LintContext` (the validated trial file, its lowered IR, the source map and
the file's path) and yields diagnostics placed at the YAML node they concern.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from screening.core.codesystems import ICD_SYSTEMS, SYSTEM_NAMES
from screening.core.diagnostics import Diagnostic
from screening.core.units import UnitError, parse_quantity
from screening.ruleset import ir
from screening.ruleset.capacity import ENGINE_STACK
from screening.ruleset.compile import MAX_RULE_PATHS, criterion_paths, criterion_stack_peak
from screening.ruleset.lower import Lowered
from screening.ruleset.model import TrialFile
from screening.ruleset.render import measure_text
from screening.ruleset.sourcemap import SourceMap
from screening.ruleset.valuesets.compose import AuthoredCode
from screening.ruleset.valuesets.hierarchy import Hierarchy, package_label

PLACEHOLDERS = {"", "n/a", "na", "none", "tbd", "todo", "-", "..."}


@dataclass(frozen=True)
class LintContext:
    trial: TrialFile
    lowered: Lowered
    smap: SourceMap
    path: Path | None = None

    def computable(self) -> Iterator[tuple[int, ir.CriterionIR, ir.Node]]:
        """(index, criterion, definition) of every computable criterion."""
        for i, c in enumerate(self.lowered.ir.criteria):
            if c.expr is not None:
                yield i, c, c.expr


class Check:
    code: ClassVar[str]
    severity: ClassVar[str] = "error"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        raise NotImplementedError

    def at(self, ctx: LintContext, path: tuple[str | int, ...], message: str) -> Diagnostic:
        return ctx.smap.diag(path, self.code, message, self.severity)


class DuplicateCriterionId(Check):
    code = "L001"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        seen: dict[str, int] = {}
        for i, c in enumerate(ctx.trial.criteria):
            if c.id in seen:
                yield self.at(ctx, ("criteria", i, "id"), f"duplicate criterion id {c.id!r} (first at criteria[{seen[c.id]}])")
            else:
                seen[c.id] = i


class EmptyValueSet(Check):
    code = "L002"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for name in ctx.trial.value_sets:
            composed = ctx.lowered.value_sets.get(name)
            if composed is not None and composed.empty:
                yield self.at(ctx, ("value_sets", name, "codes"), f"value set {name!r} is empty")


def interval_empty(bounds: list[tuple[str, float]]) -> bool:
    """No number satisfies every (op, value) bound."""
    lo, lo_incl, hi, hi_incl = -math.inf, True, math.inf, True
    for op, v in bounds:
        if op in ("ge", "gt", "eq") and (v > lo or (v == lo and op == "gt")):
            lo, lo_incl = v, op != "gt"
        if op in ("le", "lt", "eq") and (v < hi or (v == hi and op == "lt")):
            hi, hi_incl = v, op != "lt"
    return lo > hi or (lo == hi and not (lo_incl and hi_incl))


class UnsatisfiableComparisons(Check):
    code = "L003"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, c, expr in ctx.computable():
            for msg in self.contradictions(expr):
                yield self.at(ctx, ("criteria", i, "when"), f"criterion {c.id!r} can never be met: {msg}")

    @staticmethod
    def contradictions(node: ir.Node) -> Iterator[str]:
        for n in ir.walk(node):
            if not isinstance(n, ir.And):
                continue
            by_measure: dict[ir.Measure, list[tuple[str, float]]] = {}
            for x in n.items:
                if isinstance(x, ir.Compare):
                    by_measure.setdefault(x.measure, []).append((x.op, x.value))
            for m, bounds in by_measure.items():
                if interval_empty(bounds):
                    shown = ", ".join(f"{ir.OP_SYMBOL[o]} {v:g}" for o, v in bounds)
                    yield f"{measure_text(m)}: no value satisfies {shown}"


class PlaceholderText(Check):
    code = "L004"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, c in enumerate(ctx.trial.criteria):
            if c.text.strip().lower().rstrip(".") in PLACEHOLDERS:
                yield self.at(ctx, ("criteria", i, "text"), f"criterion {c.id!r} has no source text (got {c.text!r})")


class UnknownValueSetUnit(Check):
    code = "L005"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for name, vs in ctx.trial.value_sets.items():
            if vs.unit is None:
                continue
            try:
                parse_quantity(f"1 {vs.unit}")
            except UnitError as e:
                yield self.at(ctx, ("value_sets", name, "unit"), str(e))


class UnusedDefinition(Check):
    code = "L006"
    severity = "warning"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for name in ctx.trial.value_sets:
            if name not in ctx.lowered.used_value_sets:
                yield self.at(ctx, ("value_sets", name), f"value set {name!r} is never used")
        for name in ctx.trial.concepts:
            if name not in ctx.lowered.used_concepts:
                yield self.at(ctx, ("concepts", name), f"concept {name!r} is never used")


class TrialIdNotFolder(Check):
    code = "L007"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        path, trial_id = ctx.path, ctx.trial.trial.id
        if path is not None and path.name == "trial.yaml" and path.parent.name != trial_id:
            yield self.at(ctx, ("trial", "id"), f"trial id {trial_id!r} differs from its folder name {path.parent.name!r}")


class ImplausibleAge(Check):
    code = "L008"
    severity = "warning"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, _, expr in ctx.computable():
            for n in ir.walk(expr):
                if isinstance(n, ir.Compare) and isinstance(n.measure, ir.Age) and not 0 <= n.value <= 130:
                    yield self.at(ctx, ("criteria", i, "when"), f"age bound {n.value:g} is outside 0..130 years")


class NoInclusion(Check):
    code = "L009"
    severity = "warning"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if not any(c.kind == "inclusion" for c in ctx.trial.criteria):
            yield self.at(ctx, ("criteria",), "the rule set has no inclusion criterion")


class TooManyRulePaths(Check):
    code = "L010"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, c, _ in ctx.computable():
            paths = criterion_paths(c)
            if paths > MAX_RULE_PATHS:
                yield self.at(ctx, ("criteria", i, "when"),
                              f"criterion {c.id!r} compiles to {paths} alternative rule paths (limit {MAX_RULE_PATHS}): "
                              "split it into several criteria or move shared alternatives into one `any`")


class TooManyConditionsTogether(Check):
    """durable_rules refuses a fact that leaves more than 64 conditions pending in its matching
    stack (see screening/ruleset/capacity.py). The compiler splits a trial into several rulesets
    to stay within it, but cannot split one criterion."""

    code = "L014"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, c, _ in ctx.computable():
            if criterion_paths(c) > MAX_RULE_PATHS:
                continue  # L010 already
            peak = criterion_stack_peak(ctx.lowered.ir, c)
            if peak > ENGINE_STACK:
                yield self.at(ctx, ("criteria", i, "when"),
                              f"criterion {c.id!r} may make {peak} of its conditions true together for one patient "
                              f"(the engine holds {ENGINE_STACK}): split it into several criteria")


class OneIcdSystemForDiagnoses(Check):
    """WHO ICD-10 and ICD-10-CM are different code systems: a diagnosis value set with codes of one
    only never matches records coded in the other."""

    code = "L011"
    severity = "warning"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        seen: set[str] = set()
        for use in ctx.lowered.uses:
            vs = ctx.lowered.value_sets.get(use.name)
            if use.record != "condition" or vs is None or use.name in seen:
                continue
            seen.add(use.name)
            icd = vs.systems() & set(ICD_SYSTEMS)
            if len(icd) == 1:
                (has,) = icd
                lacks = "icd10cm" if has == "icd10" else "icd10"
                yield self.at(ctx, use.path,
                              f"value set {use.name!r} is used for diagnoses and has {SYSTEM_NAMES[has]} codes but no "
                              f"{SYSTEM_NAMES[lacks]} codes: records coded in {SYSTEM_NAMES[lacks]} will not match it "
                              f"(add the {lacks}: codes, or `descendants` of the same items)")


class UnknownIcdCode(Check):
    """A code written as `icd10:` or `icd10cm:` that the classification does not have (ICD-10-CM
    codes such as E83.11 filed as WHO ICD-10, typing errors), checked with the hierarchy packages."""

    code = "L012"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        written = [a for vs in ctx.lowered.value_sets.values() for a in vs.authored] + list(ctx.lowered.literals)
        hierarchy = Hierarchy()
        for system in ICD_SYSTEMS:
            codes = {a.code for a in written if a.system == system}
            unknown = set(hierarchy.unknown(system, codes))
            other = "icd10" if system == "icd10cm" else "icd10cm"
            in_other = set(hierarchy.unknown(other, unknown)) if unknown else set()
            for a in sorted({a for a in written if a.system == system and a.code in unknown}, key=_place):
                hint = (f"; it is an {SYSTEM_NAMES[other]} code: write {other}:{a.code}" if a.code not in in_other
                        else "")
                yield Diagnostic(a.file, a.line, a.column, self.code,
                                 f"{system}:{a.code} is not a code of {SYSTEM_NAMES[system]} "
                                 f"({package_label(system)}){hint}", self.severity)


def _place(a: AuthoredCode) -> tuple[str, int, int]:
    return (a.file, a.line, a.column)


class LimitWithoutFallback(Check):
    """A comparison with a multiple of a limit of normal whose value set states no reference range:
    a result reported without its own range is then unknown (never compared with a guessed limit)."""

    code = "L013"
    severity = "warning"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, _, expr in ctx.computable():
            for m in ir.measures_of(expr):
                if isinstance(m, ir.LatestRatio) and m.fallback is None:
                    yield self.at(ctx, ("criteria", i, "when"),
                                  f"{m.codes.describe()} is compared with a multiple of its {m.limit_name}, but its "
                                  f"value set states no `reference_range`: results without their own range will be "
                                  "unknown (add one, with its source, if a typical range is acceptable)")


class RequiredDataForReview(Check):
    """`missing: fail` on a criterion for review: it is never computed, so no data decides it."""

    code = "L015"
    severity = "warning"

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for i, c in enumerate(ctx.trial.criteria):
            if c.missing == "fail" and c.when is None:
                yield self.at(ctx, ("criteria", i, "missing"), f"criterion {c.id!r} is for review: `missing: fail` "
                              "has no data to require (it applies only with `when:`)")


CHECKS: tuple[Check, ...] = (
    DuplicateCriterionId(), EmptyValueSet(), UnsatisfiableComparisons(), PlaceholderText(), UnknownValueSetUnit(),
    UnusedDefinition(), TrialIdNotFolder(), ImplausibleAge(), NoInclusion(), TooManyRulePaths(),
    OneIcdSystemForDiagnoses(), UnknownIcdCode(), LimitWithoutFallback(), TooManyConditionsTogether(),
    RequiredDataForReview(),
)
