"""Pregnancy and lactation: an exclusion of pregnant or breast-feeding women, an inclusion that
requires a negative pregnancy test (a bracket on the test included: 'negative urine (25 mIU/mL)
pregnancy test'), or an inclusion of women who are not pregnant or nursing ('Not
pregnant or nursing', 'Male or non-pregnant, non-lactating females', 'need to exclude pregnancy ...
and in non-lactation period': a pregnancy to be ruled out is none), or an inclusion that opens with the pregnancy it
requires ('Singleton pregnancy', 'Pregnant women with ...': pregnant, what else it says left for review); not statements about
avoiding or planning pregnancy (contraception, 'Pregnancy planned within ...', 'desire for
pregnancy'), nor 'nursing home', nor a kind, stage or complication of pregnancy
('multifetal pregnancy', 'in the second or third trimester', 'late pregnancy', 'conditions complicating
pregnancy': left for review), nor a partner's ('Pregnancy of the partner'), nor an unknown
pregnancy status ('whose pregnancy status is unknown': no pregnancy known, left for review). A
state in a predicate of its own after a plan ('... intend to become pregnant or are breastfeeding')
is one, and a window after a plan named beside the state ('Pregnancy or desire to become pregnant within 12 months')
dates the plan, not the state. A state the participant may end, excluded only when she is unwilling to ('breast-feeding and
unwilling to stop'), is left for review: a willingness is not recorded."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from screening.core.timewindows import Duration
from screening.ctgov.recognisers.base import (
    AFTER_A_DELIVERY,
    Finding,
    ItemText,
    blocked,
    may_name,
    negated,
    restated_exclusion,
    sentence_of,
)
from screening.ctgov.windows import windows

_PREGNANCY = re.compile(r"(?:non-?)?pregnan(?:t|cy)(?:\s+test)?", re.IGNORECASE)
_LACTATION = re.compile(r"(?:non-?)?lactat(?:ing|ion)|breast[- ]?feeding|nursing(?!\s+(?:home|facilit|care|staff))",
                        re.IGNORECASE)
_AVOIDING = re.compile(r"avoid|prevent|contracept|birth\s+control|become\s+pregnant|plan(?:s|ning)?\s+to|partner|"
                       # a pregnancy planned, its object: 'Patients who plan a pregnancy', 'planning for a pregnancy'
                       r"\bplan(?:s|ning)?\s+(?:for\s+)?(?:an?\s+|any\s+|their\s+|her\s+)?(?:future\s+)?$|"
                       r"\b(?:intend|intention|desire|wish|planned|planning)", re.IGNORECASE)
# a plan named right after the mention: 'Pregnancy planned within ...', 'Breast-feeding intended ...'
_PLANNED_AFTER = re.compile(r"\s*(?:is\s+|being\s+)?(?:planned|planning|intended|desired|wished|contemplated|expected|"
                            r"anticipated)\b",
                            re.IGNORECASE)
_NEGATIVE_TEST = re.compile(r"negative\s+(?:(?:serum|urine|blood)\s*(?:(?:or|/)\s*(?:serum|urine|blood)\s+)?|"
                            r"\(?serum\s+or\s+urine\)?\s+)?"
                            r"(?:\([^()]{1,40}\)\s+)?"  # a bracket on the test ('(15-25 mIU/mL)', '(β-hCG)')
                            r"(?:beta[- ]?hcg\s+|hcg\s+)?pregnancy\s+test"
                            # 'test negative on a urine beta-hCG pregnancy test', 'negative for blood Human Chorionic
                            # Gonadotropin (HCG) pregnancy test'
                            r"|negative\s+(?:for|on|in)\s+(?:an?\s+|the\s+|their\s+|her\s+)?(?:[\w-]+\s+){0,4}?"
                            r"(?:\([^()]{1,40}\)\s+)?pregnancy\s+test", re.IGNORECASE)
_NEGATED_STATE = re.compile(r"\bnon-?(?:pregnant|lactating)|\bnot\s+(?:be\s+)?(?:pregnant|lactating|breast[- ]?feeding|"
                            r"nursing)|\bneither\s+pregnant|"
                            # a pregnancy to be ruled out: 'Female patients need to exclude pregnancy (negative test)'
                            r"\b(?:exclude|rule\s+out)\s+(?:a\s+|any\s+)?pregnan", re.IGNORECASE)
_MALE_OR = re.compile(r"\b(?:males?|m[ae]n)\s*,?\s+(?:or|and)\s+(?:an?\s+)?$", re.IGNORECASE)
# men named after a negated state, the other alternative: 'Non-pregnant, non-lactating females or males', '... female or a male'
# (the clause ends with them: not 'or men with HIV', 'or males who use contraception', whose words may be both's or the men's)
_OR_MALE = re.compile(r"\s*,?\s*(?:or|and)\s+(?:an?\s+)?(?:males?|m[ae]n)\b(?=\s*(?:[,;.)]|$))", re.IGNORECASE)
# what every mention of pregnancy, lactation or a pregnancy test contains, in lower case (a first look)
_WORDS = ("pregnan", "lactat", "breast", "nursing")
_TEST_WORDS = ("positive", "urine", "serum")  # a word before the mention that belongs to its span
# (pregnancy mentioned, lactation mentioned) -> (slug, library concept, reading)
_STATES = {
    (True, True): ("pregnancy", "pregnant_or_lactating", "pregnant or breast-feeding"),
    (True, False): ("pregnancy", "pregnant", "pregnant (recorded, positive hCG within 30 days, or active pregnancy)"),
    (False, True): ("lactation", "lactating", "breast-feeding"),
}
_ACCOUNTS = frozenset({"scope_female"})
# 'if the pregnancy test is positive': the condition is the pregnancy itself, when it is the only one of
# its sentence
_IF_POSITIVE = re.compile(r"\bif\s+(?:the\s+|a\s+|her\s+)?(?:(?:serum|urine|blood)\s+)?(?:(?:beta[- ]?)?hcg\s+)?"
                          r"pregnancy\s+test\s+(?:is\s+|was\s+|result\s+is\s+)?positive\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:if|unless|when|whenever|provided)\b", re.IGNORECASE)
# 'if of childbearing potential': a woman who is pregnant is of childbearing potential, so the condition
# (on the test that shows it) changes nothing
# (so does 'If female', 'if the participant is a woman': the sex the definition names)
_IF_CHILDBEARING = re.compile(r"\bif\s+(?:she\s+is\s+|they\s+are\s+|(?:the\s+)?(?:participant|patient|subject)\s+is\s+)?"
                              r"(?:(?:an?\s+)?(?:wom[ae]n|females?)\b(?:\s+of\s+child[\s-]?bearing\s+(?:potential|age)\b)?|"
                              r"of\s+child[\s-]?bearing\s+(?:potential|age)\b)", re.IGNORECASE)
_NEITHER = {"not": {"all": [{"sex": ["female"]}, {"ref": "pregnant_or_lactating"}]}}  # neither pregnant nor nursing  # 'for women of childbearing potential' is the sex condition


def _negative_test(text: str) -> list[Finding]:
    """An inclusion: women must have a negative pregnancy test."""
    neg = _NEGATIVE_TEST.search(text)
    if not neg:
        return []
    sentence = text[slice(*sentence_of(text, neg.start()))]
    fertile = _IF_CHILDBEARING.findall(sentence)  # 'If the participant is a woman of childbearing potential, ...'
    accounts = _ACCOUNTS | {"condition"} if fertile and len(fertile) == len(_CONDITION.findall(sentence)) else _ACCOUNTS
    return [Finding("pregnancy_test", {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}, neg.group(0), 0.7,
                    "women: not pregnant (no positive hCG within 30 days, no recorded pregnancy); "
                    "a missing test is unknown", neg.start(), neg.end(), accounts_for=accounts)]


def _span_start(text: str, start: int) -> int:
    """The mention's start, or that of the word before it when it is 'positive', 'urine' or 'serum',
    or of 'Male or' before a negated state."""
    male = _MALE_OR.search(text[:start])
    if male:
        return male.start()
    if start and text[:start].lower().rstrip().endswith(_TEST_WORDS):
        return max(0, text.rfind(" ", 0, max(0, start - 1)) + 1)
    return start


def _state(text: str, mentions: list[re.Match[str]], state: tuple[bool, bool], kind: str,
           is_negated: bool) -> Finding:
    """Women who are pregnant, breast-feeding or either (an exclusion), or women who are not (an
    inclusion, negated)."""
    slug, ref, what = _STATES[state]
    start = _span_start(text, min(m.start() for m in mentions))
    end = max(m.end() for m in mentions)
    if text[end:end + 8].lower().startswith((" female", " women", " woman")):
        end += len(re.match(r"\s+\w+", text[end:]).group(0))  # type: ignore[union-attr]
    male = _OR_MALE.match(text, end) if is_negated else None
    if male is not None:
        end = male.end()
    when: dict[str, Any] = {"all": [{"sex": ["female"]}, {"ref": ref}]}
    accounts = _ACCOUNTS
    sentence = text[slice(*sentence_of(text, start))]
    positive, fertile = _IF_POSITIVE.findall(sentence), _IF_CHILDBEARING.findall(sentence)
    if (positive or fertile) and len(positive) + len(fertile) == len(_CONDITION.findall(sentence)):
        accounts = _ACCOUNTS | {"condition"}
        s0 = sentence_of(text, start)[0]
        for c in (*_IF_POSITIVE.finditer(text, s0, s0 + len(sentence)), *_IF_CHILDBEARING.finditer(text, s0, s0 + len(sentence))):
            start, end = min(start, c.start()), max(end, c.end())  # the condition is read with the state
        what += " (a positive pregnancy test is the pregnancy)" if positive else \
            " (a pregnant woman is of childbearing potential)" if any("child" in f.lower() for f in fertile) else \
            " (the condition is the sex the definition names)"
    if is_negated:
        return Finding(slug, {"not": when}, text[start:end], 0.8, f"no woman who is {what}", start, end,
                       accounts_for=accounts)
    return Finding(slug, when, text[start:end], 0.8, f"applies to women: {what}", start, end, accounts_for=accounts)


# a pregnancy that is not the present one ('a previous pregnancy', 'pregnancy-induced hypertension')
_NOT_NOW_BEFORE = re.compile(r"\b(?:previous|prior|past|earlier|former|future|subsequent|next|last)\s+$|"
                             # the time after one: 'Depression after pregnancy', 'Weight gain since pregnancy'
                             r"\b(?:after|since|following)\s+(?:a\s+|the\s+|her\s+|their\s+)?$|"
                             # a history of one: 'History of a positive pregnancy test'
                             r"\bhistory\s+of\s+(?:an?\s+)?(?:(?:positive|urine|serum)\s+)*$|"
                             # a test refused: no result ('refuse a pregnancy test')
                             r"\b(?:refus\w*|declin\w*)\s+(?:to\s+(?:have|take|undergo)\s+)?(?:a\s+|the\s+)?$|"
                             # the time before one: 'Pre-pregnancy BMI', 'BMI ... before pregnancy'
                             r"\bpre-?\s*$|\b(?:before|prior\s+to)\s+(?:the\s+|her\s+|their\s+)?(?:current\s+)?$",
                             re.IGNORECASE)
# (also past the other state: 'Pregnant or breastfeeding spouse')
_PARTNER_AFTER = re.compile(r"^\s*(?:(?:or|and|and/or|/)\s*(?:non-?)?(?:pregnant|lactating|breast[- ]?feeding|nursing)\s+)?"
                            r"(?:(?:female|sexual)\s+)?(?:partners?|spouses?|wi(?:fe|ves))\b|"
                            # named after it: 'Pregnancy of the partner', 'pregnancy of his wife'
                            r"^\s+(?:of|in)\s+(?:(?:the|a|an|his|their|any)\s+)?(?:[\w-]+'s\s+)?(?:(?:female|sexual|male)\s+)?"
                            r"(?:partners?|spouses?|wi(?:fe|ves))\b|"
                            # the mother of a child who takes part: 'Pregnant mother of the infant participant'
                            r"^\s*(?:(?:or|and|and/or|/)\s*(?:non-?)?(?:pregnant|lactating|breast[- ]?feeding|nursing)\s+)?"
                            r"mothers?\s+of\s+(?:the\s+|an?\s+)?(?:(?:enrolled|participating|study|index)\s+)?(?:infants?|child(?:ren)?|bab(?:y|ies)|neonates?|newborns?|"
                            r"participants?|subjects?)\b", re.IGNORECASE)
# a pregnancy test not done: no result ('Pregnancy test not performed at screening')
_NOT_DONE_AFTER = re.compile(r"^\s+(?:results?\s+)?(?:(?:was|is|are|has|have)\s+)?(?:not\s+(?:been\s+)?(?:done|performed|obtained|available|"
                             r"carried\s+out|taken)|missing|unavailable|pending)\b", re.IGNORECASE)
_TRIMESTER = r"(?:first|second|third|1st|2nd|3rd)"
_MODIFIER_AFTER = re.compile(r"^[\s-]+(?:induced|related|associated|specific|loss|losses|outcomes?|complications?|"
                             # a difficulty of one: 'breast-feeding difficulties', 'lactation problems'
                             r"difficult(?:y|ies)|problems?)\b|"
                             # a complicated one: 'Pregnancy complicated by pre-eclampsia'
                             r"^\s+complicated\s+(?:by|with)\b|"
                             # a pregnancy of one stage: 'in their third trimester', 'in the second or third trimesters',
                             # 'beyond the first trimester', 'beyond 20 weeks of gestation', '(confirmed by ultrasound)
                             # before 12 weeks', 'in late pregnancy'
                             rf"^(?:\s*\([^()]*\))?\s+(?:(?:women|woman|patients?|participants?)\s+)?(?:(?:in|beyond|after|"
                             rf"past|before|during)\s+(?:the|their|her)\s+{_TRIMESTER}(?:\s*(?:or|and|and/or|/|,)\s*{_TRIMESTER})*"
                             r"\s+trimesters?|(?:in|at)\s+(?:(?:the|its|her|their)\s+)?(?:late|early|advanced|final|last)\s+"
                             r"(?:(?:stages?|weeks|months)(?:\s+of\s+pregnan\w*)?|pregnan\w*)|at\s+term|(?:at|beyond|over|after|before|between|under|less\s+than|"
                             r"more\s+than|of|past|above|below|>|<|≥|≤)\s*\d+\s*(?:(?:-|to|and)\s*\d+\s*)?"
                             r"(?:completed\s+)?weeks?)\b",
                             re.IGNORECASE)


# a kind or a complication of pregnancy ('multifetal pregnancy', 'conditions complicating pregnancy'):
# no pregnancy state, whoever the trial enrols
# (or of one stage: 'Late pregnancy', 'third-trimester pregnancy')
_KIND_BEFORE = re.compile(r"\b(?:multi-?fetal|multiple|twins?|triplets?|higher[- ]order|ectopic|molar|tubal|"
                          r"high[- ]risk|singleton|complicat\w*|surroga\w*|IVF|late|early|advanced|term|"
                          rf"{_TRIMESTER}[\s-]+trimester|(?:last|final|first|early|late)\s+(?:weeks|months|stages?))\s+(?:(?:the|a|her|of)\s+)?$", re.IGNORECASE)
# a pregnancy of one kind, named by how or when it came: 'Pregnancy by IVF', 'Pregnancy after the age of 35'
_KIND_AFTER = re.compile(r"^\s+(?:(?:(?:resulting|achieved|obtained|conceived)\s+)?(?:by|through|via|from|after|following|with)\s+"
                         r"(?:an?\s+)?(?:IVF\b|in[\s-]+vitro|assisted|ART\b|egg|oocyte|embryo|donor|surroga|ovulation\s+induction|"
                         r"fertility\s+treatment|(?:intra-?uterine\s+)?insemination)|"
                         r"after\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?\d+\s*(?:years?|yrs?)?\b|"
                         # of one population: 'Pregnancy in women with HIV'
                         r"in\s+(?:women|mothers|patients|participants|those)\s+(?:with|who|living)\b|"
                         # at another time than now: 'Pregnant at the time of diagnosis', '... during the previous
                         # treatment' (not a point of the study: 'Pregnant at enrollment')
                         r"(?:at|during|before|after)\s+(?:the\s+time\s+of\s+)?(?:the\s+|her\s+|their\s+|a\s+)?"
                         r"(?:(?:previous|prior|last|index|initial|first|earlier)\s+)?(?:diagnosis|treatment|surgery|"
                         r"transplant(?:ation)?|operation|chemotherapy|infection|exposure|"
                         r"procedure))",
                         re.IGNORECASE)


# the pregnancy as the time of something else, named before it ('Pre-eclampsia in the current pregnancy',
# 'Smoking during this pregnancy'; not 'Women in pregnancy or lactation', the state)
_DURING_BEFORE = re.compile(r"\w[^.;]*?\b(?:(?:during|throughout)\s+(?:the\s+|this\s+|her\s+|their\s+)?(?:current\s+|"
                            r"present\s+|index\s+|ongoing\s+)?|in\s+(?:the\s+|her\s+|their\s+)?(?:current|present|index|"
                            r"this|ongoing)\s+)$|"
                            # a condition 'in pregnancy' or 'of pregnancy' ('Hypertension in pregnancy', 'Anaemia of
                            # pregnancy'), not a person in it ('Women in pregnancy or lactation', 'Currently in
                            # pregnancy') nor its evidence ('Evidence of pregnancy')
                            r"\b(?!(?:wom[ae]n|females?|patients?|subjects?|participants?|mothers?|individuals?|persons?|"
                            r"people|those|girls|adolescents|ladies|currently|presently|now|not|are|is|be|or|and|nor|who)\b)[A-Za-z][\w-]*\s+"
                            r"in\s+$|"
                            r"\b(?!(?:evidence|signs?|confirmation|diagnosis|presence|state|status|case|period|time|duration|"
                            r"test|result|absence|wom[ae]n|females?)\b)[A-Za-z][\w-]*\s+of\s+$", re.IGNORECASE)


# the pregnancy as the time of what follows it, opening the item: 'During pregnancy, haemoglobin < 10 g/dL'
_OPENS_AS_A_TIME = re.compile(r"^\W*(?:during|throughout)\s+(?:the\s+|this\s+|her\s+|their\s+)?(?:current\s+|present\s+|"
                              r"index\s+|ongoing\s+)?$", re.IGNORECASE)
_WHAT_FOLLOWS = re.compile(r"\s*,\s*\w")


# the people themselves named right before 'during', opening the item or a clause ('Women during pregnancy or
# lactation', 'Females during pregnancy', 'Women who are during pregnancy'): the pregnancy is their state, not the time of something else
_PEOPLE_DURING = re.compile(r"(?:^|[,;:(]|\b(?:and|or)\s)\W*(?:(?:all|any|the)\s+)?(?:wom[ae]n|females?|"
                            r"patients?|subjects?|participants?|individuals?|persons?|people|those)\s+"
                            r"(?:(?:who\s+are|that\s+are|currently|presently)\s+)?(?:during|throughout)\s+(?:the\s+|their\s+|her\s+)?$", re.IGNORECASE)


def _time_of_another(text: str, m: re.Match[str]) -> bool:
    """The pregnancy is the time of something named before it ('Smoking during pregnancy'), not the people's state."""
    return _DURING_BEFORE.search(text, max(0, m.start() - 80), m.start()) is not None \
        and _PEOPLE_DURING.search(text[max(0, m.start() - 80):m.start()]) is None


