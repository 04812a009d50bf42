"""`screening check` (one patient, every criterion explained) and `screening demo`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from screening.cli.console import AsOfOpt, RulesOpt, TrialOpt, fail, load_rules, out, parse_as_of
from screening.core.diagnostics import InputError

if TYPE_CHECKING:
    from screening.runtime.results import ScreeningReport, TrialResult

STATUS_STYLE = {"pass": "green", "fail": "red", "unknown": "yellow", "review": "cyan"}
VERDICT_STYLE = {"eligible": "bold green", "ineligible": "bold red", "undetermined": "bold yellow"}
DEMO_AS_OF = "2026-11-22"


def check(
    patient: Annotated[Path, typer.Argument(help="patient profile JSON file, or a FHIR R4 Bundle / NDJSON file")],
    trial: TrialOpt = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result document as JSON")] = False,
    rules: RulesOpt = None,
) -> None:
    """Screen one patient against the trials and explain every criterion."""
    report = screen_file(patient, trial, as_of, rules)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report)


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


def print_report(report: ScreeningReport) -> None:
    out.print(f"Patient [bold]{escape(report.patient_id)}[/bold], screened as of {report.as_of} (engine {report.engine_version})")
    for w in report.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}", highlight=False)
    for r in report.results:
        print_trial(r)
    print_unrecognised(report)


def print_unrecognised(report: ScreeningReport, shown: int = 8) -> None:
    """The codes no value set reads: what the rules could not see (all of them with --json)."""
    codes = report.unrecognised_codes
    if not codes:
        return
    records = sum(len(c.records) for c in codes)
    out.print()
    out.print(f"[yellow]not read by any rule:[/yellow] {records} record(s) with {len(codes)} code(s) that no value set "
              "recognises; check that none of them should count:", highlight=False)
    for c in sorted(codes, key=lambda c: ("condition", "procedure", "medication", "observation").index(c.kind))[:shown]:
        out.print(f"  {c.kind} {escape(c.display or '')} ({c.code}): {', '.join(c.records[:3])}"
                  + (" ..." if len(c.records) > 3 else ""), highlight=False)
    if len(codes) > shown:
        out.print(f"  ... and {len(codes) - shown} more (screening check --json lists them all)", highlight=False)


def print_trial(r: TrialResult) -> None:
    out.print()
    out.print(f"[bold]{r.trial_id}[/bold] {escape(r.title)}")
    out.print(f"  verdict: [{VERDICT_STYLE[r.verdict]}]{r.verdict}[/]   "
              f"(pass {r.counts['pass']}, fail {r.counts['fail']}, unknown {r.counts['unknown']}, "
              f"review {r.counts['review']}; rule set {r.ruleset_hash})")
    table = Table(show_header=True, header_style="bold", expand=False, show_lines=False)
    table.add_column("criterion")
    table.add_column("kind")
    table.add_column("status")
    table.add_column("explanation", overflow="fold")
    for c in r.criteria:
        # texts come from rule sets and records: never read them as rich markup ("[assumed: ...]")
        table.add_row(c.id, c.kind[:3], f"[{STATUS_STYLE[c.status]}]{c.status}[/]", escape(c.explanation))
    out.print(table)
    if r.data_to_collect:
        out.print("  data to collect: " + escape("; ".join(r.data_to_collect)))
    if r.criteria_to_review:
        out.print("  to review: " + ", ".join(r.criteria_to_review))
    if r.eligible_from is not None:
        print_eligible_from(r)


def print_eligible_from(r: TrialResult) -> None:
    e = r.eligible_from
    assert e is not None
    what = "eligible" if e.verdict == "eligible" else "eligible pending review"
    out.print(f"  [bold green]{what} from {e.date}[/] (in {e.days} days, if nothing else changes: "
              f"{', '.join(e.criteria)} then pass)", highlight=False)


def demo(
    as_of: Annotated[str | None, typer.Option("--as-of", help=f"screening date (default: {DEMO_AS_OF})")] = DEMO_AS_OF,
) -> None:
    """Screen the bundled example patients against the bundled trials."""
    from patients.io import examples_dir

    for p in sorted(examples_dir().glob("*.json")):
        out.rule(p.name)
        check(p, None, as_of, False, None)


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command()(demo)
