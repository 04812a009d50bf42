"""Screen patient profiles against compiled trials: facts -> engine -> statuses -> explanations."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Sequence

from patients.model import PatientProfile
from screening.core.diagnostics import InputError, unknown_trial
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog, RuleSet
from screening.ruleset.compile import ANCHOR_KEY, ANCHOR_VALUE, Slot
from screening.ruleset.render import measure_text
from screening.runtime.engine import Engine
from screening.runtime.explain import Explanations
from screening.runtime.facts import PatientFacts
from screening.runtime.plan import CriterionPlan, ScreeningPlan, TrialPlan
from screening.runtime.required import required_missing
from screening.runtime.results import CriterionResult, ScreeningReport, TrialResult, UnrecognisedCode
from screening.runtime.values import Value
from screening.version import ENGINE_VERSION

EXPLANATION_MEMO_SIZE = 4096
"""Bound on each memo of explanations (cleared when full, see `explain.Explanations`): whole
criterion results that read nothing but patient-independent values (nothing recorded, assumed
absent: few, the same for every patient, and most of a typical report), and rendered
explanations per distinct outcome."""


def build_fact(layout: Sequence[Slot], values: Iterable[Value]) -> dict[str, object]:
    """The fact asserted for one patient (values in layout order): intervals as `<key>l`/`<key>h`,
    categories and flags as `<key>`; unknown values and bounds are left out (durable_rules
    matches nothing on them)."""
    fact: dict[str, object] = {ANCHOR_KEY: ANCHOR_VALUE}
    for slot, v in zip(layout, values, strict=True):
        if slot.numeric:
            if v.lo is not None:
                fact[slot.lo_key] = v.lo
            if v.hi is not None:
                fact[slot.hi_key] = v.hi
        elif v.value is not None:
            fact[slot.key] = int(v.value) if isinstance(v.value, bool) else v.value
    return fact


class TrialOutcome:
    """The bare result of one trial for one patient (the batch hot path)."""

    __slots__ = ("trial_id", "verdict", "statuses", "_plan", "_facts")

    def __init__(self, trial_id: str, verdict: str, statuses: dict[str, str], plan: TrialPlan, facts: PatientFacts):
        self.trial_id, self.verdict, self.statuses = trial_id, verdict, statuses
        self._plan, self._facts = plan, facts

    @property
    def values(self) -> dict[ir.Measure, Value]:
        """Measure -> value for the trial's measures (built on each access)."""
        cache = self._facts.cache
        return {m: cache[n] for m, n in zip(self._plan.ruleset.compiled.measures, self._plan.numbers, strict=True)}


def _reader(c: CriterionPlan, cache: dict[int, Value]) -> Callable[[ir.Measure], Value]:
    """The values of `c`'s measures, looked up by identity."""
    number_of = c.number_of
    return lambda m: cache[number_of[id(m)]]


def _verdict(statuses: Iterable[str]) -> str:
    verdict = "eligible"
    for status in statuses:
        if status == "fail":
            return "ineligible"
        if status != "pass":
            verdict = "undetermined"
    return verdict


