"""MedicationStatement, MedicationRequest and MedicationAdministration: a course of a medicine,
with its route, dose, start and end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import coded
from patients.fhir.resources.context import ImportContext
from patients.fhir.resources.dosage import dosage, frequency, route_and_dose
from patients.fhir.resources.medication_codes import medication_codes
from patients.model import Coding, Dose, Frequency, Medication
from screening.core.vocab import Route

ONGOING = {"active", "on-hold", "in-progress"}  # the course is going on
ENDED = {"completed", "stopped"}  # the course is over; other statuses are not imported
REQUEST_INTENTS = {"order", "original-order", "reflex-order", "filler-order", "instance-order"}


def medication_statement(ctx: ImportContext, e: Entry) -> list[Medication]:
    m = e.model
    if not ctx.status_accepted(e, m.status, ONGOING | ENDED):
        return []
    ended = m.status in ENDED
    codes = medication_codes(ctx, e)
    if not codes:
        return []
    start = end = None
    if m.effectivePeriod is not None:
        start, end = ctx.period(e, "effectivePeriod", m.effectivePeriod, planned_end=True)
    elif m.effectiveDateTime is not None:
        start = ctx.day(e, "effectiveDateTime", m.effectiveDateTime)
        end = start if ended else None
    route, dose = dosage(ctx, e, "dosage", m.dosage or [])
    often = frequency(ctx, e, "dosage", m.dosage or []) if dose is not None else None
    return _course(ctx, e, codes, route, dose, start, end, ended, frequency=often)


def medication_request(ctx: ImportContext, e: Entry) -> list[Medication]:
    m = e.model
    if not ctx.status_accepted(e, m.status, ONGOING | ENDED):
        return []
    if m.intent not in REQUEST_INTENTS:
        ctx.warn(e, "intent", f"{m.intent!r} is not an order: not imported")
        return []
    codes = medication_codes(ctx, e)
    if not codes:
        return []
    start, end = _request_bounds(ctx, e, m)
    if start is None:
        start = ctx.day(e, "authoredOn", m.authoredOn)
    route, dose = dosage(ctx, e, "dosageInstruction", m.dosageInstruction or [])
    often = frequency(ctx, e, "dosageInstruction", m.dosageInstruction or []) if dose is not None else None
    return _course(ctx, e, codes, route, dose, start, end, m.status in ENDED, "authoredOn", often)


def medication_administration(ctx: ImportContext, e: Entry) -> list[Medication]:
    m = e.model
    if not ctx.status_accepted(e, m.status, ONGOING | ENDED):
        return []
    codes = medication_codes(ctx, e)
    if not codes:
        return []
    start = end = None
    ended = m.status in ENDED
    if m.effectiveDateTime is not None:
        start = end = ctx.day(e, "effectiveDateTime", m.effectiveDateTime)
    elif m.effectivePeriod is not None:
        start, end = ctx.period(e, "effectivePeriod", m.effectivePeriod, planned_end=True)
    route, dose = (None, None)
    if m.dosage is not None:
        route, dose = route_and_dose(ctx, e, "dosage", m.dosage.route, m.dosage.dose)
    return _course(ctx, e, codes, route, dose, start, end, ended)


def _request_bounds(ctx: ImportContext, e: Entry, m: Any) -> tuple[dt.date | None, dt.date | None]:
    """The course of an order from the first timing bounds of its dosage instructions: a
    period, or a duration counted from `authoredOn`."""
    for i, d in enumerate(m.dosageInstruction or []):
        rep = d.timing.repeat if d.timing is not None else None
        if rep is None:
            continue
        if rep.boundsPeriod is not None:
            return ctx.period(e, f"dosageInstruction[{i}].timing.repeat.boundsPeriod", rep.boundsPeriod, planned_end=True)
        if rep.boundsDuration is not None:
            bd = rep.boundsDuration
            s = ctx.day(e, "authoredOn", m.authoredOn)
            if s is not None and bd.value is not None and bd.system == fc.UCUM and bd.code:
                end: dt.date | None = ctx.date_after(e, f"dosageInstruction[{i}].timing.repeat.boundsDuration", s, bd)
                if m.status in ENDED and end is not None and end > dt.date.today():
                    end = None  # stopped before its planned duration ran out: the stop date is not recorded
                return s, end
    return None, None


def _course(ctx: ImportContext, e: Entry, codes: list[list[Coding]], route: Route | None, dose: Dose | None,
            start: dt.date | None, end: dt.date | None, ended: bool,
            date_field: str = "effective[x]", frequency: Frequency | None = None) -> list[Medication]:
    """One Medication record per medicine (its codings), once the dates of the course are checked: a finished
    course needs a date, a planned end after today leaves the course ongoing, and a finished
    course without an end ends on its start."""
    if not codes:
        return []
    if start is None and end is None:
        if ended:  # without dates a finished course would read as ongoing
            ctx.warn(e, date_field, "a finished course with no dates: not imported")
            return []
        ctx.warn(e, date_field, "no start date recorded")
    if end is not None and end > dt.date.today():
        if ended:
            raise ctx.bundle.error(e, "end", f"the course is over but ends in the future ({end})")
        ctx.warn(e, "end", "planned end after today: recorded as ongoing")
        end = None
    if ended and end is None and start is not None:
        ctx.warn(e, "status", "over but no end date: recorded as ending on its start date (the actual stop date is not in the record)")
        end = start
    if start and end and end < start:
        raise ctx.bundle.error(e, "end", f"end {end} is before start {start}")
    return [Medication(**coded(c), route=route, dose=dose, frequency=frequency, start=start, end=end) for c in codes]
