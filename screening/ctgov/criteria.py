"""Drafting the criteria of one eligibility item: a draft definition per finding (`draft: true`,
with `span` and `confidence`) and, when part of the item was not recognised, a `review` criterion
with the same verbatim text.

Criterion ids are stable slugs: `inc_06_ecog`, `exc_11_infections`, `inc_01_02_<words>` for a
nested item; a repeated id gets a suffix (`_2`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers import Finding, ItemText, recognise, residual
from screening.ctgov.recognisers.base import may_name
from screening.ctgov.summary import Outcome
from screening.ctgov.text import Item
from screening.ctgov.thresholds import comparisons, no_value_meets_both
from screening.ctgov.windows import windows

SECTION = {"inclusion": "Inclusion Criteria", "exclusion": "Exclusion Criteria"}
PREFIX = {"inclusion": "inc", "exclusion": "exc"}
MAX_RESIDUAL_WORDS = 1  # content words an item may keep outside its drafted spans and still count as drafted
PARTIAL_CONFIDENCE = 0.6  # the most a definition gets when its item says more than it
MAX_ID = 64
_SLUG_SKIP = {"a", "an", "the", "of", "to", "and", "or", "in", "for", "with", "have"}
_REST_WORDS_SHOWN = 12
# a count of the items listed after it ('at least 1 of the following'): no threshold
_COUNT_OF_LISTED = re.compile(r"\s*(?:of|out\s+of)\s+(?:the\s+)?(?:following|below|these|them|criteria)\b", re.IGNORECASE)


@dataclass
class ItemDraft:
    criteria: list[dict[str, Any]]
    outcome: Outcome
    definitions: int  # draft definitions among the criteria
    value_sets: list[str]  # value sets the definitions refer to


def slug(text: str, limit: int = 32) -> str:
    """The leading content words of `text` as an id part: 'Known HIV infection' -> 'known_hiv_infection'."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _SLUG_SKIP]
    out = ""
    for w in words:
        nxt = f"{out}_{w}" if out else w
        if len(nxt) > limit:
            break
        out = nxt
    return out or "item"


def unique_id(cid: str, taken: set[str]) -> str:
    """`cid` cut to 64 characters, with a suffix `_2`, `_3` ... if taken; added to `taken`."""
    cid = cid[:MAX_ID].rstrip("_")
    base, k = cid, 2
    while cid in taken:
        suffix = f"_{k}"
        cid = base[: MAX_ID - len(suffix)] + suffix
        k += 1
    taken.add(cid)
    return cid


def _prefix(item: Item) -> str:
    """'inc_03' for inclusion item 3; 'exc_01_02' for exclusion item 1.2."""
    return f"{PREFIX[item.kind]}_{'_'.join(f'{int(p):02d}' for p in item.number.split('.'))}"


def _source(item: Item, document: str) -> dict[str, Any]:
    source: dict[str, Any] = {"document": document, "section": SECTION[item.kind],
                              "item": int(item.number) if item.number.isdigit() else item.number}
    notes = ([f"subgroup: {item.group}"] if item.group else []) + (
        [f"nested under item {item.parent}"] if item.parent else [])
    if notes:
        source["note"] = "; ".join(notes)
    return source


def _hints(text: str) -> str:
    """What an unrecognised item shows of thresholds and time windows."""
    bits = []
    cmps = comparisons(text)
    if cmps:
        bits.append("thresholds seen: " + ", ".join(c.raw.strip() for c in cmps[:4]) + " (no known measure or unit)")
    wins = windows(text)
    if wins:
        bits.append("time windows seen: " + ", ".join(w.duration for w in wins[:3]) + " (event not recognised)")
    return "; ".join(bits)


def _review_reason(text: str, rest: str, drafted_ids: list[str], blockers: list[Finding],
                   unread: str | None = None) -> str:
    """Why the item (or part of it) is left for review: what was recognised but cannot be drafted,
    the words no recogniser read, and a threshold or a list member no definition reads (`unread`)."""
    reasons = [f.reading if f.when is None else f"{f.span!r} {f.leaves}" for f in blockers]
    if not drafted_ids:
        if reasons:
            return "not computable as drafted: " + "; ".join(reasons)
        hints = _hints(text)
        return "free text not recognised" + (f" ({hints})" if hints else "")
    words = rest.split()
    shown = " ".join(words[:_REST_WORDS_SHOWN]) + (" ..." if len(words) > _REST_WORDS_SHOWN else "")
    said = [f"not computable as drafted: {'; '.join(reasons)}"] if reasons else []
    if words:
        said.append(f"the rest is free text not recognised: \"{shown}\"")
    if unread is not None:
        said.append(unread)
    return f"partly drafted as {', '.join(drafted_ids)}; " + "; ".join(said)


