"""Composed value sets: ValueSet files, ICD descendants, listed codes, `possible` and `exclude`,
their precedence, their errors (E106) and the on-disk cache of the ICD hierarchies."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from screening.core.diagnostics import RuleSetError
from screening.core.diskcache import DiskCache
from screening.ruleset import ir
from screening.ruleset.catalog import library_files
from screening.ruleset.loader import load_library
from screening.ruleset.model import ValueSet
from screening.ruleset.sourcemap import SourceMap
from screening.ruleset.valuesets import hierarchy as hier
from screening.ruleset.valuesets.compose import ComposedValueSet, Composer
from screening.ruleset.valuesets.fhirfile import ValueSetFileError, read_valueset_file
from screening.ruleset.valuesets.hierarchy import Hierarchy
from tests.paths import LIBRARY

CM = "http://hl7.org/fhir/sid/icd-10-cm"
SCT = "http://snomed.info/sct"


def valueset_json(url: str = "http://example.org/ValueSet/x", version: str = "1", **extra: Any) -> dict[str, Any]:
    contains = [
        {"system": CM, "code": "C18.8", "display": "Malignant neoplasm of overlapping sites of colon"},
        {"system": CM, "code": "D37.1", "display": "Neoplasm of uncertain behavior of stomach"},
        {"system": SCT, "code": "109838007", "display": "Overlapping malignant neoplasm of colon (disorder)"},
        {"system": SCT, "code": "254701007", "display": "Basal cell carcinoma of skin (disorder)"},
        {"system": SCT, "code": "402537005", "display": "Metastatic basal cell carcinoma (disorder)"},
        {"system": "urn:oid:1.2.3", "code": "x1", "display": "a local code"},
    ]
    data: dict[str, Any] = {"resourceType": "ValueSet", "url": url, "version": version, "title": "Test set",
                            "expansion": {"timestamp": "2025-01-10T13:55:12-07:00", "contains": contains}}
    data.update(extra)
    return data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "valuesets"
    f.mkdir()
    (f / "test.json").write_text(json.dumps(valueset_json()), encoding="utf-8")
    return f


def compose(definition: str, folder: Path | None, cache: Path) -> tuple[ComposedValueSet, list[str]]:
    vs = ValueSet.model_validate(_yaml(definition))
    composed, diags = Composer(folder, Hierarchy(DiskCache(cache))).compose("vs", vs, SourceMap("lib.yaml"), ())
    return composed, [d.message for d in diags]


def _yaml(text: str) -> Any:
    return YAML(typ="safe").load(textwrap.dedent(text))


def codeset(composed: ComposedValueSet) -> ir.CodeSet:
    return ir.CodeSet(composed.name, composed.exact, composed.prefixes, possible=composed.possible)


# --- composition --------------------------------------------------------------------------


def test_a_plain_code_list_still_works_and_icd_codes_get_their_dot(tmp_path: Path) -> None:
    composed, errors = compose("codes: [snomed:9631008, icd10cm:M459, 'atc:L04*']", None, tmp_path)
    assert errors == []
    assert composed.exact == {("snomed", "9631008"), ("icd10cm", "M45.9")}
    assert composed.prefixes == (("atc", "L04"),)


def test_a_valueset_file_with_system_and_display_filters(folder: Path, tmp_path: Path) -> None:
    composed, errors = compose("""
        include:
          - valueset: test.json
            systems: [snomed]
            display: {any: [basal cell carcinoma], none: [metastatic]}
        """, folder, tmp_path)
    assert errors == []
    assert composed.exact == {("snomed", "254701007")}
    assert composed.files[0].version == "1" and composed.files[0].expanded == "2025-01-10T13:55:12-07:00"
    assert composed.sources == ("test.json: Test set (http://example.org/ValueSet/x|1, expanded 2025-01-10), "
                                "SNOMED CT codes only, displays naming 'basal cell carcinoma' but not 'metastatic'",)


def test_a_valueset_can_be_named_by_its_canonical_url(folder: Path, tmp_path: Path) -> None:
    for ref in ("http://example.org/ValueSet/x|1", "http://example.org/ValueSet/x"):
        composed, errors = compose(f"include: [{{valueset: '{ref}'}}]", folder, tmp_path)
        assert errors == [] and ("snomed", "109838007") in composed.exact
    _, errors = compose("include: [{valueset: 'http://example.org/ValueSet/x|2'}]", folder, tmp_path)
    assert errors and "no file in library/valuesets/ has the canonical url" in errors[0]


def test_descendants_are_matched_as_prefixes_and_blocks_as_their_categories(tmp_path: Path) -> None:
    composed, errors = compose("include: [{descendants: ['icd10cm:C00-C96', 'icd10:C44']}]", None, tmp_path)
    assert errors == []
    cs = codeset(composed)
    # ICD-10-CM leaves C00-C96 empty in the package: the block is read as its range of categories
    assert {("icd10cm", "C4A"), ("icd10cm", "C7A"), ("icd10cm", "C96")} <= set(composed.prefixes)
    assert cs.matches("icd10cm", "C18.8") and cs.matches("icd10cm", "C44.1121")
    assert cs.matches("icd10", "C44.3") and not cs.matches("icd10", "C18.8")
    assert not cs.matches("icd10cm", "D04.5")
    assert "ICD-10-CM descendants of C00-C96 (simple-icd-10-cm " in composed.sources[0]


def test_possible_codes_are_listed_and_demote_included_codes(folder: Path, tmp_path: Path) -> None:
    composed, errors = compose("""
        include: [{valueset: test.json}]
        possible:
          - descendants: ['icd10:C44']
          - codes: [snomed:109838007]
        """, folder, tmp_path)
    assert errors == []
    cs = codeset(composed)
    assert cs.possibly("icd10", "C44.3") and not cs.matches("icd10", "C44.3")
    assert cs.possibly("snomed", "109838007") and not cs.matches("snomed", "109838007")  # demoted
    assert cs.matches("snomed", "254701007")


def test_exclude_wins_over_include_and_possible(folder: Path, tmp_path: Path) -> None:
    composed, errors = compose("""
        include: [{valueset: test.json}]
        exclude:
          - descendants: ['icd10cm:D37-D48']
          - codes: [snomed:254701007, icd10:C44.3]
        possible:
          - descendants: ['icd10:C44']
        """, folder, tmp_path)
    assert errors == []
    assert ("icd10cm", "D37.1") not in composed.exact
    assert ("snomed", "254701007") not in composed.exact
    assert ("icd10", "C44.3") not in composed.possible and ("icd10", "C44.4") in composed.possible
    assert composed.sources[-1].startswith("minus lib.yaml: 2 listed code(s)")


def test_a_prefix_cannot_be_cut(tmp_path: Path) -> None:
    _, errors = compose("""
        include: [{descendants: ['icd10cm:C44']}]
        exclude: [{codes: ['icd10cm:C44.01']}]
        possible: [{codes: ['icd10cm:C44.90']}]
        """, None, tmp_path)
    assert len(errors) == 2
    assert "cannot exclude icd10cm:C44.01: it lies below the included icd10cm:C44" in errors[0]
    assert "cannot make possible icd10cm:C44.90" in errors[1]


@pytest.mark.parametrize(("definition", "message"), [
    ("include: [{valueset: tset.json}]", "ValueSet 'tset.json': file not found (did you mean 'test.json'?)"),
    ("include: [{valueset: ../test.json}]", "name a file in library/valuesets/"),
    ("include: [{valueset: test.json, display: {any: [nothing like this]}}]", "the entry selects no code"),
    ("include: [{descendants: ['icd10:E83.11']}]", "'icd10:E83.11': WHO ICD-10 has no item 'E83.11'"),
    ("include: [{descendants: ['icd10cm:B20-B24']}]", "ICD-10-CM has no item 'B20-B24'"),
    ("possible: [{codes: ['atc:L04*']}]", "a trailing * (every code below) is only allowed in `codes` and `include`"),
])
def test_composition_errors_name_the_problem(definition: str, message: str, folder: Path, tmp_path: Path) -> None:
    _, errors = compose(definition, folder, tmp_path)
    assert len(errors) == 1 and message in errors[0], errors


def test_an_entry_has_one_kind() -> None:
    with pytest.raises(ValueError, match="exactly one of valueset, codes, descendants"):
        ValueSet.model_validate({"include": [{"codes": ["snomed:1"], "descendants": ["icd10:C44"]}]})
    with pytest.raises(ValueError, match="select codes of a `valueset` entry"):
        ValueSet.model_validate({"include": [{"codes": ["snomed:1"], "systems": ["snomed"]}]})
    with pytest.raises(ValueError, match="not an ICD item"):
        ValueSet.model_validate({"include": [{"descendants": ["snomed:1"]}]})


def test_errors_in_the_library_point_into_the_library_file(rules_root: Path) -> None:
    lib = rules_root / "library" / "extra.yaml"
    lib.write_text("value_sets:\n  broken:\n    include:\n      - valueset: nowhere.json\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_library(library_files(rules_root))
    (d,) = info.value.diagnostics
    assert (d.file, d.line, d.code) == (str(lib), 4, "E106")


# --- ValueSet files -----------------------------------------------------------------------


def test_a_file_keeps_system_code_display_and_counts_unknown_systems(folder: Path) -> None:
    f = read_valueset_file(folder / "test.json")
    assert ("icd10cm", "C18.8", "Malignant neoplasm of overlapping sites of colon") in f.codes
    assert f.unmapped == {"urn:oid:1.2.3": 1}
    assert f.canonical == "http://example.org/ValueSet/x|1"


def test_an_enumerated_compose_and_nested_expansions_are_read(tmp_path: Path) -> None:
    composed = {"resourceType": "ValueSet", "url": "u", "compose": {"include": [
        {"system": "http://loinc.org", "concept": [{"code": "5195-3", "display": "HBsAg"}]}]}}
    (tmp_path / "c.json").write_text(json.dumps(composed))
    assert read_valueset_file(tmp_path / "c.json").codes == (("loinc", "5195-3", "HBsAg"),)
    nested = {"resourceType": "ValueSet", "expansion": {"contains": [
        {"display": "group", "contains": [{"system": SCT, "code": "1"}, {"system": SCT, "code": "2"}]}]}}
    (tmp_path / "n.json").write_text(json.dumps(nested))
    assert [c for _, c, _ in read_valueset_file(tmp_path / "n.json").codes] == ["1", "2"]


@pytest.mark.parametrize(("content", "reason"), [
    ("{", "not JSON"),
    ('{"resourceType": "CodeSystem"}', "not a FHIR ValueSet"),
    ('{"resourceType": "ValueSet", "compose": {"include": [{"valueSet": ["http://x"]}]}}', "no expansion"),
    ('{"resourceType": "ValueSet", "expansion": {"contains": []}}', "lists no codes"),
    ('{"resourceType": "ValueSet", "x": ' + "[" * 20_000 + "]" * 20_000 + "}",
     "not JSON: the JSON is nested more than 64 levels deep"),
    ('{"resourceType": "ValueSet", "version": ' + "9" * 5000 + "}", r"not JSON: the JSON has a number of 5000 characters \(the limit is 4300\)"),
    ('{"resourceType": "ValueSet", "url": "a", "url": "b"}', "not JSON: .*key"),
    (b'{"resourceType": "ValueSet", "title": "cr\xe9"}', "not JSON: not UTF-8"),
])
def test_unusable_files_say_why(content: str | bytes, reason: str, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValueSetFileError, match=reason):
        read_valueset_file(tmp_path / "bad.json")


def test_a_valueset_fifo_is_refused_unread(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(ValueSetFileError, match="not a regular file"):
        read_valueset_file(tmp_path / "pipe.json")


# --- the ICD hierarchies and their cache ----------------------------------------------------


def test_unknown_codes_and_who_site_subdivisions(tmp_path: Path) -> None:
    h = Hierarchy(DiskCache(tmp_path))
    assert h.unknown("icd10", ["E83.11", "M45.9", "M81.08", "M05.79", "B20", "C00-C97"]) == ("C00-C97", "E83.11", "M05.79")
    assert h.unknown("icd10cm", ["E83.11", "E83.110", "Z22.7", "B19.2"]) == ()
    # a category that also names a one-category block (ICD-10-CM B20) is a code
    assert h.unknown("icd10cm", ["B20", "Z21"]) == ()


def test_a_warm_cache_answers_without_the_packages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cold = Hierarchy(DiskCache(tmp_path))
    below = cold.below("icd10cm", "D04")
    unknown = cold.unknown("icd10", ["E83.11"])

    def no_import(system: str) -> Any:
        raise AssertionError(f"imported the {system} package")

    monkeypatch.setattr(hier, "_module", no_import)
    warm = Hierarchy(DiskCache(tmp_path))
    assert warm.below("icd10cm", "D04") == below and warm.unknown("icd10", ["E83.11"]) == unknown
    with pytest.raises(AssertionError, match="imported"):
        warm.below("icd10cm", "D03")  # not cached: computed


def test_an_unusable_cache_folder_only_means_computing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert Hierarchy(DiskCache(blocker)).below("icd10", "B20") is not None


def test_the_cache_key_holds_the_package_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    Hierarchy(DiskCache(tmp_path)).below("icd10", "B20")
    entries = set(tmp_path.rglob("*.json"))
    monkeypatch.setattr(hier, "package_version", lambda system: "99.0")
    Hierarchy(DiskCache(tmp_path)).below("icd10", "B20")
    assert len(set(tmp_path.rglob("*.json")) - entries) == 1


def test_a_valueset_file_over_the_size_limit_is_refused_before_it_is_parsed(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = (folder / "test.json").stat().st_size
    monkeypatch.setenv("SCREENING_MAX_VALUESET_FILE_BYTES", str(size))
    assert read_valueset_file(folder / "test.json").codes  # at the limit: read
    monkeypatch.setenv("SCREENING_MAX_VALUESET_FILE_BYTES", str(size - 1))
    with pytest.raises(ValueSetFileError, match=rf"the file is larger than {size - 1} bytes "
                       r"\(the limit is \$SCREENING_MAX_VALUESET_FILE_BYTES, default 16777216\)"):
        read_valueset_file(folder / "test.json")
    _, errors = compose("include: [{valueset: test.json}]", folder, tmp_path)
    assert errors == [f"value set 'vs': ValueSet 'test.json': the file is larger than {size - 1} bytes "
                      "(the limit is $SCREENING_MAX_VALUESET_FILE_BYTES, default 16777216)"]
    monkeypatch.setenv("SCREENING_MAX_VALUESET_FILE_BYTES", "lots")
    with pytest.raises(ValueSetFileError, match=r"\$SCREENING_MAX_VALUESET_FILE_BYTES must be a whole number"):
        read_valueset_file(folder / "test.json")


def test_the_default_valueset_limit_reads_every_bundled_file() -> None:
    sizes = [p.stat().st_size for p in (LIBRARY / "valuesets").glob("*.json")]
    assert sizes and max(sizes) < 16 * 1024 * 1024 // 4  # room for VSAC expansions several times larger
