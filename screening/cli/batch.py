"""Commands for cohorts and batch screening: `cohort generate`, `batch`, `report`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from screening.cli.console import RulesOpt, TrialOpt, err, fail, fail_with, parse_as_of
from screening.core.diagnostics import RuleSetError

if TYPE_CHECKING:
    from patients.synthetic import CohortSpec
    from screening.batch import BatchResult

# batch summaries are wide tables: in a file or a pipe, give them room
wide = Console(soft_wrap=False, emoji=False, width=None if sys.stdout.isatty() else 140)

cohort_app = typer.Typer(help="Synthetic patient cohorts.", no_args_is_help=True, add_completion=False)

COHORT_FORMATS = ("jsonl", "parquet", "fhir", "fhir-bulk")


@cohort_app.command("generate")
def cohort_generate(
    n: Annotated[int, typer.Option("--n", "-n", min=0, help="number of patients")],
    output: Annotated[Path, typer.Option("--output", "-o", help="output file: .jsonl (JSON Lines) or .parquet; "
                                         "with --format fhir a folder (one Bundle file per patient) or a .ndjson file; "
                                         "with --format fhir-bulk a folder of <ResourceType>.ndjson files")],
    seed: Annotated[int, typer.Option("--seed", "-s", help="random seed (same seed + spec = same file)")] = 0,
    spec: Annotated[Path | None, typer.Option("--spec", help="cohort spec YAML (default: patients/cohort_spec.yaml)")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="jsonl, parquet, fhir (FHIR R4 Bundles) or fhir-bulk "
                                            "(FHIR Bulk Data: one NDJSON file per resource type); "
                                            "default: parquet for a .parquet output, else jsonl")] = None,
) -> None:
    """Write N synthetic patients (streamed; reproducible for a seed and spec). Each JSON Lines line
    or Parquet row carries the spec's as_of as the patient's screening date; FHIR Bundles carry none."""
    from patients.synthetic import write_cohort

    cohort_spec = _cohort_spec(spec)
    _check_cohort_format(fmt, output)
    t0 = time.perf_counter()
    if fmt in ("fhir", "fhir-bulk"):
        _write_fhir_cohort(output, cohort_spec, n, seed, bulk=fmt == "fhir-bulk")
        dated = (f"records up to {cohort_spec.as_of}; Bundles carry no screening date: "
                 f"batch them with --as-of {cohort_spec.as_of}")
    else:
        write_cohort(output, cohort_spec, n, seed)
        dated = f"each dated {cohort_spec.as_of}, the date `screening batch` screens it at"
    err.print(f"wrote {n} patients to {output} (seed {seed}; {dated}) in {time.perf_counter() - t0:.1f} s",
              highlight=False)


def _cohort_spec(spec: Path | None) -> CohortSpec:
    from pydantic import ValidationError

    from patients.synthetic import load_spec
    from patients.validation import validation_messages

    try:
        return load_spec(spec)
    except FileNotFoundError:
        fail(f"{spec}: spec file not found")
    except ValidationError as e:
        fail(f"{spec}: invalid cohort spec:\n  " + "\n  ".join(validation_messages(e)))
    except ValueError as e:
        fail(str(e))


def _check_cohort_format(fmt: str | None, output: Path) -> None:
    if fmt is not None and fmt not in COHORT_FORMATS:
        fail(f"--format: {fmt!r} is not one of {', '.join(COHORT_FORMATS)}")
    if fmt in ("jsonl", "parquet") and (output.suffix == ".parquet") != (fmt == "parquet"):
        fail(f"--format {fmt}: the output {output} needs the suffix " + (".parquet" if fmt == "parquet" else ".jsonl"))


def _write_fhir_cohort(output: Path, cohort_spec: CohortSpec, n: int, seed: int, bulk: bool = False) -> None:
    from patients.fhir import write_fhir_cohort
    from patients.fhir.export import write_fhir_bulk
    from patients.synthetic import generate

    try:
        (write_fhir_bulk if bulk else write_fhir_cohort)(output, generate(cohort_spec, n, seed))
    except (ValueError, OSError) as e:
        fail(str(e))


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} patients/s" if speed else "-- patients/s", style="progress.data.speed")


class BatchProgress:
    """The progress bar of a batch: lines screened, with the rate and ETA of this run's work."""

    def __init__(self, show: bool):
        self.bar = Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err,
                            disable=not show, transient=False)
        self.task = self.bar.add_task("screening", total=None)

    def on_plan(self, total: int, done: int) -> None:
        self.bar.update(self.task, total=total, completed=done)
        # the rate and ETA should reflect this run's work only
        self.bar.reset(self.task, total=total, completed=done)

    def on_chunk(self, lines: int) -> None:
        self.bar.advance(self.task, lines)


