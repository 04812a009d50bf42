"""Screen patient profiles against compiled trials: facts -> engine -> statuses -> explanations."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import itemgetter

from patients.model import PatientProfile
from screening.core.diagnostics import InputError, unknown_trial
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog, RuleSet
from screening.ruleset.compile import ANCHOR, ANCHOR_KEY, ANCHOR_VALUE, Pack, Slot
from screening.ruleset.render import measure_text
from screening.runtime.engine import Engine, json_number
from screening.runtime.explanation_memo import Explanations, value_reader
from screening.runtime.facts import PatientFacts
from screening.runtime.plan import ScreeningPlan, TrialPlan, condition_statuses
from screening.runtime.required import required_missing
from screening.runtime.results import ScreeningReport, TrialResult, UnrecognisedCode, trusted
from screening.runtime.values import Value
from screening.version import ENGINE_VERSION

EXPLANATION_MEMO_SIZE = 4096
"""Bound on each memo of explanations (cleared when full, see `explanation_memo.Explanations`): whole
criterion results that read nothing but patient-independent values (nothing recorded, assumed
absent: few, the same for every patient, and most of a typical report), and rendered
explanations per distinct outcome."""


_NO_COUNTS = {"pass": 0, "fail": 0, "unknown": 0, "review": 0}


def build_fact(layout: Sequence[Slot], values: Iterable[Value]) -> dict[str, object]:
    """The fact asserted for one patient (values in layout order): intervals as `<key>l`/`<key>h`,
    categories and flags as `<key>`; unknown values and bounds are left out (durable_rules
    matches nothing on them)."""
    return _fact(zip(layout, values, strict=True))


def pack_fact(pack: Pack, cache: dict[int, Value]) -> dict[str, object]:
    """The fact asserted into a pack: `build_fact` over those of its measures that are computed
    (screening some trials computes only theirs: the other trials' conditions then match nothing)."""
    get = cache.get
    return _fact((slot, v) for slot, n in zip(pack.layout, pack.numbers, strict=True) if (v := get(n)) is not None)


def _fact(pairs: Iterable[tuple[Slot, Value]]) -> dict[str, object]:
    fact: dict[str, object] = {ANCHOR_KEY: ANCHOR_VALUE}
    for slot, v in pairs:
        if slot.numeric:
            if v.lo is not None:
                fact[slot.lo_key] = v.lo
            if v.hi is not None:
                fact[slot.hi_key] = v.hi
        elif v.value is not None:
            fact[slot.key] = int(v.value) if isinstance(v.value, bool) else v.value
    return fact


def fact_encoder(layout: Sequence[Slot]) -> Callable[[Sequence[Value]], str]:
    """`encode_fact(build_fact(layout, values))` in one step: the text of the fact asserted for one
    patient. A shared value's part of it is written once for every patient (`Value.encoded`)."""
    head = json.dumps(ANCHOR)[:-1]
    slots = tuple((s.lo_key if s.numeric else s.key, _slot_writer(s)) for s in layout)

    def encode(values: Sequence[Value]) -> str:
        parts = [head]
        add = parts.append
        for (key, write), v in zip(slots, values, strict=True):
            if v.shared_key is None:
                add(write(v))
                continue
            encoded = v.encoded
            if encoded is None:
                encoded = v.encoded = {}
            part = encoded.get(key)
            if part is None:
                part = encoded[key] = write(v)
            add(part)
        add("}")
        return "".join(parts)
    return encode


def _slot_writer(slot: Slot) -> Callable[[Value], str]:
    """A value's part of the fact text in one slot: ', "<key>": <value>' for each bound or category
    known (as `encode_fact` writes them), nothing when it is unknown."""
    if slot.numeric:
        lo_key, hi_key = f", {json.dumps(slot.lo_key)}: ", f", {json.dumps(slot.hi_key)}: "
        return lambda v: ((lo_key + json_number(v.lo) if v.lo is not None else "")
                          + (hi_key + json_number(v.hi) if v.hi is not None else ""))
    key = f", {json.dumps(slot.key)}: "

    def category(v: Value) -> str:
        x = v.value
        if x is None:
            return ""
        return key + (("1" if x else "0") if type(x) is bool else json.dumps(x))
    return category


def _getter(numbers: Sequence[int]) -> Callable[[dict[int, Value]], Sequence[Value]]:
    """The values of `numbers` (in order) from a patient's values."""
    if len(numbers) > 1:
        return itemgetter(*numbers)  # type: ignore[return-value]
    return lambda cache: [cache[n] for n in numbers]


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


def _verdict(statuses: Iterable[str]) -> str:
    seen = set(statuses)
    if "fail" in seen:
        return "ineligible"
    return "eligible" if seen <= {"pass"} else "undetermined"


class Screener:
    """Holds an engine with the packs of a catalog's rule sets loaded (see plan.py). Thread-safe."""

    def __init__(self, catalog: Catalog, engine: Engine | None = None, memo_size: int = EXPLANATION_MEMO_SIZE):
        self.catalog = catalog
        self.plan = ScreeningPlan(catalog)
        self.memo_size = memo_size
        self.engine = engine or Engine()
        for pack in self.plan.packs:
            self.engine.load(pack.name, pack.definition)
        # each pack's fact text written in one step from the values (when every measure is computed)
        self._encoders = [(fact_encoder(pack.layout), _getter(pack.numbers)) for pack in self.plan.packs]
        self._explained = Explanations(memo_size)
        for plan in self.plan.trials.values():
            for c in plan.criteria:
                if c.review is not None:
                    self._explained.json.fix(c.review)

    def close(self) -> None:
        for pack in self.plan.packs:
            self.engine.unload(pack.name)

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
        return self._outcomes([rs], facts)[0]

    def _outcomes(self, rulesets: Sequence[RuleSet], facts: PatientFacts) -> list[TrialOutcome]:
        """Each trial's outcome from one assertion per pack that holds any of their criteria."""
        plans = [self.plan.trials[rs.trial_id] for rs in rulesets]
        cache = facts.cache
        fired: set[str] = set()
        if len(cache) == len(self.plan.measures):  # every measure computed (`_facts`): every pack, one step
            for pack, (encode, values) in zip(self.plan.packs, self._encoders, strict=True):
                fired |= self.engine.fired_json(pack.name, encode(values(cache)))
        else:
            compute, measures = facts.compute, self.plan.measures
            for plan in plans:
                for number in plan.numbers:
                    if number not in cache:
                        cache[number] = compute(measures[number])
            for i in sorted({i for plan in plans for i in plan.packs}):
                pack = self.plan.packs[i]
                fired |= self.engine.fired(pack.name, pack_fact(pack, cache))
        statuses = condition_statuses(self.plan, fired)
        return [self._decide(plan, facts, statuses) for plan in plans]

    @staticmethod
    def _decide(plan: TrialPlan, facts: PatientFacts, conditions: list[str]) -> TrialOutcome:
        statuses = dict(zip(plan.ids, map(conditions.__getitem__, plan.slots), strict=True))
        for c in plan.required:  # required data not recorded at all: not met (the result says so)
            if statuses[c.id] == "unknown" and required_missing(c.criterion, value_reader(c, facts.cache)) is not None:
                statuses[c.id] = "fail"
        return TrialOutcome(plan.trial_id, _verdict(statuses.values()), statuses, plan, facts)

    def outcomes(self, profile: PatientProfile, as_of: dt.date | None = None,
                 trial_ids: Iterable[str] | None = None) -> list[TrialOutcome]:
        as_of = as_of or dt.date.today()
        rulesets = self.resolve_trials(trial_ids)
        return self._outcomes(rulesets, self._facts(profile, as_of, rulesets))

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
        results = [self.trial_result(rs, out, as_of) for rs, out in zip(rulesets, self._outcomes(rulesets, facts), strict=True)]
        warnings = []
        later = [p for p, _ in profile.dates_after(as_of)]
        if later:
            warnings.append(f"{len(later)} record date(s) after the screening date {as_of} were ignored: "
                            + ", ".join(later[:5]) + (" ..." if len(later) > 5 else ""))
        fields = {"as_of": as_of, "engine_version": ENGINE_VERSION, "patient_id": profile.id, "results": results,
                  "warnings": warnings, "unrecognised_codes": unrecognised_codes(facts)}
        # built without validation (`trusted`): every field is of the type validation would make
        # (a test checks that validating gives the same document)
        return trusted(ScreeningReport, fields)

    def report_json(self, report: ScreeningReport) -> bytes:
        """`report.model_dump_json().encode()` (the served document), with the JSON of the criterion
        results shared between reports written once each (see `document.SharedJson`)."""
        return self._explained.json.report(report)

    def trial_result(self, rs: RuleSet, out: TrialOutcome, as_of: dt.date) -> TrialResult:
        cache = out._facts.cache  # every measure of the trial is computed by `outcome`
        plan, statuses, explained = out._plan, out.statuses, self._explained.result
        crits = [c.review or explained(c, statuses[i], cache) for c, i in zip(plan.criteria, plan.ids, strict=True)]
        # each result's status is the one it was made with (`statuses`, "review" for review criteria)
        counts = _NO_COUNTS.copy()
        for status in statuses.values():
            counts[status] += 1
        # data to collect and assumptions in the order first seen, each once
        to_collect = list(dict.fromkeys(chain.from_iterable(
            [res.missing_data for res in crits if res.status == "unknown"]))) if counts["unknown"] else []
        review = [i for i, status in statuses.items() if status == "review"] if counts["review"] else []
        fields = {
            "trial_id": rs.trial_id, "title": rs.title, "verdict": out.verdict, "ruleset_hash": rs.hash,
            "engine_version": ENGINE_VERSION, "as_of": as_of, "counts": counts, "criteria": crits,
            "data_to_collect": to_collect, "criteria_to_review": review,
            "assumptions": list(dict.fromkeys(chain.from_iterable([res.assumptions for res in crits]))),
            "value_sets": list(out._plan.value_sets), "eligible_from": None}
        return trusted(TrialResult, fields)  # as the report (see `screen`)


def unrecognised_codes(facts: PatientFacts) -> list[UnrecognisedCode]:
    """The patient's codes that no value set of the catalog reads, with the records so coded."""
    return [trusted(UnrecognisedCode, {"kind": kind, "code": f"{c.system}:{c.code}", "display": c.display, "records": paths})
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
