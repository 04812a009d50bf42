"""What an item says of a measured bound beyond its number, which `qualifiers` asks of every measured value: that it
is said the other way round (in an exclusion, words that require it or let it in, 'Haemoglobin must be >= 9 g/dL', or
a negation opening the clause; in an inclusion, a negation opening the clause, 'No thrombocytopenia (platelets <
100,000/mm3)', or a refusal after it, '... is not permitted'); that it excludes only in a treatment state its clause
names ('BP > 180/110 mmHg untreated', 'HbA1c > 8% on stable insulin', 'Creatinine > 3 mg/dL on dialysis'); or that
it is the case another bound is for ('CrCl >= 60 mL/min for creatinine > 1.5 x ULN')."""

from __future__ import annotations

import re

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers.analytes import ANALYTES
from screening.ctgov.recognisers.base import Finding, ItemText
from screening.ctgov.recognisers.context import clause
from screening.ctgov.recognisers.labs import SUPPORT, latest_specs

# any measured quantity the lab recogniser knows by name, drafted or not ('albumin', 'calcium')
MEASURE = re.compile("|".join(f"(?:{a.pattern.pattern})" for a in ANALYTES), re.IGNORECASE)

# in an exclusion, words that make a bound what is required, not what excludes: 'Haemoglobin must be >= 9 g/dL',
# 'Patients should have ANC >= 1500/mm3', 'ANC >= 1500/mm3 is required', '... are eligible', '... may be included'
# (not 'must be excluded', nor a support that is allowed: 'transfusion is allowed')
_REQUIRED = re.compile(r"\b(?:must|should|shall)\s+(?:have|be|show|demonstrate)\b(?!\s+(?:excluded|withdrawn|discontinued|"
                       r"removed|ineligible|not)\b)|"
                       # a bound the value must stay within: 'Creatinine must not exceed 1.5 mg/dL'
                       r"\b(?:must|should|shall)\s+not\s+(?:be\s+)?(?:exceed|below|above|less|more|greater|lower|higher|under|"
                       r"over)|\b(?:is|are)\s+(?:required|needed|mandatory)\b(?!\s+to\b)|\brequired\s*:|"
                       r"\b(?:is|are|will\s+be|remain)\s+(?:(?:still|also)\s+)?(?:eligible|included|enrolled|acceptable|allowed|"
                       r"permitted|accepted)\b|\b(?:may|can)\s+(?:still\s+)?(?:be\s+(?:included|enrolled|eligible|accepted)|"
                       r"participate|enrol+)\b|"
                       # 'Patients are required to have ...', 'need to have ...', 'Only patients with ...', 'Adequate organ
                       # function defined as ...'
                       r"\b(?:(?:are|is)\s+required|needs?)\s+to\s+(?:have|be|show)\b|^\W*only\s+(?:patients|subjects|"
                       r"participants|those|individuals)\b|^\W*adequate\b", re.IGNORECASE)
# in an inclusion, words that turn a bound into what excludes: a clause that opens with a negation ('No platelets <
# 100,000/mm3', 'Absence of anaemia (Hb < 10 g/dL)', 'Patients without ...', 'Free of fever (temperature > 38 °C)'),
# or a refusal right after it ('Creatinine > 2 mg/dL is not allowed', '... are excluded')
_NEGATED_CLAUSE = re.compile(r"\W*(?:(?:patients?|subjects?|participants?|individuals?|persons?|people|those)\s+)?"
                             r"(?:(?:with|who\s+(?:have|has|had|are|is|show))\s+)?(?:not\s+eligible|no|not|none|never|without|"
                             r"free\s+(?:of|from)|absen(?:ce|t)|lack(?:ing)?|exclud\w*|exclusion|ineligible)\b", re.IGNORECASE)
# a label that excludes what follows it: 'Exclusion: creatinine > 2 mg/dL', 'Not eligible: ...'
_EXCLUDING_LABEL = re.compile(r"\s*:")
# in an exclusion, a clause that opens with a negation of the bound: 'Not having haemoglobin >= 9 g/dL', 'Lack of ...',
# 'Absence of adequate renal function (CrCl >= 60 mL/min)', 'Failure to meet ...'
_NEGATED_EXCLUSION = re.compile(r"\W*(?:(?:patients?|subjects?|participants?|individuals?|persons?|people|those)\s+)?"
                                r"(?:(?:with|who\s+(?:have|has|had|are|is|show))\s+)?(?:no|not|none|never|without|"
                                r"free\s+(?:of|from)|absen(?:ce|t)|lack(?:ing)?|fail(?:ure|s|ed)?\s+to)\b", re.IGNORECASE)
