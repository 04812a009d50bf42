"""The executors: Dask gives the local process pool's outputs; an unknown executor is named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from screening.batch import BatchError, run_batch
from screening.batch.executors import DaskExecutor, LocalExecutor, executor_for
from tests.batch.conftest import AS_OF

DAY = dt.date.fromisoformat(AS_OF)


@pytest.mark.slow
def test_dask_executor_equals_local(batch_rules: Path, synthetic_cohort: Path, tmp_path: Path) -> None:
    local = run_batch(synthetic_cohort, tmp_path / "local", as_of=DAY, rules_dir=batch_rules, workers=2, chunk_size=60)
    dask = run_batch(synthetic_cohort, tmp_path / "dask", as_of=DAY, rules_dir=batch_rules, workers=2, chunk_size=60,
                     executor="dask")
    assert local.summary == dask.summary
    assert local.summary["cohort"]["patients"] == 400 and local.summary["errors"]["count"] == 1
    for name in ("results.jsonl", "errors.jsonl", "summary.json"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    assert pq.read_table(tmp_path / "local" / "results.parquet").equals(pq.read_table(tmp_path / "dask" / "results.parquet"))


def test_executor_by_name() -> None:
    assert executor_for("local", 2, None) == LocalExecutor(2)
    assert executor_for("dask", 2, "tcp://scheduler:8786") == DaskExecutor(2, "tcp://scheduler:8786")
    with pytest.raises(BatchError, match=r"unknown executor 'spark' \(local or dask\)"):
        executor_for("spark", 2, None)


def test_a_bad_scheduler_address_is_named(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match=r"^garbage: cannot connect to the Dask scheduler: missing port number"):
        DaskExecutor(1, "garbage").run(None, [], None)  # type: ignore[arg-type]
