"""Comparisons and record queries in rule files: `gt`/`ge`/`lt`/`le`/`eq`/`between`, the
`latest` value of a test, and the queries over diagnoses, results, courses, procedures, lesions,
visits, allergies and trial participations, with their windows and missing-data policy."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from screening.core.vocab import (
    AllergyCategory,
    AllergyType,
    EncounterClass,
    FlagName,
    LesionKind,
    MissingPolicy,
    Route,
    Trend,
)
from screening.ruleset.model_base import DurationText, check_quantity, optional_duration
from screening.ruleset.model_base import M as _M
from screening.ruleset.model_base import duration_text as _duration

LIMIT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(ULN|LLN)\s*$", re.IGNORECASE)
"""A threshold as a multiple of a limit of the normal range: '3 x ULN', '0.5 x LLN'."""
CodeRef = Annotated[str | list[str], Field(description="a value-set name, 'system:code', or a list of those")]
CMP_OPS = ("gt", "ge", "lt", "le", "eq")


class Range(_M):
    """A comparison: one or two of gt/ge/lt/le/eq, or `between: [lo, hi]` (inclusive)."""

    gt: Any = None
    ge: Any = None
    lt: Any = None
    le: Any = None
    eq: Any = None
    between: list[Any] | None = None

    @model_validator(mode="after")
    def _some(self) -> Range:
        given = [op for op in (*CMP_OPS, "between") if getattr(self, op) is not None]
        if not given:
            raise ValueError("give a comparison: gt, ge, lt, le, eq or between")
        if self.between is not None and len(self.between) != 2:
            raise ValueError("between takes two bounds: [low, high]")
        if self.eq is not None and len(given) > 1:
            raise ValueError("eq cannot be combined with another comparison")
        return self

    def bounds(self) -> list[tuple[str, Any]]:
        out = [(op, getattr(self, op)) for op in CMP_OPS if getattr(self, op) is not None]
        if self.between is not None:
            out += [("ge", self.between[0]), ("le", self.between[1])]
        return out


class _Windowed(_M):
    within: DurationText | None = Field(default=None, description="relative to the screening date")

    @field_validator("within")
    @classmethod
    def _w(cls, v: Any) -> Any:
        return None if v is None else _duration(v)




class _Query(_Windowed):
    missing: MissingPolicy | None = Field(
        default=None, description="overrides the criterion's missing-data policy for this query"
    )
    window: list[DurationText] | None = Field(
        default=None, description="[from, to] before the screening date, e.g. [180 days, 30 days]: a window that "
                                  "ends before the screening date (both days included)")
    onset_at_least: DurationText | None = Field(
        default=None, description="the record's first date (onset, start, date) is at least this long before the "
                                  "screening date, e.g. '6 months'")
    distinct: Literal["days"] | None = Field(
        default=None, description="`days`: `count` counts distinct days with a matching record, not records")

    @field_validator("window")
    @classmethod
    def _window(cls, v: list[Any] | None) -> list[Any] | None:
        if v is None:
            return None
        if len(v) != 2:
            raise ValueError("window takes two offsets before the screening date: [from, to], e.g. [180 days, 30 days]")
        return [_duration(x) for x in v]

    @field_validator("onset_at_least", "stable_for", check_fields=False)  # stable_for: medications only
    @classmethod
    def _durations(cls, v: Any) -> Any:
        return optional_duration(v)

    @model_validator(mode="after")
    def _one_window(self) -> _Query:
        if self.window is not None and self.within is not None:
            raise ValueError("give `within` (a window ending at the screening date) or `window` ([from, to] before "
                             "it), not both")
        return self


class LatestSpec(_Windowed, Range):
    """The most recent value of an observation (lab, score), optionally within a window."""

    code: CodeRef
    unit: str | None = Field(default=None, description="canonical unit; default: the threshold's unit")
    gt: Any = None
    ge: Any = None
    lt: Any = None
    le: Any = None
    eq: Any = None
    between: list[Any] | None = None
    result: list[str] | None = Field(default=None, description="coded results that count as met")
    derive: Literal["bmi", "ckd_epi_2021", "cockcroft_gault"] | None = Field(
        default=None, description="when no value is recorded within the window, compute it by this formula from "
                                  "its inputs (BMI from weight and height; eGFR by CKD-EPI 2021 or creatinine "
                                  "clearance by Cockcroft-Gault from serum creatinine, age, sex and weight)")

    @field_validator(*CMP_OPS, "between")
    @classmethod
    def _thresholds(cls, v: Any) -> Any:
        # checked per field so that an error points at the threshold itself (code E105)
        for q in (v if isinstance(v, list) else [v]):
            if q is not None and not (isinstance(q, str) and LIMIT_RE.match(q)):
                check_quantity(q)
        return v

    @model_validator(mode="after")
    def _some(self) -> LatestSpec:
        has_cmp = any(getattr(self, op) is not None for op in (*CMP_OPS, "between"))
        if has_cmp == (self.result is not None):
            raise ValueError("give either a comparison (gt, ge, lt, le, eq, between) or `result`, not both")
        if self.derive is not None and not has_cmp:
            raise ValueError("`derive` computes a number: give a comparison (gt, ge, lt, le, eq, between)")
        if self.between is not None and len(self.between) != 2:
            raise ValueError("between takes two bounds: [low, high]")
        if self.eq is not None and sum(getattr(self, op) is not None for op in (*CMP_OPS, "between")) > 1:
            raise ValueError("eq cannot be combined with another comparison")
        return self


class ConditionSpec(_Query):
    code: CodeRef
    except_: CodeRef | None = Field(default=None, alias="except")
    active: bool | None = Field(default=None, description="true: clinically active at the screening date")
    confirmed_by: list[str] | None = Field(default=None, description="diagnostic criteria sets, any of")
    verified: bool = Field(default=True, description="ignore refuted / entered-in-error records; provisional, "
                                                     "differential and unconfirmed ones only may match")
    count: Range | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ObservationSpec(_Query):
    code: CodeRef
    result: list[str] | None = None
    count: Range | None = None


class MedicationSpec(_Query):
    code: CodeRef
    route: list[Route] | None = None
    active: bool | None = None
    daily_dose: Range | None = Field(
        default=None, description="the course's daily dose (dose x frequency, or a dose per day), e.g. "
                                  "{ge: 1000 mg/d}")
    stable_for: DurationText | None = Field(
        default=None, description="the course (one dose: a change of dose is a new course) is going on at the "
                                  "screening date and began at least this long before it, e.g. '8 weeks'")
    count: Range | None = None

    @model_validator(mode="after")
    def _stable_is_active(self) -> MedicationSpec:
        if self.stable_for is not None and self.active is False:
            raise ValueError("`stable_for` is a course going on at the screening date: it cannot be `active: false`")
        if self.stable_for is not None and self.onset_at_least is not None:
            raise ValueError("give `stable_for` or `onset_at_least`, not both")
        return self


class ProcedureSpec(_Query):
    code: CodeRef
    count: Range | None = None


class LesionWhere(_M):
    kind: list[LesionKind] | None = None
    diameter_mm: Range | None = None
    visible_depth: bool | None = None
    loss_of_dermis: bool | None = None
    painful: bool | None = None
    calcinosis: bool | None = None
    trend: list[Trend] | None = None

    @model_validator(mode="after")
    def _mm(self) -> LesionWhere:
        if self.diameter_mm is not None:
            for _, v in self.diameter_mm.bounds():
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    raise ValueError("diameter_mm bounds are numbers of millimetres")
        return self


class LesionSpec(_Query):
    where: LesionWhere = Field(default_factory=LesionWhere)
    latest_per_lesion: bool = Field(default=False, description="only each lesion's most recent assessment")
    count: Range | None = None


class EncounterSpec(_Query):
    """Visits: by class (outpatient, inpatient, emergency, home, virtual, other), optionally by type code."""

    class_: list[EncounterClass] | None = Field(default=None, alias="class")
    code: CodeRef | None = Field(default=None, description="the type of visit (FHIR Encounter.type)")
    count: Range | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AllergySpec(_Query):
    """Allergies and intolerances to a substance (a medicine by RxNorm or ATC, food, ...)."""

    code: CodeRef
    type: list[AllergyType] | None = None
    category: list[AllergyCategory] | None = None
    active: bool | None = Field(default=None, description="true: clinically active (not inactive or resolved)")
    verified: bool = Field(default=True, description="ignore refuted / entered-in-error records; unconfirmed ones "
                                                     "only may match")
    count: Range | None = None


class ParticipationSpec(_Query):
    count: Range | None = None


class FactSpec(_M):
    name: FlagName
    is_: bool = Field(default=True, alias="is")
    missing: MissingPolicy | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


