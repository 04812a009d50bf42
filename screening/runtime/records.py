"""What a patient's records mean at a screening date: their periods, whether they are active,
whether they match a record query (certainly, possibly or not), and how they are described.

A record is known at the screening date when its first date is not after it; an end dated
after the screening date was not known then, so the record counts as ongoing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from screening.core.timewindows import Duration
from screening.core.vocab import ACTIVE_STATUSES
from screening.ruleset import ir
from screening.ruleset.kleene import TESTS
from screening.runtime.describe import LESION_FLAGS as LESION_FLAGS
from screening.runtime.describe import coding_label as coding_label
from screening.runtime.describe import describe, encounter_period
from screening.runtime.describe import describe_query as describe_query
from screening.runtime.doses import attribute
from screening.runtime.results import Evidence, trusted_evidence

YES, MAYBE, NO = 2, 1, 0

START_ATTR = {"condition": "onset", "medication": "start", "participation": "start",
              "observation": "date", "procedure": "date", "lesion": "date", "encounter": "start",
              "allergy": "onset"}
"""The attribute holding the first date of each kind of record."""
RECORD_LIST = {"condition": "conditions", "observation": "observations", "medication": "medications",
               "procedure": "procedures", "lesion": "lesions", "encounter": "encounters", "allergy": "allergies"}
UNCODED = frozenset({"lesion", "participation"})
ASSESSMENTS = frozenset({"observation", "lesion"})
"""Records that sample a state at a point in time: when none falls in a query's window, the state
in that window was not observed (stale), whereas a diagnosis, a course, a procedure or a trial
participation dates the thing itself."""


class RecordReader:
    """Record semantics at one screening date, with the first day of each window ending then
    (`window_start`, worked out once per duration)."""

    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self._window_start: dict[Duration, dt.date] = {}

    def window_start(self, d: Duration) -> dt.date:
        """The first day of the window of length `d` ending at the screening date."""
        s = self._window_start.get(d)
        if s is None:
            s = self._window_start[d] = d.before(self.as_of)
        return s

    def course_end(self, r: Any, course: Duration | None) -> dt.date | None:
        """When a diagnosis without an end is taken to be over by its natural course (None when the
        course does not apply: no course, an end recorded, no onset, or the course not yet run)."""
        if course is None or r.abatement is not None or r.onset is None:
            return None
        end = course.after(r.onset)
        return end if end < self.as_of else None

    def period(self, kind: str, r: Any, course: Duration | None = None) -> tuple[dt.date | None, dt.date | None, bool]:
        """(start, end, ongoing): the record's period. Point records have start == end. A diagnosis
        whose natural course (`course`) has run without a recorded end is over at its course's end."""
        if kind == "condition":
            if r.abatement is not None and r.abatement > self.as_of:
                return r.onset, None, True
            over = self.course_end(r, course)
            if over is not None:
                return r.onset, over, False
            return r.onset, r.abatement, r.abatement is None and (
                r.clinical_status is None or r.clinical_status in ACTIVE_STATUSES)
        if kind in ("medication", "participation"):
            if r.end is not None and r.end > self.as_of:
                return r.start, None, True
            # a course with neither start nor end is not known to be going on: it may be (not certainly)
            return r.start, r.end, r.end is None and r.start is not None
        if kind == "encounter":
            return encounter_period(r, self.as_of)
        if kind == "allergy":
            return r.onset, None, r.clinical_status is None or r.clinical_status.value == "active"
        return r.date, r.date, False

    def active(self, kind: str, r: Any, course: Duration | None = None) -> int:
        """Is the record active at the screening date? YES, MAYBE or NO."""
        as_of = self.as_of
        if kind == "condition":
            if r.abatement is not None:
                return NO if r.abatement <= as_of else YES
            if self.course_end(r, course) is not None:
                return NO  # its natural course has run
            if r.clinical_status is not None:
                return YES if r.clinical_status in ACTIVE_STATUSES else NO
            return MAYBE
        if kind in ("medication", "participation"):
            if (r.start is not None and r.start > as_of) or (r.end is not None and r.end < as_of):
                return NO
            return YES if r.start is not None else MAYBE
        if kind == "allergy":
            return MAYBE if r.clinical_status is None else YES if r.clinical_status.value == "active" else NO
        if kind == "encounter":
            return YES if encounter_period(r, as_of)[2] else NO
        return YES

    def match(self, q: ir.Records, kind: str, r: Any, window: bool = True) -> int:
        """Does record r (already in the query's code domain) match the query? YES, MAYBE or NO.
        With `window=False`, would it match if the query had no `within` window?"""
        status = self._exception(q, r) if q.exclude is not None else YES
        if status == NO:
            return NO
        s = self._in_window(q, kind, r) if window else self._known_then(kind, r, q)
        if s < status:
            status = s
        # each further test runs only when the query asks for it (this is the hot path)
        for test in _further_tests(q):
            if status == NO:
                return NO
            s = test(self, q, kind, r)
            if s < status:
                status = s
        return status

    @staticmethod
    def _exception(q: ir.Records, r: Any) -> int:
        """NO when a coding of the record is an exception of the query, MAYBE when one possibly is."""
        assert q.exclude is not None
        found = q.exclude.match_of(r.codings())
        return YES if found is None else (NO if found[1] else MAYBE)

    def _known_then(self, kind: str, r: Any, q: ir.Records) -> int:
        start = self.period(kind, r, course_of(q))[0]
        return NO if start is not None and start > self.as_of else YES  # not yet happened at the screening date

    def _in_window(self, q: ir.Records, kind: str, r: Any) -> int:
        start, end, ongoing = self.period(kind, r, course_of(q))
        if start is not None and start > self.as_of:
            return NO  # not yet happened at the screening date
        if q.within is None:
            return YES
        if q.window_end is not None:
            return self._in_past_window(q, start, end, ongoing)
        if end is not None and end <= self.as_of:
            return NO if end < self.window_start(q.within) else YES
        if ongoing:
            return YES  # still going on at the screening date: overlaps any window ending then
        if start is not None and start >= self.window_start(q.within):
            return YES
        return MAYBE  # no end recorded and not known to be ongoing

    def _in_past_window(self, q: ir.Records, start: dt.date | None, end: dt.date | None, ongoing: bool) -> int:
        """Does a period overlap a window that ends `window_end` before the screening date?"""
        assert q.within is not None and q.window_end is not None
        first, last = self.window_start(q.within), self.window_start(q.window_end)
        if start is not None and start > last:
            return NO  # began after the window
        if end is not None and end < first:
            return NO  # over before the window
        if start is not None and (start >= first or (end is not None and end >= first) or ongoing):
            return YES
        if start is None and end is not None and end <= last:
            return YES  # ended within the window
        return MAYBE  # no start recorded, or no end recorded and not known to be ongoing

    def _onset(self, q: ir.Records, kind: str, r: Any) -> int:
        """Was the record's first date at least `onset_at_least` before the screening date?"""
        assert q.onset_at_least is not None
        start = self.period(kind, r, course_of(q))[0]
        if start is None:
            return MAYBE
        return YES if start <= self.window_start(q.onset_at_least) else NO

    def _activity(self, q: ir.Records, kind: str, r: Any) -> int:
        if q.active is None:
            return YES
        a = self.active(kind, r, course_of(q))
        if a == MAYBE:
            return MAYBE
        return YES if (a == YES) == q.active else NO

    def _confirmation(self, q: ir.Records, kind: str, r: Any) -> int:
        if not q.confirmed_by:
            return YES
        crit = {c.strip().lower() for c in (r.criteria or [])}
        if not crit:
            return MAYBE
        return YES if crit & {c.strip().lower() for c in q.confirmed_by} else NO

    def _filters(self, q: ir.Records, kind: str, r: Any) -> int:
        status = YES
        for f in q.filters:
            s = filter_status(f, attribute(r, f))
            if s == NO:
                return NO
            status = min(status, s)
        return status

    def doubts(self, q: ir.Records, kind: str, r: Any) -> list[str]:
        """Why a record only may match the query (for its evidence; not on the hot path)."""
        out = []
        if q.exclude is not None and self._exception(q, r) == MAYBE:
            out.append(f"may be an exception ({q.exclude.describe()})")
        if self._in_window(q, kind, r) == MAYBE:
            out.append(f"no {START_ATTR[kind]} date recorded" if q.window_end is not None and
                       self.period(kind, r, course_of(q))[0] is None else "no end date recorded")
        if q.active is not None and self._activity(q, kind, r) == MAYBE:
            out.append("not recorded whether it was active at the screening date")
        if q.onset_at_least is not None and self._onset(q, kind, r) == MAYBE:
            out.append(f"no {START_ATTR[kind]} date recorded")
        if q.confirmed_by and self._confirmation(q, kind, r) == MAYBE:
            out.append("the diagnostic criteria are not recorded")
        for f in q.filters:
            v = attribute(r, f)
            if filter_status(f, v) == MAYBE:
                name = f.attr.replace("_", " ")
                out.append(f"{name} not recorded" if v is None else f"{name} {getattr(v, 'value', v)}")
        return out

    def evidence(self, kind: str, path: str, r: Any, s: int, coding: Any = None, note: str | None = None,
                 doubts: list[str] | None = None, course: Duration | None = None) -> Evidence:
        """A matching record as evidence: the coding that matched, its date, value and doubts."""
        start, end, _ = self.period(kind, r, course)
        notes = []
        over = self.course_end(r, course) if kind == "condition" else None
        if over is not None:
            notes.append(f"no end recorded: taken as over by {over} (natural course {course})")
        elif kind in ("medication", "participation", "condition") and end is not None:
            notes.append(f"until {end}")
        if s == MAYBE:
            notes.append("may match: " + ("; ".join(doubts) if doubts else "some details are not recorded"))
        if note:
            notes.append(note)
        value = unit = None
        if kind == "observation" and r.value is not None:
            value, unit = r.value, r.unit
        # built without validation: a validated profile's strings, numbers and dates
        return trusted_evidence(path, describe(kind, r, coding), value=value, unit=unit,
                                note="; ".join(notes) or None, date=start or end)


