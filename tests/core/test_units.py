"""UCUM units: real conversion, molar mass, annotations, and refusals (UnitError, never a guess)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.core import units
from screening.core.diskcache import DiskCache, DiskMemo
from screening.core.units import (
    UNIT_ALIASES,
    Converted,
    UnitError,
    convert,
    convert_value,
    dimensions,
    factor,
    is_ucum,
    normalise,
    parse_molar_mass,
    parse_quantity,
    to_ucum,
    ucum_problem,
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


@pytest.mark.parametrize(("a", "b"), [("%", "1"), ("mmol/mol", "%"), ("mL/mL", "%"), ("10*3", "1")])
def test_dimensionless_units_of_different_quantities_never_interconvert(a: str, b: str) -> None:
    for src, dst in ((a, b), (b, a)):
        with pytest.raises(UnitError, match="dimensionless units of different quantities"):
            factor(src, dst)


@pytest.mark.parametrize("unit", ["{score}", "{cells}", " {score} ", "", None])
def test_annotations_alone_are_unity(unit: str | None) -> None:
    assert normalise(unit) == "1"
    assert convert(3.0, unit, "1") == 3.0


def test_an_annotation_attached_to_a_unit_only_labels_it() -> None:
    assert normalise("10*3/uL{cells}") == "10*3/uL{cells}"  # kept for display
    assert factor("10*3/uL{cells}", "10*9/L") == pytest.approx(1.0)


def test_an_annotation_that_is_a_term_counts() -> None:
    assert normalise("mL/min/{1.73_m2}") == "mL/min/{1.73_m2}"  # shown as written, never "mL/min/1"
    assert factor("mL/min/{1.73_m2}", "L/h/{1.73_m2}") == pytest.approx(0.06)
    for a, b in (("mL/min", "mL/min/{1.73_m2}"), ("mL/min/{1.73_m2}", "mL/min")):
        with pytest.raises(UnitError, match="not the same kind of quantity"):
            factor(a, b)


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


# --- kinds of quantity, annotations, analyte conversions, lab spellings --------------------

KINDS = {
    "mass concentration": ["mg/dL", "g/L", "ug/mL", "mg/L"],
    "substance concentration": ["umol/L", "mmol/L", "nmol/mL"],
    "volume rate per body surface": ["mL/min/{1.73_m2}", "L/h/{1.73_m2}"],
    "volume rate": ["mL/min", "L/h"],
    "percent": ["%"],
    "ratio in mmol/mol": ["mmol/mol"],
    "number": ["1", "{score}"],
    "count per volume": ["10*3/uL", "10*9/L", "10*3/uL{cells}"],
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.sampled_from(sorted(KINDS)), st.data())
def test_units_convert_only_within_one_kind_of_quantity(k1: str, k2: str, data: st.DataObject) -> None:
    a, b = data.draw(st.sampled_from(KINDS[k1])), data.draw(st.sampled_from(KINDS[k2]))
    if k1 == k2:
        assert factor(a, b) > 0 and factor(b, a) == pytest.approx(1 / factor(a, b))
    else:
        with pytest.raises(UnitError):
            factor(a, b)  # no molar mass: mass and substance do not meet either


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([u for us in KINDS.values() for u in us]))
def test_units_are_shown_as_written(unit: str) -> None:
    # annotations survive every path: parsing a threshold, the canonical spelling, conversion to itself
    value, parsed = parse_quantity(f"12.5 {unit}")
    assert value == 12.5
    assert parsed == ("1" if unit == "{score}" else unit)  # a bare label reads as a number
    assert convert(12.5, unit, unit) == 12.5


def test_hba1c_ifcc_and_ngsp_by_the_master_equation() -> None:
    c = convert_value(64, "mmol/mol", "%", conversion="hba1c_ifcc_ngsp")
    assert c.value == pytest.approx(8.00672) and "master equation" in (c.formula or "")
    assert convert_value(8.00672, "%", "mmol/mol", conversion="hba1c_ifcc_ngsp").value == pytest.approx(64)
    assert convert_value(7.0, "%", "%", conversion="hba1c_ifcc_ngsp") == Converted(7.0)  # no formula needed
    with pytest.raises(UnitError, match="dimensionless"):
        convert_value(64, "mmol/mol", "%")  # without the named conversion: never 6.4 %
    with pytest.raises(UnitError, match="converts between mmol/mol and %"):
        convert_value(64, "mg/dL", "%", conversion="hba1c_ifcc_ngsp")


@pytest.mark.parametrize(("sent", "ucum"), [
    ("mL/min/1.73m2", "mL/min/{1.73_m2}"), ("mL/min/1.73 m2", "mL/min/{1.73_m2}"), ("K/uL", "10*3/uL"),
    ("x10E3/uL", "10*3/uL"), ("10^3/uL", "10*3/uL"), ("M/uL", "10*6/uL"), ("IU/L", "[IU]/L"), ("mmHg", "mm[Hg]"),
])
def test_lab_spellings_map_to_ucum_with_a_note(sent: str, ucum: str) -> None:
    assert is_ucum(ucum)
    assert to_ucum(sent) == (ucum, f"unit {sent!r} read as UCUM {ucum!r}")
    assert to_ucum("mg/dL") == ("mg/dL", None)


def test_every_alias_means_a_ucum_unit() -> None:
    assert all(is_ucum(u) for u in UNIT_ALIASES.values())


def test_a_lab_spelling_in_a_rule_is_answered_with_its_ucum_form() -> None:
    with pytest.raises(UnitError, match=r"'mL/min/1.73m2' is not a UCUM unit \(UCUM writes it 'mL/min/\{1.73_m2\}'\)"):
        parse_quantity("60 mL/min/1.73m2")


def test_the_unit_rule_of_importers() -> None:
    for ok in ("mg/dL", "umol/L", "mL/min/{1.73_m2}", "10*3/uL", "Cel", "{score}", "%", "[lb_av]"):
        assert ucum_problem(ok) is None, ok
    assert "bare number" in (ucum_problem("258814008") or "")
    assert "kelvin" in (ucum_problem("K/uL") or "")
    assert "not valid UCUM" in (ucum_problem("IU/L") or "")


# --- answers remembered across processes --------------------------------------------------------

REMEMBERED = [("mg/dL", "umol/L", CREATININE), ("mmol/mol", "%", None), ("furlongs", "umol/L", None),
              ("Cel", "[degF]", None), ("mL/min/{1.73_m2}", "L/h/{1.73_m2}", None), ("10*3/uL", "10*9/L", None),
              ("g/L", "umol/L", None), ("mm[Hg]", "kPa", None)]


def _answers() -> list[object]:
    def attempt(f: Callable[..., object], *args: object) -> object:
        try:
            return f(*args)
        except UnitError as e:
            return ("UnitError", str(e))

    found: list[object] = []
    for src, dst, mm in REMEMBERED:
        found += [attempt(factor, src, dst, mm), attempt(convert_value, 176.5, src, dst, mm),
                  is_ucum(src), ucum_problem(src), attempt(parse_quantity, f"7 {src}")]
    return found + [ucum_problem("K/uL"), attempt(dimensions, "umol/LL"), dimensions("mL/min/{1.73_m2}")]


def test_remembered_answers_are_the_registry_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fresh_memo() -> None:
        monkeypatch.setattr(units, "_answers", DiskMemo("units", units._answers_key, cache=DiskCache(tmp_path)))
        units._factor.cache_clear()
        units._dimensions.cache_clear()

    try:
        fresh_memo()
        computed = _answers()
        assert units._answers.flush()
        fresh_memo()

        def no_registry(base: str) -> object:
            raise AssertionError(f"the registry was asked about {base!r}")
        monkeypatch.setattr(units, "_parse", no_registry)
        assert _answers() == computed
    finally:
        units._factor.cache_clear()
        units._dimensions.cache_clear()


def test_remembered_answers_depend_on_the_packages_and_this_module() -> None:
    key = units._answers_key()
    assert key[0] == "ucum" and len(key) == 6
    assert key[-1] == hashlib.sha256(Path(units.__file__).read_bytes()).hexdigest()
