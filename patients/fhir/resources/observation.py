"""Observation: a result (quantity, integer, coded or short text) with its date; each component
is an observation of its own. A score sent as a coded answer (an ECOG performance status as
LOINC LA9623-5) is read as its number (`patients.scored_answers`). Lesion assessments and
undated statuses are Observations too: `lesion` and `status` map those."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.namespace import EXT_RESULT
from patients.fhir.resources.answers import answers_of, check_interpretation, one_score
from patients.fhir.resources.concepts import coded, codes, concept_codings, concept_text, text
from patients.fhir.resources.context import ImportContext
from patients.fhir.resources.quantities import ucum_unit
from patients.model import Coding, Observation, ReferenceRange
from screening.core.vocab import Comparator

REPORTED = {"final", "amended", "corrected", "preliminary"}  # statuses whose result counts
RESULT_MAX = 64
VALUE_FIELDS = ("valueQuantity", "valueCodeableConcept", "valueString", "valueBoolean", "valueInteger",
                "valueRange", "valueRatio", "valueSampledData", "valueTime", "valueDateTime", "valuePeriod")


def observation(ctx: ImportContext, e: Entry) -> list[Observation]:
    o = e.model
    if not ctx.status_accepted(e, o.status, REPORTED):
        return []
    has_value = _has_value(o)
    if not has_value and not o.component:
        if not o.hasMember:  # a panel's members are resources of their own
            _warn_no_value(ctx, e, "", o)
        return []
    when = observation_date(ctx, e, o)
    if when is None:
        return []
    out = []
    if has_value:
        rec = _main_result(ctx, e, o, when)
        if rec is not None:
            out.append(rec)
    for i, comp in enumerate(o.component or []):
        rec = _component_result(ctx, e, f"component[{i}].", comp, when)
        if rec is not None:
            out.append(rec)
    return out


def observation_date(ctx: ImportContext, e: Entry, o: Any) -> dt.date | None:
    """effectiveDateTime; effectivePeriod (its end, else its start); effectiveInstant; else
    `issued` (when the result was released)."""
    d = None
    if o.effectiveDateTime is not None:
        d = ctx.day(e, "effectiveDateTime", o.effectiveDateTime)
    elif o.effectivePeriod is not None:
        start, end = ctx.period(e, "effectivePeriod", o.effectivePeriod)
        d = end or start
    elif o.effectiveInstant is not None:
        d = ctx.day(e, "effectiveInstant", o.effectiveInstant)
    elif o.effectiveTiming is not None:
        ctx.warn(e, "effectiveTiming", "a timing schedule is not a date: using issued")
    if d is None and o.issued is not None:
        d = ctx.day(e, "issued", o.issued)
    if d is None:
        ctx.warn(e, "effective[x]", "no usable date (effective[x] or issued): not imported")
    return d


def _has_value(h: Any) -> bool:
    return any(getattr(h, f, None) is not None for f in VALUE_FIELDS)


def _warn_no_value(ctx: ImportContext, e: Entry, prefix: str, h: Any) -> None:
    why = concept_text(h.dataAbsentReason)
    ctx.warn(e, prefix + "value[x]", "no value" + (f" ({why})" if why else "") + ": not imported")


def _main_result(ctx: ImportContext, e: Entry, o: Any, when: dt.date) -> Observation | None:
    """The Observation's own value; a coded result recorded next to a numeric value fills `result`."""
    codings = concept_codings(ctx, e, "code", o.code, "observation")
    if not codings:
        return None
    rec = _result(ctx, e, "", o, codings, when)
    if rec is None:
        return None
    extra = _extra_result(ctx, e, o)
    if extra is not None and rec.result is None:
        rec = rec.model_copy(update={"result": extra})
    return rec


def _component_result(ctx: ImportContext, e: Entry, prefix: str, comp: Any, when: dt.date) -> Observation | None:
    if not _has_value(comp):
        _warn_no_value(ctx, e, prefix, comp)
        return None
    codings = concept_codings(ctx, e, prefix + "code", comp.code, "observation")
    if not codings:
        return None
    return _result(ctx, e, prefix, comp, codings, when)


def _extra_result(ctx: ImportContext, e: Entry, o: Any) -> str | None:
    """A coded result recorded next to a numeric value (the project's `observation-result`
    extension, valueString)."""
    for ext in o.extension or []:
        if ext.url == EXT_RESULT:
            v = text(ext.valueString)
            if v is None or len(v) > RESULT_MAX:
                ctx.warn(e, "extension(observation-result)", f"not a valueString of 1 to {RESULT_MAX} characters: not used")
                return None
            return v
    return None


# -- value[x] -> the observation's value or result -------------------------------------------------

def _result(ctx: ImportContext, e: Entry, prefix: str, h: Any, codings: list[Coding], when: dt.date) -> Observation | None:
    """The observation of `h` (an Observation or one of its components) from its value[x]; a
    score is checked against the scored answer its `interpretation` may give."""
    for value_field, read in _READERS.items():
        if getattr(h, value_field, None) is not None:
            rec = read(ctx, e, prefix, getattr(h, value_field), codings, when)
            if rec is not None and rec.value is not None and getattr(h, "referenceRange", None):
                rr = reference_range(ctx, e, prefix, h.referenceRange)
                rec = rec.model_copy(update={"reference_range": rr}) if rr is not None else rec
            return check_interpretation(ctx, e, prefix, h, rec) if rec is not None else None
    kind = next(f for f in VALUE_FIELDS if getattr(h, f, None) is not None)
    ctx.warn(e, prefix + kind, f"{kind} is not mapped (quantities, integers, codes and short strings are): not imported")
    return None


