"""What a rule-set file says as written, looked up by criterion id.

The IR keeps what the engine needs (thresholds converted to the value set's unit); the toolkit
also reports the line of each criterion and needs the `latest:` thresholds as the author wrote
them (`lt: 1.5 mg/dL`), to check the conversion and to describe mutants in the written unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from screening.core.units import parse_quantity
from screening.ruleset.catalog import RuleSet
from screening.ruleset.model import LIMIT_RE, AllExpr, AnyExpr, Criterion, LatestExpr, LatestSpec, NotExpr


@dataclass(frozen=True)
class WrittenThreshold:
    """One comparison of a `latest:` test as written: `lt: 1.5 mg/dL` is ("lt", "1.5 mg/dL", 1.5, "mg/dL")."""

    op: str
    text: Any  # the quantity as written (a string with a unit, or a number)
    value: float
    unit: str


def criterion_lines(rs: RuleSet) -> dict[str, int]:
    """Criterion id -> the line of the criterion's entry in the rule-set file."""
    return {c.id: rs.smap.locate(("criteria", i))[0] for i, c in enumerate(rs.model.criteria)}


def latest_thresholds(rs: RuleSet, criterion_id: str) -> list[WrittenThreshold]:
    """The comparisons of every numeric `latest:` test written in the criterion's own `when`
    (inside `all`, `any` and `not`; the library's concepts are not looked into)."""
    when = _criterion(rs, criterion_id).when
    if when is None:
        return []
    # multiples of a limit of normal ('3 x ULN') are not quantities: their IR threshold is as written
    return [WrittenThreshold(op, q, *parse_quantity(q)) for spec in _latest_specs(when) for op, q in spec.bounds()
            if not (isinstance(q, str) and LIMIT_RE.match(q))]


def decimals(value: float) -> int:
    """How many decimals `value` has as written (to 6 significant digits): 176 -> 0, 1.5 -> 1."""
    text = f"{value:.6g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _criterion(rs: RuleSet, criterion_id: str) -> Criterion:
    return next(c for c in rs.model.criteria if c.id == criterion_id)


def _latest_specs(node: Any) -> Iterator[LatestSpec]:
    if isinstance(node, LatestExpr):
        if node.latest.result is None:
            yield node.latest
    elif isinstance(node, (AllExpr, AnyExpr)):
        for item in node.all if isinstance(node, AllExpr) else node.any:
            yield from _latest_specs(item)
    elif isinstance(node, NotExpr):
        yield from _latest_specs(node.not_)
