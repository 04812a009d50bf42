"""Where a mention stands in its clause: the clause that holds it, whether it is named as the
cause or context of something else, bound in time by its clause, or counted in the past while the
definition reads the present. Used by `qualifiers`, which decides what an item's definitions
account for.
"""

from __future__ import annotations

import json
import re

from screening.core.timewindows import Duration
from screening.ctgov.recognisers.analytes import KEYWORDS as _ANALYTE_WORDS
from screening.ctgov.recognisers.base import DIAGNOSIS_OR, Finding, care_contact_between
from screening.ctgov.recognisers.labs import latest_specs
from screening.ctgov.windows import windows

# where a sentence is cut into clauses
CLAUSE_BREAK = re.compile(r"[,)]\s*(?:and|but|or)\s+|;")


def clause(text: str, s: int, e: int, f: Finding) -> tuple[int, int]:
    """The part of the sentence `s`..`e` that holds the finding: a sentence is cut at ', and', ',
    but', ', or' and ';' ('Able to provide informed consent, and if adolescent age 18+ ...'). (An
    alternative in an inclusion is caught apart, by the 'or' next to the definition.)"""
    start, end = s, e
    for m in CLAUSE_BREAK.finditer(text, s, e):
        if m.end() <= f.start:
            start = m.end()
        elif m.start() >= f.end:
            end = min(end, m.start())
    return start, end


# 'or' and the words of another alternative, to a cue: '... > 100 mmHg or discontinuation of ESA '
_OR_ANOTHER = re.compile(r"\s*,?\s*or\s+(?:[\w/-]+\s+){1,8}", re.IGNORECASE)


def of_the_other_alternative(kind: str, text: str, f: Finding, cue_start: int) -> bool:
    """In an exclusion, a cue said after 'or' and another alternative that names no measured value ('Diastolic blood
    pressure > 100 mmHg or discontinuation of ESA due to hypertension'): that alternative's, not the definition's
    (either excludes)."""
    if kind != "exclusion" or cue_start <= f.end or _OR_ANOTHER.fullmatch(text, f.end, cue_start) is None:
        return False
    return not _ANALYTE_WORDS.search(text[f.end:cue_start].lower())


def about_a_diagnosis(when: object) -> bool:
    """The definition is about a diagnosis or state (a concept other than consent, a condition)."""
    if isinstance(when, dict):
        return any((k == "ref" and v != "informed_consent_signed") or k == "condition" or about_a_diagnosis(v)
                   for k, v in when.items())
    return isinstance(when, list) and any(about_a_diagnosis(x) for x in when)


# a connective that makes what follows it the cause or context of something else ('Anaemia due to ...',
# 'Cirrhosis secondary to ...', 'complications of ...', '... studied in ... patients', 'therapy for ...', 'at risk
# for ...', 'exposed to ...'), with
# at most a few words between it and the mention
_CONTEXT_BEFORE = re.compile(
    r"\b(?:due\s+to|secondary\s+to|caused\s+by|related\s+to|associated\s+with|attributable\s+to|induced\s+by|"
    r"owing\s+to|as\s+an?\s+(?:result|consequence|complication|manifestation)\s+of|"
    r"(?:complications?|manifestations?|sequelae|consequences?|effects?)\s+of|complicating|"
    r"(?:studied|observed|reported|seen|described)\s+in|"
    # what is contraindicated or not tolerated, or vaccinated against ('No contraindication to HIV testing', 'Allergy
    # to hepatitis B vaccine', 'Vaccinated against hepatitis B'): not the diagnosis
    r"(?:contraindications?|contra-indications?|allerg(?:y|ies)|hypersensitivity|intolerance|vaccinat\w*|vaccines?|"
    r"immuni[sz]\w*|immune|immunity|protected|seroprotected)\s+(?:to|against|for)|"
    # a risk of a diagnosis or an exposure to it, not the diagnosis ('at increased risk for hepatitis B', 'exposed to
    # TB'; an exposure to an investigational agent is still taking part in a study)
    r"(?P<risk>(?:(?:high|higher|increased|elevated|substantial|significant|low)[\s-]+)?risks?\s+(?:of|for)|"
    r"(?:exposed|exposure)\s+to)|"
    # a treatment for a diagnosis ('Completed therapy for active TB ...'): the item is about the treatment
    # ('Chemotherapy for a prior malignancy in the last 3 years', 'radiotherapy for ...')
    r"(?P<treatment>(?:treatments?|\w*therap(?:y|ies)|prophylaxis|treated|radiation|surgery)\s+(?:for|against)))\s+"
    # a few words between, none that introduces an example ('associated with immunosuppression such as HIV': HIV
    # is an example of what the item excludes)
    r"(?:(?!(?:such|e\.g|for|including|like|namely)\b)[\w-]+\s+){0,3}$", re.IGNORECASE)
