"""Screen patient profiles against compiled trials: facts -> engine -> statuses -> explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from patients.model import PatientProfile
from screening.core.diagnostics import InputError, unknown_trial
from screening.ruleset import ir
from screening.ruleset.model import Criterion
from screening.ruleset.render import measure_text
from screening.runtime.catalog import Catalog, RuleSet
from screening.runtime.compile import Layout, build_fact, fact_layout
from screening.runtime.engine import Engine
from screening.runtime.explain import explain_criterion
from screening.runtime.facts import CodeIndex, PatientFacts, Value
from screening.runtime.results import CriterionResult, ScreeningReport, TrialResult
from screening.version import ENGINE_VERSION

EXPLANATION_MEMO_SIZE = 4096
"""Bound on the criterion results kept for reuse (cleared when full). Only results that read
nothing but patient-independent values (nothing recorded, assumed absent) are kept: they are
few, the same for every patient, and most of a typical report."""


class TrialOutcome:
    """The bare result of one trial for one patient (the batch hot path).

    `values` (measure -> value, for explanations) is built only when asked for.
    """

    __slots__ = ("trial_id", "verdict", "statuses", "_plan", "_facts")

    def __init__(self, trial_id: str, verdict: str, statuses: dict[str, str],
                 plan: list[tuple[ir.Measure, str, int, bool]], facts: PatientFacts):
        self.trial_id, self.verdict, self.statuses = trial_id, verdict, statuses
        self._plan, self._facts = plan, facts

    @property
    def values(self) -> dict[ir.Measure, Value]:
        """Measure -> value (built on each access: keep the result when used repeatedly)."""
        return {m: self._facts.get(gid, m) for m, _, gid, _ in self._plan}


class Screener:
    """Holds an engine with every rule set of a catalog loaded. Thread-safe."""

    def __init__(self, catalog: Catalog, engine: Engine | None = None, memo_size: int = EXPLANATION_MEMO_SIZE):
        self.catalog = catalog
        self.memo_size = memo_size
        self.engine = engine or Engine()
        self._measure_ids: dict[ir.Measure, int] = {}
        self._plan: dict[str, list[tuple[ir.Measure, str, int, bool]]] = {}
        self._criteria: dict[str, list[tuple[str, bool, str | None, str | None]]] = {}
        self._layout: dict[str, Layout] = {}
        self._gids: dict[str, list[int]] = {}
        for rs in catalog.rulesets.values():
            self.engine.load(rs.compiled.name, rs.compiled.definition)
            plan = []
            for m, key in rs.compiled.measure_keys.items():
                gid = self._measure_ids.setdefault(m, len(self._measure_ids))
                plan.append((m, key, gid, m.kind in ("number", "count")))
            self._plan[rs.trial_id] = plan
            self._layout[rs.trial_id] = fact_layout((key, numeric) for _, key, _, numeric in plan)
            self._gids[rs.trial_id] = [gid for _, _, gid, _ in plan]
            self._criteria[rs.trial_id] = [
                (c.id, c.kind == "exclusion", *((f"{c.id}.pass", f"{c.id}.fail") if c.expr is not None else (None, None)))
                for c in rs.ir.criteria
            ]
        self._explain_plan = {rs.trial_id: [_CriterionPlan(c_ir, c, self._measure_ids) for c_ir, c in
                                            zip(rs.ir.criteria, rs.model.criteria, strict=True)]
                              for rs in catalog.rulesets.values()}
        self._explained: dict[tuple[object, ...], CriterionResult] = {}
        # every trial's own measure objects: equal measures of two trials are distinct objects
        self._index = CodeIndex(m for plan in self._plan.values() for m, _, _, _ in plan)

    def close(self) -> None:
        for rs in self.catalog.rulesets.values():
            self.engine.unload(rs.compiled.name)

    def resolve_trials(self, trial_ids: Iterable[str] | None) -> list[RuleSet]:
        if not trial_ids:
            return list(self.catalog.rulesets.values())
        out = []
        for t in trial_ids:
            if t not in self.catalog.rulesets:
                raise InputError(unknown_trial(t, self.catalog.rulesets))
            out.append(self.catalog.rulesets[t])
        return out

    def outcome(self, rs: RuleSet, facts: PatientFacts) -> TrialOutcome:
        plan = self._plan[rs.trial_id]
        cache = facts.cache
        if len(cache) < len(self._measure_ids):
            compute = facts.compute
            for m, _, gid, _ in plan:
                if gid not in cache:
                    cache[gid] = compute(m)
        fact = build_fact(self._layout[rs.trial_id], [cache[gid] for gid in self._gids[rs.trial_id]])
        fired = self.engine.fired(rs.compiled.name, fact)
        statuses: dict[str, str] = {}
        verdict = "eligible"
        for cid, is_exclusion, pass_name, fail_name in self._criteria[rs.trial_id]:
            if pass_name is None:
                status = "review"
            else:
                p, f = pass_name in fired, fail_name in fired
                if p and f:
                    raise RuntimeError(f"{rs.trial_id}:{cid}: both pass and fail rules fired")
                if not (p or f):
                    status = "unknown"
                else:
                    # statuses are about eligibility: an exclusion that applies fails the patient
                    status = "pass" if p != is_exclusion else "fail"
            statuses[cid] = status
            if status == "fail":
                verdict = "ineligible"
            elif status != "pass" and verdict == "eligible":
                verdict = "undetermined"
        return TrialOutcome(rs.trial_id, verdict, statuses, plan, facts)

    def outcomes(self, profile: PatientProfile, as_of: dt.date | None = None,
                 trial_ids: Iterable[str] | None = None) -> list[TrialOutcome]:
        as_of = as_of or dt.date.today()
        rulesets = self.resolve_trials(trial_ids)
        facts = self._facts(profile, as_of, rulesets)
        return [self.outcome(rs, facts) for rs in rulesets]

    def _facts(self, profile: PatientProfile, as_of: dt.date, rulesets: list[RuleSet]) -> PatientFacts:
        facts = PatientFacts(profile, as_of, self._index)
        if len(rulesets) == len(self._plan):  # every trial: compute every measure once, up front
            cache, compute = facts.cache, facts.compute
            for gid, m in enumerate(self._measure_ids):
                cache[gid] = compute(m)
        return facts

    def screen(self, profile: PatientProfile, as_of: dt.date | None = None,
               trial_ids: Iterable[str] | None = None) -> ScreeningReport:
        as_of = as_of or dt.date.today()
        rulesets = self.resolve_trials(trial_ids)
        facts = self._facts(profile, as_of, rulesets)
        results = [self.trial_result(rs, self.outcome(rs, facts), as_of) for rs in rulesets]
        warnings = []
        later = [p for p, d in profile.iter_dates() if d > as_of]
        if later:
            warnings.append(f"{len(later)} record date(s) after the screening date {as_of} were ignored: "
                            + ", ".join(later[:5]) + (" ..." if len(later) > 5 else ""))
        return ScreeningReport(as_of=as_of, engine_version=ENGINE_VERSION, patient_id=profile.id,
                               results=results, warnings=warnings)

    def trial_result(self, rs: RuleSet, out: TrialOutcome, as_of: dt.date) -> TrialResult:
        crits: list[CriterionResult] = []
        to_collect: list[str] = []
        to_review: list[str] = []
        assumptions: list[str] = []
        computed = out._facts.cache  # every measure of the trial is computed by `outcome`
        values: dict[ir.Measure, Value] | None = None  # built on the first explanation not memoised
        memo = self._explained
        for plan in self._explain_plan[rs.trial_id]:
            if plan.review is not None:
                crits.append(plan.review)
                to_review.append(plan.review.id)
                continue
            status = out.statuses[plan.id]
            read = [computed[g] for g in plan.gids]
            key = (plan, status, *map(id, read)) if self.memo_size and all(v.shared for v in read) else None
            res = memo.get(key) if key is not None else None
            if res is None:
                if values is None:
                    values = out.values
                info = explain_criterion(plan.ir, status, values)
                res = CriterionResult(id=plan.id, kind=plan.kind, status=status,  # type: ignore[arg-type]
                                      text=plan.text, source=plan.source, **info)
                if key is not None:
                    if len(memo) >= self.memo_size:
                        memo.clear()
                    memo[key] = res
            crits.append(res)
            if status == "unknown":
                to_collect += [m for m in res.missing_data if m not in to_collect]
            assumptions += [a for a in res.assumptions if a not in assumptions]
        counts = {"pass": 0, "fail": 0, "unknown": 0, "review": 0}
        for c in crits:
            counts[c.status] += 1
        return TrialResult(
            trial_id=rs.trial_id, title=rs.model.trial.title, verdict=out.verdict,  # type: ignore[arg-type]
            ruleset_hash=rs.hash, engine_version=ENGINE_VERSION, as_of=as_of, counts=counts, criteria=crits,
            data_to_collect=to_collect, criteria_to_review=to_review, assumptions=assumptions,
        )


class _CriterionPlan:
    """What explaining one criterion needs that does not depend on the patient.

    `gids` are the measures its explanation reads: when every one of them has its shared
    patient-independent value (nothing recorded), the result is the same for every such patient
    and is memoised on them. Review criteria have one fixed result.
    """

    __slots__ = ("id", "kind", "ir", "text", "source", "gids", "review")

    def __init__(self, c_ir: ir.CriterionIR, c: Criterion, measure_ids: dict[ir.Measure, int]):
        self.id, self.kind, self.ir, self.text = c.id, c.kind, c_ir, c.text
        self.source = c.source.document + (f", {c.source.section}" if c.source.section else "") + (
            f", item {c.source.item}" if c.source.item is not None else "")
        self.gids: tuple[int, ...] = tuple(dict.fromkeys(
            measure_ids[n.measure] for n in ir.leaves(c_ir.expr))) if c_ir.expr is not None else ()  # type: ignore[attr-defined]
        self.review = None if c_ir.expr is not None else CriterionResult(
            id=c.id, kind=c.kind, status="review", matched=None, explanation=f"For review: {c.review}",
            text=c.text, source=self.source, review_reason=c.review)


def missing_measures(values: dict[ir.Measure, Value]) -> list[str]:
    """What data would decide the measures among `values` that are unknown (for batch summaries)."""
    return sorted({v.missing or measure_text(m) for m, v in values.items() if not v.known or v.reason})
