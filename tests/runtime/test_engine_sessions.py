"""One reused session per ruleset: a patient's fact never reaches the next evaluation.

Creating a durable_rules session makes its C core allocate and zero a state of about 8 KB per
rule (two 512-slot frame indexes per rete node, `createStateNode` in the core's state.c): with
the bundled packs, over half a megabyte per patient, far more than matching the fact. The
adapter keeps one session per ruleset and retracts each fact after its evaluation instead. These
experiments on the real engine check that this is exactly equivalent to a fresh session each time.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from screening.ruleset.catalog import load_catalog
from screening.runtime import engine as engine_module
from screening.runtime.engine import Engine, EngineError
from screening.runtime.evaluate import Screener
from tests.patient_gen import AS_OF, cohort

ANCHOR = {"t": "p"}


def rule(cond: dict[str, Any]) -> dict[str, Any]:
    return {"all": [{"m": {"$and": [ANCHOR, cond]}}]}


RULES = {
    "ge5": rule({"$gte": {"x": 5}}),
    "lt5": rule({"$lt": {"x": 5}}),
    "has_y": rule({"$gte": {"y": 0}}),
    "low_y": rule({"$and": [{"$lt": {"x": 1000}}, {"$lt": {"y": -1000}}]}),
}


@pytest.fixture
def engines() -> Any:
    fresh, reused = Engine(reuse_sessions=False), Engine()
    for e in (fresh, reused):
        e.load("s@1", RULES)
    yield fresh, reused
    fresh.close()
    reused.close()


def _random_fact(rng: random.Random) -> dict[str, Any]:
    fact: dict[str, Any] = {"t": "p"}
    if rng.random() < 0.8:
        fact["x"] = rng.choice([0, 4, 5, 6, 4.5, -2000])
    if rng.random() < 0.5:
        fact["y"] = rng.choice([-5000, 0, 3])
    if rng.random() < 0.5:
        fact["z"] = [rng.choice([1, 3, 7]) for _ in range(rng.randrange(0, 3))]  # stored, never matched
    return fact


def test_a_reused_session_forgets_the_previous_fact(engines: Any) -> None:
    fresh, reused = engines
    rng = random.Random(5)
    facts = [_random_fact(rng) for _ in range(3000)]  # identical facts in a row included
    assert [reused.fired("s@1", f) for f in facts] == [fresh.fired("s@1", f) for f in facts]
    # a fact that fires many rules, then one that fires none: nothing carries over
    assert reused.fired("s@1", {"t": "p", "x": 6, "y": 0, "z": [9]}) == {"ge5", "has_y"}
    assert reused.fired("s@1", {"t": "p"}) == set()
    assert reused.fired("s@1", {"t": "p", "x": 6, "y": 0, "z": [9]}) == {"ge5", "has_y"}


def test_one_session_per_ruleset_is_kept(engines: Any) -> None:
    _, reused = engines
    for i in range(2000):  # more than the 1,024 live sessions a ruleset can hold
        reused.fired("s@1", {"t": "p", "x": i})
    assert len(reused._sessions) == 1  # one handle, one live session, reused throughout
    assert len(set(reused._sessions.values())) == 1


def test_a_fact_with_an_id_is_retracted_by_that_id(engines: Any) -> None:
    fresh, reused = engines
    for x in (6, 6, 1, 6):
        fact = {"t": "p", "x": x, "id": "same"}
        assert reused.fired("s@1", fact) == fresh.fired("s@1", fact)


def test_a_failed_evaluation_drops_the_session_and_the_next_starts_clean(engines: Any, monkeypatch) -> None:
    _, reused = engines
    assert reused.fired("s@1", {"t": "p", "x": 6}) == {"ge5"}
    first_sid = next(iter(reused._sessions.values()))
    calls = 0
    real = engine_module._complete_and_start_action

    def failing(handle: int, state: Any) -> Any:
        nonlocal calls
        calls += 1
        raise engine_module._core.error("simulated failure after the first rule")

    monkeypatch.setattr(engine_module, "_complete_and_start_action", failing)
    with pytest.raises(EngineError):
        reused.fired("s@1", {"t": "p", "x": 6, "y": 0})  # two rules fire: the second is never read
    assert calls == 1
    assert reused._sessions == {}  # the session with its fact and pending rule is deleted
    monkeypatch.setattr(engine_module, "_complete_and_start_action", real)
    assert reused.fired("s@1", {"t": "p", "x": 1}) == {"lt5"}  # no leftover "ge5"/"has_y"
    assert next(iter(reused._sessions.values())) != first_sid


def test_a_refused_fact_leaves_the_reused_session_usable(engines: Any) -> None:
    fresh, reused = engines
    too_many = {"t": "p", **{f"k{i}": i for i in range(300)}}  # beyond the core's property limit
    for e in (fresh, reused):
        assert e.fired("s@1", {"t": "p", "x": 6}) == {"ge5"}
        with pytest.raises(EngineError):
            e.fired("s@1", too_many)
        assert e.fired("s@1", {"t": "p", "x": 1}) == {"lt5"}


def test_unloading_deletes_the_reused_session_and_a_reload_starts_afresh(engines: Any) -> None:
    _, reused = engines
    assert reused.fired("s@1", {"t": "p", "x": 6}) == {"ge5"}
    reused.unload("s@1")
    assert reused._sessions == {}
    reused.load("s@1", RULES)
    assert reused.fired("s@1", {"t": "p", "x": 6}) == {"ge5"}


def _outcomes(screener: Screener, patients: list) -> list:
    return [[(o.trial_id, o.verdict, tuple(sorted(o.statuses.items()))) for o in screener.outcomes(p, AS_OF)]
            for p in patients]


def test_a_cohort_gets_the_same_outcomes_with_reused_and_fresh_sessions() -> None:
    catalog = load_catalog()
    fresh, reused = Screener(catalog, Engine(reuse_sessions=False)), Screener(catalog, Engine())
    patients = cohort(600, seed=31)
    # evaluated twice, in a different order the second time: no outcome depends on the previous patient
    expected = _outcomes(fresh, patients)
    assert _outcomes(reused, patients) == expected
    assert _outcomes(reused, patients[::-1]) == expected[::-1]
    assert len(reused.engine._sessions) == sum(len(reused.engine._handles[p.name]) for p in reused.plan.packs)
    fresh.close()
    reused.close()


def test_threads_sharing_a_reused_engine_match_sequential_results() -> None:
    screener = Screener(load_catalog())
    patients = cohort(300, seed=77)
    sequential = _outcomes(screener, patients)
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda p: _outcomes(screener, [p])[0], patients, chunksize=3))
    assert concurrent == sequential
    screener.close()
