"""A requirement to be of one sex stated in an item's text: an inclusion whose subject is one sex
('Woman participants.', 'Male subjects aged 18-45', 'Female with endometriosis'), and an exclusion that is only a sex
('Males.'); not 'Males and females', nor a rule for one sex ('Women of childbearing potential
must ...').
"""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import Finding, ItemText, sentence_of

# the subject of an inclusion, when it is one sex ('Women of 20 to 30 years of age')
SEX_SUBJECT = re.compile(
    r"^\W*(?:[A-Z]{1,4}\d{1,3}\s*[:.)]\s*)?(?:healthy\s+)?"
    # 'Young healthy Caucasian male subjects aged 18-45': a few words that describe the people before the sex
    # (not a gender identity: 'Transgender women', 'Trans men': the sex recorded may be either)
    r"(?:(?!(?:and|or|of|who|with|no|not|non|for|if|in|the|all|any|trans\w*|cis\w*)\b)[A-Za-z][\w-]*\s+){0,3}?"
    r"(?<!trans\s)(?<!transgender\s)(?<!cisgender\s)(?P<sex>women|woman|females?|girls|men|man|males?|boys)(?:\s+(?:participants?|subjects?|"
    r"volunteers?|patients?|population))?(?=\s*(?:[.,;]|$|aged\b|(?P<with>with)\b|of\s+\d|\d|between\b|\(|≥|>|"
    # what the people receive, undergo or do: 'Women receiving PrEP', 'Men undergoing prostatectomy'
    r"(?P<doing>receiving|taking|using|undergoing|attending|treated|scheduled|seeking|referred|admitted|presenting|"
    r"diagnosed|living)\b|"
    r"(?P<older>older|younger|over|above)\s+(?:than\s+)?\d))"
    # 'Male Pakistani volunteers in good health aged 18-35': one or two words between the sex and its noun
    r"|^\W*(?P<sex2>women|woman|females?|men|man|males?)\s+(?!of\b|who\b|with\b|and\b|or\b)(?:[\w-]+\s+){1,2}?"
    r"(?:participants|subjects|volunteers|patients)\b", re.IGNORECASE)
# a sentence about contraception or pregnancy is a rule for that sex, not a requirement to be of it
_SEX_RULE = re.compile(r"childbearing|potential|contracept|pregnan|lactat|breast[\s-]*fe[ed]|agree|willing|partner|sperm|condom|"
                       r"abstinen|\bif\b|\bunless\b|\bmust\b|\bshould\b", re.IGNORECASE)
# an allowance for some of the people, not a requirement of all ('Women taking hormone therapy are eligible')
_ALLOWED = re.compile(r"\b(?:may|can|eligible|allowed|permitted|included|acceptable|accepted)\b", re.IGNORECASE)
# others enrolled beside the people of that sex ('Women aged 18-45 years and their children', 'Boys aged 8-12 and their
# mothers'): the sex is no requirement of every participant
_OTHERS_TOO = re.compile(r"\b(?:and(?:/or)?|&|\+|plus|with|together\s+with|along\s+with)\s+(?:their|his|her)\s+"
                         r"(?:[\w-]+\s+)?(?:parents?|caregivers?|care-givers?|carers?|guardians?|mothers?|fathers?|"
                         r"partners?|spouses?|husbands?|wives|children|child|sons?|daughters?|infants?|bab(?:y|ies)|"
                         r"newborns?|famil(?:y|ies)|relatives?|siblings?)\b", re.IGNORECASE)
# an exclusion item that is only a sex ('Female', 'Males.'): that sex is excluded
_SEX_ONLY = re.compile(r"^\W*(?P<sex>women|females?|men|males?)\s*\.?\s*$", re.IGNORECASE)
_OTHER_SEX = {"female": re.compile(r"\b(?:men|man|males?|boys)\b", re.IGNORECASE),
              "male": re.compile(r"\b(?:women|woman|females?|girls)\b", re.IGNORECASE)}


