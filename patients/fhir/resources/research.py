"""ResearchSubject: participation in a trial (the study's identifier, the period)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import text
from patients.fhir.resources.context import ImportContext
from patients.model import TrialParticipation

PARTICIPATING = {"on-study", "on-study-intervention", "on-study-observation", "follow-up"}
PARTICIPATED = {"off-study", "withdrawn"}
NAME_MAX = 500


def research_subject(ctx: ImportContext, e: Entry) -> list[TrialParticipation]:
    r = e.model
    if r.status not in PARTICIPATING | PARTICIPATED:
        ctx.warn(e, "status", f"{r.status!r} is not participation in a study: not used")
        return []
    start, end = ctx.period(e, "period", r.period, planned_end=True)
    if start is None:
        ctx.warn(e, "period.start", "no start date: not imported")
        return []
    if end is not None and end > dt.date.today():
        end = None
    if r.status in PARTICIPATED and end is None:
        ctx.warn(e, "period.end", f"status {r.status!r} but no end date: recorded as ending on its start date")
        end = start
    return [TrialParticipation(trial_id=study_name(ctx, e, r.study), start=start, end=end)]


def study_name(ctx: ImportContext, e: Entry, ref: Any) -> str | None:
    """The trial id: the referenced ResearchStudy's identifier (else title), else the reference's
    identifier, display or id."""
    if ref is None:
        return None
    if ref.reference:
        found = ctx.bundle.resolve(e, "study", ref.reference) if not ref.reference.startswith("#") else None
        if found is not None and found.rtype == "ResearchStudy":
            name = _study_resource_name(ctx.bundle.parse(found))
            if name is not None:
                return name
    if ref.identifier is not None and text(ref.identifier.value):
        return str(ref.identifier.value).strip()[:NAME_MAX]
    if text(ref.display):
        return str(ref.display).strip()[:NAME_MAX]
    if ref.reference:
        return ref.reference.strip().rsplit("/", 1)[-1][:NAME_MAX] or None
    return None


def _study_resource_name(st: Any) -> str | None:
    for ident in st.identifier or []:
        if text(ident.value):
            return str(ident.value).strip()[:NAME_MAX]
    if text(st.title):
        return str(st.title).strip()[:NAME_MAX]
    return None
