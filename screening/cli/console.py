"""What every command shares: the two consoles, error exits and common options.

Command modules import the project's heavier modules (the engine, pyarrow, the FHIR models,
Faker) inside the command that needs them, so that `screening --help` and light commands
start fast; this is the one place in the project where imports are deferred on purpose.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from screening.core.dates import screening_date
from screening.core.diagnostics import RuleSetError

if TYPE_CHECKING:
    from screening.ruleset.catalog import Catalog

# Messages are never wrapped (tools parse them) and never read as emoji codes (":100:" in
# "trial.yaml:100:11" is a line and a column).
out = Console(soft_wrap=False, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)

RulesOpt = Annotated[Path | None, typer.Option(
    "--rules", help="rule-set folder (default: $SCREENING_RULES_DIR or the bundled rules)")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD", help="screening date YYYY-MM-DD (default: today)")]
TrialOpt = Annotated[list[str] | None, typer.Option(
    "--trial", "-t", metavar="TRIAL_ID", help="trial id (repeatable; default: all)")]


def say(*lines: str) -> None:
    """Plain lines on standard output (never read as markup)."""
    for line in lines:
        out.print(line, highlight=False, markup=False)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: message` on standard error and exit (2: invalid input)."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


def fail_with(e: RuleSetError, summary: bool = False) -> NoReturn:
    """Print a rule-set error's diagnostics (file:line:col: CODE: message) and exit 2."""
    for d in e.diagnostics:
        err.print(d.format(), highlight=False, markup=False)
    if summary:
        err.print(f"{len(e.diagnostics)} error(s)", highlight=False)
    raise typer.Exit(2)


def parse_as_of(value: str | None) -> dt.date:
    """The screening date of an --as-of option (today when not given)."""
    if value is None:
        return dt.date.today()
    try:
        return screening_date(value)
    except ValueError as e:
        fail(f"--as-of: {e}")


def load_rules(rules: Path | None, only: list[str] | None = None) -> Catalog:
    """The catalog of a rules folder, or exit 2 with its diagnostics."""
    from screening.ruleset.catalog import load_catalog

    try:
        return load_catalog(rules, only)
    except RuleSetError as e:
        fail_with(e)
