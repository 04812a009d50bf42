"""The `screening` command line: exit codes, the JSON document, and messages for bad input.

Rule folders are built in tmp_path from tests/fixtures/trials and a copy of rules/library.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from screening.cli.main import app
from tests.paths import FIXTURES, REPO

AS_OF = "2024-06-01"
MALE = FIXTURES / "patients" / "male_normal_creatinine.json"
FEMALE = FIXTURES / "patients" / "female_high_creatinine.json"

runner = CliRunner()


@pytest.fixture
def rules(rules_root: Path) -> Path:
    for trial in ("TS-DEMO", "TS-ADULT"):
        (rules_root / trial).mkdir()
        shutil.copyfile(FIXTURES / "trials" / f"{trial}.yaml", rules_root / trial / "trial.yaml")
    return rules_root


def invoke(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def check_json(rules: Path, patient: Path, *extra: str) -> dict[str, Any]:
    r = invoke("check", patient, "--as-of", AS_OF, "--rules", rules, "--json", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def criterion(result: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(c for c in result["criteria"] if c["id"] == cid)


# --- check ---------------------------------------------------------------------------------


def test_check_prints_a_verdict_and_exits_0(rules: Path) -> None:
    r = invoke("check", FEMALE, "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 0
    assert "cli-002" in r.stdout
    assert "\nTS-DEMO: ineligible\n" in r.stdout
    assert "\nTS-ADULT: eligible\n" in r.stdout


def test_check_text_is_never_read_as_markup(rules: Path, tmp_path: Path) -> None:
    r = invoke("check", MALE, "--as-of", AS_OF, "--rules", rules, "--trial", "TS-DEMO")
    assert r.exit_code == 0
    assert "[assumed:" in r.stdout  # an explanation's bracketed assumption survives rendering
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"id": "[/red] [x]"}), encoding="utf-8")
    r = invoke("check", odd, "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 0
    assert "Patient [/red] [x]," in r.stdout
    r = invoke("check", MALE, "--as-of", AS_OF, "--rules", rules, "--trial", "[/bold]")
    assert r.exit_code == 2
    assert "unknown trial '[/bold]'" in r.stderr


def test_explain_prints_registry_text_verbatim(rules: Path) -> None:
    path = rules / "TS-ADULT" / "trial.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("text: Aged 18 or over.", "text: Aged 18 or over [/b] [see 4.1]."),
                    encoding="utf-8")
    r = invoke("explain", "TS-ADULT", "--rules", rules)
    assert r.exit_code == 0
    assert 'registry: "Aged 18 or over [/b] [see 4.1]."' in r.stdout


def test_check_json_document_shape(rules: Path) -> None:
    doc = check_json(rules, MALE)
    assert {"as_of", "engine_version", "results"} <= set(doc)
    assert doc["as_of"] == AS_OF
    assert doc["patient_id"] == "cli-001"
    assert [r["trial_id"] for r in doc["results"]] == ["TS-ADULT", "TS-DEMO"]
    for res in doc["results"]:
        assert {"trial_id", "verdict", "ruleset_hash", "criteria", "engine_version", "as_of"} <= set(res)
        assert re.fullmatch(r"[0-9a-f]{16}", res["ruleset_hash"])
        assert res["engine_version"] == doc["engine_version"]
        for c in res["criteria"]:
            assert {"id", "kind", "status", "explanation", "evidence", "thresholds", "missing_data", "assumptions",
                    "text", "source"} <= set(c)
            assert c["status"] in ("pass", "fail", "unknown", "review")
            assert c["explanation"]


def test_check_json_statuses_thresholds_and_evidence(rules: Path) -> None:
    doc = check_json(rules, MALE, "--trial", "TS-DEMO")
    (res,) = doc["results"]
    assert res["verdict"] == "undetermined"  # everything passes but one criterion is for review
    assert {c["id"]: c["status"] for c in res["criteria"]} == {
        "age_18_60": "pass", "creatinine_below_176": "pass", "informed_consent": "pass", "hiv": "pass",
        "pregnancy": "pass", "investigator_judgement": "review",
    }
    assert res["counts"] == {"pass": 5, "fail": 0, "unknown": 0, "review": 1}
    assert res["criteria_to_review"] == ["investigator_judgement"]

    age = criterion(res, "age_18_60")
    assert [(t["comparison"], t["value"], t["observed"], t["margin"]) for t in age["thresholds"]] == [
        (">=", 18, 40, 22), ("<=", 60, 40, 20)]

    creat = criterion(res, "creatinine_below_176")
    (t,) = creat["thresholds"]
    assert (t["comparison"], t["value"], t["unit"], t["status"]) == ("<", 176, "umol/L", "pass")
    assert t["observed"] == pytest.approx(132.6025, abs=1e-3)  # 1.5 mg/dL
    assert t["margin"] == pytest.approx(43.3975, abs=1e-3)
    (ev,) = creat["evidence"]  # the later value (after the screening date) is not used
    assert (ev["record"], ev["date"], ev["value"], ev["unit"]) == ("observations[0]", "2024-05-01", 1.5, "mg/dL")
    assert ev["converted_unit"] == "umol/L"
    assert ev["converted_value"] == pytest.approx(132.6025, abs=1e-3)

    hiv = criterion(res, "hiv")
    assert hiv["matched"] is False
    assert hiv["assumptions"] and res["assumptions"]

    review = criterion(res, "investigator_judgement")
    assert review["review_reason"] == "The investigator's judgement."
    assert review["text"].startswith("Any condition")
    assert review["source"] == "protocol, Exclusion, item 3"

    assert any("after the screening date" in w and "observations[1].date" in w for w in doc["warnings"])


def test_check_json_failures_and_unknowns(rules: Path) -> None:
    doc = check_json(rules, FEMALE, "--trial", "TS-DEMO")
    (res,) = doc["results"]
    assert res["verdict"] == "ineligible"
    creat = criterion(res, "creatinine_below_176")
    assert creat["status"] == "fail"
    assert creat["thresholds"][0]["observed"] == pytest.approx(203.324, abs=1e-3)
    assert creat["thresholds"][0]["margin"] == pytest.approx(27.324, abs=1e-3)
    consent = criterion(res, "informed_consent")
    assert consent["status"] == "unknown"
    assert consent["missing_data"] == ["written informed consent"]
    preg = criterion(res, "pregnancy")
    assert preg["status"] == "unknown"  # a woman with no pregnancy test: data to collect, not assumed
    assert preg["missing_data"]
    assert "written informed consent" in res["data_to_collect"]


def test_check_a_profile_without_any_data(rules: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"id": "nobody"}), encoding="utf-8")
    doc = check_json(rules, empty)
    statuses = {r["trial_id"]: {c["id"]: c["status"] for c in r["criteria"]} for r in doc["results"]}
    assert statuses["TS-ADULT"] == {"adult": "unknown"}
    assert statuses["TS-DEMO"]["hiv"] == "pass"  # assumed absent
    assert {s for cid, s in statuses["TS-DEMO"].items() if cid != "hiv"} == {"unknown", "review"}
    assert {r["verdict"] for r in doc["results"]} == {"undetermined"}
    adult = doc["results"][0]
    assert adult["data_to_collect"] == ["birth date"]


def test_check_repeated_trial_option(rules: Path) -> None:
    doc = check_json(rules, FEMALE, "--trial", "TS-ADULT", "-t", "TS-DEMO")
    assert [r["trial_id"] for r in doc["results"]] == ["TS-ADULT", "TS-DEMO"]
    assert doc["results"][0]["verdict"] == "eligible"


# --- bad input: exit 2, a message naming the culprit, never a traceback --------------------


def test_bad_patient_names_the_field(rules: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    data = json.loads(FEMALE.read_text(encoding="utf-8"))
    data["observations"][0]["value"] = "2.3"
    bad.write_text(json.dumps(data), encoding="utf-8")
    r = invoke("check", bad, "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 2
    assert str(bad) in r.stderr
    assert "observations[0].value: Input should be a valid number" in r.stderr
    assert r.stdout == ""


def test_unknown_patient_field(rules: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x", "administrative": {"pregnnt": True}}), encoding="utf-8")
    r = invoke("check", bad, "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 2
    assert "administrative.pregnnt: unknown field" in r.stderr


def test_invalid_json_names_file_line_and_column(rules: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x",\n "sex": }', encoding="utf-8")
    r = invoke("check", bad, "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 2
    assert f"{bad}:2:9: invalid JSON" in r.stderr


def test_missing_patient_file_names_the_file(rules: Path, tmp_path: Path) -> None:
    r = invoke("check", tmp_path / "nobody.json", "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 2
    assert f"{tmp_path / 'nobody.json'}: file not found" in r.stderr


@pytest.mark.parametrize("day", ["2024-13-01", "yesterday", "01/06/2024", ""])
def test_bad_as_of(rules: Path, day: str) -> None:
    r = invoke("check", MALE, "--as-of", day, "--rules", rules)
    assert r.exit_code == 2
    assert f"--as-of: {day!r} is not a date (YYYY-MM-DD)" in r.stderr


@pytest.mark.parametrize("command", [["check", str(MALE)], ["demo"], ["batch", str(MALE), "-o", "out"]])
@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2200-01-01"])
def test_every_date_option_takes_the_screening_date_rule(command: list[str], day: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The API takes 1900-2199 (screening.core.dates): so does every --as-of, and a cohort spec's as_of."""
    monkeypatch.chdir(tmp_path)
    r = invoke(*command, "--as-of", day)
    assert r.exit_code == 2
    assert "--as-of: the screening date must be between 1900-01-01 and 2199-12-31" in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_cohort_spec_date_takes_the_screening_date_rule(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("as_of: 0001-01-01\n", encoding="utf-8")
    r = invoke("cohort", "generate", "-n", "2", "--spec", spec, "-o", tmp_path / "c.jsonl")
    assert r.exit_code == 2
    assert "as_of: the screening date must be between 1900-01-01 and 2199-12-31" in r.stderr


def test_unknown_trial_lists_the_known_ids(rules: Path) -> None:
    r = invoke("check", MALE, "--as-of", AS_OF, "--rules", rules, "--trial", "TS-DEM")
    assert r.exit_code == 2
    assert "unknown trial 'TS-DEM'" in r.stderr
    assert "did you mean 'TS-DEMO'" in r.stderr
    assert "known trials: TS-ADULT, TS-DEMO" in r.stderr


def test_missing_rules_folder(tmp_path: Path) -> None:
    r = invoke("check", MALE, "--as-of", AS_OF, "--rules", tmp_path / "none")
    assert r.exit_code == 2
    assert f"{tmp_path / 'none'}:1:1: E001: rule-set folder not found" in r.stderr


def test_broken_rule_set_when_checking(rules: Path) -> None:
    path = rules / "TS-ADULT" / "trial.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("age: {ge: 18}", "age: {ge: 18 years}"), encoding="utf-8")
    r = invoke("check", MALE, "--as-of", AS_OF, "--rules", rules)
    assert r.exit_code == 2
    assert f"{path}:14:13: E012: expected a number, got '18 years'" in r.stderr


# --- lint, trials, explain, schema ----------------------------------------------------------


def test_lint_ok(rules: Path) -> None:
    r = invoke("lint", rules)
    assert r.exit_code == 0
    assert "2 rule set(s) OK" in r.stdout


def test_lint_broken_folder_prints_file_line_col_code(rules: Path) -> None:
    path = rules / "TS-DEMO" / "trial.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("lt: 176 umol/L", "lt: 176 umol/LL").replace("ref: hiv_positive", "ref: hiv_positiv"),
                    encoding="utf-8")
    r = invoke("lint", rules)
    assert r.exit_code == 2
    lines = r.stdout.splitlines()
    assert lines == [f"{path}:21:51: E105: criteria.1.when.latest.lt: 'umol/LL' is not a UCUM unit"]
    assert "1 error(s)" in r.stderr
    # after fixing the unit, the lowering error shows
    path.write_text(text.replace("ref: hiv_positive", "ref: hiv_positiv"), encoding="utf-8")
    r = invoke("lint", rules)
    assert r.exit_code == 2
    (line,) = r.stdout.splitlines()
    assert re.fullmatch(re.escape(f"{path}:36:7: E101: unknown concept 'hiv_positiv'") + r" \(did you mean .*\)", line)