def _kind_of(text: str, m: re.Match[str]) -> bool:
    return m.re is _PREGNANCY and (_KIND_BEFORE.search(text, max(0, m.start() - 30), m.start()) is not None
                                   or _KIND_AFTER.match(text[m.end():]) is not None
                                   or _time_of_another(text, m)
                                   or (_OPENS_AS_A_TIME.match(text[:m.start()]) is not None
                                       and _WHAT_FOLLOWS.match(text, m.end()) is not None))


# a pregnancy in the perfect ('Women who have been pregnant', 'had been pregnant', 'have never been pregnant'): one at some
# time, not now (not a duration of the present one: 'have been pregnant for less than 12 weeks')
_PERFECT_BEFORE = re.compile(r"\b(?:have|has|had|'ve)\s+(?:ever\s+|never\s+|previously\s+|once\s+|already\s+)?been\s+$",
                             re.IGNORECASE)
_FOR_SINCE_AFTER = re.compile(r"\s+(?:for|since)\b", re.IGNORECASE)
# or one had ('Women who have had a pregnancy'), or dated at a past time after it ('pregnant at the time of diagnosis',
# '... in a previous study'; not 'at screening', 'at enrolment': now)
_HAD_BEFORE = re.compile(r"\b(?:have|has|had|'ve)\s+(?:ever\s+|previously\s+|once\s+|already\s+)?had\s+(?:an?\s+|any\s+)?$",
                         re.IGNORECASE)
