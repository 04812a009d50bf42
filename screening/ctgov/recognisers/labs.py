"""Lab and vital-sign thresholds with units: 'Hemoglobin ≥ 9 g/dL', 'Serum creatinine of 2.0 mg/dl
or less', 'platelet count of 100,000 per cu mm or more', 'BMI <18 or >35 kg/m2', '>100.4 °F',
'CRP > 50 and < 150 mg/l', 'BMI of 18 to 35 kg/m2', 'eGFR < 30 mL/min/1.73m^2', 'BP > 140/90 mmHg'.

The item's text is cut into analyte segments (an analyte mention up to the next analyte or the end
of its clause); a segment whose thresholds all have a unit convertible to the value set's unit is
drafted as a `latest:` definition. A threshold without a unit is never drafted, except on a scale
that has one unit only (INR, SpO2 and LVEF in %, QTc in ms, BMI, rates, blood pressure, PaO2/FiO2 in
mmHg), where the reading says which unit was assumed, and a blood cell count of 1,000 or more ('platelets
< 50,000', 'ANC >= 1500': per µL, at 0.6); an eGFR in mL/min is read per 1.73 m2 (the
unit eGFR is reported in), at lower confidence. A window stated right after the thresholds ('within
14 days prior to enrolment', or farther in its sentence after words only on how the value was got:
'using values obtained within 30 days') is the latest value's `within:`, after a multiple of the ULN too; one in hours, or after a temperature
(where any fever in it may be meant), leaves the item for review. A threshold stated as a multiple
of the upper limit of normal is drafted as one (`le: 2.5 x ULN`, at confidence 0.7: the limit comes
from each result's reference range). An analyte joined to the next without a threshold of its own
shares its threshold ('AST/ALT ≤ 2.5 x ULN': both in an inclusion, either in an exclusion), and so
does a list ('AST (SGOT), ALT (SGPT), and total bilirubin ≤ 2.5 X ULN'; joined by commas alone only
for a multiple of the ULN).
A range whose upper bound has an operator of its own ('9 to < 12 g/dL', '7% up to 10%') keeps the number
before it as its lower bound; a blood pressure pair after the systolic's and diastolic's names ('SBP/DBP >=
160/100 mmHg') is read as the pair, and a floor pair under Inclusion ('BP >= 90/60 mmHg') is left for review.
Thresholds that differ by sex ('Creatinine <80 umol/L in females and <106 umol/L in males', 'Hb ≥ 13
g/dL for men, ≥ 12 g/dL for women', 'QTcF > 450 ms (msec) (men) or > 470 msec (women)') become one `any:` of the two sexes with their thresholds.
A window past a transfusion or growth factor ('without transfusion within 14 days') is theirs, not
the value's; a threshold implausible for its analyte (`screening.ctgov.plausible`) is not drafted,
nor shared with an analyte it is implausible for ('Platelets and ANC ≥ 1500/mm3'). What the rest of
the item says of these values (a window for a whole list, support they are got without) is read by
`lab_context`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from screening.core.units import UnitError, convert_value, factor, parse_molar_mass, parse_quantity
from screening.ctgov.plausible import implausible
from screening.ctgov.recognisers.analytes import ANALYTES, KEYWORDS, Analyte, analyte_mentions
from screening.ctgov.recognisers.base import DIGIT as _DIGIT
from screening.ctgov.recognisers.base import Finding, ItemText, blocked, sentence_of
from screening.ctgov.recognisers.lab_lower_bounds import bound_before_name, lower_bound_before
from screening.ctgov.thresholds import (
    NUMBER,
    OP_TEXT,
    UNIT_RE,
    Comparison,
    comparisons,
    no_value_meets_both,
    parse_number,
    quantity,
    ranges,
    ucum_unit,
    uln_multiples,
)
from screening.ctgov.value_sets import canonical_unit, conversion, molar_mass
from screening.ctgov.windows import Window, windows

COUNTS_PER_UL = "10*3/uL"  # counts are stated as thousands per microlitre
_COUNT_UNITS = ("/mm3", "/uL", "10*9/L")
# a cell count of 1,000 or more without a unit ('platelets < 50,000', 'ANC >= 1500'): per µL (per mm3), since in
# 10^9/L or 10^3/µL no count threshold is that large
_COUNT_NOTE = "; no unit is stated: a cell count of 1,000 or more is read per µL (per mm3)"
_ENZYMES = ("ast", "alt", "ldh")
_FIRST_THRESHOLD_WITHIN = 45  # characters from the analyte's mention to its first threshold
_SEGMENT_END = re.compile(r";|\.\s|\.$|,\s+(?=[A-Za-z])|\n|\s(?=(?:for|in)\s+(?:individuals|patients|subjects|participants|"
                          r"those|children|adults|women|men)\b|if\s|unless\s)")
# an alternative between two thresholds ('<18 or >35'), not an 'or' inside an operator ('greater than or equal
# to 9 g/dL and less than or equal to 16 g/dL', 'equal to or less than', '> or =') or a word after a number
# ('100,000/mm^3 or more and ...', '9 g/dL or above'); a word that takes its own number is the alternative's operator
# ('below 50 or above 100')
_OR = re.compile(r"(?<!equal )(?<!equal to )\bor\b(?!\s*(?:equal\b|=)|\s+(?:more|less|greater|higher|lower|"
                 r"fewer)\b(?!\s+than\b)|\s+(?:above|below|over|under)\b(?!\s+than\b|\s*[<>≤≥]?\s*\d))",
                 re.IGNORECASE)
# a label with its own colon after a threshold ('glucose <126 mg/dl and 2 hour: 140 - 199 mg/dl or >200
# mg/dl'): the thresholds after it are another measure's
_LABEL = re.compile(r":\s")
_DURATION = re.compile(r"\s*(?:years?|months?|weeks?|days?|hours?|hrs?|h)\b", re.IGNORECASE)  # an age or a time, not a lab
# a bare number joined to a threshold: the next measure's ('Systolic and diastolic BP < 140 and 90 mmHg', 'WBC and ANC
# >= 3000 and 1500/mm3 respectively'), not a time ('... and 28 days') nor the next threshold's ('and <= 16 g/dL'), nor
# the same value in another unit ('>100.4 °F/38.0 °C') or the unit's own number ('mL/min/1.73 m2')
_PAIRED_NUMBER = re.compile(rf"\s*(?:,|and|or)\s*{NUMBER}(?![\d.,])(?![\s-]*(?:years?|months?|weeks?|days?|hours?|hrs?|h|"
                            r"times|x|×|fold)\b)", re.IGNORECASE)
_HIGH_SYSTOLIC = 120  # a pair's systolic from which a lower bound is a hypertension's ('> 140/90'), not a floor ('>= 90/60')
# a systolic/diastolic pair: before its unit ('140/90 mmHg'), or with none where no other unit follows ('< 140/90',
# '140/90 at screening'; not '2/3 readings', a date's '12/2019' or '100/150 mg')
_BP_PAIR = re.compile(r"(?<![\d.,/])(?P<sys>\d{2,3})\s*/\s*(?P<dia>\d{2,3})(?:(?=\s*(?P<unit>mm\s*hg|millimet))|"
                      r"(?![\d.,/]|\s*(?:%|[uµμ]?(?:g|mol|l)\b|m(?:g|mol|l|in|s|eq)\b|sec|kg|cm|iu|units?\b|/)))",
                      re.IGNORECASE)
# a threshold followed by the sex it applies to: '<80 umol/L in females', '≥ 13 g/dL for men', '> 450 ms
# (msec) (men)' (a unit's abbreviation in parentheses between them)
_FOR_SEX = re.compile(r"^\s*(?:\(\s*[A-Za-z/.]{1,12}\s*\)\s*)?\(?(?:in|for|among)?\s*(?:the\s+)?"
                      r"(?P<sex>females?|women|woman|males?|men|man)\b\)?", re.IGNORECASE)
# or the other sex's threshold in a bracket right after one: '55kg or higher(female: 50kg or higher)', '>= 55 kg (for
# women, >= 50 kg)': the first is the other sex's
_SEX_BRACKET = re.compile(r"\s*\(\s*(?:(?:in|for)\s+)?(?P<sex>females?|women|woman|males?|men|man)\s*[:,]?\s*", re.IGNORECASE)
_CLOSING = re.compile(r"\s*\)")
_SEX_WORD = re.compile(r"\b(?:fe)?males?\b|\b(?:wo)?m[ae]n\b", re.IGNORECASE)
_SEX_JOIN = re.compile(r"\s*(?:,|;|/)?\s*(?:and|or|but)?\s*", re.IGNORECASE)
_SEXED_WITHIN = 90  # characters from the analyte's mention to the end of its second sex-specific threshold
# a time window right after the threshold: 'Hb ≥ 9 g/dL within 14 days prior to enrolment'
_WINDOW_AFTER = 25  # characters from the threshold to its window
# ... or farther in its sentence, when all that comes between says how the value was got ('either
# measured or estimated* using values obtained within 30 days', ', by Cockcroft-Gault, measured within
# 28 days'); another word ('without transfusion performed within 14 days') keeps the window its own
_WINDOW_AFTER_SAMPLE = 80
_HOW_GOT = re.compile(r"(?:[\s,*()]|\b(?:either|or|and|measured|estimated|calculated|using|values?|samples?|results?|"
                      r"tests?|labs?|laboratory|obtained|drawn|collected|performed|done|taken|by|from|a|an|the|on|"
                      r"blood|serum|plasma|Cockcroft[\s-]*Gault|formula|method|equation|MDRD|CKD-EPI|"
                      # read from a record: '(via clinical record within the past 6 months)', 'per medical records'
                      r"via|per|medical|clinical|health|hospital|electronic|records?|charts?)\b)*", re.IGNORECASE)
# a method of measurement named right after the thresholds ('by ECHO or MUGA', 'as measured by echocardiography',
# '(Cockcroft-Gault)', 'using the CKD-EPI equation'): the value is still the analyte's latest, of whatever method
_METHOD = (r"(?:trans-?thoracic\s+)?echo(?:cardiogram|cardiography)?|ECHO|TTE|MUGA(?:\s+scan)?|"
           r"multi-?gated\s+(?:radionuclide\s+)?(?:acquisition|angiography)(?:\s+scan)?|radionuclide\s+ventriculography|"
           r"(?:cardiac\s+)?(?:MRI|magnetic\s+resonance(?:\s+imaging)?)|CMR|"
           r"Cockcroft[\s-]*(?:and\s+)?Gault|MDRD|CKD[\s-]?EPI|(?:modified\s+)?Schwartz|"
           r"(?:the\s+)?(?:local|central|institutional|site)\s+lab(?:orator(?:y|ies))?|24[\s-]*h(?:ou)?r?s?\s+urine(?:\s+collection)?")
_METHOD_TAIL = rf"(?:the\s+)?(?:{_METHOD})(?:'s)?(?:\s+(?:formula|equation|method|scan|assessment|calculation))?"
_METHOD_AFTER = re.compile(rf"\s*,?\s*(?:\(\s*(?:(?:as\s+)?(?:measured|assessed|determined|estimated|calculated|"
                           rf"documented)\s+)?(?:(?:by|using|via|per|on|with)\s+)?{_METHOD_TAIL}(?:\s*(?:,|or|and|and/or|/)\s*"
                           rf"{_METHOD_TAIL})*\s*\)|(?:as\s+)?(?:(?:measured|assessed|determined|estimated|calculated|"
                           rf"documented)\s+)?(?:by|using|via|per|on|according\s+to)\s+{_METHOD_TAIL}"
                           rf"(?:\s*(?:,|or|and|and/or|/)\s*{_METHOD_TAIL})*)", re.IGNORECASE)
_SAMPLED_WORD = re.compile(r"\b(?:obtained|drawn|collected|taken|performed|done|measured|records?|charts?)\b",
                           re.IGNORECASE)
_SAMPLED = re.compile(r"\b(?:obtained|drawn|collected|taken|performed|done|measured|records?|charts?)[\s,*()]*$",
                      re.IGNORECASE)
# a window in hours: 'within the last 24 hours', '72 hours before the vaccine'
_HOURS = re.compile(r"^[^;.]{0,25}?(?:\b(?:within|in|during|over)\s+(?:the\s+)?(?:past|last|previous|prior|preceding)?\s*"
                    r"\d*\s*(?:hours?|hrs?)\b|\b\d+\s*(?:hours?|hrs?|h)\s+(?:before|prior|preceding|ahead)\b)",
                    re.IGNORECASE)
# support that makes a value what it is: a value required without it is not computable from the value alone
SUPPORT = re.compile(r"\btransfus\w*|\bgrowth[\s-]+factors?\b|\b(?:GM?)-?CSF\b|\b(?:peg)?filgrastim\b|\berythropoie\w*|"
                     r"\bESAs?\b|\bdarbepoetin\b|\bthrombopoie\w*|\bromiplostim\b|\beltrombopag\b|\bblood\s+products?\b",
                     re.IGNORECASE)
NO_WINDOW = "; no time window is stated: the most recent value of any date is used (set `within:` on review)"
_ULN_NOTE = "a multiple of the upper limit of normal without a comparison, or several: left to the reader"
_ULN_READING = ("; the upper limit is the result's own reference range (or the value set's `reference_range`, "
                "which the draft does not set: add the site's range)")
# a mention without a threshold joined to the next analyte's ('AST/ALT ≤ 2.5 x ULN', 'ALT or AST > 5 x ULN')
# ... or in a list, an analyte's other name in brackets included ('AST (SGOT), ALT (SGPT), and total bilirubin')
_JOINER = re.compile(r"[\s,()]*(?:(?:/|&|or|and|and/or)[\s()]*)?", re.IGNORECASE)  # '&' is 'and'


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
    value: float | None = None  # in the value set's unit, where it converts to it




def _segments(text: str) -> list[_Segment]:
    """Analyte mentions with the stretch of text that belongs to each (up to the next analyte,
    a semicolon, a sentence end, or a comma followed by a word). At one place the earlier analyte
    of `ANALYTES` is read ('creatinine clearance' before 'creatinine')."""
    hits = analyte_mentions(text)
    out = []
    for i, (s, e, analyte) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        end = _SEGMENT_END.search(text[e:stop])
        out.append(_Segment(analyte, s, e + end.start() if end else stop))
    return out


def _unit_for(analyte: Analyte, unit: str) -> str:
    """Enzyme activity stated in international units is the same quantity in U/L."""
    return "U/L" if analyte.slug in _ENZYMES and unit == "[IU]/L" else unit


def _bound(c: Comparison, unit: str, value_set: str) -> _Bound | None:
    """One threshold in the value set's terms: °F converted to °C, counts to 10*3/uL; other units
    are kept as stated once they are known to convert. None when the unit does not convert."""
    canonical, mass = canonical_unit(value_set), molar_mass(value_set)
    if value_set == "egfr" and unit == "mL/min":  # eGFR is reported per 1.73 m2: 'eGFR < 30 mL/min' means it
        return _Bound(c.op, quantity(c.value, canonical), f"{c.raw.strip()} (read as mL/min/1.73 m2)")
    if unit == "[degF]" and canonical == "Cel":
        celsius = round((c.value - 32) * 5 / 9, 1)
        return _Bound(c.op, quantity(celsius, "Cel"), f"{c.raw.strip()} = {celsius:g} °C", celsius)
    try:
        k = factor(unit, canonical, parse_molar_mass(mass) if mass else None)
    except UnitError:
        if conversion(value_set) and unit == "mmol/mol":
            return _Bound(c.op, quantity(c.value, unit), c.raw.strip() + " (IFCC; the value set converts to NGSP %)")
        return None
    if unit in _COUNT_UNITS:
        value = float(f"{c.value * k:.9g}")
        return _Bound(c.op, quantity(value, canonical), f"{c.raw.strip()} = {value:g} x 10^3/uL", value)
    return _Bound(c.op, quantity(c.value, unit), c.raw.strip() + ("" if c.unit else f" ({unit})"), c.value * k)


def _bounds(cmps: list[Comparison], seg: _Segment) -> tuple[list[_Bound], str] | str:
    """Every threshold of a segment, and a note on an assumed unit; or why they cannot be drafted.
    A trailing unit applies to every bound ('BMI <18 or >35 kg/m2')."""
    value_set = seg.analyte.value_set
    assert value_set is not None
    shared = next((c.unit for c in reversed(cmps) if c.unit), None)
    note = ""
    if shared is None and seg.analyte.default_unit:
        shared = seg.analyte.default_unit
        note = f"; no unit is stated: read as {shared if shared != '1' else 'a ratio without unit'}"
    elif shared is None and canonical_unit(value_set) == "10*3/uL" and cmps and all(c.value >= 1000 for c in cmps):
        shared, note = "/uL", _COUNT_NOTE  # 'platelets < 50,000': a count per µL, in no other unit that large
    out = []
    for c in cmps:
        unit = c.unit or shared
        if unit is None:
            return "no unit is stated"
        bound = _bound(c, _unit_for(seg.analyte, unit), value_set)
        if bound is None:
            return f"the unit {unit} does not convert to {canonical_unit(value_set)}"
        why = implausible(value_set, bound.value, bound.note)
        if why:
            return why
        out.append(bound)
        if bound.note.endswith("(read as mL/min/1.73 m2)") and "read as" not in note:
            note += "; eGFR is stated in mL/min: read as per 1.73 m2, the unit eGFR is reported in"
    return out, note


# the same threshold restated in another unit in brackets right after it ('HbA1c > 47 mmol/mol (> 6.4%)',
# 'Haemoglobin >= 9 g/dL (>= 90 g/L)'): one threshold, read in the value set's unit where one of them is stated in it
_OPEN = re.compile(r"\s*\(\s*")
_CLOSE = re.compile(r"\s*\)")
_RESTATED_WITHIN = 0.03  # the relative difference a restated threshold's rounding leaves ('47 mmol/mol' is 6.45 %)


def _restated(text: str, cmps: list[Comparison], bounds: list[_Bound], value_set: str) -> list[_Bound] | None:
    """The one bound of two that state the same threshold in two units, the second in brackets; else None."""
    if len(bounds) != 2 or len(cmps) != 2 or bounds[0].op != bounds[1].op \
            or not _OPEN.fullmatch(text, cmps[0].end, cmps[1].start) or not _CLOSE.match(text, cmps[1].end):
        return None
    return _one_threshold(bounds, value_set)


def _one_threshold(bounds: list[_Bound], value_set: str) -> list[_Bound] | None:
    """The bound in the value set's unit of two that state the same threshold (within rounding); else None."""
    canonical, mass = canonical_unit(value_set), molar_mass(value_set)
    try:
        values = [convert_value(*parse_quantity(b.quantity), canonical, parse_molar_mass(mass) if mass else None,
                                conversion(value_set)).value for b in bounds]
    except (UnitError, ValueError, TypeError):
        return None
    if not values[0] or abs(values[0] - values[1]) > _RESTATED_WITHIN * abs(values[0]):
        return None
    return [next((b for b in bounds if parse_quantity(b.quantity)[1] == canonical), bounds[0])]


