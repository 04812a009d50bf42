"""UCUM units with real conversion, and the rules that keep arithmetic clinically meaningful.

* Parsing goes through ucumvert (the UCUM grammar onto a pint registry); an unknown unit is
  never guessed: conversion raises `UnitError` and the value stays unknown, with the reason.
* Conversions happen only within one kind of quantity: the dimensions must agree, and
  **dimensionless units never interconvert** by plain arithmetic (`%`, `mmol/mol`, `1` measure
  different things), unless an analyte-specific conversion is named (`CONVERSIONS`: HbA1c IFCC
  mmol/mol <-> NGSP % by its master equation), whose formula then appears in the evidence.
* **Annotations count**: `mL/min/{1.73_m2}` (normalised to body surface) is not `mL/min`; two
  units convert only when their annotations are the same. A unit that is nothing but an
  annotation (`{score}`, `{cells}`) is a labelled count and reads as `1`.
* Mass and molar concentrations convert through a molar mass when one is given.
* `UNIT_ALIASES` maps the non-UCUM spellings labs and EHRs send (`mL/min/1.73m2`, `K/uL`,
  `IU/L`, ...) to UCUM; importers use `to_ucum` and warn with the mapping.

Conversion factors are cached per (from, to, molar mass), so the hot path is one dict lookup.
The registry's answers (is a unit UCUM, its dimensions, a conversion factor or why there is
none) are also remembered on disk (`screening.core.diskcache`, keyed by the versions of pint,
ucumvert and its parser and by this module's source), so that a process asking what was asked
before never imports pint nor builds the registry (about 0.8 s of CPU).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from screening.core.diskcache import DiskMemo

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


def _answers_key() -> list[Any]:
    """What the registry's answers depend on: the packages that make them and this module."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return ["ucum", *(installed(n) for n in ("pint", "ucumvert", "lark", "flexparser")), source]


_answers = DiskMemo("units", _answers_key)
"""The registry's answers remembered across processes: `d:<unit>` its dimensions (or why it is
not UCUM), `f:[from, to, molar mass]` a conversion factor (or why there is none)."""


# --- annotations ---------------------------------------------------------------------------

_ANNOTATION = re.compile(r"\{([^{}]*)\}")
_TERM_ANNOTATION = re.compile(r"(?:^|(?<=[./]))\{([^{}]*)\}(?=$|[./])")


@dataclass(frozen=True)
class Unit:
    """A unit as written (`text`), the unit the UCUM parser sees (`base`, annotations taken out)
    and its annotations in order."""

    text: str
    base: str
    annotations: tuple[str, ...]

    @property
    def labelled_count(self) -> bool:
        """Only annotations ({score}, {cells}): a count with a label, read as 1."""
        return self.base == "1" and bool(self.annotations)


@lru_cache(maxsize=4096)
def unit_of(text: str | None) -> Unit:
    if text is None:
        return Unit("1", "1", ())
    t = text.strip() or "1"
    # an annotation that is a whole term ("mL/min/{1.73_m2}", "{score}") says what the quantity is
    # per or of, and counts; one attached to a unit symbol ("10*3/uL{cells}") only labels it
    annotations = tuple(a.strip() for a in _TERM_ANNOTATION.findall(t))
    base = _TERM_ANNOTATION.sub(lambda m: m.group(0).replace("{" + m.group(1) + "}", "1"), t)
    base = _ANNOTATION.sub("", base)
    if base in ("", "/"):
        base = "1"
    return Unit(t, base, annotations)


def normalise(unit: str | None) -> str:
    """The canonical spelling of a unit: as written, stripped; `1` for none or a labelled count."""
    u = unit_of(unit)
    return "1" if u.labelled_count else u.text


# --- parsing --------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _parse(base: str) -> Any:
    ureg = _ureg()
    try:
        # every quantity comes from from_ucum: ureg.Quantity lives in another registry
        # and cannot be combined with these (pint raises ValueError)
        q = ureg.from_ucum(base)
    except Exception as e:  # ucumvert raises lark / pint errors of many kinds
        raise UnitError(f"{base!r} is not a UCUM unit") from e
    if not hasattr(q, "dimensionality"):
        raise UnitError(f"{base!r} is not a UCUM unit")
    return q


def parse_unit(text: str) -> Any:
    """The pint quantity of a unit (its annotations taken out). Raises UnitError."""
    u = unit_of(text)
    try:
        return _parse(u.base)
    except UnitError:
        raise UnitError(f"{u.text!r} is not a UCUM unit" + _alias_hint(u.text)) from None


def dimensions(text: str) -> dict[str, float]:
    """The dimensions of a unit ({"[mass]": 1, "[length]": -3}; empty when dimensionless),
    answered from the remembered answers when asked before. Raises UnitError."""
    u = unit_of(text)
    found = _dimensions(u.base)
    if isinstance(found, UnitError):
        raise UnitError(f"{u.text!r} is not a UCUM unit" + _alias_hint(u.text))
    return dict(found)


