"""Procedure: code, the date it was performed, outcome."""

from __future__ import annotations

from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import coded, concept_codings, concept_text
from patients.fhir.resources.context import ImportContext
from patients.model import Procedure

DONE = {"completed", "in-progress", "stopped"}  # statuses of a procedure that took place
TEXT_MAX = 500


def procedure(ctx: ImportContext, e: Entry) -> list[Procedure]:
    p = e.model
    if not ctx.status_accepted(e, p.status, DONE):
        return []
    codings = concept_codings(ctx, e, "code", p.code, "procedure")
    if not codings:
        return []
    when = None
    if p.performedDateTime is not None:
        when = ctx.day(e, "performedDateTime", p.performedDateTime)
    elif p.performedPeriod is not None:
        start, end = ctx.period(e, "performedPeriod", p.performedPeriod)
        when = start or end
    elif p.performedAge is not None:
        when = ctx.age_date(e, "performedAge", p.performedAge)
    elif p.performedString is not None or p.performedRange is not None:
        ctx.warn(e, "performed[x]", "not a date: not imported")
        return []
    if when is None:
        ctx.warn(e, "performed[x]", "no usable date: not imported")
        return []
    outcome = concept_text(p.outcome)
    return [Procedure(**coded(codings), date=when, outcome=outcome[:TEXT_MAX] if outcome else None)]
