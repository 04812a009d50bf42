"""The output folder: one batch at a time runs in it (a second one is refused, naming the first one's
pid, and the lock is released however a run ends); a file in the way, a read-only folder, a full
disk, an unreadable cohort or a killed worker is an error naming the path and the reason (exit 2)."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import multiprocessing
import os
import signal
from pathlib import Path
from typing import BinaryIO, NoReturn

import pytest

from screening.batch import BatchError, run_batch
from screening.batch import parts as parts_module
from screening.batch import summary as summary_module
from screening.batch.config import BatchConfig
from screening.batch.manifest import MANIFEST
from screening.batch.outdir import LOCK, locked
from screening.batch.parts import PARTS, prepare_parts_dir
from screening.batch.plan import plan_jsonl
from screening.batch.worker import screen_chunk
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

    def open_then_lose_the_race(path: Path) -> tuple[int, bool] | None:
        result = real_open(path)
        assert result is not None
        if not opened:  # the holder ends between our open and our lock: its file is removed
            path.unlink()
        opened.append(result[0])
        return result

    monkeypatch.setattr(outdir_module, "_open", open_then_lose_the_race)
    with locked(tmp_path):
        assert len(opened) == 2
        held = os.fstat(opened[1])
        assert (held.st_dev, held.st_ino) == ((tmp_path / LOCK).stat().st_dev, (tmp_path / LOCK).stat().st_ino)


# --- file system errors: the path and the reason, exit 2, no temp file left ------------------

def test_an_outdir_that_is_a_file_or_under_one_is_named(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("a file")
    with pytest.raises(BatchError, match=rf"^{blocker}: the output folder is a file, not a folder$"):
        run_batch(small_cohort, blocker, as_of=DAY, rules_dir=batch_rules)
    under = blocker / "a" / "out"
    with pytest.raises(BatchError, match=rf"^{under}: cannot create the output folder: {blocker} is a file, not a folder$"):
        run_batch(small_cohort, under, as_of=DAY, rules_dir=batch_rules)
    assert blocker.read_text() == "a file"


@pytest.mark.slow
def test_the_cli_names_a_file_in_the_way_with_exit_2(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("a file")
    for out in (blocker, blocker / "out"):
        proc = run_cli("batch", str(small_cohort), "--rules", str(batch_rules), "--as-of", AS_OF, "-o", str(out),
                       check=False)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith(f"error: {out}: ") and "is a file, not a folder" in proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_folder_is_named(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(BatchError, match=rf"^{parent / 'out'}: cannot create the output folder: Permission denied$"):
            run_batch(small_cohort, parent / "out", as_of=DAY, rules_dir=batch_rules)
        with pytest.raises(BatchError, match=rf"^{parent / PARTS}: cannot prepare the output folder: Permission denied$"):
            run_batch(small_cohort, parent, as_of=DAY, rules_dir=batch_rules)
    finally:
        parent.chmod(0o755)


def test_a_full_disk_when_a_chunk_is_written_is_named(batch_rules: Path, small_cohort: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's part files (screened here, in this process) on a disk that reports itself full
    when the data is flushed (as fsync does on a full disk): the part is named, no temp file stays."""
    out = tmp_path / "out"
    (out / PARTS).mkdir(parents=True)
    cfg = BatchConfig(str(small_cohort), str(out), str(batch_rules), ("BATCH-T1",), DAY, 11, "jsonl")
    monkeypatch.setattr(parts_module.os, "fsync", _disk_full)
    try:
        with pytest.raises(BatchError, match=rf"^{out / PARTS}/chunk-0000000.parquet: cannot write the batch output: "
                                             "No space left on device$"):
            screen_chunk(cfg, plan_jsonl(small_cohort, 11).chunks[0])
    finally:
        gc.unfreeze()  # init_worker freezes the collector: right for a worker, not for the test process
    assert list((out / PARTS).iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_when_the_outputs_are_assembled_is_named(batch_rules: Path, small_cohort: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver runs out of space while it concatenates the parts: a clear error, no temp file, the
    parts kept; once there is room again, the same command assembles the same outputs."""
    whole, out = tmp_path / "whole", tmp_path / "out"
    run_batch(small_cohort, whole, as_of=DAY, rules_dir=batch_rules, chunk_size=3)
    real_append = summary_module._append
    calls: list[Path] = []

    def append_until_full(f: BinaryIO, part: Path) -> None:
        calls.append(part)
        if len(calls) == 3:
            _disk_full()
        real_append(f, part)

    monkeypatch.setattr(summary_module, "_append", append_until_full)
    with pytest.raises(BatchError, match=rf"^{out}: cannot assemble the batch output: No space left on device$"):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, PARTS]  # no temp file, no lock, no half output
    assert len(list((out / PARTS).glob("*.stats.json"))) == 4
    monkeypatch.undo()
    again = run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3)
    assert again.chunks_skipped == 4
    for name in ("results.jsonl", "errors.jsonl", "summary.json", "results.parquet"):
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name


def test_stale_temp_files_are_removed_when_a_run_starts(tmp_path: Path) -> None:
    """A driver killed while it assembled or recorded leaves temp files beside the outputs: the next
    run, holding the lock, removes them (and only them)."""
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / "results.parquet.tmp-123", out / "summary.json.tmp-9", out / f"{MANIFEST}.tmp-77"]
    for p in [*stale, out / "notes.tmp-1"]:
        p.write_text("half")
    prepare_parts_dir(out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.tmp-1", PARTS]


def test_an_unreadable_cohort_is_named(batch_rules: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cohort.parquet"
    bad.write_text("not parquet")
    with pytest.raises(BatchError, match=rf"^{bad}: cannot read the cohort as Parquet: .*magic bytes"):
        run_batch(bad, tmp_path / "out", as_of=DAY, rules_dir=batch_rules)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_a_clean_error(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    def kill_a_worker(_: int) -> None:
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]

    with pytest.raises(BatchError, match=r"^a worker process ended abruptly \(killed, or out of memory\?\): .* The "
                                         r"chunks finished are kept: run the same command again to resume$"):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=1, on_chunk=kill_a_worker)
    assert not (out / LOCK).exists()
    assert run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=1).resumed


def _disk_full(*_: object) -> NoReturn:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_lock_file_this_process_cannot_write_is_locked_read_only(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user's lock file (which this one may not open for writing) is still locked, through a
    read-only descriptor; in a folder where it can neither create nor open one, a run takes no lock."""
    from screening.batch import outdir as outdir_module

    real_open = os.open

    def no_write(path: str, flags: int, *args: int) -> int:
        if flags & os.O_RDWR:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args)

    with locked(tmp_path):  # a run of the lock file's owner
        with monkeypatch.context() as m:
            m.setattr(outdir_module.os, "open", no_write)
            with pytest.raises(BatchError, match=rf"another batch is running in this folder \(pid {os.getpid()}\)"):
                with locked(tmp_path):
                    pass
    (tmp_path / LOCK).write_text("")  # another user's, left by a killed run
    with monkeypatch.context() as m:
        m.setattr(outdir_module.os, "open", no_write)
        with locked(tmp_path):  # a holder that cannot write its pid: none is named
            with pytest.raises(BatchError, match=r"another batch is running in this folder; wait for it"):
                with locked(tmp_path):  # a second run, refused while the first holds it read-only
                    pass
        (tmp_path / LOCK).unlink(missing_ok=True)
        with locked(tmp_path):  # nothing to open, nothing to create: read-only to this process
            assert not (tmp_path / LOCK).exists()


@pytest.mark.slow
def test_a_complete_batch_whose_summary_cannot_be_read_is_named(batch_rules: Path, small_cohort: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules)
    (out / "summary.json").write_text('{"trials": [', encoding="utf-8")
    with pytest.raises(BatchError, match=rf"^{out}/summary.json: cannot read the summary of this complete batch: "
                                         r"Expecting value: .*; run it again with --restart$"):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules)
    (out / "summary.json").unlink()
    with pytest.raises(BatchError, match=r"summary.json: cannot read the summary of this complete batch: No such file"):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules)
    assert run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, restart=True).summary["cohort"]["patients"] == 6