_TESTS: dict[ir.Records, tuple[Callable[[RecordReader, ir.Records, str, Any], int], ...]] = {}


def _further_tests(q: ir.Records) -> tuple[Callable[[RecordReader, ir.Records, str, Any], int], ...]:
    """The tests a query asks for beyond its codes and window, in the order `match` runs them
    (chosen once per query, not for every record)."""
    tests = _TESTS.get(q)
    if tests is None:
        if len(_TESTS) >= 4096:
            _TESTS.clear()  # bounded: the queries of catalogs no longer loaded do not pile up
        tests = _TESTS[q] = tuple(test for asked, test in (
            (q.active is not None, RecordReader._activity), (bool(q.confirmed_by), RecordReader._confirmation),
            (bool(q.filters), RecordReader._filters), (q.onset_at_least is not None, RecordReader._onset)) if asked)
    return tests


MAYBE_IF_IN = "maybe_if_in"
"""A filter op: the record may match (not certainly) when the attribute is one of the values."""


def filter_status(f: ir.Filter, v: Any) -> int:
    """YES, MAYBE or NO for one attribute test. An attribute not recorded makes a record a
    possible match, except for tests that only rule records out (not_in) or make them doubtful."""
    if v is None:
        return YES if f.op in ("not_in", MAYBE_IF_IN) else MAYBE
    v = getattr(v, "value", v)
    if isinstance(v, str):
        v = v.lower()
    if f.op == MAYBE_IF_IN:
        return MAYBE if v in f.value else YES  # type: ignore[operator]
    return YES if filter_passes(v, f.op, f.value) else NO


def course_of(q: ir.Records) -> Duration | None:
    """The natural course of what a query looks for (diagnoses only)."""
    return q.codes.natural_course if q.codes is not None and q.record == "condition" else None


def filter_passes(v: Any, op: str, target: Any) -> bool:
    if op == "in":
        return v in target
    if op == "not_in":
        return v not in target
    return bool(TESTS[op](v, target))