_ANOTHER_JOINED = re.compile(r"\b(?:and|with|plus|but)\b|[;:]", re.IGNORECASE)  # the negation is of another thing
# (not what a range says of its bounds: '(limits not included)', '(both excluded)')
_REFUSED_AFTER = re.compile(r"\b(?:not\s+(?:be\s+)?(?:allowed|permitted|eligible|accepted|acceptable|enrolled|included|"
                            r"randomi[sz]ed)|cannot\s+be\s+(?:enrolled|included|randomi[sz]ed|accepted)|(?:is|are|will\s+be|be)\s+"
                            r"(?:excluded|ineligible|prohibited|disallowed)|leads?\s+to\s+exclusion|results?\s+in\s+exclusion)\b|"
                            r":\s*(?:exclusion|excluded|not\s+eligible|ineligible)\b", re.IGNORECASE)
_OF_ITS_BOUNDS = re.compile(r"\s*[,(]?\s*(?:both|all|limits?|values?|bounds?|ends?|end-?points?|range)\b", re.IGNORECASE)
_SAID_OF_IT_WITHIN = 20  # characters from the bound to words after it that say it is required or refused
_NOT_OF_IT = re.compile(r"\b(?:whether|if|when|unless|regardless|except)\b", re.IGNORECASE)


def _says_of_it(text: str, f: Finding, m: re.Match[str]) -> bool:
    """Words before the bound's end, or right after it, that are said of it ('Haemoglobin must be >= 9 g/dL', 'ANC >=
    1500/mm3 is required'); not farther, where they are another thing's ('..., regardless of whether dialysis is
    required')."""
    if m.start() < f.end:
        return True
    gap = text[f.end:m.start()]
    return len(gap) <= _SAID_OF_IT_WITHIN and not _NOT_OF_IT.search(gap) and not SUPPORT.search(gap)


def _required_in_exclusion(text: str, f: Finding, cs: int, ce: int) -> re.Match[str] | None:
    """In an exclusion, the words of the clause `cs`..`ce` that require the bound or let it in, or a negation of it
    that opens the clause ('No haemoglobin >= 9 g/dL', 'Absence of adequate renal function (CrCl >= 60 mL/min)')."""
    m = next((m for m in _REQUIRED.finditer(text, cs, ce) if _says_of_it(text, f, m)), None)
    if m is not None and not SUPPORT.search(text, cs, m.start()):
        return m
    negated = _NEGATED_EXCLUSION.match(text, cs, f.start)
    return negated if negated is not None and not _ANOTHER_JOINED.search(text, negated.end(), f.start) else None


def sense_reversed(item: ItemText, f: Finding, s: int, e: int) -> str | None:
    """A measured bound or an age whose item says the other way round what it is drafted as: in an exclusion, words
    that require it or let it in; in an inclusion, a negation that opens its clause or a refusal right after it. The
    definition would turn away the very patients the item means."""
    if not (latest_specs(f.when) or (isinstance(f.when, dict) and "age" in f.when)):
        return None
    text = item.text
    cs, ce = clause(text, s, e, f)
    if item.kind == "exclusion":
        m = _required_in_exclusion(text, f, cs, ce)
        if m is None:
            return None
        return f"the exclusion says it is required or let in ('{m.group(0).strip()}'): the bound would exclude those it means"
    m = _NEGATED_CLAUSE.match(text, cs, f.start)
    if m is not None and _ANOTHER_JOINED.search(text, m.end(), f.start) \
            and not _EXCLUDING_LABEL.match(text, m.end()):  # 'No transfusion ... and haemoglobin >= 9'
        m = None
    if m is None and not _OF_ITS_BOUNDS.match(text, f.end):
        m = next((m for m in _REFUSED_AFTER.finditer(text, f.end, ce) if _says_of_it(text, f, m)), None)
    if m is None:
        return None
    return f"the inclusion says it the other way round ('{m.group(0).strip()}'): the bound would include those it excludes"