@lru_cache(maxsize=4096)
def _dimensions(base: str) -> dict[str, float] | UnitError:
    name = f"d:{base}"
    known = _answers.get(name)
    if isinstance(known, dict):
        return dict(known)
    if isinstance(known, str):
        return UnitError(known)
    try:
        found = {str(d): _number(e) for d, e in _parse(base).dimensionality.items()}
    except UnitError as e:
        _answers.put(name, str(e))
        return e
    _answers.put(name, found)
    return found


def _number(x: Any) -> float:
    """An exponent as JSON keeps it (pint may hold a Fraction)."""
    f = float(x)
    return int(f) if f.is_integer() else f


def is_ucum(unit: str) -> bool:
    try:
        dimensions(unit)
        return True
    except UnitError:
        return False


_BARE_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def ucum_problem(code: str) -> str | None:
    """Why `code` is not a usable UCUM unit code, or None when it is one.

    Besides the UCUM grammar, two spellings that parse but cannot be meant are refused:
    a bare number other than 1 (e.g. a SNOMED CT unit code such as 258814008) and a unit that
    mixes kelvin with other dimensions ("K/uL" parses as kelvin per microlitre; the lab meant
    thousands per microlitre, which UCUM writes 10*3/uL).
    """
    c = code.strip()
    if not c:
        return "empty unit code"
    if _BARE_NUMBER.match(c) and c != "1":
        return f"unit code {c!r} is a bare number, not a UCUM unit"
    if not is_ucum(c):
        return f"unit code {c!r} is not valid UCUM"
    dims = dimensions(c)
    if "[temperature]" in dims and dims != {"[temperature]": 1}:
        return (f"unit code {c!r} parses as kelvin combined with other units, which no lab result is "
                "(UCUM writes thousands as 10*3, e.g. 10*3/uL)")
    return None


# --- spellings labs send --------------------------------------------------------------------

UNIT_ALIASES: dict[str, str] = {
    # eGFR and creatinine clearance normalised to 1.73 m2 of body surface
    "mL/min/1.73m2": "mL/min/{1.73_m2}", "mL/min/1.73 m2": "mL/min/{1.73_m2}",
    "mL/min/1.73m^2": "mL/min/{1.73_m2}", "mL/min/1.73 m^2": "mL/min/{1.73_m2}",
    "ml/min/1.73m2": "mL/min/{1.73_m2}", "ml/min/1.73 m2": "mL/min/{1.73_m2}",
    "mL/min/{1.73m2}": "mL/min/{1.73_m2}", "mL/min/1.73_m2": "mL/min/{1.73_m2}",
    # cell counts
    "K/uL": "10*3/uL", "k/uL": "10*3/uL", "K/µL": "10*3/uL", "10^3/uL": "10*3/uL", "x10E3/uL": "10*3/uL",
    "x10^3/uL": "10*3/uL", "10E3/uL": "10*3/uL", "thou/uL": "10*3/uL", "10^9/L": "10*9/L", "x10E9/L": "10*9/L",
    "x10^9/L": "10*9/L", "G/L": "10*9/L",
    "M/uL": "10*6/uL", "m/uL": "10*6/uL", "10^6/uL": "10*6/uL", "x10E6/uL": "10*6/uL", "x10^6/uL": "10*6/uL",
    "mill/uL": "10*6/uL", "10^12/L": "10*12/L", "x10E12/L": "10*12/L", "T/L": "10*12/L",
    "cells/uL": "{cells}/uL",
    # international units
    "IU/L": "[IU]/L", "IU/mL": "[IU]/mL", "mIU/mL": "m[IU]/mL", "mIU/L": "m[IU]/L", "uIU/mL": "u[IU]/mL",
    # micro sign and other spellings
    "µmol/L": "umol/L", "μmol/L": "umol/L", "µg/L": "ug/L", "μg/L": "ug/L", "µg/dL": "ug/dL", "µL": "uL",
    "mmHg": "mm[Hg]", "mm Hg": "mm[Hg]", "percent": "%", "pct": "%",
}
"""Non-UCUM spellings seen in lab and EHR exports, and the UCUM unit each one means."""


def to_ucum(text: str) -> tuple[str, str | None]:
    """The UCUM unit a sent unit means, and a note when it was mapped from a spelling in
    `UNIT_ALIASES` (some of which parse as UCUM but mean something else: K/uL is kelvin)."""
    t = text.strip()
    mapped = UNIT_ALIASES.get(t)
    return (t, None) if mapped is None else (mapped, f"unit {t!r} read as UCUM {mapped!r}")


def _alias_hint(text: str) -> str:
    mapped = UNIT_ALIASES.get(text.strip())
    return f" (UCUM writes it {mapped!r})" if mapped else ""


# --- conversion ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Conversion:
    """An analyte-specific conversion between two units that no unit factor relates."""

    name: str
    formula: str  # as shown in evidence
    units: tuple[str, str]  # (first, second)
    to_second: Callable[[float], float]
    to_first: Callable[[float], float]


