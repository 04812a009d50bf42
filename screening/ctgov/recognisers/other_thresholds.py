"""Another threshold in a definition's sentence that no definition reads, or another sentence of its item that gives a
bare threshold or makes an exception, which `qualifiers` asks of every definition (`elsewhere`): a number that is
not a bound of anything (a duration beside an age, a contraception's period, a diagnosis dated, a count of listed
items) is passed over."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.age_bounds import of_its_own_quantity
from screening.ctgov.recognisers.base import AFTER_A_DELIVERY, LOCAL_ROUTES, Finding, ItemText, sentences
from screening.ctgov.recognisers.labs import latest_specs
from screening.ctgov.recognisers.measured_sense import MEASURE as _MEASURE
from screening.ctgov.recognisers.permissions import ADMITTED_OR_TAKING_PART, ELLIPTICAL_PERMISSION
from screening.ctgov.thresholds import OPERATOR, comparisons
from screening.ctgov.windows import windows

# a sentence that opens with a threshold and names no measure ('...; ≥ 50 x 10^9/L if marrow infiltration')
# (after the case it holds in, too, which names no measure: '...; if liver metastases, > 5 x ULN', '... For patients with
# bone metastases, <= 5 x ULN')
_BARE_THRESHOLD = re.compile(rf"\W*(?:(?P<case>(?:if|for|in|with|when|unless)\b[^;.:\d<>≤≥]{{0,60}}?),?\s*)?(?:or\s+)?"
                             rf"(?:{OPERATOR})\s*\d", re.IGNORECASE)
_AGE_WORD = re.compile(r"\b(?:age[ds]?|years?)\b", re.IGNORECASE)
_LISTED_OR = re.compile(r"\s*(?:or|and/or)\b", re.IGNORECASE)
_OR_WORD = re.compile(r"\s(?:or|and/or)\s", re.IGNORECASE)
_AND_WORD = re.compile(r"\band\s", re.IGNORECASE)
# steroids of a local route let in by another sentence ('; inhaled steroids permitted'): no exception of systemic ones
_LOCAL_STEROIDS = re.compile(rf"\b(?:{LOCAL_ROUTES})\s+(?:cortico)?steroids?\b", re.IGNORECASE)
# case-sensitive: emphasis that both must hold
# a relative clause right after an age ('... 18 years of age who remain hypotensive')
WHO_AFTER = re.compile(r"[^,;()]{0,20}?\b(?:who|whose)\b", re.IGNORECASE)


# a labelled value after the definition ('... <126 mg/dl and 2 hour: 140 - 199 mg/dl or >200 mg/dl')
_LABELLED = re.compile(r"(?:\band\b|[,;])\s*[^:;,.()]{1,20}:\s", re.IGNORECASE)


def _of_another_measure(text: str, f: Finding, s: int, start: int, exclusion: bool = False) -> bool:
    """The threshold at `start` is another measured quantity's own, listed beside the definition:
    its comma or semicolon clause names a measure ('..., Albumin < 3.2 g/dL'), does not hold the
    definition and is not an alternative ('..., or ...'), or a label with its colon comes between
    them ('... and 2 hour: ...'). In an exclusion, where either excludes, 'or' bounds the clause too
    ('a haematocrit < 30% or a haemoglobin < 11 g/dL'); in an inclusion, where each requirement
    holds on its own, 'and' does ('Age >= 18 years and Karnofsky >= 70')."""
    if f.end <= start and _LABELLED.search(text, f.end, start):
        return True
    cs = max(s, text.rfind(",", s, start) + 1, text.rfind(";", s, start) + 1)
    ends = [i for i in (text.find(",", start), text.find(";", start)) if i >= 0]
    ce = min(ends) if ends else len(text)
    if not exclusion:
        cs = max([cs] + [m.end() for m in _AND_WORD.finditer(text, max(cs, f.end), start)])
    if exclusion:
        cs = max([cs] + [m.end() for m in _OR_WORD.finditer(text, cs, start)])
        after = _OR_WORD.search(text, start, ce)
        ce = after.start() if after else ce
    return not (cs <= f.start < ce) and not _LISTED_OR.match(text, cs) and _MEASURE.search(text, cs, start) is not None


# how long something lasted, beside an age ('18 to 64 years with atopic dermatitis present for at least 3
# years'): the duration is of what the people have, not a condition on their age
_A_DURATION = re.compile(r"\bfor\s+$", re.IGNORECASE)
_TIME_UNIT = re.compile(r"\s*(?:years?|months?|weeks?|days?)\b", re.IGNORECASE)
# a count of the items listed after it ('and at least 1 of the following conditions apply:'): no threshold
_COUNT_OF_LISTED = re.compile(r"\s*(?:of|out\s+of)\s+(?:the\s+)?(?:following|below|these|them|criteria)\b", re.IGNORECASE)


# a relative clause joined by 'and' right after a measured value ('HbA1c >= 7% and who have not had dietary counselling
# for at least 6 months'): another requirement of the same people (not 'for patients who ...', a case of the value)
_AND_WHO_AFTER = re.compile(r"\s*,?\s*and\s+(?:who|whose)\b", re.IGNORECASE)


def whoclause(item: ItemText, f: Finding, e: int) -> int:
    """Where a relative clause about the people an inclusion's age describes begins ('adults >= 18
    years of age who remain hypotensive ... > 0.2 ug/kg/min'), or one joined by 'and' after a measured
    value: what it states is another requirement of the same people, not a condition on the age or the
    value; the sentence's end when there is none."""
    if item.kind != "inclusion":
        return e
    if f.slug == "age":
        m = WHO_AFTER.match(item.text, f.end, e)
    elif f.when is not None and latest_specs(f.when):
        m = _AND_WHO_AFTER.match(item.text, f.end, e)
    else:
        return e
    return f.end + m.end() - m.start() if m else e


