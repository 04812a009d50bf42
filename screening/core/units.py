"""UCUM units with real conversion, including mass <-> molar concentration via a molar mass.

Parsing goes through ucumvert (UCUM grammar onto a pint registry). Conversion factors are
cached per (from, to, molar mass), so the hot path is one dict lookup and a multiplication.
An unknown or incompatible unit is never guessed: `convert` raises `UnitError`.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_registry: Any = None


class UnitError(ValueError):
    pass


def _ureg() -> Any:
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                # deferred: building the UCUM registry costs about half a second, paid only
                # by a process that reads a unit
                from ucumvert import PintUcumRegistry

                _registry = PintUcumRegistry()
    return _registry


_ANNOTATION = re.compile(r"\{[^{}]*\}")
_TERM_ANNOTATION = re.compile(r"([./])\{[^{}]*\}(?=$|[./])")


@lru_cache(maxsize=4096)
def normalise(unit: str | None) -> str:
    """Canonical spelling used as a cache key; UCUM annotations ({score}, {cells}) are unity."""
    if unit is None:
        return "1"
    u = unit.strip()
    # an annotation that is a whole term after a divisor or factor ("mL/min/{1.73_m2}") is unity
    u = _TERM_ANNOTATION.sub(r"\g<1>1", u)
    # a bare annotation (e.g. "{score}") is the unity unit
    stripped = _ANNOTATION.sub("", u)
    if stripped in ("", "/"):
        return "1"
    if stripped != u:
        # annotation attached to a unit ("10*3/uL{cells}"): drop it
        u = stripped
    return u


@lru_cache(maxsize=4096)
def _parse(unit: str) -> Any:
    ureg = _ureg()
    try:
        # every quantity comes from from_ucum: ureg.Quantity lives in another registry
        # and cannot be combined with these (pint raises ValueError)
        q = ureg.from_ucum(unit)
    except Exception as e:  # ucumvert raises lark / pint errors of many kinds
        raise UnitError(f"{unit!r} is not a UCUM unit") from e
    if not hasattr(q, "dimensionality"):
        raise UnitError(f"{unit!r} is not a UCUM unit")
    return q


def is_ucum(unit: str) -> bool:
    try:
        _parse(normalise(unit))
        return True
    except UnitError:
        return False


def factor(from_unit: str, to_unit: str, molar_mass_g_per_mol: float | None = None) -> float:
    """Multiplier taking a value in `from_unit` to `to_unit`. Raises UnitError if impossible."""
    result = _factor(from_unit, to_unit, molar_mass_g_per_mol)
    if isinstance(result, UnitError):
        raise UnitError(str(result))
    return result


@lru_cache(maxsize=4096)
def _factor(from_unit: str, to_unit: str, molar_mass_g_per_mol: float | None) -> float | UnitError:
    # failures are cached too: parsing an unknown unit again would cost a full UCUM parse
    try:
        return _compute_factor(from_unit, to_unit, molar_mass_g_per_mol)
    except UnitError as e:
        return e


def _compute_factor(from_unit: str, to_unit: str, molar_mass_g_per_mol: float | None) -> float:
    f, t = normalise(from_unit), normalise(to_unit)
    if f == t:
        return 1.0
    src, dst = _parse(f), _parse(t)
    if not (getattr(src, "_is_multiplicative", True) and getattr(dst, "_is_multiplicative", True)):
        # Cel <-> [degF] is affine (an offset), not a factor
        raise UnitError(f"cannot convert {from_unit} to {to_unit} by a factor: the scales have different zero points")
    try:
        return float((src).to(dst.units).magnitude / dst.magnitude)
    except Exception:
        pass
    if molar_mass_g_per_mol:
        ureg = _ureg()
        mm = molar_mass_g_per_mol * ureg.from_ucum("g/mol")
        for op in ("div", "mul"):
            try:
                candidate = src / mm if op == "div" else src * mm
                return float(candidate.to(dst.units).magnitude / dst.magnitude)
            except Exception:
                continue
        raise UnitError(f"cannot convert {from_unit} to {to_unit} (even with molar mass {molar_mass_g_per_mol} g/mol)")
    raise UnitError(f"cannot convert {from_unit} to {to_unit}: the dimensions differ")


def convert(value: float, from_unit: str | None, to_unit: str, molar_mass: float | None = None) -> float:
    """Convert and round away float noise (9 significant digits) so boundaries compare exactly."""
    k = factor(from_unit or "1", to_unit, molar_mass)
    if k == 1.0:
        return value
    return float(f"{value * k:.9g}")


_QTY = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def parse_quantity(text: str | int | float) -> tuple[float, str]:
    """'176 umol/L' -> (176.0, 'umol/L'); '45 %' -> (45.0, '%'); 2 -> (2.0, '1')."""
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a quantity")
    if isinstance(text, (int, float)):
        return float(text), "1"
    m = _QTY.match(str(text))
    if not m:
        raise UnitError(f"{text!r} is not a quantity: write a number and a UCUM unit, e.g. '176 umol/L'")
    value, unit = float(m.group(1)), m.group(2) or "1"
    _parse(normalise(unit))
    return value, normalise(unit)


def parse_molar_mass(text: str | float) -> float:
    value, unit = parse_quantity(text)
    return value * factor(unit, "g/mol")