def _definition(f: Finding, item: Item, prefix: str, source: dict[str, Any], ids: set[str],
                partial: bool) -> dict[str, Any]:
    confidence, reading = f.confidence, f.reading
    if partial and confidence > PARTIAL_CONFIDENCE:
        confidence = PARTIAL_CONFIDENCE
        reading += "; the item says more than this definition (see its review criterion)"
    c: dict[str, Any] = {"id": unique_id(f"{prefix}_{f.slug}", ids), "kind": item.kind, "text": item.text,
                         "source": dict(source), "reading": reading, "when": f.when,
                         "draft": True, "confidence": confidence, "span": f.span}
    if f.missing:
        c["missing"] = f.missing
    return c


def _unread_threshold(text: str, findings: list[Finding]) -> str | None:
    """A threshold of the item outside every finding's span ('Age >= 18 years and Karnofsky >= 70':
    one word is left over, but its threshold is a requirement no definition reads)."""
    read = [(f.start, f.end) for f in findings] + [(w.start, w.end) for w in windows(text)]  # a window is no threshold
    for c in comparisons(text):
        if not any(a <= c.start and c.end <= b for a, b in read) and not _COUNT_OF_LISTED.match(text, c.end):
            return c.raw.strip()
    return None


# what separates the members of a list or the alternatives of an item
_MEMBER_BREAK = re.compile(r"[,;]|\b(?:or|and|and/or|nor)\b", re.IGNORECASE)


# the study's point a window is counted back from, right after it ('within 14 days before registration', '... prior
# to the first dose of study drug'): the draft reads every window back from the screening date and says so
_WINDOW_ANCHOR = re.compile(
    r"\s*(?:before|prior\s+to|preceding|of|from|ahead\s+of|until)\s+(?:the\s+)?(?:(?:start|initiation|beginning)\s+of\s+"
    r"(?:the\s+)?(?:study\s+)?(?:treatment|therapy|drug|intervention|medication)|(?:first|initial)\s+(?:dose|administration|"
    r"infusion|vaccination|injection|treatment)(?:\s+of\s+(?:the\s+)?(?:study\s+|investigational\s+)?(?:drug|treatment|"
    r"intervention|vaccine|medication|product|agent))?|registration|enrol(?:l)?ment|randomi[sz]ation|"
    r"screening(?:\s+visit)?|study\s+(?:entry|start|day\s+1|enrol(?:l)?ment|inclusion)|day\s+1|baseline(?:\s+visit)?|"
    r"inclusion|visit\s+1|(?:signing\s+(?:of\s+)?)?(?:the\s+)?(?:informed\s+)?consent)\b", re.IGNORECASE)


def _window_anchors(text: str, drafted: list[Finding]) -> list[tuple[int, int]]:
    """The study points windows inside drafted definitions are counted back from."""
    out = []
    for w in windows(text):
        anchor = _WINDOW_ANCHOR.match(text, w.end)
        if anchor is not None and any(f.start <= w.start and w.end <= f.end for f in drafted):
            out.append((w.end, anchor.end()))
    return out


def _unread(text: str, findings: list[Finding]) -> str | None:
    """What of the item no definition reads though at most a word is left over: a threshold or a list member."""
    threshold = _unread_threshold(text, findings)
    if threshold is not None:
        return f"a threshold no definition reads: '{threshold}'"
    member = _unread_member(text, findings)
    return None if member is None else f"an alternative or list member no definition reads: '{member}'"


def _unread_member(text: str, findings: list[Finding]) -> str | None:
    """A member of the item's list or one of its alternatives outside every finding's span, with a word
    of its own ('active tuberculosis or listeria infection', 'Hypokalemia, Hemoglobin < 8.0 g/dL'): the one
    word left over is a requirement no definition reads."""
    cuts = [0, *(p for m in _MEMBER_BREAK.finditer(text) for p in (m.start(), m.end())), len(text)]
    for s, e in zip(cuts[::2], cuts[1::2], strict=True):
        words = residual(text[s:e], []).split()
        if not all(_says_nothing_more(w) for w in words) and not any(f.start < e and s < f.end for f in findings):
            return text[s:e].strip()
    return None


@dataclass(frozen=True)
class RecordFacts:
    """What the record says of all its participants, which the recognisers read beside each item: its own age range
    in years (minimumAge, maximumAge; None where not stated) and the sex it enrols (`sex.enrolled_sex`)."""

    registry_age: tuple[float | None, float | None] | None = None
    sex: str | None = None


def item_text(item: Item, record: RecordFacts = RecordFacts(), one_of_groups: bool = False) -> ItemText:
    """What the recognisers see of an item: its text, kind, notes, subgroup and enclosing items,
    the record's facts, and whether its subgroup is one of its section's groups of participants."""
    return ItemText(item.text, item.kind, item.notes_from, item.group, item.ancestors, record.registry_age, one_of_groups,
                    record.sex)


