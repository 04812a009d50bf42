"""`screening test`: run rule-set cases without pytest, with outcome coverage, boundary probes
and mutation checks.

One function per section of the output (cases, coverage, boundaries, mutation); each adds its
part to one JSON document and, without `--json`, prints its text. The toolkit's modules are
imported inside these functions, so that `screening --help` stays fast and a section that is
not asked for is never loaded.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from screening.ruletest.suite import ScreenerPool, SuiteRun

err = Console(stderr=True, soft_wrap=True, highlight=False, emoji=False)  # ":100:" in a path is not an emoji


@dataclass
class _Output:
    """What the command reports: one JSON document, or text section by section; and whether it failed."""

    as_json: bool
    doc: dict[str, Any] = field(default_factory=dict)
    failed: bool = False

    def say(self, text: str = "") -> None:
        if not self.as_json:
            sys.stdout.write(text + "\n")

    def fail(self, message: str | None = None) -> None:
        self.failed = True
        if message is not None:
            self.say(message)


def test(
    path: Annotated[Path | None, typer.Argument(
        help="a rules folder, a trial folder or a cases.yaml (default: $SCREENING_RULES_DIR or the bundled rules)")] = None,
    coverage: Annotated[bool, typer.Option("--coverage", help="report the outcomes the cases exercise per trial and criterion")] = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", metavar="PCT", min=0, max=100,
        help="exit 1 when the cases cover less than PCT% of the reachable outcomes (implies --coverage)")] = None,
    boundaries: Annotated[bool, typer.Option("--boundaries", help="probe every threshold and window at its boundary")] = False,
    mutate: Annotated[bool, typer.Option("--mutate", help="report rule changes (mutants) that no case catches")] = False,
    min_mutation_score: Annotated[float | None, typer.Option(
        "--min-mutation-score", metavar="PCT", min=0, max=100,
        help="exit 1 when a trial's mutation score is below PCT% (implies --mutate)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="list every case, criterion and probe")] = False,
) -> None:
    """Run the cases.yaml files of rule sets; exit 1 if a case fails or a threshold is not met."""
    from screening.ruletest.suite import ScreenerPool

    files = _cases_files(path)
    out = _Output(as_json)
    pool = ScreenerPool()
    try:
        runnable = _cases_section(out, pool, files, verbose)
        if coverage or min_coverage is not None:
            _coverage_section(out, pool, runnable, min_coverage)
        if boundaries:
            _boundaries_section(out, pool, runnable, verbose)
        if mutate or min_mutation_score is not None:
            _mutation_section(out, pool, runnable, min_mutation_score)
    finally:
        pool.close()
    out.doc["ok"] = not out.failed
    if as_json:
        sys.stdout.write(json.dumps(out.doc, indent=2) + "\n")
    if out.failed:
        raise typer.Exit(1)


def _cases_files(path: Path | None) -> list[Path]:
    """The cases files at `path` (default: the rules folder); exit 2 when there are none."""
    from screening.ruleset.catalog import default_rules_dir
    from screening.ruletest.suite import find_cases_files

    target = path or default_rules_dir()
    if not target.exists():
        err.print(f"error: {target}: no such file or folder", markup=False)
        raise typer.Exit(2)
    files = find_cases_files(target)
    if not files:
        err.print(f"error: no cases.yaml under {target} (expected <rules>/<TRIAL_ID>/cases.yaml)", markup=False)
        raise typer.Exit(2)
    return files


def _cases_section(out: _Output, pool: ScreenerPool, files: list[Path], verbose: bool) -> list[SuiteRun]:
    """Run every cases file; the runs whose rule set and cases file load (the other sections use them)."""
    from screening.ruletest.suite import format_runs, run_paths

    runs = run_paths(pool, files)
    passed = sum(r.passed for r in runs)
    failed = sum(len(r.results) for r in runs) - passed
    out.doc["cases"] = {"passed": passed, "failed": failed, "files": [r.as_dict() for r in runs]}
    if not all(r.ok for r in runs):
        out.fail()
    out.say(format_runs(runs, verbose))
    return [r for r in runs if not r.errors]


def _coverage_section(out: _Output, pool: ScreenerPool, runs: list[SuiteRun], minimum: float | None) -> None:
    from screening.ruletest.coverage import RULE, format_coverage, total_percent, trial_coverage

    covs = [trial_coverage(pool.get(r.root).catalog, r.trial_id, r.results) for r in runs]
    pct = total_percent(covs)
    out.doc["coverage"] = {"percent": round(pct, 2), "minimum": minimum, "trials": [c.as_dict() for c in covs],
                           "reachability": RULE}
    out.say()
    out.say(format_coverage(covs, verbose=True))
    if minimum is not None and pct < minimum:
        out.fail(f"FAIL: outcome coverage {pct:.1f}% is below the minimum {minimum:g}%")


def _boundaries_section(out: _Output, pool: ScreenerPool, runs: list[SuiteRun], verbose: bool) -> None:
    from screening.ruletest.boundaries import check_trial, format_boundaries

    reports = []
    for run in runs:
        assert run.suite is not None
        patients = [c.patient for c in run.suite.cases if c.patient is not None]
        reports.append(check_trial(pool.get(run.root).screener, run.trial_id, patients, run.suite.as_of))
    out.doc["boundaries"] = [b.as_dict() for b in reports]
    if not all(b.ok for b in reports):
        out.fail()
    out.say()
    out.say(format_boundaries(reports, verbose))


def _mutation_section(out: _Output, pool: ScreenerPool, runs: list[SuiteRun], minimum: float | None) -> None:
    from screening.ruletest.mutate import format_mutation, run_mutants

    reports = [run_mutants(pool.get(r.root).catalog, r.trial_id, r.results) for r in runs]
    out.doc["mutation"] = {"minimum": minimum, "trials": [m.as_dict() for m in reports]}
    out.say()
    out.say(format_mutation(reports))
    low = [m for m in reports if minimum is not None and m.score < minimum]
    if minimum is not None and low:
        out.fail(f"FAIL: mutation score below the minimum {minimum:g}%: "
                 + ", ".join(f"{m.trial_id} {m.score:.1f}%" for m in low))


def register(app: typer.Typer) -> None:
    """Add the `test` command to the main CLI."""
    app.command("test")(test)
