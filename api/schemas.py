"""Request and response models of the HTTP service (the screening result itself is `screening.runtime.results`)."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from patients.io import examples_dir
from patients.model import PatientProfile
from screening.core.dates import screening_date

TrialId = Annotated[StrictStr, Field(min_length=1, max_length=128, examples=["NCT01420432"])]
MAX_TRIAL_IDS = 200


@lru_cache(maxsize=1)
def example_patient() -> dict[str, Any]:
    try:
        data = json.loads((examples_dir() / "as_patient.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"id": "example-001", "birth_date": "1984-03-12", "sex": "male"}
    return data if isinstance(data, dict) else {}


def _as_of(v: Any) -> Any:
    """A screening date is a `YYYY-MM-DD` string between 1900 and 2199 (`screening.core.dates`)."""
    return None if v is None else screening_date(v)


AS_OF_DESCRIPTION = "screening date YYYY-MM-DD (default: today, on the server)"


class _Req(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrialScreenRequest(_Req):
    """Screen one patient against the trial named in the path."""

    patient: PatientProfile
    as_of: dt.date | None = Field(default=None, description=AS_OF_DESCRIPTION, examples=["2026-11-22"])

    model_config = ConfigDict(extra="forbid", json_schema_extra=lambda s: s.update(
        {"examples": [{"patient": example_patient(), "as_of": "2026-11-22"}]}))

    @field_validator("as_of", mode="before")
    @classmethod
    def _check_as_of(cls, v: Any) -> Any:
        return _as_of(v)


class ScreenRequest(_Req):
    """Screen one patient against some or all trials."""

    patient: PatientProfile
    trial_ids: list[TrialId] | None = Field(
        default=None, max_length=MAX_TRIAL_IDS, description="trials to screen against (default: every trial)")
    as_of: dt.date | None = Field(default=None, description=AS_OF_DESCRIPTION, examples=["2026-11-22"])

    model_config = ConfigDict(extra="forbid", json_schema_extra=lambda s: s.update(
        {"examples": [{"patient": example_patient(), "trial_ids": ["NCT01420432"], "as_of": "2026-11-22"}]}))

    @field_validator("as_of", mode="before")
    @classmethod
    def _check_as_of(cls, v: Any) -> Any:
        return _as_of(v)


FHIR_BUNDLE_TYPES = ["collection", "transaction", "batch", "searchset", "document"]  # patients.fhir.bundle

# The `application/fhir+json` body, in the OpenAPI document. A minimal schema: the importer checks
# every mapped resource with the fhir.resources R4B models and answers 422 naming what it refuses.
FHIR_SCHEMAS: dict[str, dict[str, Any]] = {
    "FhirBundle": {
        "title": "FhirBundle",
        "description": "A FHIR R4 Bundle of one patient's resources. NDJSON (one resource per line) is "
                       "accepted too. The screening date and trial ids go in the query string.",
        "type": "object",
        "required": ["resourceType", "type"],
        "properties": {
            "resourceType": {"type": "string", "enum": ["Bundle"]},
            "type": {"type": "string", "enum": FHIR_BUNDLE_TYPES},
            "entry": {"type": "array", "items": {"$ref": "#/components/schemas/FhirBundleEntry"}},
        },
    },
    "FhirBundleEntry": {
        "title": "FhirBundleEntry",
        "type": "object",
        "properties": {"fullUrl": {"type": "string"}, "resource": {"$ref": "#/components/schemas/FhirResource"}},
    },
    "FhirResource": {
        "title": "FhirResource",
        "description": "A FHIR R4 resource (Patient, Condition, Observation, Medication*, Procedure, "
                       "ResearchSubject, Consent are imported; others are counted in a warning)",
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"type": "string", "examples": ["Patient"]}, "id": {"type": "string"}},
        "additionalProperties": True,
    },
}


class FieldError(BaseModel):
    field: str = Field(description="path of the offending field, e.g. patient.observations[0].value",
                       examples=["patient.observations[0].value"])
    loc: list[str | int] = Field(description="the same path as a list")
    message: str = Field(examples=["Input should be a valid number"])


class ErrorDetail(BaseModel):
    status: int = Field(examples=[422])
    code: str = Field(description="machine-readable error code", examples=["invalid_patient"])
    message: str = Field(description="what went wrong, readable", examples=[
        "patient.observations[0].value: Input should be a valid number"])
    request_id: str | None = Field(default=None, description="the X-Request-ID of the request")
    errors: list[FieldError] = Field(default_factory=list, description="one entry per invalid field")
    known_trials: list[str] | None = Field(default=None, description="for an unknown trial id: the known ones")


class ErrorBody(BaseModel):
    error: ErrorDetail


class RulesetInfo(BaseModel):
    trial_id: str = Field(examples=["NCT01420432"])
    ruleset_hash: str = Field(description="content hash of the rule set and the shared library",
                              examples=["2506d4617cb60b20"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    ready: bool = Field(description="rule sets are loaded and screening is possible")
    engine_version: str
    durable_rules_version: str
    generation: int = Field(description="increases by one on every reload that changed a rule set")
    loaded_at: dt.datetime = Field(description="when the current rule sets were loaded (UTC)")
    in_flight: int = Field(description="screenings running on the current rule sets")
    worker_pid: int = Field(description="process id of the worker that answered")
    rulesets: list[RulesetInfo]


class TrialSummary(BaseModel):
    id: str = Field(examples=["NCT01420432"])
    title: str
    ruleset_hash: str
    criteria: int
    inclusion: int
    exclusion: int
    computable: int
    review: int


class CriterionDetail(BaseModel):
    id: str = Field(examples=["age_18_60"])
    kind: Literal["inclusion", "exclusion"]
    text: str = Field(description="verbatim registry text")
    source: str = Field(description="where the text comes from")
    computable: bool
    rule: str | None = Field(
        default=None, description="the definition in plain language (what `screening explain` prints)",
        examples=["  - age at least 18 years\n  - age at most 60 years"])
    missing_data_policy: Literal["unknown", "assume_absent", "fail"] = "unknown"
    review_reason: str | None = Field(default=None, description="why the criterion is for review")
    reading: str | None = None
    alternative_reading: str | None = Field(default=None, description="another reading, not evaluated")


class TrialDetail(BaseModel):
    id: str = Field(examples=["NCT01420432"])
    title: str
    ruleset_hash: str
    registry_ids: list[str] = Field(default_factory=list)
    sponsor: str | None = None
    conditions: list[str] = Field(default_factory=list)
    criteria: list[CriterionDetail]


class ReloadResult(BaseModel):
    changed: bool = Field(description="false when every rule set was already loaded with the same hash")
    generation: int
    rulesets: list[RulesetInfo]
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)


# CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): the discovery document, the service call and its
# cards, and feedback. Requests accept the fields the specification defines and ignore others
# (an `extension`, say); answers omit optional fields that have no value, as the specification asks.

class CdsModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CdsService(CdsModel):
    hook: str = Field(examples=["patient-view"])
    title: str
    description: str
    id: str = Field(description="the {id} of POST /cds-services/{id}")
    prefetch: dict[str, str] = Field(description="FHIR queries the CDS client is asked to prefetch")
    usageRequirements: str | None = None


class CdsDiscovery(CdsModel):
    services: list[CdsService]


class CdsFhirAuthorization(CdsModel):
    access_token: StrictStr = Field(min_length=1)
    token_type: Literal["Bearer"]
    expires_in: int
    scope: StrictStr
    subject: StrictStr


class CdsContext(CdsModel):
    patientId: StrictStr = Field(min_length=1, max_length=256)
    userId: StrictStr | None = None
    encounterId: StrictStr | None = None


class CdsRequest(CdsModel):
    hook: StrictStr = Field(json_schema_extra={"enum": ["patient-view"]}, description="the hook this service answers")
    hookInstance: StrictStr = Field(min_length=1, max_length=256)
    fhirServer: StrictStr | None = None
    fhirAuthorization: CdsFhirAuthorization | None = None
    context: CdsContext
    prefetch: dict[str, dict[str, Any] | None] | None = None


class CdsCoding(CdsModel):
    code: str
    system: str | None = None
    display: str | None = None


class CdsSource(CdsModel):
    label: str
    url: str | None = None
    topic: CdsCoding | None = None


class CdsLink(CdsModel):
    label: str
    url: str
    type: Literal["absolute", "smart"] = "absolute"


class CdsCard(CdsModel):
    uuid: str
    summary: str = Field(max_length=139, description="fewer than 140 characters")
    detail: str | None = Field(default=None, description="GitHub Flavored Markdown")
    indicator: Literal["info", "warning", "critical"]
    source: CdsSource
    links: list[CdsLink] | None = None


class CdsResponse(CdsModel):
    cards: list[CdsCard]


class CdsAcceptedSuggestion(CdsModel):
    id: StrictStr


class CdsOverrideReason(CdsModel):
    reason: CdsCoding | None = None
    userComment: StrictStr | None = None


class CdsFeedbackItem(CdsModel):
    card: StrictStr = Field(min_length=1)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[CdsAcceptedSuggestion] | None = None
    overrideReason: CdsOverrideReason | None = None
    outcomeTimestamp: dt.datetime


class CdsFeedback(CdsModel):
    feedback: list[CdsFeedbackItem] = Field(min_length=1, max_length=1000)


class CdsFeedbackReceived(BaseModel):
    received: int = Field(description="feedback entries recorded")
