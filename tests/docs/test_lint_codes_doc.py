"""docs/lint-codes.md: every diagnostic code the tool defines is documented, and the document's
examples are checked: each *wrong* example gives its code, each *right* example loads (and its
cases pass) with no diagnostic at all."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset.catalog import load_catalog
from screening.ruletest.suite import ScreenerPool, run_file
from tests.paths import LIBRARY

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "lint-codes.md").read_text(encoding="utf-8")
HEAD = """schema: trial-screening/v1
trial:
  id: T1
  title: a trial
  sources: [{document: registry}]
"""
DEFAULT_TRIAL = HEAD + """criteria:
  - {id: adult, kind: inclusion, text: Adults., source: {document: registry}, when: {age: {ge: 18}}}
"""
# codes whose example cannot be a short file: a failure of the tool itself, a file of a megabyte,
# an invisible character (these three are tested where they are raised: tests/ruleset,
# tests/api), a duplicate trial id that L007 reports first in a rules folder, a criterion of 64
# alternatives (its correct and incorrect fixtures are tests/fixtures/lint/L014_*.yaml)
NOT_CHECKED = {"E000", "E003", "E005", "E021", "L014"}
_CODE = re.compile(r"""["']([ELC]\d{3})["']""")
_EXAMPLE = re.compile(r"```yaml (wrong|right) ([A-Z]\d{3})\n(.*?)```", re.S)
_FILE = re.compile(r"^# file: (\S+)\n", re.M)


def defined_codes() -> set[str]:
    codes: set[str] = set()
    for folder in ("screening", "api", "patients"):
        for path in (REPO / folder).rglob("*.py"):
            codes.update(_CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def examples() -> list[tuple[str, str, str]]:
    return [(m[2], m[1], m[3]) for m in _EXAMPLE.finditer(DOC)]


def test_every_code_the_tool_defines_is_documented() -> None:
    codes = defined_codes()
    assert {"E011", "L001", "L013", "C006"} <= codes  # the scan finds them
    documented = set(re.findall(r"^### ([ELC]\d{3})\b", DOC, re.M))
    assert codes - documented == set(), "undocumented codes"
    assert documented - codes == set(), "documented codes the tool does not have"


def test_every_code_has_a_checked_wrong_and_right_example_or_says_why_not() -> None:
    shown = {(code, kind) for code, kind, _ in examples()}
    for code in defined_codes() - NOT_CHECKED:
        assert (code, "wrong") in shown and (code, "right") in shown, code
    for code in NOT_CHECKED:
        section = DOC[DOC.index(f"### {code}"):]
        section = section[:section.index("\n### ", 5)]
        assert "*Wrong* (not checked" in section and "*Right*" in section, code


def write_example(root: Path, text: str) -> list[Path]:
    shutil.copytree(LIBRARY, root / "library")
    parts = _FILE.split(text)
    files = {"T1/trial.yaml": HEAD + text} if len(parts) == 1 else dict(zip(parts[1::2], parts[2::2], strict=True))
    if any(name.endswith("cases.yaml") for name in files) and not any(n.endswith("trial.yaml") for n in files):
        files["T1/trial.yaml"] = DEFAULT_TRIAL
    written = []
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        written.append(path)
    return written


def diagnostics_of(root: Path, written: list[Path]) -> list[Diagnostic]:
    try:
        catalog = load_catalog(root)
    except RuleSetError as e:
        return list(e.diagnostics)
    diags = [w for rs in catalog.rulesets.values() for w in rs.warnings]
    pool = ScreenerPool()
    try:
        for path in written:
            if path.name == "cases.yaml":
                run = run_file(pool, path)
                diags += run.errors + [d for r in run.results for d in r.errors]
                failed = [r for r in run.results if not r.ok and not r.errors]
                diags += [Diagnostic(str(path), 1, 1, "FAILED", r.case.name) for r in failed]
    finally:
        pool.close()
    return diags


@pytest.mark.parametrize(("code", "kind", "text"), examples(), ids=[f"{c}-{k}" for c, k, _ in examples()])
def test_the_documented_example(tmp_path: Path, code: str, kind: str, text: str) -> None:
    root = tmp_path / "rules"
    diags = diagnostics_of(root, write_example(root, text))
    shown = [d.format() for d in diags]
    if kind == "wrong":
        assert code in {d.code for d in diags}, shown
    else:
        assert diags == [], shown
