"""What is named beside an age's bound that makes it no age of the participant today: someone the
participant lives with or cares for ('with children younger than 2 years'), the past tense ('who
were 18 years or older at the time of the accident'), a past event or point after it ('when the
cancer was diagnosed', 'at relapse', 'at initial diagnosis', 'at first myocardial infarction') or
before it ('diagnosed at less than 1 year of age'), or a later point it is reached by ('by the end
of the study'). `demographics` asks these of every age it reads."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import Finding, blocked, sentence_of

# the age of someone the participant lives with or cares for, named right before the bound ('with children
# younger than 2 years', 'the same household as an infant under 6 months'): not the participant's age
_OTHERS_AGE_BEFORE = re.compile(
    r"\b(?:with|have|has|having|their|his|her|as|for)\s+(?:an?\s+|any\s+|one\s+or\s+more\s+|young\s+)?"
    r"(?:children|child|infants?|babies|baby|toddlers?|newborns?|grandchildren|kids|sons?|daughters?)\s+"
    r"(?:who\s+(?:is|are)\s+)?(?:aged\s+)?$",
    re.IGNORECASE)


# an age in the past tense ('Adults who were 18 years or older at the time of the accident'), or the age at
# an event of the past tense ('Women who had their first child under 20 years of age', 'who started smoking
# before age 15')
_PAST_TENSE_BEFORE = re.compile(r"\b(?:who|that|which)\s+(?:were|was)\s+(?:aged\s+)?$|"
                                r"\b(?:who|that|which)\s+(?:[\w-]+\s+){0,2}?(?:had|gave|delivered|started|began|became|got|"
                                r"underwent|received|developed|experienced|reached|entered|married|smoked|did)\s+"
                                # (not when a present clause follows: 'who had surgery and are 18 or older')
                                r"(?:(?!\b(?:and|or|but|are|is|be|now|currently)\b)[^,;.()]){0,40}?$", re.IGNORECASE)


# a past event named right after the bound (besides the diagnoses and transplants `demographics` reads):
# 'when the cancer was diagnosed', 'when symptoms began', 'at relapse', 'at registry entry' (not the study's)
_PAST_EVENT_AFTER = re.compile(
    r"\s*(?:years?\s+|yrs?\s+)?(?:of\s+age\s+|old\s+|or\s+(?:older|younger)\s+)?,?\s*\(?\s*(?:"
    r"when\s+(?:the|their|his|her|its)\s+(?:[\w-]+\s+){1,3}(?:was|were)\s+(?:first\s+)?(?:diagnosed|detected|found)\b|"
    r"when\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:first\s+)?(?:symptoms?|disease|illness|seizures?)\s+"
    r"(?:began|begun|started|appeared|occurred|developed)\b|"
    r"(?:at|on|upon)\s+(?:the\s+time\s+of\s+)?(?:the\s+|first\s+)?(?:relapse|recurrence|progression|"
    r"(?:registry|register|cohort|database)\s+(?:entry|enrol\w*|inclusion))\b|"
    # a point of an earlier study: 'at the time of the first vaccination in the parent study'
    r"at\s+[^,;.()]{0,50}?\b(?:in|of)\s+the\s+(?:parent|previous|prior|original|feeder|lead-?in)\s+(?:study|trial)\b)",
    re.IGNORECASE)


def not_the_participants_now(text: str, reading: str, start: int, end: int) -> Finding | None:
    """Why the age read as `reading` at `start`..`end` is not the participant's age today, from the words right
    before it: an age in the past tense, or someone else's; else None."""
    was = _PAST_TENSE_BEFORE.search(text, max(0, start - 60), start)
    if was is not None and re.match(r"\w+\s+(?:were|was)\b", was.group(0)):
        return blocked("age", f"'{was.group(0).strip()} {reading}': an age in the past tense, at a past time, not "
                              "today's age", text, was.start(), end)
    if was is not None:
        return blocked("age", f"{reading} at an event of the past ('{was.group(0).strip()} ...'), not today's age",
                       text, was.start(), end)
    someone = _OTHERS_AGE_BEFORE.search(text, max(0, start - 60), start)
    if someone is not None:
        return blocked("age", f"{reading} of someone the participant lives with or cares for "
                              f"('{someone.group(0).strip()} ...'), not the participant's age", text, someone.start(), end)
    event = _PAST_EVENT_AFTER.match(text, end)
    if event is not None:
        return blocked("age", f"{reading} '{event.group(0).strip()}': the age at a past event, not the age at screening",
                       text, start, event.end())
    return None


