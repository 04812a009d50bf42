"""docs/cases.md: its example file and its `merge` examples run against the bundled trial and pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening.ruleset.catalog import load_catalog
from screening.ruletest.cases import load_cases, run_case
from screening.runtime.evaluate import Screener
from tests.paths import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "cases.md"


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def test_the_documented_cases_load_and_pass(tmp_path: Path) -> None:
    whole, merges = yaml_blocks(DOC.read_text(encoding="utf-8"))[:2]
    folder = tmp_path / "NCT01420432"
    folder.mkdir()
    path = folder / "cases.yaml"
    path.write_text(whole + merges, encoding="utf-8")
    suite = load_cases(path)
    assert len(suite.cases) == 5
    screener = Screener(load_catalog(RULES))
    try:
        results = [run_case(screener, c) for c in suite.cases]
    finally:
        screener.close()
    failed = {r.case.name: (r.errors, r.mismatches, r.verdict_mismatch) for r in results if not r.ok}
    assert not failed


@pytest.mark.parametrize("code", ["C001", "C002", "C003", "C004", "C005", "C006"])
def test_every_cases_code_is_in_the_doc(code: str) -> None:
    assert f"| {code} |" in DOC.read_text(encoding="utf-8")
