"""Consent: consent to research (signed or not, when, by a representative)."""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Bundle, Entry
from patients.fhir.resources.concepts import codes, concept_text
from patients.fhir.resources.context import ImportContext
from patients.model import Consent


def consent(ctx: ImportContext, e: Entry) -> Consent | None:
    c = e.model
    scopes = {code for system, code in codes(c.scope) if system == fc.CONSENT_SCOPE and code}
    if "research" not in scopes:
        ctx.warn(e, "scope", f"{', '.join(sorted(scopes)) or concept_text(c.scope) or 'no scope'}: "
                             "not consent to research, not used")
        return None
    if c.status == "entered-in-error":
        ctx.warn(e, "status", "'entered-in-error': not used")
        return None
    when = ctx.day(e, "dateTime", c.dateTime)
    representative = any(_performer_type(ctx.bundle, p) == "RelatedPerson" for p in c.performer or [])
    return Consent(signed=c.status == "active", date=when, by_representative=representative)


def latest(consents: list[Consent]) -> Consent | None:
    """The decision that stands: the latest dated one (a later withdrawal overrides an earlier
    signature), else the last undated one; of decisions on the same day, the last in the input."""
    if not consents:
        return None
    return max(enumerate(consents), key=lambda ic: (ic[1].date is not None, ic[1].date, ic[0]))[1]


def _performer_type(bundle: Bundle, p: Any) -> str | None:
    """The resource type a performer reference points to: its `type`, the type in a `Type/id`
    reference, or that of the bundle entry a `urn:` reference names."""
    ref = (p.reference or "").strip()
    target = p.type or (ref.split("/")[-2] if ref.count("/") >= 1 and not ref.startswith("urn:") else None)
    if ref.startswith("urn:") and ref in bundle.by_url:
        target = bundle.by_url[ref].rtype
    return str(target) if target is not None else None
