"""Every bound in an item's text that could be an age, as the text writes it: ranges ('18 to 65 years',
'aged between 18 and 65', '2 months to 17 years', 'from 2 to <12 years'), a number with a word after
it ('18 years or older', '75 or younger', '18+'), an operator before it ('under 18 years', 'over the age
of 18'), 'from 18 years' (no upper bound after it), 'minimum age of 18 years' and '= 18 years'. Whether a bound is the participant's age today is
`demographics`' question (and `age_context`'s)."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import may_name
from screening.ctgov.thresholds import FLIP, GLOSS, OPERATOR, bounds_said, operator

# (its first digit written alone, '\d\d{0,2}' for '\d{1,3}': a pattern that starts with it is searched for only where
# a digit stands)
NUM = _NUM = r"\d\d{0,2}(?:\.\d+)?"
# (hours too, a newborn's age: 'Age 12 to 72 hours' is no age in years)
UNIT = _UNIT = r"(?:years?|yrs?|y(?=\s*(?:/?o\b|old|of\s+age\b))|months?|mos?\b|weeks?|wks?\b|days?|hours?|hrs?\b)"

# '18 years or older', '18 and over', '75 or younger', '18+', '80 or more years old' (the unit after the word), '18+ years
# old', '16+ years of age' (the unit after the plus, with 'old' or 'of age': '6+ months' alone may be a duration); the
# number written once ahead of both readings (the same matches: neither reading goes on with a digit), so the
# pattern is searched for only where a digit stands
_AFTER = re.compile(
    rf"(?P<num>{_NUM})(?:\s*(?:-(?={_UNIT}))?(?P<unit>{_UNIT})?\s*(?:of\s+age\s+|old\s+|/?o\s+)?(?:or|and)\s+(?P<word>older|over|"
    rf"above|greater|beyond|up(?:wards)?|more|younger|under|below|less)\b(?!(?:(?<=above)|(?<=over)|(?<=under)|(?<=below))\s*\d)"
    rf"(?!\s*than\s+(?:or\s+equal\s+(?:to\s+)?)?\d)(?:\s+(?P<unit2>{_UNIT})\s+(?:old|of\s+age)\b)?|\s*(?P<plus>\+)(?:\s*(?P<unit3>{_UNIT})(?:\s+(?:old|of\s+age)\b)?)?)",
    re.IGNORECASE)  # not 'below 18 or above 65' nor '18 years and less than or equal to 72', where the word is the next number's operator
# 'under 18 years', 'under age 60', 'over the age of 18', 'younger than age 75'
_BEFORE = re.compile(rf"(?P<op>{OPERATOR}){GLOSS}\s*(?:to\s+|than\s+)?(?P<age>(?:the\s+)?age\s+(?:of\s+)?)?(?P<num>{_NUM})"
                     rf"\s*(?:-(?={_UNIT}))?(?P<unit>{_UNIT})?", re.IGNORECASE)
# (looking first at the letters a range starts with, 'between' or a digit: 2.4x faster a scan)
_RANGE = re.compile(
    # ('old' may follow the lower bound's unit: 'from 18 years old to under 65 years old')
    rf"(?=[bB\d])(?:\bbetween\s+)?(?<![\d.<>≤≥=])(?P<lo>{_NUM})\s*(?:(?P<u1>{_UNIT})(?:\s*old\b)?)?\s*"
    rf"(?:-|–|~|～|to|and|through|thru|up\s+to(?:\s+and\s+including)?)\s*"
    # the upper bound may carry its own operator: 'from 2 to <12 years', 'between 40 and ≤ 70', '2 to under 12'
    rf"(?P<hiop><=|=<|≤|<|(?:under|below|less\s+than|younger\s+than)\b)?\s*(?P<hi>{_NUM})\s*(?P<unit>{_UNIT})?",
    re.IGNORECASE)
# a range right after 'aged', 'age', 'ages' needs no unit: 'aged between 18 and 65', 'Age: 18 - 85'
_AGE_JUST_BEFORE = re.compile(r"\b(?:aged?|ages)\s*(?::|of|from)?\s*$", re.IGNORECASE)
# a lower bound after 'from', with no upper bound after it: 'age from 18 years old', 'Aged from 18 years'
_FROM = re.compile(rf"\bfrom\s+(?P<num>{_NUM})\s*(?P<unit>{_UNIT})(?!\s*(?:old\s*)?(?:-|–|to|until|through|and|or)\s*\d)",
                   re.IGNORECASE)
# 'minimum age of 18 years', 'maximum age 75'
_LIMIT = re.compile(rf"\b(?P<limit>minimum|maximum|min\.?|max\.?)\s+age\s*(?:of|is|:)?\s*(?P<num>{_NUM})\s*"
                    rf"(?P<unit>{_UNIT})?", re.IGNORECASE)
_WORDS_AFTER = {"older": "ge", "over": "ge", "above": "ge", "greater": "ge", "beyond": "ge", "up": "ge", "upwards": "ge", "more": "ge",
                "younger": "le", "under": "le", "below": "le", "less": "le"}
# 'of age', 'old', 'or older' right after a number: the number is an age
_OF_AGE_WORDS = re.compile(r"(?:\s*(?:of\s+age|old))?")
OF_AGE_AFTER = re.compile(r"^\s*(?:of\s+age|old|or\s+older|and\s+older|and\s+over|or\s+over)\b", re.IGNORECASE)
_OPERATOR_BEFORE = re.compile(rf"(?:{OPERATOR})\s*$", re.IGNORECASE)
# a bound written before the word 'age', its operator reversed: '18 years ≤ age < 65 years', '65 > age'
_REVERSED = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?\s*(?P<op><=|=<|≤|<|>=|=>|≥|>)\s*(?:the\s+)?age\b", re.IGNORECASE)
_LONE_EQUALS = re.compile(rf"(?<![<>≤≥=!])=(?![<>=])\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT})", re.IGNORECASE)


def _unit(raw: str | None) -> str:
    """'years' -> year, 'mos' -> month, 'wks' -> week, 'days' -> day, 'hrs' -> hour; none stated -> year."""
    u = (raw or "years").lower()
    return "month" if u.startswith("mo") else "week" if u.startswith("w") else "day" if u.startswith("d") \
        else "hour" if u.startswith("h") else "year"


Bound = tuple[int, int, str, float, str, bool]  # start, end, op, number, unit, unit stated


def _range_of_age(text: str, m: re.Match[str], group_age: bool) -> bool:
    """A range with no unit is an age's: 'of age' after it, 'aged' right before it, or it opens an
    item under an age heading."""
    return bool(OF_AGE_AFTER.match(text[m.end():]) or _AGE_JUST_BEFORE.search(text, max(0, m.start() - 16), m.start())
                or (group_age and not text[:m.start()].strip(" \t*-•(")))


def _range_bounds(text: str, m: re.Match[str], group_age: bool) -> tuple[tuple[str, str | None], tuple[str, str | None]] | None:
    """The operator and unit of each bound of an age range (each in its own unit when both are stated:
    '2 months to 17 years'); None when it is no age range, or its bounds are said of each on its own."""
    if m.group("hiop") and _OPERATOR_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        return None  # 'Age > 18 and < 70 years': two bounds, each with its operator, not a range
    unit = m.group("unit") or m.group("u1")
    # what the words after it say of its bounds ('18-65 years of age (both exclusive)')
    of_age = _OF_AGE_WORDS.match(text, m.end())  # always matches (its words are optional)
    said = bounds_said(text, of_age.end() if of_age else m.end())
    if said == "each" or not (unit or _range_of_age(text, m, group_age)):
        return None
    hiop = m.group("hiop") or ""  # '<', 'under', 'below', 'less than', 'younger than': strict
    strict = said is not None or hiop == "<" or hiop[:1].lower() in ("u", "b", "l", "y")
    return ("gt" if said else "ge", m.group("u1") or unit), ("lt" if strict else "le", unit)


# a number of a quantity of its own, named by its unit ('≥30-pack years smoking', '> 10 cigarettes per day'): a smoking
# history, no age (nor another value of a definition: `other_thresholds`)
OWN_QUANTITY = re.compile(r"[\d.,]*\s*-?\s*(?:pack[\s-]*(?:years?|yrs?)|cigarettes?|cigs?)\b", re.IGNORECASE)


def of_its_own_quantity(text: str, at: int) -> bool:
    """The number ending at `at` names its own quantity by its unit (pack-years, cigarettes)."""
    after = text[at:at + 16].lower()
    return ("pack" in after or "cig" in after) and OWN_QUANTITY.match(text, at) is not None


def bounds(text: str, group_age: bool = False) -> list[Bound]:
    """Every bound that could be an age; under an age heading, also a range without a unit that
    opens the item ('Age' -> '18 to 60'); not a number of pack-years or cigarettes."""
    out: list[Bound] = []

    def add(start: int, end: int, op: str, num: str, unit: str | None, again: bool = False) -> None:
        if unit is None and of_its_own_quantity(text, end):
            return
        if again or not any(start < b[1] and b[0] < end for b in out):
            out.append((start, end, op, float(num), _unit(unit), unit is not None))

    for m in _RANGE.finditer(text):
        read = _range_bounds(text, m, group_age)
        if read is not None:
            (lo_op, lo_unit), (hi_op, hi_unit) = read
            add(m.start(), m.end(), lo_op, m.group("lo"), lo_unit)
            add(m.start(), m.end(), hi_op, m.group("hi"), hi_unit, again=True)
    for m in _AFTER.finditer(text):
        if m.group("plus"):
            add(m.start(), m.end(), "ge", m.group("num"), m.group("unit3"))  # '18+', '18+ years', '18+ years old'
        else:
            add(m.start(), m.end(), _WORDS_AFTER[m.group("word").lower()], m.group("num"), m.group("unit") or m.group("unit2"))
    for m in _BEFORE.finditer(text):
        add(m.start(), m.end(), operator(m.group("op")), m.group("num"), m.group("unit"))
    for m in _REVERSED.finditer(text):
        add(m.start(), m.end(), FLIP[operator(m.group("op"))], m.group("num"), m.group("unit"))
    for m in _LONE_EQUALS.finditer(text):
        add(m.start(), m.end(), "eq", m.group("num"), m.group("unit"))
    if may_name(text, ("from",)):
        for m in _FROM.finditer(text):
            add(m.start(), m.end(), "ge", m.group("num"), m.group("unit"))
    for m in _LIMIT.finditer(text):
        add(m.start(), m.end(), "ge" if m.group("limit").lower().startswith("min") else "le", m.group("num"),
            m.group("unit"))
    return sorted(out)
