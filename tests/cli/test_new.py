"""`screening new TRIAL_ID`: a starter rule set and cases that lint clean, pass, cover every
outcome and catch every mutant; never over an existing folder; a bad id refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screening.cli.main import app

runner = CliRunner()


def invoke(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("as_of", ["2026-11-22", "2024-02-29"])
def test_the_scaffold_lints_clean_and_its_cases_pass(tmp_path: Path, as_of: str) -> None:
    rules = tmp_path / "rules"
    made = invoke("new", "NCT09999999", "--rules", rules, "--title", 'A "quoted": trial # not a comment',
                  "--as-of", as_of)
    assert made.exit_code == 0, made.output
    assert "cases: 7/7 pass" in made.output
    lint = invoke("lint", rules)
    assert lint.exit_code == 0 and "1 rule set(s) OK" in lint.output and "warning" not in lint.output
    tested = invoke("test", rules / "NCT09999999", "--coverage", "--boundaries", "--mutate", "--json")
    assert tested.exit_code == 0, tested.output
    doc = json.loads(tested.output)
    assert doc["ok"] is True
    assert doc["coverage"]["percent"] == 100.0
    (mutation,) = doc["mutation"]["trials"]
    assert mutation["score"] == 100.0 and mutation["mutants"] == 4 and not mutation["survivors"]
    (probes,) = doc["boundaries"]
    assert probes["probes"] > 0 and not probes["problems"]
    trial = (rules / "NCT09999999" / "trial.yaml").read_text(encoding="utf-8")
    assert 'title: "A \\"quoted\\": trial # not a comment"' in trial


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "NCT09999999").mkdir(parents=True)
    (rules / "NCT09999999" / "trial.yaml").write_text("mine", encoding="utf-8")
    res = invoke("new", "NCT09999999", "--rules", rules)
    assert res.exit_code == 2 and "exists already" in res.output
    assert (rules / "NCT09999999" / "trial.yaml").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("bad", ["bad id", "../escape", "_x", ""])
def test_a_bad_trial_id_is_refused(tmp_path: Path, bad: str) -> None:
    res = invoke("new", bad, "--rules", tmp_path / "rules")
    assert res.exit_code == 2 and "is not a trial id" in res.output
    assert not (tmp_path / "rules").exists() or not any((tmp_path / "rules").iterdir())
