"""Find cases files, build one `Screener` per rules folder and run the cases.

A cases file sits beside its rule set: `<root>/<TRIAL_ID>/cases.yaml`, with the rule sets of
`<root>/*/trial.yaml` and the shared library in `<root>/library/`. Every caller (the pytest
plugin, `screening test`) goes through a `ScreenerPool`, so the rules of one folder are loaded,
compiled and put into the engine once however many cases run against them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset.catalog import Catalog, load_catalog, trial_files
from screening.ruletest.cases import CaseResult, CaseSuite, load_cases, run_suite
from screening.ruletest.paths import relative_path
from screening.runtime.evaluate import Screener

CASES_FILE = "cases.yaml"


def is_cases_file(path: Path) -> bool:
    """`<root>/<TRIAL>/cases.yaml` with `<root>/library/` or a `trial.yaml` beside it."""
    return (path.name == CASES_FILE and path.parent.name != "library"
            and ((path.parent / "trial.yaml").is_file() or (path.parent.parent / "library").is_dir()))


def rules_root_of(cases_file: Path) -> Path:
    return cases_file.resolve().parent.parent


def find_cases_files(target: Path) -> list[Path]:
    """Cases files at `target`: a cases file itself, a trial folder, a rules folder or any folder above."""
    target = Path(target)
    if target.is_file():
        return [target] if target.name == CASES_FILE else []
    if (target / CASES_FILE).is_file():
        return [target / CASES_FILE]
    return sorted(p for p in target.rglob(CASES_FILE) if is_cases_file(p) and not _hidden(p, target))


def _hidden(path: Path, base: Path) -> bool:
    parts = path.relative_to(base).parts
    return any(p.startswith(".") or p in ("node_modules", "__pycache__") for p in parts)


@dataclass
class LoadedRoot:
    """The rules of one folder: a screener over the rule sets that load, the errors of the others."""

    root: Path
    screener: Screener
    errors: dict[str, list[Diagnostic]] = field(default_factory=dict)  # trial folder -> diagnostics

    @property
    def catalog(self) -> Catalog:
        return self.screener.catalog


def load_root(root: Path) -> LoadedRoot:
    """Load every rule set of `root`; a rule set with errors is left out (its errors are kept)."""
    try:
        return LoadedRoot(root, Screener(load_catalog(root)))
    except RuleSetError as e:
        whole = e
    errors: dict[str, list[Diagnostic]] = {}
    rulesets = {}
    if not root.is_dir() or not (root / "library").is_dir() and not trial_files(root):
        raise whole
    for path in trial_files(root):
        try:
            rulesets.update(load_catalog(root, [path.parent.name]).rulesets)
        except RuleSetError as e:
            errors[path.parent.name] = list(e.diagnostics)
    if not rulesets and not errors:
        raise whole
    return LoadedRoot(root, Screener(Catalog(root, rulesets)), errors)


class ScreenerPool:
    """One `LoadedRoot` per rules folder, built on first use."""

    def __init__(self) -> None:
        self._roots: dict[Path, LoadedRoot | RuleSetError] = {}

    def get(self, root: Path) -> LoadedRoot:
        root = root.resolve()
        got = self._roots.get(root)
        if got is None:
            try:
                got = load_root(root)
            except RuleSetError as e:
                got = e
            self._roots[root] = got
        if isinstance(got, RuleSetError):
            raise got
        return got

    def loaded(self) -> list[LoadedRoot]:
        return [r for r in self._roots.values() if isinstance(r, LoadedRoot)]

    def close(self) -> None:
        for r in self.loaded():
            r.screener.close()
            r.screener.engine.close()
        self._roots.clear()


@dataclass
class SuiteRun:
    """The outcome of one cases file: its results, or why it could not run."""

    path: Path
    root: Path
    suite: CaseSuite | None
    results: list[CaseResult]
    errors: list[Diagnostic] = field(default_factory=list)  # the file itself or its rule set

    @property
    def trial_id(self) -> str:
        return self.suite.trial_id if self.suite is not None else self.path.parent.name

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.ok for r in self.results)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.ok)

    def as_dict(self) -> dict[str, Any]:
        return {"file": relative_path(self.path), "trial": self.trial_id,
                "errors": [d.format() for d in self.errors], "cases": [r.as_dict() for r in self.results]}

    def format(self, verbose: bool = False) -> list[str]:
        """The file's line, with every failing case's table (and with `verbose` every passing case)."""
        if self.errors:
            return [f"ERROR {relative_path(self.path)}: cannot run the cases"] + ["  " + d.format() for d in self.errors]
        lines = [f"{relative_path(self.path)}: {self.trial_id}: {self.passed}/{len(self.results)} passed"]
        for r in self.results:
            if not r.ok:
                lines.append(f"  FAIL  {relative_path(r.case.file)}:{r.case.line}: {r.case.name}")
                lines += ["    " + line for line in r.table().splitlines()]
            elif verbose:
                lines.append(f"  ok    {r.case.name}")
        return lines


def ruleset_errors(loaded: LoadedRoot, trial_id: str, folder: str) -> list[Diagnostic]:
    return loaded.errors.get(folder) or loaded.errors.get(trial_id) or []


def run_file(pool: ScreenerPool, path: Path) -> SuiteRun:
    root = rules_root_of(path)
    try:
        suite = load_cases(path)
    except RuleSetError as e:
        return SuiteRun(path, root, None, [], list(e.diagnostics))
    try:
        loaded = pool.get(root)
    except RuleSetError as e:
        return SuiteRun(path, root, suite, [], list(e.diagnostics))
    broken = ruleset_errors(loaded, suite.trial_id, path.parent.name)
    if broken:
        return SuiteRun(path, root, suite, [], broken)
    return SuiteRun(path, root, suite, run_suite(loaded.screener, suite))


def run_paths(pool: ScreenerPool, paths: Iterable[Path]) -> list[SuiteRun]:
    return [run_file(pool, p) for p in paths]


def format_runs(runs: list[SuiteRun], verbose: bool = False) -> str:
    """Every cases file's results and a summary line."""
    lines = [line for run in runs for line in run.format(verbose)]
    passed = sum(run.passed for run in runs)
    total = sum(len(run.results) for run in runs)
    broken = sum(1 for run in runs if run.errors)
    lines.append(f"{passed} passed, {total - passed} failed"
                 + (f", {broken} file(s) with errors" if broken else "") + f" ({len(runs)} cases file(s))")
    return "\n".join(lines)
