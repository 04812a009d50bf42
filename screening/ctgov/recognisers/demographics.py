"""Age requirements stated in an item's text: 'aged 18-65 years', 'Age ≥ 18 years', '18 years or
older', '18 or older', 'under 18 years', 'under age 60', 'over the age of 18', 'greater or equal to
18', 'ages 19 and over, under 75', 'Age > 18 and < 70 years', 'Between 18 to 65 years, inclusive',
'aged between 18 and 65' (no unit after 'aged'), 'patient > 18 years' (the bound right after the person),
'minimum age of 18 years', '18 and over' under an
'Age:' heading or nested under an item that is only 'Age', 'from 2 to <12 years of age' (the upper
bound's own operator; 'Age > 18 and < 70 years' stays two bounds). An '=' alone before an age ('=
18 years of age and <60 years') is read as the '≥' or '≤' lost in the record's encoding only when
the record's own minimum or maximum age is that number (at 0.6, with the reason); otherwise the
item is left for review.

Ages are evaluated in completed years: a bound in months that is a whole number of years is
converted; a bound in hours, days, weeks or other months is recognised but not drafted (the item stays
for review, with the bound in the reason). 'Gestational age', 'bone age', 'age at diagnosis' and
the like are not the patient's age, nor is an age at a past point named after it ('older than 65
years at initial diagnosis', 'when first diagnosed', 'when the cancer was diagnosed'), nor the age of someone
the participant lives with or cares for ('with children younger than 2 years'). An age in parentheses after something else ('Grades 9-12
(corresponding to 13-20 years of age)') is a gloss, not a requirement; an age inside a condition
('for individuals >= 1 year of age') is made a condition by `qualifiers`. An age stated for one
sex ('men age ≥55 years', 'women over the age of 50') binds only that sex (a rule for it, or one of
several alternatives by sex) and is left for review, unless the inclusion's subject is that sex
('Women of 20 to 30 years of age': both are required).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers.age_bounds import NUM as _NUM
from screening.ctgov.recognisers.age_bounds import OF_AGE_AFTER as _OF_AGE_AFTER
from screening.ctgov.recognisers.age_bounds import UNIT as _UNIT
from screening.ctgov.recognisers.age_bounds import Bound
from screening.ctgov.recognisers.age_bounds import bounds as _bounds
from screening.ctgov.recognisers.age_context import (
    at_a_past_point_after,
    at_a_past_time,
    not_todays_age_before,
    others_enrolled_too,
)
from screening.ctgov.recognisers.base import (
    COUNTRIES,
    DURATION_HEADING,
    Finding,
    ItemText,
    blocked,
    numbers_in_digits,
    sentence_of,
    under_heading,
)
from screening.ctgov.recognisers.base import DIGIT as _DIGIT

# a measured quantity or score by name ('Karnofsky', 'weight', 'creatinine'): a bound after it is its own
from screening.ctgov.recognisers.measured_sense import MEASURE as _MEASURE
from screening.ctgov.recognisers.sex import SEX_SUBJECT
from screening.ctgov.thresholds import OP_TEXT, UNIT_RE

# a number joined just before an upper age bound, that no range read: perhaps its lower bound
_DANGLING_LOW = re.compile(rf"\b{_NUM}\s*(?:{_UNIT})?\s*(?:-|–|to|through|until|and|up\s+to)\s*$", re.IGNORECASE)
_ANCHOR = re.compile(r"(?<!gestational )(?<!bone )(?<!mental )(?<!menstrual )(?<!corrected )(?<!conceptional )"
                     # an age that is no person's age in years: 'skeletal age', 'reading age', 'heart age'
                     r"(?<!skeletal )(?<!dental )(?<!reading )(?<!heart )(?<!vascular )(?<!biological )(?<!lung )"
                     r"(?<!developmental )"
                     # ('minors' an age class too: 'Minors (under 18 years)')
                     r"\b(?:age[ds]?|adults?|adolescents?|children|minors|"
                     # the sexes, then a comma and a bound in years: 'Male or female, 18 years or above', 'Men and
                     # women, >= 18 years', 'Female, 18-45 years'
                     r"(?:males?|females?|men|women)(?=\s*,\s*(?:>=?|<=?|≥|≤)?\s*\d{1,3}\s*(?:(?:-|\u2013|to)\s*\d{1,3}\s*)?"
                     r"(?:years?|yrs?)\b)|"
                     r"(?:patients?|subjects?|participants?|individuals?|persons?|"
                     r"people|population|volunteers?|men|women|males?|females?)"
                     # the person, a verb that links it to the bound: 'patients must be younger than 70 years'
                     r"(?=(?:\s+(?:must|should|shall|will|to)\s+be|\s+(?:are|were|is|was))?\s+(?:over|under|older|younger|above|below|aged)\b"
                     # the bound in years right after the person: 'Male or female patient > 18 years'
                     r"|\s*(?:>=?|<=?|≥|≤)\s*\d{1,3}\s*(?:years?|yrs?|y(?=\s*(?:/o|of\s+age)\b))\b"
                     # or with its word after it: 'Patients 70 years or less', 'Participants 18 years or above',
                     # 'Participants of 65 years or older'
                     r"|\s+(?:of\s+)?\d{1,3}\s*(?:years?|yrs?|y\s+of\s+age|y/o)\s+(?:or|and)\s+(?:older|younger|over|under|above|below|more|"
                     r"less|greater)\b"
                     # or a range in years: 'Subjects of 40-70 years', 'Volunteers 20 to 45 years'
                     r"|\s+(?:of\s+)?\d{1,3}\s*(?:-|\u2013|to)\s*\d{1,3}\s*(?:years?|yrs?|y(?=\s*(?:/o|of\s+age)\b))\b))\b(?!\s+(?:at|of)\s+(?:diagnosis|onset|menarche|"
                     r"menopause|first|the\s+time\s+of\s+(?:diagnosis|transplant)|transplant(?:ation)?\b|HSCT\b|HCT\b|SCT\b))"
                     # the age of someone or something else: 'age of the biopsy sample', 'age of the youngest child'
                     r"(?!\s+of\s+(?:the|a|an|his|her|their)\s+(?!(?:patients?|participants?|subjects?|volunteers?|"
                     r"persons?|individuals?|child|infant|woman|man|recipient)\b)\w+)"
                     r"(?![\s-]*(?:adjusted|related|matched|appropriate|specific|standardi[sz]ed))", re.IGNORECASE)
_NOT_AGE = re.compile(r"\b(?:gestational|bone|mental|menstrual|post-?menstrual|corrected|post-?conceptional|skeletal|dental|"
                      r"reading|heart|vascular|biological|lung|developmental|"
                      # the age of a thing or of someone else: 'Transplant age > 2 years', 'graft age', 'donor age'
                      r"transplant|graft|allograft|donor|organ|implant|device|lesion|tumou?r|infarct|wound|ulcer|fracture)"
                      r"\s+age\b",
                      re.IGNORECASE)
# a time after an event: '2 years past treatment', 'beyond completion of therapy', 'out from transplant'
_AFTER_AN_EVENT = r"past\s+(?!(?:the\s+)?age\b)|beyond\b|out\s+(?:from|of)\b|"
_DURATION_AFTER = re.compile(r"^\s*(?:since|from|after|before|prior|ago|post\b|post-?(?:menopaus|partum|operat|transplant)\w*|"
                             rf"{_AFTER_AN_EVENT}"
                             # not 'of age', 'of either sex', 'of both genders', 'of any race'
                             r"of\s+(?!\s|age\b|either\b|both\b|any\b|all\b|each\b|(?:the\s+)?(?:male|female|same|opposite)\b))",
                             re.IGNORECASE)
_SINCE_AFTER = re.compile(r"^\s*(?:since|after|ago|post\b|post-?(?:menopaus|partum|operat|transplant)\w*|from\s+(?!birth\b)|"
                          rf"{_AFTER_AN_EVENT}"
                          # 'Aged over 2 years of disease duration'
                          r"of\s+(?:[\w-]+\s+){0,2}?(?:duration|follow-?up|treatment|therapy|illness))", re.IGNORECASE)
_LAB_UNIT = re.compile(rf"\s*(?:{UNIT_RE})", re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:to|and|-|–|,)?\s*")
_OR_ONLY = re.compile(r"\s*,?\s*or\s*", re.IGNORECASE)
_ONLY_PERSON = re.compile(r"[\W_]*(?:(?:patients?|subjects?|participants?|persons?|people|individuals?|who|are|is|aged?)"
                          r"\b[\W_]*)*", re.IGNORECASE)
_THEN_UPPER = re.compile(r"\s*(?:of\s+age|old)?\s*(?:and|,)\s*", re.IGNORECASE)
# an '=' alone before a number of years: a '≥' or '≤' lost in the record's encoding ('= 18 years of age')
# a minimum that is also the local legal age: '(or legal age of consent in the country)', 'or age of majority'
_LEGAL_AGE = re.compile(r"\bor\s+(?:the\s+)?(?:(?:local|legal|national)\s+)*age\s+of\s+(?:legal\s+)?(?:consent|majority|"
                        r"adulthood)[^,;.)]*|\bor\s+(?:the\s+)?(?:local\s+)?legal\s+age\b[^,;.)]*", re.IGNORECASE)
# another age in a parenthesis right after the age, for some place or people: '(19 in Korea)'
_OTHER_AGE_AFTER = re.compile(r"\s*\((?=[^()]*\d)(?=[^()]*\b(?:in|for|at)\b)[^()]*\)")
# another age for a place, in parentheses ('(or >= 20 years in Japan)', '(19 in South Korea)', '(>= 20 years in Japan and
# Taiwan)'): a place's name or 'countries', 'sites' after 'in' or 'for'
_LOCAL_AGE_AFTER = re.compile(r"\s*\((?=[^()]*\d)(?=[^()]*\b(?:in|for)\s+(?:the\s+)?(?:[A-Z][\w-]+|countries|sites?|"
                              r"regions?|jurisdictions?)\b)[^()]*\)")
# the point of entry the age is taken at, after it ('at the time of signing the informed consent', 'on the date of
# consent', '(inclusive) on the day of inclusion'): the screening date, where the age is read
_AT_ENTRY_AFTER = re.compile(r"\s*(?:\(\s*inclusive\s*\)\s*|,\s*inclusive,?\s*)?,?\s*(?:at|on|by)\s+(?:the\s+)?(?:(?:time|day|date)\s+of\s+)?"
                             r"(?:(?:signing|signature\s+of|giving|providing|obtaining)\s+)?(?:the\s+|their\s+)?(?:written\s+)?"
                             r"(?:informed\s+)?(?:consent(?:\s+form)?|ICF|screening(?:\s+visit)?|enrol(?:l)?ment|inclusion|"
                             r"randomi[sz]ation|registration|study\s+entry|entry|visit\s+1)\b", re.IGNORECASE)
# another age in a parenthesis right after the age, for some participants: '(16 years with parental consent)'
_AGE_IN_PARENTHESIS = re.compile(r"\s*\((?=[^()]*\b\d{1,3}\b)[^()]*\)")
# younger people let in with a parent's or guardian's consent, later in the item: '; 16-17 with parental consent'
_YOUNGER_WITH_CONSENT = re.compile(r"(?=.*\b(?:parents?|parental|guardians?)\b)(?=.*(?:\d|\bminors?\b))", re.IGNORECASE | re.DOTALL)
_AGE_HEADING = re.compile(r"^\W*age\W*$", re.IGNORECASE)
# a time free of a disease or in remission after a number of years that opens the item: 'At least 3 years disease-free',
# 'At least 2 years free of disease', '5 years in remission' (after a person it may be the person's state: 'Adults over 18
# years free of diabetes')
_FREE_AFTER = re.compile(r"^\s*(?:(?:disease|relapse|recurrence|progression|event|cancer|tumou?r)[-\s]free\b|free\s+(?:of|from)\b|"
                         r"in\s+(?:complete\s+|continuous\s+)?remission\b)", re.IGNORECASE)
# the item opens with a verb of being whose subject is the participant, unwritten: 'Be older than 80 years',
# 'Must be at least 18 years', 'Are between 18 and 65 years'
_BE_OPENING = re.compile(r"[\s*\-•(]*(?:(?:must|should|shall|will|to)\s+)?(?:be|are|is)\s+", re.IGNORECASE)
_OLDER_YOUNGER = re.compile(r"(?:older|younger)\s+than\b", re.IGNORECASE)
# the item's opening label 'Age' closed by a semicolon where a colon was meant: 'Age; 18-65'
_AGE_LABEL_SEMICOLON = re.compile(r"^[\s*\-•(]*ages?\s*(?=;\s*(?:[<>≤≥=]|\d))", re.IGNORECASE)
_ANCHOR_WITHIN = 30  # characters from an anchor ('age', 'aged') to the bound it introduces
_MAX_AGE = 130
_PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 365, "hour": 365 * 24}


# an age stated for one sex: 'men age ≥55 years', 'women aged over 50', 'female subjects aged 18-40', 'Females, 50 years
# or older'
# the other sex named just before, joined to it ('Men and women ...', 'males/females ...'), maybe with the
# states of the second ('Male or non-pregnant, non-lactating females ages 18 to 75': both sexes)
_STATE = r"(?:non-?\s*)?(?:pregnant|lactating|nursing|breast-?feeding|healthy|adult)"
_OTHER_SEX_AND = re.compile(rf"\b(?:men|man|males?|boys|women|woman|females?|girls)\s*(?:and|or|&|/|,)\s*"
                            rf"(?:{_STATE}\s*(?:,|and|or)?\s*){{0,3}}$", re.IGNORECASE)
_SEX_BEFORE = re.compile(r"\b(?P<sex>men|women|males?|females?|boys|girls)(?:\s+(?:participants?|subjects?|patients?|"
                         r"volunteers?))?(?:\s+(?:must|should|shall|will)\s+be|\s+(?:are|were|is|was))?(?:\s*,)?\s+(?:(?:aged?|ages)\s*(?:of\s+|:\s*)?)?$",
                         re.IGNORECASE)










def _of_something_else(text: str, b: Bound, lo: int, anchors: list[re.Match[str]]) -> bool:
    """The bound is a lab value's (a unit after it), another measure's named between the age word and
    it ('Age >= 18 years and Karnofsky >= 70'), or a gestational, bone ... age's."""
    start, end, unit, unit_stated = b[0], b[1], b[4], b[5]
    if _LAB_UNIT.match(text[end:]):
        return True
    if anchors and not (unit_stated and unit == "year") and _MEASURE.search(text, anchors[-1].end(), start):
        return True
    not_age = list(_NOT_AGE.finditer(text[lo:start]))
    return bool(not_age) and (not anchors or lo + not_age[-1].end() >= anchors[-1].end())


