"""Synthetic patient cohorts for batch screening: seeded, reproducible, streamed.

A cohort spec (`patients/cohort_spec.yaml` holds the documented defaults) gives the mix of
patient archetypes, their age and sex distributions, data-quality rates (missing and stale
values) and the rates of exclusion-triggering findings. `generate(spec, n, seed)` yields plain
JSON-ready dicts that validate against `PatientProfile`; the same seed and spec always give the
same patients in the same order (every date is relative to the spec's `as_of`), and patient
`k` does not depend on how many patients are asked for.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from faker import Faker
from pydantic import BaseModel, ConfigDict, Field, field_validator

ARCHETYPES = ("osteoporosis", "graft_failure", "poor_graft_function", "ankylosing_spondylitis",
              "systemic_sclerosis", "unrelated")
Archetype = Literal["osteoporosis", "graft_failure", "poor_graft_function", "ankylosing_spondylitis",
                    "systemic_sclerosis", "unrelated"]
ID_PREFIX = {"osteoporosis": "op", "graft_failure": "gf", "poor_graft_function": "pgf",
             "ankylosing_spondylitis": "as", "systemic_sclerosis": "ssc", "unrelated": "gen"}

Rate = Annotated[float, Field(ge=0.0, le=1.0)]


class _S(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeDist(_S):
    mean: float
    sd: float = Field(ge=0)
    min: int = Field(ge=0, le=120)
    max: int = Field(ge=0, le=120)


class Missing(_S):
    birth_date: Rate = 0.01
    sex: Rate = 0.01
    lab: Rate = 0.12
    serology: Rate = 0.35
    consent: Rate = 0.15
    diagnostic_criteria: Rate = 0.25
    lesion_detail: Rate = 0.10
    follow_up: Rate = 0.15


class Comorbidity(_S):
    hiv: Rate = 0.01
    hepatitis_b: Rate = 0.015
    hepatitis_c: Rate = 0.015
    tuberculosis: Rate = 0.005
    malignancy_history: Rate = 0.04
    skin_carcinoma: Rate = 0.03
    pregnancy: Rate = 0.06
    lactation: Rate = 0.03
    recent_trial: Rate = 0.05
    immunosuppressive: Rate = 0.06
    organ_transplant: Rate = 0.01
    genetic_bone_disorder: Rate = 0.02
    inflammatory_arthritis: Rate = 0.04
    uncontrolled_hypertension: Rate = 0.04
    calcinosis: Rate = 0.12


class ASSpec(_S):
    modified_new_york: Rate = 0.65
    creatinine_high: Rate = 0.05
    lvef_low: Rate = 0.05
    ecog_over_2: Rate = 0.05


class SScSpec(_S):
    refractory: Rate = 0.6
    course_months_ago: tuple[int, int] = (3, 9)
    ulcers: tuple[int, int] = (1, 3)


class GraftSpec(_S):
    days_since_transplant: tuple[int, int] = (30, 400)
    msc_available: Rate = 0.7


def _default_mix() -> dict[Archetype, float]:
    return {"osteoporosis": 0.20, "graft_failure": 0.08, "poor_graft_function": 0.08,
            "ankylosing_spondylitis": 0.20, "systemic_sclerosis": 0.16, "unrelated": 0.28}


def _default_female() -> dict[Archetype, float]:
    return {"osteoporosis": 0.92, "graft_failure": 0.44, "poor_graft_function": 0.42,
            "ankylosing_spondylitis": 0.30, "systemic_sclerosis": 0.82, "unrelated": 0.51}


def _default_ages() -> dict[Archetype, AgeDist]:
    return {
        "osteoporosis": AgeDist(mean=66, sd=8, min=45, max=92),
        "graft_failure": AgeDist(mean=42, sd=15, min=16, max=72),
        "poor_graft_function": AgeDist(mean=36, sd=16, min=8, max=70),
        "ankylosing_spondylitis": AgeDist(mean=40, sd=11, min=18, max=75),
        "systemic_sclerosis": AgeDist(mean=53, sd=12, min=18, max=85),
        "unrelated": AgeDist(mean=50, sd=18, min=18, max=95),
    }


class CohortSpec(_S):
    """The documented defaults live in patients/cohort_spec.yaml."""

    as_of: dt.date = dt.date(2026, 11, 1)
    mix: dict[Archetype, float] = Field(default_factory=_default_mix)
    age: dict[Archetype, AgeDist] = Field(default_factory=_default_ages)
    female: dict[Archetype, Rate] = Field(default_factory=_default_female)
    missing: Missing = Field(default_factory=Missing)
    stale_lab: Rate = 0.15
    creatinine_molar: Rate = 0.5
    consent_signed: Rate = 0.85
    consent_by_representative: Rate = 0.05
    comorbidity: Comorbidity = Field(default_factory=Comorbidity)
    ankylosing_spondylitis: ASSpec = Field(default_factory=ASSpec)
    systemic_sclerosis: SScSpec = Field(default_factory=SScSpec)
    graft: GraftSpec = Field(default_factory=GraftSpec)

    @field_validator("mix")
    @classmethod
    def _mix(cls, v: dict[str, float]) -> dict[str, float]:
        if any(w < 0 for w in v.values()) or sum(v.values()) <= 0:
            raise ValueError("mix weights must be >= 0 with a positive sum")
        return v

    @field_validator("age", mode="before")
    @classmethod
    def _age_defaults(cls, v: Any) -> Any:
        # archetypes not given keep their default distribution
        return {**_default_ages(), **v} if isinstance(v, dict) else v

    @field_validator("female", mode="before")
    @classmethod
    def _female_defaults(cls, v: Any) -> Any:
        return {**_default_female(), **v} if isinstance(v, dict) else v

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise ValueError(f"as_of {v} is in the future (records would be rejected as future-dated)")
        return v


DEFAULT_SPEC_PATH = Path(__file__).resolve().parent / "cohort_spec.yaml"


def load_spec(path: Path | str | None = None) -> CohortSpec:
    """Read a cohort spec (YAML); missing keys take the documented defaults."""
    from ruamel.yaml import YAML

    p = Path(path) if path is not None else DEFAULT_SPEC_PATH
    data = YAML(typ="safe").load(p.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{p}: a cohort spec is a mapping")
    return CohortSpec.model_validate(data)


# --- codes ---------------------------------------------------------------------------------

def _c(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


CREAT_MASS = _c("loinc", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma")
CREAT_MOLAR = _c("loinc", "14682-9", "Creatinine [Moles/volume] in Serum or Plasma")
LVEF = _c("loinc", "10230-1", "Left ventricular Ejection fraction")
ECOG = _c("loinc", "89247-1", "ECOG Performance Status score")
ANC = _c("loinc", "751-8", "Neutrophils [#/volume] in Blood by Automated count")
PLT = _c("loinc", "777-3", "Platelets [#/volume] in Blood by Automated count")
HB = _c("loinc", "718-7", "Hemoglobin [Mass/volume] in Blood")
HIV_TEST = _c("loinc", "56888-1", "HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma")
HBSAG = _c("loinc", "5195-3", "Hepatitis B virus surface Ag [Presence] in Serum")
HCV_AB = _c("loinc", "16128-1", "Hepatitis C virus Ab [Presence] in Serum")
HCG_URINE = _c("loinc", "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine")
HCG_SERUM = _c("loinc", "2118-8", "Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma")
BMD_T = _c("loinc", "38267-3", "DXA Lumbar spine [T-score] Bone density")

OSTEOPOROSIS = [_c("snomed", "64859006", "Osteoporosis"), _c("icd10", "M81.0", "Postmenopausal osteoporosis"),
                _c("icd10", "M80.08", "Postmenopausal osteoporosis with pathological fracture, vertebra")]
AS_CODES = [_c("snomed", "9631008", "Ankylosing spondylitis"), _c("icd10", "M45.9", "Ankylosing spondylitis, site unspecified")]
SSC_CODES = [_c("snomed", "89155008", "Systemic sclerosis"), _c("icd10", "M34.0", "Progressive systemic sclerosis")]
ALLO_HSCT = [_c("snomed", "234336002", "Hemopoietic stem cell transplant"),
             _c("snomed", "425983008", "Allogeneic peripheral blood stem cell transplant")]
PRIMARY_GF = [_c("snomed", "782745005", "Primary graft failure after hematopoietic stem cell transplant"),
              _c("icd10cm", "T86.02", "Bone marrow transplant failure")]
PGF = [_c("local", "poor-graft-function", "Poor graft function after allo-HSCT"),
       _c("icd10cm", "T86.09", "Other complications of bone marrow transplant")]
HAEM_MALIGNANCY = [_c("icd10", "C92.0", "Acute myeloblastic leukaemia"), _c("icd10", "C91.0", "Acute lymphoblastic leukaemia"),
                   _c("icd10", "D46.9", "Myelodysplastic syndrome, unspecified"),
                   _c("icd10", "D61.9", "Aplastic anaemia, unspecified")]
CANCERS = [_c("icd10", "C50.9", "Malignant neoplasm of breast, unspecified"), _c("icd10", "C18.9", "Malignant neoplasm of colon"),
           _c("icd10", "C34.9", "Malignant neoplasm of bronchus or lung"), _c("icd10", "C61", "Malignant neoplasm of prostate"),
           _c("snomed", "363346000", "Malignant neoplastic disease")]
SKIN_CARCINOMA = [_c("snomed", "254701007", "Basal cell carcinoma of skin"), _c("icd10", "C44.3", "Other malignant neoplasm of skin of face"),
                  _c("snomed", "254651007", "Squamous cell carcinoma of skin")]
HIV = [_c("snomed", "86406008", "Human immunodeficiency virus infection"), _c("icd10", "B20", "HIV disease")]
HBV = [_c("snomed", "61977001", "Chronic type B viral hepatitis"), _c("icd10", "B18.1", "Chronic viral hepatitis B")]
HCV = [_c("snomed", "128302006", "Chronic hepatitis C"), _c("icd10", "B18.2", "Chronic viral hepatitis C")]
TB = [_c("snomed", "56717001", "Tuberculosis"), _c("icd10", "A15.0", "Tuberculosis of lung")]
PREGNANCY = [_c("snomed", "77386006", "Pregnancy"), _c("icd10", "Z33.1", "Pregnant state, incidental")]
LACTATION = [_c("snomed", "169750002", "Mother currently breast-feeding"), _c("icd10", "Z39.1", "Care and examination of lactating mother")]
RA = [_c("snomed", "69896004", "Rheumatoid arthritis"), _c("icd10", "M06.9", "Rheumatoid arthritis, unspecified")]
GENETIC = [_c("icd10", "Q78.0", "Osteogenesis imperfecta"), _c("icd10", "E83.11", "Hereditary hemochromatosis"),
           _c("icd10", "Q79.6", "Ehlers-Danlos syndrome"), _c("snomed", "19346006", "Marfan syndrome")]
TRANSPLANT = [_c("icd10", "Z94.0", "Kidney transplant status"), _c("icd10", "Z94.4", "Liver transplant status")]
HYPERTENSION = _c("icd10", "I10", "Essential (primary) hypertension")
UNCONTROLLED_HT = [_c("icd10", "I16.9", "Hypertensive crisis, unspecified"), _c("snomed", "706882009", "Hypertensive emergency")]
DIABETES = _c("icd10", "E11.9", "Type 2 diabetes mellitus without complications")
OTHER_CONDITIONS = [_c("icd10", "J45.909", "Asthma"), _c("icd10", "E78.5", "Hyperlipidaemia, unspecified"),
                    _c("icd10", "M17.9", "Gonarthrosis, unspecified"), _c("icd10", "K21.9", "Gastro-oesophageal reflux disease"),
                    _c("icd10", "F32.9", "Depressive episode, unspecified")]

PROSTACYCLINS = [_c("atc", "B01AC11", "iloprost"), _c("atc", "B01AC09", "epoprostenol"), _c("atc", "B01AC21", "treprostinil")]
AS_DRUGS = [(_c("atc", "A07EC01", "sulfasalazine"), 1000, "mg"), (_c("atc", "L04AX03", "methotrexate"), 15, "mg"),
            (_c("atc", "M01AB05", "diclofenac"), 75, "mg"), (_c("atc", "M01AE01", "ibuprofen"), 400, "mg"),
            (_c("atc", "P01BA02", "hydroxychloroquine"), 200, "mg")]
OP_DRUGS = [(_c("atc", "M05BA04", "alendronic acid"), 70, "mg"), (_c("atc", "A12AX", "calcium, combinations with vitamin D"), 1, "{tbl}"),
            (_c("atc", "M05BX04", "denosumab"), 60, "mg")]
IMMUNOSUPPRESSANTS = [(_c("atc", "L04AX01", "azathioprine"), 100, "mg"), (_c("atc", "L04AA06", "mycophenolic acid"), 1000, "mg"),
                      (_c("atc", "L04AD02", "tacrolimus"), 4, "mg")]
GRAFT_DRUGS = [(_c("atc", "L04AD01", "ciclosporin"), 200, "mg"), (_c("atc", "J05AB04", "ribavirin"), 400, "mg")]
GENERAL_DRUGS = [(_c("atc", "C09AA05", "ramipril"), 5, "mg"), (_c("atc", "A10BA02", "metformin"), 1000, "mg"),
                 (_c("atc", "C10AA05", "atorvastatin"), 20, "mg"), (_c("atc", "N02BE01", "paracetamol"), 1000, "mg")]

FINGERS = ["thumb", "index finger", "middle finger", "ring finger", "little finger"]
FINGER_PARTS = ["pulp", "tip", "dorsal PIP joint", "dorsal DIP joint"]


# --- generator -----------------------------------------------------------------------------

class _Patient:
    """One patient under construction: its own RNG stream and the spec's reference date."""

    def __init__(self, spec: CohortSpec, rng: random.Random, fake: Faker, index: int, seed: int):
        self.spec, self.rng, self.fake, self.as_of = spec, rng, fake, spec.as_of
        self.index = index
        self.seed = seed
        self.conditions: list[dict[str, Any]] = []
        self.observations: list[dict[str, Any]] = []
        self.medications: list[dict[str, Any]] = []
        self.procedures: list[dict[str, Any]] = []
        self.lesions: list[dict[str, Any]] = []
        self.admin: dict[str, Any] = {}
        self.birth = self.as_of
        self.sex = "unknown"
        self.age = 0

    # helpers
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ago(self, days: int) -> dt.date:
        d = self.as_of - dt.timedelta(days=max(0, days))
        return max(d, self.birth)

    def lab_date(self, fresh_days: int = 60) -> dt.date:
        if self.chance(self.spec.stale_lab):
            return self.ago(self.rng.randint(120, 540))
        return self.ago(self.rng.randint(0, fresh_days))

    def demographics(self, kind: str) -> None:
        a = self.spec.age[kind]  # type: ignore[index]
        age = min(a.max, max(a.min, round(self.rng.gauss(a.mean, a.sd))))
        self.age = age
        self.birth = self.as_of - dt.timedelta(days=int(age * 365.25) + self.rng.randint(1, 364))
        self.sex = "female" if self.chance(self.spec.female[kind]) else "male"  # type: ignore[index]

    def condition(self, code: dict[str, str], years_ago: float | None = None, *, days_ago: int | None = None,
                  status: str | None = "active", criteria: list[str] | None = None, abated_days_ago: int | None = None,
                  body_site: str | None = None) -> dict[str, Any]:
        rec: dict[str, Any] = {"code": code}
        if days_ago is None and years_ago is not None:
            days_ago = int(years_ago * 365.25)
        if days_ago is not None:
            rec["onset"] = self.ago(days_ago).isoformat()
        if abated_days_ago is not None:
            rec["abatement"] = max(self.ago(abated_days_ago), self.ago(days_ago or 0)).isoformat()
        if status:
            rec["clinical_status"] = status
        rec["verification_status"] = "confirmed"
        if criteria and not self.chance(self.spec.missing.diagnostic_criteria):
            rec["criteria"] = criteria
        if body_site:
            rec["body_site"] = body_site
        self.conditions.append(rec)
        return rec

    def obs(self, code: dict[str, str], date: dt.date, value: float | None = None, unit: str | None = None,
            result: str | None = None) -> None:
        rec: dict[str, Any] = {"code": code, "date": date.isoformat()}
        if value is not None:
            rec["value"] = value
            if unit is not None:
                rec["unit"] = unit
        if result is not None:
            rec["result"] = result
        self.observations.append(rec)

    def lab(self, code: dict[str, str], value: float, unit: str | None, fresh_days: int = 60) -> None:
        if not self.chance(self.spec.missing.lab):
            self.obs(code, self.lab_date(fresh_days), value, unit)

    def creatinine(self, umol: float, fresh_days: int = 60) -> None:
        if self.chance(self.spec.missing.lab):
            return
        date = self.lab_date(fresh_days)
        if self.chance(self.spec.creatinine_molar):
            self.obs(CREAT_MOLAR, date, float(round(umol)), "umol/L")
        else:
            self.obs(CREAT_MASS, date, round(umol / 88.4, 2), "mg/dL")

    def med(self, code: dict[str, str], route: str, start: dt.date, end: dt.date | None = None,
            dose: tuple[float, str] | None = None) -> None:
        rec: dict[str, Any] = {"code": code, "route": route, "start": start.isoformat()}
        if dose:
            rec["dose"] = {"value": float(dose[0]), "unit": dose[1]}
        if end is not None:
            rec["end"] = max(end, start).isoformat()
        self.medications.append(rec)

    def normal_creatinine(self) -> float:
        return self.rng.uniform(50, 95) if self.sex == "female" else self.rng.uniform(60, 110)

    # --- shared findings ---------------------------------------------------------------------
    def common(self, kind: str) -> None:
        sp, cm = self.spec, self.spec.comorbidity
        # serologies: usually negative, positive where an infection was drawn
        infections = {"hiv": self.chance(cm.hiv), "hbv": self.chance(cm.hepatitis_b),
                      "hcv": self.chance(cm.hepatitis_c), "tb": self.chance(cm.tuberculosis)}
        for key, test, codes in (("hiv", HIV_TEST, HIV), ("hbv", HBSAG, HBV), ("hcv", HCV_AB, HCV)):
            positive = infections[key]
            if positive and self.chance(0.5):
                self.condition(self.rng.choice(codes), self.rng.uniform(0.5, 12), status="active")
            if positive or not self.chance(sp.missing.serology):
                self.obs(test, self.ago(self.rng.randint(5, 400)),
                         result=("positive" if key != "hiv" else "reactive") if positive else
                         self.rng.choice(["negative", "negative", "non-reactive"]))
        if infections["tb"]:
            self.condition(self.rng.choice(TB), days_ago=self.rng.randint(20, 300), status="active")
        if self.chance(cm.malignancy_history):
            years = self.rng.uniform(0.3, 15)
            if self.chance(0.35):
                self.condition(self.rng.choice(CANCERS), years, status="active")
            else:
                self.condition(self.rng.choice(CANCERS), years, status="remission",
                               abated_days_ago=int(years * 365.25 * self.rng.uniform(0.1, 0.8)))
        if self.chance(cm.skin_carcinoma) and self.age >= 40:
            years = self.rng.uniform(0.2, 8)
            self.condition(self.rng.choice(SKIN_CARCINOMA), years, status="resolved",
                           abated_days_ago=int(years * 365.25) - 30, body_site="skin")
        if self.sex == "female" and 16 <= self.age <= 45 and self.chance(cm.pregnancy):
            weeks = self.rng.randint(4, 30)
            style = self.rng.random()
            if style < 0.4:
                self.admin["pregnant"] = True
            elif style < 0.7:
                self.obs(self.rng.choice([HCG_URINE, HCG_SERUM]), self.ago(self.rng.randint(0, 20)), result="positive")
            else:
                self.condition(self.rng.choice(PREGNANCY), days_ago=weeks * 7, status="active")
        elif self.sex == "female" and 18 <= self.age <= 45:
            if self.chance(0.5):
                self.obs(self.rng.choice([HCG_URINE, HCG_SERUM]), self.ago(self.rng.randint(0, 60)), result="negative")
            if self.chance(0.6):
                self.admin["pregnant"] = False
            if self.chance(cm.lactation):
                if self.chance(0.5):
                    self.admin["lactating"] = True
                else:
                    self.condition(self.rng.choice(LACTATION), days_ago=self.rng.randint(20, 200), status="active")
            elif self.chance(0.4):
                self.admin["lactating"] = False
            if self.chance(0.7):
                self.admin["adequate_contraception"] = self.chance(0.85)
        elif self.sex == "male" and self.chance(0.3):
            self.admin["adequate_contraception"] = self.chance(0.9)
        if self.chance(cm.recent_trial):
            start = self.ago(self.rng.randint(30, 240))
            tp: dict[str, Any] = {"trial_id": "NCT0" + self.fake.numerify("#######"), "start": start.isoformat()}
            if self.chance(0.6):
                tp["end"] = min(self.as_of, start + dt.timedelta(days=self.rng.randint(14, 180))).isoformat()
            self.admin["trial_participations"] = [tp]
        elif self.chance(0.03):
            start = self.ago(self.rng.randint(800, 3000))
            self.admin["trial_participations"] = [{"trial_id": "NCT0" + self.fake.numerify("#######"),
                                                   "start": start.isoformat(),
                                                   "end": (start + dt.timedelta(days=self.rng.randint(60, 400))).isoformat()}]
        if self.chance(cm.immunosuppressive) and kind not in ("graft_failure", "poor_graft_function"):
            code, d, u = self.rng.choice(IMMUNOSUPPRESSANTS)
            self.med(code, "oral", self.ago(self.rng.randint(60, 2000)), None, (d, u))
        if self.chance(cm.organ_transplant) and kind not in ("graft_failure", "poor_graft_function"):
            self.condition(self.rng.choice(TRANSPLANT), self.rng.uniform(1, 15), status="active")
        if self.chance(cm.uncontrolled_hypertension):
            self.condition(self.rng.choice(UNCONTROLLED_HT), days_ago=self.rng.randint(10, 300), status="active")
        elif self.age > 45 and self.chance(0.3):
            self.condition(HYPERTENSION, self.rng.uniform(1, 20), status="active")
        if not self.chance(sp.missing.consent):
            signed = self.chance(sp.consent_signed)
            consent: dict[str, Any] = {"signed": signed}
            if signed:
                consent["date"] = self.ago(self.rng.randint(0, 45)).isoformat()
                if self.chance(sp.consent_by_representative) or self.age < 18:
                    consent["by_representative"] = True
            self.admin["informed_consent"] = consent

    # --- archetypes --------------------------------------------------------------------------
    def osteoporosis(self) -> None:
        cm = self.spec.comorbidity
        years = self.rng.uniform(0.5, min(20.0, self.age - 40))
        self.condition(self.rng.choice(OSTEOPOROSIS), years, criteria=["WHO T-score <= -2.5"])
        self.lab(BMD_T, round(self.rng.uniform(-4.2, -2.5), 1), "{T-score}", fresh_days=365)
        self.creatinine(self.normal_creatinine() * self.rng.uniform(0.9, 1.4))
        for code, d, u in self.rng.sample(OP_DRUGS, self.rng.randint(0, 2)):
            route = "subcutaneous" if code["code"] == "M05BX04" else "oral"
            self.med(code, route, self.ago(self.rng.randint(30, 2500)), None, (d, u))
        if self.chance(cm.genetic_bone_disorder):
            self.condition(self.rng.choice(GENETIC), self.rng.uniform(5, 40), status="active")
        if self.chance(cm.inflammatory_arthritis):
            self.condition(self.rng.choice(RA), self.rng.uniform(1, 20), status="active", criteria=["ACR/EULAR 2010"])
        elif self.chance(cm.inflammatory_arthritis / 2):
            self.condition(self.rng.choice(AS_CODES), self.rng.uniform(5, 30), status="active")

    def transplant(self, primary_failure: bool) -> None:
        lo, hi = self.spec.graft.days_since_transplant
        days = self.rng.randint(lo, hi)
        underlying = self.rng.choice(HAEM_MALIGNANCY)
        self.condition(underlying, days_ago=days + self.rng.randint(90, 900), status="remission")
        self.procedures.append({"code": self.rng.choice(ALLO_HSCT), "date": self.ago(days).isoformat(),
                                "outcome": "engraftment failure" if primary_failure else "engrafted"})
        if primary_failure:
            onset = days - self.rng.randint(21, 42)
            self.condition(self.rng.choice(PRIMARY_GF), days_ago=max(onset, 0), status="active")
            anc, plt = self.rng.uniform(0.0, 0.4), self.rng.uniform(2, 18)
        else:
            onset = days - self.rng.randint(28, 120)
            self.condition(self.rng.choice(PGF), days_ago=max(onset, 0), status="active")
            anc, plt = self.rng.uniform(0.2, 1.0), self.rng.uniform(8, 30)
        self.lab(ANC, round(anc, 2), "10*3/uL", fresh_days=14)
        self.lab(PLT, round(plt, 0), "10*3/uL", fresh_days=14)
        self.lab(HB, round(self.rng.uniform(6.5, 9.5), 1), "g/dL", fresh_days=14)
        self.creatinine(self.normal_creatinine() * self.rng.uniform(0.9, 1.8), fresh_days=30)
        code, d, u = self.rng.choice(GRAFT_DRUGS)
        self.med(code, "oral", self.ago(days), None if self.chance(0.6) else self.ago(self.rng.randint(0, days)), (d, u))
        if not self.chance(self.spec.missing.consent):
            self.admin["msc_available"] = self.chance(self.spec.graft.msc_available)

    def ankylosing_spondylitis(self) -> None:
        sp = self.spec.ankylosing_spondylitis
        years = self.rng.uniform(0.5, max(1.0, self.age - 17))
        crit = ["modified New York"] if self.chance(sp.modified_new_york) else ["ASAS axial SpA"]
        self.condition(self.rng.choice(AS_CODES), years, criteria=crit)
        ecog = self.rng.choice([3, 4]) if self.chance(sp.ecog_over_2) else self.rng.choice([0, 0, 1, 1, 2])
        self.lab(ECOG, float(ecog), None, fresh_days=25)
        lvef = self.rng.uniform(30, 45) if self.chance(sp.lvef_low) else self.rng.uniform(50, 70)
        self.lab(LVEF, round(lvef), "%", fresh_days=80)
        umol = self.rng.uniform(180, 320) if self.chance(sp.creatinine_high) else self.normal_creatinine()
        self.creatinine(umol, fresh_days=80)
        for code, d, u in self.rng.sample(AS_DRUGS, self.rng.randint(0, 2)):
            self.med(code, "oral", self.ago(self.rng.randint(60, 2500)), None, (d, u))

    def systemic_sclerosis(self) -> None:
        sp, cm, miss = self.spec.systemic_sclerosis, self.spec.comorbidity, self.spec.missing
        years = self.rng.uniform(1, max(2.0, min(25.0, self.age - 17)))
        self.condition(self.rng.choice(SSC_CODES), years, criteria=["ACR/EULAR 2013"])
        self.creatinine(self.normal_creatinine())
        # the last IV prostacyclin course: usually 5 days; sometimes an earlier one too
        m_lo, m_hi = sp.course_months_ago
        end = self.ago(self.rng.randint(m_lo * 30, m_hi * 30))
        start = end - dt.timedelta(days=self.rng.choice([4, 4, 4, 2, 6]))
        drug = self.rng.choice(PROSTACYCLINS[:2]) if self.chance(0.9) else PROSTACYCLINS[2]
        self.med(drug, "intravenous", start, end, (0.5, "ng/kg/min") if drug["code"] != "B01AC09" else (2.0, "ng/kg/min"))
        if self.chance(0.3):
            s0 = start - dt.timedelta(days=self.rng.randint(120, 400))
            self.med(drug, "intravenous", s0, s0 + dt.timedelta(days=4), (0.5, "ng/kg/min"))
        if self.chance(0.5):
            self.med(_c("atc", "C08CA05", "nifedipine"), "oral", self.ago(self.rng.randint(200, 3000)), None, (30, "mg"))
        refractory = self.chance(sp.refractory)
        n = self.rng.randint(*sp.ulcers)
        used: set[str] = set()
        calc = self.chance(cm.calcinosis)
        for k in range(n):
            site = f"{self.rng.choice(['left', 'right'])} {self.rng.choice(FINGERS)} {self.rng.choice(FINGER_PARTS)}"
            if site in used:
                continue
            used.add(site)
            lesion_id = f"DU{k + 1}"
            d0 = round(self.rng.uniform(2.5, 8.0), 1)
            pattern = self.rng.choice(["worsening", "stable", "recurred"]) if refractory else "healing"
            self.ulcer(lesion_id, site, end, d0, "stable", True, calc and k == 0)
            plan = {
                "worsening": [(30, d0 * 1.4, "worsening"), (60, d0 * 1.5, "stable"), (90, d0 * 1.5, "stable")],
                "stable": [(30, d0, "stable"), (60, d0, "stable"), (90, d0 * 0.95, "stable")],
                "recurred": [(30, d0 * 0.5, "improving"), (60, 0.0, "healed"), (90, d0 * 0.8, "recurred")],
                "healing": [(30, d0 * 0.6, "improving"), (60, d0 * 0.2, "improving"), (90, 0.0, "healed")],
            }[pattern]
            for offset, diam, trend in plan:
                when = end + dt.timedelta(days=offset + self.rng.randint(-5, 5))
                if when > self.as_of or self.chance(miss.follow_up):
                    continue
                self.ulcer(lesion_id, site, when, round(diam, 1), trend, diam > 0, calc and k == 0)
            # current assessment, close to the screening date
            if refractory:
                self.ulcer(lesion_id, site, self.ago(self.rng.randint(0, 20)), round(d0 * self.rng.uniform(0.9, 1.6), 1),
                           "worsening" if pattern == "worsening" else "stable", True, calc and k == 0)
        if self.chance(0.1):
            self.admin["life_expectancy_months"] = float(self.rng.choice([6, 9, 10]))
        elif self.chance(0.3):
            self.admin["life_expectancy_months"] = float(self.rng.choice([60, 120, 240]))

    def ulcer(self, lesion_id: str, site: str, when: dt.date, diameter: float, trend: str, active: bool,
              calcinosis: bool) -> None:
        miss = self.spec.missing.lesion_detail
        rec: dict[str, Any] = {"kind": "digital_ulcer", "site": site, "lesion_id": lesion_id,
                               "date": min(when, self.as_of).isoformat(), "diameter_mm": diameter}
        for attr, value in (("visible_depth", active), ("loss_of_dermis", active), ("painful", active)):
            if not self.chance(miss):
                rec[attr] = value
        if calcinosis or self.chance(0.5):
            rec["calcinosis"] = calcinosis
        rec["trend"] = trend
        self.lesions.append(rec)

    def unrelated(self) -> None:
        if self.chance(0.2):
            self.condition(DIABETES, self.rng.uniform(1, 20), status="active")
        for code in self.rng.sample(OTHER_CONDITIONS, self.rng.randint(0, 2)):
            self.condition(code, self.rng.uniform(0.5, 15), status=self.rng.choice(["active", "active", "resolved"]))
        self.creatinine(self.normal_creatinine() * self.rng.uniform(0.8, 1.6), fresh_days=200)
        for code, d, u in self.rng.sample(GENERAL_DRUGS, self.rng.randint(0, 2)):
            self.med(code, "oral", self.ago(self.rng.randint(30, 3000)), None, (d, u))
        if self.chance(0.1):
            self.lab(LVEF, round(self.rng.uniform(35, 70)), "%", fresh_days=300)

    # --- assembly ----------------------------------------------------------------------------
    def build(self, kind: str) -> dict[str, Any]:
        self.demographics(kind)
        if kind == "osteoporosis":
            self.osteoporosis()
        elif kind == "graft_failure":
            self.transplant(True)
        elif kind == "poor_graft_function":
            self.transplant(False)
        elif kind == "ankylosing_spondylitis":
            self.ankylosing_spondylitis()
        elif kind == "systemic_sclerosis":
            self.systemic_sclerosis()
        else:
            self.unrelated()
        self.common(kind)
        pid = f"syn-{ID_PREFIX[kind]}-{self.index:07d}-{self.fake.hexify('^^^^^^')}"
        out: dict[str, Any] = {"id": pid}
        if not self.chance(self.spec.missing.birth_date):
            out["birth_date"] = self.birth.isoformat()
        if not self.chance(self.spec.missing.sex):
            out["sex"] = self.sex
        for key, recs in (("conditions", self.conditions), ("observations", self.observations),
                          ("medications", self.medications), ("procedures", self.procedures),
                          ("lesions", self.lesions)):
            if recs:
                out[key] = recs
        if self.admin:
            out["administrative"] = self.admin
        return out