# the threshold restated in brackets with no operator of its own ('HbA1c above 48 mmol/mol (or 6.5%)', '... 6.5% (48
# mmol/mol)', 'Hemoglobin >= 90 g/L (9 g/dL)'): the same threshold in another unit, read as first written (an HbA1c
# in the value set's per cent, as a restatement with its operator is read)
_BARE_RESTATED = re.compile(rf"\s*\(\s*(?:or\s+|i\.\s?e\.,?\s*|=\s*)?(?P<num>{NUMBER})\s*(?P<unit>{UNIT_RE})\s*\)",
                            re.IGNORECASE)


def _bare_restatement(text: str, cmps: list[Comparison], bounds: list[_Bound], seg: _Segment) -> tuple[list[_Bound], int] | str | None:
    """The one threshold and where its restatement ends, when the only threshold is restated in brackets with no
    operator; why not, when the bracket states another threshold; None when there is no such bracket."""
    bare = _BARE_RESTATED.match(text, cmps[-1].end) if len(cmps) == 1 and len(bounds) == 1 else None
    unit = ucum_unit(bare.group("unit")) if bare is not None else None
    if bare is None or unit is None:
        return None
    value_set = seg.analyte.value_set
    assert value_set is not None
    c = Comparison(cmps[0].op, parse_number(bare.group("num")), unit, bare.start("num"), bare.end("unit"),
                   f"{OP_TEXT.get(cmps[0].op, '')} {bare.group('num')} {bare.group('unit')}")
    other = _bound(c, _unit_for(seg.analyte, unit), value_set)
    one = None if other is None else _one_threshold([bounds[0], other], value_set)
    if one is None:
        return f"the bracket after it states another threshold ('{bare.group(0).strip()}')"
    # read in the first writing, but for a value set that converts by its own scale (HbA1c's IFCC mmol/mol and NGSP %)
    return (one if conversion(value_set) else bounds[:1]), bare.end()