_PAST_TIME_AFTER = re.compile(r"\s+(?:at\s+the\s+time\s+of|at|during|in|on)\s+(?:the\s+|an?\s+|their\s+|her\s+)?"
                              r"(?:(?:previous|prior|earlier|past|former|index|parent|first|initial)\s+(?:[\w-]+\s+)?)?"
                              r"(?:diagnosis|surgery|operation|transplant\w*|biopsy|onset)\b|"
                              r"\s+(?:at|during|in|on)\s+(?:the\s+|an?\s+)?(?:previous|prior|earlier|past|former|parent)\s+"
                              r"(?:stud(?:y|ies)|trials?|protocols?|visits?)\b", re.IGNORECASE)


_STATE_NOUN = re.compile(r"\s+(?:wom[ae]n|females?|patients?|participants?|subjects?|mothers?)\b", re.IGNORECASE)


def _state_noun_end(text: str, end: int) -> int:
    """The end of the person named right after the mention ('pregnant women'), else `end`."""
    noun = _STATE_NOUN.match(text, end)
    return end if noun is None else noun.end()


def _not_now(text: str, m: re.Match[str]) -> bool:
    """The mention is of a past or future pregnancy, names what comes of one, is someone else's
    ('pregnant partners'), or is a test not done."""
    return _NOT_NOW_BEFORE.search(text, max(0, m.start() - 32), m.start()) is not None \
        or (_PERFECT_BEFORE.search(text, max(0, m.start() - 32), m.start()) is not None
            and _FOR_SINCE_AFTER.match(text, m.end()) is None) \
        or _HAD_BEFORE.search(text, max(0, m.start() - 32), m.start()) is not None \
        or _PAST_TIME_AFTER.match(text, _state_noun_end(text, m.end())) is not None \
        or _MODIFIER_AFTER.match(text[m.end():]) is not None or _PARTNER_AFTER.match(text[m.end():]) is not None \
        or (m.group(0).lower().endswith("test") and _NOT_DONE_AFTER.match(text[m.end():]) is not None)


