"""The patient profile: a general, coded clinical record that every trial is screened against.

Nothing here is shaped after one trial's criteria: conditions, observations, medications,
procedures and lesion assessments are coded records, and a rule set picks what it needs from
them through value sets. Validation is strict (unknown fields are rejected, numbers are not
parsed out of strings, dates are `YYYY-MM-DD` strings and never numbers) and every error names
the field path.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from patients.scored_answers import scored_list
from screening.core.codesystems import ICD_SYSTEMS, normalise_code
from screening.core.dates import calendar_date
from screening.core.vocab import (
    AllergyCategory,
    AllergyClinicalStatus,
    AllergyCriticality,
    AllergyType,
    AllergyVerificationStatus,
    ClinicalStatus,
    CodeSystem,
    Comparator,
    EncounterClass,
    LesionKind,
    Route,
    Sex,
    TimeUnit,
    Trend,
    VerificationStatus,
)

Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Text = Annotated[StrictStr, Field(min_length=1, max_length=500)]
# A date is a `YYYY-MM-DD` string in a profile, never a number (lax parsing read 0 as 1970-01-01)
Date = Annotated[dt.date, BeforeValidator(calendar_date)]



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Coding(_Strict):
    """A code of a named code system; ICD-10 and ICD-10-CM codes are written with their dot (C188 is read as C18.8)."""

    system: CodeSystem
    code: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    display: Text | None = None

    @field_validator("code")
    @classmethod
    def _written_form(cls, v: str, info: ValidationInfo) -> str:
        system = info.data.get("system")
        return normalise_code(system, v) if system in ICD_SYSTEMS else v





OtherCodes = Annotated[list[Coding], Field(
    description="the same concept in other code systems (the further codings of a FHIR CodeableConcept); "
                "a value set matches the record when it matches `code` or any of these")]


class _Coded(_Strict):
    """A record coded in one or more code systems."""

    code: Coding
    other_codes: OtherCodes = Field(default_factory=list)

    @model_validator(mode="after")
    def _each_code_once(self) -> _Coded:
        seen = set()
        for c in self.codings():
            if (c.system, c.code) in seen:
                raise ValueError(f"{c.system}:{c.code} is given twice (`code` and `other_codes` are different codes)")
            seen.add((c.system, c.code))
        return self

    def codings(self) -> tuple[Coding, ...]:
        """`code` first, then the other codes."""
        return (self.code, *self.other_codes) if self.other_codes else (self.code,)


class Condition(_Coded):
    """A diagnosis. `criteria` names the diagnostic criteria set that confirmed it."""

    onset: Date | None = None
    abatement: Date | None = None
    clinical_status: ClinicalStatus | None = None
    verification_status: VerificationStatus | None = None
    criteria: list[Text] = Field(default_factory=list, description='e.g. "modified New York", "ACR 2013"')
    body_site: Text | None = None

    @model_validator(mode="after")
    def _order(self) -> Condition:
        if self.onset and self.abatement and self.abatement < self.onset:
            raise ValueError(f"abatement {self.abatement} is before onset {self.onset}")
        return self



class ReferenceRange(_Strict):
    """The normal range the laboratory reported with a result (FHIR Observation.referenceRange):
    its lower and upper limits, in `unit` (UCUM; the result's own unit when not given)."""

    low: Number | None = None
    high: Number | None = None
    unit: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = None

    @model_validator(mode="after")
    def _limits(self) -> ReferenceRange:
        if self.low is None and self.high is None:
            raise ValueError("a reference range needs a `low` or a `high` limit")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        return self


class Observation(_Coded):
    """A lab result, score or serology: a numeric value with a UCUM unit, or a coded result."""

    date: Date
    value: Number | None = None
    unit: Annotated[StrictStr, Field(max_length=64)] | None = Field(
        default=None, description="UCUM unit of `value` (e.g. mg/dL, umol/L, %); omit for unitless scores"
    )
    comparator: Comparator | None = Field(default=None, description="the value is censored: '<0.5' etc.")
    result: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = Field(
        default=None, description="coded result: positive, negative, reactive, non-reactive, detected, ..."
    )
    answer: Coding | None = Field(
        default=None, description="the coded answer `value` was read from, when the source sent a score as a code "
                                  "(e.g. LOINC LA9623-5 for ECOG 1); it must be a scored answer of the observation's "
                                  "code that stands for `value`")
    reference_range: ReferenceRange | None = Field(
        default=None, description="the normal range reported with the value (for limits such as 3 x ULN)")

    @model_validator(mode="after")
    def _one_value(self) -> Observation:
        if self.value is None and self.result is None:
            raise ValueError("an observation needs a `value` or a `result`")
        if self.unit is not None and self.value is None:
            raise ValueError("`unit` is given without a `value`")
        if self.reference_range is not None and self.value is None:
            raise ValueError("`reference_range` is given without a `value`")
        if self.answer is not None:
            self._check_answer(self.answer)
        return self

    def _check_answer(self, answer: Coding) -> None:
        scored = scored_list((c.system, c.code) for c in self.codings())
        score = scored.scores.get((answer.system, answer.code)) if scored is not None else None
        if score is None:
            raise ValueError(f"`answer` {answer.system}:{answer.code} is not a scored answer of this observation's code")
        if self.value != score:
            raise ValueError(f"`answer` {answer.system}:{answer.code} stands for {score}, not for the `value` {self.value}")



class Dose(_Strict):
    """The dose of one administration (`mg`), or a dose per time (`mg/d`) when the source states a daily dose."""

    value: Number
    unit: Annotated[StrictStr, Field(min_length=1, max_length=64)]


class Frequency(_Strict):
    """How often the dose is given: `times` administrations every `period` `period_unit` (FHIR
    Timing.repeat frequency, period and periodUnit): twice a day is {times: 2, period: 1, period_unit: d}."""

    times: Annotated[int, Field(strict=True, ge=1, le=1000)]
    period: Annotated[float, Field(strict=True, gt=0, le=1000)] = 1.0
    period_unit: TimeUnit = "d"


class Medication(_Coded):
    """A medication course (ATC or RxNorm coded) with route, dose and period; `end` empty = ongoing.
    A change of dose is a new course: the daily dose (dose x frequency) is constant within one."""

    route: Route | None = None
    dose: Dose | None = None
    frequency: Frequency | None = Field(default=None, description="how often `dose` is given")
    start: Date | None = None
    end: Date | None = None

    @model_validator(mode="after")
    def _order(self) -> Medication:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Procedure(_Coded):
    date: Date
    outcome: Text | None = None



class Encounter(_Strict):
    """A visit: its class (outpatient, inpatient, emergency, ...), optionally its type as codes, and its
    period; without an `end` a visit is one day, and an inpatient stay is still going on (not yet discharged)."""

    class_: EncounterClass = Field(alias="class")
    code: Coding | None = Field(default=None, description="the type of visit (FHIR Encounter.type)")
    other_codes: OtherCodes = Field(default_factory=list)
    start: Date
    end: Date | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=True)

    @model_validator(mode="after")
    def _order(self) -> Encounter:
        if self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.other_codes and self.code is None:
            raise ValueError("`other_codes` are given without a `code`")
        return self

    def codings(self) -> tuple[Coding, ...]:
        """`code` first, then the other codes (none for a visit without a type)."""
        if self.code is None:
            return ()
        return (self.code, *self.other_codes) if self.other_codes else (self.code,)


