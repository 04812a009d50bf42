"""`screening import ctgov`: writes a draft and its starter cases where they can be used (a rules
folder with a library), prints what was drafted, and checks that the draft lints and its cases hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screening.cli.main import app
from screening.ruleset.catalog import library_files, load_ruleset
from screening.ruleset.loader import load_library
from tests.ctgov.records import RECORDS, needs_records
from tests.paths import LIBRARY

AS_OF = ["--as-of", "2026-11-22"]


@needs_records
def test_cli_writes_a_draft_that_lints_with_cases_that_hold(rules_root: Path) -> None:
    assert RECORDS is not None
    target = rules_root / "NCT03934567" / "trial.yaml"
    runner = CliRunner()
    res = runner.invoke(app, ["import", "ctgov", str(RECORDS / "NCT03934567.json"), "-o", str(target), *AS_OF])
    assert res.exit_code == 0, res.output
    assert "20 items found (7 inclusion, 13 exclusion)" in res.output
    assert "drafted:" in res.output and "left for review:" in res.output
    assert "loads and lints OK" in res.output and "cases: 8/8 hold" in res.output
    assert "copied" not in res.output  # the folder has a library: it is used, not replaced
    load_ruleset(target, load_library(library_files(rules_root)))
    cases = (target.parent / "cases.yaml").read_text(encoding="utf-8")
    assert cases.startswith("# Starter cases for a DRAFT rule set") and "draft: check against the registry text" in cases
    again = runner.invoke(app, ["import", "ctgov", str(RECORDS / "NCT03934567.json"), "-o", str(target)])
    assert again.exit_code == 2 and "exists (use --force to overwrite)" in again.output
    res = runner.invoke(app, ["lint", str(target)])
    assert res.exit_code == 0 and "1 rule set(s) OK" in res.output
    res = runner.invoke(app, ["test", str(target.parent)])
    assert res.exit_code == 0 and "8/8 passed" in res.output


@needs_records
def test_a_folder_without_a_library_gets_a_copy(tmp_path: Path) -> None:
    assert RECORDS is not None
    target = tmp_path / "drafts" / "NCT04452435" / "trial.yaml"
    res = CliRunner().invoke(app, ["import", "ctgov", str(RECORDS / "NCT04452435.xml"), "-o", str(target),
                                   "--library", str(LIBRARY.parent), *AS_OF])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())  # long lines wrap on narrow consoles
    assert f"copied the rules library from {LIBRARY} to {tmp_path / 'drafts' / 'library'}" in flat
    assert sorted(p.name for p in (tmp_path / "drafts" / "library").iterdir()) == ["concepts.yaml", "value_sets.yaml", "valuesets"]
    res = CliRunner().invoke(app, ["lint", str(tmp_path / "drafts")])
    assert res.exit_code == 0 and "1 rule set(s) OK" in res.output


@needs_records
def test_a_folder_of_records_is_drafted_record_by_record(tmp_path: Path) -> None:
    assert RECORDS is not None
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("NCT04452435.xml", "NCT00023673.json", "NCT03630471.json"):
        shutil.copy(RECORDS / name, folder / name)
    (folder / "broken.json").write_text('{"studies": []}', encoding="utf-8")
    out = tmp_path / "rules"
    res = CliRunner().invoke(app, ["import", "ctgov", str(folder), "-o", str(out), "--no-cases", *AS_OF])
    assert res.exit_code == 2, res.output  # one record could not be drafted
    assert "broken.json: not drafted: " in res.output and "no protocolSection" in res.output
    flat = " ".join(res.output.split())  # lines wrap at the terminal's width
    # a multiple of ULN without a reference range in its value set is a lint warning (L013), not an error
    for line in ("NCT00023673: 36 items, 7 computable drafts, 29 for review; lint OK, 1 warning(s); not written",
                 "NCT03630471: 17 items, 1 computable drafts, 17 for review; lint OK; not written",
                 "NCT04452435: 23 items, 7 computable drafts, 19 for review; lint OK; not written"):
        assert line in flat
    assert "3 record(s) drafted, 1 not drafted; 15 computable drafts, 65 items for review" in flat
    assert sorted(p.name for p in out.iterdir()) == ["NCT00023673", "NCT03630471", "NCT04452435", "library"]
    assert not (out / "NCT00023673" / "cases.yaml").exists()


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


@needs_records
def test_cli_refuses_an_oversized_record_naming_it_and_drafts_the_others(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert RECORDS is not None
    folder = tmp_path / "records"
    folder.mkdir()
    small, large = RECORDS / "NCT05380479.xml", RECORDS / "NCT05482516.xml"
    shutil.copy(small, folder / small.name)
    shutil.copy(large, folder / large.name)
    limit = small.stat().st_size  # the small record is at the limit, the large one over it
    assert large.stat().st_size > limit
    monkeypatch.setenv("SCREENING_MAX_CTGOV_FILE_BYTES", str(limit))
    res = CliRunner().invoke(app, ["import", "ctgov", str(folder), "-o", str(tmp_path / "rules"), "--no-cases", *AS_OF])
    assert res.exit_code == 2, res.output
    flat = " ".join(res.output.split())
    assert f"NCT05482516.xml: not drafted: {folder / large.name}: the file is larger than {limit} bytes" in flat
    assert "$SCREENING_MAX_CTGOV_FILE_BYTES" in flat
    assert "1 record(s) drafted, 1 not drafted" in flat
    # one record named on the command line: refused with exit 2, nothing written
    res = CliRunner().invoke(app, ["import", "ctgov", str(folder / large.name), "-o", str(tmp_path / "one.yaml")])
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
    assert "the file is larger than" in res.output and not (tmp_path / "one.yaml").exists()


@needs_records
def test_one_record_with_a_folder_as_output_is_written_into_it(tmp_path: Path) -> None:
    """`-o drafts` for one record is a rules folder, as for a folder of records: the draft goes to
    drafts/<NCT id>/trial.yaml with the library beside it, and nothing is written outside it (a
    folder path had been taken for the trial.yaml, its library copied two folders up)."""
    assert RECORDS is not None
    work = tmp_path / "work"
    work.mkdir()
    for out in (work / "drafts", work / "existing"):
        if out.name == "existing":
            out.mkdir()
        res = CliRunner().invoke(app, ["import", "ctgov", str(RECORDS / "NCT04452435.xml"), "-o", str(out),
                                       "--library", str(LIBRARY.parent), *AS_OF])
        assert res.exit_code == 0, res.output
        assert (out / "NCT04452435" / "trial.yaml").is_file() and (out / "NCT04452435" / "cases.yaml").is_file()
        assert (out / "library" / "concepts.yaml").is_file()
        assert "cases: could not run" not in res.output and "hold" in res.output, res.output
    assert sorted(p.name for p in work.iterdir()) == ["drafts", "existing"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


@needs_records
def test_a_trial_file_not_named_trial_yaml_is_refused(tmp_path: Path) -> None:
    """Rule sets load from <rules folder>/<trial id>/trial.yaml: a draft written under another
    name could not be linted or screened there, so none is written."""
    assert RECORDS is not None
    target = tmp_path / "rules" / "NCT04452435" / "draft.yaml"
    res = CliRunner().invoke(app, ["import", "ctgov", str(RECORDS / "NCT04452435.xml"), "-o", str(target), *AS_OF])
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
    assert "trial.yaml" in res.output and not (tmp_path / "rules").exists()
