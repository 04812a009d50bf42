"""Performance status and prognosis: ECOG scores ('ECOG 0-2', 'Performance status (ECOG) 1-3', 'ECOG 0~2' (a tilde for a range), 'ECOG ≤ 1', 'ECOG 1 or less',
'Eastern Cooperative Oncology Group performance status (ECOG PS) of 0-1' (the abbreviation after the words); the
Zubrod and WHO performance scales are the ECOG scale; 'performance status of 0 or 1 on the ECOG',
with the window that dates it, 'within 7 days before ...'; a Karnofsky equivalent in parentheses,
'ECOG 0-2 (Karnofsky >= 50%)', is the same requirement; a score of 0-4 with no scale named, 'PS 0 or
1', is ECOG too, at a lower confidence (not one of another domain, 'Dyspnoea performance status 0-2', 'PS 0-1
(Borg)'); a bare score under a PDQ 'Performance status' sub-heading, '0-1', 'CTC
0-2' (the NCI CTC, SWOG and GOG performance scales are the ECOG scale), is ECOG at 0.8; a score at a past time, 'Premorbid ECOG 0-1', '... at the time of
the last chemotherapy', is left for review by the qualifiers' 'dated' cue, as any latest value is) and life expectancy ('life expectancy of at
least 3 months', 'expected survival > 12 weeks', 'anticipated to live for more than 3 months', 'life expectancy of 3 months or
more', 'expected survival duration of more than 3 months', 'Short life expectancy (< 6 months)', 'Prognosis of
less than 3 months', 'at least 6 mos')."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers.base import (
    Finding,
    ItemText,
    blocked,
    may_name,
    numbers_in_digits,
    under_heading,
)
from screening.ctgov.thresholds import OP_TEXT, OPERATOR, operator
from screening.ctgov.windows import Window, windows

# the words after a score that bound it: 'ECOG 1 or less' (at most), 'ECOG 2 or more' (at least: `_OR_WORSE`)
_OR_WORDS = "less|lower|better|below|more|higher|greater|worse|above"
_ECOG = re.compile(
    r"(?:Eastern\s+Cooperative\s+Oncology\s+Group\s*(?:[(\[]\s*ECOG\s*[)\]])?|\bECOG\b(?:\s*/\s*WHO)?|\bZubrod\b|"
    r"\bWHO\s+performance\s+(?:status|score)(?:\s*\(PS\))?|World\s+Health\s+Organi[sz]ation\s+(?:\(WHO\)\s+)?"
    r"performance\s+status|"
    # the scale named in brackets after the words: 'Performance status (ECOG) 1-3', 'PS [WHO] <= 1'
    r"\b(?:performance\s+(?:status|score)|PS)\s*[(\[]\s*(?:ECOG|WHO|Zubrod)(?:\s+PS)?\s*[)\]])"
    # the abbreviation after the words, in round or square brackets: 'Eastern Cooperative Oncology Group performance status
    # (ECOG PS) of 0-1', 'Eastern Cooperative Oncology Group [ECOG] 0-1'
    r"(?:\s*(?:performance\s+status|performance\s+score|PS|\(PS\)|[(\[]\s*ECOG(?:\s+PS)?\s*[)\]]|score|grade|status|of|is|"
    r"must\s+be|:))*\s*"
    # a range, 'between' the two scores too ('ECOG performance status between 0 and 1')
    r"(?:(?:between\s+)?(?P<a>[0-4])\s*(?:,\s*(?:or\s+)?[0-4]\s*)*,?\s*(?:-|–|~|～|to|or|and)\s*(?P<b>[0-4])"
    rf"|(?P<op>{OPERATOR})\s*(?P<c>[0-4])|(?P<d>[0-4])\s*(?:points?\s+)?or\s+(?P<w>{_OR_WORDS}))",
    re.IGNORECASE)
# the score before the scale: 'performance status of 0 or 1 on the ECOG (scale)', 'PS 0-2 per WHO'
_SCALE_AFTER = re.compile(
    r"\b(?:performance\s+(?:status|score)|\bPS)\s*(?:score\s+)?(?:of\s+|is\s+|:\s*)?"
    r"(?:(?:between\s+)?(?P<a>[0-4])\s*(?:,\s*(?:or\s+)?[0-4]\s*)*,?\s*(?:-|–|~|～|to|or|and)\s*(?P<b>[0-4])|(?P<op>" + OPERATOR + r")\s*(?P<c>[0-4])"
    r"|(?P<d>[0-4])\s*(?:points?\s+)?or\s+(?P<w>" + _OR_WORDS + r"))"
    r"\s+(?:on|per|according\s+to|by|using)\s+(?:the\s+)?(?:Eastern\s+Cooperative\s+Oncology\s+Group(?:\s*\(ECOG\))?|"
    r"ECOG|Zubrod|WHO)(?:\s+(?:performance(?:\s+(?:status|scale|score))?|scale|score))?",
    re.IGNORECASE)
# the score with no scale named: 'PS score 0 or 1', 'performance status of 0-2'; Karnofsky and Lansky
# scores run 0-100 in tens, so a score of 0-4 is the ECOG (WHO) scale, unless another scale is named
_UNNAMED = re.compile(
    r"\b(?:performance\s+(?:status|score)|PS)\s*(?:score\s+)?(?:of\s+|is\s+|:\s*)?"
    r"(?:(?:between\s+)?(?P<a>[0-4])\s*(?:,\s*(?:or\s+)?[0-4]\s*)*,?\s*(?:-|–|~|～|to|or|and)\s*(?P<b>[0-4])|(?P<op>" + OPERATOR + r")\s*(?P<c>[0-4])"
    r"|(?P<d>[0-4])\s*(?:points?\s+)?or\s+(?P<w>" + _OR_WORDS + r"))(?!\.?\d|\s*%)", re.IGNORECASE)
_OR_WORSE = frozenset({"more", "higher", "greater", "worse", "above"})
_OTHER_SCALE = re.compile(r"\b(?:Karnofsky|Lansky|KPS|LPS)\b", re.IGNORECASE)
# what every score the three patterns read contains, in lower case (a first look)
_SCORE_WORDS = ("ecog", "eastern", "zubrod", "performance", "ps")
# the Karnofsky equivalent in parentheses right after the ECOG score: 'ECOG 0-2 (Karnofsky ≥ 50%, see Appendix A)'
_KARNOFSKY_GLOSS = re.compile(r"\s*\((?:i\.e\.,?\s*|or\s+|equivalent\s+to\s+)?(?:Karnofsky|KPS)\b[^()]*\)", re.IGNORECASE)
# the unit a score is counted in, right after it: 'ECOG score ≤ 2 points', 'ECOG 0-1 pts'
_POINTS = re.compile(r"\s*(?:points?|pts)\b", re.IGNORECASE)
_WINDOW_AFTER = 45  # characters from the score to a window that dates it ('... within 7 days prior to allocation')
# ('Prognosis of less than 3 months', 'anticipated survival under 12 weeks': the same estimate by other names)
_LIFE_NAME = (r"(?:life\s+expectancy|(?:expected|estimated|anticipated|predicted)\s+survival|survival\s+expectancy|"
              r"(?<![\w-])(?:survival\s+)?prognosis)"
              r"(?:\s+(?:period|duration|time))?")  # 'Expected survival duration of ...'
# the duration's unit, abbreviated too ('6 mos', '12 wks', '1 yr')
_LIFE_UNIT = r"(?P<u>months?|weeks?|years?|days?|hours?|mos?|wks?|yrs?|hrs?)\b"
_UNIT_NAMES = {"month": "month", "mo": "month", "week": "week", "wk": "week", "year": "year", "yr": "year", "day": "day",
               "hour": "hour", "hr": "hour"}
# the bound may stand in parentheses after the name: 'Short life expectancy (< 6 months)'
# ('Life expectancy was shorter than 6 months', '... is estimated to be less than 12 weeks': a duration's own words)
_LIFE = re.compile(
    rf"{_LIFE_NAME}\s*"
    rf"(?::\s*)?(?:\(\s*)?(?:(?:of|is|was|are|were|will\s+be|should\s+be|must\s+be|(?:is\s+|was\s+)?(?:estimated|expected|"
    rf"judged|predicted)\s+(?:to\s+be|at))\s+)?(?P<op>{OPERATOR}|shorter\s+than|longer\s+than)\s*(?P<n>\d+)\s*{_LIFE_UNIT}",
    re.IGNORECASE)
_DURATION_WORDS = {"shorter than": "lt", "longer than": "gt"}
# the bound after the duration: 'Life expectancy of 3 months or more', '12 weeks or longer'
_LIFE_OR_MORE = re.compile(
    rf"{_LIFE_NAME}\s*(?::\s*)?(?:(?:of|is|should\s+be|must\s+be)\s+)?(?P<n>\d+)\s*{_LIFE_UNIT}"
    r"\s+or\s+(?:more|longer|greater|above|over)\b", re.IGNORECASE)
# the bound named before the variable, none after it: 'Minimum life expectancy of 3 months'
_LIFE_MINIMUM = re.compile(
    r"\b(?:a\s+)?minim(?:um|al)\s+(?:life\s+expectancy|expected\s+survival|survival\s+expectancy)\s*"
    rf"(?:(?:of|is)\s+)?(?P<n>\d+)\s*{_LIFE_UNIT}", re.IGNORECASE)

# the prognosis as a verb: 'Anticipated to live for more than 3 months', 'expected to survive at least 6 months'
_LIFE_VERB = re.compile(
    rf"\b(?:anticipated|expected|predicted|estimated|likely)\s+to\s+(?:live|survive)\s+(?:for\s+)?(?P<op>{OPERATOR})\s*"
    rf"(?P<n>\d+)\s*{_LIFE_UNIT}", re.IGNORECASE)


def _ecog_bounds(m: re.Match[str]) -> tuple[dict[str, Any], str] | None:
    """The score bounds a match states and their reading: a range ('0-2', '0, 1 or 2', '0, or 1, or 2'), an operator
    ('≤ 1') or words after the score ('1 or less'); None for a range written backwards."""
    if m.group("a") is not None:
        lo, hi = int(m.group("a")), int(m.group("b"))
        if lo > hi:
            return None
        return {"between": [lo, hi]}, f"ECOG {lo} to {hi} inclusive"
    if m.group("op") is not None:
        op = operator(m.group("op"))
        return {op: int(m.group("c"))}, f"ECOG {OP_TEXT[op]} {m.group('c')}"
    if m.group("w").lower() in _OR_WORSE:  # 'ECOG 2 or more': that score or a worse one
        return {"ge": int(m.group("d"))}, f"ECOG >= {m.group('d')}"
    return {"le": int(m.group("d"))}, f"ECOG <= {m.group('d')}"


def _dated(text: str, end: int) -> Window | None:
    """A window right after the score, in the same clause, that dates the assessment ('ECOG 0-1
    within 14 days before registration')."""
    for w in windows(text):
        if 0 <= w.start - end <= _WINDOW_AFTER and not re.search(r"[;.]\s|[;.]$", text[end:w.start]):
            return w
    return None


# the PDQ layout names the variable in a sub-heading ('Performance status:') and gives only the score below it,
# bare ('0-1') or with a scale that is the ECOG scale ('CTC 0-2': the NCI Common Toxicity Criteria's performance
# scale; 'SWOG 0-1', 'GOG 0-2')
_PS_HEADING = re.compile(r"\bperformance\s+status\W*$", re.IGNORECASE)
_BARE_PS = re.compile(
    r"^[\s*•-]*(?:(?:NCI\s+)?(?:CTC|Common\s+Toxicity\s+Criteria)|SWOG|GOG)?\s*"
    r"(?:(?P<a>[0-4])\s*(?:,\s*(?:or\s+)?[0-4]\s*)*,?\s*(?:-|–|to|or)\s*(?P<b>[0-4])|(?P<op>" + OPERATOR + r")\s*(?P<c>[0-4])"
    r"|(?P<d>[0-4])\s*or\s+(?P<w>" + _OR_WORDS + r"))\W*$", re.IGNORECASE)


# an unnamed score of another domain: a word naming it right before ('Dyspnoea performance status 0-2', 'Functional
# performance status 0-1'), or another scale named in parentheses right after ('PS 0-1 (Borg)'; not '(WHO)')
_DOMAIN_BEFORE = re.compile(r"\b(?:dyspn\w*|breathlessness|functional|physical|cognitive|respiratory|pulmonary|cardiac|"
                            r"exercise|swallowing|speech|voice|motor|sexual|oral|walking|occupational|work|school|"
                            r"neurologic(?:al)?|visual|mobility)\s+$", re.IGNORECASE)
_SCALE_NAMED_AFTER = re.compile(r"\s*\((?!\s*(?:ECOG|WHO|Zubrod|inclusive|see)\b)[^()]*[A-Za-z][^()]*\)", re.IGNORECASE)


def _another_domain(text: str, m: re.Match[str]) -> bool:
    """The unnamed score is of another domain than the patient's general performance."""
    return _DOMAIN_BEFORE.search(text, 0, m.start()) is not None or _SCALE_NAMED_AFTER.match(text, m.end()) is not None


def _score(item: ItemText) -> tuple[re.Match[str] | None, str]:
    """The score's match and how its scale is known: named ('ECOG 0-1'), unnamed ('performance status 0-2'),
    or by the sub-heading the item is under ('Performance status:' then 'CTC 0-2')."""
    if may_name(item.text, _SCORE_WORDS):
        m = _ECOG.search(item.text) or _SCALE_AFTER.search(item.text)
        if m is not None:
            return m, "named"
        unnamed = _UNNAMED.search(item.text) if not _OTHER_SCALE.search(item.text) else None
        if unnamed is not None and not _another_domain(item.text, unnamed):
            return unnamed, "unnamed"
    return (_BARE_PS.match(item.text) if under_heading(item, _PS_HEADING) else None), "heading"


def recognise_ecog(item: ItemText) -> list[Finding]:
    m, known_by = _score(item)
    bounds = _ecog_bounds(m) if m else None
    if m is None or bounds is None:
        return []
    rng, reading = bounds
    if known_by == "unnamed":
        reading += " (no scale is named: a score of 0-4 is the ECOG (WHO) scale; Karnofsky and Lansky run 0-100)"
    elif known_by == "heading":
        reading += (" (the score is under a 'Performance status' sub-heading: a score of 0-4 is the ECOG scale, as the "
                    "NCI CTC, SWOG and GOG performance scales are)")
    points = _POINTS.match(item.text, m.end())  # the score's own unit: 'ECOG score ≤ 2 points'
    end, spec = points.end() if points else m.end(), {"code": "ecog", **rng}
    same = _KARNOFSKY_GLOSS.match(item.text, end)
    if same is not None:  # 'ECOG 0-2 (Karnofsky >= 50%)': the same requirement on the other scale
        end = same.end()
        reading += "; the Karnofsky score in parentheses is its equivalent on the other scale"
    dated = _dated(item.text, end)
    if dated is None:
        reading += "; no time window is stated: the most recent score of any date is used (set `within:` on review)"
    else:
        end, spec["within"] = dated.end, dated.duration
        reading += (f"; assessed within {dated.duration} (read before the screening date: check the event it is "
                    "counted from)")
    confidence = {"named": 0.9, "heading": 0.8, "unnamed": 0.7}[known_by]
    return [Finding("ecog", {"latest": spec}, item.text[m.start():end], confidence, reading, m.start(), end, ["ecog"])]


# a life expectancy is always a clinician's estimate: 'in the opinion of the investigator' says no more
_ESTIMATE = frozenset({"discretion"})


# the PDQ layout names the variable in a sub-heading ('Life expectancy:') and gives only the bound below it
_LIFE_HEADING = re.compile(r"\blife\s+expectancy\W*$", re.IGNORECASE)
# a word every match of `_LIFE`, `_LIFE_MINIMUM`, `_LIFE_OR_MORE` and `_LIFE_VERB` contains (`may_name`)
_LIFE_WORDS = ("life", "surviv", "to live", "prognos")
_BARE_LIFE = re.compile(rf"^\W*(?P<op>{OPERATOR})\s*(?P<n>\d+)\s*{_LIFE_UNIT}\W*$", re.IGNORECASE)


def _under_life_heading(item: ItemText) -> re.Match[str] | None:
    """The item's bound when the item is only a bound ('At least 3 months') under a 'Life
    expectancy' sub-heading or nested under an item that is only those words."""
    return _BARE_LIFE.match(item.text) if under_heading(item, _LIFE_HEADING) else None


def recognise_life_expectancy(item: ItemText) -> list[Finding]:
    """Life expectancy in months (weeks and years converted); 'in the investigator's opinion' is how
    it is known, not a qualification; one of a single cause or without a treatment ('due to another
    illness', 'from comorbidities', 'without transplant') is left for review. A bare bound under a 'Life expectancy' sub-heading is one too
    (at 0.8: the variable is named only by the heading), and so is a minimum named before the variable
    ('Minimum life expectancy of 3 months'). A number in words counts ('at least three months')."""
    if not may_name(item.text, _LIFE_WORDS) and not under_heading(item, _LIFE_HEADING):
        return []  # every way of naming it has one of the words, or the item is under its heading
    worded = numbers_in_digits(item)
    if worded is not item:
        return [replace(f, span=item.text[f.start:f.end]) for f in recognise_life_expectancy(worded)]
    m = _LIFE.search(item.text)
    confidence, heading = 0.9, ""
    if not m and (low := _LIFE_MINIMUM.search(item.text) or _LIFE_OR_MORE.search(item.text)):
        return _life_finding(low, "ge", 0.9, "")
    if not m and (verb := _LIFE_VERB.search(item.text)):
        # its 'for more than' is the duration's own word, not a scope ('for more than 12 years of age')
        return _life_finding(verb, operator(verb.group("op")), 0.8, " (the prognosis stated as a verb)",
                             _ESTIMATE | {"scope_age"})
    if not m:
        m, confidence, heading = _under_life_heading(item), 0.8, " (named by its sub-heading)"
        if m is None:
            return []
    op = " ".join(m.group("op").lower().split())
    return _life_finding(m, _DURATION_WORDS.get(op) or operator(m.group("op")), confidence, heading)


# a prognosis of one cause, or without a treatment, right after it: 'due to another illness', 'for reasons
# other than cancer', 'without transplant' (not the point it is counted from: 'from enrolment')
_ONE_CAUSE_AFTER = re.compile(r"\W{0,3}(?:due\s+to|because\s+of|owing\s+to|as\s+a\s+result\s+of|for\s+(?:\w+\s+)?reasons?|"
                              r"related\s+to|secondary\s+to|attributable\s+to|without|"
                              # a prognosis under one care: 'with best supportive care alone'
                              r"with\s+(?:only\s+)?(?:best\s+)?supportive\s+care|"
                              # 'from' a disease or a cause ('from comorbidities', 'from another illness', 'from
                              # causes other than ...'), not from any cause nor from a point ('from enrolment')
                              r"from\s+(?!any\s+causes?\b)(?:(?:an?|the|its|their|his|her|any)\s+)?(?:[\w-]+\s+){0,2}?"
                              r"(?:causes?|comorbidit(?:y|ies)|co-morbidit(?:y|ies)|illness(?:es)?|diseases?|disorders?|"
                              r"conditions?|malignan(?:cy|cies)|cancers?|tumou?rs?))\b", re.IGNORECASE)


# the prognosis of one disease named before it: 'Malignancy with a life expectancy under 2 years', or of an illness
# besides the one studied: 'Comorbidity with life expectancy < 6 months', 'Concurrent illness with ...' (not 'Any
# illness with a life expectancy of less than 6 months': any cause)
_ONE_DISEASE_BEFORE = re.compile(r"\b(?:(?:malignan\w*|cancers?|tumou?rs?|neoplasms?|neoplastic)"
                                 r"(?:\s+(?:disease|illness|condition)s?)?|"
                                 r"co-?morbidit(?:y|ies)|(?:other|another|concurrent|concomitant|co-?existing|"
                                 r"intercurrent|unrelated|additional|non-[\w-]+)\s+(?:[\w-]+\s+)?"
                                 r"(?:illness(?:es)?|diseases?|disorders?|conditions?))\s+with\s+(?:an?\s+)?"
                                 r"(?:(?:estimated|expected|anticipated|predicted)\s+)?$", re.IGNORECASE)


# a past point the prognosis was made at, right after it: 'Life expectancy < 6 months at the time of diagnosis', 'at
# initial presentation', 'when first diagnosed' (not today's estimate)
_PAST_PROGNOSIS = re.compile(r"\s*,?\s*\(?\s*(?:(?:at|on|upon)\s+(?:the\s+)?(?:time\s+of\s+(?:the\s+)?)?"
                             r"(?:(?:initial|first|original|primary)\s+)?(?:diagnosis|presentation|onset)|"
                             r"when\s+(?:first\s+)?diagnosed)\b", re.IGNORECASE)


def _life_finding(m: re.Match[str], op: str, confidence: float, heading: str,
                  accounts: frozenset[str] = _ESTIMATE) -> list[Finding]:
    n, unit = int(m.group("n")), _UNIT_NAMES[m.group("u").lower().rstrip("s")]
    months = {"month": n, "year": n * 12, "week": round(n * 7 / 30.4375, 2), "day": round(n / 30.4375, 2),
              "hour": round(n / 24 / 30.4375, 2)}[unit]
    reading = f"life expectancy {OP_TEXT[op]} {months:g} months" + ("" if unit == "month" else f" (from {n} {unit}s)")
    cause = _ONE_CAUSE_AFTER.match(m.string, m.end()) or _ONE_DISEASE_BEFORE.search(m.string, max(0, m.start() - 60),
                                                                                   m.start())
    if cause is not None:
        return [blocked("life_expectancy", f"{reading} '{cause.group(0).strip()} ...': a prognosis of one cause or "
                        "without a treatment, which the estimate alone does not say", m.string, m.start(), cause.end())]
    past = _PAST_PROGNOSIS.match(m.string, m.end())
    if past is not None:
        return [blocked("life_expectancy", f"{reading} '{past.group(0).strip()}': a prognosis made at a past point, "
                        "not today's estimate", m.string, m.start(), past.end())]
    return [Finding("life_expectancy", {"life_expectancy_months": {op: months}}, m.group(0), confidence,
                    reading + heading, m.start(), m.end(), accounts_for=accounts)]


# the long patterns searched for in whole items, each with a look at the characters its matches start with ahead of
# it (`with_first_look`: the same matches, found faster)
_ECOG, _SCALE_AFTER, _UNNAMED, _LIFE, _LIFE_OR_MORE, _LIFE_MINIMUM, _LIFE_VERB = map(with_first_look, (_ECOG, _SCALE_AFTER, _UNNAMED, _LIFE, _LIFE_OR_MORE, _LIFE_MINIMUM, _LIFE_VERB))