# an item that ends in 'or': it and the item after it are alternatives ('..., or' / '; or' / 'and/or')
_ENDS_WITH_OR = re.compile(r"(?:[,;]\s*|\s)(?:or|and/or)\W*$", re.IGNORECASE)
_ALTERNATIVE = "the item is one of alternatives joined by 'or' between items"
# an item that withholds one procedure of the study ('will not receive the PET/MRI', 'will be excluded
# from vascular studies'): who may not have that part, not who may enter the study
_PART = (r"(?:sub-?stud(?:y|ies)|stud(?:y|ies)|procedures?|assessments?|scans?|imaging|angiography|biops(?:y|ies)|"
         r"sampling|samples?|cohorts?|arms?|parts?|portions?|components?)")  # ('excluded from the MRI part of the study')
_WITHHELD = re.compile(
    r"\bwill\s+(?:also\s+)?not\s+(?:receive|undergo|be\s+offered)\s+(?:the|any|an?)\b|"
    r"\b(?:excluded\s+from|not\s+be\s+(?:enrolled|included)\s+in)\s+(?:the\s+|any\s+)?(?:optional\s+)?"
    r"(?:(?!(?:in|the|this|that|present|current|entire|whole|main|participation|trial)\b)[\w/-]+\s+){1,3}"
    rf"{_PART}\b|\bexcluded\s+from\s+(?:the\s+|any\s+)?(?:optional\s+)?sub-?stud(?:y|ies)\b|"
    # an optional procedure forbidden ('may not undergo the optional research MRI', 'cannot take part in the optional ...')
    r"\b(?:(?:may|can|must|should)\s*(?:not|n't)|cannot)\s+(?:receive|undergo|have|take\s+part\s+in|participate\s+in|"
    r"join)\s+(?:the\s+|any\s+|an?\s+)?optional\b", re.IGNORECASE)
# an item that forbids a procedure to the people it names ('Pregnant women may not receive (131)I', 'Women who are
# pregnant cannot undergo the PET scan'): they are usually excluded (the procedure is the study's own), but the
# procedure may be one part of the study only (a scan some participants skip); not the study's own treatment
_RESTRICTED = re.compile(r"\b(?:(?:may|can|could)\s*(?:not|n't)|cannot|(?:are|is)\s+not\s+to|(?:are|is)\s+not\s+(?:allowed|"
                         r"permitted)\s+to)\s+(?:receive|undergo|(?:have|get)\s+(?=(?:an?|the|any)\s)|be\s+(?:given|"
                         r"exposed\s+to|administered|scanned|imaged|(?:randomi[sz]ed|assigned|allocated)\s+to))\b(?!\s+(?:the\s+|this\s+|any\s+)?(?:study|trial|"
                         r"investigational|experimental)\s+(?:drugs?|treatments?|therap(?:y|ies)|medications?|products?|"
                         r"vaccines?|interventions?|agents?)\b)", re.IGNORECASE)
_RESTRICTED_CONFIDENCE = 0.6

# ... and another given them in its place, their taking part kept ('... and will be imaged with MRI instead', '..., but
# may still participate') or one dose or arm forbidden: they are enrolled
_INSTEAD = re.compile(r"\binstead\b|\bin\s+place\s+of\b|\b(?:but|and)\s+(?:may|can|will)\s+(?:still\s+)?(?:participate|"
                      r"take\s+part|be\s+(?:enrolled|included|eligible))\b|\bremain\s+eligible\b|"
                      # one dose or arm of the study forbidden ('may not receive the higher dose', 'cannot be randomised
                      # to the high-dose arm'): they take the other
                      r"\b(?:higher|highest|high|full|maximum|escalated|lower|reduced)[\s-]+doses?\b|\bdose\s+levels?\b|"
                      r"\b(?:arms?|cohorts?)\b", re.IGNORECASE)


def may_restrict(text: str) -> bool:
    """A first look before `_RESTRICTED`'s scan: a negation and a word of what it forbids, which every match has."""
    return may_name(text, ("not", "n't")) and may_name(text, (
        "receiv", "undergo", "have", "get", "given", "expos", "administ", "scann", "imag", "randomi", "assign", "allocat"))


def may_withhold(text: str) -> bool:
    """A first look before `_WITHHELD`'s scan: 'exclud', or a negation and a word of what is withheld."""
    return may_name(text, ("exclud",)) or (may_name(text, ("not", "n't")) and may_name(
        text, ("receiv", "undergo", "offered", "enrol", "includ", "optional")))


