"""Outcome coverage: which statuses (pass / fail / unknown / review) the cases drive each
criterion to, against the statuses the criterion can reach at all.

Reachability is read from the IR, not guessed from the cases:

* a criterion for review (no `when:`) only ever comes out `review`;
* a computable criterion reaches `pass` and `fail`;
* it reaches `unknown` when at least one measure it uses can be unknown for some patient:
  - age, sex, the latest value or result of an observation, a number such as life expectancy:
    always (the data can be missing, stale or in an unusable unit);
  - a flag (`fact:`): with `missing: unknown`; with `missing: assume_absent` it is never unknown;
  - a record count (`condition:`, `medication:` ...): with `missing: unknown` (no record at all
    leaves the count unbounded); with `missing: assume_absent` only when a record can *partly*
    match, which happens when the query tests something a record may not state: a `within:`
    window on diagnoses (an onset may be missing), `active:` on diagnoses or medications (no
    status, no start), `confirmed_by:` (no criteria named), or a record attribute that is
    optional (a result, a route, a lesion's diameter or findings), a diagnosis whose verification
    status is provisional, differential or unconfirmed, a code the value set lists as only
    possibly the concept (or possibly an exception), or a record coded outside the value set
    whose text names the concept; a code in the value set, a window on dated records or on trial
    participations never leaves a record partly matching;
  - a `followed_by` pair count: as for record counts, and also when a date that places the
    anchor or the event can be missing (a diagnosis onset, a medication start; from the end of a
    diagnosis that stopped without an abatement date).

A criterion with `missing: fail` is not met when data is not recorded at all, so only what else
leaves a measure unknown counts: stale or unusable values, a birth date after the screening date,
records that partly match, a `followed_by` window still open or not assessed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from screening.core.vocab import ADMINISTRATIVE_ITEMS
from screening.ruleset import ir
from screening.ruleset.catalog import Catalog
from screening.ruletest.cases import CaseResult, status_coverage
from screening.ruletest.paths import relative_path
from screening.ruletest.written import criterion_lines
from screening.runtime.records import MAYBE_IF_IN

OUTCOMES = ("pass", "fail", "unknown", "review")

RULE = ("review criteria reach only review; a computable criterion reaches pass and fail, and unknown "
        "unless every measure it uses is always known (with missing: assume_absent, flags and record "
        "counts whose records can never partly match are always known; age, sex, latest values and "
        "numbers can always be missing)")

# record attributes that a record always states (so a test on them never leaves it partly matching)
_REQUIRED_ATTRS = {"kind", "class_"}
# where the date that places a record in time can be missing
_DATE_OPTIONAL = {"condition", "medication"}


def _records_partial(q: ir.Records) -> list[str]:
    """Why a record of query `q` can partly match (empty: it always matches or not)."""
    why: list[str] = []
    if q.within is not None and q.record == "condition":
        why.append(f"a diagnosis without an onset may fall within {q.within}")
    if q.window_end is not None and q.record in _DATE_OPTIONAL:
        why.append(f"a {q.record} record without a start may overlap the window")
    if q.onset_at_least is not None and q.record in _DATE_OPTIONAL:
        why.append(f"a {q.record} record may not state when it began")
    if q.active is not None and q.record == "condition":
        why.append("a diagnosis with neither abatement nor status may be active")
    if q.active is not None and q.record == "allergy":
        why.append("an allergy without a clinical status may be active")
    if q.within is not None and q.record == "allergy":
        why.append(f"an allergy without an onset may fall within {q.within}")
    if q.active is not None and q.record == "medication":
        why.append("a medication without a start date may be active")
    if q.confirmed_by:
        why.append("a diagnosis that names no criteria may meet " + ", ".join(q.confirmed_by))
    for f in q.filters:
        if f.op == MAYBE_IF_IN:
            why.append(f"a {q.record} record may be {' or '.join(map(str, f.value))}")  # type: ignore[call-overload]
        elif f.op != "not_in" and f.attr not in _REQUIRED_ATTRS:
            why.append(f"a {q.record} record may not state its {f.attr.replace('_', ' ')}")
    return why + _codes_partial(q)


def _codes_partial(q: ir.Records) -> list[str]:
    """Why a record's codes may only possibly place it in the query (or in its exception)."""
    why = []
    if q.codes is not None and q.codes.possible:
        why.append(f"a record may be coded with a code that names {q.codes.describe()} only possibly")
    if q.codes is not None and q.codes.names:
        why.append(f"a record coded outside {q.codes.describe()} may name it in its text")
    if q.exclude is not None and q.exclude.possible:
        why.append(f"a record may be coded as possibly an exception ({q.exclude.describe()})")
    return why


