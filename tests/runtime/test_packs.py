"""A catalog's criteria in shared engine rulesets ("packs", screening/ruleset/compile.py
`share_catalog`): each distinct condition once, under catalog-wide fact keys, in as few
durable_rules rulesets as keep every fact within the engine's limits. Packed rulesets must fire
exactly what each trial's own compiled ruleset fires, for every criterion and patient, also where
a pack sits right at the engine's 64-entry matching stack."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest

from patients.model import PatientProfile
from screening.ruleset import compile as compile_module
from screening.ruleset import ir
from screening.ruleset.capacity import ENGINE_CHILDREN, ENGINE_STACK, chains_of, fits, stack_peak
from screening.ruleset.catalog import Catalog, RuleSet, load_catalog
from screening.ruleset.compile import FACT_KEYS, _with_anchor, compile_trial, share_catalog
from screening.runtime.engine import Engine, EngineError
from screening.runtime.evaluate import Screener, build_fact, pack_fact
from screening.runtime.facts import PatientFacts
from tests.paths import REPO
from tests.patient_gen import AS_OF, cohort


def separate_and_packed(screener: Screener, profile: PatientProfile) -> tuple[dict, dict]:
    """For every criterion of the catalog, (pass rule fired, fail rule fired): through each trial's
    own compiled rulesets, and through the catalog's packs."""
    plan = screener.plan
    facts = PatientFacts(profile, AS_OF, plan.index, plan.shared)
    cache = facts.cache
    for n, m in enumerate(plan.measures):
        cache[n] = facts.compute(m)
    packed: set[str] = set()
    for pack in plan.packs:
        packed |= screener.engine.fired(pack.name, pack_fact(pack, cache))
    alone, together = {}, {}
    engine = Engine()
    try:
        for tp in plan.trials.values():
            compiled = tp.ruleset.compiled
            engine.load(compiled.name, *compiled.parts)
            fired = engine.fired(compiled.name, build_fact(compiled.layout, [cache[n] for n in tp.numbers]))
            for names in compiled.rules:
                alone[tp.trial_id, names.criterion_id] = (names.pass_rule in fired, names.fail_rule in fired)
            for c in tp.criteria:
                if c.rules is not None:
                    together[tp.trial_id, c.id] = (c.rules.pass_rule in packed, c.rules.fail_rule in packed)
    finally:
        engine.close()
    return alone, together


def renamed(rs: RuleSet, trial_id: str) -> RuleSet:
    compiled = dataclasses.replace(rs.compiled, trial_id=trial_id, name=f"{trial_id}@{rs.hash}")
    return dataclasses.replace(rs, ir=dataclasses.replace(rs.ir, trial_id=trial_id), compiled=compiled)


def example_patients() -> list[PatientProfile]:
    return [PatientProfile.model_validate(json.loads(p.read_text()))
            for p in sorted((REPO / "patients" / "examples").glob("*.json"))]


def test_the_bundled_trials_fire_alike_packed_and_alone() -> None:
    screener = Screener(load_catalog())
    try:
        assert 1 < len(screener.plan.packs) < len(screener.plan.trials)
        assert all(stack_peak(_with_anchor(p.definition)) <= ENGINE_STACK for p in screener.plan.packs)
        for p in example_patients() + cohort(150, seed=5):
            alone, together = separate_and_packed(screener, p)
            assert together == alone, p.id
        assert any(v == (True, False) for v in alone.values()) and any(v == (False, True) for v in alone.values())
    finally:
        screener.close()


def test_trials_that_differ_fire_alike_packed_and_alone(tmp_path) -> None:
    # copies of the bundled trials with their own age limits and windows (bench/catalog_bench.py
    # --varied): distinct conditions and measures, more packs than the bundled trials need
    from bench.catalog_bench import make_catalog

    screener = Screener(load_catalog(make_catalog(40, tmp_path, varied=True)))
    try:
        assert len(screener.plan.packs) > 2
        for p in cohort(40, seed=6):
            alone, together = separate_and_packed(screener, p)
            assert together == alone, p.id
    finally:
        screener.close()


