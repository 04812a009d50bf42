"""A range's lower bound a lab threshold's scan would not read as one: a number before an upper bound's own operator
('9 to < 12 g/dL', '7% up to 10%', 'BMI 19 < x < 30') and a bound written before the measure's name ('19 < BMI < 30',
'18.5 ≤ BMI < 25 kg/m2'). Without them the range was read as its upper bound alone."""

from __future__ import annotations

import re

from screening.ctgov.thresholds import (
    FLIP,
    NUMBER,
    OP_TEXT,
    UNIT_RE,
    Comparison,
    operator,
    parse_number,
    ucum_unit,
)

# a number right before an upper bound's operator, as a range's lower bound: '9 to < 12 g/dL', '7% up to 10%'
# (the lower bound in another unit may stand between them: '7.0% (53 mmol/mol) to <= 10.5%')
_RANGE_TO_BOUND = re.compile(rf"(?<![\w.,<>=≤≥])(?P<lo>{NUMBER})\s*(?P<unit>{UNIT_RE})?\s*(?:\([^()]{{0,25}}\)\s*)?"
                             r"(?:to|-|–|~)?\s*$", re.IGNORECASE)
_LOWER_WITHIN = 50  # characters from the lower bound to the upper bound's operator
# a lower bound written before the measure's name, the name between two bounds: '19 < BMI < 30', '18.5 ≤ BMI < 25 kg/m2'
_BOUND_BEFORE_NAME = re.compile(rf"(?<![\w.,<>=≤≥])(?P<lo>{NUMBER})\s*(?P<unit>{UNIT_RE})?\s*(?P<op><=|=<|≤|<)\s*$",
                                re.IGNORECASE)
_BEFORE_NAME_WITHIN = 30  # characters before the name where that bound is looked for
# ... or before a letter standing for the value after the name: 'BMI 19 < x < 30', 'BMI: 18.5 ≤ X < 25'
_BOUND_BEFORE_LETTER = re.compile(rf"(?<![\w.,<>=≤≥])(?P<lo>{NUMBER})\s*(?P<unit>{UNIT_RE})?\s*(?P<op><=|=<|≤|<)\s*"
                                  r"[a-zA-Z]\s*$", re.IGNORECASE)


def lower_bound_before(text: str, named: int, cmps: list[Comparison], counting: bool) -> list[Comparison]:
    """The lower bound of a range whose upper bound has an operator of its own ('9 to < 12 g/dL', '7.0 to <= 10.5%',
    '7% up to 10%'): the number before it, after the analyte's name (which ends at `named`), included (without it
    the range had been read as its upper bound alone); none when the first threshold is no upper bound or no number
    stands right before it."""
    first = cmps[0]
    if first.op not in ("le", "lt"):
        return []
    m = _RANGE_TO_BOUND.search(text, max(named, first.start - _LOWER_WITHIN), first.start)
    op = "ge"
    if m is None and text[:first.start].rstrip()[-1:].isalpha():  # a letter for the value: 'BMI 19 < x < 30'
        m = _BOUND_BEFORE_LETTER.search(text, max(named, first.start - _LOWER_WITHIN), first.start)
        op = FLIP[operator(m.group("op"))] if m is not None else op
    if m is None:
        return []
    try:
        value = parse_number(m.group("lo"), counting)
    except ValueError:
        return []
    return [Comparison(op, value, ucum_unit(m.group("unit")), m.start("lo"), first.start, m.group(0))]


def bound_before_name(text: str, name_start: int, cmps: list[Comparison], counting: bool) -> tuple[list[Comparison], int]:
    """The thresholds with the lower bound written before the measure's name when its upper bound follows it ('19 <
    BMI < 30': > 19; its place, 0, is the name's (which starts at `name_start`): the text between the bounds is the name), and where the item's span
    then starts; the thresholds as they are when the first after the name is no upper bound or no bound precedes it."""
    if cmps[0].op not in ("lt", "le") or text[:name_start].rstrip()[-1:] not in ("<", "≤", "="):  # a first look
        return cmps, name_start
    m = _BOUND_BEFORE_NAME.search(text, max(0, name_start - _BEFORE_NAME_WITHIN), name_start)
    if m is None:
        return cmps, name_start
    try:
        value = parse_number(m.group("lo"), counting)
    except ValueError:
        return cmps, name_start
    op = FLIP[operator(m.group("op"))]
    return [Comparison(op, value, ucum_unit(m.group("unit")), 0, 0, f"{OP_TEXT[op]}{m.group('lo')}"), *cmps], m.start()