def generate(spec: CohortSpec, n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Yield `n` synthetic patients (JSON-ready dicts). Patient k depends only on (spec, seed, k)."""
    kinds = [k for k in ARCHETYPES if spec.mix.get(k, 0) > 0]  # type: ignore[call-overload]
    weights = [spec.mix[k] for k in kinds]  # type: ignore[index]
    fake = Faker()
    for i in range(n):
        # one RNG stream per patient: patient i is the same whatever n is
        rng = random.Random(f"{seed}:{i}")
        fake.seed_instance(rng.getrandbits(64))
        kind = rng.choices(kinds, weights)[0]
        yield _Patient(spec, rng, fake, i, seed).build(kind)


def dumps(patient: dict[str, Any]) -> str:
    return json.dumps(patient, separators=(",", ":"), ensure_ascii=False)


def write_cohort(path: Path | str, spec: CohortSpec, n: int, seed: int, batch_size: int = 5000) -> int:
    """Write `n` patients as JSON Lines (or Parquet when the path ends in .parquet), streamed."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("id", pa.string()), ("profile", pa.string())])
        with pq.ParquetWriter(tmp, schema) as w:
            ids: list[str] = []
            docs: list[str] = []
            for p in generate(spec, n, seed):
                ids.append(p["id"])
                docs.append(dumps(p))
                if len(ids) >= batch_size:
                    w.write_table(pa.table({"id": ids, "profile": docs}, schema=schema))
                    ids, docs = [], []
            if ids:
                w.write_table(pa.table({"id": ids, "profile": docs}, schema=schema))
    else:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            buf: list[str] = []
            for p in generate(spec, n, seed):
                buf.append(dumps(p))
                if len(buf) >= batch_size:
                    f.write("\n".join(buf) + "\n")
                    buf = []
            if buf:
                f.write("\n".join(buf) + "\n")
    tmp.replace(path)
    return n