def test_renamed_copies_share_every_condition() -> None:
    catalog = load_catalog()
    copies = {f"{t}-c{k}": renamed(rs, f"{t}-c{k}") for k in range(1, 4) for t, rs in catalog.rulesets.items()}
    big = Catalog(catalog.root, {**catalog.rulesets, **copies})
    one, many = Screener(catalog), Screener(big)
    try:
        assert [p.definition for p in many.plan.packs] == [p.definition for p in one.plan.packs]
        for p in cohort(40, seed=9):
            statuses = {o.trial_id: o.statuses for o in many.outcomes(p, AS_OF)}
            assert {t: statuses[t] for t in catalog.rulesets} == {o.trial_id: o.statuses for o in one.outcomes(p, AS_OF)}
            assert all(statuses[t] == statuses[t.rsplit("-c", 1)[0]] for t in copies)
    finally:
        one.close()
        many.close()


AGE = ir.Age()
PATIENT = {"id": "p", "birth_date": "1940-01-01"}


def age_catalog(n: int) -> Catalog:
    """n one-criterion trials, `age >= i` for i < n: a pass and a fail condition per trial, all
    distinct, on the two keys of one measure (lower and upper bound of the age)."""
    rulesets = {}
    for i in range(n):
        trial = ir.TrialIR(f"T{i}", (ir.CriterionIR("adult", "inclusion", ir.Compare(AGE, "ge", float(i))),), (AGE,))
        compiled = compile_trial(trial, f"T{i}@x")
        rulesets[trial.trial_id] = RuleSet(REPO, None, None, "x", trial, compiled)  # type: ignore[arg-type]
    return Catalog(REPO, rulesets)


def test_packs_sit_right_at_the_bound_and_take_the_worst_fact() -> None:
    # the bound counts what one fact could make true: an age known to lie in [lo, hi] with lo
    # above every threshold and hi below every one makes both conditions of every trial true
    screener = Screener(age_catalog(100))
    engine = Engine()
    try:
        packs = screener.plan.packs
        peaks = [stack_peak(_with_anchor(p.definition)) for p in packs]
        assert peaks[:-1] == [ENGINE_STACK] * (len(packs) - 1) and peaks[-1] <= ENGINE_STACK
        assert len(packs) == 4  # 32 trials (64 conditions) a pack
        worst = {"t": "p", packs[0].layout[0].lo_key: 1000, packs[0].layout[0].hi_key: -1000}
        fired = set().union(*(screener.engine.fired(p.name, dict(worst)) for p in packs))
        assert fired == set().union(*(p.definition for p in packs))  # every rule, none refused
        # the same rules as one ruleset refuse that fact (error 303), which is why they are packed
        engine.load("whole", {r: d for p in packs for r, d in p.definition.items()})
        with pytest.raises(EngineError, match="303"):
            engine.fired("whole", dict(worst))
        for age in (None, 0, 1, 31, 32, 33, 63, 64, 99, 100, 120):
            data = PATIENT if age is None else {**PATIENT, "birth_date": f"{AS_OF.year - age}-01-01"}
            p = PatientProfile.model_validate(data if age is not None else {"id": "p"})
            alone, together = separate_and_packed(screener, p)
            assert together == alone
            statuses = {o.trial_id: o.statuses["adult"] for o in screener.outcomes(p, AS_OF)}
            expected = {f"T{i}": "unknown" if age is None else ("pass" if age >= i else "fail") for i in range(100)}
            assert statuses == expected, age
    finally:
        screener.close()
        engine.close()


def flag_trials(n: int) -> list[tuple[ir.TrialIR, ir.Measure]]:
    """n one-criterion trials each reading its own flag (distinct measures, distinct fact keys;
    a flag's two conditions never hold together, so each flag adds one to the stack)."""
    out = []
    for i in range(n):
        flag = ir.Flag(name=f"flag{i}")
        out.append((ir.TrialIR(f"F{i}", (ir.CriterionIR("has", "exclusion", ir.IsTrue(flag)),), (flag,)), flag))
    return out


