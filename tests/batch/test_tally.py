"""A worker counts a chunk's patients by status vector and writes its result rows with a cached
encoder: both must give exactly what counting and encoding patient by patient gives."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from screening.batch.parts import ResultRow, RowEncoder, row_json
from screening.batch.stats import TrialStats
from screening.batch.worker import TrialTally
from screening.core.vocab import STATUSES, VERDICTS

N_CRITERIA = 4
CRITERIA = [(f"c{i}", []) for i in range(N_CRITERIA)]
SEX = st.sampled_from([None, "female", "male", "other"])
AGE = st.one_of(st.none(), st.integers(0, 110))
PATIENT = st.tuples(st.lists(st.sampled_from(STATUSES), min_size=N_CRITERIA, max_size=N_CRITERIA).map(tuple),
                    st.sampled_from(VERDICTS), SEX, AGE)


@given(st.lists(PATIENT, max_size=60))
def test_a_tally_folds_into_the_counts_of_one_patient_at_a_time(patients: list[tuple]) -> None:
    one_by_one, tallied = TrialStats.empty(N_CRITERIA), TrialStats.empty(N_CRITERIA)
    tally = TrialTally(CRITERIA)  # type: ignore[arg-type]
    for statuses, verdict, sex, age in patients:
        one_by_one.accumulate(statuses, verdict)
        one_by_one.count_person(statuses, sex, age)
        vec = tally.vector(statuses)
        assert vec.pairs == tuple((f"c{i}", s) for i, s in enumerate(statuses))
        assert vec.unknown == ("unknown" in statuses)
        tally.verdicts[statuses, verdict] += 1
        tally.people[sex, age, vec.remains] += 1
    tally.fold_into(tallied)
    assert tallied == one_by_one
    assert tallied.to_json() == one_by_one.to_json()
    tally.fold_into(tallied)  # folding empties the tally: a second fold counts nothing twice
    assert tallied == one_by_one


@given(st.lists(st.sampled_from(STATUSES), min_size=N_CRITERIA, max_size=N_CRITERIA), st.sampled_from(VERDICTS),
       st.integers(1, 5))
def test_counting_n_patients_at_once_equals_n_times_one(statuses: list[str], verdict: str, n: int) -> None:
    once, repeated = TrialStats.empty(N_CRITERIA), TrialStats.empty(N_CRITERIA)
    once.accumulate(statuses, verdict, n)
    once.count_people("female", 40, True, n)
    for _ in range(n):
        repeated.accumulate(statuses, verdict)
        repeated.count_people("female", 40, True)
    assert once == repeated


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)  # quotes, backslashes, controls, non-ASCII
DATE = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
ROW = st.builds(ResultRow, line=st.integers(0, 10**12), patient_id=TEXT, as_of=DATE,
                trial_id=st.sampled_from(["NCT01420432", "T-\u00e9\"x\\"]), verdict=st.sampled_from(VERDICTS),
                statuses=st.lists(st.tuples(TEXT, st.sampled_from(STATUSES)), max_size=5).map(tuple),
                eligible_from=st.one_of(st.none(), DATE), sex=st.one_of(st.none(), TEXT), age=AGE)


@given(st.lists(ROW, max_size=20))
def test_the_row_encoder_writes_the_reference_json(rows: list[ResultRow]) -> None:
    encoder = RowEncoder()  # one encoder for all rows, as for a chunk: its caches must not leak between rows
    assert encoder.jsonl(rows) == "".join(row_json(r) + "\n" for r in rows).encode()
    for r in rows:
        assert json.loads(encoder.line(r))["patient_id"] == r.patient_id
