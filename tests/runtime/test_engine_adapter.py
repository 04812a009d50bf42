"""The durable_rules behaviour the design relies on, kept as small experiments.

Everything goes through `screening.runtime.engine.Engine` (the only module that imports durable_rules),
so a change of engine release or adapter that breaks an assumption fails here first.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from screening.ruleset import ir
from screening.ruleset.compile import compile_trial
from screening.ruleset.kleene import truth
from screening.runtime.engine import Engine, EngineError
from screening.runtime.evaluate import build_fact
from screening.runtime.values import Value

ANCHOR = {"t": "p"}


def rule(cond: dict[str, Any]) -> dict[str, Any]:
    return {"all": [{"m": {"$and": [ANCHOR, cond]}}]}


@pytest.fixture
def engine() -> Any:
    e = Engine()
    yield e
    e.close()


COMPARISONS = {
    "gt": rule({"$gt": {"x": 5}}),
    "ge": rule({"$gte": {"x": 5}}),
    "lt": rule({"$lt": {"x": 5}}),
    "le": rule({"$lte": {"x": 5}}),
    "eq": rule({"x": 5}),
    "neq": rule({"$neq": {"x": 5}}),
}


def test_comparisons_on_a_present_key(engine: Engine) -> None:
    engine.load("cmp@1", COMPARISONS)
    assert engine.fired("cmp@1", {"t": "p", "x": 5}) == {"ge", "le", "eq"}
    assert engine.fired("cmp@1", {"t": "p", "x": 6}) == {"gt", "ge", "neq"}
    assert engine.fired("cmp@1", {"t": "p", "x": 4.5}) == {"lt", "le", "neq"}


def test_comparisons_on_an_absent_key_never_match(engine: Engine) -> None:
    engine.load("cmp@1", COMPARISONS)
    assert engine.fired("cmp@1", {"t": "p"}) == set()
    assert engine.fired("cmp@1", {"t": "p", "y": 5}) == set()


def test_neq_on_an_absent_key_does_not_match(engine: Engine) -> None:
    engine.load("neq@1", {"neq": rule({"$neq": {"k": "a"}}), "ex": rule({"$and": [{"$ex": {"k": 1}}, {"$neq": {"k": "a"}}]})})
    assert engine.fired("neq@1", {"t": "p"}) == set()
    assert engine.fired("neq@1", {"t": "p", "k": "a"}) == set()
    assert engine.fired("neq@1", {"t": "p", "k": "b"}) == {"neq", "ex"}


def test_an_explicit_null_matches_nothing(engine: Engine) -> None:
    # why the compiler leaves unknown bounds out of the fact instead of sending null
    engine.load("cmp@1", COMPARISONS)
    assert engine.fired("cmp@1", {"t": "p", "x": None}) == set()


def test_rules_are_anchored_on_the_patient_fact(engine: Engine) -> None:
    engine.load("cmp@1", COMPARISONS)
    assert engine.fired("cmp@1", {"t": "q", "x": 6}) == set()


def test_text_compares_as_text_so_numbers_must_be_numbers(engine: Engine) -> None:
    engine.load("age@1", {"adult": rule({"$gte": {"a": 18}})})
    assert engine.fired("age@1", {"t": "p", "a": 9}) == set()
    assert engine.fired("age@1", {"t": "p", "a": 18}) == {"adult"}
    # '9' >= 18 compares as text: the encoder must never send numbers as strings
    assert engine.fired("age@1", {"t": "p", "a": "9"}) == {"adult"}


def test_a_rule_with_several_true_branches_is_reported_once(engine: Engine) -> None:
    engine.load("or@1", {"r": rule({"$or": [{"$gt": {"x": 1}}, {"$gt": {"x": 2}}, {"$gt": {"x": 3}}]})})
    assert engine.fired("or@1", {"t": "p", "x": 10}) == {"r"}


def test_a_fact_matching_no_rule_is_handled_and_leaks_no_session(engine: Engine) -> None:
    engine.load("cmp@1", COMPARISONS)
    for i in range(1100):  # more than the 1,024 live sessions a ruleset can hold
        assert engine.fired("cmp@1", {"t": "p", "y": i}) == set()
    assert engine.fired("cmp@1", {"t": "p", "x": 6}) == {"gt", "ge", "neq"}


def test_unmatched_facts_across_several_loaded_rulesets(engine: Engine) -> None:
    # this release's C core corrupts its heap when the session of an unhandled fact is deleted
    # (it showed as an abort in the second of two rulesets); the adapter never lets that happen
    engine.load("first@1", {"r": rule({"$gte": {"x": 5}})})
    engine.load("second@1", {"r": rule({"$gte": {"x": 50}})})
    for i in range(2000):
        name = "second@1" if i % 2 else "first@1"
        assert engine.fired(name, {"t": "p", "x": 1}) == set()
    assert engine.fired("second@1", {"t": "p", "x": 60}) == {"r"}
    engine.unload("first@1")
    assert engine.fired("second@1", {"t": "p", "x": 6}) == set()


def test_thousands_of_sequential_evaluations(engine: Engine) -> None:
    engine.load("cmp@1", COMPARISONS)
    results = [engine.fired("cmp@1", {"t": "p", "x": i % 10}) for i in range(3000)]
    assert sum("gt" in r for r in results) == 3000 * 4 // 10
    assert sum("eq" in r for r in results) == 300
    assert all(("lt" in r) != ("ge" in r) for r in results)


def test_identical_facts_in_a_row_are_evaluated_afresh(engine: Engine) -> None:
    engine.load("cmp@1", COMPARISONS)
    for _ in range(5):
        assert engine.fired("cmp@1", {"t": "p", "x": 5, "id": "same"}) == {"ge", "le", "eq"}


def test_a_ruleset_reloaded_under_a_new_name(engine: Engine) -> None:
    engine.load("T@v1", {"r": rule({"$gte": {"x": 5}})})
    assert engine.fired("T@v1", {"t": "p", "x": 6}) == {"r"}
    engine.load("T@v2", {"r": rule({"$gte": {"x": 50}})})
    engine.unload("T@v1")
    assert engine.names() == ["T@v2"]
    assert engine.fired("T@v2", {"t": "p", "x": 6}) == set()
    assert engine.fired("T@v2", {"t": "p", "x": 60}) == {"r"}
    with pytest.raises(KeyError):
        engine.fired("T@v1", {"t": "p", "x": 6})


def test_a_name_can_be_reused_after_unloading(engine: Engine) -> None:
    engine.load("T@v1", {"r": rule({"$gte": {"x": 5}})})
    engine.unload("T@v1")
    engine.load("T@v1", {"r": rule({"$gte": {"x": 50}})})
    assert engine.fired("T@v1", {"t": "p", "x": 6}) == set()


def test_loading_a_loaded_name_again_keeps_the_first_definition(engine: Engine) -> None:
    engine.load("T@v1", {"r": rule({"$gte": {"x": 5}})})
    engine.load("T@v1", {"r": rule({"$gte": {"x": 50}})})  # the name embeds the content hash
    assert engine.fired("T@v1", {"t": "p", "x": 6}) == {"r"}


def test_an_empty_ruleset_fires_nothing(engine: Engine) -> None:
    engine.load("review-only@1", {})
    assert engine.fired("review-only@1", {"t": "p", "x": 1}) == set()
    engine.unload("review-only@1")
    assert engine.names() == []


def test_a_rejected_ruleset_raises_engine_error(engine: Engine) -> None:
    with pytest.raises(EngineError, match="rejected ruleset bad@1"):
        engine.load("bad@1", {"r": {"all": [{"m": {"$nosuchop": {"x": 1}}}]}})
    assert "bad@1" not in engine.names()


def test_unloading_an_unknown_name_is_harmless(engine: Engine) -> None:
    engine.unload("never-loaded@1")
    assert engine.names() == []


# --- compiled Kleene logic: pass and fail never fire together ------------------------------

AGE = ir.Age()
COUNT = ir.Records(record="condition", codes=ir.CodeSet("x", frozenset({("local", "x")})))
SEX = ir.Sex()
FLAG = ir.Flag("pregnant")
CRITERIA = {
    "age_range": ir.And((ir.Compare(AGE, "ge", 18.0), ir.Compare(AGE, "le", 60.0))),
    "count_or_not_flag": ir.Or((ir.Compare(COUNT, "ge", 1.0), ir.Not(ir.IsTrue(FLAG)))),
    "not_sex": ir.Not(ir.OneOf(SEX, ("female", "other"))),
    "age_eq": ir.Compare(AGE, "eq", 40.0),
    "nested": ir.And((ir.Or((ir.Compare(AGE, "gt", 30.0), ir.OneOf(SEX, ("male",)))),
                      ir.Not(ir.Compare(COUNT, "lt", 2.0)))),
    "labelled_flag_false": ir.Labelled("c", "concept", ir.IsTrue(FLAG, False)),
}
AGES = [None, 17.0, 18.0, 40.0, 60.0, 61.0]
COUNTS = [0.0, 1.0, 2.0, 3.0, None]


def _intervals(points: list[float | None], lo_may_be_none: bool) -> list[tuple[float | None, float | None]]:
    out = []
    for lo, hi in itertools.product(points, points):
        if lo is None and not lo_may_be_none:
            continue
        if lo is not None and hi is not None and lo > hi:
            continue
        out.append((lo, hi))
    return out


def test_pass_and_fail_never_fire_together_and_match_kleene_logic(engine: Engine) -> None:
    trial = ir.TrialIR("KLEENE", tuple(ir.CriterionIR(cid, "inclusion", node) for cid, node in CRITERIA.items()),
                       (AGE, COUNT, SEX, FLAG))
    compiled = compile_trial(trial, "KLEENE@test")
    engine.load(compiled.name, compiled.definition)
    evaluations = 0
    for (alo, ahi), (clo, chi), sex, flag in itertools.product(
        _intervals(AGES, True), _intervals(COUNTS, False), ["female", "male", "other", None], [True, False, None]
    ):
        values = {AGE: Value(lo=alo, hi=ahi), COUNT: Value(lo=clo, hi=chi), SEX: Value(value=sex),
                  FLAG: Value(value=flag)}
        fired = engine.fired(compiled.name, build_fact(compiled.layout, [values[m] for m in compiled.measures]))
        for cid, node in CRITERIA.items():
            p, f = f"{cid}.pass" in fired, f"{cid}.fail" in fired
            assert not (p and f), (cid, values)
            expected = truth(node, values.__getitem__)
            got = True if p else False if f else None
            assert got == expected, (cid, values)
        evaluations += 1
    assert evaluations > 1024