def _opens_the_sentence(text: str, b: Bound, s: int) -> bool:
    """A number of years (or one with no unit after 'older than', 'younger than', a person's comparison: 'Older than
    18') opens the sentence starting at `s`, after nothing or an opening verb of being ('Be older than 80 years'), and
    no time since, past or free of something follows it."""
    start, end, unit, unit_stated = b[0], b[1], b[4], b[5]
    in_years = unit_stated and unit == "year" or not unit_stated and _OLDER_YOUNGER.match(text, start) is not None
    return in_years and (not text[s:start].strip(" \t*-•(") or _BE_OPENING.fullmatch(text, s, start) is not None) \
        and not _DURATION_AFTER.match(text[end:]) and not _FREE_AFTER.match(text[end:])


def _is_age(text: str, b: Bound, group_age: bool) -> bool:
    """A bound is an age when the nearest anchor before it in its sentence is 'age', 'aged' or
    'adults' (not 'gestational age'); 'of age', 'old', 'or older' follows it; a number of years
    opens the sentence ('Under 18 years', 'Between 18 to 65 years, inclusive'; not 'At least 5
    years since ...'); or the item is under an 'Age:' heading. Not a bound without a unit in years
    after another measure named behind the anchor ('Age >= 18 years and Karnofsky >= 70'), nor a number
    of years since or of something ('Patients over 10 years post transplant', '... 3 years of follow-up')."""
    start, end, unit_stated = b[0], b[1], b[5]
    s, _ = sentence_of(text, start)
    lo = max(s, start - _ANCHOR_WITHIN)
    anchors = [a for a in _ANCHOR.finditer(text, lo, end) if a.start() < start
               and not re.search(r"\bof\s+$", text[lo:a.start()])]
    if _of_something_else(text, b, lo, anchors):
        return False
    raw = text[start:end]
    of_age = _OF_AGE_AFTER.match(text[end:]) is not None or re.search(r"(?:of\s+age|old|older|over|younger)\s*$", raw,
                                                                      re.IGNORECASE) is not None
    opens = _opens_the_sentence(text, b, s)
    named = re.search(r"\bage\s*(?:of|is|:)?\s*\d", raw, re.IGNORECASE) is not None  # 'under age 60', 'over the age of 18'
    if unit_stated and not named and _duration_after(text, end, anchors):
        return False
    return bool(anchors) or named or (of_age and (unit_stated or re.search(r"older|younger", raw, re.IGNORECASE) is not None)) \
        or opens or group_age or _age_of_the_class(text, b)


