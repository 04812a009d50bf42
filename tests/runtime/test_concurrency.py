"""Evaluations from many threads at once give the same answers as sequential ones."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.patient_gen import AS_OF, cohort

THREADS = 16


def _statuses(screener, p):
    return [(o.trial_id, o.verdict, tuple(sorted(o.statuses.items()))) for o in screener.outcomes(p, AS_OF)]


@pytest.mark.slow
def test_sixteen_threads_match_sequential_results():
    screener = Screener(load_catalog())
    patients = cohort(4000, seed=2024)
    assert len({p.model_dump_json() for p in patients}) == len(patients)  # all distinct
    sequential = [_statuses(screener, p) for p in patients]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        concurrent = list(pool.map(lambda p: _statuses(screener, p), patients, chunksize=7))
    assert concurrent == sequential
    # full documents (explanations included) agree too
    subset = patients[:400]
    seq_docs = [screener.screen(p, AS_OF).model_dump_json() for p in subset]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        par_docs = list(pool.map(lambda p: screener.screen(p, AS_OF).model_dump_json(), subset))
    assert par_docs == seq_docs
    # no session was left behind: the engine still evaluates after > 1,024 x 2 x trials sessions
    assert _statuses(screener, patients[0]) == sequential[0]
    screener.close()


def test_two_screeners_share_one_engine_without_interference():
    from screening.runtime.engine import Engine

    engine = Engine()
    a, b = Screener(load_catalog(), engine), Screener(load_catalog(), engine)
    patients = cohort(300, seed=5)
    expected = [_statuses(a, p) for p in patients]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(lambda ip: _statuses(a if ip[0] % 2 else b, ip[1]), enumerate(patients)))
    assert got == expected
