"""Patient: the profile id, birth date and sex."""

from __future__ import annotations

import datetime as dt

from patients.fhir import dates
from patients.fhir.bundle import Entry
from patients.fhir.namespace import NS_PATIENT_ID
from patients.fhir.resources.context import ImportContext
from screening.core.vocab import Sex

EARLIEST_BIRTH_YEAR = 1880


def profile_id(e: Entry) -> str | None:
    """The profile id of a Patient entry: the one recorded by the export (an identifier in the
    project's patient-id naming system, which also holds ids that are not valid FHIR ids), else
    the resource id, else the last part of the entry's fullUrl."""
    for ident in e.model.identifier or []:
        if ident.system == NS_PATIENT_ID and isinstance(ident.value, str) and ident.value.strip():
            return str(ident.value.strip())
    if e.rid:
        return e.rid
    if e.full_url:
        tail = e.full_url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        return tail or None
    return None


def birth_date(ctx: ImportContext, e: Entry) -> dt.date | None:
    p = e.model
    if p.birthDate is None:
        return None
    d = dates.to_date(p.birthDate)
    if d is None:
        ctx.warn(e, "birthDate", f"{p.birthDate!r} is not a full date: birth date (and so age) not known")
        return None
    if d > dt.date.today():
        raise ctx.bundle.error(e, "birthDate", f"date {d} is in the future")
    if d.year < EARLIEST_BIRTH_YEAR:
        raise ctx.bundle.error(e, "birthDate", f"date {d} is not plausible")
    return d


def sex(ctx: ImportContext, e: Entry) -> Sex | None:
    gender = e.model.gender
    if not gender:
        return None
    try:
        return Sex(gender)
    except ValueError:
        ctx.warn(e, "gender", f"{gender!r} is not an administrative gender code: sex not known")
        return None