def batch(
    cohort: Annotated[Path, typer.Argument(help="cohort: JSON Lines (a patient profile or a FHIR Bundle per line, so "
                                         "also NDJSON of Bundles, or either dated: {\"patient\": ..., \"as_of\": "
                                         "\"YYYY-MM-DD\"}), .parquet (a profile column, an optional as_of column), "
                                         "a folder of FHIR Bundles (*.json), or a FHIR Bulk Data folder "
                                         "(Patient.ndjson and one NDJSON file per resource type)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="output folder (also holds resume state)")],
    trial: TrialOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="screening date YYYY-MM-DD for patients without one of "
                                              "their own (default: today, with a warning); refused more than 30 days "
                                              "from the dates the cohort carries, unless --force-as-of")] = None,
    force_as_of: Annotated[bool, typer.Option("--force-as-of", help="screen every patient as of --as-of, "
                                              "even those whose line carries its own date")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="worker processes")] = 1,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="lines per chunk (unit of resume)")] = 1000,
    executor: Annotated[str, typer.Option("--executor", help="local (process pool) or dask")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (default: a LocalCluster)")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="discard the state of a previous run in the output folder")] = False,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="progress bar (default: when a terminal)")] = None,
    rules: RulesOpt = None,
) -> None:
    """Screen a cohort against trials in worker processes; resumable; writes results and a summary.
    Each patient is screened at its own date (its line's or row's as_of), else at --as-of, else today."""
    from screening.batch import BatchError, run_batch
    from screening.batch.executors import EXECUTORS

    day = parse_as_of(as_of) if as_of is not None else None
    if force_as_of and day is None:
        fail("--force-as-of needs --as-of: the date to screen every patient at")
    if executor not in EXECUTORS:
        fail(f"--executor: {executor!r} is not one of {', '.join(EXECUTORS)}")
    bar = BatchProgress(show=err.is_terminal if progress is None else progress)
    t0 = time.perf_counter()
    try:
        with bar.bar:
            result = run_batch(cohort, output, trial_ids=tuple(trial or ()), as_of=day, force_as_of=force_as_of,
                               rules_dir=rules, workers=workers, chunk_size=chunk_size, executor=executor,
                               scheduler=scheduler, restart=restart, on_plan=bar.on_plan, on_chunk=bar.on_chunk,
                               on_warning=warn)
    except BatchError as e:
        fail(str(e))
    except RuleSetError as e:
        fail_with(e)
    elapsed = time.perf_counter() - t0
    _print_result(result, output, elapsed, workers, executor)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {escape(message)}", highlight=False)


def _print_result(result: BatchResult, output: Path, elapsed: float, workers: int, executor: str) -> None:
    """The summary, said to be resumed or already complete; for a run, its size, time and workers."""
    s = result.summary
    if result.already_complete:
        err.print(f"{output}: this batch is already complete; summary below", highlight=False)
    elif result.chunks_skipped:
        err.print(f"resumed: {result.chunks_skipped} of {result.chunks_total} chunks were already done", highlight=False)
    print_summary(s)
    if not result.already_complete:
        err.print(f"{s['cohort']['patients']} patients x {len(s['trials'])} trials in {elapsed:.1f} s with {workers} "
                  f"worker(s) ({executor}); results in {output}", highlight=False)


def print_summary(s: dict[str, Any]) -> None:
    """A batch summary on the console: cohort totals, verdicts by trial, each trial's attrition."""
    wide.print(_cohort_line(s), highlight=False)
    wide.print(_verdicts_table(s["trials"]))
    for tr in s["trials"]:
        wide.print(_attrition_table(tr))
        if tr["missing_data"]:
            wide.print("  most frequent missing data: " + "; ".join(
                f"{m['data']} ({m['patients']})" for m in tr["missing_data"][:5]), highlight=False)


def _cohort_line(s: dict[str, Any]) -> str:
    from screening.batch.summary import dates_text

    c = s["cohort"]
    return (f"[bold]Batch screening[/bold] (engine {s['engine_version']}) {escape(dates_text(s))}: "
            f"{c['patients']} patients from {c['lines']} lines; "
            f"{c['malformed']} malformed line(s) skipped" + (f" (see {s['errors']['file']})" if c["malformed"] else "")
            + (f", {c['blank_lines']} blank" if c["blank_lines"] else "")
            + (f"; {c['import_warnings']} FHIR import warning(s) in {c['patients_with_import_warnings']} patient(s)"
               + (f" (see {c['import_warnings_file']})" if c.get("import_warnings_file") else "")
               if c.get("import_warnings") else ""))


def _verdicts_table(trials: list[dict[str, Any]]) -> Table:
    t = Table("trial", "screened", "eligible", "ineligible", "undetermined", "pending review", "eligible in 30 d",
              "in 90 d", title="Verdicts", title_justify="left")
    for tr in trials:
        v = tr["verdicts"]
        soon = tr.get("eligible_from") or {}
        t.add_row(tr["trial_id"], str(tr["screened"]), f"[green]{v['eligible']}[/]", f"[red]{v['ineligible']}[/]",
                  f"[yellow]{v['undetermined']}[/]", str(tr.get("pending_review", "")),
                  str(soon.get("within_30_days", "")), str(soon.get("within_90_days", "")))
    return t


def _attrition_table(tr: dict[str, Any]) -> Table:
    a = Table("#", "criterion", "kind", "fail", "unknown", "review", "remaining", "%", "sole fail",
              "eligible if dropped", title=f"Attrition: {tr['trial_id']} ({tr['screened']} patients)",
              title_justify="left")
    for row in tr["attrition"]:
        a.add_row(str(row["step"]), row["criterion"], row["kind"][:3], str(row["fail"]), str(row["unknown"]),
                  str(row["review"]), str(row["remaining"]), f"{row['remaining_pct']:.1f}", str(row["sole_fail"]),
                  str(row["would_be_eligible"]))
    return a


def report(
    outdir: Annotated[Path, typer.Argument(help="a batch output folder (holding summary.json)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write")] = Path("report.html"),
) -> None:
    """Write a self-contained HTML report (attrition funnels, tables) of a batch."""
    from screening.batch.report import ReportError, write_report

    try:
        write_report(outdir, output)
    except ReportError as e:
        fail(str(e))
    err.print(f"wrote {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the cohort / batch / report commands to the main CLI."""
    app.add_typer(cohort_app, name="cohort")
    app.command("batch")(batch)
    app.command("report")(report)
