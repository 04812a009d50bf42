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


def leaf_test(node: ir.Node) -> Callable[[MeasureValue], Truth]:
    """`leaf_truth` of one leaf as a function of its value, with the comparison's ends and tests
    looked up once (the same reading: `leaf_truth` itself for equality)."""
    if isinstance(node, ir.Compare) and node.op != "eq":
        (end_t, test_t), (end_f, test_f) = CERTAIN[(node.op, True)], CERTAIN[(node.op, False)]
        is_t, is_f, limit = TESTS[test_t], TESTS[test_f], node.value
        lo_t, lo_f = end_t == "lo", end_f == "lo"

        def compare(v: MeasureValue) -> Truth:
            x = v.lo if lo_t else v.hi
            if x is not None and is_t(x, limit):
                return True
            x = v.lo if lo_f else v.hi
            if x is not None and is_f(x, limit):
                return False
            return None
        return compare
    if isinstance(node, ir.OneOf):
        values = node.values
        return lambda v: None if v.value is None else v.value in values
    if isinstance(node, ir.IsTrue):
        expected = node.expected
        return lambda v: None if v.value is None else v.value == expected
    return lambda v: leaf_truth(node, v)


Evaluate = Callable[[Callable[[ir.Measure], MeasureValue], list[Truth]], Truth]
Decide = Callable[[list[Truth], Truth, list[int]], None]


class CompiledTruth:
    """`truth_tree` of one node compiled once into closures: `evaluate` keeps the truth of every
    subtree by its slot (the nodes in depth-first order, `nodes`), and `deciding` gives the slots
    of the nodes that `TruthTree.deciding` gives, in the same order. Built per node, not per
    evaluation (see `compiled_truth`)."""

    __slots__ = ("node", "nodes", "leaf_slots", "_evaluate", "_deciding")

    def __init__(self, node: ir.Node):
        self.node = node
        self.nodes: list[ir.Node] = []
        self._evaluate, self._deciding = self._build(node)
        # the slots of the leaves, in the order of `ir.leaves_of`
        self.leaf_slots = tuple(i for i, n in enumerate(self.nodes) if isinstance(n, ir.LEAF_TYPES))

    def evaluate(self, value_of: Callable[[ir.Measure], MeasureValue]) -> tuple[Truth, list[Truth]]:
        """The node's truth over measure values, and the truth of every subtree by slot."""
        truths: list[Truth] = [None] * len(self.nodes)
        return self._evaluate(value_of, truths), truths

    def deciding(self, truths: list[Truth], want: Truth) -> list[int]:
        """The slots of the nodes that make this node come out as `want` (`TruthTree.deciding`)."""
        out: list[int] = []
        self._deciding(truths, want, out)
        return out

    def _build(self, node: ir.Node) -> tuple[Evaluate, Decide]:
        i = len(self.nodes)
        self.nodes.append(node)
        if isinstance(node, (ir.And, ir.Or)) and node.items:
            return self._junction(node, i)
        if isinstance(node, (ir.Not, ir.Labelled)):
            return self._wrapper(node, i)
        return self._leaf(node, i)

    def _junction(self, node: ir.And | ir.Or, i: int) -> tuple[Evaluate, Decide]:
        kids = [(len(self.nodes), *self._build(x)) for x in node.items]
        evaluates = tuple(e for _, e, _ in kids)
        combine = conjunction if isinstance(node, ir.And) else disjunction

        def evaluate(value_of: Callable[[ir.Measure], MeasureValue], truths: list[Truth]) -> Truth:
            t = truths[i] = combine([e(value_of, truths) for e in evaluates])
            return t

        def deciding(truths: list[Truth], want: Truth, out: list[int]) -> None:
            for slot, _, d in kids:
                if truths[slot] == want:
                    d(truths, want, out)
        return evaluate, deciding

    def _wrapper(self, node: ir.Not | ir.Labelled, i: int) -> tuple[Evaluate, Decide]:
        kid_evaluate, kid_deciding = self._build(node.item)
        if isinstance(node, ir.Labelled):
            def evaluate(value_of: Callable[[ir.Measure], MeasureValue], truths: list[Truth]) -> Truth:
                t = truths[i] = kid_evaluate(value_of, truths)
                return t
            return evaluate, kid_deciding

        def negated(value_of: Callable[[ir.Measure], MeasureValue], truths: list[Truth]) -> Truth:
            t = truths[i] = negation(kid_evaluate(value_of, truths))
            return t

        def deciding(truths: list[Truth], want: Truth, out: list[int]) -> None:
            kid_deciding(truths, negation(want), out)
        return negated, deciding

    def _leaf(self, node: ir.Node, i: int) -> tuple[Evaluate, Decide]:
        if isinstance(node, (ir.And, ir.Or)):  # no items: the node itself, as `truth_tree` reads it
            truth = (conjunction if isinstance(node, ir.And) else disjunction)([])

            def empty(value_of: Callable[[ir.Measure], MeasureValue], truths: list[Truth]) -> Truth:
                truths[i] = truth
                return truth
            evaluate: Evaluate = empty
        else:
            test, measure = leaf_test(node), node.measure  # type: ignore[attr-defined]

            def leaf(value_of: Callable[[ir.Measure], MeasureValue], truths: list[Truth]) -> Truth:
                t = truths[i] = test(value_of(measure))
                return t
            evaluate = leaf

        def deciding(truths: list[Truth], want: Truth, out: list[int]) -> None:
            out.append(i)
        return evaluate, deciding


_COMPILED: dict[int, CompiledTruth] = {}


def compiled_truth(node: ir.Node) -> CompiledTruth:
    """`node` compiled (`CompiledTruth`), once per node object (kept by identity: equal nodes of
    different trials are distinct objects, and comparing them is deep; bounded)."""
    compiled = _COMPILED.get(id(node))
    if compiled is None or compiled.node is not node:
        if len(_COMPILED) >= 65536:
            _COMPILED.clear()
        compiled = _COMPILED[id(node)] = CompiledTruth(node)
    return compiled