def _no_value_between(bounds: list[_Bound]) -> bool:
    """Whether two bounds in opposite directions leave no value meeting both ('below 20 and above 30 kg/m2'): under
    Exclusion a value outside the range, either bound excluding (the 'and' of 'those below 20 and those above 30')."""
    if len(bounds) != 2 or bounds[0].value is None or bounds[1].value is None \
            or {b.op[0] for b in bounds} != {"g", "l"}:
        return False
    lower, upper = (bounds[0], bounds[1]) if bounds[0].op[0] == "g" else (bounds[1], bounds[0])
    assert lower.value is not None and upper.value is not None
    return no_value_meets_both(lower.value, lower.op == "gt", upper.value, upper.op == "lt")


_AND_ONLY = re.compile(r"\s*(?:and|&)\s*", re.IGNORECASE)


def _joined(item: ItemText, bounds: list[_Bound], between: str, gap: str) -> tuple[bool, bool] | None:
    """Whether the bounds are alternatives ('<18 or >35'), and whether they are so only because no value meets both
    ('below 20 and above 30' under Exclusion, nothing but 'and' between them); None when no value meets both
    otherwise (under Inclusion, or with more said between them: 'above 12 at baseline and below 10 after ...')."""
    if len(bounds) > 1 and _OR.search(between) is not None:
        return True, False
    if not _no_value_between(bounds):
        return False, False
    return (True, True) if item.kind == "exclusion" and _AND_ONLY.fullmatch(gap) else None


