"""Events with a time window: a medication, procedure or study participation followed, in the same
clause, by a window ('chemotherapy within 28 days', 'another clinical trial in the past 6 months',
'research drugs within 12 weeks' (another trial's: not 'the start of research treatment'),
'allogeneic stem cell transplant within 6 months'), negated ('No prior chemotherapy within 5
years') or counted since ('At least 5 years since prior chemotherapy': none within 5 years).
Corticosteroids are also named as glucocorticoids ('systemic glucocorticosteroids within 42 days').

A treatment named only as an example of something else ('autoimmune disease that required
systemic treatment (e.g., corticosteroids)') is not the event. A list of treatments may share one
window at its end ('chemotherapy, immunotherapy, ... or radiation within 4 weeks').

A vaccine qualified by another word ('cancer vaccine', 'live vaccine', 'investigational TB
vaccine') is not the vaccines value set, and a participation in trials of one kind ('other
clinical trials for COVID-19 within 30 days') is not any participation: both are left for review.
A procedure named as done before without a window ('Prior allogeneic stem cell transplant') is one
at any time before screening; one sharing its head noun with an organ transplant ('Prior
allogeneic stem cell or solid organ transplantation') is read as the allogeneic transplant, the
organ transplant left to the item's review criterion; so is one listed after an organ transplant
that the same words are said of ('Prior solid organ transplant or allogeneic stem cell
transplant'). A permission in another sentence that names autologous transplants and no allogeneic
one ('Previous autologous stem cell transplant is permitted') is no exception to the allogeneic one.
A window after an autologous transplant in a clause of its own ('Previously received allogeneic SCT,
or has received autologous SCT within 3 months') is that transplant's, not the allogeneic one's,
which is then one at any time.

A stem cell transplant of either donor type ('Prior stem cell transplantation (allogeneic or
autologous)', 'history of bone marrow transplant'): the library's value set holds the allogeneic
ones only. Where excluding those is part of what the item asks (an exclusion of recipients, an
inclusion of those without one) they are drafted, and the definition leaves the autologous ones
to a review criterion; a transplant required, or one of a single donor type other than
allogeneic, is not drafted.

Immunosuppressants are the library's `immunosuppressive_therapy` (ATC L01, L04). Systemic
corticosteroids are added only when the item's sentence names steroids with them ('... including
corticosteroids', '(e.g., oral or injected steroids)', '(inhaled and topical corticosteroids are
permitted)'): they are immunosuppressive only at some doses, and many protocols list them apart or
not at all; the reading says so either way. Corticosteroids named as one of the immunosuppressants
('corticosteroids or other immunosuppressive medications within 14 days', or beside them:
'glucocorticoids or immunosuppressants within 4 weeks') are read with them, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from screening.ctgov.recognisers.base import (
    LOCAL_ROUTES,
    Finding,
    ItemText,
    blocked,
    may_name,
    negated_as_meant,
    sentence_of,
    with_polarity,
)
from screening.ctgov.recognisers.permissions import PERMITTED_WORD
from screening.ctgov.value_sets import LOCAL_VALUE_SETS
from screening.ctgov.windows import NUMBER_WORDS, Window, count, windows


@dataclass(frozen=True)
class Event:
    slug: str
    pattern: re.Pattern[str]
    record: str  # the record kind the definition reads: participation | medication | procedure
    codes: tuple[str, ...]  # value sets of the medication or procedure
    confidence: float
    # words every mention contains, in lower case: an item without any of them has none (`may_name`,
    # a cheap first look before the pattern's IGNORECASE scan, which costs far more on a long record)
    keys: tuple[str, ...]


def _event(slug: str, pattern: str, record: str, codes: tuple[str, ...], confidence: float,
           keys: tuple[str, ...]) -> Event:
    return Event(slug, re.compile(pattern, re.IGNORECASE), record, codes, confidence, keys)


EVENTS: list[Event] = [
    # (each pattern looks first at the letters its matches start with: the alternatives and lookbehinds are tried only
    # there, not at every character of the item)
    _event("trial_participation", r"(?=[ireaopIREAOP])(?:investigational\s+(?:drug|agent|product|therap|study|device|medicin|treatment)|"
                                  # another trial's drug ('research drugs', 'an experimental medication'), not the trial's own
                                  # ('our research drugs', 'the start of research treatment', 'before taking research drugs')
                                  r"(?<!\bour\s)(?<!\bthe\s)(?<!\bthis\s)(?<!\bstart\sof\s)(?<!\bbefore\s)(?<!\btaking\s)"
                                  r"(?<!\bdose\sof\s)\b(?:research|experimental)\s+(?:drug|agent|product|"
                                  r"medic|therap|treatment)|"
                                  r"(?:another|other|any\s+other|any|a|previous|prior)\s+(?:\w+\s+)?(?:clinical\s+|"
                                  r"interventional\s+|investigational\s+|research\s+)(?:trials?|stud(?:y|ies)|research)|"
                                  r"(?:another|other|any\s+other)\s+(?:trials?|stud(?:y|ies)))", "participation", (), 0.6,
           ("investigational", "research", "experimental", "trial", "stud")),
    _event("corticosteroids", r"(?=[sgcSGC])(?:\b(?:systemic\s+)?(?:(?:gluco)?cortico)?steroids?(?:\s+hormones?)?\b|"
           r"\b(?:systemic\s+)?glucocorticoids?\b)", "medication", ("systemic_corticosteroids",), 0.6,
           ("steroid", "glucocortic")),
    _event("immunosuppressants", r"immunosuppress\w*\s+(?:(?:or|and)\s+(?:immune[\s-]+)?\w+\s+)?(?:medication|therap|drug|"
                                 r"agent|treatment)|\bimmunosuppressants?\b", "medication",
           ("immunosuppressive_therapy",), 0.6, ("immunosuppress",)),
    _event("chemotherapy", r"chemotherapy|\bchemo\b(?![-/])|cytotoxic\s+(?:therap|agent|treatment)", "medication",
           ("antineoplastic_agents",), 0.6, ("chemo", "cytotoxic")),
    _event("vaccine", r"\b(?:any\s+)?(?:vaccines?|vaccinations?|immuni[sz]ations?)\b(?!\s+(?:study|trial))", "medication",
           ("vaccines",), 0.6, ("vaccin", "immuni")),
    # ('allogeneic hematopoietic cell transplant', 'allo-HCT': the haematopoietic cell named without 'stem')
    _event("allo_hsct", r"allogen(?:e)?ic\s+(?:haematopoietic\s+|hematopoietic\s+)?(?:stem[\s-]+cell|bone\s+marrow|HSC|"
                        r"progenitor\s+cell|(?<=poietic\s)cell)s?\s*(?:transplant(?:ation)?|\(?H?SCT\)?|\(?HCT\)?|transplant|"
                        # the head noun shared with an organ transplant: 'allogeneic stem cell or solid organ transplantation'
                        r"(?=\s*(?:or|and|and/or|/)\s*(?:solid[\s-]+)?organ[\s-]+transplant))|\ballo-?H?SCT\b|\ballo-?HCT\b|"
                        r"\ballogen(?:e)?ic\s+(?:HSCT|SCT|BMT|HCT)\b",
           "procedure", ("allo_hsct",), 0.6, ("allo",)),
    # a stem cell transplant of either donor type ('Prior stem cell transplantation (allogeneic or
    # autologous)', 'history of bone marrow transplant'): the allogeneic ones only are a value set
    _event("hsct", r"(?=[ahpsbcAHPSBC])(?:(?:(?:autologous|allogeneic)\s+(?:or|and|and/or|/)\s+(?:autologous|allogeneic)\s+)?"
                   r"(?:(?:haematopoietic|hematopoietic|peripheral\s+blood)\s+)?(?:stem[\s-]+cell|bone\s+marrow|"
                   r"progenitor\s+cell|(?<=poietic\s)cell)s?\s+transplant(?:ation|s)?(?:\s*\((?:H?SCT|HCT)\))?"
                   r"(?:\s*\((?:either\s+)?(?:allogeneic|autologous)\s+(?:or|and|and/or|/)\s+(?:allogeneic|autologous)\))?"
                   r"|\bHSCT\b)", "procedure", ("allo_hsct",), 0.6, ("transplant", "hsct")),
]
# the words before 'vaccine' that leave it any vaccine; another word names a kind of vaccine
# ('cancer vaccine', 'live vaccine', 'Measles vaccination') that the value set does not mean
_ANY_VACCINE_BEFORE = re.compile(r"(?:^|[(,;:]|\b(?:any|a|an|the|other|all|prior|previous|recent|received?|receiving|"
                                 r"receipt\s+of|with|of|or|and|no|planned|use\s+of))\s*$", re.IGNORECASE)
# a vaccine named by what it protects against ('Vaccination against hepatitis B', 'vaccine for influenza')
_ONE_VACCINE_AFTER = re.compile(r"\s+(?:against|for)\s+(?!(?:the\s+|this\s+)?(?:study|trial|participants?|patients?|"
                                r"subjects?|any|all)\b)\w", re.IGNORECASE)
# an exception that names only local routes leaves systemic corticosteroids as they are
_LOCAL_ROUTES = re.compile(r"\b(?:except(?:ion|ed|ing)?|excluding|other\s+than)\b(?P<routes>[^)]*)", re.IGNORECASE)
_ROUTE_WORDS = set("nasal intranasal ophthalmic eye topical inhaled inhalational cutaneous dermal intra-articular local "
                   "preparations preparation drops creams cream and or other corticosteroids steroids use of the".split())
_WINDOW_BEFORE = 60  # characters from a window to the mention after it ('Recent (within 30 days), ... use of ...')
_WINDOW_WITHIN = 80  # characters from the event's mention to its window
_LIST_WITHIN = 200  # ... or across a list of treatments that share the window ('chemotherapy, ..., or X within 4 weeks')
# what a list of treatments is made of: words, commas, 'or', 'and', slashes, hyphens; no clause of its own
_LIST = re.compile(r"[\w\s,/()-]*,[\w\s,/()-]*", re.IGNORECASE)
_CLAUSE_WORDS = re.compile(r"\b(?:who|which|that|if|unless|except|because|whose|when|where)\b", re.IGNORECASE)
# a parenthesis of examples: what is in it illustrates what comes before it
_EXAMPLES_OPEN = re.compile(r"\(\s*(?:e\.\s?g\.?|eg\b|such\s+as|for\s+example|including)", re.IGNORECASE)
_SINCE = re.compile(rf"\b(?:at\s+least|more\s+than|>=?|≥)\s*(?P<n>\d+|{'|'.join(NUMBER_WORDS)})\s*"
                    r"(?P<u>days?|weeks?|months?|years?)\s+(?:must\s+have\s+)?(?:elapsed\s+)?(?:since|from|after)\s+"
                    # ('... since prior and no concurrent chemotherapy': a concurrent one is within the window too)
                    r"(?:the\s+)?(?:last\s+|prior\s+(?:and\s+no\s+(?:other\s+)?(?:concurrent|current)\s+)?|previous\s+|any\s+)*",
                    re.IGNORECASE)
# a trial of one kind: the words between the mention and its window say what it is about
# ('with an investigational product' is what makes any trial interventional: not a kind)
_OF_A_KIND = re.compile(r"^\s*(?:for|of|on|with|involving|testing|evaluating|investigating)\s+(?!the\s+(?:past|last))"
                        r"(?!(?:an?|any)\s+investigational\s+(?:medicinal\s+)?(?:products?|drugs?|agents?|medicines?)\W*$)",
                        re.IGNORECASE)
# a dose or an amount of a medication, and a duration of its use ('chronic', 'long-term', 'more than 14 days')
_DOSE_BEFORE = re.compile(r"\b(?:doses?|dosages?|dosing)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_AMOUNT = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug)\b", re.IGNORECASE)
_DURATION_OF_USE = re.compile(r"\b(?:chronic|long[\s-]term|prolonged|(?:longer|more)\s+than\s+\d+\s*(?:days?|weeks?|"
                              r"months?)|for\s+(?:at\s+least|a\s+minimum\s+of|over)\s+\d+\s*(?:consecutive\s+)?(?:days?|"
                              r"weeks?|months?)|\d+\s*(?:consecutive\s+)?(?:days?|weeks?|months?)\s+or\s+(?:more|longer))\b",
                              re.IGNORECASE)
# a start or a change of the medication, near its mention ('Initiation of corticosteroid therapy', 'steroids
# started or increased', 'dose adjusted'): a record of it in the window does not tell a start from a stable use
_START_OR_CHANGE = re.compile(r"\b(?:start(?:s|ed|ing)?|initiat(?:e|ed|es|ing|ion)|commenc(?:e|ed|es|ing|ement)|"
                              r"(?:newly|recently)\s+(?:begun|prescribed)|(?:dose|dosage|dosing)\s+(?:change|adjustment|"
                              r"modification|increase|escalation|reduction)s?|increase[ds]?|decrease[ds]?|adjust(?:s|ed|ing|"
                              r"ment)?|titrat(?:e|ed|ion)|chang(?:e|es|ed|ing))\b", re.IGNORECASE)
_START_NEAR = 40  # characters before the mention, in its clause, a start or change is read in
# a procedure done at any time: 'Prior allogeneic HSCT', 'history of allogeneic bone marrow transplant',
# 'Have undergone an allo-HSCT'
_EVER_BEFORE = re.compile(r"\b(?:prior|previous|previously\s+(?:had|received|underwent|undergone)|history\s+of|had|underwent|"
                          r"undergone|received|receipt\s+of)\s+(?:an?\s+)?$", re.IGNORECASE)
# a transplant planned, awaited or hoped for: not one done
_NOT_DONE_YET = re.compile(r"\b(?:plans?|planned|planning|scheduled|intended|candidates?|awaiting|waiting|listed|"
                           r"eligible|anticipated|expected)\b", re.IGNORECASE)
# ... and across another transplant listed before it, which the words are said of too: 'Prior solid organ
# transplant or allogeneic stem cell transplant', 'History of kidney transplant, or allogeneic HSCT'
_EVER_BEFORE_ANOTHER_TRANSPLANT = re.compile(
    r"\b(?:prior|previous|history\s+of|had|underwent|undergone|received)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:transplant(?:ation|s)?|allo-?grafts?)(?:\s*\([^()]{1,12}\))?\s*,?\s*(?:or|and|and/or|/)\s+(?:an?\s+)?$",
    re.IGNORECASE)
# windows listed in the order of the things before them ('within 28 or 14 days, respectively')
_RESPECTIVELY = re.compile(r"(?:[\s,]+(?:or|and)\s+(?:the\s+)?\d+\s*\w+)*[\s,]*respectively\b", re.IGNORECASE)
# another window right after one, for some of the treatments: '(6 weeks for nitrosoureas or mitomycin C)'
_OTHER_WINDOW = re.compile(rf"[^()]{{0,40}}?\(\s*(?:or\s+)?(?:\d+|{'|'.join(NUMBER_WORDS)})\s*(?:days?|weeks?|months?|years?)\b"
                           r"[^()]*?\b(?:for|in|with|if|after)\b[^()]*\)", re.IGNORECASE)
# ... or joined by 'or', without a parenthesis: 'within 3 weeks (21 days) or 6 weeks for mitomycin C'
_OTHER_WINDOW_OR = re.compile(rf"(?:\s*\([^()]*\))?\s*,?\s*or\s+(?:within\s+)?(?:\d+|{'|'.join(NUMBER_WORDS)})\s*"
                              r"(?:days?|weeks?|months?|years?)\s+(?:for|in|with|if|after)\b[^.;,]*", re.IGNORECASE)
_NOT_A_MEDICATION = re.compile(r"\b(?:radiation|radiotherapy|irradiation|surgery|surgical|procedures?)\b", re.IGNORECASE)
# steroids of a local route: 'topical or inhaled steroids', 'intra-articular corticosteroid injections'
# (and 'epidural steroid injection', 'intravitreal steroids', 'ocular corticosteroids')
_LOCAL_ROUTE_BEFORE = re.compile(rf"\b(?:{LOCAL_ROUTES})\s+(?:(?:or|and|and/or|/)\s+(?:\w+\s+){{1,2}})?$", re.IGNORECASE)
# steroids of a local form named after them ('steroid eye drops', 'corticosteroid creams', 'steroid nasal spray')
_LOCAL_FORM_AFTER = re.compile(r"\s+(?:(?:eye|ear|nasal)\s+)?(?:drops|creams?|ointments?|gels?|lotions?|inhalers?|sprays?|"
                               r"enemas?|suppositor\w*|foams?|patches)\b", re.IGNORECASE)
# steroids that are not corticosteroids: 'anabolic steroids', 'sex steroids', 'androgenic steroids'
_NOT_CORTICOSTEROIDS_BEFORE = re.compile(r"\b(?:anabolic(?:[\s-]+androgenic)?|androgenic|sex|gonadal|ovarian)\s+$",
                                         re.IGNORECASE)
_STEROID_EVENT = next(e for e in EVENTS if e.slug == "corticosteroids")
# corticosteroids joined to the immunosuppressants they are one of ('corticosteroids or other immunosuppressive
# drugs', 'glucocorticoid or immunosuppressants')
_OTHER_OF_THE_KIND = re.compile(r"\s*(?:,|or|and|and/or)\s+(?:(?:any\s+)?other\s+)?", re.IGNORECASE)
_SCREENING_DATE = " before the screening date (the record's reference point is read as the screening date)"
# a donor type before or after a stem cell transplant mention: it is of that type only
_ONE_DONOR_BEFORE = re.compile(r"\b(?:autologous|allogeneic|allogenic|auto|allo|syngeneic|haploidentical)[\s-]+"
                               r"(?:(?:haematopoietic|hematopoietic|peripheral\s+blood)\s+)?$", re.IGNORECASE)
# a transplant of another donor type named between an allogeneic one and a window, in a clause of its own (a verb
# or a subject before it): the window is that one's; in a list ('allogeneic SCT, CAR-T or autologous SCT within 24
# months') the window closes the list and is every member's
_OTHER_DONOR = re.compile(r"\b(?:autologous|syngeneic|autograft|auto[\s-]*(?:HSCT|SCT|HCT|BMT|transplant\w*))\b", re.IGNORECASE)
_OWN_CLAUSE = re.compile(r"\b(?:received|underwent|undergone|had|has|have|subjects?|patients?|participants?)\b",
                         re.IGNORECASE)
_ONE_DONOR_AFTER = re.compile(r"\s*\((?:autologous|allogeneic|syngeneic)\)", re.IGNORECASE)
# steroids named beside immunosuppressants; a permission of them is one only when it names no route
_STEROIDS = re.compile(r"\b(?:cortico)?steroids?\b|\bglucocorticoids?\b|\bprednis(?:one|olone)\b", re.IGNORECASE)
_ROUTE = re.compile(r"\b(?:inhaled|inhalers?|topical|nasal|intranasal|ophthalmic|cutaneous|dermal|intra-articular|local)\b",
                    re.IGNORECASE)
_WITH_STEROIDS = "; systemic corticosteroids counted with them, as the item names steroids"
_WITHOUT_STEROIDS = ("; systemic corticosteroids not counted: the item does not name them (add `systemic_corticosteroids` "
                     "on review if the protocol counts immunosuppressive doses of steroids)")
# a window counted from another treatment, not from the screening date ('within six months of
# adjuvant therapy', 'within 12 months of completing neoadjuvant treatment', '... of the end of
# radiotherapy'); the study's own start ('within 28 days of starting study drug') is not one
_FROM_ANOTHER_TREATMENT = re.compile(
    r"\s+(?:of|from|after)\s+(?:the\s+)?(?:(?:completion|completing|end|finishing)\s+(?:of\s+)?(?:the\s+)?"
    r"(?:prior\s+|previous\s+|last\s+)?(?!study\b|trial\b|screening\b)[\w-]+|(?:prior\s+|previous\s+)?(?:neo-?)?adjuvant\b)",
    re.IGNORECASE)


def _window_after(text: str, mention_end: int, wins: list[Window]) -> Window | None:
    """The first window after the mention in the same clause (no ';' or '.' between, 'e.g.' aside),
    at most 80 characters away, or at most 200 across a list of treatments ('chemotherapy,
    immunotherapy, definitive radiation, or ... within 4 weeks')."""
    for w in wins:
        between = text[mention_end:w.start]
        if w.start < mention_end or ";" in between or "." in between.replace("e.g.", "").replace("i.e.", ""):
            continue
        if w.start - mention_end <= _WINDOW_WITHIN:
            return w
        if w.start - mention_end <= _LIST_WITHIN and _LIST.fullmatch(between) and not _CLAUSE_WORDS.search(between):
            return w
    return None


def _in_examples(text: str, start: int) -> bool:
    """The mention is inside a parenthesis of examples ('(e.g., corticosteroids or immunosuppressive
    drugs)'): it illustrates the thing before the parenthesis, which it is not; or inside one that
    allows it ('(inhaled and topical corticosteroids are permitted)')."""
    opening = text.rfind("(", 0, start)
    if opening == -1 or ")" in text[opening:start]:
        return False
    closing = text.find(")", start)
    inside = text[opening:closing if closing != -1 else len(text)]
    return _EXAMPLES_OPEN.match(text, opening) is not None or PERMITTED_WORD.search(inside) is not None


def _names_steroids(text: str, start: int) -> bool:
    """The sentence of the mention at `start` names steroids, other than to permit them all."""
    s, e = sentence_of(text, start)
    for m in _STEROIDS.finditer(text, s, e):
        around = text[max(s, m.start() - 40):min(e, m.end() + 40)]
        if not PERMITTED_WORD.search(around) or _ROUTE.search(around):
            return True
    return False


def _codes(event: Event, text: str, start: int) -> tuple[tuple[str, ...], str]:
    """The event's value sets, and what the reading says of them: immunosuppressants count systemic
    corticosteroids only when the item names steroids."""
    if event.slug != "immunosuppressants":
        return event.codes, ""
    if _names_steroids(text, start):
        return event.codes + ("systemic_corticosteroids",), _WITH_STEROIDS
    return event.codes, _WITHOUT_STEROIDS


def _definition(event: Event, codes: tuple[str, ...], window: str) -> tuple[dict[str, Any], str]:
    if event.record == "participation":
        return ({"participation": {"within": window}},
                f"participation in another study overlapping the last {window}")
    code: Any = codes[0] if len(codes) == 1 else list(codes)
    return ({event.record: {"code": code, "within": window}},
            f"a {event.record} record ({', '.join(codes)}) overlapping the last {window}")


def _finding(event: Event, item: ItemText, start: int, end: int, window: str, is_negated: bool) -> Finding:
    codes, steroids = _codes(event, item.text, start)
    when, reading = _definition(event, codes, window)
    when, confidence = with_polarity(item.kind, is_negated, when, event.confidence)
    reading = ("none: " if is_negated else "") + reading + _SCREENING_DATE + steroids
    local = "systemic_corticosteroids" in codes and _local_routes_only(item.text, start)
    if local:
        reading += "; the exception for local routes (nasal, topical, ...) is what the value set means anyway"
    return Finding(event.slug, when, item.text[start:end], confidence, reading, start, end,
                   [c for c in codes if c in LOCAL_VALUE_SETS],
                   accounts_for=frozenset({"exception"}) if local else frozenset())


_NOT_BEFORE_SINCE = re.compile(r"\b(?:not|no)\s+$", re.IGNORECASE)


def _since(event: Event, item: ItemText, since: list[re.Match[str]]) -> Finding | None:
    """'At least 5 years since prior chemotherapy': no such event within those 5 years."""
    for m in since:
        mention = event.pattern.match(item.text, m.end())
        if mention and _NOT_BEFORE_SINCE.search(item.text, max(0, m.start() - 8), m.start()):
            continue  # 'Not more than 4 weeks since chemotherapy': within those 4 weeks (the window's upper bound)
        if mention:
            n = count(m.group("n"))
            unit = m.group("u").lower().rstrip("s") + ("s" if n != 1 else "")
            return _finding(event, item, m.start(), mention.end(), f"{n} {unit}", True)
    return None


def _event_finding(event: Event, item: ItemText, wins: list[Window], since: list[re.Match[str]]) -> Finding | None:
    """The event's first mention that has a window after it."""
    text = item.text
    counted = _since(event, item, since)
    if counted is not None:
        return counted
    planned: Finding | None = None
    for m in event.pattern.finditer(text):
        if _not_the_event(event, text, m):
            continue
        one_kind = _of_one_kind(event, text, m)
        if one_kind is not None:
            planned = planned or one_kind
            continue
        window = _window_after(text, m.end(), wins)
        if window is not None and event.slug == "allo_hsct":
            window, unclear = _window_of_another_donor(event, text, m, window)
            if unclear is not None:
                planned = planned or unclear
                continue
        if window is not None and _PLANNED_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            # a later mention may be of the event that happened ('has planned to participate in another
            # study OR involved in any other study within the preceding month')
            planned = planned or blocked(event.slug, "a planned or intended event, not one that has happened", text,
                                         m.start(), window.end)
            continue
        if window is not None:
            return _windowed(event, item, m, window)
        found = _without_a_window_after(event, item, m, wins)
        if found is not None:
            return found
    return planned


def _without_a_window_after(event: Event, item: ItemText, m: re.Match[str], wins: list[Window]) -> Finding | None:
    """The mention without a window after it: a medication with a window shortly before it, or a procedure at any
    time; else None."""
    text = item.text
    window = _window_before(text, m.start(), wins) if event.record == "medication" else None
    if window is not None:
        return _finding(event, item, window.start, m.end(), window.duration, negated_as_meant(item.kind, text, window.start))
    s = sentence_of(text, m.start())[0]
    ever = _EVER_BEFORE.search(text, s, m.start())
    if event.record == "procedure" and ever is not None:
        return _ever(event, item, ever.start(), m.end())
    # across another transplant: the span is the mention alone, the other transplant left to review (not when
    # the sentence says one is planned or awaited: which one is not told)
    if event.slug == "allo_hsct" and _EVER_BEFORE_ANOTHER_TRANSPLANT.search(text, s, m.start()) \
            and not _NOT_DONE_YET.search(text, s, sentence_of(text, m.start())[1]):
        return _ever(event, item, m.start(), m.end())
    return None


def _windowed(event: Event, item: ItemText, m: re.Match[str], window: Window) -> Finding:
    """The event's mention with the window after it: its definition, or left for review when the
    trials are of one kind, a dose or duration qualifies the medication, or the window is qualified."""
    text = item.text
    if event.record == "participation" and _OF_A_KIND.match(text[m.end():window.start]):
        return blocked(event.slug, f"participation in trials of one kind ('{text[m.start():window.start].strip()}'), "
                       "not in any trial", text, m.start(), window.end)
    let_in = _STUDIES_LET_IN.search(text) if event.record == "participation" else None
    if let_in is not None:  # 'Participation in another trial within 4 weeks (observational studies allowed)'
        return blocked(event.slug, f"studies of one kind are let in ('{let_in.group(0).strip()}'): a participation "
                       "record does not tell the kinds apart", text, m.start(), max(window.end, let_in.end()))
    why = (_started_or_changed(text, m, window) or _dose_or_duration(text, m.start()) or _some_let_in(event, text, m)
           if event.record == "medication" else None) or _window_qualified(text, window)
    if why:
        return blocked(event.slug, why, text, m.start(), window.end)
    # across a list, the span is the mention alone: the other treatments of the list keep theirs
    end = window.end if window.start - m.end() <= _WINDOW_WITHIN else m.end()
    return _finding(event, item, m.start(), end, window.duration, negated_as_meant(item.kind, text, m.start()))


# a window after a later point of the study ('within 30 days of the last dose', 'in the 2 weeks following the
# first dose', 'within 3 months after the end of this study'; not 'within 30 days of the first dose': before it)
_AFTER_A_LATER_POINT = re.compile(r"\s*(?:(?:of|after|following|from)\s+(?:the\s+)?(?:last|final)\s+(?:dose|administration|"
                                  r"vaccination|infusion|injection|visit|treatment)|(?:after|following)\s+(?:the\s+)?(?:first|"
                                  r"initial)\s+(?:dose|administration|vaccination|infusion|injection)|(?:after|following)\s+"
                                  r"(?:the\s+)?(?:end|completion)\s+of\s+(?:this|the)\s+(?:study|trial))\b", re.IGNORECASE)
# a plan or an intention before the event ('Plans to join another trial', 'Scheduled surgery'): a future event
_PLANNED_BEFORE = re.compile(r"\b(?:plans?|planned|planning|intends?|intending|intention|scheduled|expects?|expected|"
                             r"anticipated)\b(?:\s+to)?\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


# a window in half-lives of the drug beside the one read, neither said to be longer nor shorter ('within 30 days or
# 5 half-lives'; 'whichever ...' is the qualifiers' condition): the window depends on the drug (the tables leave it
# to review)
_HALF_LIVES = re.compile(r"\bhalf[\s-]?li(?:fe|ves)\b", re.IGNORECASE)


def _window_of_another_donor(event: Event, text: str, m: re.Match[str], window: Window) -> tuple[Window | None, Finding | None]:
    """The allogeneic transplant's window, None when it is another donor type's named in a clause of its own ('...,
    or has received autologous SCT within 3 months'); and the reason to leave the item for review when the window is
    set apart from that one by a comma ('..., or has received autologous SCT, within the last 6 months': both's?)."""
    other = _own_clause_of_another_donor(text, m.end(), window.start)
    if other is None:
        return window, None
    if "," in text[other.end():window.start]:
        return None, blocked(event.slug, "a window after a transplant of another donor type, set apart by a comma: it "
                             "may be both transplants' or that one's", text, m.start(), window.end)
    return None, None


def _own_clause_of_another_donor(text: str, start: int, end: int) -> re.Match[str] | None:
    """Between `start` and `end`, a stem cell transplant of another donor type in a clause of its own ('..., or
    subject has received autologous stem cell transplant'); else None."""
    other = _OTHER_DONOR.search(text, start, end)
    return other if other is not None and _OWN_CLAUSE.search(text, start, other.start()) is not None else None


def _window_qualified(text: str, window: Window) -> str | None:
    """Windows paired with the treatments before them ('within 28 or 14 days, respectively'), or
    another window for some of them right after ('within 4 weeks (6 weeks for nitrosoureas)'), or a
    window counted from another treatment ('within six months of adjuvant therapy'), or one beside a
    number of the drug's half-lives ('within 30 days or 5 half-lives')."""
    if (later := _AFTER_A_LATER_POINT.match(text, window.end)) is not None:
        return f"a window after a later point of the study ('{text[window.start:later.end()].strip()}'), not before now"
    if (anchor := _FROM_ANOTHER_TREATMENT.match(text, window.end)) is not None:
        return f"a window counted from another treatment ('{text[window.start:anchor.end()].strip()}'), not from now"
    e = sentence_of(text, window.start)[1]
    if (half_lives := _HALF_LIVES.search(text, window.end, e)) is not None and "whichever" not in text[window.end:e].lower():
        return f"a window that depends on the drug's half-life ('{text[window.start:half_lives.end()].strip()}'), " \
               "which a record of the medication or study does not give"
    if (purpose := _ONE_PURPOSE_AFTER.match(text, window.end)) is not None:  # 'within 3 months for an autoimmune disease'
        end = text.find(" ", purpose.end())
        return f"a treatment or study of one purpose, named after its window ('{text[window.start:end if end > 0 else len(text)].strip()} " \
               "...'): a record of it is of any"
    if _RESPECTIVELY.match(text, window.end):
        return "windows paired with the treatments before them ('respectively'): each has its own"
    other = _OTHER_WINDOW.match(text, window.end) or _OTHER_WINDOW_OR.match(text, window.end)
    if other and not _NOT_A_MEDICATION.search(other.group(0)):  # '(2 weeks for palliative radiation)' is another's
        return f"another window for some of them ('{other.group(0).strip()}'): each has its own"
    return None


def _before_window(text: str, m: re.Match[str]) -> int:
    """Where the mention's words end: at the first window after it, or at the end of its sentence."""
    e = sentence_of(text, m.start())[1]
    return min([w.start for w in windows(text) if m.end() <= w.start < e] + [e])


def _not_the_event(event: Event, text: str, m: re.Match[str]) -> bool:
    """A mention that is not the event: a vaccine of one kind ('cancer vaccine'), an example of
    something else, a stem cell transplant of one donor type ('autologous stem cell transplant',
    '... transplant (autologous)')."""
    if event.slug == "vaccine" and not all(_ANY_VACCINE_BEFORE.search(text[max(0, v.start() - 40):v.start()])
                                           for v in event.pattern.finditer(text, m.start(), _before_window(text, m))):
        return True  # a vaccine of one kind, named so before its window ('Vaccination with a live vaccine within ...')
    if event.slug == "vaccine" and _ONE_VACCINE_AFTER.match(text, m.end()):
        return True  # a vaccine of one kind named after it: 'Vaccination against hepatitis B within 6 months'
    if event.slug == "hsct" and (_ONE_DONOR_BEFORE.search(text, max(0, m.start() - 40), m.start())
                                 or _ONE_DONOR_AFTER.match(text, m.end())):
        return True
    if event.slug == "corticosteroids" and (_LOCAL_ROUTE_BEFORE.search(text, max(0, m.start() - 40), m.start())
                                            or _LOCAL_FORM_AFTER.match(text, m.end())):
        return True  # 'Topical or inhaled steroids', 'steroid eye drops': not systemic ones
    if event.slug == "corticosteroids" and _NOT_CORTICOSTEROIDS_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        return True  # 'Anabolic steroids': no corticosteroids
    if _NAMED_BY_IT.match(text, m.end()):
        return True  # 'Chemotherapy-induced nausea', 'steroid-refractory': a condition named by the treatment
    if event.record != "participation" and _WHAT_IT_LED_TO.search(text, max(0, m.start() - 30), m.start()):
        return True  # 'Infection after chemotherapy within 4 weeks': the infection, which the treatment came before
    return _in_examples(text, m.start())


def _of_one_kind(event: Event, text: str, m: re.Match[str]) -> Finding | None:
    """A medication of one purpose, route, class or number of lines ('Chemotherapy for any other cancer', 'Oral
    chemotherapy', 'Adjuvant chemotherapy', 'platinum-based chemotherapy', 'two or more lines of chemotherapy',
    'chemotherapy with curative intent'), which the value set's records of any do not tell apart: left for review;
    else None."""
    if event.record != "medication":
        return None
    purpose = _ONE_PURPOSE_AFTER.match(text, m.end())
    route = _ONE_ROUTE_BEFORE.search(text, max(0, m.start() - 30), m.start()) if event.slug == "chemotherapy" else None
    if purpose is None and route is None:
        return _medication_of_one_kind(event, text, m)
    start, end = (route.start(), m.end()) if route else (m.start(), purpose.end())  # type: ignore[union-attr]
    end = text.find(" ", end) if purpose and text.find(" ", end) > 0 else end  # the purpose's first word whole
    return blocked(event.slug, f"a treatment of one {'route' if route else 'purpose'} ('{text[start:end].strip()} ...'): "
                   "a record of the medication is of any", text, start, end)


def _medication_of_one_kind(event: Event, text: str, m: re.Match[str]) -> Finding | None:
    """Chemotherapy of one setting, intent, intensity or class, or a number of lines of it, steroids of one use
    ('replacement', 'pulse', 'premedication') or immunosuppressants of one class ('biologic'), for review; else None."""
    before, after = _KIND_OF.get(event.slug, (None, None))
    if before is None or after is None:
        return None
    kind = before.search(text, max(0, m.start() - 50), m.start()) or after.match(text, m.end())
    if kind is None:
        return None
    start, end = min(kind.start(), m.start()), max(kind.end(), m.end())
    what, record = ("chemotherapy", "an antineoplastic") if event.slug == "chemotherapy" else \
        (event.slug.replace("_", " "), "the medication")
    return blocked(event.slug, f"{what} of one kind or number ('{text[start:end].strip()}'): a record of {record} is "
                   "of any", text, start, end)


# studies of a kind the item lets in: '(observational studies allowed)', 'Participation in a registry is permitted'
_STUDIES_LET_IN = re.compile(r"\b(?:non-?interventional|observational|registry|registries|survey|questionnaire|follow-?up|"
                             r"non-?drug|non-?therapeutic)\b[^.;]{0,40}?\b(?:allowed|permitted|acceptable|eligible|"
                             r"may\s+(?:be\s+)?(?:enrol\w*|included|participate)|(?:is|are)\s+(?:not\s+(?:an?\s+)?"
                             r"exclusion|ok))\b", re.IGNORECASE)
# a condition or a kind of patient named by the treatment: 'Chemotherapy-induced nausea', 'steroid-refractory GVHD',
# 'chemotherapy-naive' (the value set's records are the treatment, not these)
_NAMED_BY_IT = re.compile(r"\w*[\s-]*(?:induced|related|associated|naive|naïve|refractory|resistant|sensitive|dependent|"
                          r"intoleran(?:t|ce)|toxicit(?:y|ies))\b", re.IGNORECASE)
# a treatment named as what came before something else or caused it ('Infection after chemotherapy within 4 weeks',
# 'Osteonecrosis due to corticosteroids'): the item is about that other thing
_WHAT_IT_LED_TO = re.compile(r"\b(?:after|following|post|due\s+to|secondary\s+to|caused\s+by|induced\s+by|related\s+to|"
                             r"attributed\s+to|associated\s+with)\s+(?:(?:the|a|an|prior|previous|recent|any)\s+)?$",
                             re.IGNORECASE)
# a treatment given for one purpose, named after it ('Chemotherapy for any other cancer within 5 years') or after its
# window, not for any ('for any reason') nor for a time ('for at least 14 days', 'for more than 2 weeks', 'for the
# past 3 months'; the number words written out, since the windows' NUMBER_WORDS count 'a' and 'an', which here begin a purpose: 'for a prior malignancy')
_ONE_PURPOSE_AFTER = re.compile(r"\w*\s+for\s+(?!(?:at\s+least|more\s+than|less\s+than|longer\s+than|over|up\s+to|a\s+"
                                r"(?:period|total|minimum|maximum|duration)|the\s+(?:past|last|previous|preceding)|\d|"
                                r"any\s+(?:reason|indication|purpose|cause)s?\b|"
                                r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve)\b))\w", re.IGNORECASE)