def test_lint_one_file_and_warnings(rules: Path) -> None:
    path = rules / "TS-ADULT" / "trial.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: inclusion", "kind: exclusion"), encoding="utf-8")
    r = invoke("lint", path)
    assert r.exit_code == 0
    assert f"{path}:8:1: L009: the rule set has no inclusion criterion (warning)" in r.stdout
    assert "1 rule set(s) OK, 1 warning(s)" in r.stdout


def test_lint_long_lines_are_not_wrapped(rules: Path) -> None:
    deep = rules / ("T" + "x" * 120)
    deep.mkdir()
    shutil.copyfile(FIXTURES / "trials" / "TS-ADULT.yaml", deep / "trial.yaml")
    r = invoke("lint", rules)
    assert r.exit_code == 2
    assert f"{deep / 'trial.yaml'}:4:3: L007: trial id 'TS-ADULT' differs from its folder name '{deep.name}'" in r.stdout.splitlines()


def test_trials_json(rules: Path) -> None:
    r = invoke("trials", "--json", "--rules", rules)
    assert r.exit_code == 0
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert set(rows) == {"TS-DEMO", "TS-ADULT"}
    demo = rows["TS-DEMO"]
    assert (demo["criteria"], demo["inclusion"], demo["exclusion"], demo["computable"], demo["review"]) == (6, 3, 3, 5, 1)
    assert demo["title"] == "Demonstration trial for the command-line tests"
    assert re.fullmatch(r"[0-9a-f]{16}", demo["ruleset_hash"])
    # how many engine rulesets, and how close to durable_rules' matching stack one patient can come
    assert demo["engine"] == {"rulesets": 1, "stack_peak": demo["engine"]["stack_peak"], "stack_limit": 64}
    assert 0 < demo["engine"]["stack_peak"] <= 64


