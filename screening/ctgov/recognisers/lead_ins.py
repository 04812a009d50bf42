"""What the items an item is nested under, and its subgroup heading, say of it, which `qualifiers` asks once an item:
that it is one of alternatives, a component of a score, a cohort's, part of a definition or one of several that
exclude together (`ancestry`); that a lead-in changes what it means (`lead_in`: it lets the items in, denies they
exclude, qualifies them, names someone else's or another time's, is for some participants only, or negates them); or,
in an inclusion, that it is one example of a class (`an_example`)."""

from __future__ import annotations

import re

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers.base import Finding, ItemText
from screening.ctgov.recognisers.cues import CUES as _CUES
from screening.ctgov.recognisers.labs import latest_specs
from screening.ctgov.recognisers.permissions import ALLOW, NOT_EXCLUDED

# an item listed under one that offers alternatives, is a score, or a cohort
# ('meeting 1 of the following': a numeral counts the alternatives as a word does; not 'all 3 of ...')
ALTERNATIVES = re.compile(r"\b(?:any|one|either|one\s+or\s+more|at\s+least\s+(?:one|two|three|\d)|(?<!all\s)\d|"
                           # 'Two of the following ...', 'three or more of these' (not 'all three of', nor
                           # 'these two criteria': both of them)
                           r"(?<!\ball\s)(?:two|three|four|five)(?:\s+or\s+more)?(?=\s+of\b))\s+(?:of\s+)?"
                           r"(?:the\s+)?(?:following|below|criteria|them|these)\b|"
                           # a lead-in that is only that: 'Either of:', 'One of:', 'At least two of:', 'Any of:', 'Either:'
                           r"^\W*(?:(?:either|any(?:\s+(?:one|two|three|four|[1-4]))?|(?:one|two|three|four|[1-4])(?:\s+or\s+"
                           r"more)?|at\s+least\s+(?:one|two|three|four|[1-4]))\s+of|either)\s*(?:these|them)?\s*:?\s*$",
                           re.IGNORECASE)
# a subgroup heading that defines something the items are parts of, not requirements of their own
_DEFINITION = re.compile(r"\b(?:suspected|probable|possible)\s+(?:\w+\s+)?cases?\b|\bdefined\s+(?:as|by)\b|"
                         r"\bbased\s+on\s+(?:\w+\s+)?(?:criteria|the\s+following)\b", re.IGNORECASE)
# a lead-in of conditions that exclude only together ('all of the following', 'both of the following', 'two or more of
# the following', 'a combination of the following')
_TOGETHER_OF = re.compile(r"\b(?:all|both|(?:two|three|four|[2-4])(?:\s+or\s+more)?|at\s+least\s+(?:two|three|four|[2-4])|"
                     r"(?:a\s+)?combination)\s+(?:of\s+)?(?:the\s+)?(?:following|below)\b|"
                     # a lead-in that is only that: 'Both of:', 'All of:', 'At least two of:', 'Any two of:'
                     r"^\W*(?:all|both|(?:any\s+)?(?:two|three|four|[2-4])(?:\s+or\s+more)?|at\s+least\s+(?:two|three|"
                     r"four|[2-4]))\s+of\s*(?:these|them)?\s*:?\s*$", re.IGNORECASE)
# a lead-in that lists examples of what it names ('Systemic autoimmune disease, including:')
_EXAMPLES_LEAD_IN = re.compile(r"\b(?:including|includes|such\s+as|e\.\s?g\.|for\s+(?:example|instance))\W*:\s*$",
                               re.IGNORECASE)


