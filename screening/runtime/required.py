"""Required data (`missing: fail`): a criterion unknown only because data is not recorded at all.

A criterion that requires its data is not met when its three-valued reading is unknown and every
leaf that leaves it unknown lacks its data altogether (reason `missing`: nothing recorded). Stale,
unusable or doubtful data (a possible match, an unobserved window) keeps it unknown: only absence
is converted, and the result states it. The leaves that leave a node unknown are its unknown
children's (an `And` or `Or` that is unknown has no child deciding it otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from screening.ruleset import ir
from screening.ruleset.kleene import truth_tree
from screening.ruleset.render import measure_text

POLICY_NOTE = "counted as not met (missing: fail)"


def required_missing(c: ir.CriterionIR, value_of: Callable[[ir.Measure], Any]) -> list[str] | None:
    """What is missing when `c` requires its data and is unknown only because that data is not
    recorded at all; None otherwise (the criterion keeps its own reading)."""
    if c.policy != "fail" or c.expr is None:
        return None
    tree = truth_tree(c.expr, value_of)
    if tree.truth is not None:
        return None
    need: list[str] = []
    for leaf in tree.deciding(None):
        v = value_of(leaf.measure)  # type: ignore[attr-defined]
        if getattr(v, "reason", None) != "missing":  # a probe's value states no reason: it is known
            return None
        what = v.missing or measure_text(leaf.measure)  # type: ignore[attr-defined]
        if what not in need:
            need.append(what)
    return need


def required_note(need: list[str]) -> str:
    """The assumption a result states when missing required data decided it."""
    return f"required data missing: {', '.join(need)}: {POLICY_NOTE}"