NORMAL_RANGE = "normal"
"""The meaning (http://terminology.hl7.org/CodeSystem/referencerange-meaning) of the range read."""


def reference_range(ctx: ImportContext, e: Entry, prefix: str, ranges: list[Any]) -> ReferenceRange | None:
    """The normal range reported with a result: the first `referenceRange` whose type is absent or
    `normal` and that applies to everyone (no `appliesTo` or `age`), with its low and high limits in
    one unit; otherwise none, with a warning naming what was left out."""
    for i, r in enumerate(ranges):
        meaning = {c.code for c in (r.type.coding or [])} if r.type is not None else set()
        if meaning and NORMAL_RANGE not in meaning:
            continue  # a treatment or therapeutic range, not the normal one
        found = _normal_range(ctx, e, f"{prefix}referenceRange[{i}]", r)
        if found is not None:
            return found
    return None


def _normal_range(ctx: ImportContext, e: Entry, f: str, r: Any) -> ReferenceRange | None:
    """One normal range, or None with a warning saying why it is not used."""
    if r.appliesTo or r.age is not None:
        ctx.warn(e, f, "a range for part of the population (appliesTo, age): not used")
        return None
    limits = {side: q for side in ("low", "high") if (q := getattr(r, side)) is not None and q.value is not None}
    if not limits:
        ctx.warn(e, f, "no low or high limit (text only): not used")
        return None
    units = {side: ucum_unit(ctx, e, f"{f}.{side}", q) for side, q in limits.items()}
    if len({u for _, u in units.values()}) > 1 or not all(ok for ok, _ in units.values()):
        ctx.warn(e, f, "low and high limits in different or unusable units: not used")
        return None
    values = {side: float(q.value) for side, q in limits.items()}
    if "low" in values and "high" in values and values["low"] > values["high"]:
        ctx.warn(e, f, f"low {values['low']:g} is above high {values['high']:g}: not used")
        return None
    return ReferenceRange(**values, unit=next(iter(units.values()))[1])


def _from_quantity(ctx: ImportContext, e: Entry, prefix: str, q: Any, codings: list[Coding], when: dt.date) -> Observation | None:
    f = prefix + "valueQuantity"
    if q.value is None:
        ctx.warn(e, f, "a quantity without a value: not imported")
        return None
    comparator = None
    if q.comparator:
        try:
            comparator = Comparator(q.comparator)
        except ValueError:
            ctx.warn(e, f + ".comparator", f"{q.comparator!r} is not a result comparator: not imported")
            return None
    _, unit = ucum_unit(ctx, e, f, q)  # an unusable unit is kept as written: rules say it is unusable
    return Observation(**coded(codings), date=when, value=float(q.value), unit=unit, comparator=comparator)


def _from_integer(ctx: ImportContext, e: Entry, prefix: str, v: Any, codings: list[Coding], when: dt.date) -> Observation | None:
    return Observation(**coded(codings), date=when, value=float(v))


def _from_concept(ctx: ImportContext, e: Entry, prefix: str, cc: Any, codings: list[Coding], when: dt.date) -> Observation | None:
    """A coded result; a scored answer as its score."""
    field_name = prefix + "valueCodeableConcept"
    scored, answers = answers_of(codings, cc)
    if answers:
        answer = one_score(ctx, e, field_name, answers)
        return None if answer is None else Observation(
            **coded(codings), date=when, value=float(answer[1]), answer=answer[0])
    if scored is not None:
        ctx.warn(e, field_name, f"no answer of the {scored.name} list: read as a coded result, not as a score")
    result = coded_result(cc)
    if result is None:
        ctx.warn(e, prefix + "valueCodeableConcept", "no code, display or text: not imported")
        return None
    if len(result) > RESULT_MAX:
        ctx.warn(e, prefix + "valueCodeableConcept", f"result text longer than {RESULT_MAX} characters: not imported")
        return None
    return Observation(**coded(codings), date=when, result=result)


def _from_string(ctx: ImportContext, e: Entry, prefix: str, v: Any, codings: list[Coding], when: dt.date) -> Observation | None:
    s = v.strip()
    if not s or len(s) > RESULT_MAX or "\n" in s:
        ctx.warn(e, prefix + "valueString", f"not a simple result (empty, multi-line or over {RESULT_MAX} characters): not imported")
        return None
    return Observation(**coded(codings), date=when, result=s)


_READERS: dict[str, Callable[[ImportContext, Entry, str, Any, list[Coding], dt.date], Observation | None]] = {
    "valueQuantity": _from_quantity,
    "valueInteger": _from_integer,
    "valueCodeableConcept": _from_concept,
    "valueString": _from_string,
}


def coded_result(cc: Any) -> str | None:
    """A coded result as the profile's words (positive, negative, detected, ...) when SNOMED CT
    or HL7 interpretation codes say it; else the concept's text; else `system:code`."""
    for system, code in codes(cc):
        if system == fc.SNOMED and code in fc.SNOMED_RESULTS:
            return fc.SNOMED_RESULTS[code]
        if system == fc.V3_INTERPRETATION and code in fc.V3_RESULTS:
            return fc.V3_RESULTS[code]
    t = concept_text(cc)
    if t:
        return t
    for system, code in codes(cc):
        if code:
            return f"{fc.SYSTEMS.get(system or '', system or 'code')}:{code}"
    return None
