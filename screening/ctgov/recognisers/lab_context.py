"""Lab thresholds read together with the rest of their item: the window of a list and the support
a value must be got without.

* A window written once after the last threshold of a list ('ANC ≥ 1500/mm3, platelets ≥
  100,000/mm3 within 14 days', '..., all within 21 days before the first dose') dates every value
  of the list: screening labs are drawn together, and a coordinator reads it so. Each is drafted
  with the window, at confidence 0.7, and the reading says where the window was read.
* A value beside another whose window is its own (in the middle of the list, or in another
  clause or sentence) may or may not be meant by that window: it is drafted without one, below
  0.8, and the reading says so.
* A value nested under a lead-in that states one window and no value of its own ('Normal organ
  function measured within 14 days prior to treatment:' over 'Haemoglobin ≥ 10 g/dL') is dated
  by it, at confidence 0.7; a value with a window of its own keeps it.
* One analyte bounded twice the same way in one item ('creatinine clearance > 60 mL/min for
  cisplatin; > 50 mL/min for carboplatin', 'ANC < 1500 before cycle 1 or < 1000 later'): each
  bound holds under its own condition, so neither is drafted, nor any other value of the item
  (left for review, with the reason).
* A value required without transfusion or growth-factor support ('Hb ≥ 10 g/dL without
  transfusion within 14 days', 'ANC ≥ 1500/μL unsupported by growth factors') is not computable
  from the value alone: the threshold is drafted at 0.6, and the item keeps a review criterion
  that names the support. A value that may be reached by one ('(may be transfused)',
  'transfusion allowed', 'with or without transfusion') is the latest value, as drafted.
"""

from __future__ import annotations

import re
from dataclasses import replace

from screening.ctgov.recognisers.base import Finding, ItemText, sentence_of
from screening.ctgov.recognisers.labs import NO_WINDOW, SUPPORT, latest_specs, recognise_labs
from screening.ctgov.recognisers.permissions import SUPPORT_PERMITTED
from screening.ctgov.windows import Window, windows

_LISTED = re.compile(r"[\s,]*(?:(?:and|or|and/or)\s+)?", re.IGNORECASE)  # between two members of a list
# what may come between a list's last threshold and a window that dates all of it
_FOR_ALL = re.compile(r"[\s,()]*(?:(?:all|each|both|values?|labs?|results?|tests?|obtained|drawn|measured|performed|done|"
                      r"collected|taken|must\s+be|should\s+be|to\s+be|are|were|be)\b[\s,()]*)*", re.IGNORECASE)
_ALL = re.compile(r"\b(?:all|each|both)\b", re.IGNORECASE)
# the words that say the value is got without the support ('without', 'not requiring', 'unsupported by')
_SUPPORT_NEGATED = re.compile(r"\b(?:without|no|not|non|independent\s+of|unsupported\s+by|free\s+(?:of|from)|"
                              r"absence\s+of|despite)\b[^,;()]*", re.IGNORECASE)
_CONFIDENCE_UNDATED = 0.7
_CONFIDENCE_SUPPORTED = 0.6


def _dated(f: Finding) -> str | None:
    """The window of the finding's values (one for all), or None when it has none."""
    durations = {s.get("within") for s in latest_specs(f.when)}
    return next(iter(durations)) if len(durations) == 1 and None not in durations else None


def _chains(item: ItemText, found: list[Finding]) -> list[list[Finding]]:
    """The drafted findings in lists: members joined by a comma, 'and' or 'or' alone, in text order."""
    chains: list[list[Finding]] = []
    for f in sorted((f for f in found if f.when is not None), key=lambda f: f.start):
        prev = chains[-1][-1] if chains else None
        if prev is not None and f.start >= prev.end \
                and _LISTED.fullmatch(item.text[prev.end:f.start]):
            chains[-1].append(f)
        else:
            chains.append([f])
    return chains