# an unknown pregnancy status ('unknown pregnancy status', 'whose pregnancy status is not known'): not a pregnancy
_UNKNOWN_BEFORE = re.compile(r"\b(?:unknown|undetermined|unconfirmed|uncertain)\s+$", re.IGNORECASE)
_STATUS_AFTER = re.compile(r"^\s+status\b", re.IGNORECASE)
_UNKNOWN_AFTER = re.compile(r"^\s+status\s+(?:is\s+|was\s+|remains\s+)?(?:unknown|not\s+known|undetermined|unconfirmed|"
                            r"uncertain|cannot\s+be\s+(?:determined|confirmed|established))\b", re.IGNORECASE)


# a pregnancy only possible or suspected ('Suspected pregnancy', 'women who may be pregnant', 'Pregnancy
# cannot be excluded'): not a known one, which is what the library's concept asks
# ('Known or suspected pregnancy' holds the known one: drafted, as the tables draft 'Known or suspected HIV')
_UNCERTAIN_BEFORE = re.compile(r"(?<!\bknown\sor\s)(?<!\bconfirmed\sor\s)(?<!\bdocumented\sor\s)"
                               r"\b(?:possible|possibly|suspected|suspicion\s+of|presumed|probable|(?:may|might|could)\s+be)\s+$",
                               re.IGNORECASE)
