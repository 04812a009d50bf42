"""Age requirements stated in an item's text: 'aged 18-65 years', 'Age ≥ 18 years', '18 years or older'."""

from __future__ import annotations

import re
from typing import Any

from screening.ctgov.recognisers.base import CONDITIONAL, Finding, ItemText
from screening.ctgov.thresholds import OP_TEXT, OPERATOR, operator

# pattern -> how its numbers read: "range" (lo, hi), "ge" (lo or older), "cmp" (an operator and lo)
_AGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:aged?\s+)?(?P<lo>\d{1,3})\s*(?:-|–|to)\s*(?P<hi>\d{1,3})\s*years?(?:\s+of\s+age|\s+old)",
                re.IGNORECASE), "range"),
    (re.compile(r"aged?\s+(?:between\s+)?(?P<lo>\d{1,3})\s*(?:-|–|to|and)\s*(?P<hi>\d{1,3})\s*(?:years?)?",
                re.IGNORECASE), "range"),
    (re.compile(rf"\bage[ds]?\s*(?:of\s+)?(?P<op>{OPERATOR})\s*(?P<lo>\d{{1,3}})\s*(?:years?)?",
                re.IGNORECASE), "cmp"),
    (re.compile(r"(?P<lo>\d{1,3})\s*years?\s+(?:of\s+age\s+|old\s+)?(?:or|and)\s+(?:older|over|above)",
                re.IGNORECASE), "ge"),
    (re.compile(r"(?:at\s+least|≥|>=)\s*(?P<lo>\d{1,3})\s*years?\s+(?:of\s+age|old)", re.IGNORECASE), "ge"),
]
_MAX_AGE = 130


def _age_bounds(m: re.Match[str], how: str) -> tuple[dict[str, Any], str] | None:
    """The `age:` bounds a match states and their reading; None for a range that is no age range."""
    lo = int(m.group("lo"))
    if how == "range":
        hi = int(m.group("hi"))
        if not lo < hi <= _MAX_AGE:
            return None
        return {"between": [lo, hi]}, f"age {lo} to {hi} years inclusive (completed years)"
    if how == "ge":
        return {"ge": lo}, f"age {lo} years or older (completed years)"
    op = operator(m.group("op"))
    return {op: lo}, f"age {OP_TEXT[op]} {lo} years (completed years)"


def recognise_age(item: ItemText) -> list[Finding]:
    """The first age requirement the item states; none when the item opens with a condition
    ('For adolescents under 18 years of age, ...')."""
    text = item.text
    if CONDITIONAL.match(text):
        return []
    for rx, how in _AGE_PATTERNS:
        m = rx.search(text)
        bounds = _age_bounds(m, how) if m else None
        if m is None or bounds is None:
            continue
        rng, reading = bounds
        inside = text[:m.start()].count("(") > text[:m.start()].count(")")
        if inside:
            reading += "; the age is stated in parentheses as a gloss of another requirement"
        return [Finding("age", {"age": rng}, m.group(0), 0.7 if inside else 0.9, reading, m.start(), m.end())]
    return []