def _definition(value_set: str, bounds: list[_Bound], alternative: bool) -> dict[str, Any] | str:
    """`latest:` with every bound, or `any:` of one `latest:` a bound when they are alternatives
    in opposite directions ('<18 or >35'); why not, when two bounds share a direction."""
    directions = {b.op[0] for b in bounds}
    if alternative:
        if len(directions) != len(bounds):
            return "it states alternative thresholds in the same direction ('or ...')"
        return {"any": [{"latest": {"code": value_set, b.op: b.quantity}} for b in bounds]}
    spec: dict[str, Any] = {"code": value_set}
    for b in bounds:
        if b.op in spec or len(directions) != len(bounds):
            return "it states two thresholds in the same direction"
        spec[b.op] = b.quantity
    if "ge" in spec and "le" in spec:
        spec["between"] = [spec.pop("ge"), spec.pop("le")]
    return {"latest": spec}


def _confidence(item: ItemText, start: int, note: str, outside: bool = False) -> tuple[float, str]:
    """Lower when the threshold comes from the item's notes, or its unit was assumed (lowest for a
    cell count read per µL), or two bounds joined by 'and' were read as either ('below 20 and above 30')."""
    confidence, caveats = 0.8, note
    if outside:
        confidence, caveats = 0.7, caveats + "; no value meets both bounds: their 'and' read as 'or'"
    if start >= item.notes_start:
        confidence, caveats = 0.6, caveats + "; the threshold comes from a note or footnote of the item"
    if note:
        confidence = min(confidence, 0.6 if _COUNT_NOTE in note else 0.7)
    return confidence, caveats