_UNCERTAIN_AFTER = re.compile(r"^\s+(?:cannot|can\s*not|could\s+not|can't)\s+be\s+(?:excluded|ruled\s+out)\b|"
                              r"^\s+(?:is\s+)?(?:suspected|possible)\b", re.IGNORECASE)


def _unknown_status(text: str, m: re.Match[str]) -> bool:
    if m.re is _PREGNANCY and (_UNCERTAIN_BEFORE.search(text, max(0, m.start() - 20), m.start()) is not None
                               or _UNCERTAIN_AFTER.match(text[m.end():]) is not None):
        return True
    return m.re is _PREGNANCY and (_UNKNOWN_AFTER.match(text[m.end():]) is not None or (
        _STATUS_AFTER.match(text[m.end():]) is not None
        and _UNKNOWN_BEFORE.search(text, max(0, m.start() - 20), m.start()) is not None))


# where a new predicate starts after a plan ('... plan to conceive or are lactating'): the plan ends there
_CLAUSE = re.compile(r"[,;]|\b(?:or|and)\s+(?=(?:are|is|who|currently)\b)", re.IGNORECASE)


# the other states joined to a mention ('Pregnancy or breast-feeding planned ...': the plan follows both)
_JOINED_STATES = re.compile(r"(?:\s*(?:,|or|and|and/or|/)\s*(?:non-?)?(?:pregnan(?:t|cy)|lactat(?:ing|ion)|"
                            r"breast[- ]?feeding|nursing))*", re.IGNORECASE)


# a plan that is an adjective of its own noun ('Pregnancy, planned pregnancy or breast feeding'): it plans that
# pregnancy only, not the states named after it
# (or a wish for one: 'Pregnancy, wish for pregnancy or lactation', 'desire for a pregnancy', 'intention of pregnancy')
_PLANNED_NOUN = re.compile(r"\b(?:(?:planned|intended|desired|wished[- ]for)\s+|(?:wish|desire|intention|plans?)\s+(?:for|of)\s+"
                           r"(?:an?\s+)?)pregnan(?:cy|cies)\b", re.IGNORECASE)


def _avoiding(text: str, m: re.Match[str]) -> bool:
    """The mention is the object of avoiding or planning a pregnancy in its clause (past a planned pregnancy
    named before it as a noun of its own), or a plan follows it (or the states joined to it)."""
    clause = _CLAUSE.split(text[sentence_of(text, m.start())[0]:m.end()])[-1]
    if "pregnan" in clause[:-len(m.group())].lower():
        own = [p.end() for p in _PLANNED_NOUN.finditer(clause) if p.end() <= len(clause) - len(m.group())]
        clause = clause[own[-1]:] if own else clause
    return _AVOIDING.search(clause) is not None \
        or _PLANNED_AFTER.match(text, _JOINED_STATES.match(text, m.end()).end()) is not None  # type: ignore[union-attr]


def _mentions(text: str) -> list[re.Match[str]]:
    """Mentions of pregnancy and lactation in the first sentence that has one, and in the clauses
    of the item's next sentence that continue it ('Pregnant woman ...; breast-feeding woman'); a
    mention about avoiding pregnancy ('woman planning to become pregnant') is none."""
    found = [m for rx in (_PREGNANCY, _LACTATION) for m in rx.finditer(text)
             if not _avoiding(text, m) and not _not_now(text, m) and not _kind_of(text, m)
             and not _unknown_status(text, m)]
    if not found:
        return []
    found.sort(key=lambda m: m.start())
    s, e = sentence_of(text, found[0].start())
    if text[e - 1:e] == ";":  # a clause of the same statement
        e = sentence_of(text, e)[1] if e < len(text) else e
    return [m for m in found if s <= m.start() < e]


def recognise_pregnancy(item: ItemText) -> list[Finding]:
    """A negative pregnancy test in an inclusion, unless it is the evidence of a stated state that
    also names breast-feeding ('not nursing or pregnant (negative urine pregnancy test)'): that state."""
    if not may_name(item.text, _WORDS):
        return []
    test = _negative_test(item.text) if item.kind == "inclusion" else []
    state = _pregnancy_state(item)
    if item.kind == "inclusion" and not test and (not state or state[0].when is None):
        required = _required_pregnancy(item.text)
        if required is not None:
            return [required]
    if test and not (state and state[0].when == _NEITHER):
        return test
    return state


