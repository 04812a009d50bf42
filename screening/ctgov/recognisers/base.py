"""What every recogniser takes and returns, and the small readings they share.

A recogniser is a function `(ItemText) -> list[Finding]`: it reads one eligibility item and
drafts a `when:` definition for each requirement it recognises. A finding without a definition
(`when` None) marks text that was recognised but cannot be computed (a multiple of the upper
limit of normal, an age in days, a threshold whose unit does not convert): its `reading` says
why, and the item stays for review. Whether a definition accounts for its whole item (no
condition, cohort, alternative or exception left over) is decided afterwards, by `qualifiers`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class ItemText:
    """One eligibility item as the recognisers see it."""

    text: str
    kind: str  # inclusion | exclusion
    notes_from: int | None = None  # offset where the item's notes (continuation paragraphs) begin
    group: str | None = None  # the subgroup heading the item is under ('PATIENT CHARACTERISTICS: Age')
    ancestors: tuple[str, ...] = ()  # the texts of the items it is nested under, outermost first
    # the record's own age range in years (minimumAge, maximumAge; None where not stated)
    registry_age: tuple[float | None, float | None] | None = None
    # its subgroup heading is one of two or more that name groups of its section's participants: the groups step
    # (`screening.ctgov.groups`) keeps what every group states, so the heading alone does not make it one cohort's
    one_of_groups: bool = False
    # the sex the record enrols, as `sex.enrolled_sex` reads it: 'female' or 'male' only, 'both', or None (not known)
    record_sex: str | None = None

    @property
    def notes_start(self) -> int:
        """Where the notes begin; the text's length when the item has none."""
        return len(self.text) if self.notes_from is None else self.notes_from


@dataclass
class Finding:
    """A drafted definition: `when` in the rule-set grammar (plain dicts), the text `span` it was
    read from (`start`..`end` in the item's text), a `confidence` (0..1) and a `reading` in words.
    `when` None: recognised, not computable (the reading says why)."""

    slug: str
    when: dict[str, Any] | None
    span: str
    confidence: float
    reading: str
    start: int
    end: int
    value_sets: list[str] = field(default_factory=list)
    missing: str | None = None
    accounts_for: frozenset[str] = frozenset()  # qualifier kinds the definition already reads (see `qualifiers`)
    topic: str | None = None  # a pattern of what it is about: an exception elsewhere in the item counts if it names it
    leaves: str | None = None  # what of its item the definition does not cover: the item keeps a review criterion


Recogniser = Callable[[ItemText], list[Finding]]


def blocked(slug: str, why: str, text: str, start: int, end: int) -> Finding:
    """Text recognised as a requirement that cannot be computed, and why."""
    return Finding(slug, None, text[start:end].strip(), 0.0, why, start, end)