def _uln_finding(item: ItemText, seg: _Segment, text: str) -> Finding | None:
    """'AST ≤ 2.5 x ULN': the latest value as a multiple of the upper limit of its normal range."""
    multiples = uln_multiples(text)
    if not multiples:
        return None
    u = multiples[0]
    what = f"{seg.analyte.slug.replace('_', ' ')} {OP_TEXT.get(u.op or '', '')} {u.factor:g} x ULN".replace("  ", " ")
    end = seg.start + u.end
    if u.op is None or seg.analyte.value_set is None or len(multiples) > 1 or u.start > _FIRST_THRESHOLD_WITHIN:
        return blocked(seg.analyte.slug, f"{what} ('{text[:u.end].strip()}'): {_ULN_NOTE}", item.text, seg.start, end)
    when = {"latest": {"code": seg.analyte.value_set, u.op: f"{u.factor:g} x ULN"}}
    window = _stated_window(item, seg, seg.start + u.end)
    if isinstance(window, str):
        return blocked(seg.analyte.slug, f"{what}: {window}", item.text, seg.start, end)
    said = NO_WINDOW
    if window is not None:
        _add_window(when, window)
        end += window.end
        said = f"; the latest value within {window.duration}, the window the text states"
    return Finding(seg.analyte.slug, when, item.text[seg.start:end].strip(), 0.7, what + _ULN_READING + said,
                   seg.start, end, [seg.analyte.value_set], topic=seg.analyte.pattern.pattern)


def _blood_pressure(item: ItemText, seg: _Segment, text: str) -> Finding | None:
    """'BP > 140/90 mmHg': systolic and diastolic bounds; either excludes, both are required."""
    m = _BP_PAIR.search(text)
    cmps = comparisons(text)
    if not m or not cmps or cmps[0].end < m.start() or cmps[0].start > m.start():
        return None
    op = cmps[0].op
    if item.kind == "inclusion" and op in ("gt", "ge") and int(m.group("sys")) < _HIGH_SYSTOLIC:
        # 'BP >= 90/60 mmHg' under Inclusion: a floor both may have to reach, or either (as 'BP > 140/90', a
        # hypertension either number shows): not read
        return blocked(seg.analyte.slug, f"blood pressure {OP_TEXT[op]} {m.group('sys')}/{m.group('dia')} mmHg required: "
                       "whether both or either must reach it is left to the reader", item.text, seg.start,
                       seg.start + m.end())
    parts = [{"latest": {"code": "systolic_bp", op: f"{m.group('sys')} mm[Hg]"}},
             {"latest": {"code": "diastolic_bp", op: f"{m.group('dia')} mm[Hg]"}}]
    joined = "any" if item.kind == "exclusion" or op in ("gt", "ge") else "all"
    unit = re.match(r"\s*\S+", text[m.end():]) if m.group("unit") else None
    end = seg.start + m.end() + (len(unit.group(0)) if unit else 0)
    reading = (f"blood pressure {OP_TEXT[op]} {m.group('sys')}/{m.group('dia')} mmHg: systolic "
               f"{'or' if joined == 'any' else 'and'} diastolic" + NO_WINDOW
               + ("" if unit else "; no unit is stated: read as mm[Hg]"))
    return Finding("blood_pressure", {joined: parts}, item.text[seg.start:end].strip(), 0.7, reading, seg.start, end,
                   ["systolic_bp", "diastolic_bp"])


