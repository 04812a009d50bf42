"""Random patient profiles aimed at the rule sets' edges (thresholds, windows, missing data).

`random_patient(rng, i, as_of)` takes any `random.Random`: a seeded one for the concurrency
test and the benchmark, or hypothesis' `st.randoms()` in the property test (whose draws shrink).

A patient is a function of the random draws and `as_of` only, never of the day the tests run:
its records fall before `as_of`, or up to `FUTURE_DAYS` after it (records the screening must
ignore), and never after that horizon (an abatement or an end date drawn later is cut there).
The patient model refuses records dated after today, so `as_of` must be at least `FUTURE_DAYS`
back: `AS_OF` is 2026-10-01, whose horizon (2026-11-30) was already past when this was written
(2026-12-06), so every test run from then on accepts every patient drawn for it or an earlier date.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from patients.model import PatientProfile

AS_OF = dt.date(2026, 10, 1)
FUTURE_DAYS = 60  # records up to this many days after the screening date, which must be ignored

LAB_CODES = {
    "creatinine": [("loinc", "2160-0"), ("loinc", "14682-9"), ("loinc", "38483-4")],
    "lvef": [("loinc", "10230-1")],
    "ecog": [("loinc", "89247-1")],
}
TEST_CODES = [("loinc", "2106-3"), ("loinc", "2118-8"), ("loinc", "56888-1"), ("loinc", "5195-3"), ("loinc", "16128-1")]
CONDITION_CODES = [
    ("snomed", "9631008"), ("icd10", "M45.9"), ("snomed", "89155008"), ("icd10", "M34.0"), ("snomed", "64859006"),
    ("icd10", "M81.0"), ("snomed", "86406008"), ("icd10", "B20"), ("snomed", "66071002"), ("snomed", "50711007"),
    ("snomed", "56717001"), ("snomed", "363346000"), ("icd10", "C50.9"), ("icd10", "C44.31"), ("snomed", "254701007"),
    ("snomed", "72892002"), ("snomed", "69896004"), ("snomed", "59621000"), ("snomed", "782745005"),
    ("local", "poor-graft-function"), ("icd10cm", "T86.02"), ("snomed", "38341003"), ("icd10", "E11.9"),
    ("snomed", "161663000"), ("icd10", "Q78.0"),
]
# free-text names a record may carry, some of them naming concepts the value sets know by name
DISPLAYS = ["Overlapping malignant neoplasm of colon", "Basal cell carcinoma of skin", "Viral sinusitis",
            "HIV disease", "Hereditary haemochromatosis", "Kidney transplant status", "Carcinoma in situ of skin"]
UNRECOGNISED = [("snomed", "109838007"), ("snomed", "1234567"), ("icd10cm", "C18.8"), ("icd10cm", "B20"),
                ("icd10", "C44.3"), ("icd10cm", "M45.9"), ("icd10cm", "M34.0"), ("icd10cm", "M81.0")]
CRITERIA = ["modified New York", "ACR 2013", "ACR/EULAR 2013", "other"]
MED_CODES = [("atc", "B01AC11"), ("atc", "B01AC09"), ("atc", "L04AX03"), ("atc", "L01XE01"), ("atc", "A07EC01"),
             ("rxnorm", "8814"), ("atc", "N02BE01")]
PROC_CODES = [("snomed", "234336002"), ("local", "allo-hsct"), ("snomed", "58776007"), ("snomed", "80146002")]


def _maybe(rng: random.Random, p: float = 0.5) -> bool:
    return rng.random() < p


def _date(rng: random.Random, as_of: dt.date, max_back_days: int = 4000, allow_future: bool = True) -> dt.date:
    # mostly before the screening date, sometimes just after it (such records must be ignored)
    return as_of + dt.timedelta(days=rng.randint(-max_back_days, FUTURE_DAYS if allow_future else 0))


def _until(start: dt.date, days: int, as_of: dt.date) -> dt.date:
    """`days` after `start`, cut at the horizon of `as_of` (no record is later)."""
    return min(start + dt.timedelta(days=days), as_of + dt.timedelta(days=FUTURE_DAYS))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 Feb
        return day.replace(year=day.year - years, day=28)


def _check_as_of(as_of: dt.date) -> None:
    """Refuse an `as_of` whose records could be in the future (a refusal: what is drawn never depends on today)."""
    if as_of + dt.timedelta(days=FUTURE_DAYS) > dt.date.today():
        raise ValueError(f"as_of {as_of}: records drawn up to {FUTURE_DAYS} days after it would be in the future; "
                         f"use an as_of at least {FUTURE_DAYS} days back")


def random_patient(rng: random.Random, i: int = 0, as_of: dt.date = AS_OF) -> PatientProfile:
    _check_as_of(as_of)
    data: dict[str, Any] = {"id": f"p{i}"}
    if _maybe(rng, 0.95):
        edge = rng.choice([13, 14, 17, 18, 19, 49, 50, 51, 60, 61, 64, 65, 66, 70, 71, 30, 40, 45, 55])
        data["birth_date"] = (_years_before(as_of, edge) + dt.timedelta(days=rng.randint(-3, 3))).isoformat()
    birth = dt.date.fromisoformat(data["birth_date"]) if "birth_date" in data else dt.date(1930, 1, 1)
    if _maybe(rng, 0.95):
        data["sex"] = rng.choice(["female", "male", "female", "male", "other", "unknown"])

    def when(back: int = 4000) -> str:
        return max(_date(rng, as_of, back), birth).isoformat()

    conds = []
    for _ in range(rng.randint(0, 5)):
        system, code = rng.choice(CONDITION_CODES + UNRECOGNISED)
        c: dict[str, Any] = {"code": {"system": system, "code": code}}
        if _maybe(rng, 0.3):
            c["code"]["display"] = rng.choice(DISPLAYS)
        if _maybe(rng, 0.3):
            s2, c2 = rng.choice(CONDITION_CODES + UNRECOGNISED)
            if (s2, c2) != (system, code):  # a coding is given once
                c["other_codes"] = [{"system": s2, "code": c2}]
        if _maybe(rng, 0.8):
            c["onset"] = when(5000)
        if _maybe(rng, 0.3):
            onset = dt.date.fromisoformat(c.get("onset", birth.isoformat()))
            c["abatement"] = _until(onset, rng.randint(0, 3000), as_of).isoformat()
        if _maybe(rng, 0.7):
            c["clinical_status"] = rng.choice(["active", "recurrence", "relapse", "inactive", "remission", "resolved"])
        if _maybe(rng, 0.3):
            c["verification_status"] = rng.choice(["confirmed", "provisional", "differential", "unconfirmed", "refuted",
                                                   "entered-in-error"])
        if _maybe(rng, 0.4):
            c["criteria"] = [rng.choice(CRITERIA)]
        conds.append(c)
    data["conditions"] = conds

    obs = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.choice(["creatinine", "creatinine", "lvef", "ecog", "test"])
        if kind == "test":
            system, code = rng.choice(TEST_CODES)
            obs.append({"code": {"system": system, "code": code}, "date": when(120),
                        "result": rng.choice(["positive", "negative", "reactive", "Negative", "detected"])})
            continue
        system, code = rng.choice(LAB_CODES[kind])
        o: dict[str, Any] = {"code": {"system": system, "code": code}, "date": when(150)}
        if kind == "creatinine":
            if _maybe(rng):
                o["value"], o["unit"] = round(rng.choice([176, 175.9, 176.1, 150, 210, rng.uniform(40, 300)]), 1), "umol/L"
            else:
                o["value"], o["unit"] = round(rng.choice([1.99, 2.0, 1.98, 1.5, 2.5, rng.uniform(0.4, 3.5)]), 2), rng.choice(
                    ["mg/dL", "mg/dL", "mg/L", "K/uL"])
        elif kind == "lvef":
            o["value"], o["unit"] = float(rng.choice([44, 45, 46, 60, 30])), rng.choice(["%", "%", "1"])
        else:
            o["value"] = float(rng.choice([0, 1, 2, 3, 4]))
        if _maybe(rng, 0.08):
            o["comparator"] = rng.choice(["<", ">", "<=", ">="])
        obs.append(o)
    data["observations"] = obs

    meds = []
    for _ in range(rng.randint(0, 3)):
        system, code = rng.choice(MED_CODES)
        m: dict[str, Any] = {"code": {"system": system, "code": code}}
        if _maybe(rng, 0.7):
            m["route"] = rng.choice(["intravenous", "oral", "subcutaneous"])
        if _maybe(rng, 0.9):
            start = dt.date.fromisoformat(when(800))
            m["start"] = start.isoformat()
            if _maybe(rng, 0.7):
                m["end"] = _until(start, rng.choice([5, 5, 7, 30, 200]), as_of).isoformat()
        meds.append(m)
    data["medications"] = meds

    data["procedures"] = [
        {"code": {"system": s, "code": c}, "date": when(2000)}
        for s, c in (rng.choice(PROC_CODES) for _ in range(rng.randint(0, 2)))
    ]

    lesions = []
    for _ in range(rng.randint(0, 4)):
        les: dict[str, Any] = {"date": when(250), "kind": rng.choice(["digital_ulcer", "digital_ulcer", "ulcer"])}
        if _maybe(rng, 0.7):
            les["lesion_id"] = f"L{rng.randint(1, 2)}"
        if _maybe(rng, 0.8):
            les["diameter_mm"] = rng.choice([1.5, 2.0, 2.5, 4.0, 8.0])
        for attr in ("visible_depth", "loss_of_dermis", "painful", "calcinosis"):
            if _maybe(rng, 0.8):
                les[attr] = _maybe(rng, 0.7 if attr != "calcinosis" else 0.2)
        if _maybe(rng, 0.8):
            les["trend"] = rng.choice(["improving", "stable", "worsening", "healed", "recurred"])
        lesions.append(les)
    data["lesions"] = lesions

    adm: dict[str, Any] = {}
    if _maybe(rng, 0.7):
        adm["informed_consent"] = {"signed": _maybe(rng, 0.8)}
    if _maybe(rng, 0.4):
        tps = []
        for _ in range(rng.randint(1, 2)):
            start = dt.date.fromisoformat(when(400))
            tp = {"start": start.isoformat()}
            if _maybe(rng, 0.7):
                tp["end"] = _until(start, rng.randint(1, 200), as_of).isoformat()
            tps.append(tp)
        adm["trial_participations"] = tps
    for flag in ("pregnant", "lactating", "adequate_contraception", "msc_available"):
        if _maybe(rng, 0.5):
            adm[flag] = _maybe(rng, 0.3 if flag in ("pregnant", "lactating") else 0.7)
    if _maybe(rng, 0.3):
        adm["life_expectancy_months"] = float(rng.choice([6, 11, 12, 13, 60]))
    data["administrative"] = adm
    return PatientProfile.model_validate(data)


def cohort(n: int, seed: int = 0, as_of: dt.date = AS_OF) -> list[PatientProfile]:
    rng = random.Random(seed)
    return [random_patient(rng, i, as_of) for i in range(n)]
