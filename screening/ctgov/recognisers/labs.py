"""Lab and vital-sign thresholds with units: 'Hemoglobin ≥ 9 g/dL', 'Serum creatinine of 2.0 mg/dl
or less', 'platelet count of 100,000 per cu mm or more', 'BMI <18 or >35 kg/m2', '>100.4 °F'.

The item's text is cut into analyte segments (an analyte mention up to the next analyte or the end
of its clause); a segment whose thresholds all have a unit convertible to the value set's unit is
drafted as a `latest:` definition. A threshold without a unit is never drafted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from screening.core.units import UnitError, factor, parse_molar_mass
from screening.ctgov.recognisers.base import Finding, ItemText
from screening.ctgov.thresholds import Comparison, comparisons, quantity
from screening.ctgov.value_sets import canonical_unit, molar_mass


@dataclass(frozen=True)
class Analyte:
    slug: str
    pattern: re.Pattern[str]
    value_set: str | None  # None: the analyte is not drafted, its mention only ends another's segment


def _analyte(slug: str, pattern: str, value_set: str | None) -> Analyte:
    return Analyte(slug, re.compile(pattern, re.IGNORECASE), value_set)


ANALYTES: list[Analyte] = [
    _analyte("creatinine", r"(?:serum\s+)?creatinine(?!\s*clearance)", "creatinine"),
    _analyte("bilirubin", r"(?:total\s+)?bilirubin", "total_bilirubin"),
    _analyte("hemoglobin", r"ha?emoglobin|\bhgb\b|\bhb\b", "hemoglobin"),
    _analyte("platelets", r"platelets?(?:\s+count)?|\bplt\b", "platelets"),
    _analyte("wbc", r"(?:total\s+)?wh(?:i)?te\s+blood\s+cells?(?:\s+count)?(?:\s*\(WBC\))?|\bwbc\b|leukocytes?",
             "leukocytes"),
    _analyte("anc", r"absolute\s+neutrophil\s+count(?:\s*\(ANC\))?|\banc\b|neutrophils?", "neutrophils"),
    _analyte("lvef", r"(?:left\s+ventricular\s+)?ejection\s+fraction(?:\s*\(LVEF\))?|\blvef\b", "lvef"),
    _analyte("bmi", r"\bBMI\b|body\s+mass\s+index(?:\s*\(BMI\))?", "bmi"),
    _analyte("temperature", r"(?:oral\s+|body\s+)?temperature", "body_temperature"),
    _analyte("heart_rate", r"heart\s+rate|pulse(?:\s+rate)?", "heart_rate"),
    _analyte("respiratory_rate", r"respiratory\s+rate", "respiratory_rate"),
    _analyte("systolic_bp", r"systolic(?:\s+blood\s+pressure)?", "systolic_bp"),
    _analyte("diastolic_bp", r"diastolic(?:\s+blood\s+pressure)?", "diastolic_bp"),
    _analyte("other", r"\b(?:SGOT|SGPT|ALT|AST|alkaline\s+phosphatase|sodium|potassium|glucose|granulocytes|"
                      r"creatinine\s+clearance|INR|albumin)\b", None),
]
COUNTS_PER_UL = "10*3/uL"  # counts are stated as thousands per microlitre
_COUNT_UNITS = ("/mm3", "/uL", "10*9/L")
_FIRST_THRESHOLD_WITHIN = 45  # characters from the analyte's mention to its first threshold
_SEGMENT_END = re.compile(r";|\.\s|\.$|,\s+(?=[A-Za-z])|\n")
_OR = re.compile(r"\bor\b")
_ALTERNATIVE_AFTER = re.compile(r"\s*,?\s*(?:or|and/or)\b")
_ALTERNATIVE_BEFORE = re.compile(r"\b(?:or|and/or)\s*$")
_NO_WINDOW = "; no time window is stated: the most recent value of any date is used (set `within:` on review)"


@dataclass(frozen=True)
class _Segment:
    analyte: Analyte
    start: int
    stop: int


@dataclass(frozen=True)
class _Bound:
    op: str
    quantity: Any
    note: str  # the threshold as read, with any conversion


def _segments(text: str) -> list[_Segment]:
    """Analyte mentions with the stretch of text that belongs to each (up to the next analyte,
    a semicolon, a sentence end, or a comma followed by a word)."""
    hits: list[tuple[int, int, Analyte]] = []
    for analyte in ANALYTES:
        for m in analyte.pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _ in hits):
                continue
            hits.append((m.start(), m.end(), analyte))
    hits.sort(key=lambda h: (h[0], h[1]))
    out = []
    for i, (s, e, analyte) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        end = _SEGMENT_END.search(text[e:stop])
        out.append(_Segment(analyte, s, e + end.start() if end else stop))
    return out


def _bound(c: Comparison, unit: str, canonical: str, mass: str | None) -> _Bound | None:
    """One threshold in the value set's terms: °F converted to °C, counts to 10*3/uL; other units
    are kept as stated once they are known to convert. None when the unit does not convert."""
    if unit == "[degF]" and canonical == "Cel":
        celsius = round((c.value - 32) * 5 / 9, 1)
        return _Bound(c.op, quantity(celsius, "Cel"), f"{c.raw.strip()} = {celsius:g} °C")
    try:
        k = factor(unit, canonical, parse_molar_mass(mass) if mass else None)
    except UnitError:
        return None
    if unit in _COUNT_UNITS:
        value = float(f"{c.value * k:.9g}")
        return _Bound(c.op, quantity(value, canonical), f"{c.raw.strip()} = {value:g} x 10^3/uL")
    return _Bound(c.op, quantity(c.value, unit), c.raw.strip() + ("" if c.unit else f" ({unit})"))


def _bounds(cmps: list[Comparison], value_set: str) -> list[_Bound] | None:
    """Every threshold of a segment, or None if one has no unit or one that does not convert.
    A trailing unit applies to every bound ('BMI <18 or >35 kg/m2')."""
    canonical, mass, shared = canonical_unit(value_set), molar_mass(value_set), cmps[-1].unit
    out = []
    for c in cmps:
        unit = c.unit or shared
        bound = _bound(c, unit, canonical, mass) if unit is not None else None
        if bound is None:
            return None
        out.append(bound)
    return out


def _definition(value_set: str, bounds: list[_Bound], alternative: bool) -> dict[str, Any] | None:
    """`latest:` with every bound, or `any:` of one `latest:` a bound when they are alternatives;
    None when two bounds share an operator (not one range)."""
    if alternative:
        return {"any": [{"latest": {"code": value_set, b.op: b.quantity}} for b in bounds]}
    spec: dict[str, Any] = {"code": value_set}
    for b in bounds:
        if b.op in spec:
            return None
        spec[b.op] = b.quantity
    return {"latest": spec}


def _qualified(item: ItemText, start: int, end: int) -> tuple[float, str]:
    """Confidence and the caveats for a threshold at `start`..`end`: lower when it comes from the
    item's notes, lowest when the item offers an alternative ('... or creatinine clearance')."""
    confidence, caveats = 0.8, ""
    if start >= item.notes_start:
        confidence, caveats = 0.6, "; the threshold comes from a note or footnote of the item"
    if _ALTERNATIVE_AFTER.match(item.text[end:]) or _ALTERNATIVE_BEFORE.search(item.text[:start]):
        confidence = min(confidence, 0.4)
        caveats += "; the item offers an alternative ('or ...') that is not part of this definition"
    return confidence, caveats


