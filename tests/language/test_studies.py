"""Two studies written with the extended language, from their criterion text as a clinician reads
it (tests/fixtures/studies: a type 2 diabetes add-on-to-metformin study and a lipid study in
statin-naive patients): every case passes, every reachable outcome is covered, the boundary
probes agree with the engine and every mutant is caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screening.cli.main import app
from screening.ruleset.catalog import load_catalog
from tests.paths import FIXTURES

STUDIES = FIXTURES / "studies"
IDS = ("LIPID-STATIN-NAIVE", "T2D-METFORMIN-ADDON")


@pytest.fixture
def studies(rules_root: Path) -> Path:
    for trial in IDS:
        shutil.copytree(STUDIES / trial, rules_root / trial)
    return rules_root


def test_the_studies_load_without_lint_findings(studies: Path) -> None:
    catalog = load_catalog(studies)
    assert sorted(catalog.ids()) == list(IDS)
    for trial in IDS:
        assert catalog.get(trial).warnings == ()


def test_the_studies_cases_pass(studies: Path) -> None:
    result = CliRunner().invoke(app, ["test", str(studies), "--min-coverage", "100", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["cases"]["failed"] == 0 and doc["cases"]["passed"] >= 100
    assert doc["coverage"]["percent"] == 100.0


@pytest.mark.slow
def test_the_studies_boundaries_and_mutants(studies: Path) -> None:
    result = CliRunner().invoke(app, ["test", str(studies), "--boundaries", "--min-mutation-score", "100", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert all(b["problems"] == [] and b["probes"] > 150 for b in doc["boundaries"])
    assert [t["score"] for t in doc["mutation"]["trials"]] == [100.0, 100.0]
