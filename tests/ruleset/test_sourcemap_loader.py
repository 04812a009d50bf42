"""sourcemap + loader (+ the lowering checks that report positions): exact diagnostics.

Every malformed-input test asserts the whole diagnostic: file, line, column, code and message.
The rule folders are built in tmp_path from a copy of rules/library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from screening.core.diagnostics import Diagnostic, RuleSetError, did_you_mean
from screening.core.diskcache import CACHE_ENV
from screening.ruleset import ir, sourcemap
from screening.ruleset.catalog import load_catalog
from screening.ruleset.loader import content_hash, load_library, load_trial_file
from screening.ruleset.sourcemap import SourceMap, load_yaml
from tests.paths import RULES

# line numbers are part of the assertions below: line 13 holds the definition
BASE = """\
schema: trial-screening/v1
trial:
  id: T1
  title: Test trial
  sources:
    - document: test
criteria:
  - id: adult
    kind: inclusion
    text: Adults.
    source: {document: test}
    when:
      age: {ge: 18}
"""
WHEN_LINE = "      age: {ge: 18}\n"


def with_when(line: str) -> str:
    """BASE with line 13 (the definition, indented 6) replaced."""
    assert BASE.count(WHEN_LINE) == 1
    return BASE.replace(WHEN_LINE, "      " + line + "\n")


@pytest.fixture
def diags(write_trial: Callable[..., Path], rules_root: Path) -> Callable[[str], tuple[str, list[Diagnostic]]]:
    def run(text: str) -> tuple[str, list[Diagnostic]]:
        path = write_trial(text)
        with pytest.raises(RuleSetError) as info:
            load_catalog(rules_root)
        return str(path), info.value.diagnostics

    return run


def formatted(ds: list[Diagnostic]) -> list[str]:
    return [d.format() for d in ds]


# --- sourcemap ----------------------------------------------------------------------------


def test_positions_are_one_based_for_keys_and_items(tmp_path: Path) -> None:
    data, smap = load_yaml(tmp_path / "x.yaml", "a: 1\nb:\n  - x\n  - {c: 2, d: 2020-01-02}\n")
    assert data == {"a": 1, "b": ["x", {"c": 2, "d": dt.date(2020, 1, 2)}]}
    assert type(data["b"][1]) is dict  # plain Python, not ruamel's commented types
    assert smap.positions[("a",)] == (1, 1)
    assert smap.positions[("b",)] == (2, 1)
    assert smap.positions[("b", 0)] == (3, 5)
    assert smap.positions[("b", 1)] == (4, 5)
    assert smap.positions[("b", 1, "d")] == (4, 12)


def test_locate_falls_back_to_the_deepest_known_prefix() -> None:
    smap = SourceMap("f.yaml", {(): (1, 1), ("criteria",): (7, 1), ("criteria", 0): (8, 5)})
    assert smap.locate(("criteria", 0, "when", "all", 3)) == (8, 5)
    assert smap.locate(("criteria", 5)) == (7, 1)
    assert smap.locate(("nowhere",)) == (1, 1)
    d = smap.diag(("criteria", 0, "x"), "E999", "msg", "warning")
    assert d == Diagnostic("f.yaml", 8, 5, "E999", "msg", "warning")
    assert d.format() == "f.yaml:8:5: E999: msg"


def test_diagnostics_sort_by_file_then_position() -> None:
    a = Diagnostic("b.yaml", 1, 1, "E1", "x")
    b = Diagnostic("a.yaml", 9, 1, "E1", "x")
    c = Diagnostic("a.yaml", 2, 7, "E1", "x")
    assert RuleSetError([a, b, c]).diagnostics == [c, b, a]


def test_did_you_mean_offers_close_names_only() -> None:
    assert did_you_mean("lates", ["latest", "age"]) == " (did you mean 'latest'?)"
    assert did_you_mean("zzz", ["latest", "age"]) == ""


def test_a_valid_rule_set_loads(write_trial: Callable[..., Path]) -> None:
    path = write_trial(BASE)
    model, smap, raw = load_trial_file(path)
    assert model.trial.id == "T1"
    assert model.criteria[0].kind == "inclusion"
    assert smap.locate(("criteria", 0, "when", "age")) == (13, 7)
    assert raw == BASE.encode()


# --- YAML-level errors --------------------------------------------------------------------


def test_bad_yaml_syntax(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("age: {ge: 18"))
    assert formatted(ds) == [
        f"{path}:14:1: E002: invalid YAML: while parsing a flow mapping expected ',' or '}}', but got '<stream end>'"
    ]


def test_bad_yaml_indentation(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE.replace("    kind: inclusion\n", "    kind: inclusion\n   text2: x\n"))
    assert len(ds) == 1
    d = ds[0]
    assert (d.file, d.line, d.code) == (path, 10, "E002")
    assert d.message.startswith("invalid YAML:")


def test_duplicate_key(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE.replace("    kind: inclusion\n", "    kind: inclusion\n    kind: exclusion\n"))
    assert formatted(ds) == [
        f'{path}:10:5: E002: invalid YAML: while constructing a mapping found duplicate key "kind" '
        f'with value "exclusion" (original value: "inclusion")'
    ]


def test_file_not_found_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as info:
        load_trial_file(tmp_path / "T9" / "trial.yaml")
    (d,) = info.value.diagnostics
    assert (d.file, d.line, d.column, d.code) == (str(tmp_path / "T9" / "trial.yaml"), 1, 1, "E001")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(RuleSetError) as info:
        load_trial_file(bad)
    (d,) = info.value.diagnostics
    assert (d.file, d.line, d.column, d.code) == (str(bad), 1, 1, "E001")
    assert d.message.startswith("not UTF-8 text")


def test_top_level_must_be_a_mapping(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags("- just\n- a list\n")
    assert formatted(ds) == [f"{path}:1:1: E012: a rule set is a mapping with schema, trial and criteria"]


def test_missing_rules_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as info:
        load_catalog(tmp_path / "nope")
    assert formatted(info.value.diagnostics) == [f"{tmp_path / 'nope'}:1:1: E001: rule-set folder not found"]


# --- model validation ---------------------------------------------------------------------


def test_unknown_field_with_did_you_mean(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE.replace("    kind: inclusion\n", "    kind: inclusion\n    txt: x\n"))
    assert formatted(ds) == [f"{path}:10:5: E011: criteria.0.txt: unknown field 'txt' (did you mean 'text'?)"]


def test_unknown_field_inside_a_definition(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinine, lt: 176 umol/L, withn: 90 days}"))
    assert formatted(ds) == [
        f"{path}:13:50: E011: criteria.0.when.latest.withn: unknown field 'withn' (did you mean 'within' or 'when'?)"
    ]


def test_unknown_definition_key_points_at_the_key(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("lates: {code: creatinine, lt: 176 umol/L}"))
    assert formatted(ds) == [f"{path}:13:7: E013: criteria.0.when: unknown definition 'lates' (did you mean 'latest'?)"]


def test_unknown_definition_key_nested_in_a_list(diags) -> None:  # type: ignore[no-untyped-def]
    text = with_when("all:\n        - age: {ge: 18}\n        - sx: [female]")
    path, ds = diags(text)
    assert formatted(ds) == [f"{path}:15:11: E013: criteria.0.when.all.1: unknown definition 'sx' (did you mean 'sex'?)"]


def test_a_definition_has_exactly_one_key(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("age: {ge: 18}\n      sex: [female]"))
    assert formatted(ds) == [f"{path}:12:5: E013: criteria.0.when: a definition has exactly one key, found 2: age, sex"]


def test_missing_required_field(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE.replace("    text: Adults.\n", ""))
    assert formatted(ds) == [f"{path}:8:5: E010: criteria.0.text: missing required field 'text'"]


def test_wrong_type_literal(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE.replace("    kind: inclusion\n", "    kind: [inclusion]\n"))
    assert formatted(ds) == [f"{path}:9:5: E012: criteria.0.kind: Input should be 'inclusion' or 'exclusion'"]


def test_wrong_type_boolean(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("condition: {code: hiv_infection, active: maybe}"))
    assert formatted(ds) == [
        f"{path}:13:40: E012: criteria.0.when.condition.active: Input should be a valid boolean, unable to interpret input"
    ]


def test_wrong_type_number_in_an_age_bound(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("age: {ge: eighteen}"))
    assert formatted(ds) == [f"{path}:13:13: E012: expected a number, got 'eighteen'"]


def test_wrong_type_list_expected(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE.replace("criteria:\n  - id: adult", "criteria:\n  id: adult").replace("\n    ", "\n  "))
    assert len(ds) == 1
    assert (ds[0].file, ds[0].line, ds[0].column, ds[0].code) == (path, 7, 1, "E012")
    assert ds[0].message == "criteria: Input should be a valid list"


def test_criterion_needs_when_or_review(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(BASE + "    review: both given\n")
    assert formatted(ds) == [
        f"{path}:8:5: E012: criteria.0: a criterion needs exactly one of `when` (computable) or `review` (with a reason)"
    ]


def test_bad_duration(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinine, within: 90 dayz, lt: 176 umol/L}"))
    assert formatted(ds) == [
        f"{path}:13:34: E012: criteria.0.when.latest.within: '90 dayz' is not a duration: "
        "write e.g. '4 weeks', '90 days', '10 years'"
    ]


def test_negative_duration(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("participation: {within: -3}"))
    assert formatted(ds) == [
        f"{path}:13:23: E012: criteria.0.when.participation.within: -3 is not a duration: a duration is not negative"
    ]


def test_unknown_unit_points_at_the_threshold(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinine, within: 90 days, lt: 176 umol/LL}"))
    assert formatted(ds) == [f"{path}:13:51: E105: criteria.0.when.latest.lt: 'umol/LL' is not a UCUM unit"]


def test_not_a_quantity(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinine, between: [lots, 176 umol/L]}"))
    assert formatted(ds) == [
        f"{path}:13:34: E105: criteria.0.when.latest.between: "
        "'lots' is not a quantity: write a number and a UCUM unit, e.g. '176 umol/L'"
    ]


# --- lowering: references and units -------------------------------------------------------


def test_unknown_concept_in_ref(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("ref: active_malignancy_"))
    assert formatted(ds) == [f"{path}:13:7: E101: unknown concept 'active_malignancy_' (did you mean 'active_malignancy'?)"]


def test_unknown_value_set(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinin, lt: 176 umol/L}"))
    assert formatted(ds) == [f"{path}:13:16: E102: unknown value set 'creatinin' (did you mean 'creatinine'?)"]


def test_unknown_value_set_in_a_list_of_codes(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("condition: {code: [loinc:1234-5, hiv_infectoin]}"))
    assert formatted(ds) == [f"{path}:13:19: E102: unknown value set 'hiv_infectoin' (did you mean 'hiv_infection'?)"]


def test_incompatible_threshold_unit(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinine, within: 90 days, lt: 45 %}"))
    assert formatted(ds) == [
        f"{path}:13:51: E104: threshold unit '%' cannot be compared with 'umol/L': "
        "cannot convert % to umol/L (even with molar mass 113.12 g/mol)"
    ]


def test_unknown_canonical_unit(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: lvef, unit: pct, gt: 45}"))
    assert formatted(ds) == [f"{path}:13:28: E105: 'pct' is not a UCUM unit (UCUM writes it '%')"]


def test_concept_cycle(diags) -> None:  # type: ignore[no-untyped-def]
    text = BASE + "concepts:\n  a_c:\n    title: A\n    when: {ref: b_c}\n  b_c:\n    title: B\n    when: {ref: a_c}\n"
    path, ds = diags(text.replace(WHEN_LINE, "      ref: a_c\n"))
    assert formatted(ds) == [f"{path}:13:7: E103: concept refers to itself: a_c -> b_c -> a_c"]


def test_all_errors_of_a_file_come_together_in_order(diags) -> None:  # type: ignore[no-untyped-def]
    text = BASE.replace("    kind: inclusion\n", "    kind: inklusion\n") + "    colour: red\n"
    path, ds = diags(text)
    assert [(d.line, d.column, d.code) for d in ds] == [(9, 5, "E012"), (14, 5, "E011")]


def test_errors_of_every_trial_are_raised_together(write_trial, rules_root: Path) -> None:  # type: ignore[no-untyped-def]
    p1 = write_trial(with_when("ref: nope_concept"), "T1")
    p2 = write_trial(with_when("ref: nope_concept").replace("id: T1", "id: T2"), "T2")
    with pytest.raises(RuleSetError) as info:
        load_catalog(rules_root)
    assert [(d.file, d.code) for d in info.value.diagnostics] == [(str(p1), "E101"), (str(p2), "E101")]


def test_same_trial_id_in_two_folders(write_trial, rules_root: Path) -> None:  # type: ignore[no-untyped-def]
    write_trial(BASE, "T1")
    p2 = write_trial(BASE, "T2")
    with pytest.raises(RuleSetError) as info:
        load_catalog(rules_root)
    # the second folder's name differs from the id it claims: that alone stops it (before E021)
    assert [(d.file, d.line, d.column, d.code) for d in info.value.diagnostics] == [(str(p2), 3, 3, "L007")]


# --- the library --------------------------------------------------------------------------


def test_library_duplicate_definitions(rules_root: Path) -> None:
    extra = rules_root / "library" / "zz_extra.yaml"
    extra.write_text("value_sets:\n  creatinine:\n    codes: [loinc:2160-0]\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_library(sorted((rules_root / "library").glob("*.yaml")))
    assert formatted(info.value.diagnostics) == [
        f"{extra}:2:3: E020: value set 'creatinine' is already defined in {rules_root / 'library' / 'value_sets.yaml'}"
    ]


def test_library_bad_code(rules_root: Path) -> None:
    extra = rules_root / "library" / "zz_extra.yaml"
    extra.write_text("value_sets:\n  thing:\n    codes: [loinc2160-0]\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_library([extra])
    assert formatted(info.value.diagnostics) == [
        f"{extra}:3:5: E012: value_sets.thing.codes: 'loinc2160-0' is not 'system:code' "
        "(systems: loinc, snomed, icd10, icd10cm, icd10pcs, atc, rxnorm, cvx, cpt, hcpcs, local)"
    ]


def test_content_hash_depends_on_every_byte_and_boundary() -> None:
    assert content_hash(b"ab", b"c") == content_hash(b"ab", b"c")
    assert content_hash(b"ab", b"c") != content_hash(b"a", b"bc")
    assert content_hash(b"ab") != content_hash(b"ac")
    assert len(content_hash(b"")) == 16


def test_ruleset_hash_follows_the_trial_and_the_library(write_trial, rules_root: Path) -> None:  # type: ignore[no-untyped-def]
    write_trial(BASE)
    h1 = load_catalog(rules_root).get("T1").hash
    assert load_catalog(rules_root).get("T1").hash == h1
    lib = rules_root / "library" / "concepts.yaml"
    lib.write_text(lib.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    h2 = load_catalog(rules_root).get("T1").hash
    assert h2 != h1
    rs = load_catalog(rules_root).get("T1")
    assert rs.compiled.name == f"T1@{h2}"


def test_thresholds_are_converted_to_the_canonical_unit(write_trial, rules_root: Path) -> None:  # type: ignore[no-untyped-def]
    write_trial(with_when("any: [{latest: {code: creatinine, lt: 2 mg/dL}}, {latest: {code: creatinine, unit: mg/dL, ge: 176 umol/L}}]"))
    expr = load_catalog(rules_root).get("T1").ir.criteria[0].expr
    assert isinstance(expr, ir.Or)
    a, b = expr.items
    assert isinstance(a, ir.Compare) and isinstance(b, ir.Compare)
    assert (a.op, a.unit) == ("lt", "umol/L")
    assert a.value == pytest.approx(176.8034, abs=1e-4)
    assert (b.op, b.unit) == ("ge", "mg/dL")
    assert b.value == pytest.approx(1.990912, abs=1e-6)
    assert isinstance(a.measure, ir.Latest) and a.measure.molar_mass == pytest.approx(113.12)


def test_eq_cannot_be_combined_in_latest(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("latest: {code: creatinine, eq: 1 mg/dL, lt: 2 mg/dL}"))
    assert formatted(ds) == [f"{path}:13:7: E012: criteria.0.when.latest: eq cannot be combined with another comparison"]


@pytest.mark.parametrize(("bound", "shown"), [("1e400", "inf"), (".nan", "nan"), ("-.inf", "-inf")])
def test_non_finite_bounds_are_rejected(diags, bound: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when(f"age: {{ge: {bound}}}"))
    assert formatted(ds) == [f"{path}:13:13: E012: expected a number, got {shown}"]


def test_count_bounds_are_whole_numbers_at_least_zero(diags) -> None:  # type: ignore[no-untyped-def]
    path, ds = diags(with_when("condition: {code: hiv_infection, count: {ge: -1}}"))
    assert formatted(ds) == [f"{path}:13:40: E012: count bounds are whole numbers >= 0, got -1"]


def test_a_parsed_text_is_read_back_from_the_cache_unchanged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    text = "a: 1\nb:\n  - x\n  - {c: 2.5, d: 2020-01-02, e: 2020-01-02T10:00:00, f: null, g: true}\n"
    first = load_yaml(tmp_path / "x.yaml", text)
    assert list((tmp_path / "cache" / "yaml").rglob("*.json"))
    monkeypatch.setattr(sourcemap, "_parse_yaml", lambda display, text: pytest.fail("parsed again"))
    second = load_yaml(tmp_path / "y.yaml", text)
    assert second[0] == first[0] and second[1].positions == first[1].positions
    assert second[1].file == str(tmp_path / "y.yaml")
    assert isinstance(second[0]["b"][1]["d"], dt.date)


def test_texts_with_non_string_keys_are_not_cached(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    data, _ = load_yaml(tmp_path / "x.yaml", "1: one\n")
    assert data == {1: "one"}
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_the_bundled_rule_files_read_back_the_same(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    for path in sorted(RULES.glob("*/*.yaml")):
        fresh = load_yaml(path)
        again = load_yaml(path)
        assert again[0] == fresh[0] and again[1].positions == fresh[1].positions, path