def _lab_finding(item: ItemText, seg: _Segment) -> Finding | None:
    value_set = seg.analyte.value_set
    if value_set is None:
        return None
    text = item.text[seg.start:seg.stop]
    cmps = comparisons(text, counting=canonical_unit(value_set) == COUNTS_PER_UL)
    if not cmps or cmps[0].start > _FIRST_THRESHOLD_WITHIN:
        return None
    bounds = _bounds(cmps, value_set)
    if bounds is None:
        return None
    alternative = len(bounds) > 1 and _OR.search(text[cmps[0].start:cmps[-1].end]) is not None
    when = _definition(value_set, bounds, alternative)
    if when is None:
        return None
    end = seg.start + cmps[-1].end
    confidence, caveats = _qualified(item, seg.start, end)
    reading = (f"{seg.analyte.slug.replace('_', ' ')}: " + (" or " if alternative else " and ").join(
        b.note for b in bounds) + _NO_WINDOW + caveats)
    return Finding(seg.analyte.slug, when, text[:cmps[-1].end].strip(), confidence, reading, seg.start, end,
                   [value_set])


def recognise_labs(item: ItemText) -> list[Finding]:
    """One finding per analyte segment whose thresholds all have a convertible unit."""
    return [f for seg in _segments(item.text) if (f := _lab_finding(item, seg)) is not None]
