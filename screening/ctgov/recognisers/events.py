"""Events with a time window: a medication, condition or study participation followed, in the same
clause, by a window ('chemotherapy within 28 days', 'another clinical trial in the past 6 months')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from screening.ctgov.recognisers.base import Finding, ItemText
from screening.ctgov.value_sets import LOCAL_VALUE_SETS
from screening.ctgov.windows import Window, windows


@dataclass(frozen=True)
class Event:
    slug: str
    pattern: re.Pattern[str]
    record: str  # the record kind the definition reads: participation | medication | condition
    codes: tuple[str, ...]  # value sets of the medication or condition
    confidence: float


def _event(slug: str, pattern: str, record: str, codes: tuple[str, ...], confidence: float) -> Event:
    return Event(slug, re.compile(pattern, re.IGNORECASE), record, codes, confidence)


EVENTS: list[Event] = [
    _event("trial_participation", r"investigational\s+(?:drug|agent|product|therap|study|device|medicin)|"
                                  r"(?:another|other)\s+(?:clinical\s+)?(?:trial|study)|clinical\s+(?:trial|study)",
           "participation", (), 0.6),
    _event("corticosteroids", r"\b(?:cortico)?steroids?\b", "medication", ("systemic_corticosteroids",), 0.6),
    _event("immunosuppressants", r"immunosuppressive\s+(?:medication|therap|drug|agent)", "medication",
           ("immunosuppressive_therapy", "systemic_corticosteroids"), 0.6),
    _event("chemotherapy", r"chemotherapy|cytotoxic\s+therap", "medication", ("antineoplastic_agents",), 0.6),
    _event("vaccine", r"\b(?:any\s+)?vaccines?\b(?!\s+study)", "medication", ("vaccines",), 0.6),
    _event("malignancy", r"(?<![\w-])(?:cancer|malignan(?:cy|cies|t))\b(?!\s*(?:antibod|therap|drug|agent|vaccine))",
           "condition", ("malignancy",), 0.5),
]
_WINDOW_WITHIN = 80  # characters from the event's mention to its window
_SCREENING_DATE = " before the screening date (the record's reference point is read as the screening date)"


def _window_after(text: str, mention_end: int, wins: list[Window]) -> Window | None:
    """The first window after the mention in the same clause (no ';' or '.' between, 'e.g.' aside),
    at most 80 characters away."""
    for w in wins:
        between = text[mention_end:w.start]
        if 0 <= w.start - mention_end <= _WINDOW_WITHIN and ";" not in between \
                and "." not in between.replace("e.g.", ""):
            return w
    return None


def _definition(event: Event, window: str) -> tuple[dict[str, Any], str]:
    if event.record == "participation":
        return ({"participation": {"within": window}},
                f"participation in another study overlapping the last {window}")
    code: Any = event.codes[0] if len(event.codes) == 1 else list(event.codes)
    return ({event.record: {"code": code, "within": window}},
            f"a {event.record} record ({', '.join(event.codes)}) overlapping the last {window}")


def _event_finding(event: Event, text: str, wins: list[Window]) -> Finding | None:
    """The event's first mention that has a window after it."""
    for m in event.pattern.finditer(text):
        window = _window_after(text, m.end(), wins)
        if window is None:
            continue
        when, reading = _definition(event, window.duration)
        return Finding(event.slug, when, text[m.start():window.end], event.confidence, reading + _SCREENING_DATE,
                       m.start(), window.end, [c for c in event.codes if c in LOCAL_VALUE_SETS])
    return None


def recognise_events(item: ItemText) -> list[Finding]:
    """At most one finding per kind of event."""
    wins = windows(item.text)
    if not wins:
        return []
    return [f for event in EVENTS if (f := _event_finding(event, item.text, wins)) is not None]
