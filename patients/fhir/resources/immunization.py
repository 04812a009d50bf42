"""Immunization: a vaccine given, as a medication record of one day (its CVX, ATC or other code)."""

from __future__ import annotations

from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import coded, concept_codings
from patients.fhir.resources.context import ImportContext
from patients.model import Medication

GIVEN = {"completed"}  # 'not-done' and 'entered-in-error' records say no vaccine was given


def immunization(ctx: ImportContext, e: Entry) -> list[Medication]:
    """A vaccine given on its occurrence date; without a date it cannot be placed in any window,
    so it is not imported (with a warning)."""
    m = e.model
    if not ctx.status_accepted(e, m.status, GIVEN):
        return []
    codes = concept_codings(ctx, e, "vaccineCode", m.vaccineCode, "medication")
    if not codes:
        return []
    if m.occurrenceDateTime is None:
        ctx.warn(e, "occurrence[x]", "a vaccination without a date (occurrenceString or none): not imported")
        return []
    day = ctx.day(e, "occurrenceDateTime", m.occurrenceDateTime)
    if day is None:
        return []
    return [Medication(**coded(codes), start=day, end=day)]