def _a_procedure_restricted(item: Item, findings: list[Finding]) -> list[Finding]:
    """The definitions drafted before a restriction on a procedure (`_RESTRICTED`) of their item at most at 0.6, with
    why: whether the procedure is the study's own, so that what they state bars entry, is not read."""
    m = _RESTRICTED.search(item.text) if may_restrict(item.text) else None
    if m is None:
        return findings
    instead = _INSTEAD.search(item.text, m.end())
    if instead is not None:
        why = f"the item forbids a procedure ('{m.group(0)} ...') and says they take part ('{instead.group(0)}'): not entry"
        return [replace(f, when=None, reading=f"recognised {f.reading.split(';')[0]}, but {why}")
                if f.when is not None and f.end <= m.start() else f for f in findings]
    why = f"the item forbids a procedure ('{m.group(0)} ...'): whether it is the study's own, so that this bars entry, is not read"
    return [replace(f, confidence=min(f.confidence, _RESTRICTED_CONFIDENCE), reading=f"{f.reading}; {why}",
                    leaves=f"{f.leaves}; {why}" if f.leaves else why)
            if f.when is not None and f.end <= m.start() else f for f in findings]


# an item labelled for one part or group of the study ('For vascular studies only:', 'Controls only:',
# '(Part B only)', 'For participants in cohort 3:'): a requirement of some participants, not of all
_GROUP = rf"(?:{_PART}|controls?|parts?|groups?)(?:\s+[A-Z0-9]{{1,2}})?"
_ONE_PART_LABEL = re.compile(
    rf"^\W*(?:only\s+)?(?:for|in)\s+(?:the\s+)?(?:[\w/-]+\s+){{0,3}}?{_GROUP}(?:\s+only)?\s*[:)]"
    rf"|^\W*(?:[\w/-]+\s+){{0,3}}?{_GROUP}\s+only\s*[:)]", re.IGNORECASE)


# an inclusion item for the people of one sex at an age ('Men aged 50 years or older', 'Females 55 years
# of age or older'); one for each sex in the same list are alternatives, not both required
_SEX_LED = {sex: re.compile(rf"^\W*(?:{words})\b(?![^.;]*\b(?:{other})\b)[^.;]*?\b(?:aged?|years?|yrs?)\b", re.IGNORECASE)
            for sex, words, other in (("male", r"men|males?|boys", r"women|females?|girls"),
                                      ("female", r"women|females?|girls", r"men|males?|boys"))}


# an item that is only the word 'or' ('OR', '- or -', 'and/or'): the items before and after it are alternatives
_ONLY_OR = re.compile(r"^\W*(?:or|and/or)\W*$", re.IGNORECASE)


def _either_side(items: list[Item], i: int) -> list[int]:
    """The items of the list of item `i` (same section and parent) right before and after it."""
    item = items[i]
    before = next((j for j in range(i - 1, -1, -1) if items[j].depth <= item.depth), None)
    after = next((j for j in range(i + 1, len(items)) if items[j].depth <= item.depth), None)
    return [j for j in (before, after) if j is not None and items[j].kind == item.kind and items[j].parent == item.parent]


def alternative_items(items: list[Item]) -> set[int]:
    """The indexes of inclusion items that are alternatives of each other: an item ending in 'or'
    and the next item of its list (same section and parent); the items either side of an item that is only 'or'; the
    items of one list that each
    give an age to one sex ('Men aged 50 years or older' and 'Women aged 60 years or older'). In
    an exclusion each alternative excludes on its own, so those are not listed."""
    out: set[int] = set()
    by_sex: dict[tuple[str | None, str | None], dict[str, list[int]]] = {}
    for i, item in enumerate(items):
        if item.kind != "inclusion":
            continue
        for sex, pattern in _SEX_LED.items():
            if pattern.search(item.text):
                by_sex.setdefault((item.parent, item.group), {}).setdefault(sex, []).append(i)
        if _ONLY_OR.match(item.text):  # 'OR' as an item of its own: the items either side of it
            out.update(_either_side(items, i))
        if not _ENDS_WITH_OR.search(item.text):
            continue
        nxt = next((j for j in range(i + 1, len(items)) if items[j].depth <= item.depth), None)
        if nxt is not None and items[nxt].kind == item.kind and items[nxt].parent == item.parent:
            out.update((i, nxt))
    for sexes in by_sex.values():
        if len(sexes) == 2:
            out.update(sexes["male"] + sexes["female"])
    return out


# a footnote marker after a word of an item ('Known HIV infection*', 'Platelets >= 100,000/mm3†') and a note that starts
# with it (an item, a line or a sentence of its own: '* Part A only', '† Patients on stable antiretroviral therapy are
# eligible', 'NOTE: *No dose increase ...'): the note may narrow, widen or turn the item, which the draft does not read
_MARKED = re.compile(r"(?<=[\w)%])(?P<m>\*{1,3}|[†‡§¶])(?=[\s,.;:)]|$)")
_MARKS = "*†‡§¶"
_NOTE = re.compile(r"(?:^|\n|\bNOTE:\s*|[.;]\s+)\W{0,2}?(?P<m>\*{1,3}|[†‡§¶])\s*[A-Za-z]", re.IGNORECASE)


