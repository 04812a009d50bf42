"""One file reader: a missing, unreadable or non-UTF-8 file is a clear error wherever it is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patients.io import load_patient
from patients.synthetic import spec as cohort_spec
from patients.synthetic.spec import load_spec
from screening.cli import app
from screening.core.diagnostics import InputError, unknown_trial
from screening.core.files import UnreadableFile, read_utf8

LATIN1 = "créatinine".encode("latin-1")


def test_read_utf8_gives_bytes_and_text(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes("ECOG ≤ 2".encode())
    assert read_utf8(f) == ("ECOG ≤ 2".encode(), "ECOG ≤ 2")


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: None, "file not found"),
    (lambda p: p.mkdir(), "is a folder, not a file"),
    (lambda p: p.write_bytes(LATIN1), "not UTF-8 text"),
])
def test_read_utf8_names_the_problem(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "x"
    make(target)
    with pytest.raises(UnreadableFile, match=reason):
        read_utf8(target)


def test_lint_reports_a_non_utf8_library_file_with_its_path(rules_root: Path, write_trial) -> None:  # type: ignore[no-untyped-def]
    bad = rules_root / "library" / "zz_local.yaml"
    bad.write_bytes(b"value_sets:\n  x: {title: " + LATIN1 + b", codes: ['loinc:1-1']}\n")
    result = CliRunner().invoke(app, ["lint", str(rules_root)])
    assert result.exit_code == 2
    assert f"{bad}:1:1: E001: not UTF-8 text" in result.output
    assert "Traceback" not in result.output


def test_patient_file_errors_name_the_file(tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_bytes(b'{"id": "' + LATIN1 + b'"}')
    with pytest.raises(InputError, match=rf"{f}: not UTF-8 text"):
        load_patient(f)
    with pytest.raises(InputError, match=rf"{tmp_path / 'missing.json'}: file not found"):
        load_patient(tmp_path / "missing.json")
    f.write_text(json.dumps({"id": "p1"}))
    assert load_patient(f).id == "p1"


def test_unknown_trial_message_suggests_and_lists() -> None:
    msg = unknown_trial("NCT0142043", ["NCT01420432", "NCT02566655"])
    assert msg == ("unknown trial 'NCT0142043' (did you mean 'NCT01420432'?); "
                   "known trials: NCT01420432, NCT02566655")


def test_a_patient_file_over_the_size_limit_is_refused_with_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"id": "p1"}))
    monkeypatch.setenv("SCREENING_MAX_PATIENT_FILE_BYTES", str(f.stat().st_size))
    assert load_patient(f).id == "p1"
    monkeypatch.setenv("SCREENING_MAX_PATIENT_FILE_BYTES", "5")
    with pytest.raises(InputError, match=rf"^{f}: the file is larger than 5 bytes "
                       r"\(the limit is \$SCREENING_MAX_PATIENT_FILE_BYTES, default 67108864\)$"):
        load_patient(f)
    result = CliRunner().invoke(app, ["check", str(f)])
    assert result.exit_code == 2 and f"{f}: the file is larger than 5 bytes" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setenv("SCREENING_MAX_PATIENT_FILE_BYTES", "-1")
    with pytest.raises(InputError, match=r"\$SCREENING_MAX_PATIENT_FILE_BYTES must be a whole number of 0 or more, "
                       "got '-1'"):
        load_patient(f)


def test_a_cohort_spec_over_the_size_limit_or_not_yaml_is_refused_with_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("seed: 5\n" + "#" * 2000 + "\n")
    monkeypatch.setattr(cohort_spec, "MAX_SPEC_BYTES", 1000)
    with pytest.raises(ValueError, match=rf"^{spec}: the file is larger than 1000 bytes$"):
        load_spec(spec)
    out = tmp_path / "c.jsonl"
    result = CliRunner().invoke(app, ["cohort", "generate", "--spec", str(spec), "--n", "1", "-o", str(out)])
    assert result.exit_code == 2 and f"{spec}: the file is larger than 1000 bytes" in result.output, result.output
    spec.write_text("seed: [5\n")
    result = CliRunner().invoke(app, ["cohort", "generate", "--spec", str(spec), "--n", "1", "-o", str(out)])
    assert result.exit_code == 2 and f"{spec}: not YAML" in result.output, result.output
    assert "Traceback" not in result.output