def _window_after(item: ItemText, last: Finding) -> Window | None:
    """A window right after the last member of a list, past words that say it is for all of them."""
    _, e = sentence_of(item.text, last.start)
    rest = item.text[last.end:e]
    return next((w for w in windows(rest) if _FOR_ALL.fullmatch(rest[:w.start]) and not SUPPORT.search(rest[:w.start])),
                None)


def _for_all(item: ItemText, chains: list[list[Finding]]) -> list[list[Finding]]:
    """One list of every value, when the window after the last says it is for all ('WBC ≥ 3,000/µL;
    ANC ≥ 1,500/µL; hemoglobin ≥ 9 g/dL, all within 14 days') and no other value has its own."""
    last = chains[-1][-1]
    window = _window_after(item, last)
    if len(chains) < 2 or window is None or any(_dated(f) for c in chains for f in c) \
            or not _ALL.search(item.text, last.end, last.end + window.start):
        return chains
    return [[f for c in chains for f in c]]


def _dated_list(item: ItemText, chain: list[Finding]) -> list[Finding]:
    """The members of a list dated by the window after its last one (already read, or read here)."""
    last = chain[-1]
    if any(_dated(f) for f in chain[:-1]):  # a window in the middle of the list is its member's own
        return chain
    duration = _dated(last)
    end = last.end
    if duration is None:
        window = _window_after(item, last)
        if window is None:
            return chain
        duration, end = window.duration, last.end + window.end
    said = f"; the latest value within {duration}, the window stated at the end of the list"
    out = []
    for f in chain:
        when = f.when
        for spec in latest_specs(when):
            spec["within"] = duration
        reading = f.reading.replace(NO_WINDOW, said) if NO_WINDOW in f.reading else f.reading
        stop = end if f is last else f.end
        out.append(replace(f, when=when, reading=reading, confidence=min(f.confidence, _CONFIDENCE_UNDATED),
                           end=stop, span=item.text[f.start:stop].strip()))
    return out


def _other_window(item: ItemText, f: Finding, found: list[Finding]) -> str | None:
    """A window the item states that may date the value of `f` but is not read as its: another
    value's, or one in its sentence or in the item's lead-in ('Laboratory values within 14 days: ...')
    that no finding reads."""
    dated = next((d for d in (_dated(g) for g in found if g is not f) if d), None)
    if dated:
        return f"a window is stated for another value of the item ({dated})"
    if f.slug == "temperature":  # a window beside a temperature is its fever's ('or fever in the last 24 hours')
        return None
    s, e = sentence_of(item.text, f.start)
    lead = item.text.find(":", 0, f.start)
    for w in windows(item.text):
        read = any(g.start <= w.start and w.end <= g.end for g in found)
        if not read and (s <= w.start < e or w.end <= lead):
            return f"the item states a window ({w.duration}) not read as this value's"
    return None


def _undated_beside(item: ItemText, found: list[Finding]) -> list[Finding]:
    """Undated values beside a window they may be meant by: drafted below 0.8, with the reason."""
    out = []
    for f in found:
        why = None if f.when is None or any(s.get("within") for s in latest_specs(f.when)) \
            else _other_window(item, f, found)
        if why:
            f = replace(f, confidence=min(f.confidence, _CONFIDENCE_UNDATED), reading=f"{f.reading}; {why}: it may date "
                                                                                        "this one too")
        out.append(f)
    return out


def _support_clause(text: str, m: re.Match[str], s: int, e: int) -> tuple[int, int]:
    """The clause of a support mention: between commas, semicolons or brackets, in its sentence."""
    start = max([s, *(text.rfind(c, s, m.start()) + 1 for c in ",;(")])
    stop = min([e, *(i for i in (text.find(c, m.end(), e) for c in ",;)") if i != -1)])
    return start, stop


