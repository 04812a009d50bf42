"""Thresholds in eligibility text: numbers, units and comparison operators.

`comparisons(text)` finds every threshold, written with symbols (`≥ 3`, `=< 2`, `</= 30%`, `=/> 3`,
`\\>=3` once unescaped), words before the number (`at least 1.5`, `no more than 2`, `greater or
equal to 18`) or words after it (`2.0 mg/dl or less`, `100,000 per cu mm or more`), each with its
UCUM unit when one is stated; `ranges(text)` the inclusive ranges without an operator (`18 to 35
kg/m2`, `between 50 and 150 mg/L`); `uln_multiples(text)` thresholds stated as multiples of the
upper limit of normal (`<= 2.5 x ULN`, `less than 2 times upper limit of normal`), drafted as rule
sets write them (`le: 2.5 x ULN`).

Units are read as the spellings labs send (`x10^9/L`, `mmHg`, `µmol/L`, `mL/min/1.73m2`, ...)
and mapped to UCUM through the project's table of lab spellings (`screening.core.units.to_ucum`).
A number that cannot be read (`35 100.000`: mixed separators) is skipped, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from screening.core.units import to_ucum
from screening.ctgov.first_letters import by_first_letter

# a number: digits grouped in thousands ('1,500', '1.500', "1'500", '1 500') or digits with decimals; its first digit
# is written once, ahead of the alternatives (the same matches as '\d{1,3}(?:,\d{3})+|...|\d+(?:[.,]\d+)?'), so a
# pattern that starts with a number is searched for only where a digit stands (a long record's thresholds are read
# about twice as fast)
_THOUSANDS_AFTER_FIRST = "|".join(rf"\d{{0,2}}(?:{sep}\d{{3}})+(?![\d]|[.,]\d)" for sep in (",", r"\.", "['’]", " "))
NUMBER = rf"\d(?:{_THOUSANDS_AFTER_FIRST}|\d*(?:[.,]\d+)?)"
# unit pattern -> the spelling a lab would send; `to_ucum` maps that spelling to UCUM
_UNITS: list[tuple[str, str]] = [
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:9|⁹)\s*/\s*l\b|10\s*\^\s*9\s*/\s*l\b", "10^9/L"),
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:3|³)\s*/\s*(?:[uµμ]l|mcl|mm3|mm³)\b|10\s*\^\s*3\s*/\s*(?:[uµμ]l|mm3)\b"
     r"|k\s*/\s*[uµμ]l\b|thou\s*/\s*[uµμ]l\b", "10^3/uL"),
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:6|⁶)\s*/\s*[uµμ]l\b|10\s*\^\s*6\s*/\s*[uµμ]l\b", "10^6/uL"),
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*12\s*/\s*l\b", "10^12/L"),
    (r"(?:cells\s*)?(?:/|per)\s*(?:cu\.?\s*mm|cubic\s+mm|cubic\s+millimet(?:er|re)s?|mm\s*\^?\s*3|mm³|mmc)\b", "/mm3"),
    # (the square microlitre sign, '/㎕', as Korean texts write it)
    (r"(?:cells\s*)?(?:/|per)\s*(?:(?:[uµμ]l|mcl|microlit(?:er|re))\b|\u3395)", "/uL"),
    (r"(?:ml|milli-?lit(?:er|re)s?)\s*(?:/|per)\s*min(?:ute)?\s*(?:/|per)\s*1[.,]73\s*(?:m\s*(?:2|²|\^\s*2)|sq\.?\s*m)",
     "mL/min/1.73m2"),
    (r"(?:ml|milli-?lit(?:er|re)s?)\s*(?:/|per)\s*min(?:ute)?\b", "mL/min"),
    (r"mg\s*/\s*dl\b", "mg/dL"),
    (r"g(?:m|r)?\s*/\s*dl\b", "g/dL"),
    (r"mg\s*/\s*l\b", "mg/L"),
    (r"(?-i:G)\s*/\s*l\b|giga\s*/\s*l\b", "10^9/L"),  # 'G/L', a count (giga per litre), not grams
    (r"g\s*/\s*l\b", "g/L"),
    (r"[uµμ]mol\s*/\s*l\b|micromol\s*/\s*l\b", "µmol/L"),
    (r"mmol\s*/\s*mol\b", "mmol/mol"),
    (r"mmol\s*/\s*l\b", "mmol/L"),
    (r"ng\s*/\s*ml\b", "ng/mL"),
    (r"pg\s*/\s*ml\b", "pg/mL"),
    (r"[uµμ]g\s*/\s*ml\b|mcg\s*/\s*ml\b", "ug/mL"),
    (r"[uµμ]g\s*/\s*l\b|mcg\s*/\s*l\b", "µg/L"),
    (r"i\.?u\.?\s*/\s*l\b", "IU/L"),
    (r"u\s*/\s*l\b", "U/L"),
    (r"mm\s*hg\b|millimet(?:er|re)s?\s+of\s+mercury", "mmHg"),
    (r"kpa\b", "kPa"),
    (r"bpm\b|beats\s*(?:per|/)\s*min(?:ute)?\b|breaths\s*(?:pm\b|per\s+min(?:ute)?\b|/\s*min\b)|/\s*min\b"
     r"|per\s+min(?:ute)?\b", "/min"),
    (r"(?:°|º|deg(?:rees?)?\s*)\s*c\b|degrees?\s+celsius|℃", "Cel"),  # ℃, ℉: one-character signs
    (r"(?:°|º|deg(?:rees?)?\s*)\s*f\b|degrees?\s+fahrenheit|℉", "[degF]"),
    (r"kg\s*/\s*m\s*(?:2|²|\^\s*2)", "kg/m2"),
    (r"kg\b|kilograms?\b", "kg"),
    (r"lbs?\b|pounds?\b", "[lb_av]"),
    (r"msec\b|millisec(?:ond)?s?\b|ms\b", "ms"),
    (r"%|percent\b", "percent"),
]
_UNIT_RE = UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNITS)

# operators written as symbols, as words before the number, and as words after it ('2 or less')
_SYMBOLS = {"≤": "le", "≦": "le", "⩽": "le", "<=": "le", "=<": "le", "</=": "le", "≥": "ge", "≧": "ge", "⩾": "ge",
            ">=": "ge", "=>": "ge", ">/=": "ge", "=/>": "ge", "=/<": "le", "<": "lt", ">": "gt", "< or =": "le", "> or =": "ge",
            "≥ or =": "ge", "≤ or =": "le", "> or equal to": "ge", "< or equal to": "le"}
_WORDS_BEFORE = {
    "less than or equal to": "le", "greater than or equal to": "ge", "equal to or less than": "le",
    "equal to or greater than": "ge", "equal to or more than": "ge", "greater or equal to": "ge",
    "greater or equal than": "ge", "less or equal to": "le", "less or equal than": "le", "equal or greater than": "ge",
    "greater (or equal) to": "ge", "greater (or equal) than": "ge", "less (or equal) to": "le",
    "less (or equal) than": "le",
    "equal or less than": "le", "equal or more than": "ge", "more than or equal to": "ge", "less than": "lt",
    "lower than": "lt", "fewer than": "lt", "greater than": "gt", "higher than": "gt", "more than": "gt",
    "at least": "ge", "at most": "le", "no more than": "le", "not more than": "le", "no greater than": "le",
    "not greater than": "le", "no higher than": "le", "no less than": "ge", "not less than": "ge",
    "not exceeding": "le", "not to exceed": "le", "at or above": "ge", "at or below": "le", "up to": "le",
    "below": "lt", "above": "gt", "over": "gt", "under": "lt", "exceeding": "gt", "exceeds": "gt",
    "minimum of": "ge", "maximum of": "le", "older than": "gt", "younger than": "lt",
    "no older than": "le", "not older than": "le", "no younger than": "ge", "not younger than": "ge",
}


# a bound that includes its number, written with a comparative word of either direction before or after
# 'equal': 'below or equal to', 'higher than or equal to', 'equal to or lower than', 'equal or above' ...
# (without it the direction word alone matched: 'equal to or below 30' as < 30). One pattern, not a list of
# every writing: each word more in `OPERATOR` slows every search for a threshold.
_LOWER_WORDS = ("less", "lower", "below", "under", "fewer", "smaller", "younger")
_HIGHER_WORDS = ("greater", "more", "higher", "above", "over", "larger", "older")
_COMPARATIVE = rf"(?:{by_first_letter(_LOWER_WORDS + _HIGHER_WORDS)})(?:\s+than)?"
_INCLUSIVE = re.compile(rf"{_COMPARATIVE}\s+(?:or\s+)?equal\s+(?:to|than)|equal(?:\s+to)?\s+or\s+{_COMPARATIVE}",
                        re.IGNORECASE)
# a comparative word negated, which bounds the other way and includes its number: 'not lower than 100' (>= 100),
# 'not below 1.5', 'no higher than 2', 'not above 1.5' (without it the comparative alone matched, the bound read
# backwards: 'Platelets no lower than 100 x 10^9/L' as < 100); one pattern, as for `_INCLUSIVE`
# (after a modal, or 'never': 'should not be below 9 g/dL', 'must not exceed 1.5 mg/dL', 'never below 100'); a symbol
# negated the same way bounds the other way and excludes its number ('not >= 9': < 9)
_NEGATED = re.compile(rf"\b(?:no[t]?|never)\s+(?:be\s+)?(?:(?:{'|'.join(_LOWER_WORDS + _HIGHER_WORDS)})(?:\s+than)?|"
                      r"exceed(?:s|ing)?)", re.IGNORECASE)
_WORDS_AFTER = {"less": "le", "lower": "le", "below": "le", "fewer": "le", "under": "le", "more": "ge",
                "greater": "ge", "higher": "ge", "above": "ge", "over": "ge", "better": "ge", "older": "ge",
                "younger": "le"}
# (the longest first; those that start with the same character under it once, `by_first_letter`: the same matches,
# but a place tries only the words of its letter: thresholds are read about ... as fast)
_SYMBOL_RE = by_first_letter(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_WORDS_BEFORE_RE = by_first_letter(re.escape(s) for s in sorted(_WORDS_BEFORE, key=len, reverse=True))
# the characters an operator can start with, looked at first: a scan for one then tries its many words
# only where one of them stands (about 2.4x faster a search where it leads the pattern)
_FIRST = "".join(sorted({s[0] for s in _SYMBOLS} | {c for w in (*_WORDS_BEFORE, *_LOWER_WORDS, *_HIGHER_WORDS, "equal")
                                                    for c in (w[0].lower(), w[0].upper())}))
# an operator before its number: a symbol or words ('at least'); read with `operator()`
_NEGATED_SYMBOL = re.compile(rf"\bnot\s*(?:{_SYMBOL_RE})", re.IGNORECASE)
# (its words' last may run into the number: 'greater than100 g/L')
OPERATOR = rf"(?=[{re.escape(_FIRST)}])(?:{_SYMBOL_RE}|{_NEGATED_SYMBOL.pattern}|\b(?:{_INCLUSIVE.pattern}|{_NEGATED.pattern}|" \
           rf"{_WORDS_BEFORE_RE})(?:\b|(?=\d)))"
# the operator's symbol in parentheses after its words, a gloss: 'less than (<) 40', 'greater than equal to (>=) 4'
GLOSS = rf"(?:\s*\(\s*(?:{_SYMBOL_RE})\s*\))?"
OP_TEXT = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "="}
_COMPLEMENT = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}  # what a negated bound leaves: 'not >= 9' is < 9
FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}

# (the unit may be in brackets after the number: 'Platelet count less than 50 (x10^9/L)', 'Haemoglobin < 8 [g/dL]')
_CMP_BEFORE = re.compile(
    rf"(?P<op>{OPERATOR}){GLOSS}\s*(?:to\s+|than\s+)?(?P<num>{NUMBER})\s*(?:(?P<unit>{_UNIT_RE})|"
    rf"\(\s*(?P<bracketed>{_UNIT_RE})\s*\)|\[\s*(?P<squared>{_UNIT_RE})\s*\])?", re.IGNORECASE)
_CMP_AFTER = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>{_UNIT_RE})?\s*(?:or|and)\s+(?P<word>{'|'.join(_WORDS_AFTER)})\b"
    r"(?!(?:(?<=above)|(?<=over)|(?<=under)|(?<=below))\s*\d)(?!\s*than\s+(?:or\s+equal\s+(?:to\s+)?)?\d)"
    r"(?!\s*(?:than\s+)?(?:or\s+equal\s+(?:to\s+)?)?(?:the\s+)?(?:institutional\s+|local\s+)?"
    r"(?:LLN|ULN|lower\s+limit|upper\s+limit|limits?\s+of\s+normal|normal\b|reference\b))",
    # 'below 18 or above 65', '9 g/dL and less than or equal to 16 g/dL': the word is the next number's operator
    # ('38 °C or more 24 h prior' keeps its suffix); so it is before a limit of normal ('< 50% or below the
    # institutional lower limit of normal' is < 50 %, or another bound)
    re.IGNORECASE)
_RANGE = re.compile(
    rf"(?:\bbetween\s+)?(?<![\d.,])(?P<lo>{NUMBER})\s*(?P<u1>{_UNIT_RE})?\s*(?:-|–|~|～|to|and)\s*(?P<hi>{NUMBER})\s*"
    rf"(?P<unit>{_UNIT_RE})?(?!\s*(?:{_UNIT_RE}))", re.IGNORECASE)
_ULN = re.compile(
    rf"(?:(?P<op>{OPERATOR})\s*)?(?P<num>{NUMBER})\s*(?:[x×*]|times|-?fold)\s*(?:the\s+)?(?:institutional\s+)?"
    r"(?:(?:\b|(?<=[x×*]))(?:ULN|UNL)\b|upper\s+limits?\s+of\s+(?:the\s+)?normal(?:\s+(?:range|values?))?|"
    r"upper\s+normal\s+(?:limits?|values?)|"
    r"normal\s+upper\s+limits?|institutional\s+(?:upper\s+limit|norm)|\bnorm(?:al)?\b)"
    r"(?:\s*\(\s*ULN\s*\))?(?:\s*(?:or\s+(?P<word>less|more|lower|greater|higher)))?", re.IGNORECASE)


def no_value_meets_both(low: float, low_strict: bool, high: float, high_strict: bool) -> bool:
    """Whether a lower bound (a value above `low`, or at it unless strict) and an upper bound (below `high`, or at it
    unless strict) leave no value meeting both: 'below 20 and above 30', '> 20 and <= 20'."""
    return low > high or (low == high and (low_strict or high_strict))


def operator(token: str) -> str:
    """An operator matched by `OPERATOR` -> lt | le | gt | ge: '≥' -> ge, 'no more than' -> le, 'not below' -> ge."""
    words = re.sub(r"\s+", " ", token.lower())
    if token not in _SYMBOLS and words not in _WORDS_BEFORE and _INCLUSIVE.fullmatch(words):
        return "le" if any(w in words.split() for w in _LOWER_WORDS) else "ge"
    if token not in _SYMBOLS and words not in _WORDS_BEFORE and _NEGATED.fullmatch(words):
        return "ge" if any(w in words.split() for w in _LOWER_WORDS) else "le"
    if token not in _SYMBOLS and _NEGATED_SYMBOL.fullmatch(token):
        return _COMPLEMENT[_SYMBOLS[re.sub(r"^not\s*", "", token, flags=re.IGNORECASE)]]
    return _SYMBOLS.get(token) or _WORDS_BEFORE[words]


def ucum_unit(text: str | None) -> str | None:
    """The UCUM unit of a unit as written ('x 10^9/L' -> '10*9/L', 'mmHg' -> 'mm[Hg]'), through the
    table of lab spellings; None when it is not one of the units read here."""
    if not text:
        return None
    for pattern, spelling in _UNITS:
        if re.fullmatch(pattern, text.strip(), re.IGNORECASE):
            return to_ucum(spelling)[0]
    return None


def parse_number(text: str, counting: bool = False) -> float:
    """'100,000' -> 100000; '100.000' -> 100000 for counts (European thousands), else 100.0;
    '2,5' -> 2.5 (decimal comma); '9.0' -> 9.0; '100 000' -> 100000. ValueError for text that is
    not one number ('35 100.000')."""
    s = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:['’ ]\d{3})+", s):
        return float(re.sub(r"['’ ]", "", s))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", "")) if counting or s.count(".") > 1 else float(s)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    raise ValueError(f"{text!r} is not a number")


@dataclass(frozen=True)
class Comparison:
    op: str
    value: float
    unit: str | None
    start: int
    end: int
    raw: str


def _taken(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in taken)


def comparisons(text: str, counting: bool = False) -> list[Comparison]:
    """Every threshold in `text`, in order: '≥ 3', '\\>=3' (unescaped), '=< 2', '2.0 mg/dl or less'.
    `counting`: the numbers are counts, so '1.500' is 1500 (European thousands)."""
    return list(_comparisons(text, counting))


@lru_cache(maxsize=2048)
def _comparisons(text: str, counting: bool) -> tuple[Comparison, ...]:
    """`comparisons`, read once a text (the recognisers and the qualifiers read the same sentences)."""
    out: list[Comparison] = []
    taken: list[tuple[int, int]] = []
    for rx in (_CMP_AFTER, _CMP_BEFORE):
        for m in rx.finditer(text):
            if _taken(taken, m.start(), m.end()):
                continue
            op = _WORDS_AFTER[m.group("word").lower()] if rx is _CMP_AFTER else operator(m.group("op"))
            try:
                value = parse_number(m.group("num"), counting)
            except ValueError:
                continue
            unit = m.group("unit") or m.groupdict().get("bracketed") or m.groupdict().get("squared")
            out.append(Comparison(op, value, ucum_unit(unit), m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    return tuple(sorted(out, key=lambda c: c.start))


# what a range says of its bounds right after it: both excluded ('(both exclusive)', ', limits excluded', '(both
# values not included)'), or each on its own ('(lower limit inclusive, upper limit exclusive)')
_BOTH_EXCLUDED = re.compile(r"\s*[,(]?\s*(?:(?:both|the|all|limits?|values?|bounds?|ends?|end-?points?|range|are|is)\s+)*"
                            r"(?:exclusive|excluded|not\s+included)\b(?!\s+of\b)", re.IGNORECASE)
_EACH_SAID = re.compile(r"\s*[,(]?\s*(?:the\s+)?(?:lower|upper|minimum|maximum|low|high)\s+(?:limit|bound|value|end)s?\s+"
                        r"(?:is\s+)?(?:inclusive|exclusive|included|excluded|not\s+included)\b", re.IGNORECASE)


def bounds_said(text: str, end: int) -> str | None:
    """What the words right after a range ending at `end` say of its bounds: 'excluded' (both), 'each'
    (one inclusive and one not, or one alone), or None (nothing: the range is inclusive)."""
    if _EACH_SAID.match(text, end):
        return "each"
    return "excluded" if _BOTH_EXCLUDED.match(text, end) else None


def ranges(text: str, counting: bool = False, unitless: bool = False) -> list[tuple[Comparison, Comparison]]:
    """Ranges stated without an operator, with a unit: '18 to 35 kg/m2', '50-150 mg/L', 'between 9
    and 12 g/dL' -> (>= low, <= high), inclusive unless the words right after say both bounds are
    excluded ('(both exclusive)' -> (> low, < high)); one said to be inclusive and one exclusive is
    not read. The unit after the high bound applies to both. `unitless`: a range with no unit is read
    too (its comparisons without one), for a measure of one scale ('BMI 19-26')."""
    out = []
    for m in _RANGE.finditer(text):
        unit = ucum_unit(m.group("unit")) or ucum_unit(m.group("u1"))
        try:
            lo, hi = parse_number(m.group("lo"), counting), parse_number(m.group("hi"), counting)
        except ValueError:
            continue
        if (unit is None and (not unitless or m.group("unit") or m.group("u1"))) or lo >= hi:
            continue
        raw, ops = m.group(0), ("ge", "le")
        said = bounds_said(text, m.end())
        if said == "each":
            continue
        if said == "excluded":
            ops = ("gt", "lt")
        out.append((Comparison(ops[0], lo, unit, m.start(), m.end(), raw),
                    Comparison(ops[1], hi, unit, m.start(), m.end(), raw)))
    return out


@dataclass(frozen=True)
class UlnMultiple:
    op: str | None
    factor: float
    start: int
    end: int
    raw: str


def uln_multiples(text: str) -> list[UlnMultiple]:
    """Thresholds stated as multiples of the upper limit of normal: '<= 2.5 x ULN', '2.5 X
    institutional norm or less', 'less than 2 times upper limit of normal'."""
    out = []
    for m in _ULN.finditer(text):
        op = operator(m.group("op")) if m.group("op") else _WORDS_AFTER.get((m.group("word") or "").lower())
        try:
            factor = parse_number(m.group("num"))
        except ValueError:
            continue
        out.append(UlnMultiple(op, factor, m.start(), m.end(), m.group(0).strip()))
    return out


def quantity(value: float, unit: str | None) -> Any:
    """A threshold as the rule-set grammar writes it: 2 (no unit), '1.5 mg/dL', '100 10*3/uL'."""
    v = int(value) if float(value).is_integer() else value
    return v if unit in (None, "1") else f"{v:g} {unit}" if isinstance(v, float) else f"{v} {unit}"