def _flag_reasons(m: ir.Flag) -> list[str]:
    return [f"{ADMINISTRATIVE_ITEMS[m.name].label} can be unrecorded"] if m.policy == "unknown" else []


def _records_reasons(m: ir.Records) -> list[str]:
    if m.policy == "unknown":
        return [f"with no {m.record} record the count is unbounded (missing: unknown)"]
    return _records_partial(m)


def _pairs_reasons(m: ir.Pairs) -> list[str]:
    if m.policy == "unknown":
        return ["with no anchor or event record the count is unbounded (missing: unknown)"]
    why = _records_partial(m.anchor) + _records_partial(m.event)
    if m.from_ == "start" and m.anchor.record in _DATE_OPTIONAL:
        why.append(f"a {m.anchor.record} anchor may have no start date")
    if m.from_ == "end" and m.anchor.record == "condition":
        why.append("a diagnosis that stopped may have no abatement date")
    if m.event.record in _DATE_OPTIONAL:
        why.append(f"a {m.event.record} event may have no date")
    return why


_UNKNOWN_REASONS: dict[type[ir.Measure], Callable[[Any], list[str]]] = {
    ir.Age: lambda m: ["the birth date can be missing"],
    ir.Sex: lambda m: ["the sex can be missing"],
    ir.Latest: lambda m: [f"the latest {m.codes.describe()} can be missing, stale or in an unusable unit"],
    ir.LatestResult: lambda m: [f"the latest {m.codes.describe()} result can be missing or stale"],
    ir.LatestRatio: lambda m: [f"the latest {m.codes.describe()} can be missing, stale or without a reference range"],
    ir.Number: lambda m: [f"{ADMINISTRATIVE_ITEMS[m.name].label} can be missing"],
    ir.Flag: _flag_reasons,
    ir.Records: _records_reasons,
    ir.Pairs: _pairs_reasons,
}


# with `missing: fail` on the criterion, data not recorded at all decides it: what else leaves it unknown
_REQUIRED_REASONS: dict[type[ir.Measure], Callable[[Any], list[str]]] = {
    ir.Age: lambda m: ["the birth date can be after the screening date"],
    ir.Sex: lambda m: [],
    ir.Latest: lambda m: [f"the latest {m.codes.describe()} can be stale or in an unusable unit"],
    ir.LatestResult: lambda m: [f"the latest {m.codes.describe()} can be stale or have no coded result"],
    ir.LatestRatio: lambda m: [f"the latest {m.codes.describe()} can be stale or without a reference range"],
    ir.Number: lambda m: [],
    ir.Flag: lambda m: [],
    ir.Records: _records_partial,
    ir.Pairs: lambda m: ["a window after the anchor can be still open or not assessed",
                         *_pairs_reasons(dataclasses.replace(m, policy="assume_absent"))],
}


def unknown_reasons(m: ir.Measure, policy: str = "unknown") -> list[str]:
    """Why measure `m` can be unknown (empty: it is always known) in a criterion whose missing-data
    policy is `policy`."""
    why = (_REQUIRED_REASONS if policy == "fail" else _UNKNOWN_REASONS).get(type(m))
    if why is None:
        raise TypeError(f"unknown measure {m!r}")
    return why(m)


def reachable(c: ir.CriterionIR) -> tuple[set[str], list[str]]:
    """The outcomes criterion `c` can reach, and why `unknown` is (or is not) among them."""
    if c.expr is None:
        return {"review"}, []
    why = [w for m in ir.measures_of(c.expr) for w in unknown_reasons(m, c.policy)]
    out = {"pass", "fail"} | ({"unknown"} if why else set())
    return out, list(dict.fromkeys(why))