def ancestry(item: ItemText) -> str | None:
    """Why the item cannot stand alone, from the items it is nested under or its subgroup heading."""
    group = item.group or ""
    # 'Cohort A:', 'Part 2 (patients):': that cohort's, not everyone's (one of the section's groups: the groups step's)
    if _CUES["cohort"].search(group) and not item.one_of_groups:
        return f"under the heading of a cohort or part of the study: '{group[:60]}'"
    if item.kind == "inclusion" and ALTERNATIVES.search(group):
        return f"one of the alternatives listed under '{group[:60]}'"
    if item.kind == "exclusion" and _TOGETHER_OF.search(group):
        return f"one of several conditions that exclude together, under '{group[:60]}'"
    if item.kind == "inclusion" and _DEFINITION.search(group):
        return f"part of a definition under '{group[:60]}', not a requirement of its own"
    for parent in reversed(item.ancestors):
        if _CUES["score"].search(parent) or re.search(r"\bscore\b", parent, re.IGNORECASE):
            return f"a component of the score of '{parent[:60]}'"
        if _CUES["cohort"].search(parent):
            return f"nested under a cohort: '{parent[:60]}'"
        if item.kind == "inclusion" and ALTERNATIVES.search(parent):
            return f"one of the alternatives listed under '{parent[:60]}'"
        if item.kind == "exclusion" and _TOGETHER_OF.search(parent):
            return f"one of several conditions that exclude together, under '{parent[:60]}'"
    return None


# a lead-in that changes what the items under it mean: it excepts them ('Exceptions to the exclusion criteria:', 'The
# following are NOT exclusion criteria:'; or, under the exclusion heading, lets them in: `_LEAD_IN_LETS_IN`), puts a
# condition on them
# ('Any of the following unless resolved ...:'), names someone else's ('For the partner of the participant:', 'Donor
# exclusion criteria:', 'Mother:', 'Family history of:'), dates them from another event or any time ('History of:') ('... within 6 months prior
# to the transplant:', 'At the time of transplantation:'), or is for later in the study ('Criteria for withdrawal:',
# 'During the study, participants must not:')
_LEAD_IN_CHANGES = re.compile(
    r"\b(?:unless|except(?:ions?|ed|ing)?|other\s+than|provided(?:\s+that)?|only\s+if|"
    r"(?:not|no)\s+(?:an?\s+)?exclusions?(?:\s+criteri(?:a|on))?|family\s+(?:medical\s+)?history|(?:first|second)[\s-]+degree|"
    # a history of its items, at any time: 'History of:', 'Prior history of the following:' (a pregnancy or a cancer
    # then is not one now)
    r"history\s+of|"
    # the criteria denied to its items: 'Exclusions do not apply to:', 'The criteria above are not applicable to:'
    r"(?:do(?:es)?|shall|will)\s+not\s+apply|not\s+applicable|"
    r"partners?|spouses?|donors?|mothers?|fathers?|infants?|newborns?|neonates?|babies|fetus|foetus|household|"
    r"withdrawal|withdrawn|discontinu\w*|(?:during|throughout)\s+(?:the\s+)?(?:study|trial|treatment)|"
    # what qualifies them: 'Any of the following that require systemic treatment:', '... uncontrolled conditions:'
    r"requir(?:e|es|ing)|need(?:s|ing)?|uncontrolled|(?:not|poorly|inadequately)\s+(?:well\s+|adequately\s+)?"
    r"controlled|unstable|symptomatic|untreated|refractory|"
    # (not 'the following': 'Patients with one of the following diagnoses:' announces a list)
    r"(?:at\s+the\s+time\s+of|before|prior\s+to|preceding|after|(?<!\bthe\s)following|since|of)\s+(?:the\s+)?"
    r"(?:(?!following\b)[\w-]+\s+){0,3}?"
    r"(?:transplant(?:ation)?|surgery|operation|diagnosis|onset|admission|delivery|birth|relapse|index\s+[\w-]+))\b",
    re.IGNORECASE)


# a lead-in that lets its items in (under the Inclusion heading only by its allowing words: 'Patients are eligible if all
# of the following apply:' leads an inclusion's requirements)
_LEAD_IN_LETS_IN = re.compile(r"\b(?:allowed|permitted|acceptable|may\s+(?:be\s+)?(?:included|enrolled|eligible|participate)|"
                              r"(?:are|is|remain)\s+(?:still\s+)?eligible)\b", re.IGNORECASE)


