"""`screening import ctgov`: writes a draft, prints its summary and checks it against the library."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from screening.cli.main import app
from screening.ruleset.catalog import library_files, load_ruleset
from screening.ruleset.loader import load_library
from tests.ctgov.records import RECORDS, needs_records


@needs_records
def test_cli_writes_a_draft_that_lints(rules_root: Path) -> None:
    assert RECORDS is not None
    target = rules_root / "NCT03934567" / "trial.yaml"
    runner = CliRunner()
    res = runner.invoke(app, ["import", "ctgov", str(RECORDS / "NCT03934567.json"), "-o", str(target)])
    assert res.exit_code == 0, res.output
    assert "20 items found (7 inclusion, 13 exclusion)" in res.output
    assert "drafted:" in res.output and "left for review:" in res.output
    assert "loads and lints OK" in res.output
    load_ruleset(target, load_library(library_files(rules_root)))
    again = runner.invoke(app, ["import", "ctgov", str(RECORDS / "NCT03934567.json"), "-o", str(target)])
    assert again.exit_code == 2 and "exists (use --force to overwrite)" in again.output
    res = runner.invoke(app, ["lint", str(target)])
    assert res.exit_code == 0 and "1 rule set(s) OK" in res.output


def test_cli_reports_an_unusable_record(tmp_path: Path) -> None:
    record = tmp_path / "study.json"
    record.write_text('{"studies": []}', encoding="utf-8")
    res = CliRunner().invoke(app, ["import", "ctgov", str(record), "-o", str(tmp_path / "trial.yaml")])
    assert res.exit_code == 2
    assert "no protocolSection" in res.output and not (tmp_path / "trial.yaml").exists()


def test_cli_reports_a_hostile_record_without_a_traceback(tmp_path: Path) -> None:
    """Read by the JSON reader of patient documents: nesting and number limits, exit 2 naming the file."""
    record = tmp_path / "study.json"
    for text, reason in (('{"a": ' + "[" * 5000 + "]" * 5000 + "}", "nested more than 64 levels deep"),
                         ('{"a": 1' + "0" * 5000 + "}", "a number of 5001 characters")):
        record.write_text(text, encoding="utf-8")
        res = CliRunner().invoke(app, ["import", "ctgov", str(record), "-o", str(tmp_path / "trial.yaml")])
        assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
        assert f"{record}: not a JSON document: the JSON" in res.output.replace("\n", "") and reason in res.output
