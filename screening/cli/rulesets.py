"""Commands about the rule sets themselves: `trials`, `lint`, `explain` and the patient `schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from screening.cli.console import AsOfOpt, RulesOpt, err, fail, load_rules, out, parse_as_of, say
from screening.core.diagnostics import RuleSetError, unknown_trial

if TYPE_CHECKING:
    from screening.ruleset.catalog import RuleSet
    from screening.ruleset.ir import CriterionIR


def trials(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    rules: RulesOpt = None,
) -> None:
    """List the trials and their criteria counts."""
    rulesets = list(load_rules(rules).rulesets.values())
    rows: list[dict[str, Any]] = [{"id": rs.trial_id, "title": rs.title, "ruleset_hash": rs.hash, **rs.counts()}
                                  for rs in rulesets]
    if as_json:
        from screening.ruleset.capacity import ENGINE_STACK

        for row, rs in zip(rows, rulesets, strict=True):  # how close each trial is to the engine's limit
            row["engine"] = {"rulesets": len(rs.compiled.parts), "stack_peak": rs.compiled.engine_stack,
                             "stack_limit": ENGINE_STACK}
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


def lint(
    path: Annotated[Path | None, typer.Argument(help="rule-set folder or one trial.yaml (default: the bundled rules)")] = None,
) -> None:
    """Validate rule sets; print problems as file:line:col: CODE: message."""
    try:
        results = _lint_target(path)
    except RuleSetError as e:
        for d in e.diagnostics:
            out.print(d.format(), highlight=False, markup=False, soft_wrap=True)
        err.print(f"{len(e.diagnostics)} error(s)")
        raise typer.Exit(2) from None
    warnings = [w for rs in results for w in rs.warnings]
    for w in warnings:
        out.print(w.format() + " (warning)", highlight=False, markup=False, soft_wrap=True)
    out.print(f"{len(results)} rule set(s) OK" + (f", {len(warnings)} warning(s)" if warnings else ""))


def _lint_target(path: Path | None) -> list[RuleSet]:
    """The rule sets of a folder, or the one rule set of a trial.yaml with its folder's library."""
    from screening.ruleset.catalog import default_rules_dir, library_files, load_catalog, load_ruleset
    from screening.ruleset.loader import load_library

    target = path or default_rules_dir()
    if target.is_file() or target.is_symlink() and not target.is_dir():  # a broken link: its load says why
        return [load_ruleset(target, load_library(library_files(target.parent.parent)))]
    return list(load_catalog(target).rulesets.values())


def explain(
    trial_id: Annotated[str, typer.Argument(help="trial id")],
    rules: RulesOpt = None,
) -> None:
    """Render a trial's criteria in plain language, with their registry text."""
    cat = load_rules(rules)
    if trial_id not in cat.rulesets:
        fail(unknown_trial(trial_id, cat.rulesets))
    rs = cat.get(trial_id)
    out.print(f"[bold]{rs.trial_id}[/bold]: {escape(rs.title)}")
    out.print(f"rule set {rs.hash} ({rs.path})")
    for c in rs.ir.criteria:
        print_criterion(c)


def print_criterion(c: CriterionIR) -> None:
    from screening.ruleset.render import node_text

    out.print()
    out.print(f"[bold]{c.id}[/bold] ({c.kind})")
    out.print(f'  registry: "{c.text}"', highlight=False, markup=False)
    out.print(f"  source: {c.source_text}", highlight=False)
    if c.expr is None:
        out.print(f"  [cyan]for review[/cyan]: {escape(c.review or '')}", highlight=False)
    else:
        out.print("  excluded if:" if c.kind == "exclusion" else "  requires:")
        out.print(node_text(c.expr, 2), highlight=False, markup=False)
        if c.policy == "assume_absent":
            out.print("  missing data: records not present are assumed absent (stated in every result)")
        elif c.policy == "fail":
            out.print("  missing data: required; not recorded at all counts as not met (stated in every result)")
    if c.reading:
        out.print(f"  reading: {c.reading}", highlight=False, markup=False)
    if c.alternative:
        out.print(f"  alternative reading (not evaluated): {c.alternative}", highlight=False, markup=False)


def schema() -> None:
    """Print the patient profile JSON Schema."""
    from patients.model import dump_schema

    sys.stdout.write(dump_schema() + "\n")


def new(
    trial_id: Annotated[str, typer.Argument(metavar="TRIAL_ID", help="the trial's id, e.g. NCT01234567")],
    rules: Annotated[Path, typer.Option("--rules", help="rules folder to write into (created if absent)")] = Path("rules"),
    title: Annotated[str | None, typer.Option("--title", help="the trial's title")] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Scaffold rules/TRIAL_ID/trial.yaml and a starter cases.yaml that lint clean and pass."""
    from screening.ruletest.scaffold import ScaffoldError, scaffold
    from screening.ruletest.suite import ScreenerPool, run_file

    try:
        made = scaffold(rules, trial_id, title, parse_as_of(as_of))
    except (ScaffoldError, OSError) as e:
        fail(str(e))
    pool = ScreenerPool()
    try:
        run = run_file(pool, made.cases)
    finally:
        pool.close()
    if run.errors:
        fail(f"the new rule set does not load with {rules}: {run.errors[0].format()}")
    say(f"wrote {made.trial} and {made.cases}",
        f"cases: {run.passed}/{len(run.results)} pass",
        "next: replace the example criteria with the trial's (docs/rule-sets.md) and their cases (docs/cases.md),",
        f"then run: screening lint {rules} && screening test {made.folder} --coverage --boundaries --mutate")
    if not run.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    for command in (trials, lint, explain, schema, new):
        app.command()(command)