def _footnoted(items: list[Item]) -> dict[int, str]:
    """The indexes of items that carry a footnote marker the record gives a note for in another item (a note in the
    item's own text is read with it), with the marker."""
    marked = [any(c in i.text for c in _MARKS) for i in items]  # a cheap first look for a marker's character
    if not any(marked):
        return {}
    notes = [{m.group("m") for m in _NOTE.finditer(i.text)} if k else set() for i, k in zip(items, marked, strict=True)]
    out: dict[int, str] = {}
    for n, item in enumerate(items):
        if not marked[n]:
            continue
        marker = next((m.group("m") for m in _MARKED.finditer(item.text) if m.group("m") not in notes[n]
                       and any(m.group("m") in own for own in notes)), None)
        if marker is not None:
            out[n] = marker
    return out


# an item labelled with a group of participants ('Healthy volunteers: age 18 to 45 years', 'People with asthma: ...'): with
# another group's label in the same list, each is that group's requirement, not every participant's
_PEOPLE_LABEL = re.compile(r"^\W*(?P<label>(?:[\w-]+\s+){0,3}?(?:participants?|patients?|subjects?|volunteers?|controls?|"
                           r"women|men|children|adults|adolescents|infants|donors?|recipients?|caregivers?|cases|people)"
                           r"(?:\s+(?:with|without|on|of|in)\s+[\w\s-]{1,30}?)?)\s*:",
                           re.IGNORECASE)


# a label of one sex or of childbearing potential ('Female subjects of childbearing potential:'): the recognisers read
# it with the requirement (a negative pregnancy test of women), and the label of the other sex is no other group's
_SEX_LABEL = re.compile(r"\b(?:(?:fe)?males?|women|men|boys|girls)\b|child-?bearing|reproductive|menopaus", re.IGNORECASE)


def _group_labelled(items: list[Item]) -> dict[int, str]:
    """The indexes of items labelled with a group of participants (not of one sex: `_SEX_LABEL`), where another item of
    their list (same section, parent and subgroup) is labelled with another group, with the label."""
    labels: dict[tuple[str, str | None, str | None], dict[int, str]] = {}
    for n, item in enumerate(items):
        m = _PEOPLE_LABEL.match(item.text) if ":" in item.text[:80] else None  # a cheap first look for the label's colon
        if m is not None and not _SEX_LABEL.search(m.group("label")):
            labels.setdefault((item.kind, item.parent, item.group), {})[n] = m.group("label").lower()
    return {n: label for found in labels.values() if len(set(found.values())) > 1 for n, label in found.items()}


# an item that makes exceptions to another criterion of its section, by its number ('Exceptions to criterion 7:',
# 'Exceptions for exclusion 3:', 'Exemptions from item 4:')
_EXCEPTS_ANOTHER = re.compile(r"\b(?:exceptions?|exemptions?)\s+(?:to|for|from|of)\s+(?:(?:the\s+)?(?:exclusion|inclusion)\s+)?"
                              r"(?:criteri(?:on|a)|items?|numbers?|no\.?|#)?\s*#?(?P<n>\d{1,3})\b", re.IGNORECASE)


def _excepted(items: list[Item]) -> dict[int, str]:
    """The indexes of items another item of their section makes exceptions to by number, with that item's words."""
    out: dict[int, str] = {}
    for item in items:
        low = item.text.lower()  # a cheap first look for the words it needs
        m = _EXCEPTS_ANOTHER.search(item.text) if "xempt" in low or "xcept" in low else None
        if m is None:
            continue
        target = next((n for n, other in enumerate(items)
                       if other is not item and other.kind == item.kind and other.number == m.group("n")), None)
        if target is not None:
            out[target] = m.group(0)
    return out


# an inclusion item that opens with a range of a measure ('BMI 30-40 kg/m2', 'Age 18-30 years'): two of one list whose
# ranges of the same measure no one is in together are each one group's (obese and lean volunteers), not everyone's
_OPENING_RANGE = re.compile(r"^\W*(?P<name>[A-Za-z][\w/-]*(?:\s+[A-Za-z][\w/-]*){0,2}?)\s*:?\s*(?:of\s+|between\s+|from\s+)?"
                            r"(?P<lo>\d+(?:\.\d+)?)\s*(?:-|\u2013|to|and)\s*(?P<hi>\d+(?:\.\d+)?)\s*(?P<unit>[^\s,;.()]*)")


