"""The library's lab value sets read every code of their published VSAC expansions (creatinine,
LVEF), as a laboratory or echo report codes them, not only the few codes listed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from patients.model import PatientProfile
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener

AS_OF = dt.date(2026, 11, 22)
TRIAL = "NCT01420432"  # EF > 45 % and creatinine < 176 umol/L, each the latest within 90 days


@pytest.fixture(scope="module")
def screener() -> Iterator[Screener]:
    s = Screener(load_catalog())
    yield s
    s.close()


def result(screener: Screener, criterion: str, code: str, value: float, unit: str) -> Any:
    p = PatientProfile.model_validate({"id": "p", "birth_date": "1980-01-01", "sex": "male", "observations": [
        {"code": {"system": "loinc", "code": code}, "date": "2026-11-01", "value": value, "unit": unit}]})
    report = screener.screen(p, AS_OF, [TRIAL])
    return next(c for c in report.results[0].criteria if c.id == criterion), report


@pytest.mark.parametrize(("code", "value", "unit", "status"), [
    ("77140-2", 150, "umol/L", "pass"),   # Creatinine [Moles/volume] in Serum, Plasma or Blood
    ("77140-2", 190, "umol/L", "fail"),
    ("21232-4", 2.5, "mg/dL", "fail"),    # in arterial blood: 221 umol/L
    ("51619-5", 120, "umol/L", "pass"),   # before dialysis
])
def test_creatinine_codes_of_the_published_set(screener: Screener, code: str, value: float, unit: str,
                                               status: str) -> None:
    c, _ = result(screener, "creatinine_below_176", code, value, unit)
    assert c.status == status and code in c.evidence[0].what


@pytest.mark.parametrize("code", ["11041-1", "51620-3"])
def test_creatinine_after_dialysis_is_not_read(screener: Screener, code: str) -> None:
    """A value lowered by the dialysis itself says nothing of the kidneys: not the latest
    creatinine (unknown, nothing recorded), and listed among the codes no value set reads."""
    c, report = result(screener, "creatinine_below_176", code, 100, "umol/L")
    assert c.status == "unknown" and not c.evidence
    assert f"loinc:{code}" in {u.code for u in report.unrecognised_codes}


@pytest.mark.parametrize(("code", "status"), [("8811-2", "pass"), ("8808-8", "pass"), ("79990-8", "pass")])
def test_lvef_by_every_method(screener: Screener, code: str, status: str) -> None:
    """LVEF by MR, by angiogram and by 3D echo reach the criterion (60 % > 45 %)."""
    c, _ = result(screener, "ejection_fraction_over_45", code, 60, "%")
    assert c.status == status and code in c.evidence[0].what
