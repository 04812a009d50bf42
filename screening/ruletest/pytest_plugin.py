"""pytest plugin (entry point `pytest11`): every `cases.yaml` beside a rule set is a test file.

`<root>/<TRIAL_ID>/cases.yaml` is collected with the rules of `<root>` (`<root>/library/` and
`<root>/*/trial.yaml`), so a team can keep its own rules folder in its own repository and run
`pytest`. Each case is an item `<trial_id>::<case name>`; a failing case reports its file and
line and a table of expected versus actual status per criterion, with the explanation of each
mismatch. The rules of a folder are loaded and compiled into one engine per session.

Options: `--rules-coverage` prints which reachable outcomes the cases exercise;
`--rules-min-coverage PCT` also fails the run below that percentage.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruletest.cases import Case, CaseResult, load_cases, run_case
from screening.ruletest.coverage import TrialCoverage, format_coverage, total_percent, trial_coverage
from screening.ruletest.paths import shown_path
from screening.ruletest.suite import ScreenerPool, is_cases_file, rules_root_of, ruleset_errors

POOL_KEY = pytest.StashKey[ScreenerPool]()
RESULTS_KEY = pytest.StashKey[list[CaseResult]]()
COVERAGE_KEY = pytest.StashKey[list[TrialCoverage]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("screening", "rule-set cases (cases.yaml)")
    group.addoption("--rules-coverage", action="store_true", default=False,
                    help="report which reachable outcomes (pass/fail/unknown/review) the cases exercise")
    group.addoption("--rules-min-coverage", type=float, default=None, metavar="PCT",
                    help="fail the run when the cases cover less than PCT%% of the reachable outcomes")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[POOL_KEY] = ScreenerPool()
    config.stash[RESULTS_KEY] = []


def pytest_unconfigure(config: pytest.Config) -> None:
    pool = config.stash.get(POOL_KEY, None)
    if pool is not None:
        pool.close()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_cases_file(file_path):
        return CasesFile.from_parent(parent, path=file_path)
    return None


class CaseFailure(Exception):
    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class CasesFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        try:
            suite = load_cases(shown_path(self.path))
        except RuleSetError as e:
            yield CasesFileError.from_parent(self, name=f"{self.path.parent.name}::(cases file)",
                                             diagnostics=list(e.diagnostics))
            return
        trial = TrialCases.from_parent(self, name=suite.trial_id)
        trial.cases = list(suite.cases)
        trial.misplaced = suite.misplaced()
        yield trial


class TrialCases(pytest.Collector):
    cases: list[Case]
    misplaced: list[Diagnostic]

    def collect(self) -> Iterator[pytest.Item]:
        for case in self.cases:
            yield CaseItem.from_parent(self, name=case.name, case=case, misplaced=self.misplaced)


class CasesFileError(pytest.Item):
    def __init__(self, *, diagnostics: list[Diagnostic], **kw: Any):
        super().__init__(**kw)
        self.diagnostics = diagnostics

    def runtest(self) -> None:
        raise CaseFailure("invalid cases file:\n" + "\n".join(d.format() for d in self.diagnostics))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFailure):
            return excinfo.value.text
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.diagnostics[0].line - 1 if self.diagnostics else 0
        return self.path, line, self.name


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, misplaced: list[Diagnostic], **kw: Any):
        super().__init__(**kw)
        self.case = case
        self.misplaced = misplaced

    def runtest(self) -> None:
        pool = self.config.stash[POOL_KEY]
        c = self.case
        try:
            loaded = pool.get(rules_root_of(self.path))
        except RuleSetError as e:
            raise CaseFailure(f"{c.location}: {c.id}: the rules of {rules_root_of(self.path)} do not load:\n"
                              + "\n".join(d.format() for d in e.diagnostics)) from None
        broken = ruleset_errors(loaded, c.trial_id, self.path.parent.name)
        if broken:
            raise CaseFailure(f"{c.location}: {c.id}: rule set {c.trial_id} does not load:\n"
                              + "\n".join(d.format() for d in broken))
        result = run_case(loaded.screener, c)
        result.errors += self.misplaced
        self.config.stash[RESULTS_KEY].append(result)
        if not result.ok:
            raise CaseFailure(_failure_text(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFailure):
            return excinfo.value.text
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.case.line - 1, f"{self.case.trial_id}::{self.case.name}"


def _failure_text(result: CaseResult) -> str:
    c = result.case
    lines = [f"{c.file}:{c.line}: case {c.name!r} of trial {c.trial_id} failed"]
    lines.append(result.table())
    return "\n".join(lines)


def _coverage(config: pytest.Config) -> list[TrialCoverage]:
    if COVERAGE_KEY not in config.stash:
        results = config.stash[RESULTS_KEY]
        trials = []
        for loaded in config.stash[POOL_KEY].loaded():
            mine = [r for r in results if r.case.trial_id in loaded.catalog.rulesets]
            trials += [trial_coverage(loaded.catalog, t, mine) for t in sorted({r.case.trial_id for r in mine})]
        config.stash[COVERAGE_KEY] = trials
    return config.stash[COVERAGE_KEY]


def _wanted(config: pytest.Config) -> bool:
    return bool(config.getoption("--rules-coverage")) or config.getoption("--rules-min-coverage") is not None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    minimum = config.getoption("--rules-min-coverage")
    if not _wanted(config) or minimum is None:
        return
    if total_percent(_coverage(config)) < minimum and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _wanted(config):
        return
    trials = _coverage(config)
    terminalreporter.section("rule-set outcome coverage")
    if not trials:
        terminalreporter.write_line("no rule-set cases ran")
        return
    terminalreporter.write_line(format_coverage(trials))
    minimum = config.getoption("--rules-min-coverage")
    if minimum is not None and total_percent(trials) < minimum:
        terminalreporter.write_line(f"FAIL: outcome coverage {total_percent(trials):.1f}% is below {minimum:g}%")
