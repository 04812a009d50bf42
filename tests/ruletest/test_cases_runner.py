"""The cases runner (`screening.ruletest.cases`): file errors with positions, patient errors naming the
case and the field, unknown criterion ids with suggestions, mismatch reporting, merge patches."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from screening.core.diagnostics import RuleSetError
from screening.ruleset.catalog import load_catalog
from screening.ruletest.cases import load_cases, merge_patch, run_case, run_suite, status_coverage
from screening.runtime.evaluate import Screener
from tests.paths import RULES

BASE = """\
trial: NCT01420432
as_of: 2026-11-22
patients:
  man:
    id: runner-1
    birth_date: 1984-03-12
    sex: male
    conditions:
      - code: {system: snomed, code: "9631008"}
        onset: 2019-05-02
        criteria: [modified New York]
    observations:
      - {code: {system: loinc, code: 2160-0}, date: 2026-10-20, value: 1.2, unit: mg/dL}
      - {code: {system: loinc, code: 10230-1}, date: 2026-10-02, value: 58, unit: "%"}
      - {code: {system: loinc, code: 89247-1}, date: 2026-11-10, value: 1}
    administrative:
      informed_consent: {signed: true, date: 2026-11-15}
cases:
"""


def write(tmp_path: Path, cases: str, base: str = BASE, folder: str = "NCT01420432") -> tuple[Path, str]:
    text = base + textwrap.dedent(cases)
    d = tmp_path / folder
    d.mkdir(exist_ok=True)
    path = d / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in the text")


@pytest.fixture(scope="module")
def screener():  # type: ignore[no-untyped-def]
    s = Screener(load_catalog(RULES))
    yield s
    s.close()


def test_a_cases_field_in_the_wrong_place_is_placed_from_the_cases_format(tmp_path: Path) -> None:
    path, _ = write(tmp_path, """\
      - name: verdict outside expect
        patient: man
        verdict: ineligible
        expect: {verdict: ineligible}
    """)
    with pytest.raises(RuleSetError) as exc:
        load_cases(path)
    (d,) = [d for d in exc.value.diagnostics if d.code == "E011"]
    assert d.message == "cases.0.verdict: field 'verdict' is not allowed here; it belongs in expect"


def test_schema_errors_point_at_file_line_and_column(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
      - name: misspelt expect
        patient: man
        expected: {verdict: ineligible}
      - name: bad status
        patient: man
        expect:
          criteria: {age_18_60: passes}
    """)
    with pytest.raises(RuleSetError) as exc:
        load_cases(path)
    lines = [d.format() for d in exc.value.diagnostics]
    misspelt = next(x for x in lines if "'expected'" in x)
    line = line_of(text, "expected:")
    col = text.splitlines()[line - 1].index("expected") + 1
    assert misspelt.startswith(f"{path}:{line}:{col}: E011: cases.0.expected: unknown field 'expected'")
    assert "did you mean 'expect'" in misspelt
    missing = next(x for x in lines if "missing required field 'expect'" in x)
    assert missing.startswith(f"{path}:{line_of(text, 'name: misspelt')}:")
    status = next(x for x in lines if "age_18_60" in x)
    assert status.startswith(f"{path}:{line_of(text, 'passes')}:")
    assert "'pass'" in status