# an inclusion that opens with the pregnancy it requires, of a kind or not ('Singleton pregnancy', 'Pregnant women',
# 'Women with a viable intrauterine pregnancy'): the participant is pregnant; the kind, stage or what else the item says
# is left to its review criterion
_REQUIRED = re.compile(r"\W*(?:(?:currently|presently|now)\s+)?(?:(?:wom[ae]n|females?|patients?|participants?|subjects?|mothers?)\s+with\s+)?(?:an?\s+)?"
                       r"(?:(?:singleton|twin|viable|intra-?uterine|uncomplicated|normal|healthy|low[- ]risk|ongoing|"
                       r"confirmed|spontaneous|current)[\s,-]+(?:and\s+)?)*pregnan(?:cy|t)\b"
                       r"(?:\s+(?:wom[ae]n|females?|patients?|participants?|subjects?|mothers?)\b)?", re.IGNORECASE)
_NOW = re.compile(r"^(?:currently|presently|now)\s+", re.IGNORECASE)  # the present state, no kind of it
# what after it makes the pregnancy no requirement of the participant's own, now: an alternative, another person, a
# time after or before it, a history, a test, a plan, a complication, breast-feeding, a negation
_NOT_REQUIRED = re.compile(r"\b(?:or|nor|and/or|not|no|non|without|partners?|spouses?|wi(?:fe|ves)|post-?\s?partum|"
                           r"puerper\w*|deliver\w*|birth|infants?|newborns?|neonat\w*|bab(?:y|ies)|child\w*|foet\w*|"
                           r"fet(?:us|uses)|loss\w*|histor\w*|previous\w*|prior|past|test\w*|plan\w*|intend\w*|"
                           r"desir\w*|wish\w*|complicat\w*|terminat\w*|outcomes?|induced|related|associated|ectopic|molar|"
                           r"lactat\w*|breast\w*|nursing|registry|exposed|exposure)\b|/|"
                           # another population beside them: 'Pregnant women and adolescents'
                           r"\b(?:and|as\s+well\s+as|plus)\s+(?:(?:the|their|other|healthy|non-?pregnant)\s+)?(?:wom[ae]n|men|"
                           r"adults?|adolescents?|girls|boys|teen\w*|controls?|volunteers?|husbands?|fathers?|famil\w*)\b",
                           re.IGNORECASE)


def _required_pregnancy(text: str) -> Finding | None:
    """The pregnancy an inclusion opens with, required of the participant (`_REQUIRED`), at 0.7 alone and at 0.6 beside
    the review criterion when the sentence says more; None when anything in its sentence makes it no requirement of
    her own present state (`_NOT_REQUIRED`) or it does not open the item."""
    m = _REQUIRED.match(text)
    if m is None:
        return None
    s, e = sentence_of(text, m.start())
    if e < len(text.rstrip(" .;,")) or _NOT_REQUIRED.search(text, s, e):
        return None  # another sentence or statement after it, or a word that makes it no present requirement
    rest = text[m.end():e].strip(" .;,")
    kind = text[m.start():m.end()].strip(" .;,-•")
    head = _PREGNANCY.search(kind)
    extra = rest or (head is not None and _NOW.sub("", kind[:head.start()]).strip())
    leaves = f"leaves what else the item asks of the pregnancy ('{text[m.start():e].strip()}'): left for review" \
        if extra else None
    return Finding("pregnancy", {"ref": "pregnant"}, kind, 0.7, "applies to pregnant women: pregnant (recorded, positive "
                   "hCG within 30 days, or active pregnancy)", m.start(), m.end(), leaves=leaves)


def _why_no_state(text: str) -> list[Finding]:
    """A mention of pregnancy that is no pregnancy state, left for review with the reason: a kind or
    complication of pregnancy, an unknown pregnancy status, a partner's pregnancy; or nothing."""
    kind = next((m for m in _PREGNANCY.finditer(text) if _kind_of(text, m)), None)
    if kind is not None:
        return [blocked("pregnancy", "a kind or complication of pregnancy, or something during one, not the pregnancy state", text,
                        kind.start(), kind.end())]
    unknown = next((m for m in _PREGNANCY.finditer(text) if _unknown_status(text, m)), None)
    if unknown is not None:
        return [blocked("pregnancy", "an unknown pregnancy status, not a pregnancy", text, unknown.start(),
                        unknown.end())]
    partner = next((m for m in _PREGNANCY.finditer(text) if _PARTNER_AFTER.match(text[m.end():])), None)
    return [] if partner is None else [blocked("pregnancy", "the pregnancy of a partner or spouse, not the "
                                               "participant's", text, partner.start(), partner.end())]


# an infection named as the pregnant or nursing population's ('HIV-infected pregnant women')
_INFECTED_BEFORE = re.compile(r"(?:\bHIV|\bHBV|\bHCV|\bHBsAg|hepatitis\s+[BC])(?:[\s-]*1)?[\s-]*(?:infected|positive|"
                              r"seropositive|reactive)\s+$", re.IGNORECASE)


def _pregnancy_state(item: ItemText) -> list[Finding]:
    text = item.text
    mentions = _mentions(text)
    if not mentions:
        return _why_no_state(text)
    first = mentions[0].start()
    s, _ = sentence_of(text, first)
    if _AVOIDING.search(text[s:first]):
        return []
    other = _not_the_present_state(text, mentions, s)
    if other is not None:
        return [other]
    lead = text[s:mentions[0].end()]
    is_negated = negated(text, first) or _NEGATED_STATE.search(lead) is not None or _NEGATIVE_TEST.search(lead) is not None
    if item.kind == "exclusion" and is_negated and restated_exclusion(text, first):
        is_negated = False  # 'Patient must not be pregnant or breastfeeding.' under the Exclusion heading
    if (item.kind == "inclusion") != is_negated:
        return []  # an inclusion of pregnant women, or an exclusion of women who are not: left for review
    state = (any(m.re is _PREGNANCY for m in mentions), any(m.re is _LACTATION for m in mentions))
    found = _state(text, mentions, state, item.kind, is_negated)
    if not is_negated:
        aged = _of_an_age(text, mentions)
        if aged is not None:  # 'Pregnant adolescents', 'Pregnant women over 35 years': only those of that age excluded
            return [blocked(found.slug, f"{found.reading.removeprefix('applies to women: ')} of one age only "
                            f"('{aged.group(0).strip()}'): the state and the age together, not the state alone", text,
                            min(found.start, aged.start()), max(found.end, aged.end()))]
    return [_qualified(text, mentions, found)]