def _by_sex(item: ItemText, seg: _Segment) -> Finding | None:
    """Two thresholds, each followed by the sex it applies to ('<80 umol/L in females and <106
    umol/L in males'): `any:` of each sex with its threshold. None when the text is not so."""
    value_set = seg.analyte.value_set
    assert value_set is not None
    text = item.text[seg.start:seg.start + _SEXED_WITHIN]
    if not _SEX_WORD.search(text):
        return None
    counting = canonical_unit(value_set) == COUNTS_PER_UL
    cmps = [c for c in comparisons(text, counting=counting) if not _DURATION.match(text[c.end:])][:2]
    if len(cmps) != 2:
        return None
    bracket = _SEX_BRACKET.fullmatch(text, cmps[0].end, cmps[1].start)
    closing = _CLOSING.match(text, cmps[1].end)
    if bracket is not None and closing is not None:  # '55 kg or higher (female: 50 kg or higher)': the other sex first
        female = [bracket.group("sex").lower()[0] not in "fw", bracket.group("sex").lower()[0] in "fw"]
        end = closing.end()
    else:
        sexes = [_FOR_SEX.match(text[c.end:]) for c in cmps]
        if not all(sexes):
            return None
        female = [m.group("sex").lower()[0] in "fw" for m in sexes if m is not None]
        first_end, end = cmps[0].end + sexes[0].end(), cmps[1].end + sexes[1].end()  # type: ignore[union-attr]
        if female[0] == female[1] or not _SEX_JOIN.fullmatch(text[first_end:cmps[1].start]):
            return None
    read = _bounds(cmps, seg)  # a unit stated once applies to both
    if isinstance(read, str):
        return blocked(seg.analyte.slug, f"'{text[:end].strip()}': {read}", item.text, seg.start, seg.start + end)
    bounds, note = read
    parts, notes = [], []
    for bound, is_female in zip(bounds, female, strict=True):
        sex = "female" if is_female else "male"
        parts.append({"all": [{"sex": [sex]}, {"latest": {"code": value_set, bound.op: bound.quantity}}]})
        notes.append(f"{bound.note} for {'women' if is_female else 'men'}{note}")
    confidence, caveats = _confidence(item, seg.start, "")
    reading = f"{seg.analyte.slug.replace('_', ' ')}: " + " and ".join(notes) + NO_WINDOW + caveats
    return Finding(seg.analyte.slug, {"any": parts}, text[:end].strip(), min(confidence, 0.7), reading, seg.start,
                   seg.start + end, [value_set], accounts_for=frozenset({"scope", "scope_female", "sex_label"}),
                   topic=seg.analyte.pattern.pattern)


def _stated_window(item: ItemText, seg: _Segment, at: int) -> Window | str | None:
    """The time window stated right after the thresholds, which end at `at` (its offsets from
    there), or farther in the sentence after words on how the value was got; why it cannot be
    drafted (hours; a temperature, where any fever in the window may be meant); None without one."""
    after = item.text[at:seg.stop]
    if _HOURS.match(after):
        return "a window in hours is stated, which the rule language does not count in"
    # not past a support: 'without transfusion within 14 days' is the transfusion's window
    window = next((w for w in windows(after) if w.start <= _WINDOW_AFTER and not re.search(r"[;.]", after[:w.start])
                   and not SUPPORT.search(after[:w.start])), None)
    if window is None and _SAMPLED_WORD.search(item.text, at):
        rest = item.text[at:sentence_of(item.text, at)[1]]
        window = next((w for w in windows(rest) if w.start <= _WINDOW_AFTER_SAMPLE and _SAMPLED.search(rest[:w.start])
                       and _HOW_GOT.fullmatch(rest[:w.start])), None)
    if window is not None and seg.analyte.slug == "temperature":
        return f"a window is stated ({window.duration}): any fever in it, or the latest temperature, needs a reading"
    return window


def _special(item: ItemText, seg: _Segment, text: str) -> Finding | None:
    """A multiple of the ULN, a blood pressure pair or thresholds by sex: read apart."""
    uln = _uln_finding(item, seg, text)
    if uln is not None:
        return uln
    if seg.analyte.value_set == "blood_pressure":
        return _blood_pressure(item, seg, text)
    if seg.analyte.value_set in ("systolic_bp", "diastolic_bp") and _BP_PAIR.search(text):
        # a pair after the systolic's or the diastolic's name ('SBP/DBP >= 160/100 mmHg', 'Systolic/diastolic blood
        # pressure > 140/90'): both, each its own number (not the pair's first number for either)
        return _blood_pressure(item, seg, text) or blocked(
            seg.analyte.slug, f"a blood pressure pair ('{text.strip()[:40]}') is not read", item.text, seg.start, seg.stop)
    return _by_sex(item, seg)


def latest_specs(when: Any) -> list[dict[str, Any]]:
    """Every `latest:` of a definition, at any depth."""
    if isinstance(when, list):
        return [s for w in when for s in latest_specs(w)]
    if not isinstance(when, dict):
        return []
    return [when["latest"]] if "latest" in when else [s for v in when.values() for s in latest_specs(v)]


def _add_window(when: dict[str, Any], window: Window) -> None:
    for spec in latest_specs(when):
        spec["within"] = window.duration


# a range restated in another unit in a bracket right after it ('7.0 - 10.5 % (53 - 91 mmol/mol)')
_RESTATED = re.compile(r"\s*\(\s*")