def test_invalid_yaml_gives_its_line(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
      - name: broken
        patient: man
        expect: {verdict: [eligible}
    """)
    with pytest.raises(RuleSetError) as exc:
        load_cases(path)
    (d,) = exc.value.diagnostics
    assert d.code == "E002" and d.file == str(path)
    assert d.line >= line_of(text, "name: broken")


def test_empty_expectation_and_duplicate_names_are_errors(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
      - name: nothing expected
        patient: man
        expect: {criteria: {}}
    """)
    with pytest.raises(RuleSetError) as exc:
        load_cases(path)
    assert "expect a verdict or at least one criterion status" in str(exc.value)
    path, text = write(tmp_path, """\
      - name: twice
        patient: man
        expect: {verdict: undetermined}
      - name: twice
        patient: man
        expect: {verdict: undetermined}
    """)
    with pytest.raises(RuleSetError) as exc:
        load_cases(path)
    (d,) = exc.value.diagnostics
    first, second = [i for i, line in enumerate(text.splitlines(), 1) if "name: twice" in line]
    assert d.code == "C005" and d.line == second
    assert f"first at line {first}" in d.message


def test_unknown_criterion_id_suggests_the_close_one(tmp_path: Path, screener) -> None:  # type: ignore[no-untyped-def]
    path, text = write(tmp_path, """\
      - name: typo in a criterion id
        patient: man
        expect:
          criteria:
            creatinine_below_167: pass
    """)
    (case,) = load_cases(path).cases
    result = run_case(screener, case)
    assert not result.ok and result.report is None
    (d,) = result.errors
    assert d.code == "C003"
    assert (d.file, d.line) == (str(path), line_of(text, "creatinine_below_167"))
    assert "unknown criterion 'creatinine_below_167'" in d.message
    assert "did you mean 'creatinine_below_176'" in d.message
    assert "C003" in result.table() and "typo in a criterion id" in result.table()


def test_unknown_base_patient_suggests_the_close_one(tmp_path: Path, screener) -> None:  # type: ignore[no-untyped-def]
    path, text = write(tmp_path, """\
      - name: wrong base
        patient: mna
        expect: {verdict: undetermined}
    """)
    (case,) = load_cases(path).cases
    assert case.patient is None
    (d,) = case.errors
    assert d.code == "C002" and d.line == line_of(text, "patient: mna")
    assert "did you mean 'man'" in d.message
    assert not run_case(screener, case).ok


def test_invalid_patient_names_the_case_and_the_field(tmp_path: Path) -> None:
    path, text = write(tmp_path, """\
      - name: creatinine as text
        patient: man
        merge:
          observations:
            - {code: {system: loinc, code: 2160-0}, date: 2026-10-20, value: "1.2", unit: mg/dL}
        expect: {verdict: undetermined}
      - name: inline patient with an unknown field
        patient: {id: inline-1, sex: male, weight_kg: 80}
        expect: {verdict: undetermined}
    """)
    first, second = load_cases(path).cases
    (d,) = first.errors
    assert d.code == "C001"
    assert "case 'creatinine as text'" in d.message and "observations[0].value" in d.message
    assert d.line == line_of(text, 'value: "1.2"')
    (d2,) = second.errors
    assert "case 'inline patient with an unknown field'" in d2.message
    assert "weight_kg: unknown field" in d2.message
    assert d2.line == line_of(text, "weight_kg")


def test_mismatches_list_expected_actual_and_explanation(tmp_path: Path, screener) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, """\
      - name: creatinine in mg/dL above the limit
        patient: man
        merge:
          observations:
            - {code: {system: loinc, code: 2160-0}, date: 2026-10-20, value: 2.3, unit: mg/dL}
        expect:
          verdict: eligible
          criteria: {creatinine_below_176: pass, age_18_60: pass}
    """)
    (case,) = load_cases(path).cases
    result = run_case(screener, case)
    assert not result.ok and not result.errors
    (m,) = result.mismatches
    assert (m.criterion, m.expected, m.actual) == ("creatinine_below_176", "pass", "fail")
    assert "203 umol/L (recorded as 2.3 mg/dL" in m.explanation
    assert result.verdict == "ineligible"
    assert result.verdict_mismatch is not None and result.verdict_mismatch.expected == "eligible"
    table = result.table()
    assert "NCT01420432::creatinine in mg/dL above the limit" in table
    row = next(line for line in table.splitlines() if line.strip().startswith("creatinine_below_176 "))
    assert row.split() == ["creatinine_below_176", "pass", "fail", "MISMATCH"]
    age_row = next(line for line in table.splitlines() if line.strip().startswith("age_18_60"))
    assert age_row.split() == ["age_18_60", "pass", "pass", "ok"]


def test_every_criterion_status_is_exposed_for_coverage(tmp_path: Path, screener) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, """\
      - name: base
        patient: man
        expect: {criteria: {age_18_60: pass}}
      - name: too young
        patient: man
        merge: {birth_date: 2010-01-01}
        as_of: 2026-06-01
        expect: {verdict: ineligible, criteria: {age_18_60: fail}}
    """)
    suite = load_cases(path)
    results = run_suite(screener, suite)
    assert all(r.ok for r in results), "\n".join(r.table() for r in results)
    criteria = [c.id for c in screener.catalog.get("NCT01420432").ir.criteria]
    assert all(list(r.statuses) == criteria for r in results)
    assert results[1].case.as_of.isoformat() == "2026-06-01"
    cov = status_coverage(results)["NCT01420432"]
    assert cov["age_18_60"] == {"pass", "fail"}
    assert cov["stable_permitted_drugs"] == {"review"}
    assert cov["hiv_hbv_hcv_tb"] == {"pass"}
    # the assume_absent policy is stated in the result, not silently applied
    report = results[0].report
    assert report is not None
    infections = next(c for c in report.criteria if c.id == "hiv_hbv_hcv_tb")
    assert any("assumed absent" in a for a in infections.assumptions)


def test_unknown_trial_and_misplaced_file(tmp_path: Path, screener) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, """\
      - name: base
        patient: man
        expect: {verdict: undetermined}
    """, base=BASE.replace("trial: NCT01420432", "trial: NCT01420423"), folder="NCT01420423")
    (result,) = run_suite(screener, load_cases(path))
    assert [d.code for d in result.errors] == ["C004"]
    assert "did you mean 'NCT01420432'" in result.errors[0].message
    path, _ = write(tmp_path, """\
      - name: base
        patient: man
        expect: {verdict: undetermined}
    """, folder="NCT02566655")
    (result,) = run_suite(screener, load_cases(path))
    assert [d.code for d in result.errors] == ["C004"]
    assert "folder of 'NCT02566655'" in result.errors[0].message


def test_merge_patch_follows_rfc_7386() -> None:
    # examples from RFC 7386, section 3
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": "b", "b": "c"}, {"a": None}) == {"b": "c"}
    assert merge_patch({"a": ["b"]}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "c"}, {"a": ["b"]}) == {"a": ["b"]}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch(["a", "b"], ["c", "d"]) == ["c", "d"]
    assert merge_patch({"a": "b"}, ["c"]) == ["c"]
    assert merge_patch({"a": "foo"}, None) is None
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch([1, 2], {"a": "b", "c": None}) == {"a": "b"}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}
    base = {"x": {"y": [1]}}
    merged = merge_patch(base, {"x": {"z": 2}})
    merged["x"]["y"].append(2)
    assert base == {"x": {"y": [1]}}, "the base is not modified"
