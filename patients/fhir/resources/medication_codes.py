"""Which medicine a medication record is about: medication[x] as a concept, or a contained or
referenced Medication resource (its code, else its ingredients' codes)."""

from __future__ import annotations

from typing import Any

from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import concept_codings, has_known_system
from patients.fhir.resources.context import ImportContext
from patients.model import Coding

FIELD = "medicationReference"


def medication_codes(ctx: ImportContext, e: Entry) -> list[list[Coding]]:
    """The codings of the medicines of a MedicationStatement, MedicationRequest or
    MedicationAdministration, one list per medication record (`concepts.concept_codings`):
    usually one; a product's ingredients when only they are coded in a system the profile knows;
    none (with a warning) when it cannot be told."""
    r = e.model
    if r.medicationCodeableConcept is not None:
        c = concept_codings(ctx, e, "medicationCodeableConcept", r.medicationCodeableConcept, "medication")
        return [c] if c else []
    found = _medication_resource(ctx, e, r.medicationReference, r.contained)
    if found is None:
        return []
    med, where = found
    return _product_codes(ctx, e, f"{FIELD} ({where}).code", med)


def _medication_resource(ctx: ImportContext, e: Entry, ref: Any, contained: Any) -> tuple[Any, str] | None:
    """The Medication that `medicationReference` points to (contained or in the input) and how
    to name it in a warning; None (with a warning) when it is not in the input."""
    if ref is None or not ref.reference:
        ctx.warn(e, FIELD, "no reference to a Medication: not imported")
        return None
    target = ref.reference.strip()
    if target.startswith("#"):
        med = next((c for c in (contained or []) if c.id == target[1:]), None)
        if med is None:
            raise ctx.bundle.error(e, FIELD, f"broken reference {target!r}: no contained resource has this id")
        where = f"contained Medication {target}"
    else:
        entry = ctx.bundle.resolve(e, FIELD, target)
        if entry is None:
            ctx.warn(e, FIELD, f"{target!r} is not in the input: not imported")
            return None
        med = ctx.bundle.parse(entry)
        where = entry.label
    if med.get_resource_type() != "Medication":
        raise ctx.bundle.error(e, FIELD, f"{target!r} is a {med.get_resource_type()}, not a Medication")
    return med, where


def _product_codes(ctx: ImportContext, e: Entry, field_name: str, med: Any) -> list[list[Coding]]:
    """The Medication's codings; when no coding of it is in a known system, the codings of its
    ingredients that are (with a warning), else the code's own warning."""
    if has_known_system(med.code):
        c = concept_codings(ctx, e, field_name, med.code, "medication")
        return [c] if c else []
    ingredients = []
    for ing in med.ingredient or []:
        if has_known_system(ing.itemCodeableConcept):
            c = concept_codings(ctx, e, field_name, ing.itemCodeableConcept, "medication")
            if c:
                ingredients.append(c)
    if ingredients:
        systems = sorted({c.system or "(no system)" for c in (med.code.coding or [])}) if med.code else ["(none)"]
        ctx.warn(e, field_name, f"product code system {', '.join(systems)} is not mapped: recorded its "
                                f"ingredients instead ({', '.join(f'{c[0].system}:{c[0].code}' for c in ingredients)})")
        return ingredients
    c = concept_codings(ctx, e, field_name, med.code, "medication")
    return [c] if c else []
