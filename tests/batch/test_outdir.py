"""The output folder: one batch at a time runs in it (a second one is refused, naming the first one's
pid, and the lock is released however a run ends)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from screening.batch import BatchError, run_batch
from screening.batch.outdir import LOCK, locked
from tests.batch.conftest import AS_OF, run_cli

DAY = dt.date.fromisoformat(AS_OF)


class Stop(Exception):
    pass


@pytest.mark.slow
def test_a_second_run_in_a_locked_folder_is_refused(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        assert (out / LOCK).read_text() == f"{os.getpid()}\n"
        with pytest.raises(BatchError, match=rf"{out}: another batch is running in this folder \(pid {os.getpid()}\); "
                                             "wait for it to end or use another output folder"):
            run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules)
        assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing of the refused run
    assert not (out / LOCK).exists()
    run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules)  # free again
    assert not (out / LOCK).exists()


@pytest.mark.slow
def test_the_cli_refuses_a_second_run_with_exit_2(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):  # held by this process, as a running batch's driver holds it
        proc = run_cli("batch", str(small_cohort), "--rules", str(batch_rules), "--as-of", AS_OF, "-o", str(out),
                       check=False)
        assert sorted(p.name for p in out.iterdir()) == [LOCK]
    assert proc.returncode == 2, proc.stderr
    assert f"another batch is running in this folder (pid {os.getpid()})" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_the_lock_is_released_when_a_run_fails(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    def stop(_: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3, on_chunk=stop)
    assert not (out / LOCK).exists()
    assert run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3).resumed


@pytest.mark.slow
def test_a_lock_file_left_by_a_killed_run_does_not_block(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text("999999\n")  # the driver was killed: the kernel released its lock, the file stayed
    run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules)
    assert (out / "summary.json").exists() and not (out / LOCK).exists()


def test_a_run_waiting_on_a_removed_lock_file_locks_the_new_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that opened the lock file just before its holder removed it must not lock the removed
    file (a third run would lock the new one beside it): it sees the file gone and opens it again."""
    from screening.batch import outdir as outdir_module

    opened: list[int] = []
    real_open = outdir_module._open

    def open_then_lose_the_race(path: Path) -> int:
        fd = real_open(path)
        if not opened:  # the holder ends between our open and our lock: its file is removed
            path.unlink()
        opened.append(fd)
        return fd

    monkeypatch.setattr(outdir_module, "_open", open_then_lose_the_race)
    with locked(tmp_path):
        assert len(opened) == 2
        held = os.fstat(opened[1])
        assert (held.st_dev, held.st_ino) == ((tmp_path / LOCK).stat().st_dev, (tmp_path / LOCK).stat().st_ino)
