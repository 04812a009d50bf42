"""`screening import ...`: draft rule sets from registry records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from screening.cli.console import AsOfOpt, err, fail, parse_as_of, say

if TYPE_CHECKING:
    from screening.ctgov.draft import Draft
    from screening.ctgov.output import Written
    from screening.ruletest.suite import ScreenerPool

import_app = typer.Typer(help="Draft rule sets from registry records.", no_args_is_help=True)
RECORD_SUFFIXES = (".json", ".xml")


@dataclass
class _Done:
    """One record drafted and checked."""

    draft: Draft
    written: Written
    lint: str  # 'OK', 'OK, 2 warning(s)' or the first error
    cases: str  # 'cases: 9/9 hold', or why none were run


def _records(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in RECORD_SUFFIXES and p.is_file())
    return [path]


def _check(written: Written, pool: ScreenerPool | None) -> tuple[str, str]:
    """Lint the written rule set against its folder's library, then run its starter cases."""
    from screening.core.diagnostics import RuleSetError
    from screening.ruleset.catalog import load_ruleset
    from screening.ruletest.suite import run_file

    try:
        rs = load_ruleset(written.trial, written.library)
    except RuleSetError as e:
        return f"FAILED: {e.diagnostics[0].format()}", "cases: not run"
    lint = "OK" + (f", {len(rs.warnings)} warning(s)" if rs.warnings else "")
    if written.cases is None or pool is None:
        return lint, "cases: not written" if written.cases is None else "cases: not run"
    run = run_file(pool, written.cases)
    if run.errors:
        return lint, f"cases: could not run: {run.errors[0].format()}"
    return lint, f"cases: {run.passed}/{len(run.results)} hold" + ("" if run.ok else f" (see screening test {written.cases})")


def _draft_one(record: Path, target: Path, library: Path | None, force: bool, as_of: dt.date | None) -> _Done:
    from screening.ctgov.draft import draft_record_file
    from screening.ctgov.output import write_draft
    from screening.ruleset.catalog import default_rules_dir

    draft = draft_record_file(record)
    written = write_draft(draft, target, library or default_rules_dir(), force=force, cases_as_of=as_of)
    return _Done(draft, written, "", "")


def _report(done: _Done, verbose: bool) -> None:
    s = done.draft.summary
    if verbose:
        say(*s.lines(), f"  wrote {done.written.trial}" + (f" and {done.written.cases}" if done.written.cases else ""),
            *(f"  {n}" for n in done.written.notes),
            f"  checked against {done.written.library_root / 'library'}: loads and lints {done.lint}", f"  {done.cases}")
        return
    say(f"{s.trial_id}: {sum(s.items.values())} items, {s.drafted_criteria} computable drafts, "
        f"{s.review_items + s.partly_drafted_items} for review; lint {done.lint}; {done.cases.removeprefix('cases: ')}")


@import_app.command("ctgov")
def ctgov(
    record: Annotated[Path, typer.Argument(help="a ClinicalTrials.gov record (API v2 or classic JSON, or classic XML), "
                                                "or a folder of them")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help=(
        "the rules folder to write <NCT id>/trial.yaml into (default: rules); for one record, also the "
        "trial.yaml itself (a path ending in trial.yaml)"))] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing trial.yaml and cases.yaml")] = False,
    library: Annotated[Path | None, typer.Option(
        "--library", help="rules folder whose library/ is copied to the output's rules folder when that has none "
                          "(default: $SCREENING_RULES_DIR or the bundled rules)")] = None,
    cases: Annotated[bool, typer.Option("--cases/--no-cases", help="write a starter cases.yaml beside each draft")] = True,
    as_of: AsOfOpt = None,
) -> None:
    """Draft rules/<NCT id>/trial.yaml (and a starter cases.yaml) from each record; print the items found, the
    computable drafts and the items left for review, and check that each draft lints and its cases hold."""
    from screening.core.diagnostics import RuleSetError
    from screening.ctgov.output import OutputError
    from screening.ctgov.record import RecordError
    from screening.ruletest.suite import ScreenerPool

    records = _records(record)
    folder = record.is_dir()
    if not records:
        fail(f"{record}: no .json or .xml records")
    day = parse_as_of(as_of) if cases else None
    done: list[_Done] = []
    failed = 0
    for path in records:
        try:
            nct_target = _target(path, output, folder)
            done.append(_draft_one(path, nct_target, library, force, day))
        except (RecordError, OutputError, RuleSetError) as e:
            failed += 1
            message = str(e) if not isinstance(e, RuleSetError) else e.diagnostics[0].format()
            if not folder:
                fail(message)
            err.print(f"{path.name}: not drafted: {message}", highlight=False, markup=False)
    pool = ScreenerPool() if cases else None
    try:
        for d in done:
            d.lint, d.cases = _check(d.written, pool)
            _report(d, verbose=not folder)
    finally:
        if pool is not None:
            pool.close()
    if folder:
        say(f"{len(done)} record(s) drafted, {failed} not drafted; "
            f"{sum(d.draft.summary.drafted_criteria for d in done)} computable drafts, "
            f"{sum(d.draft.summary.review_items + d.draft.summary.partly_drafted_items for d in done)} items for review")
    if failed or any(d.lint.startswith("FAILED") for d in done):
        raise typer.Exit(2)


def _target(record: Path, output: Path | None, folder: bool) -> Path:
    """Where one record's trial.yaml goes: `-o` itself for one record when it names a YAML file,
    `<-o or rules>/<NCT id>/trial.yaml` otherwise (the NCT id is read from the record): a folder, existing
    or not, is a rules folder (`write_draft` refuses a YAML file not named trial.yaml)."""
    from screening.ctgov.record import load_record

    if output is not None and not folder and not output.is_dir() and output.suffix.lower() in (".yaml", ".yml"):
        return output
    return (output or Path("rules")) / load_record(record).nct_id / "trial.yaml"


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