# people of one age named with the state ('pregnant adolescents', 'breast-feeding women under 18 years of age',
# 'Pregnant women aged 35 or more'): only the state and the age together exclude
_OF_AN_AGE = re.compile(r"\b(?:adolescents?|adolescent|teen(?:s|age(?:rs?|d)?)|minors|girls|juveniles?|under-?age)\b|"
                        r"\bage[sd]?\s*(?:of\s+)?(?:[<>≤≥]=?\s*|(?:over|under|above|below)\s+)?\d{1,3}\b|"
                        r"\b(?:wom[ae]n|females?|mothers?)\s+(?:over|under|above|below|older\s+than|younger\s+than)\s+\d{1,3}\b|"
                        r"\b(?:over|under|above|below|older\s+than|younger\s+than|less\s+than|more\s+than|[<>≤≥]=?)\s*"
                        r"\d{1,3}\s*(?:years?|yrs?)\b|"
                        r"\b\d{1,3}\s*(?:years?|yrs?)\s+(?:of\s+age|old|or\s+(?:older|younger|over|under|more|less))\b",
                        re.IGNORECASE)


_ALTERNATIVE_BREAK = re.compile(r"[,;(]|\b(?:or|and/or)\b(?!\s+(?:older|younger|over|under|more|less|above|below)\b)",
                                re.IGNORECASE)


def _of_an_age(text: str, mentions: list[re.Match[str]]) -> re.Match[str] | None:
    """People of one age named with the mentions, in their clause (not in another alternative: 'Pregnant
    women, or women under 50 not using contraception'); else None."""
    s, e = sentence_of(text, mentions[0].start())
    s = max([s] + [m.end() for m in _ALTERNATIVE_BREAK.finditer(text, s, mentions[0].start())])
    after = _ALTERNATIVE_BREAK.search(text, mentions[-1].end(), e)
    return _OF_AN_AGE.search(text, s, after.start() if after else e)


def _not_the_present_state(text: str, mentions: list[re.Match[str]], s: int) -> Finding | None:
    """Why the pregnancy or breast-feeding mentioned (first in the sentence starting at `s`) is not the
    participant's present state on its own: an infected population's, or one at any time; else None."""
    first = mentions[0].start()
    infected = _INFECTED_BEFORE.search(text, max(0, first - 40), first)
    if infected is not None:  # 'HIV-infected pregnant women': only both together exclude
        return blocked("pregnancy", f"the pregnancy of an infected population ('{text[infected.start():mentions[0].end()]}'): "
                       "the infection and the pregnancy together, not each alone", text, infected.start(), mentions[0].end())
    ever = _EVER.search(text, s, sentence_of(text, first)[1])
    if ever is not None:  # 'Positive pregnancy test at any time', 'Ever had a positive pregnancy test'
        return blocked("pregnancy", f"a pregnancy at any time ('{ever.group(0)}'), not the present state", text,
                       min(ever.start(), first), max(ever.end(), mentions[-1].end()))
    return None


def _qualified(text: str, mentions: list[re.Match[str]], found: Finding) -> Finding:
    """The state `found` as the item qualifies it after it: a state the participant may end, or one at
    any time in a window, is left for review; `found` itself otherwise."""
    first = mentions[0].start()
    willing = _WILLING_TO_STOP.search(text, first, sentence_of(text, first)[1])
    if willing is not None:  # 'breast-feeding and unwilling to stop': a woman willing to stop is eligible
        return blocked(found.slug, f"a state the participant may end ('{willing.group(0)}'): a willingness is not "
                       "recorded", text, found.start, max(found.end, willing.end()))
    tested = any(m.group(0).lower().endswith("test") for m in mentions)  # a window after a test dates the test
    window = next((w for w in windows(text) if found.end <= w.start <= found.end + 30), None)
    if window is not None and tested and Duration.parse(window.duration).approx_days() <= _TEST_SHOWS_NOW_DAYS:
        window = None  # 'negative pregnancy test within 72 hours': the test dated, the state now
    if window is not None and _PLAN_BEFORE_WINDOW.search(text, found.end, window.start):
        window = None  # 'Pregnancy or intention to become pregnant within 12 months': the plan dated, the state now
    if window is not None and _WINDOW_OF_A_DELIVERY.match(text, window.end) and _OR.search(text, found.end, window.start):
        # 'Pregnant or within 6 weeks post-partum': the window dates the time after a delivery, another way to be excluded
        return replace(found, leaves=f"leaves the time after a delivery ('{text[window.start:window.end]}'): left for review")
    if window is not None and _NOW_OR_IN_A_WINDOW.search(text, sentence_of(text, first)[0], window.start):
        # 'Pregnancy, current or in the preceding 9 months': the present state is one way to meet it
        return replace(found, leaves=f"leaves a pregnancy in a past period ('{text[window.start:window.end]}'): left for "
                                     "review")
    if window is not None:  # 'Pregnancy within the last 6 months': one at any time in it, not the present state
        return blocked(found.slug, f"a pregnancy or breast-feeding at any time in a window ({window.duration}), "
                       "not the present state", text, found.start, window.end)
    more = None if tested else _more_than_now(text, mentions)
    if more is not None:  # 'Current or past-year pregnancy': the present state is one way to meet it
        return replace(found, leaves=f"leaves a pregnancy in a past period or the time after a delivery ('{more}'): "
                                     "left for review")
    planned = _PLANNED_NOUN.search(text, found.start, found.end)
    if planned is not None:  # 'Pregnancy, planned pregnancy or breast feeding': the plan between the states is more
        return replace(found, leaves=f"leaves a plan ('{planned.group(0)}'): left for review")
    return found