def _duration_after(text: str, end: int, anchors: list[re.Match[str]]) -> bool:
    """A time since or of something after a person ('Patients under 2 years since transplant'), or
    one since or after an event even after 'aged' ('Aged over 2 years since transplant')."""
    if not _DURATION_AFTER.match(text[end:]):
        return False
    return _SINCE_AFTER.match(text[end:]) is not None or not any(a.group(0).lower().startswith("age") for a in anchors)


def _joined(text: str, bounds: list[Bound], ages: list[bool]) -> list[bool]:
    """A bound joined to an age bound after it ('>= 14 days to < 28 days of age') is an age too, and
    so is an upper bound in years right after a lower age bound ('= 18 years of age and < 60 years'), and a bound
    above after an age bound below joined by 'or' ('younger than 18 years of age or older than 90 years')."""
    for i in range(len(bounds) - 2, -1, -1):
        between = text[bounds[i][1]:bounds[i + 1][0]]
        if ages[i + 1] and not ages[i] and (_JOIN.fullmatch(between) or _other_side(text, bounds[i], bounds[i + 1])):
            ages[i] = True
    for i in range(len(bounds) - 1):
        if ages[i] and not ages[i + 1] and _age_after_age(text, bounds[i], bounds[i + 1]):
            ages[i + 1] = True
    return ages


