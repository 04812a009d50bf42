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
from screening.ruleset.formulas import FORMULAS
from screening.ruleset.model import CMP_OPS, LIMIT_RE, Range, ValueSet

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

    def dose_filters(self, rng: Range, path: P) -> list[ir.Filter]:
        """Record filters on a course's daily dose, each threshold in the unit of the first (a dose per day)."""
        filters: list[ir.Filter] = []
        target: str | None = None
        for op, v in rng.bounds():
            key = op if getattr(rng, op) is not None and op != "between" else "between"
            try:
                value, unit = parse_quantity(v)
                if not normalise(unit).endswith("/d"):
                    raise UnitError(f"{unit!r} is not per day")
                target = target or normalise(unit)
                value = convert_value(value, unit, target).value
            except UnitError as e:
                self.err(path + (key,), "E104", f"a daily dose is a quantity per day (e.g. '1000 mg/d'): {e}")
                continue
            filters.append(ir.Filter("daily_dose", op, value, target))
        return filters

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
        written = Range(**{k: getattr(spec, k) for k in (*CMP_OPS, "between")}).bounds()
        if any(isinstance(v, str) and LIMIT_RE.match(v) for _, v in written):
            return self._ratio(spec, codes, written, molar_mass, conversion, path)
        bounds = self._thresholds(spec, path)
        if spec.derive is not None:  # a bare number is in the formula's unit (BMI 25 is 25 kg/m2)
            bounds = [(op, v, FORMULAS[spec.derive].unit if u == "1" else u) for op, v, u in bounds]
        target = normalise(spec.unit or vs_unit or (bounds[0][2] if bounds else "1"))
        try:
            factor(target, target)
            if spec.unit:
                parse_quantity(f"1 {spec.unit}")
        except UnitError as e:
            self.err(path + ("unit",), "E105", str(e))
            return PLACEHOLDER
        if spec.derive is not None and not self._derivable(spec.derive, target, path):
            return PLACEHOLDER
        measure = ir.Latest(codes, target, within, molar_mass, conversion, spec.derive)
        return _conjunction(self._compares(measure, bounds, spec.between is not None, path))

    def _compares(self, measure: ir.Latest, bounds: list[tuple[str, float, str]], between: bool,
                  path: P) -> list[ir.Node]:
        """Each threshold converted to the measure's unit (E104 where it cannot be)."""
        nodes: list[ir.Node] = []
        for op, value, unit in bounds:
            try:
                threshold = convert_value(value, unit, measure.unit, measure.molar_mass, measure.conversion).value
            except UnitError as e:
                self.err(path + (op if op != "ge" or not between else "between",), "E104",
                         f"threshold unit {unit!r} cannot be compared with {measure.unit!r}: {e}")
                continue
            nodes.append(ir.Compare(measure, op, threshold, measure.unit))  # type: ignore[arg-type]
        return nodes

    def _derivable(self, derive: str, target: str, path: P) -> bool:
        """Is the formula's unit comparable with the test's? (E104 at `derive` if not.)"""
        formula = FORMULAS[derive]
        try:
            convert_value(1.0, formula.unit, target)
        except UnitError:
            self.err(path + ("derive",), "E104", f"{formula.title} is in {formula.unit}, which cannot be compared "
                                                 f"with {target!r}")
            return False
        return True

    def _ratio(self, spec: Any, codes: ir.CodeSet, written: list[tuple[str, Any]], molar_mass: float | None,
               conversion: str | None, path: P) -> ir.Node:
        """'ALT > 3 x ULN': the latest value as a multiple of a limit of its normal range."""
        limits: list[tuple[str, float, str]] = []
        for op, v in written:
            m = LIMIT_RE.match(v) if isinstance(v, str) else None
            key = op if getattr(spec, op, None) is not None and spec.between is None else "between"
            if m is None:
                self.err(path + (key,), "E012", f"{v!r}: write every threshold of this comparison as a multiple "
                                                "of a limit of normal ('3 x ULN') or none of them")
                continue
            limits.append((op, float(m.group(1)), m.group(2).upper()))
        names = {name for _, _, name in limits}
        if len(names) > 1:
            self.err(path, "E012", "compare with the upper (ULN) or the lower (LLN) limit of normal, not both")
            return PLACEHOLDER
        if spec.unit is not None:
            self.err(path + ("unit",), "E012", "a multiple of a limit of normal has no unit: leave out `unit`")
        limit = "high" if names == {"ULN"} else "low"
        fallback = self._fallback_limit(spec.code, limit, path)
        measure = ir.LatestRatio(codes, limit, self.duration(spec.within), *fallback, molar_mass,  # type: ignore[arg-type]
                                 conversion)
        return _conjunction([ir.Compare(measure, op, k, f"x {measure.limit_name}")  # type: ignore[arg-type]
                             for op, k, _ in limits])

    def _fallback_limit(self, code: str | list[str], limit: str,
                        path: P) -> tuple[float | None, str | None, str | None]:
        """The limit a value set's `reference_range` states (value, unit, source), for results without one."""
        for r in [code] if isinstance(code, str) else list(code):
            vs = self.value_set(r)
            rr = vs.reference_range if vs is not None else None
            text = getattr(rr, limit) if rr is not None else None
            if rr is not None and text is not None:
                value, unit = parse_quantity(text)
                return value, normalise(unit), f"value set {r}: {rr.source}"
        return None, None, None

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