class Allergy(_Coded):
    """An allergy or intolerance to a substance (a medicine coded in RxNorm or ATC, a food or other
    substance in SNOMED CT), with its statuses and onset."""

    type: AllergyType | None = None
    category: AllergyCategory | None = None
    criticality: AllergyCriticality | None = None
    clinical_status: AllergyClinicalStatus | None = None
    verification_status: AllergyVerificationStatus | None = None
    onset: Date | None = None


class LesionAssessment(_Strict):
    """One assessment of one lesion (e.g. a digital ulcer) on one date."""

    kind: LesionKind = "digital_ulcer"
    site: Text | None = Field(default=None, description="location, e.g. 'right index finger pulp'")
    lesion_id: Text | None = Field(default=None, description="stable id of the lesion across assessments")
    date: Date
    diameter_mm: Annotated[float, Field(strict=True, ge=0, le=1000)] | None = None
    visible_depth: StrictBool | None = None
    loss_of_dermis: StrictBool | None = None
    painful: StrictBool | None = None
    calcinosis: StrictBool | None = None
    trend: Trend | None = None


class TrialParticipation(_Strict):
    trial_id: Text | None = None
    start: Date
    end: Date | None = None

    @model_validator(mode="after")
    def _order(self) -> TrialParticipation:
        if self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Consent(_Strict):
    signed: StrictBool
    date: Date | None = None
    by_representative: StrictBool = False