# an item that opens with a condition ('For adolescents under 18, ...', 'If applicable, ...')
CONDITIONAL = re.compile(r"^\W*(?:for|if|when|in|among|unless|where)\s", re.IGNORECASE)
NEGATIVE = re.compile(r"\bnegative\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
# the routes of a medication given locally, not systemically ('inhaled steroids', 'topical corticosteroids')
LOCAL_ROUTES = (r"topical|inhaled|inhalational|nasal|intranasal|ophthalmic|otic|intra-?articular|cutaneous|dermal|rectal|"
                r"epidural|(?:intra|peri)?-?ocular|intra-?vitreal|intra-?lesional|vaginal|intra-?dermal")
# countries a record may give its own rule for ('Japan: ...', 'For Japan: age at least 20 years'), as they are
# capitalised (matched case-sensitively)
COUNTRIES = (r"Japan|China|Korea|Taiwan|India|Germany|France|Italy|Spain|UK|United\s+Kingdom|USA?|"
             r"United\s+States|Canada|Australia|EU|Europe|European\s+Union|Netherlands|Belgium|Sweden|Denmark|"
             r"Norway|Finland|Poland|Russia|Brazil|Mexico|Argentina|Israel|Switzerland|Austria|Hungary|"
             r"Czech\s+Republic|South\s+Africa|Singapore|Hong\s+Kong")

# a time after a delivery, named after its number and unit ('6 weeks postpartum', '3 months since delivery', 'within
# 6 weeks post-partum'): `pregnancy` and `other_thresholds` read it
AFTER_A_DELIVERY = (r"(?:post[\s-]?partum|post[\s-]?natal|(?:since|after|of|from|following)\s+(?:the\s+|a\s+|her\s+)?"
                    r"(?:last\s+)?(?:delivery|childbirth|giving\s+birth|birth|parturition))\b")

# (a capital letter alone is an initial, 'J. Smith', but not the letter a word before it names: 'hepatitis B.', 'vitamin
# D.', 'type A.' end their sentence)
_ABBREVIATION = re.compile(r"\b(?:(?i:e\.g|i\.e|vs|approx|etc|incl|cf|al)|(?<!(?i:hepatitis) )(?<!(?i:vitamin) )(?<!(?i:type) )"
                           r"[A-Z])\.$")
_SENTENCE_END = re.compile(r"[.;](?=\s|$)|\n")


# a sub-heading of the old PDQ layout run into the line of its section ('... Age: 18 and over
# Performance status: 0-1 Hepatic: ...'): it starts a sentence (capitalised, with its colon)
_PDQ_LABEL = re.compile(r"(?<=[^\s:])\s+(?=(?:Age|Performance\s+status|Life\s+expectancy|Ha?ematopoietic|Hepatic|Renal|"
                        r"Cardiovascular|Pulmonary|Neurologic|Other|Biologic\s+therapy|Chemotherapy|Endocrine\s+therapy|"
                        r"Radiotherapy|Surgery|Menopausal\s+status):\s)")


# a list item run into the one before it, its bullet kept between them ('... at the screening visits -
# Informed consent signed', '... (pg/mL) - Personal or family history ...'): a spaced dash after a word
# or a bracket, before a capitalised word (not a range: '7.0 - 10.5 %', 'grade I - IV') that does not
# carry on the sentence before it ('Active malignancy - Except ...', '- Unless cured', '- Within 4 weeks')
_GLUED_BULLET = re.compile(
    r"(?<=[A-Za-z)])\s+-\s+(?!(?:Except\w*|Exclud\w*|Other|Unless|Includ\w*|With|Without|Within|For|If|When|Where|"
    r"While|Or|And|But|Nor|Such|Defined|Calculated|Measured|Confirmed|Assessed|Determined|As|At|In|On|Per|By|Of|To|"
    r"From|After|Before|During|Until|Since|Than|Only|Not|Provided|Regardless|Irrespective|Due|Secondary|Related|"
    r"According|Based|Requiring|Required|That|Which|Who|Whose|Even|Although|Though|Apart|Aside|Besides|Save|"
    r"Treated|Cured|Resolved|Controlled|Considered|Judged|Allowed|Permitted|Eligible)\b)(?=[A-Z][a-z]+\s)")


@lru_cache(maxsize=1024)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each sentence of `text`: ended by '.', ';' or a line end, not by the
    dot of 'e.g.', 'i.e.' or a decimal number; or by a PDQ sub-heading run into the line, or by a
    list item's dash run into it."""
    out, start = [], 0
    ends = [(m.end(), m.group(0)) for m in _SENTENCE_END.finditer(text)]
    if ": " in text:
        ends += [(m.start(), "") for m in _PDQ_LABEL.finditer(text)]
    if " - " in text:
        ends += [(m.start(), "") for m in _GLUED_BULLET.finditer(text)]
    ends.sort()
    for end, what in ends:
        if what == "." and _ABBREVIATION.search(text[start:end]):
            continue
        if end > start:
            out.append((start, end))
        start = end
    if start < len(text):
        out.append((start, len(text)))
    return tuple(out or [(0, len(text))])


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding offset `pos`."""
    return next(((s, e) for s, e in sentences(text) if s <= pos < e), (0, len(text)))


_NEGATION_OPENING = re.compile(
    r"^\W*(?:(?:patients?|subjects?|participants?)\s+(?:with\s+|who\s+(?:have|had)\s+)?)?"
    # ('Non-' joined to another word negates that word only: 'Non-pregnant women with HIV'; not 'Non-HIV ...')
    r"(?:no|not|non(?!-\s*\w)|never|without|free\s+(?:of|from)|absence\s+of|lack\s+of|none\s+of)\b", re.IGNORECASE)
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|without|free\s+(?:of|from)|absence\s+of)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)


# a contact with care named between a diagnosis and a window ('diagnosed with HIV (defined as at least one HIV clinic
# appointment within the past six months)'): the window dates the contact, not the diagnosis; not a contact the
# diagnosis was made at ('diagnosed at a clinic visit within the last year': the window dates the diagnosis)
_CARE_CONTACT = re.compile(r"\b(?:appointments?|visits?|encounters?|attendances?|consultations?)\b", re.IGNORECASE)
_AT_THE_CONTACT = re.compile(r"\b(?:at|during|on|in|by|from|through)\s+(?!least\b)(?:[\w-]+\s+){0,3}$", re.IGNORECASE)


def care_contact_between(text: str, start: int, end: int) -> bool:
    """A contact with care named between `start` and `end`, not as where or when something was done."""
    return any(not _AT_THE_CONTACT.search(text, max(start, m.start() - 30), m.start())
               for m in _CARE_CONTACT.finditer(text, start, end))


# a treatment named with the diagnosis as its alternative, right before it ('Diagnosis or treatment for cancer in
# the last 5 years', 'diagnosed or treated for ...'): what it is for is the diagnosis, present in the window too
DIAGNOSIS_OR = re.compile(r"\bdiagnos(?:is|ed)(?:\s+(?:of|with))?\s+(?:or|and/or|/)\s*$", re.IGNORECASE)


def negated(text: str, start: int) -> bool:
    """The mention at `start` is negated: its sentence opens with 'No', 'Not', 'Without', 'Free
    of' ... ('No prior chemotherapy within 5 years'), or 'no', 'not', 'never' comes at most three
    words before it ('must not have received chemotherapy')."""
    s, _ = sentence_of(text, start)
    before = text[s:start]
    return bool(_NEGATION_OPENING.match(before) or _NEGATION_BEFORE.search(before))


# a requirement negated by its modal, opening its sentence ('Patient must not be pregnant ...', 'Subjects should not
# have ...'): under an Exclusion heading it restates the exclusion, not a double negative
_MODAL_NOT = re.compile(r"^\W*(?:(?:the\s+)?(?:patients?|subjects?|participants?|candidates?|women|men|she|they)\s+)?"
                        r"(?:must|should|shall|may|can|will)\s*not\s+(?:be|have|be\s+currently|have\s+(?:received|had|"
                        r"undergone|taken|used|been\s+(?:treated\s+with|given|on))|be\s+(?:receiving|taking|on))\s+"
                        r"(?:(?:any|an?|the|prior|previous)\s+)?$|"
                        r"^\W*(?:(?:the\s+)?(?:patients?|subjects?|participants?|candidates?|women|she|they)\s+)?"
                        r"(?:cannot|can't|mustn't)\s+(?:be|have)\s+$", re.IGNORECASE)


def restated_exclusion(text: str, start: int) -> bool:
    """The mention at `start` is negated only by the modal of a requirement that opens its sentence
    ('Patient must not be pregnant or breastfeeding.'): in an exclusion, the state excluded."""
    s, _ = sentence_of(text, start)
    return _MODAL_NOT.match(text[s:start]) is not None


def negated_as_meant(kind: str, text: str, start: int) -> bool:
    """The mention at `start` is negated, and not only by the modal of a requirement restating an exclusion
    ('Patients should not have received chemotherapy within 4 weeks' under the Exclusion heading: the
    chemotherapy excludes)."""
    return negated(text, start) and not (kind == "exclusion" and restated_exclusion(text, start))


def with_polarity(kind: str, is_negated: bool, when: dict[str, Any], confidence: float) -> tuple[dict[str, Any], float]:
    """The definition of a statement about the patient ('has X') as the item means it: negated
    ('No X') it becomes `not: X`; a negated exclusion is unusual (at most 0.5)."""
    if not is_negated:
        return when, confidence
    return {"not": when}, confidence if kind == "inclusion" else min(confidence, 0.5)


def may_name(text: str, words: tuple[str, ...]) -> bool:
    """A cheap first look before a costly IGNORECASE scan: False only when `text` contains none of
    `words` (lower case) that every match of the scan contains. Outside ASCII, IGNORECASE matches
    letters lower case does not give ('ſ' for 's', the Kelvin sign for 'k'): always True there."""
    if not text.isascii():
        return True
    lower = _lower(text)
    return any(w in lower for w in words)


# an item's text in lower case, once for all the recognisers that look at it
_lower = functools.lru_cache(maxsize=1024)(str.lower)
lower_cache_clear = _lower.cache_clear


# a sub-heading naming a duration that is not an age: a bare 'At least 3 months' under it is that duration
DURATION_HEADING = re.compile(r"\b(?:life\s+expectancy|survival|duration)\W*$", re.IGNORECASE)


def under_heading(item: ItemText, pattern: re.Pattern[str]) -> bool:
    """The item is under a subgroup heading ending in `pattern`, or nested under an item that is
    only such a heading (the legacy PDQ layout writes its sub-headings as items)."""
    return bool(item.group and pattern.search(item.group)) \
        or bool(item.ancestors and len(item.ancestors[-1].split()) <= 4 and pattern.search(item.ancestors[-1].strip()))


_ONES = "one|two|three|four|five|six|seven|eight|nine"
_ONES_VALUE = {w: i + 1 for i, w in enumerate(_ONES.split("|"))}
_TEENS_VALUE = {w: i + 10 for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                                 "nineteen".split())}
_TENS_VALUE = {w: 20 + 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
# a number of years, months, weeks or days in words ('less than one year of age', 'aged eighteen to sixty-five
# years', 'a life expectancy of at least three months'): it counts only with its unit after it, or as the low
# end of a range (alone, 'one' is too often no number: 'one of the following')
_DURATION_UNIT = r"(?:years?|yrs?|months?|mos?\b|weeks?|wks?\b|days?)"
_WORD_NUMBER = re.compile(  # (every number word starts with one of 'eftnos': a cheap first test)
    rf"\b(?=[eftnos])(?:(?P<tens>{'|'.join(_TENS_VALUE)})(?:[- ](?P<unit_of_tens>{_ONES}))?|(?P<small>{'|'.join(_TEENS_VALUE)}|{_ONES}))\b"
    rf"(?=[\s-]*{_DURATION_UNIT}|\s*(?:-|–|to|and|through)\s)", re.IGNORECASE)
_UNIT_WORD = re.compile(r"year|month|week|day", re.IGNORECASE)
_UNIT_WORDS = ("year", "month", "week", "day")
# every number word `_WORD_NUMBER` reads contains one of these (a cheap first look: `may_name`)
_NUMBER_WORDS = tuple(_ONES_VALUE) + tuple(_TEENS_VALUE) + tuple(_TENS_VALUE)


def _in_digits(text: str) -> str:
    """The text with every such number written in words in digits, padded to the words' length so that every
    offset stays that of the text ('one year' -> '1   year')."""
    # (in ASCII, the words in the text's lower case: the answer of the IGNORECASE scan, about five times as fast)
    has_unit = any(w in _lower(text) for w in _UNIT_WORDS) if text.isascii() else _UNIT_WORD.search(text)
    if not has_unit or not may_name(text, _NUMBER_WORDS):
        return text

    def digits(m: re.Match[str]) -> str:
        if m.group("small"):
            value = {**_ONES_VALUE, **_TEENS_VALUE}[m.group("small").lower()]
        else:
            value = _TENS_VALUE[m.group("tens").lower()] + _ONES_VALUE.get((m.group("unit_of_tens") or "").lower(), 0)
        return str(value).ljust(len(m.group(0)))

    return _WORD_NUMBER.sub(digits, text)


def numbers_in_digits(item: ItemText) -> ItemText:
    """The item with its numbers of years, months, weeks or days in words written in digits
    (`_in_digits`, every offset kept); the same item when it has none."""
    text = _in_digits(item.text)
    return item if text == item.text else replace(item, text=text)
