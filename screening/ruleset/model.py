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

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from screening.core.vocab import (
    CriterionKind,
    CriterionMissing,
    MissingPolicy,
    RecordedSex,
)
from screening.ruleset.model_base import IDENT as IDENT
from screening.ruleset.model_base import DurationText, Ident
from screening.ruleset.model_base import M as _M
from screening.ruleset.model_base import duration_text as _duration
from screening.ruleset.model_queries import CMP_OPS as CMP_OPS
from screening.ruleset.model_queries import LIMIT_RE as LIMIT_RE
from screening.ruleset.model_queries import AllergySpec as AllergySpec
from screening.ruleset.model_queries import CodeRef as CodeRef
from screening.ruleset.model_queries import ConditionSpec as ConditionSpec
from screening.ruleset.model_queries import EncounterSpec as EncounterSpec
from screening.ruleset.model_queries import FactSpec as FactSpec
from screening.ruleset.model_queries import LatestSpec as LatestSpec
from screening.ruleset.model_queries import LesionSpec as LesionSpec
from screening.ruleset.model_queries import LesionWhere as LesionWhere
from screening.ruleset.model_queries import MedicationSpec as MedicationSpec
from screening.ruleset.model_queries import ObservationSpec as ObservationSpec
from screening.ruleset.model_queries import ParticipationSpec as ParticipationSpec
from screening.ruleset.model_queries import ProcedureSpec as ProcedureSpec
from screening.ruleset.model_queries import Range as Range
from screening.ruleset.model_valuesets import CODE_RE as CODE_RE
from screening.ruleset.model_valuesets import ITEM_RE as ITEM_RE
from screening.ruleset.model_valuesets import DisplayFilter as DisplayFilter
from screening.ruleset.model_valuesets import ReferenceRangeSpec as ReferenceRangeSpec
from screening.ruleset.model_valuesets import ValueSet
from screening.ruleset.model_valuesets import ValueSetEntry as ValueSetEntry


class AgeExpr(_M):
    age: Range


class SexExpr(_M):
    sex: list[RecordedSex]


class LatestExpr(_M):
    latest: LatestSpec


class ConditionExpr(_M):
    condition: ConditionSpec


class ObservationExpr(_M):
    observation: ObservationSpec


class MedicationExpr(_M):
    medication: MedicationSpec


class ProcedureExpr(_M):
    procedure: ProcedureSpec


class LesionExpr(_M):
    lesion: LesionSpec


class EncounterExpr(_M):
    encounter: EncounterSpec


class AllergyExpr(_M):
    allergy: AllergySpec


class ParticipationExpr(_M):
    participation: ParticipationSpec


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
    missing: CriterionMissing = "unknown"
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
