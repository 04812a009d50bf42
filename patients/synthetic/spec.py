"""The cohort spec: the mix of patient archetypes, their age and sex distributions,
data-quality rates (missing and stale values) and the rates of exclusion-triggering findings.
`patients/cohort_spec.yaml` holds the documented defaults; a spec file overrides any of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from screening.core.dates import screening_date
from screening.core.files import UnreadableFile, read_utf8

ARCHETYPES = ("osteoporosis", "graft_failure", "poor_graft_function", "ankylosing_spondylitis",
              "systemic_sclerosis", "unrelated")
Archetype = Literal["osteoporosis", "graft_failure", "poor_graft_function", "ankylosing_spondylitis",
                    "systemic_sclerosis", "unrelated"]

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

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, v: Any) -> dt.date:
        v = screening_date(v)  # every line carries it as its screening date: the one rule for those
        if v > dt.date.today():
            raise ValueError(f"as_of {v} is in the future (records would be rejected as future-dated)")
        return v


MAX_SPEC_BYTES = 1024 * 1024  # a spec is some lines; the limit a rule file has by default
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[1] / "cohort_spec.yaml"


def load_spec(path: Path | str | None = None) -> CohortSpec:
    """Read a cohort spec (YAML); missing keys take the documented defaults."""
    p = Path(path) if path is not None else DEFAULT_SPEC_PATH
    try:
        _, text = read_utf8(p, MAX_SPEC_BYTES)
        data = YAML(typ="safe").load(text) or {}
    except UnreadableFile as e:
        raise ValueError(f"{p}: {e}") from None
    except YAMLError as e:
        raise ValueError(f"{p}: not YAML: {e}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{p}: a cohort spec is a mapping")
    return CohortSpec.model_validate(data)
