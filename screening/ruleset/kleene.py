"""The three-valued (Kleene) semantics of the IR, in one place.

A measure's value is an interval `[lo, hi]` (numbers and counts; either end may be unknown)
or one `value` (categories and flags; unknown when None). A leaf is certainly true, certainly
false or unknown (`None`); `And`, `Or` and `Not` combine them by Kleene's strong logic.

The compiler writes the same semantics as durable_rules conditions (`CERTAIN` says which end of
the interval decides a comparison); the explainer and the rule-set testing toolkit evaluate it
in Python with `truth_tree`. A test checks that the two agree on every criterion.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Protocol

from screening.ruleset import ir

Truth = bool | None  # True, False or None (unknown)

# `measure <op> t` is certainly `want` when one end of the measure's interval passes a test
# against t: (op, want) -> (end, test). Equality needs both ends (see `compare_truth`).
CERTAIN: dict[tuple[str, bool], tuple[str, str]] = {
    ("ge", True): ("lo", "ge"), ("ge", False): ("hi", "lt"),
    ("gt", True): ("lo", "gt"), ("gt", False): ("hi", "le"),
    ("le", True): ("hi", "le"), ("le", False): ("lo", "gt"),
    ("lt", True): ("hi", "lt"), ("lt", False): ("lo", "ge"),
}
TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le, "eq": operator.eq,
}


class MeasureValue(Protocol):
    """What the semantics reads of a measure's value."""

    lo: float | None
    hi: float | None
    value: str | bool | None


def _passes(v: MeasureValue, end: str, test: str, t: float) -> bool:
    x = v.lo if end == "lo" else v.hi
    return x is not None and TESTS[test](x, t)


def compare_truth(node: ir.Compare, v: MeasureValue) -> Truth:
    t = node.value
    if node.op == "eq":
        if v.lo is not None and v.hi is not None and v.lo == t == v.hi:
            return True
        return False if (v.lo is not None and v.lo > t) or (v.hi is not None and v.hi < t) else None
    if _passes(v, *CERTAIN[(node.op, True)], t):
        return True
    if _passes(v, *CERTAIN[(node.op, False)], t):
        return False
    return None


def leaf_truth(node: ir.Node, v: MeasureValue) -> Truth:
    if isinstance(node, ir.Compare):
        return compare_truth(node, v)
    if isinstance(node, ir.OneOf):
        return None if v.value is None else v.value in node.values
    if isinstance(node, ir.IsTrue):
        return None if v.value is None else v.value == node.expected
    raise TypeError(node)


def conjunction(truths: list[Truth]) -> Truth:
    return False if False in truths else (None if None in truths else True)


def disjunction(truths: list[Truth]) -> Truth:
    return True if True in truths else (None if None in truths else False)


def negation(t: Truth) -> Truth:
    return None if t is None else not t


class TruthTree:
    """A node with its truth and its children's trees (built once per evaluation, never changed;
    a slotted class rather than a frozen dataclass: explanations build one per node)."""

    __slots__ = ("node", "truth", "children")

    def __init__(self, node: ir.Node, truth: Truth, children: tuple[TruthTree, ...] = ()):
        self.node, self.truth, self.children = node, truth, children

    def deciding(self, want: Truth) -> list[ir.Node]:
        """The leaves that make this node come out as `want` (for unknown: the unknown leaves)."""
        if isinstance(self.node, ir.Not):
            return self.children[0].deciding(negation(want))
        if not self.children:
            return [self.node]
        if isinstance(self.node, ir.Labelled):
            return self.children[0].deciding(want)
        return [leaf for child in self.children if child.truth == want for leaf in child.deciding(want)]


def truth_tree(node: ir.Node, value_of: Callable[[ir.Measure], MeasureValue]) -> TruthTree:
    """Evaluate `node` over measure values, keeping the truth of every subtree."""
    if isinstance(node, (ir.And, ir.Or)):
        kids = tuple(truth_tree(x, value_of) for x in node.items)
        combine = conjunction if isinstance(node, ir.And) else disjunction
        return TruthTree(node, combine([k.truth for k in kids]), kids)
    if isinstance(node, (ir.Not, ir.Labelled)):
        kid = truth_tree(node.item, value_of)
        return TruthTree(node, negation(kid.truth) if isinstance(node, ir.Not) else kid.truth, (kid,))
    return TruthTree(node, leaf_truth(node, value_of(node.measure)))  # type: ignore[attr-defined]


def truth(node: ir.Node, value_of: Callable[[ir.Measure], MeasureValue]) -> Truth:
    """Kleene truth of a node over measure values."""
    return truth_tree(node, value_of).truth