def test_trials_table(rules: Path) -> None:
    r = invoke("trials", "--rules", rules)
    assert r.exit_code == 0
    assert "TS-DEMO" in r.stdout and "TS-ADULT" in r.stdout


def test_explain_renders_every_criterion(rules: Path) -> None:
    r = invoke("explain", "TS-DEMO", "--rules", rules)
    assert r.exit_code == 0
    out = r.stdout
    for cid in ("age_18_60", "creatinine_below_176", "informed_consent", "hiv", "pregnancy", "investigator_judgement"):
        assert f"{cid} (" in out
    assert "176" in out and "umol/L" in out
    assert "hiv_positive" in out  # the concept name is shown beside its definition
    assert "for review" in out
    assert "assumed absent" in out


def test_explain_unknown_trial(rules: Path) -> None:
    r = invoke("explain", "TS-ADULTS", "--rules", rules)
    assert r.exit_code == 2
    assert "unknown trial 'TS-ADULTS'" in r.stderr and "TS-ADULT, TS-DEMO" in r.stderr


def test_schema_is_json() -> None:
    r = invoke("schema")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["title"] == "PatientProfile"


# --- the installed entry point --------------------------------------------------------------


@pytest.mark.slow
def test_entry_point_in_a_subprocess(rules: Path, tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "screening.cli"]
    ok = subprocess.run([*cmd, "check", str(FEMALE), "--as-of", AS_OF, "--rules", str(rules), "--json"],
                        capture_output=True, text=True, cwd=REPO, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert {r["verdict"] for r in json.loads(ok.stdout)["results"]} == {"eligible", "ineligible"}
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    r = subprocess.run([*cmd, "check", str(bad), "--rules", str(rules)], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert r.returncode == 2
    assert f"{bad}: a patient is a JSON object, got list" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_a_diagnostic_on_line_100_is_printed_as_a_line_number(write_trial, rules_root: Path) -> None:  # type: ignore[no-untyped-def]
    """Rich reads ':100:' as an emoji code; diagnostics must come out as file:line:col, piped or not."""
    padding = "".join(f"# line {i}\n" for i in range(2, 100))
    path = write_trial("schema: trial-screening/v1\n" + padding + "trial: {id: T1, title: x, bogus: 1}\n")
    result = runner.invoke(app, ["lint", str(rules_root)])
    assert result.exit_code == 2
    assert f"{path}:100:" in result.output and "\N{HUNDRED POINTS SYMBOL}" not in result.output


def test_check_says_when_a_patient_held_back_by_time_becomes_eligible(tmp_path: Path) -> None:
    doc = json.loads((REPO / "patients" / "examples" / "osteoporosis_patient.json").read_text())
    doc["administrative"]["trial_participations"] = [{"trial_id": "NCT0999", "start": "2026-03-01", "end": "2026-09-10"}]
    p = tmp_path / "p.json"
    p.write_text(json.dumps(doc))
    r = invoke("check", p, "--as-of", "2026-11-22", "--trial", "NCT02566655")
    assert r.exit_code == 0, r.output
    assert re.search(r"eligible pending review from 2027-03-11\s+\(in 109\s+days", r.stdout), r.stdout
    summary = r.stdout[r.stdout.index("Summary of "):]  # the summary across trials, ending the report
    assert ("NCT02566655 applies: participation in a clinical trial in the last 6 months; eligible pending review "
            "from 2027-03-11") in " ".join(summary.split()), summary
    doc = json.loads(invoke("check", p, "--as-of", "2026-11-22", "--trial", "NCT02566655", "--json").stdout)
    assert doc["results"][0]["eligible_from"]["date"] == "2027-03-11"


@pytest.mark.parametrize("command", [["trials", "--rules"], ["explain", "T1", "--rules"]])
def test_a_diagnostic_on_line_100_is_a_line_number_on_every_command(write_trial, rules_root: Path,  # type: ignore[no-untyped-def]
                                                                   command: list[str]) -> None:
    padding = "".join(f"# line {i}\n" for i in range(2, 100))
    path = write_trial("schema: trial-screening/v1\n" + padding + "trial: {id: T1, title: x, bogus: 1}\n")
    result = runner.invoke(app, [*command, str(rules_root)])
    assert result.exit_code == 2
    assert f"{path}:100:" in result.stderr and "\N{HUNDRED POINTS SYMBOL}" not in result.stderr


def test_screening_test_prints_a_path_with_100_as_written(tmp_path: Path) -> None:
    missing = tmp_path / "rules:100:x"
    result = runner.invoke(app, ["test", str(missing)])
    assert result.exit_code == 2
    assert f"error: {missing}: no such file or folder" in result.stderr
