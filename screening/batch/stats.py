"""Batch statistics as counts that merge: a chunk's, or any run of chunks' (the cohort's in the end).

Every count is a sum over patients, so merging is addition: the statistics of a cohort do not
depend on how it was cut into chunks, in which order the chunks finished, or which process
screened them. `to_json`/`from_json` are the part files' `.stats.json` format.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from screening.core.vocab import STATUSES, VERDICTS


def _add(a: list[int], b: list[int]) -> list[int]:
    return [x + y for x, y in zip(a, b, strict=True)]


AGE_BANDS = ((18, "under 18"), (30, "18-29"), (40, "30-39"), (50, "40-49"), (60, "50-59"), (70, "60-69"),
             (80, "70-79"))


def age_band(age: int | None) -> str:
    """The age band of an age in completed years ("not recorded" without a birth date)."""
    if age is None:
        return "not recorded"
    return next((name for limit, name in AGE_BANDS if age < limit), "80 and over")


def remaining(statuses: Sequence[str]) -> bool:
    """Does a patient with these statuses remain: does every computable criterion pass?"""
    return all(s in ("pass", "review") for s in statuses)


@dataclass
class TrialStats:
    """Counts over the patients screened for one trial; per-criterion lists are in rule-set order.

    - `by_status[s][i]`: patients whose status at criterion i is s;
    - `remaining[i]`: patients failed by no criterion up to and including i;
    - `all_pass[i]`: patients passing every criterion up to and including i;
    - `sole_fail[i]`: patients failed by criterion i alone;
    - `would_be_eligible[i]`: patients for whom i is the only criterion not passed;
    - `missing`: data that would decide criteria left unknown -> patients (once per patient);
    - `lost_fail[i]`, `lost_unknown[i]`: patients leaving the funnel of computable criteria at i
      (the first criterion, in rule-set order, that they neither pass nor leave for review) because
      it fails, or because it is unknown (lost to missing data);
    - `pending_review`: patients passing every computable criterion (eligible, or eligible pending
      the review of criteria left to a person);
    - `eligible_from`: patients held back only by time, by when they become eligible ("30": within
      30 days, "90": in 31 to 90 days, "later");
    - `people`: the sex and age band ("sex:female", "age:50-59") of the patients screened, and of
      those pending review (keys prefixed "remaining.").
    """

    screened: int
    verdicts: dict[str, int]
    by_status: dict[str, list[int]]
    remaining: list[int]
    all_pass: list[int]
    sole_fail: list[int]
    would_be_eligible: list[int]
    missing: Counter[str] = field(default_factory=Counter)
    lost_fail: list[int] = field(default_factory=list)
    lost_unknown: list[int] = field(default_factory=list)
    pending_review: int = 0
    eligible_from: Counter[str] = field(default_factory=Counter)
    people: Counter[str] = field(default_factory=Counter)

    @classmethod
    def empty(cls, n_criteria: int) -> TrialStats:
        n = n_criteria
        return cls(0, dict.fromkeys(VERDICTS, 0), {s: [0] * n for s in STATUSES}, [0] * n, [0] * n, [0] * n, [0] * n,
                   lost_fail=[0] * n, lost_unknown=[0] * n)

    def accumulate(self, statuses: Sequence[str], verdict: str, n: int = 1) -> None:
        """Count `n` patients with the same status at each criterion (in rule-set order) and the same verdict."""
        self.screened += n
        self.verdicts[verdict] += n
        not_passed = [i for i, s in enumerate(statuses) if s != "pass"]
        failed = [i for i, s in enumerate(statuses) if s == "fail"]
        for i, s in enumerate(statuses):
            self.by_status[s][i] += n
        for i in range(failed[0] if failed else len(statuses)):
            self.remaining[i] += n
        for i in range(not_passed[0] if not_passed else len(statuses)):
            self.all_pass[i] += n
        if len(failed) == 1:
            self.sole_fail[failed[0]] += n
        if len(not_passed) == 1:
            self.would_be_eligible[not_passed[0]] += n
        lost = next((i for i, s in enumerate(statuses) if s in ("fail", "unknown")), None)
        if lost is None:
            self.pending_review += n
        elif statuses[lost] == "fail":
            self.lost_fail[lost] += n
        else:
            self.lost_unknown[lost] += n

    def count_person(self, statuses: Sequence[str], sex: str | None, age: int | None) -> None:
        """Count one patient's sex and age band, among those screened and (if every computable
        criterion passes) among those remaining."""
        self.count_people(sex, age, remaining(statuses))

    def count_people(self, sex: str | None, age: int | None, remains: bool, n: int = 1) -> None:
        """Count `n` patients of this sex and age, among those screened and, if they `remains` (every
        computable criterion passes), among those remaining."""
        keys = (f"sex:{sex or 'not recorded'}", f"age:{age_band(age)}")
        for k in keys:
            self.people[k] += n
        if remains:
            for k in keys:
                self.people[f"remaining.{k}"] += n

    def count_eligible_from(self, days: int | None) -> None:
        """Count one patient who becomes eligible in `days` days (None: not held back only by time)."""
        if days is not None:
            self.eligible_from["30" if days <= 30 else "90" if days <= 90 else "later"] += 1

    def merge(self, other: TrialStats) -> TrialStats:
        """The counts over both sets of patients (a new object; neither operand changes)."""
        return TrialStats(
            self.screened + other.screened,
            {v: self.verdicts[v] + other.verdicts[v] for v in VERDICTS},
            {s: _add(self.by_status[s], other.by_status[s]) for s in STATUSES},
            _add(self.remaining, other.remaining),
            _add(self.all_pass, other.all_pass),
            _add(self.sole_fail, other.sole_fail),
            _add(self.would_be_eligible, other.would_be_eligible),
            self.missing + other.missing,
            _add(self.lost_fail, other.lost_fail),
            _add(self.lost_unknown, other.lost_unknown),
            self.pending_review + other.pending_review,
            self.eligible_from + other.eligible_from,
            self.people + other.people,
        )

    def to_json(self) -> dict[str, Any]:
        return {"screened": self.screened, "verdicts": dict(self.verdicts), **self.by_status,
                "remaining": self.remaining, "all_pass": self.all_pass, "sole_fail": self.sole_fail,
                "would_be_eligible": self.would_be_eligible, "missing": dict(sorted(self.missing.items())),
                "lost_fail": self.lost_fail, "lost_unknown": self.lost_unknown, "pending_review": self.pending_review,
                "eligible_from": dict(sorted(self.eligible_from.items())), "people": dict(sorted(self.people.items()))}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrialStats:
        return cls(data["screened"], {v: data["verdicts"][v] for v in VERDICTS}, {s: list(data[s]) for s in STATUSES},
                   list(data["remaining"]), list(data["all_pass"]), list(data["sole_fail"]),
                   list(data["would_be_eligible"]), Counter(data["missing"]), list(data["lost_fail"]),
                   list(data["lost_unknown"]), data["pending_review"], Counter(data["eligible_from"]),
                   Counter(data["people"]))


@dataclass
class ChunkStats:
    """Counts over the lines of one chunk, or of several chunks merged; `trials` by trial id.

    Screening dates: `own_dates` counts the patients screened at their own date, by date
    (YYYY-MM-DD); the others were screened at the batch date. `overridden` counts the patients
    whose own date --force-as-of replaced by another.
    """

    lines: int = 0
    patients: int = 0
    blank: int = 0
    malformed: int = 0
    import_warnings: int = 0
    patients_with_warnings: int = 0
    trials: dict[str, TrialStats] = field(default_factory=dict)
    own_dates: Counter[str] = field(default_factory=Counter)
    overridden: int = 0

    @classmethod
    def empty(cls, criteria: Mapping[str, int], lines: int = 0) -> ChunkStats:
        """No patient counted yet, for trials with the given number of criteria."""
        return cls(lines=lines, trials={t: TrialStats.empty(n) for t, n in criteria.items()})

    def count_import_warnings(self, n: int) -> None:
        """One patient imported from FHIR with `n` warnings."""
        self.import_warnings += n
        self.patients_with_warnings += n > 0

    def count_date(self, used: dt.date, at_own_date: bool, overridden: bool) -> None:
        """One patient screened at `used`: its own date, or the batch date (which replaced its own)."""
        if at_own_date:
            self.own_dates[used.isoformat()] += 1
        self.overridden += overridden

    @property
    def at_own_date(self) -> int:
        return sum(self.own_dates.values())

    def merge(self, other: ChunkStats) -> ChunkStats:
        """The counts over both sets of lines (a new object; neither operand changes)."""
        if self.trials.keys() != other.trials.keys():
            raise ValueError(f"cannot merge statistics of other trials: {sorted(self.trials)} and {sorted(other.trials)}")
        return ChunkStats(
            self.lines + other.lines,
            self.patients + other.patients,
            self.blank + other.blank,
            self.malformed + other.malformed,
            self.import_warnings + other.import_warnings,
            self.patients_with_warnings + other.patients_with_warnings,
            {t: ts.merge(other.trials[t]) for t, ts in self.trials.items()},
            self.own_dates + other.own_dates,
            self.overridden + other.overridden,
        )

    def to_json(self) -> dict[str, Any]:
        return {"lines": self.lines, "patients": self.patients, "blank": self.blank, "malformed": self.malformed,
                "import_warnings": self.import_warnings, "patients_with_warnings": self.patients_with_warnings,
                "own_dates": dict(sorted(self.own_dates.items())), "overridden": self.overridden,
                "trials": {t: ts.to_json() for t, ts in self.trials.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChunkStats:
        return cls(data["lines"], data["patients"], data["blank"], data["malformed"], data["import_warnings"],
                   data["patients_with_warnings"], {t: TrialStats.from_json(ts) for t, ts in data["trials"].items()},
                   Counter(data["own_dates"]), data["overridden"])
