"""Encounter: a visit's class (outpatient, inpatient, emergency, ...), its type and its period.

The class is read from `class` (v3-ActCode: AMB, IMP, ACUTE, NONAC, SS, EMER, HH, VR, ...); a
class outside that table is `other` with a warning. Visits that did not take place (planned,
cancelled, entered in error) are not imported."""

from __future__ import annotations

from typing import Any

from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import coded, concept_codings
from patients.fhir.resources.context import ImportContext
from patients.model import Encounter
from screening.core.vocab import EncounterClass

TOOK_PLACE = {"arrived", "triaged", "in-progress", "onleave", "finished"}
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CLASSES = {
    "AMB": EncounterClass.outpatient, "SS": EncounterClass.outpatient, "FLD": EncounterClass.outpatient,
    "IMP": EncounterClass.inpatient, "ACUTE": EncounterClass.inpatient, "NONAC": EncounterClass.inpatient,
    "EMER": EncounterClass.emergency, "HH": EncounterClass.home, "VR": EncounterClass.virtual,
    "OBSENC": EncounterClass.other, "PRENC": EncounterClass.other,
}
"""v3-ActCode encounter codes -> the profile's classes (SS, short stay, is a day-case visit)."""


def encounter(ctx: ImportContext, e: Entry) -> list[Encounter]:
    r = e.model
    if not ctx.status_accepted(e, r.status, TOOK_PLACE):
        return []
    cls = CLASSES.get(r.class_fhir.code) if r.class_fhir is not None else None
    if cls is None:
        shown = r.class_fhir.code if r.class_fhir is not None else None
        ctx.warn(e, "class", f"class {shown!r} is not one of {', '.join(sorted(CLASSES))} (v3-ActCode): read as other")
        cls = EncounterClass.other
    start, end = ctx.period(e, "period", r.period)
    if start is None:
        ctx.warn(e, "period.start", "no start date: not imported")
        return []
    codes = {}
    if r.type:
        codings = concept_codings(ctx, e, "type[0]", r.type[0], "encounter")
        codes = coded(codings) if codings else {}
    data: dict[str, Any] = {"class": cls, "start": start, "end": end if end is not None and end >= start else None,
                            **codes}
    return [Encounter.model_validate(data)]
