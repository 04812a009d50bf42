"""Batch eligibility dates: every date in the results' eligible_from column is confirmed by
screening the patient again, with the real engine, at that date (every computable criterion
passes) and the day before (not all do); the summary's counts are the column's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patients.io import patient_from_json, unwrap_dated_patient
from patients.synthetic import load_spec, write_cohort
from screening.batch import run_batch
from screening.ruleset.catalog import load_catalog
from screening.runtime.eligibility import reached
from screening.runtime.evaluate import Screener
from tests.paths import REPO

pytestmark = pytest.mark.slow  # a batch of 1,500 patients against the five bundled trials

PLANTED = "planted-trial-6-months"


def _planted() -> bytes:
    """A woman held back from NCT02566655 only by a trial that ended on 2026-09-10 (6 months: 2027-03-11)."""
    doc = json.loads((REPO / "patients" / "examples" / "osteoporosis_patient.json").read_text())
    doc["id"] = PLANTED
    doc["administrative"]["trial_participations"] = [{"trial_id": "NCT0999", "start": "2026-03-01", "end": "2026-09-10"}]
    return json.dumps({"patient": doc, "as_of": "2026-11-22"}).encode()


@pytest.fixture(scope="module")
def dated_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("eligibility-batch")
    cohort = folder / "cohort.jsonl"
    write_cohort(cohort, load_spec(), 1500, seed=7)
    with cohort.open("ab") as f:
        f.write(_planted() + b"\n")
    run_batch(cohort, folder / "out", chunk_size=128)
    return folder


def test_every_date_is_confirmed_by_screening_again(dated_run: Path) -> None:
    lines = (dated_run / "cohort.jsonl").read_bytes().splitlines()
    rows = pq.read_table(dated_run / "out" / "results.parquet").to_pylist()
    dated = [r for r in rows if r["eligible_from"] is not None]
    assert len(dated) >= 8, "the cohort should hold patients held back only by time"
    screener = Screener(load_catalog())
    try:
        for r in dated:
            doc, _ = unwrap_dated_patient(json.loads(lines[r["line"] - 1]), "line")
            profile, _ = patient_from_json(doc, "line")
            assert r["verdict"] != "eligible" and not reached(dict(r["statuses"]).values())
            at = screener.outcomes(profile, r["eligible_from"], [r["trial_id"]])[0].statuses
            before = screener.outcomes(profile, r["eligible_from"] - dt.timedelta(days=1), [r["trial_id"]])[0].statuses
            assert reached(at.values()) and not reached(before.values()), (r["patient_id"], r["trial_id"])
    finally:
        screener.close()
    planted = [r for r in dated if r["patient_id"] == PLANTED]
    assert [(r["trial_id"], r["eligible_from"]) for r in planted] == [("NCT02566655", dt.date(2027, 3, 11))]


def test_summary_counts_are_the_columns(dated_run: Path) -> None:
    rows = pq.read_table(dated_run / "out" / "results.parquet").to_pylist()
    summary = json.loads((dated_run / "out" / "summary.json").read_text())
    for t in summary["trials"]:
        days = [(r["eligible_from"] - r["as_of"]).days for r in rows
                if r["trial_id"] == t["trial_id"] and r["eligible_from"] is not None]
        assert t["eligible_from"] == {"within_30_days": sum(d <= 30 for d in days),
                                      "within_90_days": sum(d <= 90 for d in days),
                                      "later": sum(d > 90 for d in days)}
        mine = [r for r in rows if r["trial_id"] == t["trial_id"]]
        pending = [r for r in mine if reached(dict(r["statuses"]).values())]
        assert t["pending_review"] == t["pessimistic"] == len(pending)
        assert t["optimistic"] == sum("fail" not in dict(r["statuses"]).values() for r in mine)
        assert sum(t["people"]["remaining"]["sex"].values()) == len(pending)
        assert t["people"]["remaining"]["sex"] == _count(r["sex"] or "not recorded" for r in pending)
        last = t["attrition"][-1]
        assert last["remaining_computable"] == len(pending)
        assert sum(a["lost_fail"] + a["lost_unknown"] for a in t["attrition"]) == len(mine) - len(pending)


def _count(values: object) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:  # type: ignore[attr-defined]
        out[v] = out.get(v, 0) + 1
    return out
