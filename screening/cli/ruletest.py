"""`screening test`: run rule-set cases without pytest, with outcome coverage, boundary probes
and mutation checks."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

err = Console(stderr=True, soft_wrap=True, highlight=False)


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _rel(path: Path | str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


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
    from screening.ruleset.catalog import default_rules_dir
    from screening.ruletest.coverage import format_coverage, total_percent, trial_coverage
    from screening.ruletest.suite import ScreenerPool, find_cases_files, run_paths

    target = path or default_rules_dir()
    if not target.exists():
        err.print(f"error: {target}: no such file or folder", markup=False)
        raise typer.Exit(2)
    files = find_cases_files(target)
    if not files:
        err.print(f"error: no cases.yaml under {target} (expected <rules>/<TRIAL_ID>/cases.yaml)", markup=False)
        raise typer.Exit(2)
    coverage = coverage or min_coverage is not None
    mutate = mutate or min_mutation_score is not None
    pool = ScreenerPool()
    doc: dict[str, Any] = {}
    failed = False
    try:
        runs = run_paths(pool, files)
        passed = sum(1 for r in runs for c in r.results if c.ok)
        total = sum(len(r.results) for r in runs)
        doc["cases"] = {"passed": passed, "failed": total - passed, "files": []}
        for run in runs:
            entry: dict[str, Any] = {"file": _rel(run.path), "trial": run.trial_id,
                                     "errors": [d.format() for d in run.errors], "cases": []}
            for r in run.results:
                entry["cases"].append({
                    "name": r.case.name, "line": r.case.line, "ok": r.ok, "verdict": r.verdict,
                    "errors": [d.format() for d in r.errors],
                    "mismatches": [{"criterion": m.criterion, "expected": m.expected, "actual": m.actual,
                                    "explanation": m.explanation}
                                   for m in r.mismatches + ([r.verdict_mismatch] if r.verdict_mismatch else [])],
                })
            doc["cases"]["files"].append(entry)
            failed |= not run.ok
        if not as_json:
            _print_cases(runs, verbose)
            _say(f"{passed} passed, {total - passed} failed"
                      + (f", {sum(1 for r in runs if r.errors)} file(s) with errors" if any(r.errors for r in runs) else "")
                      + f" ({len(runs)} cases file(s))")
        runnable = [r for r in runs if not r.errors]

        if coverage:
            covs = [trial_coverage(pool.get(r.root).catalog, r.trial_id, r.results) for r in runnable]
            pct = total_percent(covs)
            doc["coverage"] = {"percent": round(pct, 2), "minimum": min_coverage, "trials": [c.as_dict() for c in covs],
                               "reachability": _reachability_text()}
            if not as_json:
                _say()
                _say(format_coverage(covs, verbose=True))
            if min_coverage is not None and pct < min_coverage:
                failed = True
                if not as_json:
                    _say(f"FAIL: outcome coverage {pct:.1f}% is below the minimum {min_coverage:g}%")

        if boundaries:
            from screening.ruletest.boundaries import check_trial, format_boundaries

            reports = []
            for run in runnable:
                assert run.suite is not None
                patients = [c.patient for c in run.suite.cases if c.patient is not None]
                reports.append(check_trial(pool.get(run.root).screener, run.trial_id, patients, run.suite.as_of))
            doc["boundaries"] = [b.as_dict() for b in reports]
            failed |= any(not b.ok for b in reports)
            if not as_json:
                _say()
                _say(format_boundaries(reports, verbose))

        if mutate:
            from screening.ruletest.mutate import format_mutation, run_mutants

            mreports = [run_mutants(pool.get(r.root).catalog, r.trial_id, r.results) for r in runnable]
            doc["mutation"] = {"minimum": min_mutation_score, "trials": [m.as_dict() for m in mreports]}
            if not as_json:
                _say()
                _say(format_mutation(mreports))
            if min_mutation_score is not None:
                low = [m for m in mreports if m.score < min_mutation_score]
                if low:
                    failed = True
                    if not as_json:
                        _say("FAIL: mutation score below the minimum "
                                  f"{min_mutation_score:g}%: " + ", ".join(f"{m.trial_id} {m.score:.1f}%" for m in low))
    finally:
        pool.close()
    doc["ok"] = not failed
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    if failed:
        raise typer.Exit(1)


def _reachability_text() -> str:
    from screening.ruletest.coverage import RULE

    return RULE


def _print_cases(runs: list[Any], verbose: bool) -> None:
    for run in runs:
        if run.errors:
            _say(f"ERROR {_rel(run.path)}: cannot run the cases")
            for d in run.errors:
                _say("  " + d.format())
            continue
        bad = [r for r in run.results if not r.ok]
        _say(f"{_rel(run.path)}: {run.trial_id}: {len(run.results) - len(bad)}/{len(run.results)} passed")
        for r in run.results:
            if r.ok:
                if verbose:
                    _say(f"  ok    {r.case.name}")
                continue
            _say(f"  FAIL  {_rel(r.case.file)}:{r.case.line}: {r.case.name}")
            _say("\n".join("    " + line for line in r.table().splitlines()))


def register(app: typer.Typer) -> None:
    """Add the `test` command to the main CLI."""
    app.command("test")(test)
