"""Time windows in eligibility text: 'within 4 weeks', 'in the past 5 years', 'within the last year',
'within 72 hours', 'within the past 12-month period', and upper bounds from an event: '=< 7 days prior to registration', 'symptom onset
≤ 10 days'."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "eighteen": 18,
                "twenty-four": 24, "twenty four": 24, "thirty": 30, "a": 1, "an": 1}
_NUMBER_WORD_RE = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
# (each of the two scans below looks first at the characters its matches start with, a lookahead, before
# trying its words: about 1.4x and 2x faster over a long record)
_WINDOW = re.compile(
    rf"(?=[wid])\b(?:within|in|during)\s+(?:the\s+)?(?:(?P<past>past|last|previous|prior|preceding|(?:most\s+)?recent)\s+)?"
    rf"(?P<n>\d+|{_NUMBER_WORD_RE})?(?:\s*|-)"
    r"(?P<u>hours?|hrs?|days?|weeks?|months?|years?)\b(?:\s*\(\s*\d+\s*days?\s*\))?"
    # a hyphenated duration's period: 'within the past 12-month period'
    r"(?:(?<=[a-z])\s+period\b)?",
    re.IGNORECASE)
# a duration with a half more ('within 1 month and a half'): not the whole units the window reads
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
_BEFORE_EVENT = re.compile(r"\s+(?:before|prior\s+to|preceding)\b", re.IGNORECASE)
# a time after the reference point ('within the 28 days after enrollment', 'within two years following
# vaccination'): it looks forward, not back from the screening date
_AFTER_EVENT = re.compile(r"\s+(?:after|following)\b", re.IGNORECASE)
# an upper bound on the time from an event: '=< 7 days prior to registration', '≤ 72 hours before
# randomisation', 'no more than 10 days from symptom onset', 'symptom onset ≤ 10 days'
_AT_MOST = (r"(?:<=|=<|≤|</=|<|no\s+more\s+than|not\s+more\s+than|up\s+to|less\s+than|fewer\s+than|"
            r"maximum\s+(?:of\s+)?|at\s+most)")
_BOUNDED = re.compile(
    rf"(?=[<=≤nulfmao])(?:(?P<op>{_AT_MOST})\s*(?P<n>\d+|{_NUMBER_WORD_RE})\s*(?P<u>hours?|hrs?|days?|weeks?|months?|years?)\b"
    # ('≤ 21 years of age' is an age, not a time from an event)
    r"(?=\s+(?:prior\s+to|before|preceding|of(?!\s+age\b)|from|since|after)\b)"
    r"|\bonset(?:\s+of\s+(?:[\w-]+\s+){0,2}?(?:symptoms?|illness|disease))?\s*(?:(?:is|was|of|:)\s*)?"
    rf"(?P<op2>{_AT_MOST})\s*(?P<n2>\d+)\s*(?P<u2>hours?|hrs?|days?|weeks?|months?)\b)",
    re.IGNORECASE)


# what every window's unit contains, in lower case
_UNIT_WORDS = ("hour", "hr", "day", "week", "month", "year")


# another event than a point of the study, named right after a window as what it is counted from ('within 5 years of
# the diagnosis', 'within 4 weeks before surgery', '... prior to the onset of symptoms', '... of transplantation', '...
# of starting antiretroviral therapy'): the
# window is not counted back from the screening date (the study's own, 'prior to the study surgery', is a study point)
_ANOTHER_EVENT = re.compile(
    r"\s*,?\s*(?:before|prior\s+to|preceding|of|from|since|ahead\s+of)\s+(?:(?:the|a|an|their|his|her|its|any)\s+)?"
    r"(?:(?!(?:study|trial|this|our|investigational|protocol)\b)[\w-]+\s+){0,3}?"
    r"(?:diagnos[ie]s|surgery|surgeries|operations?|transplant(?:ation)?s?|biops(?:y|ies)|onset|symptoms?|"
    r"hospitali[sz]ations?|relapses?|progression|recurrence|delivery|birth|conception|injury|stroke|infarction|discharge|"
    r"intubation|resection|illness|exposure|menarche|menopause|presentation|index\s+[\w-]+|event|attacks?|"
    # the start of another treatment ('within 14 days of starting antiretroviral therapy')
    r"(?:start(?:ing)?|initiat(?:ing|ion)|beginning|commenc(?:ing|ement))\s+(?:of\s+)?(?:the\s+|their\s+)?"
    r"(?:(?!(?:study|trial|investigational|protocol)\b)[\w-]+\s+){0,2}?(?:antiretroviral|ART|chemotherapy|chemo|"
    r"radiotherapy|radiation|dialysis|immunotherapy|anti-?tuberculosis|TB\s+treatment))\b", re.IGNORECASE)


class Window(NamedTuple):
    duration: str  # '4 weeks', '1 year'
    start: int
    end: int


def from_another_event(text: str, window: Window) -> str | None:
    """The words after `window` that count it from another event than a point of the study ('within 5 years of the
    diagnosis'), or None."""
    m = _ANOTHER_EVENT.match(text, window.end)
    return None if m is None else text[window.start:m.end()].strip()


def count(word: str) -> int:
    """'4' -> 4, 'six' -> 6, 'a' -> 1."""
    word = word.lower()
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def _duration(n: int, unit: str) -> str | None:
    """'4 weeks'; hours as whole days ('72 hours' -> '3 days'); None for hours that are not."""
    unit = unit.lower().rstrip("s")
    if unit in ("hour", "hr"):
        if n % 24:
            return None
        n, unit = n // 24, "day"
    return f"{n} {unit}" + ("s" if n != 1 else "")


def _a_window(text: str, m: re.Match[str]) -> bool:
    """Whether `_WINDOW`'s match `m` is a window back from now: not a time after an event nor one and a half units;
    'in' and 'during' only with 'past', 'last' ... or before an event ('in the 7 days before randomisation'); and
    one unit with no number only so or before an event ('during the year prior to enrolment'; not 'in the months
    before screening', nor 'within year')."""
    if _AFTER_EVENT.match(text, m.end()) or _AND_A_HALF.match(text, m.end()):
        return False
    if m.group("past"):
        return True
    before_event = _BEFORE_EVENT.match(text, m.end()) is not None
    if m.group("n") is None:
        return before_event and not m.group("u").lower().endswith("s") and m.group(0).split()[1].lower() == "the"
    return before_event or m.group(0).split()[0].lower() not in ("in", "during")


def windows(text: str) -> list[Window]:
    """The time windows of `text` (see `_windows`), read once per text."""
    return list(_windows(text))


@lru_cache(maxsize=1024)
def _windows(text: str) -> tuple[Window, ...]:
    """Time windows: 'within 4 weeks' -> '4 weeks'; 'in the past 5 years'; 'within the last year';
    'within 72 hours' -> '3 days'; an upper bound from an event ('=< 7 days prior to registration',
    'symptom onset ≤ 10 days'). 'in' and 'during' count only with 'past', 'last', 'previous',
    'prior' or 'recent' ('during the recent 1 year'), or when an event follows ('in the 7 days before randomisation', 'during the year prior to
    enrolment'; 'in 5 years' is no window). Hours that are not whole days are no window, nor a time after an event ('within 28 days
    after enrollment' looks forward)."""
    if text.isascii() and not any(u in text.lower() for u in _UNIT_WORDS):
        return ()  # a cheap first look: every window names its unit (outside ASCII, IGNORECASE reads more letters)
    out = []
    for m in _WINDOW.finditer(text):
        if not _a_window(text, m):
            continue
        duration = _duration(count(m.group("n")) if m.group("n") else 1, m.group("u"))
        if duration is not None:
            out.append(Window(duration, m.start(), m.end()))
    for m in _BOUNDED.finditer(text):
        n, u = (m.group("n"), m.group("u")) if m.group("n") else (m.group("n2"), m.group("u2"))
        duration = _duration(count(n), u)
        start = m.start("op") if m.group("n") else m.start("op2")
        if duration is not None and not any(w.start <= start < w.end for w in out):
            out.append(Window(duration, start, m.end()))
    return tuple(sorted(out, key=lambda w: w.start))
