"""The readable report of `screening check` at 80 columns: each trial ranked (eligible, undetermined,
ineligible), its criteria named by their registry text, the rule-set hash on a line of its own,
and at the end a summary across trials ranked the same way (undetermined with what is left to do,
ineligible with the criterion that decides); ids
with --ids; --json unchanged. On the bundled rules, example patients and a Synthea bundle (a copy
of /work/shared/data/fhir/synthea)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from screening.cli import console
from screening.cli.main import app
from tests.paths import FIXTURES, REPO

AS_OF = "2026-11-22"
EXAMPLES = REPO / "patients" / "examples"
LUIS = FIXTURES / "fhir" / "synthea" / "Luis_Miguel_Delarosa_f118c1b4-27e0-4de5-bc04-b51e14ea5bbd.json"
VERDICT_ROW = re.compile(r"^(eligible|undetermined|ineligible) +(\S+) +(.*?)\s*$")

runner = CliRunner()


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(console.out, "_width", 80)  # whatever the terminal running the tests
    yield


def check(*args: object) -> str:
    r = runner.invoke(app, ["check", *(str(a) for a in args), "--as-of", AS_OF])
    assert r.exit_code == 0, r.output
    return r.stdout


def summary(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The summary's first line and its rows (verdict, trial, why with its wrapped lines joined)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Summary of "))
    rows: list[tuple[str, str, str]] = []
    for line in lines[start + 3:]:
        if not line.strip():
            break
        m = VERDICT_ROW.match(line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3)))
        else:
            verdict, trial, why = rows[-1]
            rows[-1] = (verdict, trial, f"{why} {line.strip()}")
    return lines[start], rows


def assert_fits_80_columns(text: str, doc: dict[str, Any]) -> None:
    assert max(len(line) for line in text.splitlines()) <= 80
    for r in doc["results"]:  # each hash whole, on the line with the trial's counts
        c = r["counts"]
        line = f"  {c['pass']} pass, {c['fail']} fail, {c['unknown']} unknown, {c['review']} review; rule set {r['ruleset_hash']}"
        assert line in text.splitlines() or line + " " * (80 - len(line)) in text.splitlines()


def test_a_synthea_bundle_summary_ranks_trials_and_names_what_decides() -> None:
    text = check(LUIS)
    doc = json.loads(check(LUIS, "--json"))
    head, rows = summary(text)
    assert head.rstrip() == "Summary of 5 trials: 0 eligible, 0 undetermined, 5 ineligible"
    # ineligible, fewest failing criteria first: the decisive criterion by its registry text
    assert rows == [
        ("ineligible", "NCT03389919", "not met: All patients with primary graft failure after allo-HSCT"),
        ("ineligible", "NCT01420432", "not met: Patient age 18~60 years old with plan to infuse MSCs. (+1 more)"),
        ("ineligible", "NCT01763086", "not met: ages 14 to 65 (+1 more)"),
        ("ineligible", "EUCTR2015-000168-32-NL",
         "not met: Are the trial subjects under 18? no F.1.2 Adults (18-64 years) yes F.… (+2 more)"),
        ("ineligible", "NCT02566655", "not met: Sex: female only. (+3 more)"),
    ]
    assert {t for _, t, _ in rows} == {r["trial_id"] for r in doc["results"]}
    # the details come first, in the summary's order; the summary ends the report
    details = [text.index(f"\n{t}: ineligible\n") for _, t, _ in rows]
    assert details == sorted(details) and text.index("Summary of ") > details[-1]
    assert text.rstrip().splitlines()[-1].strip().endswith(rows[-1][2].split()[-1])
    # criteria by their registry text, not their ids
    assert "All patients with primary graft failure after allo-HSCT" in text
    assert "primary_graft_failure_after_allo_hsct" not in text
    assert_fits_80_columns(text, doc)


def test_undetermined_trials_say_how_much_is_left_to_do() -> None:
    text = check(EXAMPLES / "osteoporosis_patient.json")
    head, rows = summary(text)
    assert head.rstrip() == "Summary of 5 trials: 0 eligible, 1 undetermined, 4 ineligible"
    assert rows[0] == ("undetermined", "NCT02566655", "0 data to collect, 3 criteria to review")
    assert [v for v, _, _ in rows[1:]] == ["ineligible"] * 4
    assert "  to review:\n    - concomitant systemic disease in the investigator's opinion\n" in text
    assert_fits_80_columns(text, json.loads(check(EXAMPLES / "osteoporosis_patient.json", "--json")))


def test_eligible_trials_come_first_and_data_to_collect_are_counted() -> None:
    _, rows = summary(check(EXAMPLES / "hsct_graft_failure_patient.json"))
    assert rows[0] == ("eligible", "NCT03389919", "all 3 criteria met")
    _, rows = summary(check(EXAMPLES / "as_patient.json", "--trial", "NCT03389919", "--as-of", "2026-11-22"))
    assert rows == [("ineligible", "NCT03389919", "not met: All patients with primary graft failure after allo-HSCT")]


def test_an_example_patient_with_ids_on_request() -> None:
    plain = check(EXAMPLES / "as_patient.json")
    assert "ssc_acr_2013" not in plain
    words = " ".join(plain.split())
    assert "Established diagnosis of SSc according to criteria of the American College of Rheumatology" in words
    with_ids = check(EXAMPLES / "as_patient.json", "--ids")
    assert "ssc_acr_2013: Established diagnosis of SSc according to criteria of the American" in " ".join(with_ids.split())
    _, rows = summary(with_ids)
    assert rows[0][2].startswith("not met: ssc_acr_2013: Established diagnosis of SSc")
    assert_fits_80_columns(with_ids, json.loads(check(EXAMPLES / "as_patient.json", "--json")))


def test_json_is_the_result_document_whatever_the_text_options() -> None:
    doc = check(EXAMPLES / "as_patient.json", "--json")
    assert check(EXAMPLES / "as_patient.json", "--json", "--ids") == doc
    assert "Summary" not in doc and json.loads(doc)["results"][0]["criteria"][0]["id"] == "age_18_64"


@pytest.mark.slow
def test_the_installed_command_at_80_columns() -> None:
    cmd = [sys.executable, "-m", "screening.cli", "check", str(LUIS), "--as-of", AS_OF]
    env = {**os.environ, "COLUMNS": "80"}
    text = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO, env=env, timeout=120).stdout
    doc = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=True, cwd=REPO, env=env,
                                    timeout=120).stdout)
    _, rows = summary(text)
    assert [t for _, t, _ in rows] == ["NCT03389919", "NCT01420432", "NCT01763086", "EUCTR2015-000168-32-NL", "NCT02566655"]
    assert_fits_80_columns(text, doc)


def test_help_says_what_the_report_holds_and_how_to_name_criteria() -> None:
    r = runner.invoke(app, ["check", "--help"])
    assert r.exit_code == 0
    words = " ".join(r.stdout.split())
    assert "ends with a summary across trials, ranked" in words and "named by their registry text" in words
    assert "--ids name criteria by their ids" in words
    assert "-t, --trial TRIAL_ID" in words and "--as-of YYYY-MM-DD" in words
    assert "$SCREENING_CACHE_DIR" in words


@pytest.mark.slow
def test_a_later_check_answers_units_without_building_the_registry(session_cache: Path, tmp_path: Path) -> None:
    """The first check after the unit answers are gone builds the UCUM registry and remembers its
    answers; the next one prints the same bytes without importing pint."""
    cache = tmp_path / "cache"
    shutil.copytree(session_cache, cache, ignore=shutil.ignore_patterns("units"))
    code = ("import sys\nfrom screening.cli.main import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('pint' in sys.modules, file=sys.stderr)")
    env = {**os.environ, "SCREENING_CACHE_DIR": str(cache), "COLUMNS": "80"}
    runs = [subprocess.run([sys.executable, "-c", code, "check", str(LUIS), "--as-of", AS_OF, *extra], capture_output=True,
                           text=True, check=True, cwd=REPO, env=env, timeout=300) for extra in ((), (), ("--json",), ("--json",))]
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["True", "False", "False", "False"]
    assert runs[0].stdout == runs[1].stdout and runs[2].stdout == runs[3].stdout
    assert list((cache / "units").rglob("*.json"))
