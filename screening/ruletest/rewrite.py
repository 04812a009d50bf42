"""Rebuild IR trees with one change: a leaf replaced, a measure replaced, a leaf's truth pinned,
a criterion redefined. Leaves are addressed by their index in walk order (`ir.leaves_of`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from screening.ruleset import ir


def map_leaves(node: ir.Node, fn: Callable[[int, ir.Leaf], ir.Node]) -> ir.Node:
    """Rebuild `node` with every leaf replaced by fn(index, leaf)."""
    counter = [0]

    def go(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.LEAF_TYPES):
            i = counter[0]
            counter[0] += 1
            return fn(i, n)
        if isinstance(n, ir.And):
            return ir.And(tuple(go(x) for x in n.items))
        if isinstance(n, ir.Or):
            return ir.Or(tuple(go(x) for x in n.items))
        if isinstance(n, ir.Not):
            return ir.Not(go(n.item))
        if isinstance(n, ir.Labelled):
            return ir.Labelled(n.name, n.title, go(n.item))
        raise TypeError(f"unknown node {n!r}")

    return go(node)


def replace_leaf(node: ir.Node, index: int, new: ir.Node) -> ir.Node:
    """`node` with its leaf number `index` replaced by `new`."""
    return map_leaves(node, lambda i, leaf: new if i == index else leaf)


def replace_measure(node: ir.Node, old: ir.Measure, new: ir.Measure) -> ir.Node:
    """`node` with every leaf on measure `old` testing `new` instead."""

    def fn(_: int, leaf: ir.Leaf) -> ir.Node:
        if leaf.measure == old:
            return dataclasses.replace(leaf, measure=new)  # type: ignore[type-var,arg-type]
        return leaf

    return map_leaves(node, fn)


def constant(truth: bool) -> ir.Node:
    """A node that is always `truth`: Kleene's empty conjunction is true, the empty disjunction false."""
    return ir.And(()) if truth else ir.Or(())


def pin_leaf(node: ir.Node, index: int, truth: bool) -> ir.Node:
    """`node` with its leaf number `index` always `truth`, whatever the measure's value."""
    return replace_leaf(node, index, constant(truth))


def with_criterion(trial: ir.TrialIR, criterion_id: str, expr: ir.Node) -> ir.TrialIR:
    """The trial with criterion `criterion_id` defined by `expr`; the measure list is rebuilt."""
    crits = tuple(dataclasses.replace(c, expr=expr) if c.id == criterion_id else c for c in trial.criteria)
    return ir.trial_ir(trial.trial_id, crits, trial.title)
