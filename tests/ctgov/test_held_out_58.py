"""Regression tests for what the fifty-eighth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

CONSENT = {"ref": "informed_consent_signed"}


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def _latest(code: str, **bound: object) -> dict[str, object]:
    return {"latest": {"code": code, **bound}}


def test_a_bound_written_before_the_measure_s_name_is_the_range_s_lower_bound() -> None:
    # '19<BMI<30' had been drafted as its upper bound alone: the number and sign before the name are the lower bound
    assert _inclusion("20<BMI<32") == [_latest("bmi", gt="20 kg/m2", lt="32 kg/m2")]
    assert _inclusion("18.5 ≤ BMI < 27 kg/m2") == [_latest("bmi", ge="18.5 kg/m2", lt="27 kg/m2")]
    assert _inclusion("Body mass index: 17 < BMI <= 28") == [_latest("bmi", gt="17 kg/m2", le="28 kg/m2")]
    assert _inclusion("35% < LVEF < 50%") == [_latest("lvef", gt="35 %", lt="50 %")]
    # or before a letter standing for the value after the name (probing: 'BMI 19<x<30' had been drafted at 0.7 as
    # its upper bound alone)
    assert _inclusion("BMI 20 < x < 32") == [_latest("bmi", gt="20 kg/m2", lt="32 kg/m2")]
    assert _inclusion("Body mass index: 18.5 ≤ X < 25 kg/m2") == [_latest("bmi", ge="18.5 kg/m2", lt="25 kg/m2")]
    # a measure's upper bound alone, or a lower bound after the name, read as before
    assert _inclusion("BMI < 32") == [_latest("bmi", lt="32 kg/m2")]
    assert _inclusion("BMI > 20 and < 32") == [_latest("bmi", gt="20 kg/m2", lt="32 kg/m2")]
    # no value between the bounds: nothing drafted
    assert _inclusion("32<BMI<20") == []


def test_a_written_and_an_oral_consent_together_are_the_signed_consent() -> None:
    # 'written og oral consent' ('og', Danish 'and') had been left unread, though 'written consent' is read
    for text in ("Written and oral consent", "oral and written consent.", "written & verbal consent",
                 "Written og oral consent", "Verbal and written consent"):
        assert _inclusion(text) == [CONSENT], text
    assert _inclusion("Provide written and oral consent") == [CONSENT]
    assert _inclusion("Signed written and verbal informed consent") == [CONSENT]
    # one or the other, or the oral alone, is no signed consent
    assert _inclusion("Written or oral consent") == []
    assert _inclusion("Verbal consent") == []
    assert _inclusion("Provide written or oral consent") == []
    assert _inclusion("Written consent") == [CONSENT]


def test_a_sex_followed_by_what_its_people_receive_or_undergo_is_that_sex() -> None:
    # 'women receiving PrEP' had drafted no sex, though 'women with HIV' is read
    assert _inclusion("Women receiving hormone therapy")[:1] == [{"sex": ["female"]}]
    assert _inclusion("Men undergoing radical prostatectomy") == [{"sex": ["male"]}]
    assert _inclusion("Females taking oral iron supplements") == [{"sex": ["female"]}]
    assert _inclusion("Women attending the antenatal clinic") == [{"sex": ["female"]}]
    # a rule for one sex, both sexes, or the people's companions: no sex
    assert _inclusion("Women using hormonal contraception must continue it") == []
    assert _inclusion("Men receiving treatment and their partners") == []
    assert _inclusion("Women or men receiving dialysis") == []


def test_living_with_a_disease_is_the_participant_s_own_state() -> None:
    # probing 'women receiving PrEP': 'Women aged 18 or older living with HIV' had drafted nothing, the age and the sex
    # left for review as if 'living with' named people around the participant
    hiv = {"ref": "hiv_positive"}
    assert _inclusion("Adults aged 18 years or older living with HIV") == [{"age": {"ge": 18}}, hiv]
    assert _inclusion("People living with HIV") == [hiv]
    assert _inclusion("Women living with HIV, aged 18 or older")[:1] == [{"sex": ["female"]}]
    # people the participant lives with, as before: nothing of theirs drafted as the participant's
    assert _inclusion("Adults aged 18 or older living with an HIV-positive partner") == []
    assert _inclusion("Adults aged 18 or older living with HIV-infected family members") == []
    assert _inclusion("Adults aged 18 or older living with a person with HIV") == []
    assert _excluded("Living with a child under 2 years of age") == []
