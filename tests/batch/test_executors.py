"""The executors: Dask gives the local process pool's outputs; an unknown executor or a bad scheduler
address is named; worker processes end when their driver is killed."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from screening.batch import BatchError, run_batch
from screening.batch.executors import DaskExecutor, LocalExecutor, executor_for
from tests.batch.conftest import AS_OF, start_stalled

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


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether `pid` still runs (a zombie, ended but not yet reaped by its new parent, does not)."""
    try:
        text = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="lists processes from /proc")
def test_workers_end_when_the_driver_is_killed(batch_rules: Path, synthetic_cohort: Path, tmp_path: Path) -> None:
    """`kill -9` of the driver alone (not its process group): its worker processes and the resource
    tracker end too, within seconds, instead of waiting for work for ever."""
    proc = start_stalled("batch", str(synthetic_cohort), "--rules", str(batch_rules), "--as-of", AS_OF, "--workers",
                         "2", "--chunk-size", "20", "-o", str(tmp_path / "out"), marker=tmp_path / "stalled", after=1)
    try:
        children = _children(proc.pid)
        assert len(children) >= 2  # the workers (and the resource tracker)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while [p for p in children if _running(p)] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p for p in children if _running(p)] == [], "processes outlived their driver"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its session, so that a failure leaks nothing
