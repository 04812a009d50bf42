"""Condition: code, clinical and verification status, onset and abatement, body site, and the
diagnostic criteria sets of the project's `diagnostic-criteria` extension."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from patients.fhir.bundle import Entry
from patients.fhir.namespace import EXT_CRITERIA
from patients.fhir.resources.concepts import coded, concept_codings, concept_text, first_code, text
from patients.fhir.resources.context import ImportContext
from patients.model import Condition
from screening.core.vocab import ClinicalStatus, VerificationStatus

NOT_A_DIAGNOSIS = ("refuted", "entered-in-error")  # verification statuses that leave the condition out
TEXT_MAX = 500

S = TypeVar("S", bound=StrEnum)


def condition(ctx: ImportContext, e: Entry) -> list[Condition]:
    c = e.model
    vs = first_code(c.verificationStatus)
    if vs in NOT_A_DIAGNOSIS:
        ctx.warn(e, "verificationStatus", f"{vs}: not imported")
        return []
    codings = concept_codings(ctx, e, "code", c.code, "condition")
    if not codings:
        return []
    clinical = _status(ctx, e, "clinicalStatus", first_code(c.clinicalStatus), ClinicalStatus, "clinical status")
    verification = _status(ctx, e, "verificationStatus", vs, VerificationStatus, "verification status")
    # The condition's interval is taken at its widest: the onset period's start and the
    # abatement period's end.
    onset = _when(ctx, e, c, "onset", period_end=False)
    abatement = _when(ctx, e, c, "abatement", period_end=True)
    if onset and abatement and abatement < onset:
        raise ctx.bundle.error(e, "abatement[x]", f"abatement {abatement} is before onset {onset}")
    if any(ev.code for ev in (c.evidence or [])):
        ctx.warn(e, "evidence.code", "manifestations are not diagnostic criteria sets: not recorded as criteria")
    site = next((t for t in (concept_text(s) for s in (c.bodySite or [])) if t), None)
    return [Condition(**coded(codings), onset=onset, abatement=abatement, clinical_status=clinical,
                      verification_status=verification, criteria=_criteria(ctx, e, c),
                      body_site=site[:TEXT_MAX] if site else None)]


def _status(ctx: ImportContext, e: Entry, field_name: str, value: str | None, status: type[S], what: str) -> S | None:
    if value is None:
        return None
    try:
        return status(value)
    except ValueError:
        ctx.warn(e, field_name, f"{value!r} is not a {what} code: not used")
        return None


def _when(ctx: ImportContext, e: Entry, r: Any, prefix: str, period_end: bool) -> dt.date | None:
    """onset[x] or abatement[x] (`prefix`) as a date; of a period its start (`period_end`
    False) or its end."""
    v = getattr(r, f"{prefix}DateTime", None)
    if v is not None:
        return ctx.day(e, f"{prefix}DateTime", v)
    p = getattr(r, f"{prefix}Period", None)
    if p is not None:
        start, end = ctx.period(e, f"{prefix}Period", p)
        return (end or start) if period_end else (start or end)
    a = getattr(r, f"{prefix}Age", None)
    if a is not None:
        return ctx.age_date(e, f"{prefix}Age", a)
    for kind in ("Range", "String"):
        if getattr(r, f"{prefix}{kind}", None) is not None:
            ctx.warn(e, f"{prefix}{kind}", "not a date: not used")
            return None
    if getattr(r, f"{prefix}Boolean", None) is True:
        ctx.warn(e, f"{prefix}Boolean", "abated, but the date is not recorded")
    return None


def _criteria(ctx: ImportContext, e: Entry, c: Any) -> list[str]:
    """The diagnostic criteria sets, from the project's `diagnostic-criteria` extension
    (valueString, repeated; nothing else fills `criteria`)."""
    out = []
    for ext in c.extension or []:
        if ext.url != EXT_CRITERIA:
            continue
        v = text(ext.valueString)
        if v is None or len(v) > TEXT_MAX:
            ctx.warn(e, "extension(diagnostic-criteria)", f"not a valueString of 1 to {TEXT_MAX} characters: not used")
            continue
        out.append(v)
    return out
