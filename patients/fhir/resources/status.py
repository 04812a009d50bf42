"""Undated status Observations (as `patients.fhir.export` writes them) -> `administrative`:
pregnancy status (LOINC 82810-3) and the project's `screening-status` codes (lactating,
adequate contraception, life expectancy, MSC available)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.namespace import CS_STATUS, STATUS_CODES
from patients.fhir.resources.concepts import codes
from patients.fhir.resources.context import ImportContext
from patients.fhir.resources.observation import REPORTED

EFFECTIVE_FIELDS = ("effectiveDateTime", "effectivePeriod", "effectiveInstant", "effectiveTiming")
LIFE_EXPECTANCY_MAX_MONTHS = 1500
_FIELD_OF_CODE = {code: name for name, code in STATUS_CODES.items()}


def status_field(o: Any) -> str | None:
    """The `administrative` field an undated status Observation records (pregnancy status
    LOINC 82810-3, or a code of the project's `screening-status` system), else None. A dated
    Observation stays an observation."""
    if any(getattr(o, f, None) is not None for f in EFFECTIVE_FIELDS):
        return None
    if o.issued is not None:
        return None
    for system, code in codes(o.code):
        if fc.SYSTEMS.get(system or "") == "loinc" and code == fc.PREGNANCY_STATUS:
            return "pregnant"
        if system == CS_STATUS and code in _FIELD_OF_CODE:
            return _FIELD_OF_CODE[code]
    return None


def status_value(ctx: ImportContext, e: Entry, name: str) -> Any:
    """The value of a status Observation for `administrative.<name>`, or None (with a warning)."""
    o = e.model
    if not ctx.status_accepted(e, o.status, REPORTED):
        return None
    return _READERS.get(name, _yes_no)(ctx, e, o)


def _pregnancy(ctx: ImportContext, e: Entry, o: Any) -> bool | None:
    for system, code in codes(o.valueCodeableConcept):
        if system == fc.SNOMED and code in (fc.PREGNANT, fc.NOT_PREGNANT):
            return code == fc.PREGNANT
    ctx.warn(e, "valueCodeableConcept", "not SNOMED CT 77386006 (pregnant) or 60001007 (not pregnant): not used")
    return None


def _life_expectancy(ctx: ImportContext, e: Entry, o: Any) -> float | None:
    q = o.valueQuantity
    if q is not None and q.value is not None and not q.comparator and q.system == fc.UCUM and q.code in ("mo", "a"):
        months = float(q.value) * (12 if q.code == "a" else 1)
        if 0 <= months <= LIFE_EXPECTANCY_MAX_MONTHS:
            return months
    ctx.warn(e, "valueQuantity", "a life expectancy is an exact quantity in mo or a: not used")
    return None


def _yes_no(ctx: ImportContext, e: Entry, o: Any) -> bool | None:
    if o.valueBoolean is None:
        ctx.warn(e, "valueBoolean", "missing: not used")
        return None
    return o.valueBoolean


_READERS: dict[str, Callable[[ImportContext, Entry, Any], Any]] = {
    "pregnant": _pregnancy,
    "life_expectancy_months": _life_expectancy,
}