# a treatment state a measured value is excluded in, beside it: 'BP > 180/110 mmHg untreated', 'Untreated systolic BP
# > 160 mmHg', 'HbA1c > 8% on stable insulin', 'INR > 3 on warfarin', 'HbA1c >= 7% despite metformin', 'refractory to ...', 'after correction of
# ...', 'after optimal medical treatment' (a support it is got despite, 'despite transfusion', is read by the lab context)
_TREATMENT_STATE = re.compile(r"\b(?:un-?treated|treatment-?naive|despite|refractory\s+to|on\s+(?:a\s+)?stable\s+\w+|"
                              r"on\s+(?:a\s+)?(?:maximal|maximum|optimal|optimi[sz]ed)\s+\w+|after\s+correction|uncorrected|"
                              # reached after a treatment: 'SBP > 140 mmHg after optimal medical treatment', '... after
                              # maximal antihypertensive therapy', 'HbA1c > 10% after 3 months of treatment'
                              r"after\s+(?:(?:\d+|one|two|three|four|six|twelve)\s+(?:weeks?|months?)\s+of\s+)?"
                              r"(?:(?:optimal|optimi[sz]ed|maximal|maximum|adequate|appropriate|standard)\s+)?"
                              r"(?:(?:medical|drug|antihypertensive|pharmacological)\s+)?(?:treatment|therapy|medications?)|"
                              # or after a count of drugs: 'SBP > 160 mmHg after two antihypertensive drugs'
                              r"after\s+(?:\d|two|three|four)\s+(?:(?:antihypertensive|hypoglyc\w+|anti-?diabetic)\s+)?"
                              r"(?:drugs|agents|medications|medicines)|"
                              # without a condition, named after it: 'ALT > 3 x ULN without liver metastases'
                              r"(?<=\s)without(?=\s+(?:known\s+|documented\s+|evidence\s+of\s+)?[a-z])|"
                              # on a treatment named by its class ('INR > 3 on warfarin'; not an alternative, 'or on dialysis')
                              # ('HR < 50 bpm on beta blockers')
                              r"(?<!\bor\s)on\s+(?:an?\s+)?(?:anticoagula\w+|warfarin|vitamin\s+K\s+antagonists?|insulin|metformin|"
                              r"beta[\s-]?block\w*|"
                              r"antihypertensive\w*|treatment|therapy|medications?)|"
                              # on dialysis ('Creatinine > 3 mg/dL on dialysis'; not an alternative, '... or currently on
                              # dialysis')
                              r"(?<!\bor\s)(?<!\bor\scurrently\s)on\s+(?:(?:maintenance|chronic|regular|long-term)\s+)?"
                              r"(?:ha?emo|peritoneal\s+)?dialysis)\b", re.IGNORECASE)


_SUPPORT_NAMED_WITHIN = 30  # characters from the state's word to the support it names ('without platelet transfusion')
_RIGHT_AFTER = 3  # characters from the value to a 'without' that is said of it


def in_a_treatment_state(item: ItemText, f: Finding, s: int, e: int) -> str | None:
    """An excluded measured value that excludes only in a treatment state named in its clause ('BP > 180/110 mmHg
    untreated', 'HbA1c > 8% on stable insulin'): the bound alone would exclude the patients in any other state too."""
    if item.kind != "exclusion" or not latest_specs(f.when):
        return None
    cs, ce = clause(item.text, s, e, f)
    m = _TREATMENT_STATE.search(item.text, cs, ce)
    if m is None or SUPPORT.search(item.text, m.end(), min(ce, m.end() + _SUPPORT_NAMED_WITHIN)) \
            or (m.group(0).lower() == "without" and not f.end <= m.start() <= f.end + _RIGHT_AFTER):
        return None
    return f"it excludes only in the state its clause names ('{item.text[m.start():min(ce, m.end() + 30)].strip()}')"


# a measured value introduced as the case another one is for: 'CrCl >= 60 mL/min for creatinine > 1.5 x ULN', '...; for
# creatinine > 1.5 mg/dL, creatinine clearance >= 60 mL/min', '... when serum creatinine > 1.5 mg/dL'
_A_CASE_BEFORE = re.compile(r"(?:^|[\s,;(])(?:for|when|whenever|where|if|in\s+(?:the\s+)?case\s+of|provided(?:\s+that)?|"
                            r"unless)\s+(?:(?:a|an|the|their|his|her|any)\s+)?$", re.IGNORECASE)
_A_CASE_WITHIN = 30  # characters before a measured value's name that may say it is a case


def a_case_of_another(item: ItemText, findings: list[Finding]) -> str | None:
    """A measured value the item states as the case in which another bound holds ('... for creatinine > 1.5 x
    ULN'): neither that value nor any other measured bound of the item is required as drafted. (A value alone in
    its item, 'When the QTcF exceeds 500 msec', is what the item requires or excludes.)"""
    for f in findings:
        if f.when is not None and latest_specs(f.when) \
                and _A_CASE_BEFORE.search(item.text, max(0, f.start - _A_CASE_WITHIN), f.start) \
                and (any(g.start != f.start for g in findings) or MEASURE.search(item.text, 0, f.start)):
            return f"the item states '{f.span}' as the case another value is for: which bound holds when is not read"
    return None


# the long patterns searched for in whole items, each with a look at the characters its matches start with ahead of
# it (`with_first_look`: the same matches, found faster)
MEASURE, _TREATMENT_STATE = map(with_first_look, (MEASURE, _TREATMENT_STATE))