# chemotherapy of one setting, intent, intensity or class named before it ('Adjuvant chemotherapy', 'induction
# chemotherapy', 'high-dose chemotherapy', 'platinum-based chemotherapy', 'anthracycline chemotherapy'), or a number
# of lines, regimens or cycles of it ('two or more regimens of chemotherapy'): not any chemotherapy
_CHEMOTHERAPY_KIND_BEFORE = re.compile(
    r"\b(?:(?:neo-?)?adjuvant|peri-?operative|induction|consolidation|maintenance|salvage|palliative|curative|"
    r"(?:non-?)?myeloablative|lymphodepleting|conditioning|intensive|metronomic|(?:high|low|standard)[\s-]+dose|"
    r"(?:first|second|third|1st|2nd|3rd|front|later)[\s-]*line|[\w-]+-(?:based|containing)|platinum|anthracyclines?|"
    r"taxanes?|alkylating|fluoropyrimidines?|combination|single[\s-]+agent|doublet|triplet)\s+(?:[\w-]+\s+)?$|"
    rf"\b(?:\d+|{'|'.join(NUMBER_WORDS)}|multiple|several|more\s+than\s+\w+|(?:\w+\s+)?or\s+more)\s+(?:prior\s+|previous\s+)?"
    r"(?:lines?|regimens?|cycles?|courses?)\s+of\s+(?:(?:prior|previous|systemic|cytotoxic)\s+)*$", re.IGNORECASE)
