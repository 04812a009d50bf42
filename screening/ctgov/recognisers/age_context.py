"""What is named beside an age's bound that makes it no age of the participant today: someone the
participant lives with or cares for ('with children younger than 2 years'), the past tense ('who
were 18 years or older at the time of the accident'), or a past event after it ('when the cancer was
diagnosed', 'at relapse')."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import Finding, blocked

# the age of someone the participant lives with or cares for, named right before the bound ('with children
# younger than 2 years', 'the same household as an infant under 6 months'): not the participant's age
_OTHERS_AGE_BEFORE = re.compile(
    r"\b(?:with|have|has|having|their|his|her|as|for)\s+(?:an?\s+|any\s+|one\s+or\s+more\s+|young\s+)?"
    r"(?:children|child|infants?|babies|baby|toddlers?|newborns?|grandchildren|kids)\s+(?:who\s+(?:is|are)\s+)?(?:aged\s+)?$",
    re.IGNORECASE)


# an age in the past tense ('Adults who were 18 years or older at the time of the accident')
_PAST_TENSE_BEFORE = re.compile(r"\b(?:who|that|which)\s+(?:were|was)\s+(?:aged\s+)?$", re.IGNORECASE)


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
    was = _PAST_TENSE_BEFORE.search(text, max(0, start - 30), start)
    if was is not None:
        return blocked("age", f"'{was.group(0).strip()} {reading}': an age in the past tense, at a past time, not "
                              "today's age", text, was.start(), end)
    someone = _OTHERS_AGE_BEFORE.search(text, max(0, start - 60), start)
    if someone is not None:
        return blocked("age", f"{reading} of someone the participant lives with or cares for "
                              f"('{someone.group(0).strip()} ...'), not the participant's age", text, someone.start(), end)
    event = _PAST_EVENT_AFTER.match(text, end)
    if event is not None:
        return blocked("age", f"{reading} '{event.group(0).strip()}': the age at a past event, not the age at screening",
                       text, start, event.end())
    return None
