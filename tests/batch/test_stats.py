"""Batch statistics: counts of one patient by hand; merging is associative, has the empty
statistics as identity and equals one pass over all patients, so chunking cannot change a summary."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.batch.stats import ChunkStats, TrialStats
from screening.core.vocab import STATUSES, VERDICTS

CRITERIA = {"T-A": 4, "T-B": 2}  # trial -> number of criteria


def test_one_patient_by_hand() -> None:
    ts = TrialStats.empty(4)
    ts.accumulate(["pass", "fail", "unknown", "pass"], "ineligible")
    assert ts.screened == 1 and ts.verdicts == {"eligible": 0, "ineligible": 1, "undetermined": 0}
    assert ts.by_status == {"pass": [1, 0, 0, 1], "fail": [0, 1, 0, 0], "unknown": [0, 0, 1, 0], "review": [0, 0, 0, 0]}
    assert ts.remaining == [1, 0, 0, 0]  # failed at the second criterion
    assert ts.all_pass == [1, 0, 0, 0]
    assert ts.sole_fail == [0, 1, 0, 0]  # the only failure...
    assert ts.would_be_eligible == [0, 0, 0, 0]  # ...but not the only criterion not passed
    ts.accumulate(["pass", "pass", "review", "pass"], "undetermined")
    assert ts.remaining == [2, 1, 1, 1] and ts.all_pass == [2, 1, 0, 0]
    assert ts.would_be_eligible == [0, 0, 1, 0] and ts.sole_fail == [0, 1, 0, 0]
    ts.accumulate(["pass"] * 4, "eligible")
    assert ts.remaining == [3, 2, 2, 2] and ts.all_pass == [3, 2, 1, 1]
    # the funnel of computable criteria: the first lost at the failing criterion, the second passes
    # every computable criterion (its third is for review), as does the third
    assert ts.lost_fail == [0, 1, 0, 0] and ts.lost_unknown == [0, 0, 0, 0] and ts.pending_review == 2
    ts.accumulate(["pass", "unknown", "fail", "pass"], "ineligible")
    assert ts.lost_fail == [0, 1, 0, 0] and ts.lost_unknown == [0, 1, 0, 0]  # lost to missing data first


def test_people_and_eligibility_dates_by_hand() -> None:
    ts = TrialStats.empty(2)
    ts.count_person(["pass", "review"], "female", 54)
    ts.count_person(["pass", "fail"], "male", 17)
    ts.count_person(["unknown", "pass"], None, None)
    assert ts.people == Counter({"sex:female": 1, "sex:male": 1, "sex:not recorded": 1, "age:50-59": 1,
                                 "age:under 18": 1, "age:not recorded": 1,
                                 "remaining.sex:female": 1, "remaining.age:50-59": 1})
    for days in (None, 1, 30, 31, 90, 91):
        ts.count_eligible_from(days)
    assert ts.eligible_from == Counter({"30": 2, "90": 2, "later": 1})


Outcome = tuple[list[str], str, list[str]]  # statuses (one per criterion), verdict, data missing
# "blank", "malformed" or (outcome by trial, import warnings[, own date: YYYY-MM-DD, "overridden" or None])
Line = str | tuple[dict[str, Outcome], int] | tuple[dict[str, Outcome], int, str | None]
BATCH_DATE = dt.date(2026, 12, 1)


def _outcome(n: int) -> st.SearchStrategy[Outcome]:
    return st.tuples(st.lists(st.sampled_from(STATUSES), min_size=n, max_size=n), st.sampled_from(VERDICTS),
                     st.lists(st.sampled_from(["weight", "creatinine", "consent"]), unique=True, max_size=2))


PATIENT = st.fixed_dictionaries({t: _outcome(n) for t, n in CRITERIA.items()})
OWN_DATE = st.sampled_from([None, "2026-10-01", "2026-11-01", "overridden"])
LINE = st.one_of(st.just("blank"), st.just("malformed"), st.tuples(PATIENT, st.integers(0, 3), OWN_DATE))
LINES = st.lists(LINE, max_size=25)


def tally(lines: list[Line]) -> ChunkStats:
    """Statistics of a run of lines, counted one by one (as a worker does)."""
    stats = ChunkStats.empty(CRITERIA, lines=len(lines))
    for line in lines:
        if line == "blank":
            stats.blank += 1
        elif line == "malformed":
            stats.malformed += 1
        elif isinstance(line, tuple):
            patient, warnings, *own = line
            stats.count_import_warnings(warnings)
            stats.patients += 1
            day = own[0] if own else None
            if day in (None, "overridden"):
                stats.count_date(BATCH_DATE, False, day == "overridden")
            else:
                stats.count_date(dt.date.fromisoformat(day), True, False)
            for k, (t, (statuses, verdict, missing)) in enumerate(patient.items()):
                stats.trials[t].accumulate(statuses, verdict)
                stats.trials[t].missing.update(missing)
                stats.trials[t].count_person(statuses, ["female", "male", None][warnings % 3], 40 + 7 * warnings)
                stats.trials[t].count_eligible_from([None, 12, 45, 400][(warnings + k) % 4])
    return stats


@given(LINES, LINES, LINES)
def test_merge_is_associative_and_equals_one_pass(a: list[Line], b: list[Line], c: list[Line]) -> None:
    sa, sb, sc = tally(a), tally(b), tally(c)
    before = copy.deepcopy((sa, sb, sc))
    left, right = sa.merge(sb).merge(sc), sa.merge(sb.merge(sc))
    assert left == right == tally(a + b + c)
    assert (sa, sb, sc) == before  # merging changes neither operand


@given(LINES, LINES)
def test_merge_is_commutative_with_the_empty_statistics_as_identity(a: list[Line], b: list[Line]) -> None:
    sa, sb = tally(a), tally(b)
    empty = ChunkStats.empty(CRITERIA)
    assert sa.merge(sb) == sb.merge(sa)
    assert empty.merge(sa) == sa.merge(empty) == sa


@given(LINES)
def test_json_round_trip(lines: list[Line]) -> None:
    stats = tally(lines)
    text = json.dumps(stats.to_json(), sort_keys=True)
    assert ChunkStats.from_json(json.loads(text)) == stats


def test_statistics_file_layout() -> None:
    """The part file's layout: totals, then per trial the counts with one key per status."""
    stats = tally([({"T-A": (["pass", "unknown", "pass", "fail"], "ineligible", ["weight"]),
                     "T-B": (["pass", "pass"], "eligible", [])}, 2), "blank"])
    data = stats.to_json()
    assert {k: v for k, v in data.items() if k != "trials"} == {
        "lines": 2, "patients": 1, "blank": 1, "malformed": 0, "import_warnings": 2, "patients_with_warnings": 1,
        "own_dates": {}, "overridden": 0}
    assert data["trials"]["T-A"] == {
        "screened": 1, "verdicts": {"eligible": 0, "ineligible": 1, "undetermined": 0},
        "pass": [1, 0, 1, 0], "fail": [0, 0, 0, 1], "unknown": [0, 1, 0, 0], "review": [0, 0, 0, 0],
        "remaining": [1, 1, 1, 0], "all_pass": [1, 0, 0, 0], "sole_fail": [0, 0, 0, 1], "would_be_eligible": [0, 0, 0, 0],
        "missing": {"weight": 1}, "lost_fail": [0, 0, 0, 0], "lost_unknown": [0, 1, 0, 0], "pending_review": 0,
        "eligible_from": {"90": 1}, "people": {"age:50-59": 1, "sex:not recorded": 1}}
    assert TrialStats.from_json(data["trials"]["T-B"]).missing == Counter()


def test_screening_dates_are_counted_by_kind() -> None:
    patient = {"T-A": (["pass"] * 4, "eligible", []), "T-B": (["pass"] * 2, "eligible", [])}
    stats = tally([(patient, 0, "2026-11-01"), (patient, 0, "2026-10-01"), (patient, 0, "2026-11-01"),
                   (patient, 0, None), (patient, 0, "overridden")])
    assert stats.own_dates == Counter({"2026-11-01": 2, "2026-10-01": 1}) and stats.at_own_date == 3
    assert stats.overridden == 1 and stats.patients - stats.at_own_date == 2
    assert stats.to_json()["own_dates"] == {"2026-10-01": 1, "2026-11-01": 2}  # sorted: part files are stable


def test_statistics_of_other_trials_do_not_merge() -> None:
    with pytest.raises(ValueError, match="other trials"):
        ChunkStats.empty({"T-A": 4}).merge(ChunkStats.empty({"T-B": 2}))
    with pytest.raises(ValueError):  # same trial, another number of criteria
        TrialStats.empty(4).merge(TrialStats.empty(3))
