"""`screening import ...`: draft rule sets from registry records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from screening.cli.console import fail, fail_with, say
from screening.core.diagnostics import RuleSetError

if TYPE_CHECKING:
    from screening.ruleset.loader import LoadedLibrary

import_app = typer.Typer(help="Draft rule sets from registry records.", no_args_is_help=True)


def _library(library: Path | None, target: Path) -> tuple[Path, LoadedLibrary] | None:
    """The rules folder whose library checks the draft, and that library: `--library`, else the
    output's rules folder, else the default rules; None when none of them has a library."""
    from screening.ruleset.catalog import default_rules_dir, library_files
    from screening.ruleset.loader import load_library

    roots = [library] if library else [target.parent.parent, default_rules_dir()]
    root = next((r for r in roots if library_files(r)), None)
    if root is None:
        return None
    try:
        return root, load_library(library_files(root))
    except RuleSetError as e:
        fail_with(e)


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
    from screening.ruleset.catalog import load_ruleset

    try:
        draft = draft_record_file(record)
    except RecordError as e:
        fail(str(e))
    target = output or Path("rules") / draft.summary.trial_id / "trial.yaml"
    checker = _library(library, target)
    # value sets the library already has are referred to, not copied into the trial
    text = draft.yaml(set(checker[1].model.value_sets) if checker else frozenset())
    if target.exists() and not force:
        fail(f"{target} exists (use --force to overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    say(*draft.summary.lines(), f"  wrote {target}")
    if checker is None:
        say("  not checked: no rules library found (give --library)")
        return
    root, lib = checker
    try:
        rs = load_ruleset(target, lib)
    except RuleSetError as e:
        fail_with(e)
    warn = f", {len(rs.warnings)} warning(s)" if rs.warnings else ""
    say(f"  checked against {root / 'library'}: loads and lints OK{warn}")


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