# a lead-in that names the participants it is for by a study they were or were not in, or by being new to it, before
# what they must meet ('Patients previously enrolled in the parent study must have:', 'Participants who did not take
# part in the core study must:', 'Newly enrolled patients must have:'): those participants' requirements, not everyone's
_PEOPLE = r"(?:patients?|subjects?|participants?|individuals?|volunteers?|persons?|people|women|men|children)"
_SCOPED_LEAD_IN = re.compile(
    rf"^\W*(?:(?:all|the|any)\s+)?(?:(?:newly|previously|already|re-?)[\w-]*\s+(?:[\w-]+\s+)?{_PEOPLE}|(?:new|continuing|"
    rf"returning|roll-?over|de\s+novo|transitioning)\s+{_PEOPLE}|{_PEOPLE}\s+(?:who\s+|that\s+)?[^:]{{0,60}}?\b(?:"
    r"(?:parent|previous|prior|preceding|core|feeder|lead-?in|original|earlier|antecedent)\s+(?:stud(?:y|ies)|trials?|"
    r"protocols?)|(?:did|do|have|has|had|were|was)\s+not\b|never\b))", re.IGNORECASE)


# a lead-in that denies its items under the Inclusion heading ('Has none of the following:', 'Free of:', 'Must not
# have:', 'Without any of the following:'): each item is to be absent, which its definition drafted as a requirement
# does not say (under the Exclusion heading, 'Subjects must not have any of the following:' leads exclusions in)
_NEGATING_LEAD_IN = re.compile(r"\b(?:none\s+of|free\s+(?:of|from)|without|absence\s+of|(?:do(?:es)?|did|must|should|shall|"
                               r"may|will|can)\s*n[o']t\s+(?:have|has|had|be|suffer|show|present)|cannot\s+(?:have|be)|"
                               r"no\s+(?:history\s+of\s+|evidence\s+of\s+)?(?:any\s+of\s+)?(?:the\s+following|these)|"
                               r"negative\s+for|neither|"
                               # the items to be absent or answered 'no' ('Serologies (must be negative):', 'All of the
                               # following must be absent:', 'Answers no to all of the following:', 'Lacks all of:')
                               r"(?:must|should|shall|to)\s+be\s+(?:negative|absent|ruled\s+out)|answer(?:s|ed|ing)?\s+\W?no\b|"
                               r"negative\s+(?:answers?|responses?)|lack(?:s|ing)?)\b[^:]{0,60}:?\s*$", re.IGNORECASE)  # (a subgroup heading is kept without its colon)


# a lead-in that names what bars a participant, under the Inclusion heading ('Contraindications to MRI:', 'Exclusionary
# conditions:', 'Conditions precluding the biopsy:', 'Reasons for ineligibility:'): its items are exclusions written in
# the inclusions, or what the study's patients have that bars another treatment ('Contraindication to surgery:' in a
# trial for those who cannot be operated on); either way no requirement, and which of them the text does not say
_BARRING_LEAD_IN = re.compile(r"\bcontra-?\s?indicat|\bexclu(?:sion|ding|de)|\bdisqualif|\bpreclud|\bineligib|"
                              r"\bnot\s+eligible\b", re.IGNORECASE)