def _a_duration_beside_an_age(text: str, f: Finding, start: int, end: int, exclusion: bool) -> bool:
    """The comparison at `start`-`end` is how long something lasted ('for at least 3 years'), beside
    an age, or beside a life expectancy in an inclusion ('on haemodialysis for at least 6 weeks with a life
    expectancy > 6 months': how long the treatment has lasted, another requirement; in an exclusion only both
    together exclude): no condition on the age or the prognosis."""
    return (f.slug == "age" or (f.slug == "life_expectancy" and not exclusion)) \
        and _A_DURATION.search(text, 0, start) is not None and _TIME_UNIT.match(text, end) is not None


# how long contraception is used, after a pregnancy state or test ('..., and use effective contraception for at
# least 6 months after the last dose'): the period of the contraception, not a bound of the pregnancy
_CONTRACEPTION = re.compile(r"contracep|birth\s+control", re.IGNORECASE)
_PREGNANCY_SLUGS = frozenset({"pregnancy", "pregnancy_test", "lactation"})


def _a_contraception_period(text: str, f: Finding, start: int, end: int) -> bool:
    """The comparison at `start`-`end` is how long contraception is used ('for at least 6 months'), after
    a pregnancy finding: no bound of the pregnancy."""
    return f.slug in _PREGNANCY_SLUGS and f.end <= start and _CONTRACEPTION.search(text, f.end, start) is not None \
        and _A_DURATION.search(text, 0, start) is not None and _TIME_UNIT.match(text, end) is not None


# a plan to become pregnant before the comparison ('or women planning on becoming pregnant ≤ 6 months')
_PREGNANCY_PLAN = re.compile(r"\b(?:plan(?:s|ned|ning)?|intend\w*|intention|desir\w*|wish\w*)\b[^.;]{0,30}?"
                             r"\b(?:pregnan\w*|conceiv\w*)\b[^.;\d]{0,10}$", re.IGNORECASE)


def _a_plan_period(text: str, f: Finding, start: int, end: int) -> bool:
    """The comparison at `start`-`end` is the period of a plan to become pregnant named right before it, after a
    pregnancy finding ('... or planning on becoming pregnant ≤ 6 months'): it dates the plan, no bound of the state."""
    return f.slug in _PREGNANCY_SLUGS and f.end <= start and _TIME_UNIT.match(text, end) is not None \
        and _PREGNANCY_PLAN.search(text, f.end, start) is not None


# how long after a delivery, after a pregnancy finding ('Pregnant or less than 6 weeks postpartum', '... or under 3 months
# since delivery'): the time after the delivery, left for review, no bound of the state
_AFTER_A_DELIVERY = re.compile(rf"\s*(?:years?|months?|weeks?|days?)\s+{AFTER_A_DELIVERY}", re.IGNORECASE)


def _a_time_after_delivery(text: str, f: Finding, start: int, end: int) -> bool:
    """The comparison at `start`-`end` is a time after a delivery ('less than 6 weeks postpartum'), after a pregnancy
    finding: no bound of the state."""
    return f.slug in _PREGNANCY_SLUGS and f.end <= start and _AFTER_A_DELIVERY.match(text, end) is not None


