"""Quantities: the UCUM unit of a result or a dose."""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.resources.context import ImportContext


def ucum_unit(ctx: ImportContext, e: Entry, field_name: str, q: Any) -> tuple[bool, str | None]:
    """(usable, UCUM code) of a quantity: (True, None) when it has no unit at all (a count or
    score); (False, None), with a warning, when the unit is there but is not usable UCUM."""
    shown = q.unit or q.code
    if q.system is None and q.code is None:
        if q.unit:
            ctx.warn(e, field_name, f"unit {q.unit!r} has no UCUM code: not imported")
            return False, None
        return True, None
    if q.system != fc.UCUM:
        ctx.warn(e, field_name, f"unit {shown!r} is coded in {fc.system_label(q.system)}"
                                + (f" ({q.code})" if q.code else "") + ", not UCUM: not imported")
        return False, None
    if not q.code:
        ctx.warn(e, field_name, f"UCUM quantity without a unit code (unit text {q.unit!r}): not imported")
        return False, None
    problem = fc.ucum_problem(q.code)
    if problem:
        ctx.warn(e, field_name, f"{problem}: not imported")
        return False, None
    return True, str(q.code.strip())