class Administrative(_Strict):
    informed_consent: Consent | None = None
    trial_participations: list[TrialParticipation] = Field(default_factory=list)
    pregnant: StrictBool | None = None
    lactating: StrictBool | None = None
    adequate_contraception: StrictBool | None = Field(
        default=None, description="uses, or is willing to use, adequate contraception"
    )
    life_expectancy_months: Annotated[float, Field(strict=True, ge=0, le=1500)] | None = None
    msc_available: StrictBool | None = Field(default=None, description="study cells available for this patient")


_DATE_FIELDS = ("onset", "abatement", "date", "start", "end")
RECORD_LISTS = ("conditions", "observations", "medications", "procedures", "lesions", "encounters", "allergies")
_date_fields_of: dict[type, tuple[str, ...]] = {}


def _date_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The date fields a record type has, in a fixed order."""
    fields = _date_fields_of.get(cls)
    if fields is None:
        fields = _date_fields_of[cls] = tuple(f for f in _DATE_FIELDS if f in cls.model_fields)
    return fields


class PatientProfile(_Strict):
    """A patient as screened: demographics plus coded clinical records."""

    id: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    birth_date: Date | None = None
    sex: Sex | None = None
    conditions: list[Condition] = Field(default_factory=list)
    observations: list[Observation] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    lesions: list[LesionAssessment] = Field(default_factory=list)
    encounters: list[Encounter] = Field(default_factory=list)
    allergies: list[Allergy] = Field(default_factory=list)
    administrative: Administrative = Field(default_factory=Administrative)

    @field_validator("birth_date")
    @classmethod
    def _birth_not_future(cls, v: dt.date | None) -> dt.date | None:
        if v is not None and v > dt.date.today():
            raise ValueError(f"birth date {v} is in the future")
        if v is not None and v.year < 1880:
            raise ValueError(f"birth date {v} is not plausible")
        return v

    @model_validator(mode="after")
    def _dates_consistent(self) -> PatientProfile:
        limit = dt.date.today() + dt.timedelta(days=1)
        for path, when in self.iter_dates():
            if when > limit:
                raise ValueError(f"{path}: date {when} is in the future")
            if self.birth_date is not None and when < self.birth_date:
                raise ValueError(f"{path}: date {when} is before the birth date {self.birth_date}")
        return self

    def iter_dates(self) -> list[tuple[str, dt.date]]:
        """(path, date) of every date of the records, the administrative ones last."""
        return self.dates_after(None)

    def dates_after(self, day: dt.date | None) -> list[tuple[str, dt.date]]:
        """`iter_dates()` of the dates after `day` only (the others' paths are never written);
        every one for None."""
        out: list[tuple[str, dt.date]] = []
        for name in RECORD_LISTS:
            for i, rec in enumerate(getattr(self, name)):
                for f in _date_fields(type(rec)):
                    v = getattr(rec, f)
                    if v is not None and (day is None or v > day):
                        out.append((f"{name}[{i}].{f}", v))
        for i, tp in enumerate(self.administrative.trial_participations):
            if day is None or tp.start > day:
                out.append((f"administrative.trial_participations[{i}].start", tp.start))
            if tp.end and (day is None or tp.end > day):
                out.append((f"administrative.trial_participations[{i}].end", tp.end))
        consent = self.administrative.informed_consent
        if consent is not None and consent.date is not None and (day is None or consent.date > day):
            out.append(("administrative.informed_consent.date", consent.date))
        return out


def patient_json_schema() -> dict[str, Any]:
    return PatientProfile.model_json_schema()


def dump_schema() -> str:
    return json.dumps(patient_json_schema(), indent=2, sort_keys=True)
