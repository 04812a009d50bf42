"""Eligibility dates: from which date a patient who is held back only by time becomes eligible.

A patient may fail or leave unknown a criterion only because of when things happened: another
trial within the last 4 weeks, a malignancy within 10 years, an age not yet reached, a course of
treatment still running, a condition within its natural course. If nothing else changes, such a
patient becomes eligible on a date that the records and the rule set's windows determine.

The engine is the judge: candidate dates are derived from the IR (the windows of the criteria
that do not pass: `within`, the offsets of `followed_by`, natural courses, age limits) and the
patient's evidence dates (the dates of the records those criteria read, the birth date), and a
date is claimed only when screening again at that date gives every computable criterion a pass
and screening at the day before does not. A criterion that no date can change (sex, a recorded
flag, a diagnosis without a window) rules the search out; a stale lab never turns fresh by
waiting, so it gives no date either (it is data to collect).

The target is "every computable criterion passes": the verdict `eligible`, or `undetermined`
with only criteria for review left (eligible pending review).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from patients.model import PatientProfile
from screening.core.timewindows import Duration, shift
from screening.ruleset import ir
from screening.runtime.results import EligibleFrom, ScreeningReport

if TYPE_CHECKING:
    from screening.runtime.evaluate import Screener, TrialOutcome

HORIZON = Duration(11, "years")
"""How far ahead dates are sought (the longest windows of the rule language's use are 10 years)."""
MAX_CANDIDATES = 64
"""Bound on the dates screened again for one patient and trial (the nearest are tried first)."""

ONE_DAY = dt.timedelta(days=1)
RECORD_LISTS: dict[str, str] = {
    "condition": "conditions", "observation": "observations", "medication": "medications",
    "procedure": "procedures", "lesion": "lesions", "participation": "trial_participations",
}


def reached(statuses: Iterable[str]) -> bool:
    """Every computable criterion passes (criteria for review may be left)."""
    return all(s in ("pass", "review") for s in statuses)


class TimeTerms(NamedTuple):
    """What can move a criterion's status with the date: windows, and the records and ages they apply to."""

    durations: frozenset[Duration]
    record_lists: frozenset[str]  # profile lists whose dates matter ("conditions", "trial_participations", ...)
    ages: frozenset[int]  # age limits, in years


def _measure_terms(m: ir.Measure) -> TimeTerms | None:
    """The time terms of one measure; None for a measure no date can change."""
    if isinstance(m, ir.Age):
        return TimeTerms(frozenset(), frozenset(), frozenset())
    if isinstance(m, ir.Latest | ir.LatestResult):
        if m.within is None:
            return None
        return TimeTerms(frozenset({m.within}), frozenset({"observations"}), frozenset())
    if isinstance(m, ir.Records):
        course = m.codes.natural_course if m.codes is not None and m.record == "condition" else None
        durations = {d for d in (m.within, course) if d is not None}
        if not durations and not m.active:
            return None
        return TimeTerms(frozenset(durations), frozenset({RECORD_LISTS[m.record]}), frozenset())
    if isinstance(m, ir.Pairs):
        parts = [t for t in (_measure_terms(m.anchor), _measure_terms(m.event)) if t is not None]
        if not parts:
            return None
        return TimeTerms(frozenset().union(*(t.durations for t in parts)) | {m.lo, m.hi},
                         frozenset().union(*(t.record_lists for t in parts)), frozenset())
    return None  # sex, administrative flags and numbers: undated


def criterion_terms(c: ir.CriterionIR) -> TimeTerms | None:
    """The time terms of a computable criterion; None when no date can change its status."""
    durations: set[Duration] = set()
    lists: set[str] = set()
    ages: set[int] = set()
    timed = False
    for leaf in c.leaves:
        t = _measure_terms(leaf.measure)
        if t is None:
            continue
        timed = True
        durations |= t.durations
        lists |= t.record_lists
        if isinstance(leaf, ir.Compare) and isinstance(leaf.measure, ir.Age):
            ages |= {int(leaf.value), int(leaf.value) + 1}
    return TimeTerms(frozenset(durations), frozenset(lists), frozenset(ages)) if timed else None


TERMS_MEMO_SIZE = 4096
"""Bound on the criteria whose time terms are kept (cleared when full)."""
_TERMS: dict[int, tuple[ir.CriterionIR, TimeTerms | None]] = {}


def terms_of(c: ir.CriterionIR) -> TimeTerms | None:
    """`criterion_terms(c)`, computed once per criterion (kept by identity: the IR is immutable)."""
    kept = _TERMS.get(id(c))
    if kept is None or kept[0] is not c:
        if len(_TERMS) >= TERMS_MEMO_SIZE:
            _TERMS.clear()
        kept = _TERMS[id(c)] = (c, criterion_terms(c))
    return kept[1]


def _record_dates(profile: PatientProfile, lists: frozenset[str]) -> set[dt.date]:
    out = set()
    for path, day in profile.iter_dates():
        name = path.split("[", 1)[0].removeprefix("administrative.")
        if name in lists:
            out.add(day)
    return out


def candidate_dates(profile: PatientProfile, as_of: dt.date, terms: Iterable[TimeTerms]) -> list[dt.date]:
    """The dates after `as_of` (within the horizon) at which a criterion with these terms may change
    status: each evidence date, and each evidence date moved by each window, and the day after each."""
    horizon = HORIZON.after(as_of)
    found: set[dt.date] = set()
    for t in terms:
        for day in _record_dates(profile, t.record_lists):
            found |= {day, day + ONE_DAY}
            for d in t.durations:
                moved = d.after(day)
                found |= {moved, moved + ONE_DAY}
        if profile.birth_date is not None:
            found |= {shift(profile.birth_date, years, "years") for years in t.ages}
    return sorted(d for d in found if as_of < d <= horizon)


Rescreen = Callable[[dt.date], "TrialOutcome"]


def eligible_from(screener: Screener, profile: PatientProfile, as_of: dt.date, trial_id: str,
                  statuses: dict[str, str]) -> EligibleFrom | None:
    """The date from which every computable criterion of the trial passes, if nothing else changes,
    for a patient with these `statuses` at `as_of`; confirmed by the engine (at that date, and not
    the day before). None when the patient already meets them, when a criterion no date can change
    does not pass, or when no date within the horizon does it."""
    if reached(statuses.values()):
        return None
    rs = screener.catalog.rulesets[trial_id]
    blocking = [c for c in rs.ir.criteria if c.expr is not None and statuses[c.id] != "pass"]
    terms = [terms_of(c) for c in blocking]
    if any(t is None for t in terms):
        return None
    dates = candidate_dates(profile, as_of, [t for t in terms if t is not None])[:MAX_CANDIDATES]

    def rescreen(day: dt.date) -> TrialOutcome:
        return screener.outcomes(profile, day, [trial_id])[0]

    found = _first_reached(rescreen, as_of, dates)
    if found is None:
        return None
    day, after = found
    return EligibleFrom(date=day, verdict=after.verdict,  # type: ignore[arg-type]
                        criteria=[c.id for c in blocking if after.statuses[c.id] == "pass"],
                        pending_review=[cid for cid, s in after.statuses.items() if s == "review"],
                        days=(day - as_of).days)


def _first_reached(rescreen: Rescreen, as_of: dt.date,
                   dates: list[dt.date]) -> tuple[dt.date, TrialOutcome] | None:
    """The first candidate date at which the target is reached, moved back to the first such day
    after the last candidate that does not reach it (a day-by-day bisection, should the candidates
    have missed the transition); with the outcome there. Only dates screened are claimed."""
    before = as_of
    for day in dates:
        out = rescreen(day)
        if reached(out.statuses.values()):
            return _earliest(rescreen, before, day, out)
        before = day
    return None


def _earliest(rescreen: Rescreen, lo: dt.date, hi: dt.date, at_hi: TrialOutcome) -> tuple[dt.date, TrialOutcome]:
    """`lo` does not reach the target, `hi` does: the first day after `lo` that does, and its outcome
    (the day before `hi` is tried first: candidates are usually the very day things change)."""
    if (hi - lo).days > 1:
        out = rescreen(hi - ONE_DAY)
        if not reached(out.statuses.values()):
            return hi, at_hi
        hi, at_hi = hi - ONE_DAY, out
    while (hi - lo).days > 1:
        mid = lo + dt.timedelta(days=(hi - lo).days // 2)
        out = rescreen(mid)
        if reached(out.statuses.values()):
            hi, at_hi = mid, out
        else:
            lo = mid
    return hi, at_hi


def add_eligibility_dates(screener: Screener, profile: PatientProfile, report: ScreeningReport) -> ScreeningReport:
    """Fill each trial result's `eligible_from` (the report is the one screened for `profile`)."""
    for r in report.results:
        held_back = r.counts["fail"] or r.counts["unknown"]  # a patient who meets every computable criterion has no date
        if held_back or r.eligible_from is not None:
            r.eligible_from = eligible_from(screener, profile, r.as_of, r.trial_id,
                                            {c.id: c.status for c in r.criteria}) if held_back else None
    return report
