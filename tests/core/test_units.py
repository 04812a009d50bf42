"""UCUM units: real conversion, molar mass, annotations, and refusals (UnitError, never a guess)."""

from __future__ import annotations

import pytest

from screening.core.units import (
    UnitError,
    convert,
    factor,
    is_ucum,
    normalise,
    parse_molar_mass,
    parse_quantity,
)

CREATININE = 113.12  # g/mol


def test_creatinine_mg_per_dl_to_umol_per_l() -> None:
    k = factor("mg/dL", "umol/L", CREATININE)
    assert f"{k:.3g}" == "88.4"
    assert k == pytest.approx(10_000 / CREATININE, rel=1e-12)  # 1 mg/dL = 10 mg/L = 10/113.12 mmol/L


def test_creatinine_umol_per_l_to_mg_per_dl() -> None:
    k = factor("umol/L", "mg/dL", CREATININE)
    assert k == pytest.approx(CREATININE / 10_000, rel=1e-12)
    assert k * factor("mg/dL", "umol/L", CREATININE) == pytest.approx(1.0, rel=1e-12)


def test_convert_creatinine_values() -> None:
    assert convert(2.3, "mg/dL", "umol/L", CREATININE) == pytest.approx(203.32, abs=0.01)
    assert convert(176, "umol/L", "mg/dL", CREATININE) == pytest.approx(1.991, abs=0.001)
    assert convert(1.0, "mmol/L", "umol/L") == 1000.0  # same dimension: no molar mass needed


def test_mass_to_molar_needs_a_molar_mass() -> None:
    with pytest.raises(UnitError, match="dimensions differ"):
        factor("mg/dL", "umol/L")
    with pytest.raises(UnitError):
        convert(2.0, "mg/dL", "umol/L", None)


def test_convert_rounds_float_noise_to_nine_digits() -> None:
    assert convert(0.1, "g/L", "mg/dL") == 10.0
    assert convert(3, "g/dL", "g/L") == 30.0
    v = convert(1.99, "mg/dL", "umol/L", CREATININE)
    assert len(repr(v).replace(".", "").lstrip("0")) <= 10


def test_same_unit_is_identity() -> None:
    assert convert(58.0, "%", "%") == 58.0
    assert factor("umol/L", "umol/L") == 1.0


def test_percent_is_a_hundredth() -> None:
    assert factor("%", "1") == pytest.approx(0.01)
    assert convert(45, "%", "1") == pytest.approx(0.45)
    assert convert(0.58, "1", "%") == pytest.approx(58.0)


@pytest.mark.parametrize("unit", ["{score}", "{cells}", " {score} ", "", None])
def test_annotations_alone_are_unity(unit: str | None) -> None:
    assert normalise(unit) == "1"
    assert convert(3.0, unit, "1") == 3.0


def test_annotation_attached_to_a_unit_is_dropped() -> None:
    assert normalise("10*3/uL{cells}") == "10*3/uL"
    assert factor("10*3/uL{cells}", "10*9/L") == pytest.approx(1.0)


@pytest.mark.parametrize("unit", ["umol/LL", "furlongs", "mg/dL/"])
def test_unknown_units_raise(unit: str) -> None:
    assert not is_ucum(unit)
    with pytest.raises(UnitError, match="not a UCUM unit"):
        factor(unit, "umol/L", CREATININE)
    with pytest.raises(UnitError):
        convert(1.0, unit, "umol/L", CREATININE)
    with pytest.raises(UnitError):
        parse_quantity(f"176 {unit}")


@pytest.mark.parametrize(
    ("src", "dst", "mm"),
    [
        ("%", "umol/L", CREATININE), ("mg/dL", "s", CREATININE), ("1", "umol/L", None), ("mm[Hg]", "mg/dL", None),
        ("1", "umol/L", CREATININE),  # a unitless value with a molar mass: UnitError, not pint's ValueError
        ("{score}", "mg/dL", CREATININE),
    ],
)
def test_incompatible_units_raise(src: str, dst: str, mm: float | None) -> None:
    with pytest.raises(UnitError, match="cannot convert"):
        factor(src, dst, mm)


def test_parse_quantity() -> None:
    assert parse_quantity("176 umol/L") == (176.0, "umol/L")
    assert parse_quantity("45 %") == (45.0, "%")
    assert parse_quantity("45%") == (45.0, "%")
    assert parse_quantity("1.5e2 mg/dL") == (150.0, "mg/dL")
    assert parse_quantity("-2 {score}") == (-2.0, "1")
    assert parse_quantity(2) == (2.0, "1")
    assert parse_quantity(2.5) == (2.5, "1")
    assert parse_quantity("7") == (7.0, "1")


@pytest.mark.parametrize("bad", [True, "abc", "", "mg/dL 3", ".5 mg/dL"])
def test_parse_quantity_rejects_non_quantities(bad: object) -> None:
    with pytest.raises(UnitError):
        parse_quantity(bad)  # type: ignore[arg-type]


def test_molar_mass_in_any_unit() -> None:
    assert parse_molar_mass("113.12 g/mol") == pytest.approx(113.12)
    assert parse_molar_mass("0.11312 kg/mol") == pytest.approx(113.12)
    with pytest.raises(UnitError):
        parse_molar_mass("113.12 g/L")