@pytest.mark.parametrize("fact_keys, per_pack", [(FACT_KEYS, ENGINE_STACK), (10, 10)])
def test_a_pack_is_bounded_by_the_stack_and_by_its_fact_keys(monkeypatch: pytest.MonkeyPatch, fact_keys: int,
                                                               per_pack: int) -> None:
    monkeypatch.setattr(compile_module, "FACT_KEYS", fact_keys)
    trials = flag_trials(150)
    shared = share_catalog([(compile_trial(t, f"{t.trial_id}@x"), (i,)) for i, (t, _) in enumerate(trials)],
                           [m for _, m in trials])
    assert [len(p.numbers) for p in shared.packs] == [per_pack] * (150 // per_pack) + [150 % per_pack] * (150 % per_pack > 0)
    for pack in shared.packs:
        assert sum(2 if s.numeric else 1 for s in pack.layout) <= fact_keys
        assert stack_peak(_with_anchor(pack.definition)) <= ENGINE_STACK
    assert sorted(itertools.chain.from_iterable(p.numbers for p in shared.packs)) == list(range(150))
    assert [r["has"] for r in shared.rules] == list(range(150))
    assert shared.conditions == tuple((f"p{i}", f"f{i}") for i in range(150))
    assert [p for (p,) in shared.packs_of] == [i // per_pack for i in range(150)]
    engine = Engine()
    try:  # every flag set: each pack's worst fact, taken
        for pack in shared.packs:
            engine.load(pack.name, pack.definition)
            fired = engine.fired(pack.name, {"t": "p", **{s.key: 1 for s in pack.layout}})
            assert fired == {r for r in pack.definition if r.startswith("p")}
    finally:
        engine.close()


def test_the_engine_limits_on_width_and_paths_are_kept() -> None:
    # 300 mutually exclusive conditions under the anchor: within the stack, but past the width
    # at which durable_rules' create_ruleset hangs (more than 512) less a margin: split
    wide = {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"k": i}]}}]} for i in range(300)}
    assert stack_peak(_with_anchor(wide)) == 1
    assert not fits(chains_of(_with_anchor(wide)))
    assert fits(chains_of(_with_anchor(dict(itertools.islice(wide.items(), ENGINE_CHILDREN - 1)))))


def test_screening_some_trials_asserts_only_their_packs_and_decides_alike() -> None:
    screener = Screener(age_catalog(100))
    calls: list[str] = []
    real = screener.engine.fired_json  # every assertion (`fired` encodes its fact and calls it)
    screener.engine.fired_json = lambda name, text: calls.append(name) or real(name, text)  # type: ignore[method-assign]
    try:
        p = PatientProfile.model_validate({**PATIENT, "birth_date": "1980-06-01"})
        together = {o.trial_id: o.statuses for o in screener.outcomes(p, AS_OF)}
        assert len(calls) == len(screener.plan.packs)
        calls.clear()
        (one,) = screener.outcomes(p, AS_OF, ["T70"])
        assert calls == [screener.plan.packs[screener.plan.trials["T70"].packs[0]].name]
        assert one.statuses == together["T70"] == {"adult": "fail"}
    finally:
        screener.close()


def test_screeners_sharing_an_engine_keep_the_packs_they_share() -> None:
    # a shared engine loads a pack once per user and deletes it with its last user: closing one
    # screener (a retired generation) never takes rulesets from under another still screening
    catalog = load_catalog()
    engine = Engine()
    first, second = Screener(catalog, engine), Screener(catalog, engine)
    p = cohort(1, seed=3)[0]
    before = [o.statuses for o in second.outcomes(p, AS_OF)]
    first.close()
    assert [o.statuses for o in second.outcomes(p, AS_OF)] == before
    second.close()
    assert engine.names() == []