def _supported(item: ItemText, f: Finding) -> Finding:
    """A value required without transfusion or growth-factor support, or conditioned on it
    ('despite transfusion'): not computable from the value. A clause that allows the support
    ('(may be transfused)', 'transfusion allowed') makes no condition."""
    if f.when is None:
        return f
    s, e = sentence_of(item.text, f.start)
    for m in SUPPORT.finditer(item.text, s, e):
        start, stop = _support_clause(item.text, m, s, e)
        if SUPPORT_PERMITTED.search(item.text, start, stop):
            continue
        negated = _SUPPORT_NEGATED.search(item.text, start, m.start())
        start = negated.start() if negated else max(start, f.end if f.end <= m.start() else start)
        phrase = item.text[start:stop].strip(" .,")
        why = f"requires the value got '{phrase}', which the value alone does not show"
        return replace(f, confidence=min(f.confidence, _CONFIDENCE_SUPPORTED), leaves=why,
                       reading=f"{f.reading}; the item {why}")
    return f


def _lead_in(item: ItemText, f: Finding) -> Finding:
    """An undated value nested under a lead-in that states one window and no value of its own
    ('Normal organ function measured within 14 days prior to ...:' over 'Haemoglobin ≥ 10 g/dL'):
    the latest value within that window, below 0.8. A lead-in that names a support the value is got
    without ('without transfusion within 14 days') leaves the value below 0.8 with the reason."""
    if f.when is None or not item.ancestors or any(s.get("within") for s in latest_specs(f.when)):
        return f
    parent = item.ancestors[-1]
    stated = windows(parent)
    if len({w.duration for w in stated}) != 1 or any(g.when for g in recognise_labs(ItemText(parent, item.kind))):
        return f
    if SUPPORT.search(parent):
        why = f"the lead-in '{parent[:60]}' names a support the value may have to be got without"
        return replace(f, confidence=min(f.confidence, _CONFIDENCE_SUPPORTED), leaves=why, reading=f"{f.reading}; {why}")
    duration = stated[0].duration
    when = f.when
    for spec in latest_specs(when):
        spec["within"] = duration
    said = f"; the latest value within {duration}, the window stated in the lead-in it is nested under"
    reading = f.reading.replace(NO_WINDOW, said) if NO_WINDOW in f.reading else f.reading + said
    return replace(f, when=when, reading=reading, confidence=min(f.confidence, _CONFIDENCE_UNDATED))


def _sides(f: Finding) -> set[tuple[str, str]]:
    """(analyte, 'low' or 'high') for each bound of the finding's values."""
    return {(spec["code"], "low" if op in ("ge", "gt") else "high")
            for spec in latest_specs(f.when) for op in ("ge", "gt", "le", "lt") if op in spec}


def _bounded_twice(item: ItemText, found: list[Finding]) -> list[Finding]:
    """Two findings that bound one analyte the same way ('creatinine clearance > 60 mL/min for
    cisplatin; > 50 mL/min for carboplatin'): one of them holds under a condition (a drug, a regimen,
    a time), so neither is drafted."""
    drafted = [f for f in found if f.when is not None and f.start < item.notes_start]  # a note may add a case
    twice = {side for i, f in enumerate(drafted) for g in drafted[i + 1:] for side in _sides(f) & _sides(g)}
    if not twice:
        return found
    code = sorted(c for c, _ in twice)[0].replace("_", " ")
    # the other values of the item go with them: how they join the conditional ones is not read
    return [f if f.when is None else
            replace(f, when=None, reading=f"{f.reading}; the item bounds {code} twice the same way: each bound holds "
                                          "under its own condition, left for review") for f in found]


def recognise_labs_in_context(item: ItemText) -> list[Finding]:
    """`recognise_labs`, with the windows of lists and lead-ins and the support a value is got
    without read."""
    found = recognise_labs(item)
    if not any(f.when is not None for f in found):
        return found
    drafted = [g for chain in _for_all(item, _chains(item, found)) for g in _dated_list(item, chain)]
    found = _undated_beside(item, sorted([f for f in found if f.when is None] + drafted, key=lambda f: f.start))
    return _bounded_twice(item, [_supported(item, _lead_in(item, f)) for f in found])
