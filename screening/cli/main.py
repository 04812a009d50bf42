"""The `screening` command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from screening.core.diagnostics import InputError, RuleSetError

app = typer.Typer(
    help="Screen patients against clinical-trial eligibility rule sets (compiled to durable_rules).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)  # messages are never wrapped: tools parse them

STATUS_STYLE = {"pass": "green", "fail": "red", "unknown": "yellow", "review": "cyan"}
VERDICT_STYLE = {"eligible": "bold green", "ineligible": "bold red", "undetermined": "bold yellow"}

RulesOpt = Annotated[Path | None, typer.Option("--rules", help="rule-set folder (default: $SCREENING_RULES_DIR or the bundled rules)")]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


def _catalog(rules: Path | None, only: list[str] | None = None):  # type: ignore[no-untyped-def]
    from screening.ruleset.catalog import load_catalog

    try:
        return load_catalog(rules, only)
    except RuleSetError as e:
        for d in e.diagnostics:
            err.print(d.format(), highlight=False, markup=False)
        raise typer.Exit(2) from None


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"--as-of: {value!r} is not a date (YYYY-MM-DD)")
        raise AssertionError from None


@app.command()
def check(
    patient: Annotated[Path, typer.Argument(help="patient profile JSON file, or a FHIR R4 Bundle / NDJSON file")],
    trial: Annotated[list[str] | None, typer.Option("--trial", "-t", help="trial id (repeatable; default: all)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="screening date YYYY-MM-DD (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result document as JSON")] = False,
    rules: RulesOpt = None,
) -> None:
    """Screen one patient against the trials and explain every criterion."""
    from rich.markup import escape

    from patients.io import load_patient_with_warnings
    from screening.runtime.evaluate import Screener

    day = _as_of(as_of)
    try:
        profile, import_warnings = load_patient_with_warnings(patient)
    except InputError as e:
        _fail(str(e))
    screener = Screener(_catalog(rules))
    try:
        report = screener.screen(profile, day, trial)
    except InputError as e:
        _fail(str(e))
    report.warnings = [f"import: {w}" for w in import_warnings] + report.warnings
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        return
    out.print(f"Patient [bold]{escape(report.patient_id)}[/bold], screened as of {report.as_of} (engine {report.engine_version})")
    for w in report.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}", highlight=False)
    for r in report.results:
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


@app.command()
def trials(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    rules: RulesOpt = None,
) -> None:
    """List the trials and their criteria counts."""
    cat = _catalog(rules)
    rows = [{"id": rs.trial_id, "title": rs.title, "ruleset_hash": rs.hash, **rs.counts()}
            for rs in cat.rulesets.values()]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table()
    table.add_column("id", no_wrap=True)
    for name in ("incl", "excl", "comp", "rev"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("rule set", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    for r in rows:
        table.add_row(r["id"], str(r["inclusion"]), str(r["exclusion"]), str(r["computable"]), str(r["review"]),
                      r["ruleset_hash"][:12], r["title"])
    out.print(table)


@app.command()
def lint(
    path: Annotated[Path | None, typer.Argument(help="rule-set folder or one trial.yaml (default: the bundled rules)")] = None,
) -> None:
    """Validate rule sets; print problems as file:line:col: CODE: message."""
    from screening.ruleset.catalog import default_rules_dir, library_files, load_ruleset
    from screening.ruleset.loader import load_library

    target = path or default_rules_dir()
    try:
        if target.is_file():
            root = target.parent.parent
            library = load_library(library_files(root))
            results = [load_ruleset(target, library)]
        else:
            from screening.ruleset.catalog import load_catalog

            results = list(load_catalog(target).rulesets.values())
    except RuleSetError as e:
        for d in e.diagnostics:
            out.print(d.format(), highlight=False, markup=False, soft_wrap=True)
        err.print(f"{len(e.diagnostics)} error(s)")
        raise typer.Exit(2) from None
    warnings = [w for rs in results for w in rs.warnings]
    for w in warnings:
        out.print(w.format() + " (warning)", highlight=False, markup=False, soft_wrap=True)
    out.print(f"{len(results)} rule set(s) OK" + (f", {len(warnings)} warning(s)" if warnings else ""))


@app.command()
def explain(
    trial_id: Annotated[str, typer.Argument(help="trial id")],
    rules: RulesOpt = None,
) -> None:
    """Render a trial's criteria in plain language, with their registry text."""
    from screening.core.diagnostics import unknown_trial
    from screening.ruleset.render import node_text

    cat = _catalog(rules)
    if trial_id not in cat.rulesets:
        _fail(unknown_trial(trial_id, cat.rulesets))
    rs = cat.get(trial_id)
    out.print(f"[bold]{rs.trial_id}[/bold]: {escape(rs.title)}")
    out.print(f"rule set {rs.hash} ({rs.path})")
    for c in rs.ir.criteria:
        out.print()
        out.print(f"[bold]{c.id}[/bold] ({c.kind})")
        out.print(f'  registry: "{c.text}"', highlight=False, markup=False)
        out.print(f"  source: {c.source_text}", highlight=False)
        if c.expr is None:
            out.print(f"  [cyan]for review[/cyan]: {escape(c.review or '')}", highlight=False)
        else:
            lead = "excluded if" if c.kind == "exclusion" else "requires"
            out.print(f"  {lead}:")
            out.print(node_text(c.expr, 2), highlight=False, markup=False)
            if c.policy == "assume_absent":
                out.print("  missing data: records not present are assumed absent (stated in every result)")
        if c.reading:
            out.print(f"  reading: {c.reading}", highlight=False, markup=False)
        if c.alternative:
            out.print(f"  alternative reading (not evaluated): {c.alternative}", highlight=False, markup=False)


@app.command()
def schema() -> None:
    """Print the patient profile JSON Schema."""
    from patients.model import dump_schema

    sys.stdout.write(dump_schema() + "\n")


@app.command()
def demo(
    as_of: Annotated[str | None, typer.Option("--as-of", help="screening date (default: 2026-11-22)")] = "2026-11-22",
) -> None:
    """Screen the bundled example patients against the bundled trials."""
    from patients.io import examples_dir

    for p in sorted(examples_dir().glob("*.json")):
        out.rule(p.name)
        check(p, None, as_of, False, None)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on (beyond loopback only with API keys)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1,
        help="worker processes: screening is CPU-bound, so one per core (each loads every rule set; "
             "reloads reach them all)")] = 1,
) -> None:
    """Run the HTTP service (API keys: $SCREENING_API_KEYS or $SCREENING_API_KEYS_FILE)."""
    from api.server import serve as run_server
    from api.settings import SettingsError

    try:
        run_server(host, port, workers)
    except SettingsError as e:
        _fail(str(e))
    except RuleSetError as e:
        for d in e.diagnostics:
            err.print(d.format(), highlight=False, markup=False)
        raise typer.Exit(2) from None


from screening.cli.batch import register as _register_batch  # noqa: E402

_register_batch(app)

from screening.cli.importer import register as _register_import  # noqa: E402

_register_import(app)

from screening.cli.ruletest import register as _register_test  # noqa: E402

_register_test(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