def recognise_sex(item: ItemText) -> list[Finding]:
    """An inclusion whose subject is one sex: 'Woman participants.', 'Women of 20 to 30 years of
    age', 'SI05: Woman participants.' (after an item label), 'Male subjects aged 18-45', 'Female adult
    outpatient volunteers ...', 'Female population older than 18 years'; not 'Males and females', nor 'Women of childbearing potential must ...'
    (a rule for women, not a requirement to be one). An exclusion that is only a sex ('Males.')
    excludes that sex."""
    only = _SEX_ONLY.match(item.text)
    if item.kind == "exclusion" and only:
        sex = "female" if only.group("sex").lower()[0] in "wf" else "male"
        return [Finding("sex", {"sex": [sex]}, only.group("sex"), 0.8, f"{sex}s are excluded", only.start("sex"),
                        only.end("sex"))]
    m = SEX_SUBJECT.match(item.text)
    if item.kind != "inclusion":
        return []
    if m is None:
        return _sex_after_age(item)
    group = "sex" if m.group("sex") else "sex2"
    sex = "female" if m.group(group).lower()[0] in "wfg" else "male"
    first = item.text[:sentence_of(item.text, 0)[1]]
    # 'Women older than 45 must be postmenopausal': a rule for those women, not a requirement to be one
    # 'Women with childbearing potential must ...': a rule for the women who have something, not a requirement either
    if _OTHER_SEX[sex].search(first) or ((group == "sex2" or m.group("older") or m.group("with") or m.group("doing"))
                                         and _SEX_RULE.search(first)) or _OTHERS_TOO.search(first):
        return []
    if m.group("doing") and _ALLOWED.search(first):
        return []  # 'Women receiving hormone therapy may take part': some of the people allowed, not a requirement
    if m.group("with") and item.text.rstrip().endswith(":"):
        return []  # 'Women with systemic autoimmune disease, including:': a lead-in, its items say who
    start = m.start(group)
    described = _STATE_BEFORE.search(item.text, 0, start)
    leaves = None if described is None else \
        f"leaves what describes them, '{described.group(0)}', which the sex does not check"
    return [Finding("sex", {"sex": [sex]}, item.text[start:m.end()].strip(), 0.8, f"{sex} only", start, m.end(),
                    leaves=leaves)]


# a state of the people named before their sex, a requirement of its own ('Postmenopausal women', 'Nulliparous
# women', 'Obese men'): the sex drafted leaves it for review (not 'Healthy', 'Adult', 'Young', a nationality)
_STATE_BEFORE = re.compile(r"\b(?:(?:post|pre|peri)?-?menopausal|menstruating|ovulating|(?:nulli|primi|multi)?parous|"
                           r"(?:in)?fertile|sterile|sterili[sz]ed|hysterectomi[sz]ed|oophorectomi[sz]ed|sexually\s+active|"
                           r"obese|overweight|diabetic|hypertensive|asymptomatic|symptomatic|(?:non-?)?smoking|"
                           r"HIV[\s-]*(?:positive|negative|infected)|circumcised|uncircumcised|athletic|trained|untrained|"
                           r"sedentary|pregnant|lactating|nursing|breast-?feeding|infertile|transplant)\b",
                           re.IGNORECASE)


# one sex named in a clause of its own after an age, alternatives of it joined by 'or' ('Age: 18 - 75 years old,
# postmenopausal women or premenopausal women', 'Age 18 years or older, women')
_WORDS = r"(?:(?!(?:and|or|of|who|with|no|not|non|trans\w*|cis\w*)\b)[A-Za-z][\w-]*\s+){0,2}?"
_SEX_CLAUSE = re.compile(rf",\s*(?P<clause>{_WORDS}(?P<sex>women|females?|men|males?)(?:\s+or\s+{_WORDS}"
                         r"(?:women|females?|men|males?))*)\s*\.?\s*$", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\bage[ds]?\b|\byears?\b|\byrs?\b", re.IGNORECASE)


def _sex_after_age(item: ItemText) -> list[Finding]:
    """One sex in a clause of its own after the item's age: that sex (not both, nor a rule for one)."""
    text = item.text
    m = _SEX_CLAUSE.search(text) if "," in text else None
    if m is None or not _AGE_BEFORE.search(text, 0, m.start()):
        return []
    sex = "female" if m.group("sex").lower()[0] in "wf" else "male"
    if _OTHER_SEX[sex].search(text) or _SEX_RULE.search(text):
        return []
    start, end = m.start("clause"), m.end("clause")
    described = _STATE_BEFORE.search(text, start, end)
    leaves = None if described is None else \
        f"leaves what describes them, '{described.group(0)}', which the sex does not check"
    return [Finding("sex", {"sex": [sex]}, text[start:end], 0.8, f"{sex} only", start, end, leaves=leaves)]