# a recency that dates what follows ('newly diagnosed with', 'recent')
_RECENT_BEFORE = re.compile(r"\b(?:newly|recent(?:ly)?)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_NOT_A_DIAGNOSIS = ("informed_consent_signed", "pregnant", "pregnant_or_lactating", "lactating")
# a test between the mention and a window: the window dates the test, as a pregnancy test's does ('Negative HIV
# test within 30 days', 'HBsAg positive within 28 days')
_TEST = re.compile(r"\b(?:tests?|testing|tested|screen\w*|serolog\w*|results?|assays?|antibod\w*|antigen|HBsAg|"
                   r"(?:sero)?negative|(?:sero)?positive|reactive)\b", re.IGNORECASE)
# words that count the past, at most three words before the mention ('Former or current ...', 'Previous history of
# active ...'; not 'No prior chemotherapy for any reason and no active ...': that past is the chemotherapy's)
_PAST = re.compile(r"\b(?:previous(?:ly)?|prior|past|former(?:ly)?|history|ever)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# the same right before a measured value ('History of platelets ...', 'Any prior QTcF ...'), not a point it
# precedes ('within 72 hours prior to vaccination or axillary temperature ...') nor another alternative
_PAST_VALUE = re.compile(r"\b(?:history\s+of|previous(?:ly)?|prior(?!\s+to\b)|past|former(?:ly)?|ever)\s+"
                         r"(?:(?!(?:or|and|to)\b)[\w-]+\s+){0,2}$", re.IGNORECASE)


def context_of_another(text: str, f: Finding, s: int) -> str | None:
    """The mention is named as the cause or context of something else in its sentence: the item is
    about that, not about every patient with what the definition reads."""
    m = _CONTEXT_BEFORE.search(text, s, f.start)
    if m is None or ((m.group("treatment") or m.group("risk")) and not about_a_diagnosis(f.when)):
        return None
    if m.group("treatment") and DIAGNOSIS_OR.search(text, s, m.start()):
        return None  # 'Diagnosis or treatment for ...': the diagnosis is what the item is about
    return f"it is named as the cause or context of something else ('{text[m.start():f.end].strip()[:60]}'), " \
           "which the item is about"


def _dated_diagnosis(when: object) -> bool:
    """A diagnosis or state read at any time: a condition or concept without a window of its own."""
    if not isinstance(when, dict) or "within" in str(when):
        return False
    return any(k == "condition" or (k == "ref" and v not in _NOT_A_DIAGNOSIS) or (k in ("not", "any", "all") and (
        _dated_diagnosis(v) if isinstance(v, dict) else any(_dated_diagnosis(x) for x in v))) for k, v in when.items())


def unread_time_bound(text: str, f: Finding, s: int, e: int, findings: list[Finding], inclusion: bool = False) -> str | None:
    """A diagnosis drafted without a window while its own clause bounds it in time ('Hepatitis B
    infection within the past 2 years', 'newly diagnosed with ...'): the definition reads every patient
    who ever had it. A window that dates a test of it ('Negative HIV test within 30 days') is none, unless
    the test is positive and the window longer than a screening test's ('HBsAg positive in the past 5 years'). In an
    inclusion a window after a contact with care ('... with an HIV clinic visit within 6 months') dates the contact,
    another requirement; in an exclusion only both together exclude."""
    if not _dated_diagnosis(f.when):
        return None
    recent = _RECENT_BEFORE.search(text, s, f.start)
    if recent is not None:
        return f"the item dates it ('{recent.group(0).strip()}'), which the definition does not read"
    for w in windows(text):
        between = text[f.end:w.start]
        if f.end <= w.start < e and len(between) <= 40 and not re.search(r"[,;()\[\]]|\b(?:or|and)\b", between) \
                and not (inclusion and care_contact_between(text, f.end, w.start)) \
                and (not _TEST.search(text, clause(text, s, e, f)[0], w.start) or _history_of_positives(f, w.duration)) \
                and not any(g.start <= w.start < g.end for g in findings if g is not f):
            return f"its clause bounds it in time ('{text[w.start:w.end]}'), which the definition does not read"
    return None


# the longest window that dates a test taken for the screening ('HBsAg positive within 28 days'); a positive
# test in a longer one ('HBsAg positive in the past 5 years') is a history of positives, not today's result
_TEST_AT_SCREENING_DAYS = Duration(3, "months").approx_days()


def _history_of_positives(f: Finding, duration: str) -> bool:
    """A positive test (the definition is no negation) dated by a window longer than a screening test's."""
    return "not" not in (f.when or {}) and Duration.parse(duration).approx_days() > _TEST_AT_SCREENING_DAYS


def past_for_current(text: str, f: Finding, s: int, e: int) -> str | None:
    """A current state (a concept `active_...`) or a latest measured value drafted while its clause
    counts the past before it ('Former or current cancer', 'Previous history of active ...', 'History
    of platelets below ...', 'Any prior QTcF above ...'): the definition misses the past."""
    latest = f.when is not None and bool(latest_specs(f.when))
    if '"active_' not in json.dumps(f.when) and not latest:
        return None
    past = (_PAST_VALUE if latest else _PAST).search(text, clause(text, s, e, f)[0], f.start)
    if past is None:
        return None
    what = "the latest value" if latest else "a current state"
    return f"the item counts the past ('{past.group(0).strip()}'), the definition only {what}"
