"""Run a batch: screen a cohort against trials at scale, resumably.

The driver checks the options, resolves the trials, plans the input into chunks
(`screening.batch.plan`), settles the screening dates (`screening.batch.dates`: each patient's
own date, else the batch date; a far `--as-of` refused), claims the output folder
(`screening.batch.outdir`: created, and locked for the run, so one batch at a time runs there;
`screening.batch.manifest`: a batch run again resumes, a complete one is not redone), has the
chunks not yet done screened by an executor (`screening.batch.executors`,
`screening.batch.worker`: each chunk leaves its part files) and, once it has checked that the
input is still the one it planned, assembles the parts in chunk order (`screening.batch.summary`). The driver never holds patients: its memory does not grow
with the cohort.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patients.io import patient_size_limit
from screening.batch.bulk import STAGING, stage
from screening.batch.config import BatchConfig, BatchError, TrialShape, trial_shapes
from screening.batch.dates import DatePolicy, date_policy
from screening.batch.executors import Executor, ProgressHook, executor_for
from screening.batch.manifest import BatchIdentity, PriorRun, open_outdir, record_complete
from screening.batch.outdir import locked, make_outdir, writing
from screening.batch.parts import PARTS, chunk_done, remove_parts
from screening.batch.plan import Chunk, check_unchanged, input_format, plan_input
from screening.batch.summary import assemble, read_summary
from screening.core.files import UnreadableFile
from screening.ruleset.catalog import default_rules_dir

PlanHook = Callable[[int, int], None]
WarningHook = Callable[[str], None]


@dataclass
class BatchResult:
    outdir: Path
    summary: dict[str, Any]
    chunks_total: int
    chunks_skipped: int  # chunks done by an earlier, interrupted run
    resumed: bool = False
    already_complete: bool = False


def run_batch(cohort: Path, outdir: Path, *, trial_ids: tuple[str, ...] = (), as_of: dt.date | None = None,
              force_as_of: bool = False, rules_dir: Path | None = None, workers: int = 1, chunk_size: int = 1000,
              executor: str = "local", scheduler: str | None = None, restart: bool = False,
              on_plan: PlanHook | None = None, on_chunk: ProgressHook | None = None,
              on_warning: WarningHook | None = None) -> BatchResult:
    """Run (or resume) a batch. Patients are screened at their own date, else at `as_of` (today when
    None, with a warning); `force_as_of` screens every patient at `as_of`. `on_plan(total_lines,
    done_lines)` and `on_chunk(lines)` report progress, `on_warning(message)` warnings."""
    cohort, outdir = Path(cohort).resolve(), Path(outdir).resolve()
    _check_options(cohort, chunk_size, workers)
    rules = Path(rules_dir).resolve() if rules_dir is not None else default_rules_dir().resolve()
    shapes = trial_shapes(rules, tuple(trial_ids))
    fmt = input_format(cohort)
    plan = plan_input(cohort, fmt, chunk_size)
    policy, warnings = date_policy(as_of, force_as_of, plan.dates, plan.lines)
    for w in warnings:
        (on_warning or _ignore)(w)
    cfg = BatchConfig(str(cohort), str(outdir), str(rules), tuple(s.trial_id for s in shapes), policy.as_of,
                      chunk_size, fmt, policy.force)
    identity = BatchIdentity.of(cfg, plan, shapes, policy)
    runner = executor_for(executor, workers, scheduler)
    make_outdir(outdir)
    with locked(outdir):  # one batch at a time in OUTDIR
        return _run_locked(cfg, plan.chunks, shapes, identity, policy, restart, runner, on_plan, on_chunk,
                           on_warning or _ignore)


def _run_locked(cfg: BatchConfig, chunks: list[Chunk], shapes: list[TrialShape], identity: BatchIdentity,
                policy: DatePolicy, restart: bool, executor: Executor, on_plan: PlanHook | None,
                on_chunk: ProgressHook | None, on_warning: WarningHook) -> BatchResult:
    """The part of a run that reads and writes OUTDIR, under its lock."""
    outdir = Path(cfg.outdir)
    with writing(outdir, "cannot prepare the output folder"):
        prior = open_outdir(outdir, identity, restart)
    if prior is PriorRun.COMPLETE:
        return BatchResult(outdir, read_summary(outdir), len(chunks), len(chunks), resumed=True, already_complete=True)
    todo = [c for c in chunks if not chunk_done(outdir, c.index)]
    if on_plan:
        on_plan(_lines(chunks), _lines(chunks) - _lines(todo))
    if todo and cfg.input_format == "fhir-bulk":  # a patient's records gathered from every file, on disk
        with writing(outdir, "cannot stage the Bulk Data input"):
            for w in stage(Path(cfg.cohort), outdir / PARTS / STAGING):
                on_warning(w)
    if todo:
        executor.run(cfg, todo, on_chunk)
    check_unchanged(Path(cfg.cohort), cfg.input_format, identity.cohort_sha256)  # before anything is assembled
    with writing(outdir, "cannot assemble the batch output"):
        summary = _finish(outdir, chunks, shapes, identity, policy)
    skipped = len(chunks) - len(todo)
    return BatchResult(outdir, summary, len(chunks), skipped, resumed=prior is PriorRun.PARTIAL and skipped > 0)


def _ignore(_: str) -> None:
    pass


def _check_options(cohort: Path, chunk_size: int, workers: int) -> None:
    if not cohort.is_file() and not cohort.is_dir():
        raise BatchError(f"{cohort}: cohort file not found")
    if chunk_size < 1:
        raise BatchError("--chunk-size must be at least 1")
    if workers < 1:
        raise BatchError("--workers must be at least 1")
    try:
        patient_size_limit()  # read again by each worker
    except UnreadableFile as e:
        raise BatchError(str(e)) from None


def _lines(chunks: list[Chunk]) -> int:
    return sum(c.n_lines for c in chunks)


def _finish(outdir: Path, chunks: list[Chunk], shapes: list[TrialShape], identity: BatchIdentity,
            policy: DatePolicy) -> dict[str, Any]:
    """Assemble the outputs, record the batch complete and remove its parts; return the summary."""
    summary = assemble(outdir, chunks, shapes, identity, policy)
    record_complete(outdir, identity)
    remove_parts(outdir)
    return summary