def _disjoint_ranges(items: list[Item]) -> dict[int, str]:
    """The indexes of inclusion items opening with a range of a measure that another item of their list (same parent
    and subgroup) gives a range of, in the same unit, that does not meet it, with the measure's name."""
    ranges: dict[tuple[str | None, str | None, str], list[tuple[int, float, float, str]]] = {}
    for n, item in enumerate(items):
        m = _OPENING_RANGE.match(item.text) if item.kind == "inclusion" else None
        if m is not None:
            lo, hi = sorted((float(m.group("lo")), float(m.group("hi"))))
            ranges.setdefault((item.parent, item.group, m.group("name").lower()), []).append(
                (n, lo, hi, m.group("unit").lower()))
    out: dict[int, str] = {}
    for (_, _, name), found in ranges.items():
        for i, (n, lo, hi, unit) in enumerate(found):
            for k, lo2, hi2, unit2 in found[i + 1:]:
                if (no_value_meets_both(lo2, False, hi, False) or no_value_meets_both(lo, False, hi2, False)) \
                        and (unit == unit2 or not unit or not unit2):
                    out[n] = out[k] = name
    return out


def set_apart_items(items: list[Item]) -> dict[int, str]:
    """The indexes of items the rest of the record sets apart from entry criteria for every participant, with why: a
    footnote marker whose note is elsewhere, a label for one group of participants among others, exceptions made to it
    by another item, a range of a measure another item gives a range of that does not meet it."""
    out = {n: f"the item carries a footnote marker ('{m}') whose note in the record may change what it means"
           for n, m in _footnoted(items).items()}
    for n, label in _group_labelled(items).items():
        out.setdefault(n, f"the item is labelled for one group of participants ('{label}') among others in its list")
    for n, name in _disjoint_ranges(items).items():
        out.setdefault(n, f"another item of its list gives a range of {name} that does not meet this one: no one is in "
                          "both, each is one group's (or an alternative), not every participant's")
    for n, words in _excepted(items).items():
        out.setdefault(n, f"another item makes exceptions to it ('{words}')")
    return out


# an item that lets patients keep a treatment during the study ('Concurrent imatinib for CML allowed',
# 'Concomitant hormonal therapy is permitted'): the record's windows of antineoplastic agents
# ('At least 4 weeks since prior chemotherapy') may not count it, and whether it is one is the
# protocol's: they are left for review
_KEPT = re.compile(r"^\W*(?:concurrent|concomitant|ongoing)\s+[^.;]{1,60}?\b(?:allowed|permitted)\b", re.IGNORECASE)


def kept_treatment(items: list[Item]) -> str | None:
    """The first item of the record that lets patients keep a treatment (see `_KEPT`), shortened."""
    return next((" ".join(i.text.split())[:60] for i in items if _KEPT.search(i.text)), None)


def _unless_kept(findings: list[Finding], kept: str | None) -> list[Finding]:
    if kept is None:
        return findings
    why = f"the record lets patients keep a treatment ('{kept}') that may be one of them"
    return [replace(f, when=None, reading=f"recognised {f.reading.split(';')[0]}, but {why}")
            if f.when is not None and "antineoplastic_agents" in f.value_sets else f for f in findings]


def _not_entry(item: Item, alternative: bool, apart: str | None = None) -> str | None:
    """Why nothing the item states is required for entry into the trial, or None: it is one of
    alternatives between items, under a heading for a later step or one part of the trial or for someone other than
    the participant ('Donor exclusion criteria:'), it withholds one procedure of the study, or it is labelled for one
    part or group only."""
    if alternative:  # one of alternatives between items: nothing in it is required alone
        return _ALTERNATIVE
    if item.stage:
        return f"the item is under a heading for a later step or one part of the trial ('{item.stage}'), not entry into it"
    if apart is not None:  # the rest of the record sets it apart (`set_apart_items`)
        return apart
    if item.whose:
        return (f"the item is under a heading for someone other than the participant or for one group of the participants "
                f"('{item.whose}'), not every participant's")
    withheld = _WITHHELD.search(item.text) if may_withhold(item.text) else None
    if withheld:
        return f"the item withholds one procedure of the study ('{withheld.group(0)}'), not entry into it"
    label = _ONE_PART_LABEL.match(item.text)
    if label:
        return f"the item is for one part or group of the study only ('{label.group(0).strip()}'), not for every participant"
    enrols = next((m for lead in (item.group or "", *item.ancestors) if (m := _ENROLS.search(lead))
                   and not _EXCLUDES.search(lead)), None) if item.kind == "exclusion" else None
    if enrols:
        return (f"the item's lead-in says who is enrolled ('{enrols.group(0)}') under the exclusion heading: "
                "whether it includes or excludes is not read")
    excludes = next((m for lead in (item.group or "", *item.ancestors)
                     if may_name(lead, _EXCLUDING_WORDS) and (m := _EXCLUDING_LEAD_IN.search(lead))), None) \
        if item.kind == "inclusion" else None
    if excludes:
        return (f"the item's lead-in excludes the people it lists ('{excludes.group(0)}') under the inclusion heading: "
                "whether it includes or excludes is not read")
    return None