CONVERSIONS: dict[str, Conversion] = {
    "hba1c_ifcc_ngsp": Conversion(
        "HbA1c IFCC <-> NGSP", "NGSP % = 0.09148 x IFCC mmol/mol + 2.152 (IFCC-NGSP master equation)",
        ("mmol/mol", "%"), lambda ifcc: 0.09148 * ifcc + 2.152, lambda ngsp: (ngsp - 2.152) / 0.09148),
}
"""Named analyte-specific conversions a value set can declare (`conversion: <name>`)."""


def factor(from_unit: str, to_unit: str, molar_mass_g_per_mol: float | None = None) -> float:
    """Multiplier taking a value in `from_unit` to `to_unit`. Raises UnitError if the two are not
    the same kind of quantity (see the module's rules)."""
    result = _factor(from_unit, to_unit, molar_mass_g_per_mol)
    if isinstance(result, UnitError):
        raise UnitError(str(result))
    return result


@lru_cache(maxsize=4096)
def _factor(from_unit: str, to_unit: str, molar_mass_g_per_mol: float | None) -> float | UnitError:
    # failures are cached too: parsing an unknown unit again would cost a full UCUM parse
    name = "f:" + json.dumps([from_unit, to_unit, molar_mass_g_per_mol], ensure_ascii=False)
    known = _answers.get(name)
    if isinstance(known, float):
        return known
    if isinstance(known, str):
        return UnitError(known)
    try:
        k = _compute_factor(unit_of(from_unit), unit_of(to_unit), molar_mass_g_per_mol)
    except UnitError as e:
        _answers.put(name, str(e))
        return e
    _answers.put(name, k)
    return k


def _compute_factor(f: Unit, t: Unit, molar_mass_g_per_mol: float | None) -> float:
    if normalise(f.text) == normalise(t.text):
        return 1.0
    if not (f.labelled_count and t.base == "1" or t.labelled_count and f.base == "1") and f.annotations != t.annotations:
        raise UnitError(f"cannot convert {f.text} to {t.text}: not the same kind of quantity (annotated "
                        f"{', '.join('{' + a + '}' for a in f.annotations) or 'nothing'} vs "
                        f"{', '.join('{' + a + '}' for a in t.annotations) or 'nothing'})")
    src, dst = parse_unit(f.text), parse_unit(t.text)
    if not (getattr(src, "_is_multiplicative", True) and getattr(dst, "_is_multiplicative", True)):
        # Cel <-> [degF] is affine (an offset), not a factor
        raise UnitError(f"cannot convert {f.text} to {t.text} by a factor: the scales have different zero points")
    if src.dimensionless and dst.dimensionless and f.base != t.base:
        raise UnitError(f"cannot convert {f.text} to {t.text}: dimensionless units of different quantities are "
                        "not converted by arithmetic (a value set may name an analyte-specific conversion)")
    try:
        return float(src.to(dst.units).magnitude / dst.magnitude)
    except Exception:
        pass
    if molar_mass_g_per_mol:
        mm = molar_mass_g_per_mol * _ureg().from_ucum("g/mol")
        for candidate in (src / mm, src * mm):
            try:
                return float(candidate.to(dst.units).magnitude / dst.magnitude)
            except Exception:
                continue
        raise UnitError(f"cannot convert {f.text} to {t.text} (even with molar mass {molar_mass_g_per_mol} g/mol)")
    raise UnitError(f"cannot convert {f.text} to {t.text}: the dimensions differ")


@dataclass(frozen=True)
class Converted:
    value: float
    formula: str | None = None  # the analyte-specific formula used, if any


def convert_value(value: float, from_unit: str | None, to_unit: str, molar_mass: float | None = None,
                  conversion: str | None = None) -> Converted:
    """`value` in `to_unit`, by a unit factor, else by the named analyte conversion; 9 significant
    digits, so that boundaries compare exactly. Raises UnitError."""
    try:
        k = factor(from_unit or "1", to_unit, molar_mass)
    except UnitError:
        c = CONVERSIONS.get(conversion) if conversion else None
        if c is None:
            raise
        return Converted(_round(_by_conversion(c, value, from_unit or "1", to_unit)), c.formula)
    return Converted(value if k == 1.0 else _round(value * k))


def _by_conversion(c: Conversion, value: float, from_unit: str, to_unit: str) -> float:
    first, second = c.units
    for src, dst, fn in ((first, second, c.to_second), (second, first, c.to_first)):
        try:
            return fn(value * factor(from_unit, src)) * factor(dst, to_unit)
        except UnitError:
            continue
    raise UnitError(f"{c.name} converts between {first} and {second}, not {from_unit} and {to_unit}")


def convert(value: float, from_unit: str | None, to_unit: str, molar_mass: float | None = None) -> float:
    """Convert by a unit factor and round away float noise (9 significant digits)."""
    return convert_value(value, from_unit, to_unit, molar_mass).value


def _round(v: float) -> float:
    return float(f"{v:.9g}")


# --- quantities in rule sets -----------------------------------------------------------------

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
    dimensions(unit)
    return value, normalise(unit)


def parse_molar_mass(text: str | float) -> float:
    value, unit = parse_quantity(text)
    return value * factor(unit, "g/mol")
