"""The time windows a definition is drafted with, and what its item says around them that `qualifiers` asks of
every definition: an event joined to something else between its mention and its window, or after it ('allogeneic
transplant with chronic GVHD within 1 year', 'chemotherapy within 3 weeks and not recovered ...'); a window counted
from another event than the study's ('in the 3 years preceding the stroke'); a latest value's window counted from a
past event ('within 6 months before the diagnosis')."""

from __future__ import annotations

import json
import re

from screening.ctgov.recognisers.base import Finding, ItemText
from screening.ctgov.recognisers.labs import latest_specs
from screening.ctgov.windows import Window, from_another_event, windows

# what joins an event's mention to something else before its window ('allogeneic transplant with GVHD within 6
# months', 'malignancy with recurrence in the last 2 years', 'HSCT complicated by graft failure within 1 year'): the
# window may date that other thing, and only both together exclude (not 'with an investigational product', nor
# 'with or without ...')
_JOINED_BEFORE_WINDOW = re.compile(r"\b(?:with(?!\s+or\s+without\b)(?!\s+(?:an?\s+|any\s+)?(?:investigational|experimental|"
                                   r"study)\b)"
                                   # (nor an exception: 'Cancer (with the exception of skin cancer) within 5 years')
                                   r"(?!\s+the\s+(?:exception|notable\s+exception)\b)"
                                   # (nor what the event is done with: 'Vaccination with any vaccine within 2 weeks')
                                   r"(?!\s+(?:an?\s+|any\s+)?(?:[\w-]+\s+){0,2}?(?:vaccines?|drugs?|medications?|medicines?|"
                                   r"agents?|products?|therap(?:y|ies)|treatments?)\b)|"
                                   r"complicated\s+by|followed\s+by|resulting\s+in|leading\s+to|causing)\b",
                                   re.IGNORECASE)
# ... or after its window (past the point it is counted from): 'Chemotherapy within 4 weeks and not recovered from
# its side effects', '..., with unresolved toxicity', '... without recovery from adverse events'
_JOINED_AFTER_WINDOW = re.compile(r"(?:\s+(?:before|prior\s+to|preceding|of|from)\s+(?:[\w-]+\s+){0,5}?[\w-]+)?\s*,?\s*"
                                  r"(?:(?:with|and|but)\s+(?:(?:has|have|had|is|are|was|were)\s+)?(?:not|unresolved|"
                                  r"persistent|ongoing|residual|incomplete|still)\b|without\s+(?:(?:full|complete|adequate)"
                                  r"\s+)?recover)", re.IGNORECASE)


def _window_read(text: str, f: Finding, s: int, e: int) -> Window | None:
    """The window a definition with `within:` reads in its sentence: the first of its duration from the definition
    on, or else the last one before it ('Recent (within 30 days) use of ...'); None for a latest measured value."""
    if latest_specs(f.when or {}):
        return None
    drafted = json.dumps(f.when)
    wins = [w for w in windows(text) if s <= w.start < e and f'"within": "{w.duration}"' in drafted]
    after = [w for w in wins if w.start >= f.start]
    read = after[:1] or wins[-1:]
    return read[0] if read else None


def joined_around_its_window(item: ItemText, f: Finding, s: int, e: int) -> str | None:
    """In an exclusion, an event or condition with a window joined to something else between its mention and the
    window, or after the window: only both together exclude."""
    if item.kind != "exclusion" or '"participation"' in json.dumps(f.when):
        return None
    w = _window_read(item.text, f, s, e)
    if w is None:
        return None
    joined = _JOINED_BEFORE_WINDOW.search(item.text, f.start, w.start) if f.start < w.start else None
    joined = joined or _JOINED_AFTER_WINDOW.match(item.text, w.end, e)
    if joined is None:
        return None
    return f"the sentence joins it to something else ('{joined.group(0).strip()} ...'): only both together exclude"


def window_from_another_event(text: str, f: Finding, s: int, e: int) -> str | None:
    """A window the definition reads, counted in its sentence from another event than a point of the study
    ('Malignancy within 5 years of the diagnosis', 'chemotherapy within 4 weeks before surgery'): the
    definition counts it back from the screening date. The window read is the first of its duration from the
    definition on, or else the last one before it ('Recent (within 30 days) use of ...'). A latest measured value
    so dated ('Haemoglobin ... within 14 days before surgery') is a recent one: read."""
    read = _window_read(text, f, s, e)
    anchor = from_another_event(text, read) if read is not None else None
    if anchor is None:
        anchor = past_anchor_of_a_value(text, f, s, e)
    return None if anchor is None else f"its window is counted from another event than the study's ('{anchor}'), " \
                                       "not from the screening date"


# an event a latest value's window may be counted from that is past before screening, never a point still to come as
# a surgery may be ('Creatinine ... within 6 months before the diagnosis', '... before symptom onset')
_PAST_ANCHOR = re.compile(r"\b(?:diagnos[ie]s|onset|symptoms?|birth|conception|menarche|menopause|attacks?)\b", re.IGNORECASE)


def past_anchor_of_a_value(text: str, f: Finding, s: int, e: int) -> str | None:
    """The window of a latest measured value counted from a past event ('within 6 months before the diagnosis'); else
    None."""
    drafted = json.dumps(f.when)
    if not latest_specs(f.when or {}) or '"within"' not in drafted:
        return None
    for w in windows(text):
        if s <= w.start < e and f'"within": "{w.duration}"' in drafted:
            anchor = from_another_event(text, w)
            if anchor is not None and _PAST_ANCHOR.search(anchor):
                return anchor
    return None
