"""CodeableConcepts: which coding the profile keeps, and the text of a concept.

The profile records one coding per concept: the one in the system preferred for the kind of
record (`codes.PREFERENCE`), else the first in a system the profile knows, else a clearly local
one. `preferred_coding` is the one place that choice is made.
"""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.resources.context import ImportContext
from patients.model import Coding

CODE_MAX = 64
DISPLAY_MAX = 500


def text(v: Any) -> str | None:
    """A non-blank string, stripped; else None."""
    if isinstance(v, str) and v.strip():
        return v.strip()
    return None


def concept_text(cc: Any) -> str | None:
    """A concept's text, else the first display of its codings."""
    if cc is None:
        return None
    t = text(cc.text)
    if t:
        return t
    for c in cc.coding or []:
        t = text(c.display)
        if t:
            return t
    return None


def codes(cc: Any) -> list[tuple[str | None, str | None]]:
    """(system, code) of each coding of a concept (none for a missing concept)."""
    return [(c.system, c.code) for c in (cc.coding or [])] if cc is not None else []


def first_code(cc: Any) -> str | None:
    """The first code of a concept, whatever its system (a status)."""
    return next((code for _, code in codes(cc) if code), None)


def has_known_system(cc: Any) -> bool:
    """Does any coding of the concept use a code system the profile knows?"""
    return cc is not None and any(fc.SYSTEMS.get((c.system or "").strip()) for c in cc.coding or [])


def preferred_coding(ctx: ImportContext, e: Entry, field_name: str, cc: Any, kind: str) -> Coding | None:
    """The concept's coding in the preferred mapped system; a clearly local code only when no
    standard one is present; otherwise a warning and None."""
    if cc is None or not cc.coding:
        ctx.warn(e, field_name, "no coding (text only): not imported" if cc is not None and cc.text else "no code: not imported")
        return None
    known, local = _candidates(cc, ctx.local_systems)
    for ours in fc.PREFERENCE[kind]:
        if ours in known:
            return _profile_coding(ctx, e, field_name, ours, known[ours])
    if known:
        ours, c = next(iter(known.items()))
        return _profile_coding(ctx, e, field_name, ours, c)
    if local is not None:
        return _profile_coding(ctx, e, field_name, "local", local)
    systems = sorted({c.system or "(no system)" for c in cc.coding})
    ctx.warn(e, field_name, f"code system {', '.join(systems)} is not one the profile knows "
                            "(LOINC, SNOMED CT, ICD-10, ICD-10-CM, ATC, RxNorm, or a clearly local one): not imported")
    return None


def _candidates(cc: Any, local_systems: frozenset[str]) -> tuple[dict[str, Any], Any]:
    """The concept's first coding in each known system (by the profile's system name), and its
    first coding in a clearly local system."""
    known: dict[str, Any] = {}
    local = None
    for c in cc.coding:
        if not c.system or not text(c.code):
            continue
        ours = fc.SYSTEMS.get(c.system.strip())
        if ours is not None:
            known.setdefault(ours, c)
        elif local is None and fc.is_local_system(c.system, local_systems):
            local = c
    return known, local


def _profile_coding(ctx: ImportContext, e: Entry, field_name: str, system: str, c: Any) -> Coding | None:
    code = c.code.strip()
    if len(code) > CODE_MAX:
        ctx.warn(e, field_name, f"code longer than {CODE_MAX} characters ({code[:20]}...): not imported")
        return None
    display = text(c.display)
    if display and len(display) > DISPLAY_MAX:
        display = None
    return Coding(system=system, code=code, display=display)  # type: ignore[arg-type]