# a lead-in that excludes the people it lists ('Patients are excluded if any of the following apply:', 'Exclusion
# criteria:'), met inside an inclusion item or as the lead-in of items under the Inclusion heading
_EXCLUDING_LEAD_IN = re.compile(r"\b(?:(?:are|is|will\s+be|shall\s+be)\s+(?:excluded|ineligible|not\s+eligible)|"
                                # what bars a participant, listed after its colon ('Contraindications to MRI: pacemaker,
                                # HIV infection')
                                r"exclusion\s+criteria|contra-?\s?indications?)\b[^.;:]{0,60}[:]|\bexclusions?\s*:|\b(?:are|is|will\s+be|shall\s+be)\s+"
                                r"(?:excluded|ineligible|not\s+eligible)\s+if\b", re.IGNORECASE)
_EXCLUDING_WORDS = ("exclu", "eligib", "contra")  # a word every match of _EXCLUDING_LEAD_IN contains (a first look)


def _after_an_excluding_lead_in(item: Item, findings: list[Finding]) -> list[Finding]:
    """In an inclusion item, the definitions after a lead-in that excludes ('..., ECOG 0-2. Patients are excluded if
    any of the following apply: pregnancy; known HIV infection'): left for review, since they would be drafted as
    requirements."""
    lead = _EXCLUDING_LEAD_IN.search(item.text) if item.kind == "inclusion" and may_name(item.text, _EXCLUDING_WORDS) \
        else None
    if lead is None:
        return findings
    why = f"it comes after a lead-in that excludes ('{lead.group(0).strip()}') inside an inclusion item"
    return [replace(f, when=None, reading=f"recognised {f.reading.split(';')[0]}, but {why}")
            if f.when is not None and f.start >= lead.start() else f for f in findings]


# a refusal right after what an inclusion names ('Knee osteoarthritis, HIV infection excluded', '... (hepatitis B
# ruled out)', 'Pregnant women are not allowed'): what is named turns patients away, not a requirement
_RULED_OUT_AFTER = re.compile(r"(?:\s+[\w-]+){0,2}?\s*(?:(?:is|are|was|were|must\s+be|should\s+be|has\s+been|have\s+been|"
                              r"being|will\s+be)\s+)?(?:excluded|ruled\s+out|not\s+(?:allowed|permitted|eligible|accepted))\b",
                              re.IGNORECASE)


def _ruled_out_in_an_inclusion(item: Item, findings: list[Finding]) -> list[Finding]:
    """In an inclusion item, a definition that is not negated with a refusal right after it: left for review, since it
    would be drafted as a requirement."""
    lower = item.text.lower()
    if item.kind != "inclusion" or not any(w in lower for w in ("exclu", "ruled", "not")):
        return findings
    out = []
    for f in findings:
        refused = _RULED_OUT_AFTER.match(item.text, f.end) if f.when is not None and "not" not in f.when else None
        out.append(f if refused is None else replace(
            f, when=None, reading=f"recognised {f.reading.split(';')[0]}, but the inclusion refuses it "
                                  f"('{refused.group(0).strip()}'): it would be drafted as a requirement"))
    return out


# a lead-in that enrols the people it lists ('Women who meet the following criteria will be enrolled:', 'Patients
# are eligible if:'): under an Exclusion heading its items are not exclusions (an inclusion list copied there)
_ENROLS = re.compile(r"\b(?:will|may|can|shall|must)\s+be\s+(?:enrolled|included|eligible|recruited|randomi[sz]ed)\b|"
                     r"\b(?:are|is)\s+eligible\b|\bqualify\s+(?:for|if)\b", re.IGNORECASE)
_EXCLUDES = re.compile(r"\bexclu|\bineligible\b|\bnot\b", re.IGNORECASE)


def _says_more(rest: str, blockers: list[Finding]) -> bool:
    """Something recognised cannot be computed, or more than a word is left that no recogniser read."""
    return bool(blockers) or len(rest.split()) > MAX_RESIDUAL_WORDS


