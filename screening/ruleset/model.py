"""The rule-set format (`rules/<TRIAL_ID>/trial.yaml` and the shared concept library) as
validated pydantic models.

A definition (`when:`) is a tree of one-key mappings, e.g.::

    when:
      all:
        - age: {between: [18, 60]}
        - latest: {code: creatinine, within: 90 days, lt: 176 umol/L}
        - not: {ref: hiv_positive}

Nothing in a rule set is ever executed: quantities, durations and code references are
parsed by small grammars and checked against the concept library.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from screening.core.diagnostics import did_you_mean
from screening.core.timewindows import Duration, DurationError
from screening.core.units import CONVERSIONS, UnitError, parse_quantity
from screening.core.vocab import (
    CODE_SYSTEMS,
    AllergyCategory,
    AllergyType,
    CodeSystem,
    CriterionKind,
    EncounterClass,
    FlagName,
    LesionKind,
    MissingPolicy,
    RecordedSex,
    Route,
    Trend,
)

IDENT = r"^[a-z][a-z0-9_]*$"
Ident = Annotated[str, Field(pattern=IDENT, max_length=64)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- small grammars -----------------------------------------------------------------------


def _duration(v: Any) -> str:
    try:
        return str(Duration.parse(v))
    except DurationError as e:
        raise ValueError(str(e)) from None


def _quantity(v: Any) -> str:
    try:
        value, unit = parse_quantity(v)
    except UnitError as e:
        raise ValueError(str(e)) from None
    return f"{value:g} {unit}"


LIMIT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(ULN|LLN)\s*$", re.IGNORECASE)
"""A threshold as a multiple of a limit of the normal range: '3 x ULN', '0.5 x LLN'."""

DurationText = Annotated[Any, Field(description="e.g. '4 weeks', '90 days', '10 years'")]
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

    @field_validator("onset_at_least")
    @classmethod
    def _onset(cls, v: Any) -> Any:
        return None if v is None else _duration(v)

    @model_validator(mode="after")
    def _one_window(self) -> _Query:
        if self.window is not None and self.within is not None:
            raise ValueError("give `within` (a window ending at the screening date) or `window` ([from, to] before "
                             "it), not both")
        return self


class AgeExpr(_M):
    age: Range


class SexExpr(_M):
    sex: list[RecordedSex]


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
                try:
                    parse_quantity(q)
                except UnitError as e:
                    raise PydanticCustomError("quantity", "{reason}", {"reason": str(e)}) from None
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


class LatestExpr(_M):
    latest: LatestSpec


class ConditionSpec(_Query):
    code: CodeRef
    except_: CodeRef | None = Field(default=None, alias="except")
    active: bool | None = Field(default=None, description="true: clinically active at the screening date")
    confirmed_by: list[str] | None = Field(default=None, description="diagnostic criteria sets, any of")
    verified: bool = Field(default=True, description="ignore refuted / entered-in-error records; provisional, "
                                                     "differential and unconfirmed ones only may match")
    count: Range | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ConditionExpr(_M):
    condition: ConditionSpec


class ObservationSpec(_Query):
    code: CodeRef
    result: list[str] | None = None
    count: Range | None = None


class ObservationExpr(_M):
    observation: ObservationSpec


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

    @field_validator("stable_for")
    @classmethod
    def _stable(cls, v: Any) -> Any:
        return None if v is None else _duration(v)

    @model_validator(mode="after")
    def _stable_is_active(self) -> MedicationSpec:
        if self.stable_for is not None and self.active is False:
            raise ValueError("`stable_for` is a course going on at the screening date: it cannot be `active: false`")
        if self.stable_for is not None and self.onset_at_least is not None:
            raise ValueError("give `stable_for` or `onset_at_least`, not both")
        return self


class MedicationExpr(_M):
    medication: MedicationSpec


class ProcedureSpec(_Query):
    code: CodeRef
    count: Range | None = None


class ProcedureExpr(_M):
    procedure: ProcedureSpec


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


class LesionExpr(_M):
    lesion: LesionSpec


class EncounterSpec(_Query):
    """Visits: by class (outpatient, inpatient, emergency, home, virtual, other), optionally by type code."""

    class_: list[EncounterClass] | None = Field(default=None, alias="class")
    code: CodeRef | None = Field(default=None, description="the type of visit (FHIR Encounter.type)")
    count: Range | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EncounterExpr(_M):
    encounter: EncounterSpec


class AllergySpec(_Query):
    """Allergies and intolerances to a substance (a medicine by RxNorm or ATC, food, ...)."""

    code: CodeRef
    type: list[AllergyType] | None = None
    category: list[AllergyCategory] | None = None
    active: bool | None = Field(default=None, description="true: clinically active (not inactive or resolved)")
    verified: bool = Field(default=True, description="ignore refuted / entered-in-error records; unconfirmed ones "
                                                     "only may match")
    count: Range | None = None


class AllergyExpr(_M):
    allergy: AllergySpec


class ParticipationSpec(_Query):
    count: Range | None = None


class ParticipationExpr(_M):
    participation: ParticipationSpec


class FactSpec(_M):
    name: FlagName
    is_: bool = Field(default=True, alias="is")
    missing: MissingPolicy | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FactExpr(_M):
    fact: FactSpec


class LifeExpectancyExpr(_M):
    life_expectancy_months: Range


class EventQuery(_M):
    """One record query used inside `followed_by` (exactly one key)."""

    condition: ConditionSpec | None = None
    medication: MedicationSpec | None = None
    procedure: ProcedureSpec | None = None
    observation: ObservationSpec | None = None
    lesion: LesionSpec | None = None

    @model_validator(mode="after")
    def _one(self) -> EventQuery:
        given = [k for k in ("condition", "medication", "procedure", "observation", "lesion") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of condition, medication, procedure, observation, lesion")
        return self

    def kind(self) -> str:
        for k in ("condition", "medication", "procedure", "observation", "lesion"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError


class FollowedBySpec(_M):
    """An `anchor` record followed by an `event` record within a window after the anchor."""

    anchor: EventQuery
    event: EventQuery
    from_: Literal["start", "end"] = Field(default="end", alias="from")
    after: list[DurationText] = Field(description="[earliest, latest] offset after the anchor, e.g. [2 weeks, 6 weeks]")
    count: Range | None = None
    missing: MissingPolicy | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("after")
    @classmethod
    def _win(cls, v: list[Any]) -> list[Any]:
        if len(v) != 2:
            raise ValueError("after takes two offsets: [earliest, latest]")
        return [_duration(x) if not (isinstance(x, int) and x == 0) else "0 days" for x in v]


class FollowedByExpr(_M):
    followed_by: FollowedBySpec


class RefExpr(_M):
    ref: str


class AllExpr(_M):
    all: list[Expr] = Field(min_length=1)


class AnyExpr(_M):
    any: list[Expr] = Field(min_length=1)


class NotExpr(_M):
    not_: Expr = Field(alias="not")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


EXPR_KINDS: dict[str, type[_M]] = {
    "all": AllExpr, "any": AnyExpr, "not": NotExpr, "ref": RefExpr,
    "age": AgeExpr, "sex": SexExpr, "latest": LatestExpr, "condition": ConditionExpr,
    "observation": ObservationExpr, "medication": MedicationExpr, "procedure": ProcedureExpr,
    "lesion": LesionExpr, "participation": ParticipationExpr, "fact": FactExpr,
    "life_expectancy_months": LifeExpectancyExpr, "followed_by": FollowedByExpr,
    "encounter": EncounterExpr, "allergy": AllergyExpr,
}


def _expr_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        keys = list(v)
        if len(keys) == 1 and keys[0] in EXPR_KINDS:
            return str(keys[0])
        return None
    if isinstance(v, BaseModel):
        for k, cls in EXPR_KINDS.items():
            if type(v) is cls:
                return k
    return None


Expr = Annotated[
    Annotated[AllExpr, Tag("all")] | Annotated[AnyExpr, Tag("any")] | Annotated[NotExpr, Tag("not")]
    | Annotated[RefExpr, Tag("ref")] | Annotated[AgeExpr, Tag("age")] | Annotated[SexExpr, Tag("sex")]
    | Annotated[LatestExpr, Tag("latest")] | Annotated[ConditionExpr, Tag("condition")]
    | Annotated[ObservationExpr, Tag("observation")] | Annotated[MedicationExpr, Tag("medication")]
    | Annotated[ProcedureExpr, Tag("procedure")] | Annotated[LesionExpr, Tag("lesion")]
    | Annotated[ParticipationExpr, Tag("participation")] | Annotated[FactExpr, Tag("fact")]
    | Annotated[LifeExpectancyExpr, Tag("life_expectancy_months")]
    | Annotated[FollowedByExpr, Tag("followed_by")] | Annotated[EncounterExpr, Tag("encounter")]
    | Annotated[AllergyExpr, Tag("allergy")],
    Discriminator(
        _expr_tag,
        custom_error_type="unknown_expression",
        custom_error_message="expected one key naming a definition: " + ", ".join(EXPR_KINDS),
    ),
]

for _cls in (AllExpr, AnyExpr, NotExpr):
    _cls.model_rebuild()


# --- value sets, concepts, criteria -------------------------------------------------------

CODE_RE = re.compile(rf"^({'|'.join(CODE_SYSTEMS)}):([A-Za-z0-9.\-]+)(\*?)$")
ITEM_RE = re.compile(r"^(icd10|icd10cm):([A-Za-z0-9.]+(?:-[A-Za-z0-9.]+)?)$")


def _check_codes(v: list[str]) -> list[str]:
    for c in v:
        if not CODE_RE.match(c):
            raise ValueError(f"{c!r} is not 'system:code' (systems: {', '.join(CODE_SYSTEMS)})")
    return v


class DisplayFilter(_M):
    """Takes the codes of a ValueSet file whose display names one of `any` and none of `none`
    (whole words or phrases, case-insensitive)."""

    any: list[Annotated[str, Field(min_length=2)]] = Field(min_length=1)
    none: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=list)


class ValueSetEntry(_M):
    """One part of a composed value set: exactly one of `valueset`, `codes`, `descendants`."""

    valueset: str | None = Field(default=None, description="a file in library/valuesets/, or a canonical 'url|version'")
    codes: list[str] | None = Field(default=None, description="'system:code' literals")
    descendants: list[str] | None = Field(
        default=None, description="ICD chapters, blocks, categories or subcategories, each with every code below "
                                  "it, e.g. 'icd10cm:C00-C96', 'icd10:C44'")
    systems: list[CodeSystem] | None = Field(default=None, description="keep only the file's codes of these systems")
    display: DisplayFilter | None = Field(default=None, description="keep only the file's codes whose display matches")
    source: str | None = Field(default=None, description="where listed codes come from (shown in the provenance)")

    @field_validator("codes")
    @classmethod
    def _codes(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _check_codes(v)

    @model_validator(mode="after")
    def _one(self) -> ValueSetEntry:
        given = [k for k in ("valueset", "codes", "descendants") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("an entry has exactly one of valueset, codes, descendants")
        if self.valueset is None and (self.systems is not None or self.display is not None):
            raise ValueError("`systems` and `display` select codes of a `valueset` entry")
        if self.codes is None and self.source is not None:
            raise ValueError("`source` describes the codes of a `codes` entry")
        for item in self.descendants or []:
            if not ITEM_RE.match(item):
                raise ValueError(f"{item!r} is not an ICD item: 'icd10:<item>' or 'icd10cm:<item>', e.g. "
                                 "'icd10cm:C00-C96' (a block), 'icd10:C44' (a category)")
        return self


class ReferenceRangeSpec(_M):
    """A typical normal range of a test, assumed (and said so) when a result carries none."""

    low: Any = None
    high: Any = None
    source: str = Field(min_length=1, description="where the range comes from (a laboratory, a guideline)")

    @field_validator("low", "high")
    @classmethod
    def _limit(cls, v: Any) -> Any:
        if v is not None:
            try:
                parse_quantity(v)
            except UnitError as e:
                raise PydanticCustomError("quantity", "{reason}", {"reason": str(e)}) from None
        return v

    @model_validator(mode="after")
    def _some(self) -> ReferenceRangeSpec:
        if self.low is None and self.high is None:
            raise ValueError("a reference range needs `low` or `high`")
        return self


class ValueSet(_M):
    """A named set of codes: `codes` and `include` name the concept, `possible` codes may name it,
    `exclude` removes codes from both, `names` and `not_names` are how it is written in text."""

    title: str | None = None
    codes: list[str] = Field(default_factory=list,
                             description="'system:code', with a trailing * for every code below it (ATC)")
    include: list[ValueSetEntry] = Field(default_factory=list)
    exclude: list[ValueSetEntry] = Field(default_factory=list)
    possible: list[ValueSetEntry] = Field(
        default_factory=list, description="codes that name the concept only possibly (a record so coded may be it)")
    names: list[Annotated[str, Field(min_length=2)]] = Field(
        default_factory=list, description="words or phrases that name the concept in a record's text")
    not_names: list[Annotated[str, Field(min_length=2)]] = Field(
        default_factory=list, description="text that names something else although it contains a name")
    unit: str | None = Field(default=None, description="canonical UCUM unit for values of these codes")
    molar_mass: Any = Field(default=None, description="e.g. '113.12 g/mol', for mass <-> molar conversion")
    conversion: str | None = Field(default=None, description="an analyte-specific conversion between units no factor "
                                   "relates, by name (e.g. hba1c_ifcc_ngsp)")
    reference_range: ReferenceRangeSpec | None = Field(
        default=None, description="the normal range assumed when a result carries none (the fallback of "
                                  "'3 x ULN' thresholds), with where it comes from")
    natural_course: DurationText | None = Field(
        default=None, description="how long a record of the concept without an end stays current after its onset "
                                  "(pregnancy: 42 weeks); later it no longer counts as active, and results say so")

    @field_validator("natural_course")
    @classmethod
    def _course(cls, v: Any) -> Any:
        return None if v is None else _duration(v)

    @field_validator("conversion")
    @classmethod
    def _conversion(cls, v: str | None) -> str | None:
        if v is not None and v not in CONVERSIONS:
            raise ValueError(f"unknown conversion {v!r}{did_you_mean(v, CONVERSIONS)}; known: {', '.join(CONVERSIONS)}")
        return v

    @field_validator("codes")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        return _check_codes(v)



class Concept(_M):
    title: str
    when: Expr
    note: str | None = None


class Library(_M):
    value_sets: dict[Ident, ValueSet] = Field(default_factory=dict)
    concepts: dict[Ident, Concept] = Field(default_factory=dict)


class SourceRef(_M):
    document: str = Field(description="seed file, registry page or protocol the text comes from")
    section: str | None = None
    item: int | str | None = None
    note: str | None = None


class Alternative(_M):
    """Another reading of the same registry text, kept visible but not evaluated."""

    text: str
    source: SourceRef | None = None
    when: Expr | None = None


class Criterion(_M):
    id: Ident
    kind: CriterionKind
    text: str = Field(min_length=1, description="verbatim registry text")
    source: SourceRef
    when: Expr | None = None
    review: str | None = Field(default=None, description="why this criterion is not computable")
    missing: MissingPolicy = "unknown"
    reading: str | None = Field(default=None, description="reading choices, where records disagree")
    alternative: Alternative | None = None
    title: str | None = None
    draft: bool = Field(default=False, description="drafted by a recogniser from free text; to be reviewed")
    confidence: float | None = Field(default=None, ge=0, le=1, description="the recogniser's confidence, 0..1")
    span: str | None = Field(default=None, description="the text span a draft definition came from")

    @model_validator(mode="after")
    def _one(self) -> Criterion:
        if (self.when is None) == (self.review is None):
            raise ValueError("a criterion needs exactly one of `when` (computable) or `review` (with a reason)")
        return self


class TrialInfo(_M):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str
    registry_ids: list[str] = Field(default_factory=list)
    sponsor: str | None = None
    conditions: list[str] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    healthy_volunteers: bool | None = None


class TrialFile(_M):
    schema_: Literal["trial-screening/v1"] = Field(alias="schema")
    trial: TrialInfo
    value_sets: dict[Ident, ValueSet] = Field(default_factory=dict)
    concepts: dict[Ident, Concept] = Field(default_factory=dict)
    criteria: list[Criterion] = Field(min_length=1)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
