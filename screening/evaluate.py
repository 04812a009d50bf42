"""Screen patient profiles against compiled trials: facts -> engine -> statuses -> explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from patients.model import PatientProfile

from . import ir
from .catalog import Catalog, RuleSet
from .compile import Layout, build_fact, fact_layout
from .diagnostics import InputError, did_you_mean
from .engine import Engine
from .explain import explain_criterion
from .facts import CodeIndex, PatientFacts, Value
from .render import measure_text
from .results import CriterionResult, ScreeningReport, TrialResult
from .version import ENGINE_VERSION


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

    def __init__(self, catalog: Catalog, engine: Engine | None = None):
        self.catalog = catalog
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
                known = ", ".join(self.catalog.rulesets)
                raise InputError(f"unknown trial {t!r}{did_you_mean(t, self.catalog.rulesets)}; known trials: {known}")
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
        values = out.values
        for c_ir, c in zip(rs.ir.criteria, rs.model.criteria, strict=True):
            status = out.statuses[c.id]
            src = c.source.document + (f", {c.source.section}" if c.source.section else "") + (
                f", item {c.source.item}" if c.source.item is not None else "")
            if c_ir.expr is None:
                crits.append(CriterionResult(id=c.id, kind=c.kind, status="review", matched=None,
                                             explanation=f"For review: {c.review}", text=c.text, source=src,
                                             review_reason=c.review))
                to_review.append(c.id)
                continue
            info = explain_criterion(c_ir, status, values)
            crits.append(CriterionResult(id=c.id, kind=c.kind, status=status, text=c.text, source=src, **info))  # type: ignore[arg-type]
            if status == "unknown":
                to_collect += [m for m in info["missing_data"] if m not in to_collect]
            assumptions += [a for a in info["assumptions"] if a not in assumptions]
        counts = {s: sum(1 for c in crits if c.status == s) for s in ("pass", "fail", "unknown", "review")}
        return TrialResult(
            trial_id=rs.trial_id, title=rs.model.trial.title, verdict=out.verdict,  # type: ignore[arg-type]
            ruleset_hash=rs.hash, engine_version=ENGINE_VERSION, as_of=as_of, counts=counts, criteria=crits,
            data_to_collect=to_collect, criteria_to_review=to_review, assumptions=assumptions,
        )


def missing_measures(values: dict[ir.Measure, Value]) -> list[str]:
    """What data would decide the measures among `values` that are unknown (for batch summaries)."""
    return sorted({v.missing or measure_text(m) for m, v in values.items() if not v.known or v.reason})
