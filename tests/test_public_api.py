"""The public Python API re-exported by `screening`, and the README's example of it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

import screening
from tests.paths import REPO


def test_every_public_name_resolves_to_its_home() -> None:
    from patients.io import load_patient
    from screening.ruleset.catalog import load_catalog
    from screening.runtime.evaluate import Screener

    assert screening.load_patient is load_patient
    assert screening.load_catalog is load_catalog
    assert screening.Screener is Screener
    for name in screening.__all__:
        assert getattr(screening, name) is not None
    assert set(screening.__all__) <= set(dir(screening))
    with pytest.raises(AttributeError):
        screening.no_such_name  # noqa: B018


@pytest.mark.slow
def test_the_readme_example_runs_and_screens(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Python API\n.*?```python\n(.*?)```", readme, re.S)
    assert block, "README.md has a '## Python API' section with a python code block"
    code = block.group(1)
    assert len([line for line in code.splitlines() if line.strip() and not line.startswith(("import", "from"))]) <= 3
    # run as a newcomer would: the example as written, in a fresh interpreter at the repository root
    script = tmp_path / "example.py"
    script.write_text(code + "print(report.model_dump_json())\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = screening.ScreeningReport.model_validate_json(proc.stdout)
    assert {r.trial_id for r in report.results} >= {"NCT01420432"}
    assert report.as_of == dt.date(2026, 11, 22)


def test_errors_are_the_public_types(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "p.json"
    bad.write_text('{"id": "x", "sex": "f"}')
    with pytest.raises(screening.InputError, match=r"sex"):
        screening.load_patient(bad)
    with pytest.raises(screening.RuleSetError):
        screening.load_catalog(tmp_path / "no-rules-here")