_CHEMOTHERAPY_KIND_AFTER = re.compile(r"\s+(?:(?:given|administered|delivered|received)\s+)?(?:with|of|for)\s+(?:a\s+)?(?:curative|palliative|radical)\s+(?:intent|purpose|aim)|"
                                      r"\s+in\s+the\s+(?:[\w-]+\s+){1,2}setting\b|"
                                      r"\s*\((?:neo-?)?adjuvant\b|\s+as\s+(?:(?:neo-?)?adjuvant|induction|maintenance|"
                                      r"consolidation|salvage)\b", re.IGNORECASE)
# steroids of one use or intensity ('Glucocorticoid replacement therapy', 'Steroid pulse therapy', 'corticosteroid
# premedication', 'stress-dose steroids'), immunosuppressants of one class ('Biologic immunosuppressive therapy')
_STEROID_KIND_BEFORE = re.compile(r"\b(?:pulsed?|stress[\s-]+dose|high[\s-]+dose|low[\s-]+dose|replacement|physiologic(?:al)?|"
                                  r"maintenance|short[\s-]+course|premedication|prophylactic)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_STEROID_KIND_AFTER = re.compile(r"\s+(?:(?:therapy|treatment)\s+)?(?:replacement|pre-?medication|pulses?|prophylaxis|tapers?|"
                                 r"bursts?)\b", re.IGNORECASE)
_IMMUNOSUPPRESSANT_KIND_BEFORE = re.compile(r"\b(?:biologic(?:al)?|topical|local|inhaled|targeted)\s+$", re.IGNORECASE)
_NO_KIND_AFTER = re.compile(r"(?!)")
_KIND_OF = {"chemotherapy": (_CHEMOTHERAPY_KIND_BEFORE, _CHEMOTHERAPY_KIND_AFTER),
            "corticosteroids": (_STEROID_KIND_BEFORE, _STEROID_KIND_AFTER),
            "immunosuppressants": (_IMMUNOSUPPRESSANT_KIND_BEFORE, _NO_KIND_AFTER)}
# chemotherapy by one route: 'Oral chemotherapy', 'intrathecal chemotherapy' (the value set's records are of any)
_ONE_ROUTE_BEFORE = re.compile(r"\b(?:oral|intravenous|IV|intrathecal|intravesical|intra-?arterial|intraperitoneal|"
                               r"topical|local|regional|hepatic\s+arterial|intra-?pleural|intra-?lesional)\s+$",
                               re.IGNORECASE)


def _any_donor(event: Event, item: ItemText, f: Finding) -> Finding:
    """A stem cell transplant of either donor type: the allogeneic ones are drafted where excluding
    them is part of what the item asks (an exclusion of recipients, an inclusion of those without
    one), the autologous ones left for review; the other way round the item is left whole."""
    if event.slug != "hsct" or f.when is None:
        return f
    if (item.kind == "exclusion") != ("not" in f.when):
        return replace(f, leaves="counts autologous transplants too, which no value set holds: left for review",
                       reading=f.reading + "; allogeneic transplants only (the value set holds no autologous ones)")
    return blocked(event.slug, "a stem cell transplant of either donor type, required: the allogeneic value set "
                   "would turn away autologous recipients", item.text, f.start, f.end)


_TRANSPLANT_TOPIC = r"transplant|\bH?SCT\b|stem[\s-]+cells?|bone\s+marrow|allogeneic|autologous"
# an allogeneic transplant's: a sentence that names autologous transplants and no allogeneic one permits what the
# value set does not hold ('Previous autologous stem cell transplant is allowed'): no exception to it
_ALLOGENEIC_TOPIC = r"^(?![\s\S]*\bautologous\b)[\s\S]*?(?:" + _TRANSPLANT_TOPIC + r")|allogen(?:e)?ic|\ballo\b"


def _ever(event: Event, item: ItemText, start: int, end: int) -> Finding:
    """'Prior allogeneic stem cell transplant': a procedure at any time before screening."""
    when, confidence = with_polarity(item.kind, negated_as_meant(item.kind, item.text, start), {event.record: {"code": event.codes[0]}},
                                     event.confidence)
    # another sentence's permission is an exception to it only when it names a transplant
    return Finding(event.slug, when, item.text[start:end], confidence,
                   f"a {event.record} record ({event.codes[0]}) at any time before the screening date", start, end,
                   topic=_ALLOGENEIC_TOPIC if event.codes[0] == "allo_hsct" else _TRANSPLANT_TOPIC)


def _started_or_changed(text: str, m: re.Match[str], window: Window) -> str | None:
    """A start or a change of the medication in the mention's clause before it, or between it and its
    window ('Initiation of corticosteroid therapy within', 'steroids started or increased within'; not
    'before the start of treatment, other vaccines within': another clause)."""
    s = sentence_of(text, m.start())[0]
    clause = max(s, m.start() - _START_NEAR, *(i + 1 for i in (text.rfind(",", s, m.start()),
                                                              text.rfind(";", s, m.start())) if i >= 0))
    if _START_OR_CHANGE.search(text, clause, m.start()) or _START_OR_CHANGE.search(text, m.end(), window.start):
        return "a start or a change of the medication is stated, which a record of it in the window does not tell " \
               "from a stable use"
    return None


# (what is excepted, '(seasonal influenza vaccine excepted)', is the qualifiers' exception)
_LET_IN = re.compile(r"\b(?:permitted|allowed|acceptable)\b", re.IGNORECASE)


def _some_let_in(event: Event, text: str, m: re.Match[str]) -> str | None:
    """Another mention of the medication in the item, in a parenthesis that lets it in ('Any vaccine in the last
    month (influenza vaccine allowed)') or followed in its clause by a word that does ('...; influenza vaccines
    permitted'): some of them are let in, which a record of any does not tell apart (steroids
    of a local route let in are no systemic ones: 'inhaled steroids are permitted' leaves the systemic as they are)."""
    s, e = sentence_of(text, m.start())
    for v in event.pattern.finditer(text, s):
        let_in = _let_in_around(text, v, s, e)
        if v.start() == m.start() or let_in is None:
            continue
        if event.slug == "corticosteroids" and (_LOCAL_ROUTE_BEFORE.search(text, max(0, v.start() - 40), v.start())
                                                or _LOCAL_FORM_AFTER.match(text, v.end())):
            continue
        return f"some of them are let in ('{let_in}'): a record of the medication is of any"
    return None


# a word that lets in what it follows in its clause ('; influenza vaccines permitted'), not a refusal of it
_LET_IN_AFTER = re.compile(r"[^.;,()]{0,40}?(?<!\bnot\s)(?<!n't\s)\b(?:permitted|allowed|acceptable)\b", re.IGNORECASE)


def _let_in_around(text: str, v: re.Match[str], s: int, e: int) -> str | None:
    """The words that let the mention `v` in: a parenthesis of the sentence `s`-`e` that it is in and that lets it in
    ('(influenza vaccine allowed)'), or a word that lets it in later in its clause ('; influenza vaccines permitted');
    else None."""
    if v.start() < e:
        opening = text.rfind("(", s, v.start())
        closing = text.find(")", v.start(), e)
        if opening >= 0 and ")" not in text[opening:v.start()] and closing >= 0 \
                and _LET_IN.search(text, opening, closing) and not _EXAMPLES_OPEN.match(text, opening):
            return text[opening:closing + 1]
    after = _LET_IN_AFTER.match(text, v.end())
    return None if after is None else text[v.start():after.end()]


def _dose_or_duration(text: str, start: int) -> str | None:
    """A dose ('immunosuppressive doses of corticosteroids', '20 mg/day') or a duration of use
    ('chronic (longer than 14 days) administration of', 'long-term use', '... for at least 7 days') in the mention's sentence,
    which the definition (any record of the medication in the window) does not check."""
    s, e = sentence_of(text, start)
    before = text[max(s, start - 60):start]
    if _DOSE_BEFORE.search(before) or _AMOUNT.search(text, s, e):
        return "a dose of the medication is stated, which a record of it does not check"
    if _DURATION_OF_USE.search(before) or _DURATION_OF_USE.search(text, start, e):  # 'steroids for at least 7 days'
        return "a duration of use is stated, which a record of the medication does not check"
    return None


def _window_before(text: str, mention_start: int, wins: list[Window]) -> Window | None:
    """A window shortly before the mention in the same clause ('Recent (within 30 days), current or
    anticipated use of any immunosuppressive medication')."""
    for w in reversed(wins):
        between = text[w.end:mention_start]
        # (the treatment's window is the mention's when the mention names it in a parenthesis right after: 'Anticancer
        # therapy in the past 3 months (chemo, hormonal therapy)')
        if 0 <= mention_start - w.end <= _WINDOW_BEFORE and not re.search(r"[;.]\s", between) \
                and not _another_members(text, w, between) \
                and (not _A_TREATMENTS_WINDOW.search(text, max(0, w.start - 40), w.start)
                     or (_ITS_PARENTHESIS.match(between) is not None
                         and _A_CLASS_OF_TREATMENTS.search(text, max(0, w.start - 40), w.start) is not None)):
            return w
    return None


# the mention in a parenthesis opened right after the window of a class of treatments names kinds of them ('Anticancer
# therapy in the past 3 months (chemo, hormonal therapy)'): the window is theirs too (not after one treatment:
# 'Radiotherapy within 4 weeks (steroids at any time)')
_A_CLASS_OF_TREATMENTS = re.compile(r"\b(?:anti-?\s*cancer|anti-?\s*neoplastic|anti-?\s*tumou?r|cancer|systemic|oncolog\w*)"
                                    r"\s+(?:therap(?:y|ies)|treatments?|drugs?|agents?|medications?)\s*$", re.IGNORECASE)
# (first in it or in its list of names, not an alternative: 'Chemotherapy within 3 weeks (or steroids at any time)')
_ITS_PARENTHESIS = re.compile(r"\s*\((?:e\.g\.,?\s*|i\.e\.,?\s*|such\s+as\s+|including\s+)?(?:[\w-]+(?:\s+[\w-]+)?\s*,\s*)*$",
                              re.IGNORECASE)


_NEXT_MEMBER = re.compile(r"\s*,\s*(?:or|and|and/or)\b")


def _another_members(text: str, w: Window, between: str) -> bool:
    """The window closes the list member before it, the next one joined after a comma ('Malignancy within 5 years,
    or patients on chemotherapy'): it is that member's, not the mention's after it."""
    if _NEXT_MEMBER.match(between) is None:
        return False
    before = text[:w.start].rstrip()  # a word right before the window (not a regex scanned over the whole text)
    return bool(before) and (before[-1].isalnum() or before[-1] == "_")


# a window right after another treatment is that treatment's ('Chemotherapy within the last 3 weeks and
# corticosteroids at any time': not the corticosteroids')
_A_TREATMENTS_WINDOW = re.compile(r"\b(?:therap(?:y|ies)|chemo(?:therapy)?|treatments?|drugs?|medications?|medicines?|agents?|"
                                  r"steroids?|corticosteroids?|glucocorticoids?|immunosuppressants?|vaccines?|vaccinations?|"
                                  r"radiotherapy|radiation|surgery|transplant(?:ation)?|trials?|stud(?:y|ies))\s*$",
                                  re.IGNORECASE)


def _local_routes_only(text: str, start: int) -> bool:
    """An exception after `start` that names only local routes ('excluding nasal, ophthalmic, and
    other topical preparations')."""
    m = _LOCAL_ROUTES.search(text, start)
    if m is None:
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z-]+", m.group("routes"))}
    return bool(words) and words <= _ROUTE_WORDS


