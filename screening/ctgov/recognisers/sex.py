"""A requirement to be of one sex stated in an item's text: an inclusion whose subject is one sex
('Woman participants.', 'Male subjects aged 18-45', 'Female with endometriosis'), and an exclusion that is only a sex
('Males.'); not 'Males and females', nor a rule for one sex ('Women of childbearing potential
must ...').
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from screening.ctgov.recognisers.base import Finding, ItemText, may_name, sentence_of

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


# an inclusion that names both sexes as who may enter ('Male or female', 'Men and women aged ...', 'male or non-pregnant
# female', 'Adult males/females')
_BOTH_SEXES = re.compile(r"\b(?:(?:wom[ae]n|females?)\s*(?:and|or|and/or|/|&)\s*(?:[\w-]+,?\s+){0,3}?(?:men|males?)|"
                         r"(?:men|males?)\s*(?:and|or|and/or|/|&)\s*(?:[\w-]+,?\s+){0,3}?(?:wom[ae]n|females?))\b",
                         re.IGNORECASE)
# the sexes a title names ('... in Postmenopausal Women', 'Men Who Have Sex With Men')
_TITLE_SEX = {"female": re.compile(r"\b(?:wom[ae]n|females?|girls|mothers)\b", re.IGNORECASE),
              "male": re.compile(r"\b(?:men|males?|boys|fathers)\b", re.IGNORECASE)}


def enrolled_sex(structured: str | None, title: str, inclusions: list[str]) -> str | None:
    """The sex the record enrols: 'female' or 'male' only, 'both', or None when nothing says. Read from the structured
    sex field (FEMALE, MALE; ALL or BOTH is both), else from the inclusions (`inclusions`: the texts of the items under
    no heading nor item of their own) that require one sex ('Women aged 18-45 years', 'HIV-negative women') or name both
    ('Male or female'), else from the sexes the title names."""
    if structured in ("FEMALE", "MALE"):
        return structured.lower()
    if structured in ("ALL", "BOTH"):
        return "both"
    named: set[str] = set()
    for text in inclusions:
        if _BOTH_SEXES.search(text):
            return "both"
        named.update(f.when["sex"][0] for f in recognise_sex(ItemText(text, "inclusion")) if f.when and "sex" in f.when)
    if not named:
        named = {sex for sex, rx in _TITLE_SEX.items() if rx.search(title)}
    return None if not named else "both" if len(named) > 1 else named.pop()


# the subject of an item when it is one sex with a state: led by the sex ('Men with hepatitis B', 'Females who are
# HIV positive', 'A male patient with HIV', 'Men whose PSA ...'), or its label ('Men: hemoglobin < 13 g/dL'), or closed
# by it after words that say the state ('HIV-positive men'); not both sexes ('Men or women with HIV'), nor of another
# word ('Women of childbearing potential'), nor girls or boys (an age group as well)
_SUBJECT = re.compile(
    r"^\W*(?:[A-Z]{1,4}\d{1,3}\s*[:.)]\s*)?(?:(?:an?|the)\s+)?"
    r"(?P<before>(?:(?!(?:and|or|of|who|with|no|not|non|for|if|in|the|all|any|trans\w*|cis\w*)\b)[A-Za-z][\w-]*\s+){0,4}?)"
    r"(?<!trans\s)(?<!transgender\s)(?<!cisgender\s)(?P<sex>women|woman|females?|men|man|males?)"
    r"(?:\s+(?:participants?|subjects?|volunteers?|patients?|individuals|persons|people))?"
    r"(?:\s+(?P<joint>with|who|whose|having)\b|\s*(?P<label>:)|\s*[.;]?\s*$)", re.IGNORECASE)
_SEX_WORDS = ("men", "man", "male")  # a word every match of `_SUBJECT` contains, in lower case (a first look)


def _one_sex_subject(item: ItemText) -> tuple[str, re.Match[str]] | None:
    """The item's subject when it is one sex with a state (`_SUBJECT`; the other sex not named in its sentence):
    the sex and the match; else None."""
    m = _SUBJECT.match(item.text) if may_name(item.text, _SEX_WORDS) else None
    if m is None or (m.group("joint") is None and m.group("label") is None and not m.group("before")):
        return None
    sex = "female" if m.group("sex").lower()[0] in "wf" else "male"
    s, e = sentence_of(item.text, m.start("sex"))
    return None if _OTHER_SEX[sex].search(item.text, s, e) else (sex, m)


def of_one_sex(item: ItemText, findings: list[Finding]) -> list[Finding]:
    """An exclusion's definitions of the state its subject of one sex has ('Men with hepatitis B', 'HIV-positive men'),
    in the subject's sentence: that sex and the state together (`all: [sex, state]`), since the state alone would exclude
    the other sex too; where the record enrols only that sex (`ItemText.record_sex`), the state alone says the same. A
    definition that names a sex already ('Pregnant women') is kept. In an inclusion of a record that enrols both sexes,
    a requirement of one sex ('Men with hemoglobin > 13 g/dL') is that group's, not every participant's: its item's
    definitions are left for review."""
    if not findings:
        return findings
    subject = _one_sex_subject(item)
    if item.kind == "inclusion":
        return _one_group_of_both(item, findings, subject)
    if subject is None or subject[0] == item.record_sex:
        return findings
    sex, m = subject
    s, e = sentence_of(item.text, m.start("sex"))
    leads = m.group("joint") is not None or m.group("label") is not None
    out = []
    for f in findings:
        if f.when is None or _names_a_sex(f.when) or not s <= f.start < e \
                or (f.start < m.end() if leads else f.end > m.start("sex")):
            out.append(f)
        elif f.end > e:  # 'Men with hepatitis B. Known HIV infection.' read as one: whose the rest is is not read
            out.append(replace(f, when=None, reading=f"recognised {f.reading.split(';')[0]}, but it reads past the "
                               f"sentence whose subject is one sex ('{m.group(0).strip()}')"))
        else:
            start, end = (m.start("sex"), f.end) if leads else (f.start, m.end())
            out.append(replace(f, when={"all": [{"sex": [sex]}, f.when]}, span=item.text[start:end].strip(),
                               start=start, end=end, reading=f"{f.reading}; of {sex}s only ('{m.group(0).strip()}')"))
    return out


def _names_a_sex(when: dict[str, Any]) -> bool:
    """The definition is of one sex already: a sex, or a sex and something else ('Pregnant women')."""
    return "sex" in when or any("sex" in part for part in when.get("all", ()))


def _one_group_of_both(item: ItemText, findings: list[Finding], subject: tuple[str, re.Match[str]] | None) \
        -> list[Finding]:
    """An inclusion's definitions, left for review when the item requires one sex (a sex drafted of it) in a record
    that enrols both, or is labelled for one sex ('Men: hemoglobin > 13 g/dL') in a record not known to enrol only it."""
    one = next((f.span for f in findings if f.slug == "sex" and f.when is not None), None) \
        if item.record_sex == "both" else None
    if one is None and subject is not None and subject[1].group("label") and subject[0] != item.record_sex:
        one = subject[1].group(0)
    if one is None:
        return findings
    why = (f"the item's subject is one sex ('{one.strip()}') and the record is not known to enrol only it: that "
           "group's requirement, not every participant's")
    return [f if f.when is None else replace(f, when=None, reading=f"recognised {f.reading.split(';')[0]}, but {why}")
            for f in findings]
