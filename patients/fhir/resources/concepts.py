"""CodeableConcepts: which codings the profile keeps, and the text of a concept.

A record keeps every coding of its concept in a code system the profile knows (or a clearly
local one); one of them is its `code`, the others its `other_codes` (`concept_codings` is the
one place that choice is made). Codings in other systems are left out: when none is left, so is
the record, with a warning.
"""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.namespace import EXT_PRIMARY
from patients.fhir.resources.context import ImportContext
from patients.model import Coding
from screening.core.codesystems import normalise_code

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


def concept_codings(ctx: ImportContext, e: Entry, field_name: str, cc: Any, kind: str) -> list[Coding]:
    """Every coding of the concept in a code system the profile knows (a clearly local one
    included), its `code` first: the coding the project's export marks as primary, else the
    first in the system preferred for the kind of record, else the first standard one, else
    the first local one. The others follow in their order, each code once. None usable: a
    warning and []."""
    if cc is None or not cc.coding:
        ctx.warn(e, field_name, "no coding (text only): not imported" if cc is not None and cc.text else "no code: not imported")
        return []
    usable, too_long = _usable(cc, ctx.local_systems)
    for code in too_long:
        ctx.warn(e, field_name, f"code longer than {CODE_MAX} characters ({code[:20]}...): "
                                + ("not used" if usable else "not imported"))
    if not usable:
        if not too_long:
            systems = sorted({c.system or "(no system)" for c in cc.coding})
            ctx.warn(e, field_name, f"code system {', '.join(systems)} is not one the profile knows "
                                    f"({fc.KNOWN_SYSTEMS_TEXT}): not imported")
        return []
    first = _primary(usable, kind)
    return [usable[first][0]] + [c for i, (c, _) in enumerate(usable) if i != first]


def coded(codings: list[Coding]) -> dict[str, Any]:
    """The `code` and `other_codes` of a record from `concept_codings`."""
    return {"code": codings[0], "other_codes": codings[1:]}


def _usable(cc: Any, local_systems: frozenset[str]) -> tuple[list[tuple[Coding, bool]], list[str]]:
    """The concept's codings in a known or clearly local system as profile codings (ICD-10 codes
    with their dot), in order and without repeats, each with whether the export marked it as
    primary; and the codes left out for their length."""
    out: list[tuple[Coding, bool]] = []
    seen: set[tuple[str, str]] = set()
    too_long = []
    for c in cc.coding:
        code = text(c.code)
        if not c.system or code is None:
            continue
        ours = fc.SYSTEMS.get(c.system.strip())
        if ours is None and fc.is_local_system(c.system, local_systems):
            ours = "local"
        if ours is None:
            continue
        code = normalise_code(ours, code)
        if len(code) > CODE_MAX:
            too_long.append(code)
            continue
        if (ours, code) in seen:
            continue
        seen.add((ours, code))
        display = text(c.display)
        if display and len(display) > DISPLAY_MAX:
            display = None
        coding = Coding(system=ours, code=code, display=display)  # type: ignore[arg-type]
        out.append((coding, any(x.url == EXT_PRIMARY and x.valueBoolean is True for x in c.extension or [])))
    return out, too_long


def _primary(usable: list[tuple[Coding, bool]], kind: str) -> int:
    """The index of the coding that becomes the record's `code`."""
    marked = [i for i, (_, primary) in enumerate(usable) if primary]
    if len(marked) == 1:
        return marked[0]
    systems = [c.system for c, _ in usable]
    for ours in fc.PREFERENCE[kind]:
        if ours in systems:
            return systems.index(ours)
    return next((i for i, s in enumerate(systems) if s != "local"), 0)