class Screener:
    """Holds an engine with every rule set of a catalog loaded. Thread-safe."""

    def __init__(self, catalog: Catalog, engine: Engine | None = None, memo_size: int = EXPLANATION_MEMO_SIZE):
        self.catalog = catalog
        self.plan = ScreeningPlan(catalog)
        self.memo_size = memo_size
        self.engine = engine or Engine()
        for tp in self.plan.trials.values():
            self.engine.load(tp.engine_name, *tp.ruleset.compiled.parts)
        self._explained = Explanations(memo_size)

    def close(self) -> None:
        for tp in self.plan.trials.values():
            self.engine.unload(tp.engine_name)

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
        plan = self.plan.trials[rs.trial_id]
        cache = facts.cache
        for number in plan.numbers:
            if number not in cache:
                cache[number] = facts.compute(self.plan.measures[number])
        fired = self.engine.fired(plan.engine_name, build_fact(plan.layout, [cache[n] for n in plan.numbers]))
        statuses: dict[str, str] = {}
        for cid, pass_rule, fail_rule, when_passed, when_failed in plan.decisions:
            if pass_rule is None:
                statuses[cid] = "review"
            elif pass_rule in fired:
                if fail_rule in fired:
                    raise RuntimeError(f"{rs.trial_id}:{cid}: both pass and fail rules fired")
                statuses[cid] = when_passed
            else:
                statuses[cid] = when_failed if fail_rule in fired else "unknown"
        for c in plan.required:  # required data not recorded at all: not met (the result says so)
            if statuses[c.id] == "unknown" and required_missing(c.criterion, _reader(c, cache)) is not None:
                statuses[c.id] = "fail"
        return TrialOutcome(rs.trial_id, _verdict(statuses.values()), statuses, plan, facts)

    def outcomes(self, profile: PatientProfile, as_of: dt.date | None = None,
                 trial_ids: Iterable[str] | None = None) -> list[TrialOutcome]:
        as_of = as_of or dt.date.today()
        rulesets = self.resolve_trials(trial_ids)
        facts = self._facts(profile, as_of, rulesets)
        return [self.outcome(rs, facts) for rs in rulesets]

    def _facts(self, profile: PatientProfile, as_of: dt.date, rulesets: list[RuleSet]) -> PatientFacts:
        facts = PatientFacts(profile, as_of, self.plan.index, self.plan.shared)
        if len(rulesets) == len(self.plan.trials):  # every trial: compute every measure once, up front
            cache, compute = facts.cache, facts.compute
            for number, m in enumerate(self.plan.measures):
                cache[number] = compute(m)
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
                               results=results, warnings=warnings, unrecognised_codes=unrecognised_codes(facts))

    def trial_result(self, rs: RuleSet, out: TrialOutcome, as_of: dt.date) -> TrialResult:
        cache = out._facts.cache  # every measure of the trial is computed by `outcome`
        crits = [c.review or self._explained_criterion(c, out.statuses[c.id], cache) for c in out._plan.criteria]
        to_collect: list[str] = []
        assumptions: list[str] = []
        counts = {"pass": 0, "fail": 0, "unknown": 0, "review": 0}
        for res in crits:
            counts[res.status] += 1
            if res.status == "unknown":
                to_collect += [m for m in res.missing_data if m not in to_collect]
            assumptions += [a for a in res.assumptions if a not in assumptions]
        return TrialResult(
            trial_id=rs.trial_id, title=rs.title, verdict=out.verdict,  # type: ignore[arg-type]
            ruleset_hash=rs.hash, engine_version=ENGINE_VERSION, as_of=as_of, counts=counts, criteria=crits,
            data_to_collect=to_collect, criteria_to_review=[c.id for c in crits if c.status == "review"],
            assumptions=assumptions, value_sets=list(out._plan.value_sets),
        )

    def _explained_criterion(self, c: CriterionPlan, status: str, cache: dict[int, Value]) -> CriterionResult:
        """The criterion's result, explained once per distinct outcome (see `Explanations`)."""
        return self._explained.result(c, c.criterion, status, [cache[n] for n in c.numbers], _reader(c, cache))


def unrecognised_codes(facts: PatientFacts) -> list[UnrecognisedCode]:
    """The patient's codes that no value set of the catalog reads, with the records so coded."""
    return [UnrecognisedCode(kind=kind, code=f"{c.system}:{c.code}", display=c.display, records=paths)
            for kind, c, paths in facts.unrecognised()]


def missing_measures(values: dict[ir.Measure, Value]) -> list[str]:
    """What data would decide the measures among `values` that are unknown (for batch summaries)."""
    return sorted({v.missing or measure_text(m) for m, v in values.items() if not v.known or v.reason})


def keep_out_of_gc_scans() -> None:
    """Objects alive now (a loaded catalog, its engine and plan) live as long as the process or
    the next reload: move them out of the garbage collector's scans (`gc.freeze`). Objects
    frozen by an earlier call are unfrozen first, so that a replaced catalog can be collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