@dataclass
class CriterionCoverage:
    id: str
    kind: str
    line: int
    reachable: set[str]
    seen: set[str]
    unknown_because: list[str] = field(default_factory=list)

    @property
    def missing(self) -> set[str]:
        return self.reachable - self.seen

    @property
    def unexpected(self) -> set[str]:
        return self.seen - self.reachable

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "line": self.line,
                "reachable": _order(self.reachable), "covered": _order(self.seen & self.reachable),
                "missing": _order(self.missing), "unexpected": _order(self.unexpected),
                "unknown_reachable_because": self.unknown_because}


@dataclass
class TrialCoverage:
    trial_id: str
    path: str
    criteria: list[CriterionCoverage]
    cases: int

    @property
    def reachable_count(self) -> int:
        return sum(len(c.reachable) for c in self.criteria)

    @property
    def covered_count(self) -> int:
        return sum(len(c.reachable & c.seen) for c in self.criteria)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered_count / self.reachable_count if self.reachable_count else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {"trial": self.trial_id, "rule_set": self.path, "cases": self.cases,
                "reachable": self.reachable_count, "covered": self.covered_count,
                "percent": round(self.percent, 2), "criteria": [c.as_dict() for c in self.criteria]}


def _order(s: Iterable[str]) -> list[str]:
    return [o for o in OUTCOMES if o in set(s)]


def trial_coverage(catalog: Catalog, trial_id: str, results: list[CaseResult]) -> TrialCoverage:
    rs = catalog.get(trial_id)
    # only cases that pass count: an outcome reached by a case with a wrong expectation is not tested
    seen = status_coverage(r for r in results if r.case.trial_id == trial_id and r.ok).get(trial_id, {})
    lines = criterion_lines(rs)
    crits = []
    for c in rs.ir.criteria:
        can, why = reachable(c)
        crits.append(CriterionCoverage(c.id, c.kind, lines[c.id], can, set(seen.get(c.id, set())), why))
    ran = sum(1 for r in results if r.case.trial_id == trial_id and r.ok)
    return TrialCoverage(trial_id, relative_path(rs.path), crits, ran)


def total_percent(trials: list[TrialCoverage]) -> float:
    reach = sum(t.reachable_count for t in trials)
    return 100.0 * sum(t.covered_count for t in trials) / reach if reach else 100.0


def _mark(c: CriterionCoverage, outcome: str) -> str:
    if outcome not in c.reachable:
        return f"{(outcome + '!') if outcome in c.seen else '-':<9}"
    return f"{outcome if outcome in c.seen else '(' + outcome + ')':<9}"


def _criterion_row(c: CriterionCoverage, width: int) -> str:
    """The outcomes of one criterion (covered, missing, unreachable) and a note on what is missing."""
    note = ""
    if c.missing:
        note = "  no case gives " + ", ".join(_order(c.missing))
    if c.unexpected:
        note += "  unexpected: " + ", ".join(_order(c.unexpected))
    if "unknown" not in c.reachable and c.reachable != {"review"}:
        note += "  (unknown unreachable: every measure is always known)"
    return f"  {c.id:<{width}}  {' '.join(_mark(c, o) for o in OUTCOMES)}{note.rstrip()}"


def format_coverage(trials: list[TrialCoverage], verbose: bool = True) -> str:
    """A plain-text report: per trial a percentage, per criterion the outcomes covered and missing."""
    lines = []
    for t in trials:
        lines.append(f"{t.trial_id}: {t.covered_count}/{t.reachable_count} reachable outcomes covered "
                     f"({t.percent:.1f}%) by {t.cases} passing case(s)  [{t.path}]")
        w = max((len(c.id) for c in t.criteria), default=9)
        lines += [_criterion_row(c, w) for c in t.criteria if verbose or c.missing or c.unexpected]
    lines.append(f"total: {total_percent(trials):.1f}% of reachable outcomes covered")
    lines.append("legend: outcome = covered by a passing case, (outcome) = reachable but no passing case gives it, "
                 "- = unreachable, outcome! = given although unreachable")
    lines.append("reachability: " + RULE)
    return "\n".join(lines)