def _more_than_now(text: str, mentions: list[re.Match[str]]) -> str | None:
    """The words that extend the state beyond the present in the mentions' sentences (a past period,
    a duration written before the mention, the time after a delivery), or None."""
    s, e = sentence_of(text, mentions[0].start())[0], sentence_of(text, mentions[-1].start())[1]
    first = mentions[0].start()
    m = _PAST_PERIOD.search(text, s, e) or _AFTER_DELIVERY.search(text, s, e) or _NOW_OR_BEFORE.search(text, s, e) \
        or _DURATION_BEFORE.search(text, max(s, first - 20), first)
    return None if m is None else m.group(0).strip()


# a plan named between the state and a window ('Pregnancy or desire to become pregnant within 12 months of the study',
# '... or planning a pregnancy within 1 year'): the window dates the plan (left for review), not the state
# (a plan to come, not 'planned or unplanned', 'wanted': a pregnancy's kind)
_PLAN_BEFORE_WINDOW = re.compile(r"\b(?:plan(?:s|ning)?\s+(?:to|for|on|an?|any)\b|planning|(?:intend(?:s|ing)?|intention|"
                                 r"desires?|desiring|wish(?:es|ing)?|wants?|wanting|tr(?:y|ies|ying))\s+(?:to|for)\b|"
                                 r"becom(?:e|ing)\s+pregnant|conceiv\w*)", re.IGNORECASE)


# a window followed by the delivery it runs from ('within 6 weeks post-partum', 'less than 3 months since delivery')
_WINDOW_OF_A_DELIVERY = re.compile(rf"\s*{AFTER_A_DELIVERY}", re.IGNORECASE)
_OR = re.compile(r"\bor\b", re.IGNORECASE)
# the present state named before a window, with 'or' between: 'Pregnancy, current or in the preceding 9 months',
# 'Current pregnancy or pregnancy within the past 6 months', 'Pregnant now or within the last 3 months'
_NOW_OR_IN_A_WINDOW = re.compile(r"\b(?:current(?:ly)?|now|presently|at\s+present)\b\W+(?:[\w-]+\W+){0,4}?or\s+"
                                 r"(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# a state the participant may end, and is excluded only unwilling to ('Nursing mothers who do not agree to
# discontinue nursing', 'unless willing to interrupt breast-feeding', 'who plan to continue breast-feeding')
_WILLING_TO_STOP = re.compile(r"\b(?:unwilling|not\s+willing|refus\w*|declin\w*|(?:do|does|did)\s+not\s+(?:wish|want|agree|intend)|"
                              r"unless\s+(?:(?:she|they)\s+(?:is|are)\s+)?(?:willing|agree\w*|prepared))"
                              r"\s+(?:\w+\s+){0,2}?to\s+(?:stop|discontinue|cease|interrupt|suspend|halt|give\s+up)\b|"
                              # or a plan to go on with it: 'who plan to continue breast-feeding'
                              r"\b(?:plans?|planning|intends?|intending|wish(?:es)?|wishing|wants?)\s+to\s+continue\b",
                              re.IGNORECASE)
# a state extended beyond the present (`_more_than_now`): a past period ('past 12-mos', 'past-year', 'in the
# preceding 9-month period', 'recent'), a duration right before the mention ('12-month pregnancy'), the time
# after a delivery ('3 months post-partum', 'gave birth', 'puerperium'), a past one beside it ('current or previous')
_UNIT = r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?)\b"
_PAST_PERIOD = re.compile(rf"\b(?:past|last|previous|preceding|prior)[\s-]+(?:(?:\d+|one|two|three|four|six|nine|twelve)"
                          rf"[\s-]*)?{_UNIT}|\brecent(?:ly)?\b", re.IGNORECASE)
_DURATION_BEFORE = re.compile(rf"\b\d+[\s-]*{_UNIT}[\s-]*$", re.IGNORECASE)
# now and before, no period named: 'Pregnancy, current or previous', '(current or past)', 'now or in the past'
_NOW_OR_BEFORE = re.compile(r"\b(?:current(?:ly)?|present(?:ly)?|now)\s+or\s+(?:previous(?:ly)?|past|prior|in\s+the\s+past)\b"
                            r"(?![\s-]*(?:\d|year|month|week|day))|"
                            r"\b(?:previous(?:ly)?|past|prior)\s+or\s+(?:current(?:ly)?|present(?:ly)?)\b", re.IGNORECASE)
_AFTER_DELIVERY = re.compile(r"\bpost[\s-]?partum\b|\bpuerper\w*|\b(?:gave|given|giving)\s+birth\b|\bdeliver(?:y|ed)\b|"
                             r"\bpost[\s-]?natal\b", re.IGNORECASE)
# a pregnancy at any time, not now (not 'at any time during the study', a time to come)
_EVER = re.compile(r"\bat\s+any\s+(?:time|point)\b(?!\s+(?:during|while|throughout|until|before\s+the\s+end|in\s+the\s+(?:study|trial)))|"
                   r"\bever\b", re.IGNORECASE)
# a test older than the concept's 30 days (a month) of a positive hCG ('a positive pregnancy test in the past
# year') shows a pregnancy at some time in the window, not the present state (a window is in days, weeks,
# months or years: `windows` writes hours as days)
_TEST_SHOWS_NOW_DAYS = Duration(1, "months").approx_days()
