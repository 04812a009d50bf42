"""IR rewriting (`screening.ruletest.rewrite`): leaves addressed by their walk index, a pinned
leaf read by the IR's own three-valued semantics, a criterion redefined by id."""

from __future__ import annotations

from pathlib import Path

from screening.ruleset import ir, kleene
from screening.ruleset.catalog import load_catalog
from screening.ruletest.rewrite import constant, pin_leaf, replace_leaf, replace_measure, with_criterion
from screening.runtime.values import Value
from tests.ruletest.demo import write_demo

AGE = ir.Age()
ADULT = ir.Compare(AGE, "ge", 18.0, "a")
YOUNG = ir.Compare(AGE, "le", 60.0, "a")
FEMALE = ir.OneOf(ir.Sex(), ("female",))
EXPR = ir.And((ADULT, ir.Labelled("c", "concept", ir.Or((FEMALE, ir.Not(YOUNG))))))


def truth(node: ir.Node, age: float | None, sex: str | None) -> kleene.Truth:
    values = {AGE: Value(age, age), ir.Sex(): Value(value=sex)}
    return kleene.truth(node, values.__getitem__)


def test_constants_and_pinned_leaves_follow_kleene() -> None:
    assert truth(constant(True), None, None) is True
    assert truth(constant(False), None, None) is False
    assert truth(EXPR, 30, None) is None  # adult, sex unknown, not over 60
    assert truth(pin_leaf(EXPR, 1, True), 30, None) is True  # female pinned true
    assert truth(pin_leaf(EXPR, 1, False), 30, None) is False
    assert truth(pin_leaf(EXPR, 0, False), 70, "female") is False  # the age limit pinned false
    assert truth(pin_leaf(EXPR, 2, False), 30, "male") is True  # not(age <= 60) pinned true


def test_leaves_are_addressed_by_walk_index_even_when_equal() -> None:
    twice = ir.Or((ADULT, ADULT))
    changed = replace_leaf(twice, 1, YOUNG)
    assert changed == ir.Or((ADULT, YOUNG))
    assert ir.leaves_of(replace_leaf(EXPR, 2, ADULT)) == (ADULT, FEMALE, ADULT)
    months = ir.Number("life_expectancy_months")
    assert [leaf.measure for leaf in ir.leaves_of(replace_measure(EXPR, AGE, months))] == [months, ir.Sex(), months]


def test_a_criterion_is_redefined_by_its_id(rules_root: Path) -> None:
    write_demo(rules_root)
    trial = load_catalog(rules_root).get("DEMO-1").ir
    changed = with_criterion(trial, "creatinine_ok", ADULT)
    assert [c.id for c in changed.criteria] == [c.id for c in trial.criteria]
    assert changed.criteria[1].expr == ADULT and changed.criteria[1].leaves == (ADULT,)
    assert [c for c in changed.criteria if c.id != "creatinine_ok"] == [c for c in trial.criteria if c.id != "creatinine_ok"]
    assert changed.title == trial.title and changed.trial_id == trial.trial_id
    assert not any(isinstance(m, ir.Latest) for m in changed.measures)  # the measure list is rebuilt