# a past point the age is taken at, named after the bound: 'older than 65 years at initial diagnosis',
# '12 or younger at the onset of symptoms', 'when first diagnosed', '2-25 (at time of initial diagnosis)' (not a point of the study itself:
# 'at the time of enrolment', 'at surgery')
_PAST_POINT_AFTER = re.compile(
    r"\s*(?:years?\s+|yrs?\s+)?(?:of\s+age\s+|old\s+|or\s+(?:older|younger)\s+)?,?\s*\(?\s*(?:(?:at|on|upon)\s+(?:the\s+)?"
    r"(?:time\s+of\s+(?:the\s+)?)?(?:(?:first|initial|original|primary|disease|cancer|symptom|illness)\s+)?"
    r"(?:diagnosis|onset|menarche|menopause|(?:first\s+)?symptoms?|"
    # a transplant already done ('at least 5 years old at transplant', '... at the time of transplantation')
    r"(?:(?:the|their|his|her)\s+)?(?:(?:first|initial|index|prior|previous)\s+)?(?:transplant(?:ation)?|HSCT|HCT|SCT|engraftment))\b|"
    # the onset or diagnosis of a disease named between: 'older than 50 at migraine onset', 'at the time of diabetes diagnosis'
    r"(?:at|on|upon)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:time\s+of\s+(?:the\s+|their\s+)?)?(?:[a-z][\w'-]*\s+){1,3}?"
    r"(?:diagnosis|onset)\b|"
    # an injury or accident ('16 to 65 years at the time of spinal cord injury', 'at the time of the accident')
    r"(?:at|on|upon)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:time\s+of\s+(?:the\s+|their\s+)?)?(?:[a-z][\w'-]*\s+){0,3}?"
    r"(?:injury|injuries|accident|trauma)\b|"
    # the first of an event: 'under 40 at first myocardial infarction', 'at their first transplant'
    # (not a point of the study: 'at the first visit', 'at first dose')
    r"(?:at|on)\s+(?:the\s+time\s+of\s+)?(?:the\s+|his\s+|her\s+|their\s+)?first\s+(?!(?:study\s+)?(?:visits?|dos(?:e|ing)|"
    r"screening|administration|infusion|injection|vaccination|day|cycle|study|randomi[sz]ation|enrol\w*)\b)[a-z]|"
    r"when\s+(?:(?:he|she|they)\s+(?:was|were)\s+)?(?:first\s+)?(?:diagnosed|transplanted)\b|"
    # a later point the age is reached by: 'Aged 65 years or older by the end of the study' (not the point of entry:
    # 'by the time of study entry', 'by the time of enrolment', the age at screening)
    r"by\s+(?:the\s+)?(?:(?:end|close|completion)\s+of\b|time\s+of\s+(?!(?:the\s+|their\s+)?(?:(?:signing|signature\s+of|"
    r"giving|providing)\s+)?(?:the\s+)?(?:written\s+)?(?:informed\s+)?(?:consent|ICF|screening|enrol|inclusion|"
    r"randomi[sz]ation|registration|study\s+entry|entry|visit\s+1)))|"
    # when the disease began: 'Aged 10 to 30 when the symptoms began'
    r"when\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:disease|illness|symptoms?|condition|pain|seizures?)\s+(?:first\s+)?"
    r"(?:started|began|begun|appeared|occurred|developed|set\s+in)\b)", re.IGNORECASE)


# the age at a past time right after the bound ('21 or younger at the time of first diagnosis')
_AT_A_PAST_TIME = re.compile(r"[^,;.()]{0,30}?\b(?P<when>at\s+(?:(?:the\s+)?time\s+of\s+)?(?:(?:initial|first|original|primary)\s+)?"
                             r"(?:diagnosis|onset|presentation))\b", re.IGNORECASE)


