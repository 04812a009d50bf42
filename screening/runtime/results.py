"""The result document (the same for `screening check --json`, the HTTP API and batch output).

Criterion results are reused between reports (equal data gives an equal result), so they and
everything in them are immutable: frozen models and tuples.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from screening.core.vocab import CriterionKind, Status, Verdict


class _R(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Shared(_R):
    """Shared between reports (criterion results are reused for equal data): never modified."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__


def trusted(cls: type[M], fields: dict[str, Any]) -> M:
    """An instance of `cls` from `fields` the code guarantees valid: every field, in the model's
    order, each of the type validation would make. What `model_construct` does, without its
    per-field loop over aliases and defaults (results are built by the dozen per patient); tests
    check that validating what each caller builds gives the same document."""
    m = cls.__new__(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", set(fields))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def unknown_left_out(v: Any) -> bool:
    """Leave a field out of the JSON when it is not known (None); `document` writes evidence
    relying on this being the only test."""
    return v is None


class Evidence(_Shared):
    """One record (or profile field) an explanation rests on; fields that are not known are left out
    (per field, so that serialising stays in pydantic's core: a model-level wrap serialiser calls
    Python for every piece of evidence)."""

    record: str = Field(description="path into the patient profile, e.g. 'observations[2]'")
    what: str
    value: Any = Field(default=None, exclude_if=unknown_left_out)
    unit: str | None = Field(default=None, exclude_if=unknown_left_out)
    converted_value: float | None = Field(default=None, exclude_if=unknown_left_out)
    converted_unit: str | None = Field(default=None, exclude_if=unknown_left_out)
    note: str | None = Field(default=None, exclude_if=unknown_left_out)
    date: dt.date | None = Field(default=None, exclude_if=unknown_left_out)


def trusted_evidence(record: str, what: str, *, value: Any = None, unit: str | None = None,
                     converted_value: float | None = None, converted_unit: str | None = None,
                     note: str | None = None, date: dt.date | None = None) -> Evidence:
    """Evidence built without validation (`trusted`), as the record readers make it by the dozen per
    patient: their strings, numbers and dates are a validated profile's, kept as validation keeps
    them; a converted value is made the float validation would make (tests check that validating
    gives the same document)."""
    return trusted(Evidence, {"record": record, "what": what, "value": value, "unit": unit,
                              "converted_value": None if converted_value is None else float(converted_value),
                              "converted_unit": converted_unit, "note": note, "date": date})


class Threshold(_Shared):
    measure: str
    comparison: str = Field(description="the test, e.g. '<', '>=', 'in'")
    value: float | int | str | tuple[str, ...] | bool
    unit: str | None = None
    observed: float | str | bool | None = None
    margin: float | None = Field(default=None, description="distance from the threshold, in `unit` (positive)")
    status: Status


class CriterionResult(_Shared):
    id: str
    kind: CriterionKind
    status: Status
    matched: bool | None = Field(
        default=None,
        description="truth of the criterion's definition: for an exclusion, true means it applies",
    )
    explanation: str
    text: str = Field(description="verbatim registry text")
    source: str
    evidence: tuple[Evidence, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    missing_data: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    review_reason: str | None = None


class ValueSetUse(_Shared):
    """A value set a trial's rules read, with where its codes come from (files, versions, dates)."""

    name: str
    sources: tuple[str, ...] = ()


class EligibleFrom(_R):
    """When a patient held back only by time becomes eligible, if nothing else changes: the engine
    screened the patient again at `date` (every computable criterion passes) and at the day before
    (not all of them pass)."""

    date: dt.date = Field(description="the first date from which every computable criterion passes")
    days: int = Field(description="days from the screening date to `date`")
    verdict: Verdict = Field(description="the verdict at `date`: eligible, or undetermined when criteria for "
                                         "review are left (eligible pending review)")
    criteria: list[str] = Field(description="the criteria that pass from `date` on and do not at the screening date")
    pending_review: list[str] = Field(default_factory=list, description="criteria for review left at `date`")


class TrialResult(_R):
    trial_id: str
    title: str
    verdict: Verdict
    ruleset_hash: str
    engine_version: str
    as_of: dt.date
    counts: dict[str, int]
    criteria: list[CriterionResult]
    data_to_collect: list[str] = Field(default_factory=list)
    criteria_to_review: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    value_sets: list[ValueSetUse] = Field(default_factory=list, description="the value sets the rules read")
    eligible_from: EligibleFrom | None = Field(
        default=None, description="for a patient ineligible or undetermined only because of time (another trial "
        "within a window, a malignancy window, an age not yet reached, a course or natural course still running): "
        "the date from which every computable criterion passes if nothing else changes, confirmed by screening "
        "again at that date and the day before; null otherwise")


class UnrecognisedCode(_R):
    """A code of the patient's records that no value set of the loaded rule sets reads."""

    kind: str = Field(description="condition, observation, medication or procedure")
    code: str = Field(description="system:code")
    display: str | None = None
    records: list[str] = Field(description="the records so coded, e.g. conditions[3]")


class ScreeningReport(_R):
    as_of: dt.date
    engine_version: str
    patient_id: str
    results: list[TrialResult]
    warnings: list[str] = Field(default_factory=list)
    unrecognised_codes: list[UnrecognisedCode] = Field(
        default_factory=list,
        description="coded records no value set of the rule sets recognises: what the rules could not see")