def _other_side(text: str, first: Bound, age: Bound) -> bool:
    """`first`, with no unit, is the other side of the age bound in years after it, joined by 'or': a range
    outside which ages are, its unit said once after both ('<30 or >69 years old', 'over 70 or under 25 years of
    age'); only when nothing but the person comes before it in its sentence (not 'BMI < 18 or > 65 years old')."""
    below = ("lt", "le")
    if first[5] or not age[5] or age[4] != "year" or (first[2] in below) == (age[2] in below) or "eq" in (first[2], age[2]):
        return False
    s, _ = sentence_of(text, first[0])
    return _OR_ONLY.fullmatch(text, first[1], age[0]) is not None and _ONLY_PERSON.fullmatch(text, s, first[0]) is not None


def _age_after_age(text: str, low: Bound, high: Bound) -> bool:
    """`high`, right after the age bound `low`, is an age too: its upper bound in years ('= 18 years of age and < 60
    years'), or the other side of a range outside which ages are ('younger than 18 years of age or older than 90
    years': the age of the first bound said of the second; not a time since something, 'or more than 2 years since
    transplant')."""
    between = text[low[1]:high[0]]
    if low[2] in ("ge", "gt", "eq") and high[2] in ("le", "lt"):
        return high[4] == "year" and high[5] and _THEN_UPPER.fullmatch(between) is not None
    return low[2] in ("le", "lt") and high[2] in ("ge", "gt") and high[4] == "year" \
        and _OR_JOIN.fullmatch(between) is not None and not _DURATION_AFTER.match(text[high[1]:])


# an age class opening the item, then the people and a parenthesis right after them: 'Adult kidney transplant
# recipients (', 'Elderly hip fracture patients ('
_CLASS_PEOPLE_THEN_PARENTHESIS = re.compile(
    r"^\W*(?P<cls>adults?|elderly|older|p(?:a)?ediatric|adolescents?|children|child)\b[^()\n.;:]{0,60}?\b"
    r"(?:patients?|subjects?|participants?|individuals?|persons?|people|volunteers?|recipients?|survivors?|men|women|"
    r"males?|females?)\s*\(\s*$", re.IGNORECASE)


