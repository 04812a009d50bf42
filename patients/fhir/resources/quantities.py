"""Quantities: the UCUM unit of a result or a dose.

A unit is read from the quantity's UCUM code, else from its text; a spelling labs send that is
not UCUM (`mL/min/1.73m2`, `K/uL`, `IU/L` ...) is read through the documented table
`screening.core.units.UNIT_ALIASES`, with a warning naming the mapping. A unit that cannot be
read is kept as written on a result, so that a rule reading it says the newest result is
unusable instead of falling back to an older one.
"""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.resources.context import ImportContext
from screening.core.units import to_ucum, ucum_problem


def ucum_unit(ctx: ImportContext, e: Entry, field_name: str, q: Any) -> tuple[bool, str | None]:
    """(usable, unit) of a quantity: (True, None) when it has no unit at all (a count or score);
    (True, UCUM code) when a UCUM unit is read; (False, the unit as written), with a warning,
    when a unit is there but is not usable UCUM."""
    written = (q.code or q.unit or "").strip()
    if not written:
        if q.system is not None:
            ctx.warn(e, field_name, f"a {fc.system_label(q.system)} quantity without a unit code")
        return True, None
    ucum_coded = q.system == fc.UCUM and q.code
    for candidate, how in ((q.code if q.system in (fc.UCUM, None) else None, "code"), (q.unit, "text")):
        if not candidate or not candidate.strip():
            continue
        unit, mapped = to_ucum(candidate)
        if mapped is not None:
            ctx.warn(e, field_name, mapped)
            return True, unit
        if ucum_problem(unit) is None:
            if how == "text" and not ucum_coded:
                ctx.warn(e, field_name, f"unit {unit!r} has no UCUM code: read as the UCUM unit it spells")
            return True, unit
    problem = (f"unit {written!r} is coded in {fc.system_label(q.system)}, not UCUM" if q.system not in (fc.UCUM, None)
               else ucum_problem(written) or f"unit {written!r} is not UCUM")
    ctx.warn(e, field_name, f"{problem}: kept as written, unusable by rules that read it")
    return False, written
