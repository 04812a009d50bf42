"""`screening check` (one patient, every criterion explained) and `screening demo`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from screening.cli.console import AsOfOpt, RulesOpt, TrialOpt, fail, load_rules, out, parse_as_of
from screening.cli.report import print_report
from screening.core.diagnostics import InputError

if TYPE_CHECKING:
    from screening.runtime.results import ScreeningReport

DEMO_AS_OF = "2026-11-22"


def check(
    patient: Annotated[Path, typer.Argument(help="patient profile JSON file, or a FHIR R4 Bundle / NDJSON file")],
    trial: TrialOpt = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="print the result document as JSON (for programs; the same as the HTTP API's)")] = False,
    rules: RulesOpt = None,
    ids: Annotated[bool, typer.Option(
        "--ids", help="name criteria by their ids (as in the rule files and --json) besides their registry text")] = False,
) -> None:
    """Screen one patient against the trials and explain every criterion.

    Each trial comes in rank order: eligible trials, then undetermined ones, then ineligible
    ones, its criteria named by their registry text, with the explanation of every status (pass,
    fail, unknown, review) and the rule set's hash. The report ends with a summary across trials,
    ranked the same way, one line per trial: eligible; undetermined with how many data to collect
    and criteria to review; ineligible with the criterion that decides.

    Parsed rule files, value-set expansions and the answers of the UCUM unit registry are
    cached in $SCREENING_CACHE_DIR (default ~/.cache/trial-screening), so later checks start
    faster; the cache is keyed by content and package versions, and may be deleted at any time.
    """
    report = screen_file(patient, trial, as_of, rules)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report, ids)


def screen_file(patient: Path, trial: list[str] | None, as_of: str | None, rules: Path | None) -> ScreeningReport:
    """Load a patient file and screen it; exit 2 with a message for invalid input."""
    from patients.io import load_patient_with_warnings
    from screening.runtime.eligibility import add_eligibility_dates
    from screening.runtime.evaluate import Screener

    day = parse_as_of(as_of)
    try:
        profile, import_warnings = load_patient_with_warnings(patient)
    except InputError as e:
        fail(str(e))
    screener = Screener(load_rules(rules))
    try:
        report = add_eligibility_dates(screener, profile, screener.screen(profile, day, trial))
    except InputError as e:
        fail(str(e))
    report.warnings = [f"import: {w}" for w in import_warnings] + report.warnings
    return report


def demo(
    as_of: Annotated[str | None, typer.Option("--as-of", help=f"screening date (default: {DEMO_AS_OF})")] = DEMO_AS_OF,
) -> None:
    """Screen the bundled example patients against the bundled trials."""
    from patients.io import examples_dir

    for p in sorted(examples_dir().glob("*.json")):
        out.rule(p.name)
        check(p, None, as_of, False, None, False)


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command()(demo)