def _age_of_the_class(text: str, b: Bound) -> bool:
    """The bound opens a parenthesis right after the people an age class opening the item names, and is an age of
    that class: 'Adult kidney transplant recipients (≥18 years)', 'Elderly hip fracture patients (65 years and over)'
    (not 'Adult renal transplant recipients (< 1 year)' nor '(≥ 2 years)', a time since the transplant)."""
    m = _CLASS_PEOPLE_THEN_PARENTHESIS.match(text[:b[0]])
    if m is None or b[4] != "year" or b[2] not in ("ge", "gt", "le", "lt"):
        return False
    cls, low, n = m.group("cls").lower(), b[2] in ("ge", "gt"), b[3]
    if cls.startswith("adult"):
        return n >= 16 if low else n >= 30
    if cls in ("elderly", "older"):
        return n >= 50
    return n <= 17 if low else n <= 21


def _in_gloss(text: str, start: int) -> bool:
    """Inside parentheses that follow something other than an age word."""
    opening = text.rfind("(", 0, start)
    if opening == -1 or text.find(")", opening) < start:
        return False
    return not _ANCHOR.search(text[max(0, opening - 20):start])


def _in_years(op: str, value: float, unit: str) -> float | None:
    """A bound in completed years; None when it cannot be one ('< 18 months', '>= 28 days')."""
    if unit == "year":
        return value
    years = value / _PER_YEAR[unit]
    return years if unit == "month" and years.is_integer() and op in ("ge", "lt") else None


def _age_range(bounds: list[tuple[str, float]]) -> dict[str, Any] | None:
    """The `age:` range of the bounds; None for contradictory or implausible ones."""
    rng: dict[str, Any] = {}
    for op, v in bounds:
        value = int(v) if float(v).is_integer() else v
        if op in rng or not 0 <= value <= _MAX_AGE:
            return None
        rng[op] = value
    lows = [rng[o] for o in ("ge", "gt") if o in rng]
    highs = [rng[o] for o in ("le", "lt") if o in rng]
    if len(lows) > 1 or len(highs) > 1 or (lows and highs and lows[0] >= highs[0]):
        return None
    if set(rng) == {"ge", "le"}:
        return {"between": [rng["ge"], rng["le"]]}
    return rng


def _reading(rng: dict[str, Any]) -> str:
    if "between" in rng:
        return f"age {rng['between'][0]} to {rng['between'][1]} years inclusive (completed years)"
    return "age " + " and ".join(f"{OP_TEXT[op]} {v}" for op, v in rng.items()) + " years (completed years)"


def _all_age_bounds(item: ItemText, group_age: bool) -> list[Bound]:
    """The bounds of every age the item states."""
    text = item.text
    bounds = _bounds(text, group_age)
    ages = _joined(text, bounds, [_is_age(text, b, group_age) for b in bounds])
    return [b for b, age in zip(bounds, ages, strict=True) if age]


def _age_bounds(item: ItemText, group_age: bool) -> list[Bound]:
    """The bounds of the first sentence that states an age."""
    found = _all_age_bounds(item, group_age)
    if not found:
        return []
    sentence = sentence_of(item.text, found[0][0])
    return [b for b in found if sentence_of(item.text, b[0]) == sentence]


def _later_age(item: ItemText, group_age: bool, found: list[Bound]) -> tuple[str, bool] | None:
    """Another sentence of the item that states an age too ('younger than 18 years; older than 80
    years'): left for review, never dropped without a word; and whether it bounds the age on a side
    the first bounds too ('18 years or older; for Part B, 12 years or older'): another age for some,
    which the first would turn away."""
    sentence = sentence_of(item.text, found[0][0])
    other = [b for b in _all_age_bounds(item, group_age) if sentence_of(item.text, b[0]) != sentence]
    if not other:
        return None
    sides = {_SIDE[b[2]] for b in found}
    # (not a place's own age: 'For Japan: ... at least 20 years', read as the local age a parenthesis gives)
    again = any(_SIDE[b[2]] in sides and not _A_PLACE.search(item.text, *sentence_of(item.text, b[0])) for b in other)
    return f"another sentence states an age too ('{item.text[other[0][0]:other[0][1]].strip()}'): left for review", again


_SIDE = {"ge": "low", "gt": "low", "le": "high", "lt": "high"}
_A_PLACE = re.compile(rf"(?-i:\b(?:{COUNTRIES})\b)|\b(?:countr(?:y|ies)|sites?|regions?|jurisdictions?)\b", re.IGNORECASE)


def _contradicts(item: ItemText, rng: dict[str, Any]) -> str | None:
    """The record's age fields, when the age the item states cannot hold with them: an inclusion
    that admits no age of the record's range ('ages < 18' with minimumAge 18 Years), or an exclusion
    that leaves less than a year of it ('ages > 18' with minimumAge 18 Years and no maximum)."""
    if item.registry_age is None:
        return None
    low_f, high_f = item.registry_age
    low, high = low_f or 0.0, high_f if high_f is not None else float(_MAX_AGE)
    lo = max([float(rng[k]) for k in ("ge", "gt") if k in rng] + ([float(rng["between"][0])] if "between" in rng else [])
             + [0.0])
    hi = min([float(rng[k]) for k in ("le", "lt") if k in rng] + ([float(rng["between"][1])] if "between" in rng else [])
             + [float(_MAX_AGE)])
    if item.kind == "inclusion":
        clash = min(hi, high) - max(lo, low) < 1 and not (lo <= low and high <= hi)
    else:
        clash = max(0.0, min(hi, high) - max(lo, low)) > (high - low) - 1
    if not clash:
        return None
    return ", ".join(f"{name} {v:g} years" for name, v in (("minimumAge", low_f), ("maximumAge", high_f))
                     if v is not None)


