"""`screening import ...`: draft rule sets from registry records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from screening.core.diagnostics import RuleSetError

import_app = typer.Typer(help="Draft rule sets from registry records.", no_args_is_help=True)
out = Console(soft_wrap=False)
err = Console(stderr=True)


@import_app.command("ctgov")
def ctgov(
    record: Annotated[Path, typer.Argument(help="ClinicalTrials.gov API v2 study record (JSON)")],
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="trial.yaml to write (default: rules/<NCT id>/trial.yaml)")] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
    library: Annotated[Path | None, typer.Option(
        "--library", help="rules folder whose library/ checks the draft (default: the output's rules folder, "
                          "else $SCREENING_RULES_DIR or the bundled rules)")] = None,
) -> None:
    """Draft rules/<NCT id>/trial.yaml from an API v2 record; print items found, drafted and left for review."""
    from screening.ctgov.draft import draft_record_file
    from screening.ctgov.record import RecordError
    from screening.ruleset.loader import load_library
    from screening.runtime.catalog import default_rules_dir, library_files, load_ruleset

    try:
        draft = draft_record_file(record)
    except RecordError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(2) from None
    target = output or Path("rules") / draft.summary.trial_id / "trial.yaml"
    roots = [library] if library else [target.parent.parent, default_rules_dir()]
    root = next((r for r in roots if library_files(r)), None)
    lib = None
    library_value_sets: set[str] = set()
    if root is not None:
        try:
            lib = load_library(library_files(root))
        except RuleSetError as e:
            for d in e.diagnostics:
                err.print(d.format(), highlight=False, markup=False)
            raise typer.Exit(2) from None
        # value sets the library already has are referred to, not copied into the trial
        library_value_sets = set(lib.model.value_sets)
    text = draft.yaml(library_value_sets)
    if target.exists() and not force:
        err.print(f"[red]error:[/red] {target} exists (use --force to overwrite)", highlight=False)
        raise typer.Exit(2)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    for line in draft.summary.lines():
        out.print(line, highlight=False, markup=False)
    out.print(f"  wrote {target}", highlight=False, markup=False)
    if root is None or lib is None:
        out.print("  not checked: no rules library found (give --library)", highlight=False, markup=False)
        return
    try:
        rs = load_ruleset(target, lib)
    except RuleSetError as e:
        for d in e.diagnostics:
            err.print(d.format(), highlight=False, markup=False)
        raise typer.Exit(2) from None
    warn = f", {len(rs.warnings)} warning(s)" if rs.warnings else ""
    out.print(f"  checked against {root / 'library'}: loads and lints OK{warn}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
