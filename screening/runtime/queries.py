"""The values of record queries: how many records match (a count with bounds), and how many
pairs of records fall in a window of each other.

A count says what is not known: records that only possibly match raise its upper bound, records
that all lie before the query's window make it stale, windows the records do not cover leave a
pair undecided, and with nothing recorded the count is unbounded unless the criterion's policy
is ``assume_absent`` (which the value states as an assumption).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from screening.core.codesystems import SYSTEM_NAMES
from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruleset.render import window_text
from screening.runtime.domains import NAMED, POSSIBLE_CODE, Entry, RecordDomains, record_path
from screening.runtime.records import (
    ASSESSMENTS,
    MAYBE,
    NO,
    YES,
    RecordReader,
    coding_label,
    course_of,
    describe_query,
)
from screening.runtime.results import Evidence
from screening.runtime.values import Value

Matched = tuple[int, Any, int, Any, str | None]  # (position, record, YES or MAYBE, coding, why possibly)
# the value of a measure in a situation that is the same for every patient (see `SharedValues.unrecorded`)
Unrecorded = Callable[..., Value]


class RecordQueries:
    """Record-query values for one patient at one screening date."""

    def __init__(self, domains: RecordDomains, reader: RecordReader, as_of: dt.date, unrecorded: Unrecorded):
        self.domains = domains
        self.reader = reader
        self.as_of = as_of
        self._unrecorded = unrecorded

    def _scan(self, q: ir.Records) -> tuple[list[Matched], int]:
        """Matching records (position, record, YES/MAYBE, coding, why possibly) and how many records
        the query considered."""
        entries = self.domains.entries(q)
        if not entries:
            return [], 0
        kind, match = q.record, self.reader.match
        found = []
        for i, r, coding, why in entries:
            s = match(q, kind, r)
            if s != NO:
                found.append((i, r, s if why is None else MAYBE, coding, why))
        return found, len(entries)

    def records(self, q: ir.Records) -> Value:
        found, considered = self._scan(q)
        if found:
            lo, hi = self._distinct_days(q, found) if q.distinct_days else (
                float(sum(1 for f in found if f[2] == YES)), float(len(found)))
            return Value(lo=lo, hi=hi, pending=lambda: tuple(self._evidence(q, f) for f in found[:10]))
        if considered:
            older = self._before_window(q) if q.within is not None and q.record in ASSESSMENTS else None
            if older is not None:
                return self._stale(q, older)
            run = self._course_run(q)
            if run is not None:
                return run
            # records of the kind, none matching: the same answer for every such patient
            return self._unrecorded(q, "none", Value, 0.0, 0.0)
        return self._unrecorded(q, "absent", nothing_recorded, q.policy, q)

    def _distinct_days(self, q: ir.Records, found: list[Matched]) -> tuple[float, float]:
        """How many distinct days the matching records fall on, as a range: certain matches on known
        days, plus (at most) one day for each possible match and each record without a date."""
        period = self.reader.period
        certain: set[dt.date] = set()
        days: set[dt.date] = set()
        undated = certain_undated = 0
        for _, r, s, _, _ in found:
            day = period(q.record, r)[0]
            if day is None:
                undated += 1
                certain_undated += s == YES
            else:
                days.add(day)
                if s == YES:
                    certain.add(day)
        lo = len(certain) or min(certain_undated, 1)
        return float(lo), float(len(days) + undated)

    def _course_run(self, q: ir.Records) -> Value | None:
        """None of the records matches because a diagnosis without an end has run its natural
        course: a 0 that states the assumption (None when no course was applied)."""
        course = course_of(q)
        if course is None:
            return None
        for entry in self.domains.entries(q):
            over = self.reader.course_end(entry[1], course)
            if over is not None:
                return self._course_over(q, entry, course, over)
        return None

    def _course_over(self, q: ir.Records, entry: Entry, course: Duration, over: dt.date) -> Value:
        i, r, coding, _ = entry
        what = coding_label(coding.system, coding.code, coding.display)
        return Value(lo=0.0, hi=0.0, pending=lambda: (self.reader.evidence(
                         q.record, record_path(q.record, i), r, NO, coding, course=course),),
                     assumption=f"{what} recorded from {r.onset} without an end: taken as over by {over} "
                                f"(natural course {course})")

    def _before_window(self, q: ir.Records) -> Entry | None:
        """The most recent record that would match the query but for its window (None if none)."""
        period, newest, best = self.reader.period, None, None
        for e in self.domains.entries(q):
            if self.reader.match(q, q.record, e[1], window=False) != NO:
                start, end, _ = period(q.record, e[1], course_of(q))
                day = end or start
                if best is None or (day is not None and day >= best):
                    newest, best = e, day
        return newest

    def _stale(self, q: ir.Records, older: Entry) -> Value:
        """Records exist, none within the window: not a confident 'none' (unless the rule set
        chose to take what is not recorded as absent); names the most recent one."""
        i, r, coding, _ = older
        path = record_path(q.record, i)
        start, end, _ = self.reader.period(q.record, r, course_of(q))
        when = f"from {start} to {end}" if start and end and start != end else f"from {end or start}"
        what = f"{describe_query(q)} {window_text(q)}"
        latest = f"the latest, {path}, is {when}"
        outside = f"before the {q.within} window" if q.window_end is None else f"outside the window {window_text(q)}"
        def ev() -> tuple[Evidence, ...]:
            return (self.reader.evidence(q.record, path, r, YES, coding, outside),)
        if q.policy == "assume_absent":
            return Value(lo=0.0, hi=0.0, pending=ev, assumption=f"no {what} recorded ({latest}): assumed absent")
        return Value(lo=0.0, hi=None, pending=ev, missing=f"{what} ({latest})", reason="stale")

    def _evidence(self, q: ir.Records, m: Matched, note: str | None = None) -> Evidence:
        i, r, s, coding, why = m
        doubts = self.reader.doubts(q, q.record, r) if s == MAYBE else None
        if why is not None and doubts is not None:
            doubts.insert(0, _why_possibly(q, r, why))
        return self.reader.evidence(q.record, record_path(q.record, i), r, s, coding, note, doubts, course_of(q))

    def pairs(self, q: ir.Pairs) -> Value:
        anchors, in_anchor_domain = self._scan(q.anchor)
        events, in_event_domain = self._scan(q.event) if in_anchor_domain else ([], 0)
        pairs = list(self._pairs(q, anchors, events))
        if pairs or (in_anchor_domain and in_event_domain):
            undecided = self._undecided_windows(q, anchors, pairs)
            shown = pairs[:5]
            lo, hi = float(sum(1 for p in pairs if p[-1] == YES)), float(len(pairs))
            if undecided and q.policy == "unknown":
                return Value(lo=lo, hi=hi + len(undecided), missing=undecided[0][1], reason="window not observed",
                             pending=lambda: self._pair_evidence(q, shown) + self._window_evidence(q, undecided))
            assumption = f"{undecided[0][1]}: assumed absent" if undecided else None
            return Value(lo=lo, hi=hi, assumption=assumption,
                         pending=lambda: self._pair_evidence(q, shown) + self._window_evidence(q, undecided))
        # no anchor or no event recorded: the same answer for every such patient
        if not in_anchor_domain:
            return self._unrecorded(q, "no anchor", nothing_recorded, q.policy, q.anchor)
        return self._unrecorded(q, "no event", nothing_recorded, q.policy, q.event)

    def _pairs(self, q: ir.Pairs, anchors: list[Matched], events: list[Matched]) -> Any:
        """(anchor, event, t0, event date, YES/MAYBE) for each pair with the event in the window."""
        period = self.reader.period
        for a in anchors:
            ongoing = period(q.anchor.record, a[1], course_of(q.anchor))[2]
            t0 = self._anchor_time(q, a)
            for e in events:
                e_date = period(q.event.record, e[1])[0]
                if t0 is None or e_date is None:
                    s = MAYBE if (q.from_ == "start" or not ongoing) else NO
                elif q.lo.after(t0) <= e_date <= q.hi.after(t0):
                    s = min(a[2], e[2])
                else:
                    continue
                if s != NO:
                    yield a, e, t0, e_date, s

    def _undecided_windows(self, q: ir.Pairs, anchors: list[Matched], pairs: list[Any]) -> list[tuple[Matched, str]]:
        """Anchors without a pair whose window the records do not cover: it ends after the
        screening date, or no event record of any kind falls in it (nothing was assessed then)."""
        paired = {id(p[0][1]) for p in pairs}
        # every record of the event's codes counts as an assessment then (whatever it found)
        event_days = [d for e in self.domains.domain(q.event)
                      if (d := self.reader.period(q.event.record, e[1])[0]) is not None]
        out = []
        for a in anchors:
            t0 = self._anchor_time(q, a)
            if id(a[1]) in paired or t0 is None:
                continue
            first, last = q.lo.after(t0), q.hi.after(t0)
            what, path = describe_query(q.event), record_path(q.anchor.record, a[0])
            if last > self.as_of:
                out.append((a, f"{what} from {first} (after {path}) to the screening date, in a window still "
                               "open then"))
            elif q.event.record in ASSESSMENTS and not any(first <= d <= last for d in event_days):
                out.append((a, f"{what} from {first} to {last} (after {path}): none recorded then"))
        return out

    def _anchor_time(self, q: ir.Pairs, a: Matched) -> dt.date | None:
        start, end, ongoing = self.reader.period(q.anchor.record, a[1], course_of(q.anchor))
        return start if q.from_ == "start" else (None if ongoing else end)

    def _window_evidence(self, q: ir.Pairs, undecided: list[tuple[Matched, str]]) -> tuple[Evidence, ...]:
        return tuple(self._evidence(q.anchor, a, f"no decision yet: {why}") for a, why in undecided[:5])

    def _pair_evidence(self, q: ir.Pairs, shown: list[Any]) -> tuple[Evidence, ...]:
        ev: list[Evidence] = []
        for anchor, event, t0, e_date, _ in shown:
            after = f"{(e_date - t0).days} days after the {q.from_} of {record_path(q.anchor.record, anchor[0])}" if t0 is not None and e_date is not None else None
            ev += [self._evidence(q.anchor, anchor), self._evidence(q.event, event, after)]
        return tuple(ev)


def nothing_recorded(policy: ir.Policy, q: ir.Records) -> Value:
    """Nothing the query looks for is recorded: assumed absent, or unknown (an unbounded count)."""
    if policy == "assume_absent":
        return Value(lo=0.0, hi=0.0, assumption=f"no {describe_query(q)} recorded: assumed absent")
    return Value(lo=0.0, hi=None, missing=describe_query(q), reason="missing")


def _why_possibly(q: ir.Records, r: Any, why: str) -> str:
    """Why a record outside a query's certain domain may be in it (the first of its doubts)."""
    codes = q.codes
    assert codes is not None
    if why == POSSIBLE_CODE:
        return f"its code names {codes.describe()} only possibly"
    if why == NAMED:
        return f"not coded as {codes.describe()}, but its text names it"
    # UNREAD_SYSTEM: coded only in systems the query's codes are not written in
    theirs = sorted({SYSTEM_NAMES.get(c.system, c.system) for c in r.codings()})
    ours = sorted({SYSTEM_NAMES.get(s, s) for s in codes.systems})
    return f"coded in {' and '.join(theirs)} only, and the codes for {codes.describe()} are in {' and '.join(ours)}"