def _steroids_among_immunosuppressants(item: ItemText, found: list[Finding]) -> list[Finding]:
    """'corticosteroids or other immunosuppressive medications within 14 days': one finding, the
    immunosuppressants' (whose value sets hold the systemic corticosteroids), from the steroids on."""
    by_slug = {f.slug: f for f in found}
    steroids, others = by_slug.get("corticosteroids"), by_slug.get("immunosuppressants")
    if steroids is None or others is None or steroids.when is None or others.when is None \
            or not steroids.start < others.start <= steroids.end or steroids.end != others.end:
        return found
    mention = _STEROID_EVENT.pattern.match(item.text, steroids.start)
    if mention is None or not _OTHER_OF_THE_KIND.fullmatch(item.text, mention.end(), others.start):
        return found
    merged = Finding(others.slug, others.when, item.text[steroids.start:others.end], others.confidence, others.reading,
                     steroids.start, others.end, others.value_sets, accounts_for=others.accounts_for)
    return [merged if f is others else f for f in found if f is not steroids]


def recognise_events(item: ItemText) -> list[Finding]:
    """At most one finding per kind of event (corticosteroids named as one of the immunosuppressants
    are theirs)."""
    text = item.text
    named = [e for e in EVENTS if may_name(text, e.keys)]
    if not named:
        return []
    wins = windows(text)
    since = list(_SINCE.finditer(text))
    if not wins and not since and not any(e.record == "procedure" and e.pattern.search(text) for e in named):
        return []
    found = [_any_donor(event, item, f) for event in named if (f := _event_finding(event, item, wins, since)) is not None]
    return _steroids_among_immunosuppressants(item, found)
