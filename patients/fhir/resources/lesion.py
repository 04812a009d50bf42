"""Lesion assessments: Observations coded in the project's `lesion-assessment` code system (as
`patients.fhir.export` writes them), with the lesion id, the site and one component per finding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.namespace import CS_LESION, CS_TREND, LESION_COMPONENTS, LESION_KINDS, NS_LESION_ID
from patients.fhir.resources.concepts import codes, concept_text, text
from patients.fhir.resources.context import ImportContext
from patients.fhir.resources.observation import REPORTED, observation_date
from patients.model import LesionAssessment
from screening.core.vocab import Trend

TEXT_MAX = 500
_FIELD_OF_CODE = {code: name for name, code in LESION_COMPONENTS.items()}


def lesion_kind(o: Any) -> str | None:
    """The lesion kind when the Observation is a lesion assessment, else None."""
    for system, code in codes(o.code):
        if system == CS_LESION and code in LESION_KINDS:
            return code
    return None


def lesion(ctx: ImportContext, e: Entry, kind: str) -> list[LesionAssessment]:
    o = e.model
    if not ctx.status_accepted(e, o.status, REPORTED):
        return []
    when = observation_date(ctx, e, o)
    if when is None:
        return []
    lesion_id = next((text(i.value) for i in (o.identifier or []) if i.system == NS_LESION_ID and text(i.value)), None)
    site = concept_text(o.bodySite)
    return [LesionAssessment(kind=kind, site=site[:TEXT_MAX] if site else None,  # type: ignore[arg-type]
                             lesion_id=lesion_id[:TEXT_MAX] if lesion_id else None, date=when,
                             **_findings(ctx, e, o.component or []))]


# -- components: one finding each; a reader returns the value, or None with a warning ------------------

def _findings(ctx: ImportContext, e: Entry, components: list[Any]) -> dict[str, Any]:
    """The assessment's fields from its components (by the component's code)."""
    values: dict[str, Any] = {}
    for i, comp in enumerate(components):
        f = f"component[{i}]"
        name = next((_FIELD_OF_CODE[code] for system, code in codes(comp.code)
                     if system == CS_LESION and code in _FIELD_OF_CODE), None)
        if name is None:
            ctx.warn(e, f + ".code", "not a lesion assessment component: not used")
            continue
        value = _READERS.get(name, _finding)(ctx, e, f, comp)
        if value is not None:
            values[name] = value
    return values


def _diameter(ctx: ImportContext, e: Entry, f: str, comp: Any) -> float | None:
    q = comp.valueQuantity
    if q is None or q.value is None or q.comparator or q.system != fc.UCUM or q.code != "mm":
        ctx.warn(e, f + ".valueQuantity", "a diameter is an exact quantity in mm: not used")
        return None
    return float(q.value)


def _trend(ctx: ImportContext, e: Entry, f: str, comp: Any) -> Trend | None:
    t = next((code for system, code in codes(comp.valueCodeableConcept) if system == CS_TREND), None)
    try:
        return Trend(t or "")
    except ValueError:
        ctx.warn(e, f + ".valueCodeableConcept", f"{t!r} is not a lesion trend: not used")
        return None


def _finding(ctx: ImportContext, e: Entry, f: str, comp: Any) -> bool | None:
    """A finding present or absent (visible depth, loss of dermis, pain, calcinosis)."""
    if comp.valueBoolean is None:
        ctx.warn(e, f + ".valueBoolean", "missing: not used")
        return None
    return comp.valueBoolean


_READERS: dict[str, Callable[[ImportContext, Entry, str, Any], Any]] = {
    "diameter_mm": _diameter,
    "trend": _trend,
}
