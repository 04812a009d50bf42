"""AllergyIntolerance: the substance (code), allergy or intolerance, category, criticality, clinical
and verification statuses, and onset (onsetDateTime, the start of onsetPeriod, or onsetAge)."""

from __future__ import annotations

from typing import Any

from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import coded, concept_codings
from patients.fhir.resources.context import ImportContext
from patients.model import Allergy
from screening.core.vocab import (
    AllergyCategory,
    AllergyClinicalStatus,
    AllergyCriticality,
    AllergyType,
    AllergyVerificationStatus,
)


def allergy(ctx: ImportContext, e: Entry) -> list[Allergy]:
    r = e.model
    codings = concept_codings(ctx, e, "code", r.code, "allergy")
    if not codings:
        return []
    verification = _status(ctx, e, "verificationStatus", r.verificationStatus, AllergyVerificationStatus)
    if verification == AllergyVerificationStatus.entered_in_error:
        ctx.warn(e, "verificationStatus", "entered-in-error: not imported")
        return []
    onset = None
    if r.onsetDateTime is not None:
        onset = ctx.day(e, "onsetDateTime", r.onsetDateTime)
    elif r.onsetPeriod is not None:
        onset = ctx.period(e, "onsetPeriod", r.onsetPeriod)[0]
    elif r.onsetAge is not None:
        onset = ctx.age_date(e, "onsetAge", r.onsetAge)
    category = None
    if r.category:
        category = _enum(ctx, e, "category[0]", r.category[0], AllergyCategory)
    return [Allergy(**coded(codings), onset=onset, category=category,
                    type=_enum(ctx, e, "type", r.type, AllergyType),
                    criticality=_enum(ctx, e, "criticality", r.criticality, AllergyCriticality),
                    clinical_status=_status(ctx, e, "clinicalStatus", r.clinicalStatus, AllergyClinicalStatus),
                    verification_status=verification)]


def _enum(ctx: ImportContext, e: Entry, field_name: str, value: Any, enum: Any) -> Any:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        ctx.warn(e, field_name, f"{value!r} is not a known value: not used")
        return None


def _status(ctx: ImportContext, e: Entry, field_name: str, cc: Any, enum: Any) -> Any:
    """A status CodeableConcept (its first coding's code) as one of `enum`, or None."""
    code = next((c.code for c in (cc.coding or []) if c.code), None) if cc is not None else None
    return _enum(ctx, e, field_name, code, enum)