# a lead-in that leaves its items to the investigator's judgement ('In the judgement of the investigator, any of the
# following:', 'Any of the following, at the investigator's discretion:', 'The following, as judged by the investigator:',
# 'Per investigator judgment, patients with:'): whether an item excludes or qualifies is the investigator's call (not
# what is only measured or assessed by someone: 'Adequate organ function as assessed by the investigator:')
_JUDGED_LEAD_IN = re.compile(
    r"\bin\s+the\s+(?:[\w'-]+\s+){0,2}?(?:judge?ment|opinion|view)\s+of\b|"
    r"\b(?:judged|deemed|considered|regarded|thought)\b[^:;]{0,40}?\bby\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+)?"
    r"(?:investigators?|physicians?|clinicians?|doctors?|PI)\b|"
    r"\b(?:per|according\s+to|based\s+on|upon)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:investigators?|physicians?|clinicians?|PI)\b|"
    r"\binvestigator'?s?\s+(?:opinion|judge?ment|discretion)\b|"
    # the investigator's view said with a verb ('Conditions the investigator considers exclusionary:', '... the
    # investigator feels would interfere ...:'), or a judgement of no one named ('Any of the following, if judged
    # relevant:', '..., if considered clinically significant:')
    r"\b(?:investigators?|physicians?|clinicians?|PI)\s+(?:considers?|judges?|deems?|feels?|thinks?|believes?)\b|"
    r"\b(?:if|when|as|where)\s+(?:judged|deemed|considered)\b|"
    # relative contraindications or exclusions, weighed by the investigator ('Relative contraindications:')
    r"\brelative\s+(?:(?:or|and|and/or)\s+absolute\s+)?(?:contra-?\s?indications?|exclusions?)\b", re.IGNORECASE)


# the words of `_LEAD_IN_LETS_IN` that allow under either heading ('The following are allowed:')
_ALLOWING = re.compile(ALLOW, re.IGNORECASE)


def lead_in(item: ItemText) -> str | None:
    """Why a lead-in of the item (an item it is nested under, nearest first, or its subgroup heading) changes what it
    means, or None: one of `_LEAD_IN_CHANGES`, one that denies its items exclude ('The following are NOT
    exclusionary:', `NOT_EXCLUDED`), under the Exclusion heading one that lets them in ('Patients with the
    following are eligible:'), one for some participants only (`_SCOPED_LEAD_IN`), one that leaves its items to the
    investigator's judgement (`_JUDGED_LEAD_IN`), or under the Inclusion heading one that denies its items
    (`_NEGATING_LEAD_IN`) or names what bars a participant (`_BARRING_LEAD_IN`)."""
    for lead in (*reversed(item.ancestors), item.group or ""):
        let_in = _LEAD_IN_LETS_IN.search(lead)
        if let_in is not None and item.kind == "inclusion" and not _ALLOWING.fullmatch(let_in.group(0)):
            let_in = None  # 'Patients are eligible if all of the following apply:': the requirements follow
        m = _LEAD_IN_CHANGES.search(lead) or NOT_EXCLUDED.search(lead) or let_in or _SCOPED_LEAD_IN.search(lead) \
            or _CUES["discretion"].search(lead) or _JUDGED_LEAD_IN.search(lead) \
            or ((_NEGATING_LEAD_IN.search(lead) or _BARRING_LEAD_IN.search(lead)) if item.kind == "inclusion" else None)
        if m is not None:
            return f"under a lead-in that changes what it means ('{lead[:60].strip()}': '{m.group(0)}')"
    return None


def an_example(item: ItemText, f: Finding) -> str | None:
    """In an inclusion, an item under a lead-in that lists examples of a class ('..., including:')
    is one instance that qualifies, not a requirement of its own; measurements listed so
    ('Adequate marrow function, including:') are requirements that hold together."""
    if item.kind != "inclusion" or not item.ancestors or not _EXAMPLES_LEAD_IN.search(item.ancestors[-1]) \
            or latest_specs(f.when):
        return None
    return f"one of the examples listed under '{item.ancestors[-1][:60]}'"


# the long patterns searched for in whole items, each with a look at the characters its matches start with ahead of
# it (`with_first_look`: the same matches, found faster)
_LEAD_IN_CHANGES, _JUDGED_LEAD_IN = map(with_first_look, (_LEAD_IN_CHANGES, _JUDGED_LEAD_IN))
