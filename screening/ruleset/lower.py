"""Lower validated criteria to the IR: resolve concepts and value sets, fix units, apply policies."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from screening.core.diagnostics import Diagnostic, RuleSetError, did_you_mean
from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruleset.lower_numbers import PLACEHOLDER, NumberLowering
from screening.ruleset.model import (
    CODE_RE,
    AgeExpr,
    AllergyExpr,
    AllergySpec,
    AllExpr,
    AnyExpr,
    ConditionExpr,
    ConditionSpec,
    Criterion,
    EncounterExpr,
    EncounterSpec,
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
    ParticipationSpec,
    ProcedureExpr,
    ProcedureSpec,
    RefExpr,
    SexExpr,
    TrialFile,
    ValueSet,
)
from screening.ruleset.sourcemap import SourceMap
from screening.ruleset.valuesets.compose import (
    AuthoredCode,
    ComposedValueSet,
    ValueSetUse,
    literal_codes,
    merged_code_set,
)
from screening.ruleset.valuesets.terms import Terminology

P = tuple[str | int, ...]

# the record-query definitions and the key that holds each one's spec
_RECORD_EXPRS: dict[type, str] = {
    ConditionExpr: "condition", ObservationExpr: "observation", MedicationExpr: "medication",
    ProcedureExpr: "procedure", LesionExpr: "lesion", ParticipationExpr: "participation",
    EncounterExpr: "encounter", AllergyExpr: "allergy",
}


class Lowerer(NumberLowering):
    def __init__(self, trial: TrialFile, library: Library, smap: SourceMap, terms: Terminology | None = None):
        self.trial = trial
        self.library = library
        self.smap = smap
        self.terms = terms if terms is not None else Terminology.for_library(library)
        self.diags: list[Diagnostic] = []
        self.used_value_sets: set[str] = set()
        self.used_concepts: set[str] = set()
        self.uses: list[ValueSetUse] = []
        self.literals: list[AuthoredCode] = []
        self._stack: list[str] = []
        self.local, found = self.terms.compose_all(trial.value_sets, smap)
        self.diags += found

    # -- helpers ---------------------------------------------------------------------------
    def err(self, path: P, code: str, msg: str) -> None:
        self.diags.append(self.smap.diag(path, code, msg))

    def value_set(self, name: str) -> ValueSet | None:
        return self.trial.value_sets.get(name) or self.library.value_sets.get(name)

    def composed(self, name: str) -> ComposedValueSet | None:
        return self.local.get(name) or self.terms.library.get(name)

    def codes(self, ref: str | list[str], path: P, record: str = "observation") -> ir.CodeSet:
        refs = [ref] if isinstance(ref, str) else list(ref)
        literals: list[str] = []
        sets: list[ComposedValueSet] = []
        for i, r in enumerate(refs):
            if CODE_RE.match(r):
                literals.append(r)
                line, column = self.smap.locate(path if isinstance(ref, str) else path + (i,))
                self.literals += literal_codes([r], self.smap.file, line, column)
                continue
            vs = self.composed(r)
            if vs is None:
                known = set(self.trial.value_sets) | set(self.library.value_sets)
                self.err(path, "E102", f"unknown value set {r!r}{did_you_mean(r, known)}")
                continue
            self.used_value_sets.add(r)
            self.uses.append(ValueSetUse(r, record, path))
            sets.append(vs)
        merged = merged_code_set(literals, sets)
        course = self._natural_course(refs) if sets and not literals else None
        return dataclasses.replace(merged, natural_course=course) if course is not None else merged

    def _natural_course(self, refs: list[str]) -> Duration | None:
        """The longest natural course of the value sets named, when every one declares one."""
        courses = [self.value_set(r).natural_course for r in refs]  # type: ignore[union-attr]
        if not courses or any(c is None for c in courses):
            return None
        return max((Duration.parse(c) for c in courses if c is not None), key=Duration.approx_days)

    # -- record queries --------------------------------------------------------------------
    def records(self, kind: str, spec: Any, path: P, policy: ir.Policy) -> ir.Records:
        parts: dict[str, Any] = self._QUERY_PARTS[type(spec)](self, spec, path)
        timing = self._timing(spec, path)
        within = timing.pop("within", None) or self.duration(spec.within)
        return ir.Records(
            record=kind,  # type: ignore[arg-type]
            within=within,
            policy=getattr(spec, "missing", None) or policy,
            **parts,
            **timing,
        )

    def _timing(self, spec: Any, path: P) -> dict[str, Any]:
        """A window that ends before the screening date, an onset at least some time ago, distinct days."""
        out: dict[str, Any] = {}
        if spec.window is not None:
            first, last = Duration.parse(spec.window[0]), Duration.parse(spec.window[1])
            if first.approx_days() < last.approx_days():
                self.err(path + ("window",), "L003", f"window is empty: it starts {first} and ends {last} before "
                                                     f"the screening date; write the earlier offset first")
            out["within"] = first
            if last.amount:  # a window ending 0 days before the screening date is `within`
                out["window_end"] = last
        if spec.onset_at_least is not None:
            out["onset_at_least"] = Duration.parse(spec.onset_at_least)
        if spec.distinct == "days":
            out["distinct_days"] = True
        return out

    def _condition(self, spec: ConditionSpec, path: P) -> dict[str, Any]:
        filters = list(VERIFIED) if spec.verified else []
        return {"codes": self.codes(spec.code, path + ("code",), "condition"),
                "exclude": self.codes(spec.except_, path + ("except",), "condition") if spec.except_ else None,
                "active": spec.active, "confirmed_by": tuple(spec.confirmed_by or ()), "filters": tuple(filters)}

    def _observation(self, spec: ObservationSpec, path: P) -> dict[str, Any]:
        filters = [ir.Filter("result", "in", tuple(sorted(r.lower() for r in spec.result)))] if spec.result else []
        return {"codes": self.codes(spec.code, path + ("code",), "observation"), "filters": tuple(filters)}

    def _medication(self, spec: MedicationSpec, path: P) -> dict[str, Any]:
        filters = [ir.Filter("route", "in", _sorted_values(spec.route))] if spec.route else []
        if spec.daily_dose is not None:
            filters += self.dose_filters(spec.daily_dose, path + ("daily_dose",))
        parts: dict[str, Any] = {"codes": self.codes(spec.code, path + ("code",), "medication"), "active": spec.active,
                 "filters": tuple(filters)}
        if spec.stable_for is not None:  # one course, one dose: going on, and begun at least that long ago
            parts.update(active=True, onset_at_least=Duration.parse(spec.stable_for))
        return parts

    def _procedure(self, spec: ProcedureSpec, path: P) -> dict[str, Any]:
        return {"codes": self.codes(spec.code, path + ("code",), "procedure")}

    def _lesion(self, spec: LesionSpec, path: P) -> dict[str, Any]:
        w = spec.where
        filters: list[ir.Filter] = []
        if w.kind:
            filters.append(ir.Filter("kind", "in", _sorted_values(w.kind)))
        if w.diameter_mm:
            filters += [ir.Filter("diameter_mm", op, float(v)) for op, v in w.diameter_mm.bounds()]
        for attr in ("visible_depth", "loss_of_dermis", "painful", "calcinosis"):
            val = getattr(w, attr)
            if val is not None:
                filters.append(ir.Filter(attr, "eq", bool(val)))
        if w.trend:
            filters.append(ir.Filter("trend", "in", _sorted_values(w.trend)))
        return {"filters": tuple(filters), "latest_per_lesion": spec.latest_per_lesion}

    def _participation(self, spec: ParticipationSpec, path: P) -> dict[str, Any]:
        return {}

    def _encounter(self, spec: EncounterSpec, path: P) -> dict[str, Any]:
        filters = [ir.Filter("class_", "in", _sorted_values(spec.class_))] if spec.class_ else []
        codes = self.codes(spec.code, path + ("code",), "encounter") if spec.code is not None else None
        return {"codes": codes, "filters": tuple(filters)}

    def _allergy(self, spec: AllergySpec, path: P) -> dict[str, Any]:
        filters = list(VERIFIED) if spec.verified else []
        for attr in ("type", "category"):
            if getattr(spec, attr):
                filters.append(ir.Filter(attr, "in", _sorted_values(getattr(spec, attr))))
        return {"codes": self.codes(spec.code, path + ("code",), "allergy"), "active": spec.active,
                "filters": tuple(filters)}

    _QUERY_PARTS: dict[type, Any] = {
        ConditionSpec: _condition, ObservationSpec: _observation, MedicationSpec: _medication,
        ProcedureSpec: _procedure, LesionSpec: _lesion, ParticipationSpec: _participation,
        EncounterSpec: _encounter, AllergySpec: _allergy,
    }

    # -- expressions -----------------------------------------------------------------------
    def expr(self, e: Any, path: P, policy: ir.Policy) -> ir.Node:
        return self._LOWER[type(e)](self, e, path, policy)

    def _all(self, e: AllExpr, path: P, policy: ir.Policy) -> ir.Node:
        return ir.And(tuple(self.expr(x, path + ("all", i), policy) for i, x in enumerate(e.all)))

    def _any(self, e: AnyExpr, path: P, policy: ir.Policy) -> ir.Node:
        return ir.Or(tuple(self.expr(x, path + ("any", i), policy) for i, x in enumerate(e.any)))

    def _not(self, e: NotExpr, path: P, policy: ir.Policy) -> ir.Node:
        return ir.Not(self.expr(e.not_, path + ("not",), policy))

    def _ref(self, e: RefExpr, path: P, policy: ir.Policy) -> ir.Node:
        return self.ref(e.ref, path + ("ref",), policy)

    def _age(self, e: AgeExpr, path: P, policy: ir.Policy) -> ir.Node:
        return self.range_nodes(ir.Age(), e.age, path + ("age",), "a")

    def _sex(self, e: SexExpr, path: P, policy: ir.Policy) -> ir.Node:
        return ir.OneOf(ir.Sex(), tuple(sorted(e.sex)))

    def _latest(self, e: LatestExpr, path: P, policy: ir.Policy) -> ir.Node:
        return self.latest(e.latest, path + ("latest",))

    def _record_query(self, e: Any, path: P, policy: ir.Policy) -> ir.Node:
        """condition, observation, medication, procedure, lesion, participation: a count of records."""
        kind = _RECORD_EXPRS[type(e)]
        spec = getattr(e, kind)
        m = self.records(kind, spec, path + (kind,), policy)
        return self.count_nodes(m, spec.count, path + (kind,))

    def _fact(self, e: FactExpr, path: P, policy: ir.Policy) -> ir.Node:
        return ir.IsTrue(ir.Flag(e.fact.name, e.fact.missing or policy), e.fact.is_)

    def _life_expectancy(self, e: LifeExpectancyExpr, path: P, policy: ir.Policy) -> ir.Node:
        return self.range_nodes(ir.Number("life_expectancy_months"), e.life_expectancy_months,
                                path + ("life_expectancy_months",), "mo")

    def _followed_by(self, e: FollowedByExpr, path: P, policy: ir.Policy) -> ir.Node:
        fb = e.followed_by
        p = path + ("followed_by",)
        anchor = self.event(fb.anchor, p + ("anchor",), policy)
        event = self.event(fb.event, p + ("event",), policy)
        lo, hi = Duration.parse(fb.after[0]), Duration.parse(fb.after[1])
        if lo.approx_days() > hi.approx_days():
            self.err(p + ("after",), "L003", f"window after the anchor is empty: {lo} is later than {hi}")
        pairs = ir.Pairs(anchor, event, fb.from_, lo, hi, fb.missing or policy)
        return self.count_nodes(pairs, fb.count, p)

    _LOWER: dict[type, Any] = {
        AllExpr: _all, AnyExpr: _any, NotExpr: _not, RefExpr: _ref, AgeExpr: _age, SexExpr: _sex,
        LatestExpr: _latest, FactExpr: _fact, LifeExpectancyExpr: _life_expectancy, FollowedByExpr: _followed_by,
        **dict.fromkeys((ConditionExpr, ObservationExpr, MedicationExpr, ProcedureExpr, LesionExpr,
                         ParticipationExpr, EncounterExpr, AllergyExpr), _record_query),
    }

    def event(self, q: EventQuery, path: P, policy: ir.Policy) -> ir.Records:
        kind = q.kind()
        return self.records(kind, getattr(q, kind), path + (kind,), policy)

    def ref(self, name: str, path: P, policy: ir.Policy) -> ir.Node:
        concept = self.trial.concepts.get(name) or self.library.concepts.get(name)
        if concept is None:
            known = set(self.trial.concepts) | set(self.library.concepts)
            self.err(path, "E101", f"unknown concept {name!r}{did_you_mean(name, known)}")
            return PLACEHOLDER
        if name in self._stack:
            self.err(path, "E103", "concept refers to itself: " + " -> ".join([*self._stack, name]))
            return PLACEHOLDER
        self.used_concepts.add(name)
        self._stack.append(name)
        try:
            # concept bodies report errors at the place that refers to them
            inner = self.expr(concept.when, path, policy)
        finally:
            self._stack.pop()
        return ir.Labelled(name, concept.title, inner)

    def criterion(self, i: int, c: Criterion) -> ir.CriterionIR:
        where = ("criteria", i, "when") if c.when is not None else ("criteria", i)
        line, column = self.smap.locate(where)
        # `fail` is the criterion's own: its measures read missing data as unknown (see CriterionIR)
        measures: ir.Policy = "unknown" if c.missing == "fail" else c.missing
        node = self.expr(c.when, where, measures) if c.when is not None else None
        return ir.CriterionIR(
            c.id, c.kind, node, c.missing, c.review if node is None else None, text=c.text,
            source=ir.Source(c.source.document, c.source.section, c.source.item),
            position=ir.Position(self.smap.file, line, column), reading=c.reading,
            alternative=c.alternative.text if c.alternative else None)


VERIFIED = (
    ir.Filter("verification_status", "not_in", ("entered-in-error", "refuted")),
    # only a confirmed (or unstated) diagnosis establishes a condition; these may be it
    ir.Filter("verification_status", "maybe_if_in", ("differential", "provisional", "unconfirmed")),
)
"""How a diagnosis counts by its verification status (`verified: true`, the default)."""

def _sorted_values(values: Iterable[str]) -> tuple[str, ...]:
    """Allowed values as plain, sorted strings (enum members of the vocabulary become their values)."""
    return tuple(sorted(str(v) for v in values))


@dataclass(frozen=True)
class Lowered:
    """A trial's IR and what lint needs to know about how it was built."""

    ir: ir.TrialIR
    used_value_sets: frozenset[str]
    used_concepts: frozenset[str]
    value_sets: Mapping[str, ComposedValueSet] = field(default_factory=dict)  # trial-local and used
    uses: tuple[ValueSetUse, ...] = ()
    literals: tuple[AuthoredCode, ...] = ()  # codes written in the criteria themselves

    def used(self) -> list[ComposedValueSet]:
        """The value sets the criteria use, by name."""
        return [self.value_sets[n] for n in sorted(self.used_value_sets) if n in self.value_sets]


def lower(trial: TrialFile, library: Library, smap: SourceMap, terms: Terminology | None = None) -> Lowered:
    """Lower a validated trial file; every error of every criterion is raised together. `terms` holds
    the library's composed value sets (`LoadedLibrary.terms`); without it they are composed here."""
    lw = Lowerer(trial, library, smap, terms)
    crits = tuple(lw.criterion(i, c) for i, c in enumerate(trial.criteria))
    if lw.diags:
        raise RuleSetError(lw.diags)
    sets = dict(lw.local)
    sets.update({n: vs for n in lw.used_value_sets if n not in sets and (vs := lw.composed(n)) is not None})
    return Lowered(ir.trial_ir(trial.trial.id, crits, trial.trial.title),
                   frozenset(lw.used_value_sets), frozenset(lw.used_concepts), sets, tuple(lw.uses),
                   tuple(lw.literals))