# how long ago a diagnosis was made, before the measured value that confirms it ('Renal impairment diagnosed more
# than 90 days prior to screening and confirmed by an eGFR of 30-59 ...'): it dates the diagnosis, not the value
_DIAGNOSED = re.compile(r"\bdiagnos(?:ed|is)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_AGO = re.compile(r"\s*(?:years?|months?|weeks?|days?)\s+(?:prior\s+to|before|ago|earlier)\b", re.IGNORECASE)


def _a_diagnosis_dated(text: str, f: Finding, start: int, end: int, exclusion: bool) -> bool:
    """The comparison at `start`-`end` says how long ago a diagnosis was made ('diagnosed more than 90 days
    prior to ...'), before a measured value's finding in an inclusion: another requirement, no bound of the
    value. In an exclusion only both together exclude ('Neutropenia diagnosed more than 4 weeks before ...
    with ANC < 1000/mm3': not every low count)."""
    return not exclusion and f.when is not None and bool(latest_specs(f.when)) and end <= f.start \
        and _DIAGNOSED.search(text, 0, start) is not None and _AGO.match(text, end) is not None


# a stage's threshold with a bracket right after it that holds the definition ('Chronic kidney disease stage ≥4 (eGFR
# <30 mL/min/1.73 m2)'): the bracket says what the stage means, no other bound
_STAGE_BEFORE = re.compile(r"\bstages?\s*$", re.IGNORECASE)
_OPEN_AFTER = re.compile(r"\s*\(")


def _a_stage_its_bracket_defines(text: str, f: Finding, start: int, end: int) -> bool:
    """The comparison at `start`-`end` is a stage's, and the definition `f` is in the bracket right after it."""
    opened = _OPEN_AFTER.match(text, end)
    return opened is not None and opened.end() <= f.start and ")" not in text[opened.end():f.start] \
        and _STAGE_BEFORE.search(text, max(0, start - 12), start) is not None


def _no_bound(text: str, f: Finding, start: int, end: int, exclusion: bool) -> bool:
    """The comparison at `start`-`end` bounds nothing the finding could be qualified by: a count of the items
    listed after it, how long something lasted beside an age (or a life expectancy), how long contraception is used or
    a pregnancy is planned for, how long after a delivery, how long ago a diagnosis was made before the value that
    confirms it, or a stage the bracket after it defines by the finding."""
    return _COUNT_OF_LISTED.match(text, end) is not None or _a_duration_beside_an_age(text, f, start, end, exclusion) \
        or _a_contraception_period(text, f, start, end) or _a_plan_period(text, f, start, end) \
        or _a_time_after_delivery(text, f, start, end) \
        or _a_diagnosis_dated(text, f, start, end, exclusion) or _a_stage_its_bracket_defines(text, f, start, end)


def _bare_threshold(text: str, start: int) -> bool:
    """The sentence at `start` opens with a threshold that names no measure, after the case it holds in at most
    ('...; if liver metastases, > 5 x ULN'; not 'For Japan: ... age at least 20', whose case names one, nor '≥30
    pack-years smoking', whose unit names its own quantity)."""
    bare = _BARE_THRESHOLD.match(text, start)
    case = bare.group("case") if bare else None
    return bare is not None and not (case and (_MEASURE.search(case) or _AGE_WORD.search(case))) \
        and not of_its_own_quantity(text, bare.end())


def elsewhere(text: str, f: Finding, s: int, e: int, findings: list[Finding], until: int | None = None,
               exclusion: bool = False) -> str | None:
    """Another threshold in the sentence (before `until`), or another sentence that makes an exception."""
    spans = [(g.start, g.end) for g in findings] + [(w.start, w.end) for w in windows(text)]  # a window is no threshold
    for c in comparisons(text[s:e]):
        # (the space a bare number's match takes after it, '> 2 ' before 'or', is no part of it)
        start, end = s + c.start, s + c.start + len(c.raw.rstrip())
        if (until is not None and start >= until) or _no_bound(text, f, start, end, exclusion) \
                or of_its_own_quantity(text, end):
            continue
        if not any(a <= start and end <= b for a, b in spans) and not _of_another_measure(text, f, s, start, exclusion):
            return f"the sentence states another threshold, '{c.raw.strip()}', that is not recognised"
    for ss, se in sentences(text):
        if ss >= e and _bare_threshold(text, ss):
            return f"another sentence states a threshold without its measure ('{text[ss:se].strip()[:60]}'): " \
                   "another value of this one, for some patients"
        if (ss, se) != (s, e) and _makes_an_exception(text, f, ss, se):
            return f"another sentence makes an exception: '{text[ss:se].strip()[:80]}'"
    return None


def _makes_an_exception(text: str, f: Finding, ss: int, se: int) -> bool:
    """The sentence `ss`..`se` (another than the definition's) lets some patients in, about what the definition reads
    (its topic), which the definition does not account for; steroids of a local route let in are no exception of
    the systemic ones."""
    return bool(ADMITTED_OR_TAKING_PART.search(text[ss:se]) or ELLIPTICAL_PERMISSION.search(text[ss:se])) \
        and "exception" not in f.accounts_for \
        and (f.topic is None or re.search(f.topic, text[ss:se], re.IGNORECASE) is not None) \
        and not (f.value_sets == ["systemic_corticosteroids"] and _LOCAL_STEROIDS.search(text, ss, se))
