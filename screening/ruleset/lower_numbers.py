"""Lowering of numbers: counts, ranges, and the latest value of a test in the unit it is compared in.

Thresholds are converted to the measure's unit once, here (with the value set's molar mass or
analyte conversion); a threshold whose unit cannot be compared is an error at its line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from screening.core.timewindows import Duration
from screening.core.units import UnitError, convert_value, factor, normalise, parse_molar_mass, parse_quantity
from screening.ruleset import ir
from screening.ruleset.model import CMP_OPS, Range, ValueSet

P = tuple[str | int, ...]

PLACEHOLDER = ir.Compare(ir.Age(), "ge", float("-inf"))
"""Stands in for a definition that could not be lowered (its error is reported; the rule set is not loaded)."""


class NumberLowering:
    """The number-lowering part of `lower.Lowerer`."""

    # provided by `lower.Lowerer`
    err: Callable[[P, str, str], None]  # report a diagnostic at a path
    codes: Callable[..., ir.CodeSet]  # (reference or references, path, record kind) -> code set
    value_set: Callable[[str], ValueSet | None]  # the value-set definition of a name

    @staticmethod
    def duration(text: Any) -> Duration | None:
        return None if text is None else Duration.parse(text)

    def count_nodes(self, measure: ir.Measure, count: Range | None, path: P) -> ir.Node:
        if count is None:
            return ir.Compare(measure, "ge", 1.0)
        nodes: list[ir.Node] = []
        for op, v in count.bounds():
            if (isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0
                    or v != int(v)):
                self.err(path + ("count",), "E012", f"count bounds are whole numbers >= 0, got {v!r}")
                continue
            nodes.append(ir.Compare(measure, op, float(v)))  # type: ignore[arg-type]
        return nodes[0] if len(nodes) == 1 else ir.And(tuple(nodes))

    def range_nodes(self, measure: ir.Measure, rng: Range, path: P, unit: str = "1") -> ir.Node:
        nodes: list[ir.Node] = []
        for op, v in rng.bounds():
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                key = op if getattr(rng, op) is not None else "between"
                self.err(path + (key,), "E012", f"expected a number, got {v!r}")
                continue
            nodes.append(ir.Compare(measure, op, float(v), unit))  # type: ignore[arg-type]
        if not nodes:
            return ir.Compare(measure, "ge", float("-inf"))
        return nodes[0] if len(nodes) == 1 else ir.And(tuple(nodes))

    def latest(self, spec: Any, path: P) -> ir.Node:
        codes = self.codes(spec.code, path + ("code",))
        within = self.duration(spec.within)
        if spec.result is not None:
            return ir.OneOf(ir.LatestResult(codes, within), tuple(sorted(r.lower() for r in spec.result)))
        vs_unit, molar_mass, conversion = self._value_set_unit(spec.code, path)
        bounds = self._thresholds(spec, path)
        target = normalise(spec.unit or vs_unit or (bounds[0][2] if bounds else "1"))
        try:
            factor(target, target)
            if spec.unit:
                parse_quantity(f"1 {spec.unit}")
        except UnitError as e:
            self.err(path + ("unit",), "E105", str(e))
            return PLACEHOLDER
        measure = ir.Latest(codes, target, within, molar_mass, conversion)
        nodes: list[ir.Node] = []
        for op, value, unit in bounds:
            try:
                threshold = convert_value(value, unit, target, molar_mass, conversion).value
            except UnitError as e:
                self.err(path + (op if op != "ge" or spec.between is None else "between",), "E104",
                         f"threshold unit {unit!r} cannot be compared with {target!r}: {e}")
                continue
            nodes.append(ir.Compare(measure, op, threshold, target))  # type: ignore[arg-type]
        return _conjunction(nodes)

    def _value_set_unit(self, code: str | list[str], path: P) -> tuple[str | None, float | None, str | None]:
        """The canonical unit, the molar mass and the analyte conversion the value sets of a `latest` code declare."""
        vs_unit = conversion = None
        molar_mass = None
        for r in [code] if isinstance(code, str) else list(code):
            vs = self.value_set(r)
            if vs is None:
                continue
            vs_unit = vs_unit or vs.unit
            conversion = conversion or vs.conversion
            if vs.molar_mass is not None:
                try:
                    molar_mass = parse_molar_mass(vs.molar_mass)
                except UnitError as e:
                    self.err(path + ("code",), "E105", f"value set {r!r}: molar_mass: {e}")
        return vs_unit, molar_mass, conversion

    def _thresholds(self, spec: Any, path: P) -> list[tuple[str, float, str]]:
        """(op, value, unit) of each threshold of a `latest` comparison."""
        bounds: list[tuple[str, float, str]] = []
        for op, v in Range(**{k: getattr(spec, k) for k in (*CMP_OPS, "between")}).bounds():
            try:
                value, unit = parse_quantity(v)
            except UnitError as e:
                self.err(path + (op if op in CMP_OPS else "between",), "E105", str(e))
                continue
            bounds.append((op, value, unit))
        return bounds


def _conjunction(nodes: list[ir.Node]) -> ir.Node:
    if not nodes:
        return PLACEHOLDER
    return nodes[0] if len(nodes) == 1 else ir.And(tuple(nodes))
