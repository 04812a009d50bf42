"""What a patient's records mean at a screening date: their periods, whether they are active,
whether they match a record query (certainly, possibly or not), and how they are described.

A record is known at the screening date when its first date is not after it; an end dated
after the screening date was not known then, so the record counts as ongoing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from screening.core.vocab import ACTIVE_STATUSES
from screening.ruleset import ir
from screening.ruleset.kleene import TESTS
from screening.runtime.results import Evidence

YES, MAYBE, NO = 2, 1, 0

START_ATTR = {"condition": "onset", "medication": "start", "participation": "start",
              "observation": "date", "procedure": "date", "lesion": "date"}
"""The attribute holding the first date of each kind of record."""
RECORD_LIST = {"condition": "conditions", "observation": "observations", "medication": "medications",
               "procedure": "procedures", "lesion": "lesions"}
UNCODED = frozenset({"lesion", "participation"})
LESION_FLAGS = ("visible_depth", "loss_of_dermis", "painful", "calcinosis")


def coding_label(system: str, code: str, display: str | None) -> str:
    return f"{display} ({system}:{code})" if display else f"{system}:{code}"


class RecordReader:
    """Record semantics at one screening date."""

    def __init__(self, as_of: dt.date, window_start: Any):
        self.as_of = as_of
        self.window_start = window_start  # Duration -> first day of the window ending at as_of

    def period(self, kind: str, r: Any) -> tuple[dt.date | None, dt.date | None, bool]:
        """(start, end, ongoing): the record's period. Point records have start == end."""
        if kind == "condition":
            if r.abatement is not None and r.abatement > self.as_of:
                return r.onset, None, True
            return r.onset, r.abatement, r.abatement is None and (
                r.clinical_status is None or r.clinical_status in ACTIVE_STATUSES)
        if kind in ("medication", "participation"):
            if r.end is not None and r.end > self.as_of:
                return r.start, None, True
            return r.start, r.end, r.end is None
        return r.date, r.date, False

    def active(self, kind: str, r: Any) -> int:
        """Is the record active at the screening date? YES, MAYBE or NO."""
        as_of = self.as_of
        if kind == "condition":
            if r.abatement is not None:
                return NO if r.abatement <= as_of else YES
            if r.clinical_status is not None:
                return YES if r.clinical_status in ACTIVE_STATUSES else NO
            return MAYBE
        if kind in ("medication", "participation"):
            if (r.start is not None and r.start > as_of) or (r.end is not None and r.end < as_of):
                return NO
            return YES if r.start is not None else MAYBE
        return YES

    def match(self, q: ir.Records, kind: str, r: Any) -> int:
        """Does record r (already in the query's code domain) match the query? YES, MAYBE or NO."""
        if q.exclude is not None and q.exclude.matches(r.code.system, r.code.code):
            return NO
        status = self._in_window(q, kind, r)
        # each further test runs only when the query asks for it (this is the hot path)
        for asked, test in ((q.active is not None, self._activity), (q.confirmed_by, self._confirmation),
                            (q.filters, self._filters)):
            if status == NO:
                return NO
            if asked:
                status = min(status, test(q, kind, r))
        return status

    def _in_window(self, q: ir.Records, kind: str, r: Any) -> int:
        start, end, ongoing = self.period(kind, r)
        if start is not None and start > self.as_of:
            return NO  # not yet happened at the screening date
        if q.within is None:
            return YES
        if end is not None and end <= self.as_of:
            return NO if end < self.window_start(q.within) else YES
        if ongoing:
            return YES  # still going on at the screening date: overlaps any window ending then
        if start is not None and start >= self.window_start(q.within):
            return YES
        return MAYBE  # no end recorded and not known to be ongoing

    def _activity(self, q: ir.Records, kind: str, r: Any) -> int:
        if q.active is None:
            return YES
        a = self.active(kind, r)
        if a == MAYBE:
            return MAYBE
        return YES if (a == YES) == q.active else NO

    @staticmethod
    def _confirmation(q: ir.Records, kind: str, r: Any) -> int:
        if not q.confirmed_by:
            return YES
        crit = {c.strip().lower() for c in (r.criteria or [])}
        if not crit:
            return MAYBE
        return YES if crit & {c.strip().lower() for c in q.confirmed_by} else NO

    @staticmethod
    def _filters(q: ir.Records, kind: str, r: Any) -> int:
        status = YES
        for f in q.filters:
            v = getattr(r, f.attr, None)
            if v is None:
                if f.op != "not_in":
                    status = MAYBE
                continue
            v = getattr(v, "value", v)
            if isinstance(v, str):
                v = v.lower()
            if not filter_passes(v, f.op, f.value):
                return NO
        return status

    def evidence(self, kind: str, path: str, r: Any, s: int, note: str | None = None) -> Evidence:
        start, end, _ = self.period(kind, r)
        notes = []
        if kind in ("medication", "participation", "condition") and end is not None:
            notes.append(f"until {end}")
        if s == MAYBE:
            notes.append("may match: some details are not recorded")
        if note:
            notes.append(note)
        value = unit = None
        if kind == "observation" and r.value is not None:
            value, unit = r.value, r.unit
        return Evidence(record=path, what=describe(kind, r), date=start or end, value=value, unit=unit,
                        note="; ".join(notes) or None)


def filter_passes(v: Any, op: str, target: Any) -> bool:
    if op == "in":
        return v in target
    if op == "not_in":
        return v not in target
    return bool(TESTS[op](v, target))


def describe(kind: str, r: Any) -> str:
    """A record in words, with its code and the details a query may test."""
    if kind == "lesion":
        return _describe_lesion(r)
    if kind == "participation":
        return "trial participation" + (f" in {r.trial_id}" if r.trial_id else "")
    label = coding_label(r.code.system, r.code.code, r.code.display)
    if kind == "medication" and r.route:
        label += f", {r.route.value}"
    if kind == "observation" and r.result:
        label += f": {r.result}"
    if kind == "condition" and r.criteria:
        label += " (criteria: " + ", ".join(r.criteria) + ")"
    return label


def _describe_lesion(r: Any) -> str:
    bits = [r.kind.replace("_", " ")]
    if r.site:
        bits.append(f"at {r.site}")
    if r.diameter_mm is not None:
        bits.append(f"{r.diameter_mm:g} mm")
    for a in LESION_FLAGS:
        v = getattr(r, a)
        if v is not None:
            bits.append(a.replace("_", " ") + ("" if v else ": no"))
    if r.trend:
        bits.append(r.trend.value)
    return ", ".join(bits)


def describe_query(q: ir.Records) -> str:
    """What a record query looks for, in words (for 'no ... recorded')."""
    if q.codes is not None:
        return f"{q.record} records for {q.codes.describe()}"
    return {"lesion": "lesion assessments", "participation": "trial participation history"}.get(q.record, q.record)