# the same past point named before the bound: 'diagnosed at less than 1 year of age', 'symptom onset at
# under 16 years', 'first seizure at age < 2'
_PAST_POINT_BEFORE = re.compile(
    r"\b(?:diagnos[a-z]*|onset|menarche|menopause|presentation|presented|(?:first\s+)?(?:symptoms?|seizures?)"
    r"(?:\s+(?:began|begun|started|appeared))?)\b[^,;.()]{0,40}?\bat\s+(?:(?:the\s+)?age\s+(?:of\s+)?)?$|"
    # a diagnosis or onset of something right before the bound: 'Diagnosis of asthma under 12 years old'
    r"\b(?:diagnosis|onset)\s+of\s+[^,;.()]{1,40}?\s+$|"
    # the age named as one at a past point before the bound: 'Age at diagnosis of 18 years or older', 'Age at time
    # of diagnosis > 65 years', 'Age of onset 12 years or younger', 'Age at symptom onset above 50'
    r"\bage\s+(?:at|of)\s+(?:the\s+)?(?:time\s+of\s+(?:the\s+)?)?(?:(?:initial|first|original|primary|disease|cancer|"
    r"symptoms?|illness)\s+)?(?:diagnosis|onset|presentation|menarche|menopause|(?:first\s+)?symptoms?)"
    r"(?:\s+of\s+(?:symptoms?|(?:the\s+)?disease|illness))?\s*(?:of|was|:|=|-)?\s*$|"
    # 'at' an age after something that is no person: 'Myocardial infarction at less than 45 years of age'
    # (not 'Adults at age 18 or over', 'Boys and girls at age of 6-12 years')
    r"\b(?!(?:patients?|subjects?|participants?|child|children|adults?|women|men|persons?|people|individuals?|volunteers?|"
    r"boys?|girls?|(?:fe)?males?|sexes|genders|infants?|neonates?|newborns?|babies|adolescents?|teen(?:ager)?s?|youths?|"
    r"students?|kids?|(?:in|out)patients?)\b)"
    r"[a-z]+\s+at\s+(?:(?:the\s+)?age\s+(?:of\s+)?)?$", re.IGNORECASE)


def not_todays_age_before(text: str, reading: str, start: int, end: int) -> Finding | None:
    """Why the age at `start`..`end` is not the participant's age today, from what is named before it: someone
    the participant lives with or cares for, or a past point ('diagnosed at less than 1 year of age'); else None."""
    other = not_the_participants_now(text, reading, start, end)
    if other is not None:
        return other
    before = _PAST_POINT_BEFORE.search(text, sentence_of(text, start)[0], start)
    if before is not None:
        return blocked("age", f"'{before.group(0).strip()} {reading}': an age at a past point, not today's age",
                       text, before.start(), end)
    return None


def at_a_past_time(text: str, reading: str, start: int, end: int) -> Finding | None:
    """The age read as `reading` at `start`..`end` is taken at a past time named right after it ('21 or
    younger at the time of first diagnosis'): why, as a finding; else None."""
    past = _AT_A_PAST_TIME.match(text, end)
    if past is None:
        return None
    return blocked("age", f"{reading} {past.group('when')}: an age at a past time, not today's age", text, start, past.end())


def at_a_past_point_after(text: str, reading: str, start: int, end: int) -> Finding | None:
    """The age read as `reading` at `start`..`end` is taken at a past point or reached by a later one, named
    after it ('older than 65 years at initial diagnosis', 'at first myocardial infarction'): why; else None."""
    past = _PAST_POINT_AFTER.match(text, end)
    if past is None:
        return None
    return blocked("age", f"{reading} '{past.group(0).strip()}': the age at a past point, not the age at screening",
                   text, start, past.end())


# others enrolled beside the people the age bounds, named right after it: 'Children aged 6 to 17 years and their
# parents', '... or their caregivers', 'together with a family member' (the bound would turn those others away)
_OTHERS_TOO_AFTER = re.compile(
    # (the age's bracket closed before them: 'Children (2-11 years) and their parents')
    r"\s*(?:years?\s*|yrs?\s*)?(?:of\s+age\s*|old\s*|or\s+(?:older|younger)\s*)?\)?,?\s*(?:and(?:/or)?|or|&|\+|plus|"
    r"together\s+with|along\s+with)\s+(?:(?:their|his|her|the|a|an|one|each)\s+)?(?:(?:own|primary|main|legal|"
    r"adult|biological|informal|family)\s+)?(?:parents?|caregivers?|care-givers?|carers?|guardians?|mothers?|"
    r"fathers?|famil(?:y|ies)(?:\s+members?)?|siblings?|partners?|spouses?|relatives?|teachers?|dyads?|"
    r"children|child|sons?|daughters?|infants?|bab(?:y|ies)|newborns?)\b"
    # (not a clause on those others: 'and their parent or guardian must consent')
    r"(?!(?:\s*(?:or|and|/)\s*[\w-]+)?\s+(?:must|should|will|shall|is|are|has|have|can|may|who|that|agrees?|signs?|"
    r"gives?|provides?|consents?)\b)",
    re.IGNORECASE)


def others_enrolled_too(text: str, reading: str, start: int, end: int) -> Finding | None:
    """Others enrolled beside those the age read as `reading` at `start`..`end` bounds, named right after it
    ('Children aged 6 to 17 years and their parents'): why the bound is no requirement of every participant;
    else None."""
    others = _OTHERS_TOO_AFTER.match(text, end)
    if others is None:
        return None
    return blocked("age", f"{reading} '{others.group(0).strip()}': others are enrolled beside those the age bounds, "
                          "whom it would turn away", text, start, others.end())
