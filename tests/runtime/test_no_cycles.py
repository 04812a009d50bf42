"""A screened patient's facts, values and evidence are freed by reference counting alone when
screening ends: nothing of a screening is left in reference cycles for the garbage collector to
find (each cycle would cost a batch worker collections and cache misses, per patient).

Each test screens with the collector off, after a collection, and saves what the next collection
finds (`gc.DEBUG_SAVEALL`): nothing of the project's own types, and next to nothing at all."""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from patients.io import load_patient
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.patient_gen import AS_OF, cohort

ROOT = Path(__file__).resolve().parents[2]
SYNTHEA = sorted(Path("/work/shared/data/fhir/synthea").glob("*.json"))
EXAMPLES = sorted((ROOT / "patients" / "examples").glob("*.json"))
OWN = ("screening.", "patients.", "api.")


@pytest.fixture(scope="module")
def screener() -> Iterator[Screener]:
    s = Screener(load_catalog())
    for p in cohort(20, seed=3):  # first use: shared values, memos, imports
        s.report_json(s.screen(p, AS_OF))
    yield s
    s.close()


def cyclic_garbage(work: Callable[[], None]) -> Counter[str]:
    """Type name -> count of the objects `work` left in reference cycles, the second time it runs
    (the first parses each unit string the patients use once per process, see `core.units`)."""
    work()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def assert_no_cycles(found: Counter[str], patients: int) -> None:
    own = {t: n for t, n in found.items() if t.startswith(OWN)}
    assert not own, f"screening left the project's objects in reference cycles: {own}"
    # nothing else either, beyond a few objects of the libraries underneath (none today)
    assert sum(found.values()) <= patients, found.most_common(10)


def test_verdicts_leave_no_cycles(screener: Screener) -> None:
    patients = list(cohort(60, seed=7))
    found = cyclic_garbage(lambda: _each(patients, lambda p: screener.outcomes(p, AS_OF)))
    assert_no_cycles(found, len(patients))


def test_one_trial_at_a_time_leaves_no_cycles(screener: Screener) -> None:
    patients = list(cohort(20, seed=8))
    trials = list(screener.catalog.rulesets)
    found = cyclic_garbage(lambda: _each(patients, lambda p: [screener.outcomes(p, AS_OF, [t]) for t in trials]))
    assert_no_cycles(found, len(patients))


def test_explained_and_served_results_leave_no_cycles(screener: Screener) -> None:
    patients = list(cohort(60, seed=9))
    found = cyclic_garbage(lambda: _each(patients, lambda p: screener.report_json(screener.screen(p, AS_OF))))
    assert_no_cycles(found, len(patients))


@pytest.mark.skipif(not SYNTHEA, reason="the Synthea bundles are not on this machine")
def test_synthea_bundles_imported_and_screened_leave_no_cycles(screener: Screener) -> None:
    as_of = dt.date(2026, 11, 22)
    found = cyclic_garbage(lambda: _each(SYNTHEA, lambda f: screener.report_json(screener.screen(load_patient(f), as_of))))
    assert_no_cycles(found, len(SYNTHEA))


def test_bundled_examples_leave_no_cycles(screener: Screener) -> None:
    assert EXAMPLES
    as_of = dt.date(2026, 11, 22)

    def screen(f: Path) -> None:
        p = load_patient(f)
        screener.report_json(screener.screen(p, as_of))
        screener.outcomes(p, as_of)
    found = cyclic_garbage(lambda: _each(EXAMPLES, screen))
    assert_no_cycles(found, len(EXAMPLES))


def _each(items: list[Any], fn: Callable[[Any], object]) -> None:
    for x in items:
        fn(x)


def test_a_batch_workers_patients_leave_no_cycles(tmp_path: Path) -> None:
    """The batch worker's per-patient work (parse, screen, eligibility dates, tally) as
    `screening batch` does it, chunk by chunk."""
    from screening.batch.config import BatchConfig
    from screening.batch.plan import plan_input
    from screening.batch.stats import ChunkStats
    from screening.batch.worker import ChunkOutput, _screen_items, init_worker, read_items
    from screening.ruleset.catalog import default_rules_dir

    path = tmp_path / "cohort.jsonl"
    path.write_text("".join(p.model_dump_json(exclude_none=True) + "\n" for p in cohort(100, seed=12)))
    rules = str(default_rules_dir().resolve())
    state = init_worker(rules, ())
    cfg = BatchConfig(str(path), str(tmp_path / "out"), rules, tuple(state.measures), AS_OF, 50, "jsonl", False)
    items = [item for c in plan_input(path, "jsonl", 50).chunks for item in read_items(cfg, c)]
    counts = {t: len(m) for t, m in state.measures.items()}

    def chunks() -> None:
        for k in range(0, len(items), 50):
            out = ChunkOutput(ChunkStats.empty(counts, lines=50))
            _screen_items(iter(items[k:k + 50]), state, cfg, out)
            assert (out.stats.patients, out.stats.malformed) == (len(items[k:k + 50]), 0)
            out.finish()
    found = cyclic_garbage(chunks)
    assert_no_cycles(found, len(items))
