"""An independent table of units (factor to the family's base unit), written apart from the
engine's unit conversion, to say what a value written in another unit should come to."""

from __future__ import annotations

MASS = {"g/L": 1.0, "g/dL": 10.0, "mg/dL": 1e-2, "mg/L": 1e-3}  # g/L
MOLAR = {"mol/L": 1.0, "mmol/L": 1e-3, "umol/L": 1e-6}  # mol/L
COUNTS = {"10*3/uL": 1.0, "10*9/L": 1.0}  # 10^9 per litre
PERCENT = {"%": 1.0}
FAMILIES = (MASS, MOLAR, COUNTS, PERCENT)


def _family(unit: str) -> dict[str, float] | None:
    return next((f for f in FAMILIES if unit in f), None)


def to_unit(value: float, unit: str, target: str, molar_mass: float | None) -> float | None:
    """value in `unit` expressed in `target` by the table above; None if the table cannot."""
    if unit == target:
        return value
    fu, ft = _family(unit), _family(target)
    if fu is None or ft is None:
        return None
    if fu is ft:
        return value * fu[unit] / ft[target]
    if molar_mass and {id(fu), id(ft)} == {id(MASS), id(MOLAR)}:
        if fu is MASS:  # g/L -> mol/L
            return value * fu[unit] / molar_mass / ft[target]
        return value * fu[unit] * molar_mass / ft[target]
    return None


def alternatives(unit: str, molar_mass: float | None) -> list[str]:
    """The other units a value of `unit` can be written in (mass and molar units with a molar mass)."""
    fam = _family(unit)
    if fam is None:
        return []
    out = [u for u in fam if u != unit]
    if molar_mass and fam is MOLAR:
        out += list(MASS)
    elif molar_mass and fam is MASS:
        out += list(MOLAR)
    return out


def sig9(x: float) -> float:
    """Values are compared after rounding to 9 significant digits (the documented convention)."""
    return float(f"{x:.9g}")
