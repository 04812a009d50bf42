"""The benchmark's baseline (bench/baseline.py) is faithful: it agrees with the engine on every
status of a seeded cohort, so the engine is measured against a correct evaluator."""

from __future__ import annotations

from bench.baseline import Baseline
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.patient_gen import AS_OF, cohort


def test_the_baseline_agrees_with_the_engine() -> None:
    catalog = load_catalog()
    screener, baseline = Screener(catalog), Baseline(catalog)
    try:
        patients = cohort(300, seed=11)
        for p in patients:
            assert {o.trial_id: o.statuses for o in screener.outcomes(p, AS_OF)} == baseline.outcomes(p, AS_OF), p.id
    finally:
        screener.close()


def test_the_catalog_benchmark_screens_renamed_copies_alike(tmp_path) -> None:
    # bench/catalog_bench.py measures scale with renamed copies of the bundled trials: each copy
    # must be its own rule set (own id, own hash) deciding like the original (its conditions are
    # the original's, evaluated once for both: tests/runtime/test_packs.py)
    from bench.catalog_bench import make_catalog

    catalog = load_catalog(make_catalog(8, tmp_path))
    assert len(catalog.rulesets) == 8
    originals = [t for t in catalog.rulesets if "-c" not in t]
    assert len(originals) == 5
    copies = {t: t.rsplit("-c", 1)[0] for t in catalog.rulesets if t not in originals}
    assert len({catalog.rulesets[t].hash for t in catalog.rulesets}) == 8
    screener, baseline = Screener(catalog), Baseline(catalog)
    try:
        for p in cohort(25, seed=2):
            statuses = {o.trial_id: o.statuses for o in screener.outcomes(p, AS_OF)}
            assert statuses == baseline.outcomes(p, AS_OF)
            assert all(statuses[copy] == statuses[original] for copy, original in copies.items())
    finally:
        screener.close()
