"""Lint checks, one class and one fixture pair per code listed in screening/ruleset/lint/__init__.py.

`tests/fixtures/lint/<CODE>_incorrect.yaml` triggers exactly that code (at the place named by
its `# expect: <CODE> at <line>:<col>` comment); `<CODE>_correct.yaml` triggers nothing, not
even a warning. Fixtures are placed in a folder named LINT-T (the trial id they declare).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import screening.ruleset.lint as lint_module
from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset.catalog import library_files, load_catalog, load_ruleset
from screening.ruleset.lint import CHECKS, LintContext, lint
from screening.ruleset.lint.checks import Check
from screening.ruleset.loader import load_library, load_trial_file
from screening.ruleset.lower import lower
from tests.paths import FIXTURES

LINT_FIXTURES = FIXTURES / "lint"
FOLDER = "LINT-T"

DOCUMENTED = dict(re.findall(r"^\| (L\d{3}) \| (error|warning)\s*\|", lint_module.__doc__ or "", re.M))
EXPECT = re.compile(r"^# expect: (L\d{3}) at (\d+):(\d+)$", re.M)


def run_lint(fixture: Path, rules_root: Path) -> tuple[Path, list[Diagnostic]]:
    """Every diagnostic (errors and warnings) of one fixture placed as rules_root/LINT-T/trial.yaml."""
    target = rules_root / FOLDER / "trial.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, target)
    library = load_library(library_files(rules_root))
    model, smap, _ = load_trial_file(target)
    lowered = lower(model, library.model, smap, library.terms)  # raises on E-codes: fixtures must be valid otherwise
    return target, lint(model, lowered, smap, target)


def run_check(check: Check, fixture: Path, rules_root: Path) -> list[Diagnostic]:
    """The diagnostics of one check class alone on a fixture."""
    target = rules_root / FOLDER / "trial.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, target)
    model, smap, _ = load_trial_file(target)
    library = load_library(library_files(rules_root))
    lowered = lower(model, library.model, smap, library.terms)
    return list(check.run(LintContext(model, lowered, smap, target)))


def test_the_docstring_lists_the_checks() -> None:
    assert len(DOCUMENTED) >= 9
    assert sorted(DOCUMENTED) == [f"L{i:03d}" for i in range(1, len(DOCUMENTED) + 1)]
    assert {c.code: c.severity for c in CHECKS} == DOCUMENTED  # one class per documented check


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: f"{c.code}-{type(c).__name__}")
def test_each_check_class_fires_on_its_incorrect_fixture_only(check: Check, rules_root: Path) -> None:
    assert [d.code for d in run_check(check, LINT_FIXTURES / f"{check.code}_incorrect.yaml", rules_root)] == [check.code]
    assert run_check(check, LINT_FIXTURES / f"{check.code}_correct.yaml", rules_root) == []


def test_every_fixture_belongs_to_a_documented_code() -> None:
    names = {p.name for p in LINT_FIXTURES.glob("*.yaml")}
    expected = {f"{c}_{kind}.yaml" for c in DOCUMENTED for kind in ("correct", "incorrect")}
    assert names == expected


@pytest.mark.parametrize("code", sorted(DOCUMENTED))
def test_incorrect_fixture_triggers_exactly_its_code(code: str, rules_root: Path) -> None:
    fixture = LINT_FIXTURES / f"{code}_incorrect.yaml"
    m = EXPECT.search(fixture.read_text(encoding="utf-8"))
    assert m, f"{fixture.name} has no '# expect: {code} at line:col' comment"
    assert m.group(1) == code
    target, diags = run_lint(fixture, rules_root)
    assert [(d.code, d.severity) for d in diags] == [(code, DOCUMENTED[code])]
    (d,) = diags
    assert (d.file, d.line, d.column) == (str(target), int(m.group(2)), int(m.group(3)))
    assert d.message


@pytest.mark.parametrize("code", sorted(DOCUMENTED))
def test_correct_fixture_triggers_nothing(code: str, rules_root: Path) -> None:
    _, diags = run_lint(LINT_FIXTURES / f"{code}_correct.yaml", rules_root)
    assert diags == []


@pytest.mark.parametrize("code", sorted(c for c, sev in DOCUMENTED.items() if sev == "error"))
def test_lint_errors_stop_the_rule_set_from_loading(code: str, rules_root: Path) -> None:
    target = rules_root / FOLDER / "trial.yaml"
    target.parent.mkdir(parents=True)
    shutil.copyfile(LINT_FIXTURES / f"{code}_incorrect.yaml", target)
    with pytest.raises(RuleSetError) as info:
        load_catalog(rules_root)
    assert [d.code for d in info.value.diagnostics] == [code]


@pytest.mark.parametrize("code", sorted(c for c, sev in DOCUMENTED.items() if sev == "warning"))
def test_lint_warnings_do_not_stop_loading(code: str, rules_root: Path) -> None:
    target = rules_root / FOLDER / "trial.yaml"
    target.parent.mkdir(parents=True)
    shutil.copyfile(LINT_FIXTURES / f"{code}_incorrect.yaml", target)
    rs = load_ruleset(target, load_library(library_files(rules_root)))
    assert [w.code for w in rs.warnings] == [code]


def test_messages_name_the_offending_thing(rules_root: Path) -> None:
    msgs = {}
    for code in DOCUMENTED:
        (d,) = run_lint(LINT_FIXTURES / f"{code}_incorrect.yaml", rules_root)[1]
        msgs[code] = d.message
    assert "'adult'" in msgs["L001"]
    assert "'local_findings'" in msgs["L002"]
    assert ">= 65" in msgs["L003"] and "<= 18" in msgs["L003"]
    assert "'N/A'" in msgs["L004"]
    assert "umol/LL" in msgs["L005"]
    assert "'older_adult'" in msgs["L006"]
    assert "'LINT-OTHER'" in msgs["L007"] and "'LINT-T'" in msgs["L007"]
    assert "150" in msgs["L008"]
    assert "'gout'" in msgs["L011"] and "ICD-10-CM" in msgs["L011"]
    assert "icd10:E83.11" in msgs["L012"] and "write icd10cm:E83.11" in msgs["L012"]
    assert "'sex_recorded'" in msgs["L015"] and "missing: fail" in msgs["L015"]


@pytest.mark.parametrize(
    ("definition", "empty"),
    [
        ("age: {gt: 40, lt: 40}", True),
        ("age: {ge: 40, le: 40}", False),
        ("age: {ge: 40, lt: 40}", True),
        ("age: {eq: 40, gt: 39}", None),  # eq cannot be combined: a validation error, not lint
        ("all: [{age: {ge: 50}}, {age: {lt: 50}}]", True),
        ("any: [{age: {ge: 50}}, {age: {lt: 50}}]", False),
        ("latest: {code: creatinine, gt: 2 mg/dL, lt: 170 umol/L}", True),  # 2 mg/dL = 176.8 umol/L
        ("latest: {code: creatinine, gt: 1.9 mg/dL, lt: 170 umol/L}", False),
    ],
)
def test_contradictions_are_found_across_units_and_nodes(
    definition: str, empty: bool | None, rules_root: Path
) -> None:
    text = (LINT_FIXTURES / "L003_correct.yaml").read_text(encoding="utf-8")
    text = text.replace("age: {between: [18, 65]}", definition)
    fixture = rules_root / "fixture.yaml"
    fixture.write_text(text, encoding="utf-8")
    if empty is None:
        with pytest.raises(RuleSetError):
            run_lint(fixture, rules_root)
        return
    codes = [d.code for d in run_lint(fixture, rules_root)[1]]
    assert codes == (["L003"] if empty else [])


def test_an_empty_followed_by_window_is_l003(rules_root: Path) -> None:
    text = (LINT_FIXTURES / "L003_correct.yaml").read_text(encoding="utf-8").replace(
        "age: {between: [18, 65]}",
        "followed_by: {anchor: {procedure: {code: allo_hsct}}, event: {condition: {code: graft_failure_primary}},"
        " after: [6 weeks, 2 weeks]}",
    )
    fixture = rules_root / "fixture.yaml"
    fixture.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        run_lint(fixture, rules_root)
    (d,) = info.value.diagnostics
    assert d.code == "L003"
    assert "6 weeks" in d.message and "2 weeks" in d.message


@pytest.mark.parametrize("text", ["N/A", "tbd", "  ", "TODO.", "..."])
def test_placeholder_texts(text: str, rules_root: Path) -> None:
    src = (LINT_FIXTURES / "L004_correct.yaml").read_text(encoding="utf-8")
    fixture = rules_root / "fixture.yaml"
    fixture.write_text(src.replace("text: Adults aged 18 to 65.", f"text: {text!r}"), encoding="utf-8")
    assert [d.code for d in run_lint(fixture, rules_root)[1]] == ["L004"]
