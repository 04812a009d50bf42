"""Thresholds in eligibility text: numbers, units and comparison operators.

`comparisons(text)` finds every threshold, written with symbols (`≥ 3`, `=< 2`, `\\>=3` once
unescaped), words before the number (`at least 1.5`, `no more than 2`) or words after it
(`2.0 mg/dl or less`, `100,000 per cu mm or more`), each with its UCUM unit when one is stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

NUMBER = r"\d{1,3}(?:[,.'’ ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
# unit pattern -> UCUM unit
_UNITS: list[tuple[str, str]] = [
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:9|⁹)\s*/\s*l\b", "10*9/L"),
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:3|³)\s*/\s*(?:[uµμ]l|mm3|mm³)\b", "10*3/uL"),
    (r"(?:cells\s*)?(?:/|per)\s*(?:cu\.?\s*mm|cubic\s+mm|cubic\s+millimet(?:er|re)s?|mm\s*\^?\s*3|mm³)", "/mm3"),
    (r"(?:cells\s*)?(?:/|per)\s*(?:[uµμ]l|microlit(?:er|re))\b", "/uL"),
    (r"mg\s*/\s*dl\b", "mg/dL"),
    (r"g(?:m|r)?\s*/\s*dl\b", "g/dL"),
    (r"g\s*/\s*l\b", "g/L"),
    (r"mg\s*/\s*l\b", "mg/L"),
    (r"[uµμ]mol\s*/\s*l\b", "umol/L"),
    (r"mmol\s*/\s*l\b", "mmol/L"),
    (r"mm\s*hg\b", "mm[Hg]"),
    (r"bpm\b|beats\s*(?:per|/)\s*min(?:ute)?\b|/\s*min\b", "/min"),
    (r"breaths\s*(?:pm|per\s+min(?:ute)?|/\s*min)\b", "/min"),
    (r"(?:°|º|deg(?:rees?)?\s*)\s*c\b", "Cel"),
    (r"(?:°|º|deg(?:rees?)?\s*)\s*f\b", "[degF]"),
    (r"kg\s*/\s*m\s*(?:2|²|\^2)", "kg/m2"),
    (r"%|percent\b", "%"),
]
_UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNITS)

# operators written as symbols, as words before the number, and as words after it ('2 or less')
_SYMBOLS = {"≤": "le", "≦": "le", "⩽": "le", "<=": "le", "=<": "le", "≥": "ge", "≧": "ge", "⩾": "ge", ">=": "ge",
            "=>": "ge", "<": "lt", ">": "gt", "< or =": "le", "> or =": "ge", "≥ or =": "ge", "≤ or =": "le"}
_WORDS_BEFORE = {
    "less than or equal to": "le", "greater than or equal to": "ge", "equal to or less than": "le",
    "equal to or greater than": "ge", "equal to or more than": "ge", "less than": "lt", "fewer than": "lt",
    "greater than": "gt", "more than": "gt", "at least": "ge", "at most": "le", "no more than": "le",
    "not more than": "le", "no greater than": "le", "not greater than": "le", "no less than": "ge",
    "not less than": "ge", "not exceeding": "le", "up to": "le", "below": "lt", "above": "gt",
    "over": "gt", "under": "lt", "exceeding": "gt", "minimum of": "ge", "maximum of": "le",
}
_WORDS_AFTER = {"less": "le", "lower": "le", "below": "le", "fewer": "le", "under": "le", "more": "ge",
                "greater": "ge", "higher": "ge", "above": "ge", "over": "ge", "better": "ge"}
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_WORDS_BEFORE_RE = "|".join(re.escape(s) for s in sorted(_WORDS_BEFORE, key=len, reverse=True))
# an operator before its number: a symbol or words ('at least'); read with `operator()`
OPERATOR = rf"{_SYMBOL_RE}|\b(?:{_WORDS_BEFORE_RE})\b"
OP_TEXT = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "="}

_CMP_BEFORE = re.compile(
    rf"(?P<op>{OPERATOR})\s*(?:to\s+)?(?P<num>{NUMBER})\s*(?P<unit>{_UNIT_RE})?", re.IGNORECASE)
_CMP_AFTER = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>{_UNIT_RE})?\s*(?:or|and)\s+(?P<word>{'|'.join(_WORDS_AFTER)})\b", re.IGNORECASE)


def operator(token: str) -> str:
    """An operator matched by `OPERATOR` -> lt | le | gt | ge: '≥' -> ge, 'no more than' -> le."""
    return _SYMBOLS.get(token) or _WORDS_BEFORE[token.lower()]


def ucum_unit(text: str | None) -> str | None:
    if not text:
        return None
    for pattern, unit in _UNITS:
        if re.fullmatch(pattern, text.strip(), re.IGNORECASE):
            return unit
    return None


def parse_number(text: str, counting: bool = False) -> float:
    """'100,000' -> 100000; '100.000' -> 100000 for counts (European thousands), else 100.0;
    '2,5' -> 2.5 (decimal comma); '9.0' -> 9.0."""
    s = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:['’ ]\d{3})+", s):
        return float(re.sub(r"['’ ]", "", s))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", "")) if counting or s.count(".") > 1 else float(s)
    return float(s.replace(",", "."))


@dataclass
class Comparison:
    op: str
    value: float
    unit: str | None
    start: int
    end: int
    raw: str


def comparisons(text: str, counting: bool = False) -> list[Comparison]:
    """Every threshold in `text`, in order: '≥ 3', '\\>=3' (unescaped), '=< 2', '2.0 mg/dl or less'.
    `counting`: the numbers are counts, so '1.500' is 1500 (European thousands)."""
    out: list[Comparison] = []
    taken: list[tuple[int, int]] = []
    for rx in (_CMP_AFTER, _CMP_BEFORE):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            op = _WORDS_AFTER[m.group("word").lower()] if rx is _CMP_AFTER else operator(m.group("op"))
            out.append(Comparison(op, parse_number(m.group("num"), counting), ucum_unit(m.group("unit")),
                                  m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(out, key=lambda c: c.start)


def quantity(value: float, unit: str | None) -> Any:
    """A threshold as the rule-set grammar writes it: 2 (no unit), '1.5 mg/dL', '100 10*3/uL'."""
    v = int(value) if float(value).is_integer() else value
    return v if unit in (None, "1") else f"{v:g} {unit}" if isinstance(v, float) else f"{v} {unit}"
