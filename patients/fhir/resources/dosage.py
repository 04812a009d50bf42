"""Dosage: the route and the dose of a medication record."""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.namespace import CS_ROUTE
from patients.fhir.resources.concepts import codes, concept_text
from patients.fhir.resources.context import ImportContext
from patients.fhir.resources.quantities import ucum_unit
from patients.model import Dose, Frequency
from screening.core.vocab import Route

# (system, code) -> route: SNOMED CT and HL7 v3 route codes, and the project's `other`
ROUTE_OF_CODING: dict[tuple[str, str], Route] = {
    **{(fc.SNOMED, code): route for code, route in fc.SNOMED_ROUTES.items()},
    **{(fc.V3_ROUTE_SYSTEM, code): route for code, route in fc.V3_ROUTES.items()},
    (CS_ROUTE, Route.other.value): Route.other,
}


def dosage(ctx: ImportContext, e: Entry, field_name: str, dosages: list[Any]) -> tuple[Route | None, Dose | None]:
    """The first route and the first dose that a list of Dosage elements records."""
    route, dose = None, None
    for i, d in enumerate(dosages):
        q = None
        for j, dr in enumerate(d.doseAndRate or []):
            if dr.doseQuantity is not None:
                q = dr.doseQuantity
                break
            if dr.doseRange is not None:
                ctx.warn(e, f"{field_name}[{i}].doseAndRate[{j}].doseRange", "a dose range is not mapped: dose not recorded")
        r, ds = route_and_dose(ctx, e, f"{field_name}[{i}]", d.route, q)
        route = route or r
        dose = dose or ds
    return route, dose


TIMING_CODES = {"QD": 1, "BID": 2, "TID": 3, "QID": 4}
"""v3-GTSAbbreviation timing codes read as administrations a day."""
PERIOD_UNITS = ("min", "h", "d", "wk", "mo", "a")


def frequency(ctx: ImportContext, e: Entry, field_name: str, dosages: list[Any]) -> Frequency | None:
    """How often the dose is given, from the first Dosage's `timing`: repeat.frequency per
    repeat.period repeat.periodUnit, or a QD/BID/TID/QID timing code; None (with a warning when a
    timing is there) otherwise."""
    for i, d in enumerate(dosages):
        t = d.timing
        if t is None:
            continue
        f = f"{field_name}[{i}].timing"
        rep = t.repeat
        if rep is not None and rep.frequency is not None and rep.period is not None and rep.periodUnit in PERIOD_UNITS:
            if rep.frequencyMax is not None and rep.frequencyMax != rep.frequency:
                ctx.warn(e, f + ".repeat.frequencyMax", "a range of frequencies is not mapped: frequency not recorded")
                return None
            return Frequency(times=int(rep.frequency), period=float(rep.period), period_unit=rep.periodUnit)
        code = next((c.code for c in (t.code.coding or []) if c.code in TIMING_CODES), None) if t.code else None
        if code is not None:
            return Frequency(times=TIMING_CODES[code])
        ctx.warn(e, f, "no frequency and period (or QD, BID, TID, QID code): frequency not recorded")
        return None
    return None


def route_and_dose(ctx: ImportContext, e: Entry, field_name: str, route_cc: Any,
                   dose_q: Any) -> tuple[Route | None, Dose | None]:
    return _route(ctx, e, field_name + ".route", route_cc), _dose(ctx, e, field_name + ".dose", dose_q)


def _route(ctx: ImportContext, e: Entry, field_name: str, cc: Any) -> Route | None:
    """The route from its codes, else from the words of its text or displays."""
    if cc is None:
        return None
    route = next((ROUTE_OF_CODING[sc] for sc in codes(cc) if sc in ROUTE_OF_CODING), None)
    if route is None:
        for t in [cc.text] + [c.display for c in cc.coding or []]:
            if t and (route := fc.route_from_words(t)) is not None:
                break
    if route is None:
        ctx.warn(e, field_name, f"route {concept_text(cc) or codes(cc)} is not mapped: not recorded")
    return route


def _dose(ctx: ImportContext, e: Entry, field_name: str, q: Any) -> Dose | None:
    if q is None or q.value is None:
        return None
    if q.system is None and q.code is None and not q.unit:
        ctx.warn(e, field_name, "a dose without a unit: dose not recorded")
        return None
    ok, unit = ucum_unit(ctx, e, field_name, q)
    if ok and unit is not None:
        return Dose(value=float(q.value), unit=unit)
    return None
