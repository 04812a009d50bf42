"""The compile-time bound of the engine's matching stack (screening/ruleset/capacity.py) against
the real core, and trials split into several engine rulesets when one could exceed it."""

from __future__ import annotations

import json

import pytest

from screening.ruleset import ir
from screening.ruleset.capacity import ENGINE_STACK, most_true, stack_peak
from screening.ruleset.compile import EngineCapacityError, compile_trial
from screening.runtime.engine import Engine, EngineError
from tests.runtime.test_durable_behaviour import TWO_BRANCH_FACT, _chain, _refused, _two_branches


def flat(n: int, op: str = "$gte") -> dict:
    return {f"r{i}": _chain({op: {"x": -i if op == "$gte" else i}}) for i in range(n)}


CASES = [
    (flat(64), {"t": "p", "x": 1}, 64),
    (flat(65), {"t": "p", "x": 1}, 65),
    ({f"r{i}": _chain({"x": i}) for i in range(200)}, {"t": "p", "x": 5}, 1),
    (flat(200, "$lte"), {"t": "p", "x": -1}, 200),
    (_two_branches(shared_first=True), TWO_BRANCH_FACT, 41),
    (_two_branches(shared_first=False), TWO_BRANCH_FACT, 80),
    ({f"r{i}": _chain({"$or": [{"$gte": {"a": 0}}, {"$gte": {"c": 0}}]}, {"$gte": {"x": -i}}) for i in range(40)},
     TWO_BRANCH_FACT, 41),
]


@pytest.mark.parametrize("rules, fact, peak", CASES)
def test_the_bound_is_exact_where_one_fact_makes_every_condition_true(rules, fact, peak):
    assert stack_peak(rules) == peak
    assert _refused(rules, fact) == (peak > ENGINE_STACK)


def test_conditions_on_one_key_count_only_as_many_as_one_value_satisfies():
    gte = [json.dumps({"$gte": {"x": t}}) for t in range(10)]
    lt = [json.dumps({"$lt": {"x": t}}) for t in range(10)]
    assert most_true(gte) == 10 and most_true(lt) == 10
    assert most_true(gte + lt) == 10  # x >= t and x < t never both
    assert most_true(gte + [json.dumps({"$lt": {"y": 0}})]) == 11  # another key: independent
    assert most_true([json.dumps({"k": v}) for v in "abc"] + [json.dumps({"$neq": {"k": "a"}})]) == 2
    assert most_true([json.dumps({"$ex": {"k": 1}}), json.dumps({"$neq": {"k": "a"}})]) == 2


AGE = ir.Age()


def age_trial(n: int) -> ir.TrialIR:
    crit = tuple(ir.CriterionIR(f"c{i}", "inclusion", ir.Compare(AGE, "ge", float(i))) for i in range(n))
    return ir.TrialIR("T", crit, (AGE,))


def test_a_trial_within_the_bound_is_one_ruleset_its_definition():
    c = compile_trial(age_trial(32), "T@x")  # 32 pass + 32 fail conditions
    assert c.parts == (c.definition,)
    assert compile_trial(ir.TrialIR("T", (), (AGE,)), "T@x").parts == ()


def test_a_trial_over_the_bound_is_split_by_whole_criteria_into_rulesets_within_it():
    c = compile_trial(age_trial(150), "T@x")
    assert len(c.parts) > 1
    assert [r for p in c.parts for r in p] == list(c.definition)  # every rule once, in order
    assert all(stack_peak(p) <= ENGINE_STACK for p in c.parts)
    assert 32 < c.engine_stack <= ENGINE_STACK  # what `screening trials --json` reports
    for p in c.parts:
        assert {r.rsplit(".", 1)[0] for r in p if r.endswith(".pass")} == {r.rsplit(".", 1)[0] for r in p if r.endswith(".fail")}


def test_the_engine_reads_a_split_trial_as_one():
    c = compile_trial(age_trial(150), "T@x")
    engine = Engine()
    engine.load("whole", c.definition)
    with pytest.raises(EngineError, match="303"):  # what one ruleset would do for a 60-year-old
        engine.fired("whole", {"t": "p", "m0l": 60, "m0h": 60})
    engine.load("split", *c.parts)
    fired = engine.fired("split", {"t": "p", "m0l": 60, "m0h": 60})
    assert fired == {f"c{i}.pass" for i in range(61)} | {f"c{i}.fail" for i in range(61, 150)}
    assert engine.fired("split", {"t": "p"}) == set()
    engine.close()
    assert engine.names() == []


def test_a_criterion_alone_over_the_bound_is_refused_by_name():
    # all of (any of 40) and (any of 40 others): 40 first conditions, each followed by 40
    measures = tuple(ir.Records(record=f"r{i}") for i in range(80))
    anys = [ir.Or(tuple(ir.Compare(m, "ge", 1.0) for m in half)) for half in (measures[:40], measures[40:])]
    crit = (ir.CriterionIR("wide", "inclusion", ir.And(tuple(anys))),)
    with pytest.raises(EngineCapacityError, match="'wide'"):
        compile_trial(ir.TrialIR("T", crit, measures), "T@x")