def _of_age_tail(text: str, end: int) -> int:
    """The end of the bound read up to 'of age', 'old', 'or older' right after it."""
    tail = _OF_AGE_AFTER.match(text[end:])
    return end + (tail.end() if tail else 0)


def _place_and_entry_tail(text: str, end: int) -> int:
    """The end of the bound read up to another age for a place (named in the reading by `_confidence`) and the point
    of entry the age is taken at ('at the time of signing the informed consent': the screening date)."""
    local = _LOCAL_AGE_AFTER.match(text, end)
    end = local.end() if local is not None else end
    entry = _AT_ENTRY_AFTER.match(text, end)
    return entry.end() if entry is not None else end


def _without_local_ages(text: str, found: list[Bound]) -> list[Bound]:
    """The bounds but those of another age for some place in parentheses right after one ('Age >= 18 years (or
    >= 20 years in Japan)'): the local age is named in the reading (`_confidence`), not read as a second bound."""
    local = [m.span() for b in found if (m := _LOCAL_AGE_AFTER.match(text, b[1])) is not None]
    return [b for b in found if not any(s <= b[0] < e for s, e in local)]


def _younger_elsewhere(text: str, rng: dict[str, Any], end: int) -> str | None:
    """Another age in parentheses right after the bound, for a place or group, below its lower bound ('>= 18 years
    (>= 16 years in the UK)'): the parenthesis; else None (a higher one, '(>= 20 in Japan)', the bound still holds)."""
    other = _OTHER_AGE_AFTER.match(text, _of_age_tail(text, end))
    low = rng.get("ge", rng.get("gt", (rng.get("between") or [None])[0]))
    number = re.search(r"\d+(?:\.\d+)?", other.group(0)) if other is not None else None
    if number is None or low is None or float(number.group(0)) >= float(low):
        return None
    return other.group(0)  # type: ignore[union-attr]


def _not_a_requirement(item: ItemText, rng: dict[str, Any], start: int, end: int) -> Finding | None:
    """Why the age stated at `start`..`end` is not a requirement of its own (an upper bound with a
    number joined before it that may be its lower bound, another age in parentheses after it,
    younger people let in later with a parent's consent, an age at diagnosis, a gloss, a clash with the record's age fields, an age of one sex), as a finding without a
    definition; else None."""
    text = item.text
    if not any(k in rng for k in ("ge", "gt", "between")) and _DANGLING_LOW.search(text, max(0, start - 25), start):
        return blocked("age", f"{_reading(rng)}: the number joined before it may be its lower bound, not read", text,
                       max(0, start - 25), end)
    if item.kind == "inclusion" and any(k in rng for k in ("ge", "gt", "between")) \
            and _YOUNGER_WITH_CONSENT.match(text, end):
        return blocked("age", f"{_reading(rng)}, and the item lets younger people in with a parent's or guardian's "
                              "consent", text, start, len(text))
    other = _AGE_IN_PARENTHESIS.match(text, end)
    if other is not None and _OTHER_AGE_AFTER.match(text, end) is None:
        return blocked("age", f"{_reading(rng)}, with another age in parentheses ('{other.group(0).strip()}'): an age "
                              "for some participants, which the bound alone would turn away", text, start, other.end())
    younger = _younger_elsewhere(text, rng, end)
    if younger is not None:
        return blocked("age", f"{_reading(rng)}, with a younger age for some place or group in parentheses "
                              f"('{younger.strip()}'): the bound alone would turn those participants away", text, start,
                       _of_age_tail(text, end) + len(younger))
    named_before = not_todays_age_before(text, _reading(rng), start, end)
    if named_before is not None:
        return named_before
    past = at_a_past_time(text, _reading(rng), start, end)
    if past is not None:
        return past
    if _in_gloss(text, start) and not _CLASS_PEOPLE_THEN_PARENTHESIS.match(text[:start]):
        return blocked("age", f"{_reading(rng)} is stated in parentheses, as a gloss of another requirement",
                       text, start, end)
    past = at_a_past_point_after(text, _reading(rng), start, end) or others_enrolled_too(text, _reading(rng), start, end)
    if past is not None:
        return past
    return _clash_or_one_sex(item, rng, start, end)


