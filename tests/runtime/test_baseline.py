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