def _thresholds(item: ItemText, seg: _Segment, text: str, value_set: str) -> list[Comparison]:
    """The segment's thresholds (or its first range), none when the first comes too far after the
    analyte's name; those after a label with its colon are another measure's."""
    counting = canonical_unit(value_set) == COUNTS_PER_UL
    cmps = [c for c in comparisons(text, counting=counting) if not _DURATION.match(text[c.end:])]
    if not cmps:
        # read with the rest of its sentence: what follows may say the bounds are excluded ('18-30 kg/m2, limits
        # excluded'); the range itself is the segment's
        wide = item.text[seg.start:max(seg.stop, sentence_of(item.text, seg.start)[1])]
        found = ranges(wide, counting=counting, unitless=seg.analyte.default_unit is not None)
        if len(found) > 1 and found[1][0].start < len(text) \
                and not _RESTATED.fullmatch(wide, found[0][1].end, found[1][0].start):
            return []  # two ranges of it ('40-50% at baseline and 30-40% at week 4'): which holds when, left for review
        cmps = [c for pair in found[:1] for c in pair if c.end <= len(text)]
    if not cmps or cmps[0].start - (_mention_end(item, seg) - seg.start) > _FIRST_THRESHOLD_WITHIN:
        return []
    cmps = lower_bound_before(text, _mention_end(item, seg) - seg.start, cmps, counting) + cmps
    return next((cmps[:i] for i in range(1, len(cmps)) if _LABEL.search(text, cmps[i - 1].end, cmps[i].start)), cmps)


# a GFR estimated by the Cockcroft-Gault formula and stated in mL/min ('GFR <= 50 ml/min (estimated by the Cockcroft
# and Gault formula)'): the formula estimates the creatinine clearance, which is reported in mL/min, not per 1.73 m2
_CREATININE_CLEARANCE = next(a for a in ANALYTES if a.slug == "creatinine_clearance")
_OTHER_FORMULA = re.compile(r"\b(?:MDRD|CKD[\s-]?EPI|Schwartz|Jelliffe|Mayo)\b", re.IGNORECASE)
_PER_MINUTE = re.compile(r"\s*m[lL]\s*/\s*min\b(?!\s*/|\s*per\b)")


def _cockcroft_gault(item: ItemText, seg: _Segment) -> _Segment:
    """The segment read as a creatinine clearance where an eGFR in mL/min is said to be by the Cockcroft-Gault
    formula; else the segment."""
    if seg.analyte.slug != "egfr" or "ockcroft" not in item.text:
        return seg  # (a cheap first look)
    sentence = item.text[seg.start:max(seg.stop, sentence_of(item.text, seg.start)[1])]
    if "ockcroft" not in sentence or "1.73" in sentence or _PER_MINUTE.search(sentence) is None \
            or _OTHER_FORMULA.search(sentence):
        return seg  # (another formula named beside it, 'by Cockcroft-Gault or MDRD': which one, not said)
    return _Segment(_CREATININE_CLEARANCE, seg.start, seg.stop)


def _lab_finding(item: ItemText, seg: _Segment) -> Finding | None:
    seg = _cockcroft_gault(item, seg)
    value_set = seg.analyte.value_set
    text = item.text[seg.start:seg.stop]
    if value_set is None:
        return _uln_finding(item, seg, text)
    special = _special(item, seg, text)
    if special is not None or value_set == "blood_pressure":
        return special
    cmps = _thresholds(item, seg, text, value_set)
    if not cmps:
        return None
    cmps, begin = bound_before_name(item.text, seg.start, cmps, canonical_unit(value_set) == COUNTS_PER_UL)
    end = seg.start + cmps[-1].end
    stated = f"'{item.text[begin:end].strip()}'"
    paired = _PAIRED_NUMBER.match(text, cmps[-1].end)
    if paired is not None:  # 'WBC and ANC >= 3000 and 1500/mm3 respectively': a number for each analyte named
        return blocked(seg.analyte.slug, f"{stated}{paired.group(0)}: a number for each of several measures, which is "
                       "not read", item.text, seg.start, seg.start + paired.end())
    read = _bounds(cmps, seg)
    if isinstance(read, str):
        return blocked(seg.analyte.slug, f"{stated}: {read}", item.text, begin, end)
    bounds, note = read
    last = cmps[-1].end
    restated = _restated(text, cmps, bounds, value_set)
    if restated is not None:  # the restatement's closing bracket is the threshold's too
        bounds, last = restated, _CLOSE.match(text, last).end()  # type: ignore[union-attr]
    bare = _bare_restatement(text, cmps, bounds, seg)
    if isinstance(bare, str):
        return blocked(seg.analyte.slug, f"{stated}: {bare}", item.text, begin, end)
    if bare is not None:
        bounds, last = bare
    joined = _joined(item, bounds, text[cmps[0].start:last], text[cmps[0].end:cmps[-1].start])
    if joined is None:
        return blocked(seg.analyte.slug, f"{stated}: no value meets both its bounds", item.text, begin, end)
    alternative, outside = joined
    when = _definition(value_set, bounds, alternative)
    # how the value is measured, right after the thresholds: 'by ECHO or MUGA', '(Cockcroft-Gault)'
    method = _METHOD_AFTER.match(item.text, seg.start + last, seg.stop)
    stated_at = method.end() - seg.start if method is not None else last
    end = seg.start + stated_at
    window = _stated_window(item, seg, seg.start + stated_at)
    if isinstance(when, str) or isinstance(window, str):
        return blocked(seg.analyte.slug, f"{stated}: {when if isinstance(when, str) else window}", item.text,
                       begin, end)
    confidence, caveats = _confidence(item, seg.start, note, outside)
    stated_until, said = stated_at, NO_WINDOW
    if method is not None:
        caveats += f"; '{method.group(0).strip(' ,()')}': the latest value of any method is read"
    if window is not None:
        _add_window(when, window)
        stated_until += window.end
        end, confidence = seg.start + stated_until, min(confidence, 0.7)
        said = f"; the latest value within {window.duration}, the window the text states"
    reading = (f"{seg.analyte.slug.replace('_', ' ')}: " + (" or " if alternative else " and ").join(dict.fromkeys(b.note for b in bounds))
               + said + caveats)
    return Finding(seg.analyte.slug, when, item.text[begin:seg.start + stated_until].strip(), confidence, reading,
                   begin, end, [value_set],
                   accounts_for=frozenset({"alternative"}) if alternative else frozenset(),
                   topic=seg.analyte.pattern.pattern)