def _clash_or_one_sex(item: ItemText, rng: dict[str, Any], start: int, end: int) -> Finding | None:
    """The age stated at `start`..`end` contradicting the record's age fields, or of one sex only, as a finding
    without a definition; else None."""
    text = item.text
    clash = _contradicts(item, rng)
    if clash:
        return blocked("age", f"{_reading(rng)} contradicts the record's own ages ({clash}): the text or the "
                              "fields are wrong", text, start, end)
    one_sex = _SEX_BEFORE.search(text, sentence_of(text, start)[0], start)
    if one_sex is not None and _OTHER_SEX_AND.search(text, 0, one_sex.start()):
        one_sex = None  # 'Men and women younger than 30': both sexes
    if one_sex is not None and not (item.kind == "inclusion" and SEX_SUBJECT.match(text)):
        return blocked("age", f"{_reading(rng)} for {one_sex.group('sex').lower()} only: the other sex is not bound by "
                              "it (a rule or an alternative for one sex)", text, one_sex.start(), end)
    return None


# between the two bounds of an age outside a range ('Age < 20 or > 35 years'; 'more than 70 yr and less
# than 40 yr': no one is both, so either)
_OR_JOIN = re.compile(rf"\s*(?:{_UNIT}(?:\s+old)?)?(?:\s+of\s+age)?\s*,?\s*(?:or|and)\s+(?:(?:aged?|older|younger)\s+)?",
                      re.IGNORECASE)


def _outside(item: ItemText, found: list[Bound], years: list[tuple[str, float | None]]) -> list[Finding]:
    """An exclusion of ages either side of a range, in either order ('Age < 20 or > 35 years', 'over
    65 or under 18 years'): any of the two."""
    if item.kind != "exclusion" or len(found) != 2 or not _OR_JOIN.fullmatch(item.text[found[0][1]:found[1][0]]):
        return []
    if years[0][0] in ("gt", "ge"):
        years = years[::-1]
    (op1, y1), (op2, y2) = years
    if op1 not in ("lt", "le") or op2 not in ("gt", "ge") or y1 is None or y2 is None or y1 >= y2:
        return []
    parts = [{"age": {op1: int(y1) if float(y1).is_integer() else y1}},
             {"age": {op2: int(y2) if float(y2).is_integer() else y2}}]
    start, end = found[0][0], found[1][1]
    tail = _OF_AGE_AFTER.match(item.text[end:])
    end += tail.end() if tail else 0
    reading = f"age {OP_TEXT[op1]} {y1:g} or {OP_TEXT[op2]} {y2:g} years (completed years): outside the range"
    # an age at a past point, named before or after both bounds ('age < 18 or > 60 years at diagnosis')
    past = not_todays_age_before(item.text, reading, start, end) or at_a_past_time(item.text, reading, start, found[1][1]) \
        or at_a_past_point_after(item.text, reading, start, found[1][1])
    if past is not None:
        return [past]
    return [Finding("age", {"any": parts}, item.text[start:end].strip(), 0.8, reading, start, end)]


# an exclusion that is only 'Minors', 'Minor patients', 'Subjects who are minors' (or in the singular: 'Minor', 'Patient
# who is a minor')
_MINORS = re.compile(r"^\W*(?:(?:patients?|subjects?|participants?|persons?|people)\s+(?:who\s+(?:are|is)\s+(?:an?\s+)?)?)?"
                     r"(?:minors?|minor\s+(?:patients?|subjects?|participants?|persons?|children))\W*$", re.IGNORECASE)
_MAJORITY = 18.0


def _minors(item: ItemText) -> list[Finding]:
    """Minors excluded: under 18 when the record's own minimum age is 18 (the age of majority is
    not 18 everywhere, so without it the item is left for review)."""
    m = _MINORS.match(item.text)
    if m is None or item.kind != "exclusion":
        return []
    if item.registry_age is None or item.registry_age[0] != _MAJORITY:
        return [blocked("age", "minors: the age of majority depends on the country and the record's minimumAge "
                               "is not 18 years", item.text, m.start(), m.end())]
    return [Finding("age", {"age": {"lt": 18}}, item.text.strip(), 0.7,
                    "minors: age < 18 years, the record's minimumAge (the age of majority where the study runs: "
                    "check it)", m.start(), m.end())]


def _heading_age(item: ItemText) -> bool | None:
    """True under an 'Age:' heading, or nested under an item that is only the word 'Age' (the
    legacy PDQ layout writes its sub-headings as items: 'Age' -> '18 and over'); None under a
    heading naming another duration ('Life expectancy:' -> 'At least 2 years') with no age word."""
    if under_heading(item, DURATION_HEADING) and not _ANCHOR.search(item.text):
        return None
    return bool(item.group and re.search(r"\bage\s*$", item.group, re.IGNORECASE)) \
        or bool(item.ancestors and _AGE_HEADING.match(item.ancestors[-1]))


def _lost_signs(item: ItemText, found: list[Bound]) -> Finding | tuple[list[Bound], str]:
    """The bounds with each '=' alone before an age ('= 18 years of age') read as the '≥' or '≤'
    the record's own minimum or maximum age confirms, and the reading of that; a blocked finding
    when the age fields do not settle it (an equal age is no range)."""
    lost = [b for b in found if b[2] == "eq"]
    if not lost:
        return found, ""
    low, high = item.registry_age or (None, None)
    out = []
    for b in found:
        if b[2] == "eq":
            op = "ge" if b[4] == "year" and b[3] == low else "le" if b[4] == "year" and b[3] == high else None
            if op is None:
                return blocked("age", f"'= {b[3]:g} {b[4]}s': an equals sign alone before an age (a lost '≥' or '≤'?) "
                                      "that the record's age fields do not settle", item.text, b[0], b[1])
            b = (b[0], b[1], op, b[3], b[4], b[5])
        out.append(b)
    return out, ("the '=' before " + " and ".join(f"{b[3]:g}" for b in lost) + " is read as the record's own "
                 "minimum or maximum age (a '≥' or '≤' lost in its encoding): check it")


