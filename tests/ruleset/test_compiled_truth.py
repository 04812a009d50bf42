"""A criterion's truth compiled once (`kleene.compiled_truth`) reads exactly as `truth_tree`: the
truth of every subtree, and the deciding nodes in the same order, for every criterion of the
bundled trials and for hand-made trees (negation, labels, equality, empty junctions)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from screening.ruleset import ir
from screening.ruleset.catalog import load_catalog
from screening.ruleset.kleene import TruthTree, compiled_truth, truth_tree
from screening.runtime.values import Value

AGE = ir.Age()
COUNT = ir.Records(record="condition", codes=ir.CodeSet("x", frozenset({("local", "x")})))
SEX = ir.Sex()
FLAG = ir.Flag("pregnant")
HAND_MADE = (
    ir.And((ir.Compare(AGE, "ge", 18.0), ir.Compare(AGE, "le", 60.0))),
    ir.Or((ir.Compare(COUNT, "ge", 1.0), ir.Not(ir.IsTrue(FLAG)))),
    ir.Not(ir.OneOf(SEX, ("female", "other"))),
    ir.Labelled("concept", "a concept", ir.Or((ir.Compare(COUNT, "eq", 2.0), ir.Compare(AGE, "lt", 30.0),
                                               ir.Not(ir.Compare(AGE, "gt", 70.0))))),
    ir.And((ir.Or(()), ir.And(()), ir.IsTrue(FLAG, expected=False))),
)
NUMBERS = [None, 0.0, 1.0, 2.0, 17.0, 18.0, 30.0, 60.0, 61.0, 70.0, 71.0, 176.0, 1000.0]


def _preorder(tree: TruthTree) -> Iterator[TruthTree]:
    yield tree
    for kid in tree.children:
        yield from _preorder(kid)


def _value(m: ir.Measure, rng: random.Random) -> Value:
    if m.kind in ("category", "flag"):
        return Value(value=rng.choice([None, True, False, "female", "male", "other", "yes", "no"]))
    lo, hi = rng.choice(NUMBERS), rng.choice(NUMBERS)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    if rng.random() < 0.4:
        hi = lo
    return Value(lo=lo, hi=hi)


def _agree(node: ir.Node, values: dict[Any, Value]) -> None:
    value_of = lambda m: values[id(m)]  # noqa: E731
    tree = truth_tree(node, value_of)
    compiled = compiled_truth(node)
    matched, truths = compiled.evaluate(value_of)
    subtrees = list(_preorder(tree))
    assert matched == tree.truth
    assert [t.node for t in subtrees] == compiled.nodes and all(
        a.node is b for a, b in zip(subtrees, compiled.nodes, strict=True))
    assert [t.truth for t in subtrees] == truths
    for want in (True, False, None):
        got = [compiled.nodes[i] for i in compiled.deciding(truths, want)]
        expected = tree.deciding(want)
        assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected, strict=True)), (node, want)
    assert [compiled.nodes[i] for i in compiled.leaf_slots] == list(ir.leaves_of(node))


def test_compiled_truth_reads_as_the_truth_tree() -> None:
    rng = random.Random(7)
    trees = list(HAND_MADE) + [c.expr for rs in load_catalog().rulesets.values() for c in rs.ir.criteria
                               if c.expr is not None]
    evaluations = 0
    for node in trees:
        measures = {id(n.measure): n.measure for n in ir.leaves_of(node)}
        for _ in range(60):
            _agree(node, {k: _value(m, rng) for k, m in measures.items()})
            evaluations += 1
    assert evaluations >= 60 * len(HAND_MADE) and len(trees) > 40


def test_a_node_is_compiled_once() -> None:
    node = HAND_MADE[1]
    assert compiled_truth(node) is compiled_truth(node)
    equal = ir.Or((ir.Compare(COUNT, "ge", 1.0), ir.Not(ir.IsTrue(FLAG))))
    assert equal == node and compiled_truth(equal) is not compiled_truth(node)