# the words an item may keep outside its drafted spans: how the requirement is said, not a requirement of its own
# ('Able to give informed consent', 'Age 18 to 65, inclusive', 'Active hepatitis B', 'Cardiac ejection fraction')
_LEFT_OVER = frozenset("""
inclusive inclusively exclusive active able capable ability willing who entry diagnosis diagnosed participation
participating participated adult adults screen screened registration enrollment enrolment enrolled start starting
sufficient adequate period obtained form evaluation consent allocation randomization randomisation baseline clinical
clinically resting seropositive seronegative reactive aminotransferase aminotransferases transaminase transaminases
confirmed cardiac chronic mothers mother infant infants child children exposure receipt treatment administration
signing signed written provide providing give giving subjects volunteers level concentration measured estimated
calculated determined defined critical cause causes illness short limited refusal refuse refuses refused refusing
unwilling unwillingness failure failed fails failing""".split())


def _says_nothing_more(word: str) -> bool:
    """A word left over that adds no requirement: in `_LEFT_OVER`, an item label ('SE', 's') or an acronym glossing a
    name ('... transplant (HSCT)')."""
    return word.lower() in _LEFT_OVER or len(word) <= 2 or (word.isupper() and len(word) <= 6)


# an item that ends by leading in to its exceptions ('Known HIV infection. Exceptions:', 'Prior malignancy, unless:'): the
# items or lines after it narrow what it states
_EXCEPTIONS_FOLLOW = re.compile(r"\b(?:except(?:ions?)?|exemptions?|unless|other\s+than|excluding|with\s+the\s+exceptions?\s+"
                                r"of|but\s+not|not\s+including|apart\s+from)\s*(?:\([^)]{0,40}\))?\s*:\s*$", re.IGNORECASE)


def _findings(item: Item, record: RecordFacts, alternative: bool, kept: str | None, apart: str | None = None,
              one_of_groups: bool = False) -> list[Finding]:
    """What the recognisers find in the item, each definition left for review where the record keeps a treatment,
    where it comes after a lead-in that excludes inside an inclusion item, where nothing in the item is required
    for entry (`_not_entry`), or where its exceptions are listed after it (`_EXCEPTIONS_FOLLOW`)."""
    findings = _a_procedure_restricted(item, _ruled_out_in_an_inclusion(
        item, _after_an_excluding_lead_in(item, _unless_kept(recognise(item_text(item, record, one_of_groups)), kept))))
    exceptions = _EXCEPTIONS_FOLLOW.search(item.lines[0]) if item.lines[0].rstrip().endswith(":") else None
    why = _not_entry(item, alternative, apart) or (
        None if exceptions is None else f"its exceptions are listed after it ('{exceptions.group(0).strip()}')")
    if why is None:
        return findings
    return [f if f.when is None else replace(f, when=None, reading=f"recognised {f.reading}, but {why}")
            for f in findings]


def draft_item(item: Item, document: str, ids: set[str],
               record: RecordFacts = RecordFacts(),
               alternative: bool = False, kept: str | None = None, apart: str | None = None,
               one_of_groups: bool = False) -> ItemDraft:
    """The item's criteria; their ids are added to `ids`. Definitions that account for the whole
    item keep their recogniser's confidence; when the item says more (a rest not recognised,
    something recognised that cannot be computed, a threshold or a list member no definition reads), they are
    drafted at most at 0.6, and a review criterion with the same text says what is left."""
    prefix, source = _prefix(item), _source(item, document)
    findings = _findings(item, record, alternative, kept, apart, one_of_groups)
    drafted = [f for f in findings if f.when is not None]
    blockers = [f for f in findings if f.when is None or f.leaves]  # a definition that leaves part of its item
    rest = residual(item.text, findings, _window_anchors(item.text, drafted))
    says_more = _says_more(rest, blockers)
    unread = None if says_more else _unread(item.text, findings)
    # one word left over may be a requirement of its own ('Immunocompromised individuals (including HIV infection)'):
    # only words that say nothing more than the definitions, an item label or an acronym may be left
    partial = says_more or unread is not None or not all(_says_nothing_more(w) for w in rest.split())
    criteria = [_definition(f, item, prefix, source, ids, partial) for f in drafted]
    value_sets = [vs for f in drafted for vs in f.value_sets]
    if drafted and not partial:
        return ItemDraft(criteria, Outcome.DRAFTED, len(drafted), value_sets)
    reason = _review_reason(item.text, rest, [c["id"] for c in criteria], blockers, unread)
    criteria.append({"id": unique_id(f"{prefix}_{slug(rest if drafted else item.text)}", ids), "kind": item.kind,
                     "text": item.text, "source": dict(source), "review": reason})
    return ItemDraft(criteria, Outcome.PARTLY if drafted else Outcome.REVIEW, len(drafted), value_sets)


# the long patterns searched for in whole items, each with a look at the characters its matches start with ahead of
# it (`with_first_look`: the same matches, found faster)
_WITHHELD, _EXCLUDING_LEAD_IN, _RESTRICTED = map(with_first_look, (_WITHHELD, _EXCLUDING_LEAD_IN, _RESTRICTED))
