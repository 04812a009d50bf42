"""Lower validated criteria to the IR: resolve concepts and value sets, fix units, apply policies."""

from __future__ import annotations

import math
from typing import Any

from screening.core.diagnostics import Diagnostic, RuleSetError, did_you_mean
from screening.core.timewindows import Duration
from screening.core.units import UnitError, factor, normalise, parse_molar_mass, parse_quantity
from screening.ruleset import ir
from screening.ruleset.model import (
    CODE_RE,
    AgeExpr,
    AllExpr,
    AnyExpr,
    ConditionExpr,
    ConditionSpec,
    Criterion,
    EventQuery,
    FactExpr,
    FollowedByExpr,
    LatestExpr,
    LesionExpr,
    LesionSpec,
    Library,
    LifeExpectancyExpr,
    MedicationExpr,
    MedicationSpec,
    NotExpr,
    ObservationExpr,
    ObservationSpec,
    ParticipationExpr,
    ProcedureExpr,
    ProcedureSpec,
    Range,
    RefExpr,
    SexExpr,
    TrialFile,
    ValueSet,
)
from screening.ruleset.sourcemap import SourceMap

P = tuple[str | int, ...]


class Lowerer:
    def __init__(self, trial: TrialFile, library: Library, smap: SourceMap):
        self.trial = trial
        self.library = library
        self.smap = smap
        self.diags: list[Diagnostic] = []
        self.used_value_sets: set[str] = set()
        self.used_concepts: set[str] = set()
        self._stack: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def err(self, path: P, code: str, msg: str) -> None:
        self.diags.append(self.smap.diag(path, code, msg))

    def value_set(self, name: str) -> ValueSet | None:
        return self.trial.value_sets.get(name) or self.library.value_sets.get(name)

    def codes(self, ref: str | list[str], path: P) -> ir.CodeSet:
        refs = [ref] if isinstance(ref, str) else list(ref)
        exact: set[tuple[str, str]] = set()
        prefixes: list[tuple[str, str]] = []
        names = []
        for r in refs:
            m = CODE_RE.match(r)
            if m:
                (prefixes.append((m.group(1), m.group(2))) if m.group(3) else exact.add((m.group(1), m.group(2))))
                names.append(r)
                continue
            vs = self.value_set(r)
            if vs is None:
                known = set(self.trial.value_sets) | set(self.library.value_sets)
                self.err(path, "E102", f"unknown value set {r!r}{did_you_mean(r, known)}")
                continue
            self.used_value_sets.add(r)
            names.append(vs.title or r)
            for c in vs.codes:
                m2 = CODE_RE.match(c)
                assert m2
                (prefixes.append((m2.group(1), m2.group(2))) if m2.group(3) else exact.add((m2.group(1), m2.group(2))))
        return ir.CodeSet(" or ".join(names), frozenset(exact), tuple(sorted(set(prefixes))))

    @staticmethod
    def duration(text: Any) -> Duration | None:
        return None if text is None else Duration.parse(text)

    def count_nodes(self, measure: ir.Measure, count: Range | None, path: P) -> ir.Node:
        if count is None:
            return ir.Compare(measure, "ge", 1.0)
        nodes: list[ir.Node] = []
        for op, v in count.bounds():
            if (isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0
                    or v != int(v)):
                self.err(path + ("count",), "E012", f"count bounds are whole numbers >= 0, got {v!r}")
                continue
            nodes.append(ir.Compare(measure, op, float(v)))  # type: ignore[arg-type]
        return nodes[0] if len(nodes) == 1 else ir.And(tuple(nodes))

    def range_nodes(self, measure: ir.Measure, rng: Range, path: P, unit: str = "1") -> ir.Node:
        nodes: list[ir.Node] = []
        for op, v in rng.bounds():
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                key = op if getattr(rng, op) is not None else "between"
                self.err(path + (key,), "E012", f"expected a number, got {v!r}")
                continue
            nodes.append(ir.Compare(measure, op, float(v), unit))  # type: ignore[arg-type]
        if not nodes:
            return ir.Compare(measure, "ge", float("-inf"))
        return nodes[0] if len(nodes) == 1 else ir.And(tuple(nodes))

    # -- record queries --------------------------------------------------------------------
    def records(self, kind: str, spec: Any, path: P, policy: ir.Policy) -> ir.Records:
        policy = getattr(spec, "missing", None) or policy
        filters: list[ir.Filter] = []
        codes = exclude = None
        active = None
        confirmed: tuple[str, ...] = ()
        latest_per_lesion = False
        if isinstance(spec, ConditionSpec):
            codes = self.codes(spec.code, path + ("code",))
            exclude = self.codes(spec.except_, path + ("except",)) if spec.except_ else None
            active = spec.active
            confirmed = tuple(spec.confirmed_by or ())
            if spec.verified:
                filters.append(ir.Filter("verification_status", "not_in", ("refuted", "entered-in-error")))
        elif isinstance(spec, ObservationSpec):
            codes = self.codes(spec.code, path + ("code",))
            if spec.result:
                filters.append(ir.Filter("result", "in", tuple(sorted(r.lower() for r in spec.result))))
        elif isinstance(spec, MedicationSpec):
            codes = self.codes(spec.code, path + ("code",))
            active = spec.active
            if spec.route:
                filters.append(ir.Filter("route", "in", tuple(sorted(spec.route))))
        elif isinstance(spec, ProcedureSpec):
            codes = self.codes(spec.code, path + ("code",))
        elif isinstance(spec, LesionSpec):
            w = spec.where
            latest_per_lesion = spec.latest_per_lesion
            if w.kind:
                filters.append(ir.Filter("kind", "in", tuple(sorted(w.kind))))
            if w.diameter_mm:
                for op, v in w.diameter_mm.bounds():
                    filters.append(ir.Filter("diameter_mm", op, float(v)))
            for attr in ("visible_depth", "loss_of_dermis", "painful", "calcinosis"):
                val = getattr(w, attr)
                if val is not None:
                    filters.append(ir.Filter(attr, "eq", bool(val)))
            if w.trend:
                filters.append(ir.Filter("trend", "in", tuple(sorted(w.trend))))
        return ir.Records(
            record=kind,  # type: ignore[arg-type]
            codes=codes, exclude=exclude, within=self.duration(getattr(spec, "within", None)),
            active=active, confirmed_by=confirmed, filters=tuple(filters),
            latest_per_lesion=latest_per_lesion, policy=policy,
        )

    # -- expressions -----------------------------------------------------------------------
    def expr(self, e: Any, path: P, policy: ir.Policy) -> ir.Node:
        if isinstance(e, AllExpr):
            return ir.And(tuple(self.expr(x, path + ("all", i), policy) for i, x in enumerate(e.all)))
        if isinstance(e, AnyExpr):
            return ir.Or(tuple(self.expr(x, path + ("any", i), policy) for i, x in enumerate(e.any)))
        if isinstance(e, NotExpr):
            return ir.Not(self.expr(e.not_, path + ("not",), policy))
        if isinstance(e, RefExpr):
            return self.ref(e.ref, path + ("ref",), policy)
        if isinstance(e, AgeExpr):
            return self.range_nodes(ir.Age(), e.age, path + ("age",), "a")
        if isinstance(e, SexExpr):
            return ir.OneOf(ir.Sex(), tuple(sorted(e.sex)))
        if isinstance(e, LatestExpr):
            return self.latest(e.latest, path + ("latest",))
        if isinstance(e, ConditionExpr):
            m = self.records("condition", e.condition, path + ("condition",), policy)
            return self.count_nodes(m, e.condition.count, path + ("condition",))
        if isinstance(e, ObservationExpr):
            m = self.records("observation", e.observation, path + ("observation",), policy)
            return self.count_nodes(m, e.observation.count, path + ("observation",))
        if isinstance(e, MedicationExpr):
            m = self.records("medication", e.medication, path + ("medication",), policy)
            return self.count_nodes(m, e.medication.count, path + ("medication",))
        if isinstance(e, ProcedureExpr):
            m = self.records("procedure", e.procedure, path + ("procedure",), policy)
            return self.count_nodes(m, e.procedure.count, path + ("procedure",))
        if isinstance(e, LesionExpr):
            m = self.records("lesion", e.lesion, path + ("lesion",), policy)
            return self.count_nodes(m, e.lesion.count, path + ("lesion",))
        if isinstance(e, ParticipationExpr):
            m = self.records("participation", e.participation, path + ("participation",), policy)
            return self.count_nodes(m, e.participation.count, path + ("participation",))
        if isinstance(e, FactExpr):
            return ir.IsTrue(ir.Flag(e.fact.name, e.fact.missing or policy), e.fact.is_)
        if isinstance(e, LifeExpectancyExpr):
            return self.range_nodes(ir.Number("life_expectancy_months"), e.life_expectancy_months,
                                    path + ("life_expectancy_months",), "mo")
        if isinstance(e, FollowedByExpr):
            fb = e.followed_by
            p = path + ("followed_by",)
            anchor = self.event(fb.anchor, p + ("anchor",), policy)
            event = self.event(fb.event, p + ("event",), policy)
            lo, hi = Duration.parse(fb.after[0]), Duration.parse(fb.after[1])
            if lo.approx_days() > hi.approx_days():
                self.err(p + ("after",), "L003", f"window after the anchor is empty: {lo} is later than {hi}")
            pairs = ir.Pairs(anchor, event, fb.from_, lo, hi, fb.missing or policy)
            return self.count_nodes(pairs, fb.count, p)
        raise AssertionError(f"unhandled expression {type(e).__name__}")

    def event(self, q: EventQuery, path: P, policy: ir.Policy) -> ir.Records:
        kind = q.kind()
        return self.records(kind, getattr(q, kind), path + (kind,), policy)

    def ref(self, name: str, path: P, policy: ir.Policy) -> ir.Node:
        concept = self.trial.concepts.get(name) or self.library.concepts.get(name)
        if concept is None:
            known = set(self.trial.concepts) | set(self.library.concepts)
            self.err(path, "E101", f"unknown concept {name!r}{did_you_mean(name, known)}")
            return ir.Compare(ir.Age(), "ge", float("-inf"))
        if name in self._stack:
            self.err(path, "E103", "concept refers to itself: " + " -> ".join([*self._stack, name]))
            return ir.Compare(ir.Age(), "ge", float("-inf"))
        self.used_concepts.add(name)
        self._stack.append(name)
        try:
            # concept bodies report errors at the place that refers to them
            inner = self.expr(concept.when, path, policy)
        finally:
            self._stack.pop()
        return ir.Labelled(name, concept.title, inner)

    def latest(self, spec: Any, path: P) -> ir.Node:
        codes = self.codes(spec.code, path + ("code",))
        within = self.duration(spec.within)
        if spec.result is not None:
            return ir.OneOf(ir.LatestResult(codes, within), tuple(sorted(r.lower() for r in spec.result)))
        vs_unit = None
        molar_mass = None
        refs = [spec.code] if isinstance(spec.code, str) else list(spec.code)
        for r in refs:
            vs = self.value_set(r)
            if vs is not None:
                vs_unit = vs_unit or vs.unit
                if vs.molar_mass is not None:
                    try:
                        molar_mass = parse_molar_mass(vs.molar_mass)
                    except UnitError as e:
                        self.err(path + ("code",), "E105", f"value set {r!r}: molar_mass: {e}")
        bounds: list[tuple[str, float, str]] = []
        for op, v in Range(**{k: getattr(spec, k) for k in ("gt", "ge", "lt", "le", "eq", "between")}).bounds():
            try:
                value, unit = parse_quantity(v)
            except UnitError as e:
                self.err(path + (op if op in ("gt", "ge", "lt", "le", "eq") else "between",), "E105", str(e))
                continue
            bounds.append((op, value, unit))
        target = normalise(spec.unit or vs_unit or (bounds[0][2] if bounds else "1"))
        try:
            factor(target, target)
            if spec.unit:
                parse_quantity(f"1 {spec.unit}")
        except UnitError as e:
            self.err(path + ("unit",), "E105", str(e))
            return ir.Compare(ir.Age(), "ge", float("-inf"))
        measure = ir.Latest(codes, target, within, molar_mass)
        nodes: list[ir.Node] = []
        for op, value, unit in bounds:
            try:
                k = factor(unit, target, molar_mass)
            except UnitError as e:
                self.err(path + (op if op != "ge" or spec.between is None else "between",), "E104",
                         f"threshold unit {unit!r} cannot be compared with {target!r}: {e}")
                continue
            nodes.append(ir.Compare(measure, op, float(f"{value * k:.9g}"), target))  # type: ignore[arg-type]
        if not nodes:
            return ir.Compare(ir.Age(), "ge", float("-inf"))
        return nodes[0] if len(nodes) == 1 else ir.And(tuple(nodes))

    def criterion(self, i: int, c: Criterion) -> ir.CriterionIR:
        if c.when is None:
            return ir.CriterionIR(c.id, c.kind, None, c.missing, c.review)
        node = self.expr(c.when, ("criteria", i, "when"), c.missing)
        return ir.CriterionIR(c.id, c.kind, node, c.missing, None)


def lower(trial: TrialFile, library: Library, smap: SourceMap) -> tuple[ir.TrialIR, Lowerer]:
    lw = Lowerer(trial, library, smap)
    crits = tuple(lw.criterion(i, c) for i, c in enumerate(trial.criteria))
    if lw.diags:
        raise RuleSetError(lw.diags)
    return ir.trial_ir(trial.trial.id, crits), lw
