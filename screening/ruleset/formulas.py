"""Derived values: the published formulas a `latest:` test may compute a value with when none is
recorded (`derive: bmi`, `derive: ckd_epi_2021`, `derive: cockcroft_gault`).

Each formula names its inputs (observations by LOINC code, in a fixed unit; age and sex from the
profile), its unit and the formula text the evidence shows. Nothing here reads a patient: the
runtime finds the inputs (`screening.runtime.derived`) and calls `compute`, which returns None
when the formula does not apply to the inputs (a child for CKD-EPI, a sex other than female or
male), never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from screening.ruleset.ir import CodeSet

CREATININE_MOLAR_MASS = 113.12  # g/mol: umol/L <-> mg/dL


@dataclass(frozen=True)
class Input:
    """An observation a formula reads: its codes, the unit it is computed in, and whether it must fall
    within the test's window (an adult's height need not: the latest one is used, dated)."""

    name: str
    codes: CodeSet
    unit: str
    windowed: bool = True
    molar_mass: float | None = None


@dataclass(frozen=True)
class Formula:
    name: str
    title: str
    unit: str  # UCUM unit of the result
    text: str  # the formula as the evidence shows it
    inputs: tuple[Input, ...]
    needs_age: bool
    needs_sex: bool
    compute: Callable[[dict[str, float], int | None, str | None], float | None]


WEIGHT = Input("body weight", CodeSet("body weight", frozenset({("loinc", "29463-7"), ("loinc", "3141-9")})), "kg")
HEIGHT = Input("body height", CodeSet("body height", frozenset({("loinc", "8302-2"), ("loinc", "8308-9"),
                                                              ("loinc", "3137-7")})), "m", windowed=False)
SERUM_CREATININE = Input("serum creatinine", CodeSet("serum creatinine", frozenset({("loinc", "2160-0"),
                                                                                   ("loinc", "14682-9")})),
                         "mg/dL", molar_mass=CREATININE_MOLAR_MASS)


def _bmi(v: dict[str, float], age: int | None, sex: str | None) -> float | None:
    height = v["body height"]
    return v["body weight"] / (height * height) if height > 0 else None


def _ckd_epi_2021(v: dict[str, float], age: int | None, sex: str | None) -> float | None:
    """CKD-EPI 2021 creatinine equation (Inker et al., N Engl J Med 2021; no race coefficient), adults only."""
    scr = v["serum creatinine"]
    if age is None or age < 18 or sex not in ("female", "male") or scr <= 0:
        return None
    kappa, alpha, factor = (0.7, -0.241, 1.012) if sex == "female" else (0.9, -0.302, 1.0)
    ratio = scr / kappa
    return 142.0 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938 ** age * factor


def _cockcroft_gault(v: dict[str, float], age: int | None, sex: str | None) -> float | None:
    """Cockcroft-Gault creatinine clearance with actual body weight, adults only."""
    scr = v["serum creatinine"]
    if age is None or age < 18 or sex not in ("female", "male") or scr <= 0:
        return None
    return (140 - age) * v["body weight"] / (72.0 * scr) * (0.85 if sex == "female" else 1.0)


FORMULAS: dict[str, Formula] = {f.name: f for f in (
    Formula("bmi", "body mass index", "kg/m2", "BMI = weight (kg) / height (m)^2", (WEIGHT, HEIGHT),
            needs_age=False, needs_sex=False, compute=_bmi),
    Formula("ckd_epi_2021", "eGFR (CKD-EPI 2021)", "mL/min/{1.73_m2}",
            "eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age [x 1.012 if female], Scr in mg/dL, "
            "k = 0.7 (female) or 0.9 (male), a = -0.241 (female) or -0.302 (male) (CKD-EPI 2021, no race term)",
            (SERUM_CREATININE,), needs_age=True, needs_sex=True, compute=_ckd_epi_2021),
    Formula("cockcroft_gault", "creatinine clearance (Cockcroft-Gault)", "mL/min",
            "CrCl = (140 - age) x weight (kg) / (72 x Scr (mg/dL)) [x 0.85 if female] (Cockcroft-Gault, actual "
            "body weight)", (SERUM_CREATININE, WEIGHT), needs_age=True, needs_sex=True, compute=_cockcroft_gault),
)}
