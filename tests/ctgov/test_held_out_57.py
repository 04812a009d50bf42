"""Regression tests for what the fifty-seventh held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _latest(code: str, **bound: str) -> dict[str, object]:
    return {"latest": {"code": code, **bound}}


def test_full_width_comparison_signs_are_read_as_their_ascii_form() -> None:
    # 'malnourished (BMI＜18.5)' (a full-width '＜', CJK typing) had been left unread beside the other bound of its item
    assert _excluded("Body mass index ＜ 17 kg/m2") == [_latest("bmi", lt="17 kg/m2")]
    assert _excluded("Serum creatinine ＞ 1.5 mg/dL") == [_latest("creatinine", gt="1.5 mg/dL")]
    assert _excluded("Age＜18 years") == [{"age": {"lt": 18}}]
    assert _inclusion("Aged ＞ 65 years") == [{"age": {"gt": 65}}]
    assert _inclusion("Hemoglobin＞＝10 g/dL") == [_latest("hemoglobin", ge="10 g/dL")]
    # the ASCII and mathematical signs read as before
    assert _excluded("Body mass index < 17 kg/m2") == [_latest("bmi", lt="17 kg/m2")]
    assert _excluded("Serum creatinine ≧ 1.5 mg/dL") == [_latest("creatinine", ge="1.5 mg/dL")]