def _unwritable(item: ItemText, found: list[Bound], years: list[tuple[str, float | None]]) -> str | None:
    """Why a bound in hours, days, weeks or months cannot be drafted (None: every bound is in years; the reading names
    days, weeks and months, the units met in records, and states the bound itself)."""
    if all(y is not None for _, y in years):
        return None
    stated = " and ".join(f"{OP_TEXT[b[2]]} {b[3]:g} {b[4]}s" for b in found if _in_years(b[2], b[3], b[4]) is None)
    return f"age {stated}: age is evaluated in completed years, so a bound in days, weeks or months cannot be written exactly"


def _confidence(text: str, start: int, end: int, group_age: bool, rng: dict[str, Any],
                leaves: str | None, lost: str = "") -> tuple[float, str]:
    """The age finding's confidence and reading: lower when another age applies somewhere or a
    bound is left for review."""
    confidence, reading = (0.8 if group_age else 0.9), _reading(rng)
    legal = _LEGAL_AGE.search(text, end, sentence_of(text, start)[1]) or _OTHER_AGE_AFTER.match(text, end)
    if legal:  # 'or the legal age of consent in the country', '(19 in Korea)': another age applies somewhere
        confidence, reading = 0.6, reading + f"; '{legal.group(0).strip()}': the local age may be higher, check it"
    for why in (leaves, lost):  # a bound left for review; an '=' read as the record's own age
        if why:
            confidence, reading = min(confidence, 0.6), f"{reading}; {why}"
    return confidence, reading


def _age_label_colon(item: ItemText) -> ItemText:
    """The item with an opening 'Age;' label read as 'Age:' (every offset kept): a semicolon
    right after the bare label opens its value, it ends no sentence ('Age; 18-65')."""
    if ";" not in item.text[:12]:
        return item
    m = _AGE_LABEL_SEMICOLON.match(item.text)
    return item if m is None else replace(item, text=f"{item.text[:m.end()]}:{item.text[m.end() + 1:]}")


def recognise_age(item: ItemText) -> list[Finding]:
    """The age requirement of the first sentence that states one; minors excluded (`_minors`)."""
    original = item.text
    item = _age_label_colon(numbers_in_digits(item))
    text = item.text
    if not _DIGIT.search(text):
        return _minors(item)
    group_age = _heading_age(item)
    if group_age is None:
        return []
    found = _without_local_ages(text, _age_bounds(item, group_age))
    if not found:
        return []
    start, end = min(b[0] for b in found), max(b[1] for b in found)
    lost = _lost_signs(item, found)
    if isinstance(lost, Finding):
        return [lost]
    found, lost_reading = lost
    years = [(b[2], _in_years(b[2], b[3], b[4])) for b in found]
    leaves = _unwritable(item, found, years)
    if leaves is not None:
        # in an inclusion, 'Age 3 months to 17 years': the bound in years still holds. Not in an
        # exclusion (a range there is one condition: without one of its bounds it would exclude more),
        # nor with more than one range in the sentence ('(13-17 years to be capped at 10%)')
        # nor when the bound in years left is 0 ('Infants 0 to 6 months of age': age >= 0 says nothing of the age)
        if item.kind != "inclusion" or len(found) != 2 or all(y is None or (op, y) == ("ge", 0) for op, y in years):
            return [blocked("age", leaves, text, start, end)]
        leaves += ": left for review"
    rng = _age_range([(op, y) for op, y in years if y is not None])
    if rng is None:
        return _outside(item, found, years)
    not_required = _not_a_requirement(item, rng, start, end)
    if not_required is not None:
        return [not_required]
    return [_age_finding(item, original, rng, (start, end), group_age, found, (leaves, lost_reading))]


def _age_finding(item: ItemText, original: str, rng: dict[str, Any], span: tuple[int, int], group_age: bool,
                 found: list[Bound], notes: tuple[str | None, str]) -> Finding:
    """The age range `rng` read at `span` as a finding: left for review when a later age bounds it on the same side."""
    text, (start, end), (leaves, lost_reading) = item.text, span, notes
    end = _of_age_tail(text, end)
    later = _later_age(item, group_age, found)
    if later is not None and later[1]:
        return blocked("age", f"{_reading(rng)}; {later[0]}, bounding the age on the same side: another age for some "
                              "participants, which the first would turn away", text, start, end)
    if later is not None:
        leaves = f"{leaves}; {later[0]}" if leaves else later[0]
    confidence, reading = _confidence(text, start, end, group_age, rng, leaves, lost_reading)
    end = _place_and_entry_tail(text, end)
    return Finding("age", {"age": rng}, original[start:end].strip(), confidence, reading, start, end, leaves=leaves)


# the long patterns searched for in whole items, each with a look at the characters its matches start with ahead of
# it (`with_first_look`: the same matches, found faster)
_ANCHOR = with_first_look(_ANCHOR)