def _mention_end(item: ItemText, seg: _Segment) -> int:
    m = seg.analyte.pattern.match(item.text, seg.start)
    return m.end() if m else seg.start


def _members(when: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
    """A definition as its joiner ('all', 'any', None for one analyte) and its `latest:` members."""
    if "latest" in when:
        return None, [when]
    joiner = "all" if "all" in when else "any"
    parts = when.get(joiner)
    return (joiner, parts) if isinstance(parts, list) and all("latest" in p for p in parts) else (joiner, [])


def _implausible_shared(item: ItemText, seg: _Segment, f: Finding, bounds: dict[str, Any], uln: bool) -> Finding | None:
    """The analyte of `seg` left for review, when the threshold of `f` (in the same unit) is
    implausible for it; None when it may share it (a multiple of the ULN fits any analyte)."""
    value_set = seg.analyte.value_set
    if uln or value_set is None:
        return None
    for op, v in bounds.items():
        if op == "within":
            continue
        for q in v if isinstance(v, list) else [v]:
            value, unit = parse_quantity(q)
            why = implausible(value_set, value * factor(unit, canonical_unit(value_set)), f"{OP_TEXT.get(op, op)} {q}")
            if why:
                return blocked(seg.analyte.slug, f"{seg.analyte.slug.replace('_', ' ')} shares the threshold of "
                               f"{f.span!r}, but {why}", item.text, seg.start, _mention_end(item, seg))
    return None


def _shared(item: ItemText, seg: _Segment, f: Finding) -> Finding | None:
    """The threshold of `f` applied to the analyte of `seg` too, which states none and is joined to
    it ('AST/ALT', 'ALT or AST', 'AST, ALT, and total bilirubin'): in an exclusion either one excludes
    ('and' asks all), in an inclusion all must hold. An analyte named twice ('AST (SGOT)') is one."""
    joined, members = _members(f.when or {})
    if seg.analyte.value_set is None or not members:
        return None
    spec = members[-1]["latest"]
    bounds = {k: v for k, v in spec.items() if k != "code"}
    if any(m["latest"]["code"] == seg.analyte.value_set for m in members):  # the same analyte named again
        return Finding(f.slug, f.when, item.text[seg.start:f.end], f.confidence, f.reading, seg.start, f.end,
                       f.value_sets, accounts_for=f.accounts_for, topic=f.topic)
    uln = all(isinstance(v, str) and v.endswith("ULN") for k, v in bounds.items() if k != "within")
    word = item.text[_mention_end(item, seg):f.start].strip(" ,()").lower().replace("&", "and")
    # a multiple of the ULN fits any analyte; a threshold in units only one joined by a word
    # ('Platelets, ANC ≥ 1500/mm3' leaves the platelets without a threshold, not with the ANC's)
    if not uln and (not word or canonical_unit(seg.analyte.value_set) != canonical_unit(spec["code"])):
        return None
    implausible_here = _implausible_shared(item, seg, f, bounds, uln)
    if implausible_here:  # 'Platelets and ANC ≥ 1500/mm3': the ANC's threshold, not the platelets'
        return implausible_here
    either = item.kind == "exclusion" and (joined == "any" or (joined is None and word != "and"))
    when = {"any" if either else "all": [{"latest": {"code": seg.analyte.value_set, **bounds}}, *members]}
    name = seg.analyte.slug.replace("_", " ")
    reading = f"{name} {'or' if either else 'and'} {f.reading}"
    return Finding(f"{seg.analyte.slug}_{f.slug}", when, item.text[seg.start:f.end], min(f.confidence, 0.7), reading,
                   seg.start, f.end, [seg.analyte.value_set, *f.value_sets], topic=f"{seg.analyte.pattern.pattern}|{f.topic}")


def recognise_labs(item: ItemText) -> list[Finding]:
    """One finding per analyte segment with thresholds: a definition when every threshold has a
    convertible unit, else a finding without one that says why. A segment without a threshold
    joined to the next ('AST/ALT ≤ 2.5 x ULN') shares the next one's."""
    if not _DIGIT.search(item.text) or not KEYWORDS.search(item.text.lower()):
        return []
    segments = _segments(item.text)
    found = [_lab_finding(item, seg) for seg in segments]
    for i in range(len(found) - 2, -1, -1):  # from the end: a list shares the threshold after its last member
        seg, nxt = segments[i], found[i + 1]
        if found[i] is None and nxt is not None and nxt.when is not None \
                and _JOINER.fullmatch(item.text[_mention_end(item, seg):nxt.start]):
            shared = _shared(item, seg, nxt)
            if shared is not None and shared.when is None:  # a threshold implausible for it: for review
                found[i] = shared
            elif shared is not None:
                found[i], found[i + 1] = shared, None
    return [f for f in found if f is not None]
