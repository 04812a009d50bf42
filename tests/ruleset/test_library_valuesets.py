"""The bundled library's value sets say what the registry texts mean: a diagnosis is found in
whichever code system records it, nothing wider than the text is matched, and codes that only
possibly name the concept are `possible`, never certain."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.ruleset import ir
from screening.ruleset.catalog import library_files, load_catalog
from screening.ruleset.loader import LoadedLibrary, load_library
from screening.ruleset.valuesets.compose import ComposedValueSet
from screening.ruleset.valuesets.fhirfile import read_valueset_file
from tests.paths import FIXTURES, LIBRARY, RULES

CERTAIN, POSSIBLE, NO = "certain", "possible", "no"


@pytest.fixture(scope="module")
def library() -> LoadedLibrary:
    return load_library(library_files(RULES))


def verdict(vs: ComposedValueSet, code: str) -> str:
    system, _, c = code.partition(":")
    cs = ir.CodeSet(vs.name, vs.exact, vs.prefixes, possible=vs.possible)
    return CERTAIN if cs.matches(system, c) else POSSIBLE if cs.possibly(system, c) else NO


CASES = {
    "malignancy": {
        CERTAIN: ["snomed:109838007", "icd10cm:C18.8", "icd10:C18.8", "icd10cm:C4A.9", "icd10cm:D05.11", "icd10:D04.5",
                  "icd10cm:C44.319", "icd10:C44.3", "snomed:363346000", "icd10cm:C96.9", "icd10:C97"],
        POSSIBLE: ["icd10cm:D46.9", "icd10:D45", "icd10cm:D47.Z1", "icd10cm:D47.02", "snomed:109995007",
                   "snomed:109992005"],
        NO: ["icd10cm:D37.1", "icd10cm:D48.5", "icd10cm:D49.2", "icd10cm:D3A.00", "icd10cm:D12.6", "icd10cm:Z85.3",
             "icd10cm:D47.2", "snomed:109826003", "snomed:118616009", "snomed:277577000", "snomed:764791008"],
    },
    "skin_bcc_scc": {
        CERTAIN: ["icd10cm:C44.319", "icd10cm:C44.01", "icd10cm:C44.1121", "icd10cm:C44.92", "icd10cm:D04.5",
                  "icd10:D04.5", "snomed:254701007", "snomed:254651007", "snomed:231832009", "snomed:92749008"],
        POSSIBLE: ["icd10:C44.3", "icd10:C44", "icd10cm:C44.90", "icd10cm:C44.3", "snomed:402815007"],
        NO: ["icd10cm:C43.59", "icd10:C43.9", "icd10cm:C44.1321", "icd10cm:C44.99", "icd10cm:C18.8",
             "snomed:254634000", "snomed:402537005", "icd10cm:D03.9"],
    },
    "allo_hsct": {
        CERTAIN: ["icd10pcs:30233Y3", "icd10pcs:30243G2", "icd10pcs:30233X4", "snomed:58390007", "local:allo-hsct"],
        POSSIBLE: ["snomed:234336002"],
        NO: ["icd10pcs:30233Y0", "icd10pcs:30243G0", "icd10pcs:30233X0", "icd10pcs:30230C0", "snomed:58776007",
             "snomed:709115004", "snomed:425983008", "snomed:234331007"],
    },
    "organ_transplant": {
        CERTAIN: ["icd10cm:Z94.0", "icd10cm:Z94.81", "icd10cm:Z94.84", "icd10:Z94.4", "icd10cm:T86.12",
                  "icd10pcs:0TY00Z0", "icd10pcs:30243Y0", "snomed:70536003"],
        POSSIBLE: ["icd10:Z94.8"],
        NO: ["icd10cm:Z94.5", "icd10cm:Z94.6", "icd10cm:Z94.7", "icd10:Z94.7", "icd10cm:Z94.83", "icd10pcs:30243AZ",
             "snomed:175899003", "snomed:313030004"],
    },
    "tuberculosis": {
        CERTAIN: ["icd10cm:A15.0", "icd10:A16.2", "icd10:A19.9", "snomed:56717001", "snomed:154283005"],
        NO: ["icd10cm:Z22.7", "icd10cm:R76.11", "icd10cm:R76.12", "icd10:B90.9", "snomed:473114006"],
    },
    "hiv_infection": {
        CERTAIN: ["icd10cm:B20", "icd10:B20", "icd10:B22.2", "icd10:B24", "icd10cm:Z21", "icd10:Z21",
                  "icd10cm:O98.711", "snomed:86406008"],
        POSSIBLE: ["icd10cm:R75", "icd10:R75"],
        NO: ["icd10cm:Z11.4", "icd10cm:Z20.6"],
    },
    "hepatitis_b": {
        CERTAIN: ["icd10cm:B18.1", "icd10:B18.1", "icd10:B16.9", "icd10cm:B19.10", "snomed:61977001"],
        NO: ["snomed:271511000", "snomed:313234004", "snomed:165806002", "icd10cm:Z23", "icd10cm:B18.2"],
    },
    "hepatitis_c": {
        CERTAIN: ["icd10cm:B18.2", "icd10:B18.2", "icd10cm:B17.10", "icd10:B17.1", "icd10cm:B19.20",
                  "snomed:128302006", "snomed:768127002"],
        NO: ["icd10cm:B18.1", "icd10cm:K70.30", "icd10cm:O98.411"],
    },
    "pregnancy": {
        CERTAIN: ["icd10cm:Z33.1", "icd10cm:Z3A.12", "icd10cm:O09.91", "icd10:Z34.0", "icd10:O26.9", "icd10:Z33"],
        POSSIBLE: ["icd10:O99.0", "icd10:O10.0"],
        NO: ["icd10cm:Z32.02", "icd10cm:Z33.2", "icd10cm:O80", "icd10:O80", "icd10cm:Z39.2"],
    },
    "lactation": {
        CERTAIN: ["icd10cm:Z39.1", "icd10:Z39.1", "snomed:169750002"],
        POSSIBLE: ["icd10:O92.7", "snomed:290122005"],
        NO: ["icd10cm:O92.5", "icd10:O92.5", "icd10:O92.3", "snomed:169643005"],
    },
    "osteoporosis": {
        CERTAIN: ["icd10cm:M81.0", "icd10:M81.0", "icd10:M81.08", "icd10cm:M80.08XA", "icd10:M80.08", "icd10:M82.1",
                  "snomed:64859006"],
        POSSIBLE: ["icd10cm:M81.6", "icd10:M81.6", "snomed:240159007"],
        NO: ["icd10cm:M85.80", "snomed:1515008"],
    },
    "ankylosing_spondylitis": {
        CERTAIN: ["icd10cm:M45.9", "icd10:M45.9", "icd10:M45", "icd10cm:M08.1", "snomed:9631008"],
        POSSIBLE: ["icd10cm:M45.A0"],
        NO: ["icd10cm:M46.80", "icd10cm:M08.00"],
    },
    "systemic_sclerosis": {
        CERTAIN: ["icd10cm:M34.0", "icd10:M34.0", "icd10cm:M34.83", "snomed:89155008"],
        NO: ["icd10cm:L94.0", "icd10cm:M35.00"],
    },
    "rheumatoid_arthritis": {
        CERTAIN: ["icd10cm:M05.79", "icd10:M05.9", "icd10cm:M06.9", "icd10:M08.0"],
        NO: ["icd10cm:M06.1", "icd10cm:M13.0"],
    },
    "chronic_polyarthritis": {
        CERTAIN: ["icd10cm:M06.4", "icd10:M06.4", "icd10cm:M08.3"],
        POSSIBLE: ["icd10cm:M13.0", "icd10:M13.0"],
    },
    "secondary_osteoporosis_genetic": {
        CERTAIN: ["icd10cm:E83.110", "icd10:Q78.0", "icd10cm:Q79.60", "icd10:Q87.4", "icd10cm:G90.1", "icd10:E80.0",
                  "icd10:E80.1", "icd10cm:E80.21", "icd10cm:E74.01", "icd10:E75.2", "icd10cm:E76.01", "icd10:E77.1"],
        POSSIBLE: ["icd10:E83.1", "icd10:E83.3", "icd10cm:E83.119", "icd10cm:E83.39"],
        NO: ["icd10cm:E83.111", "icd10cm:E83.10", "icd10:E80.4", "icd10cm:E80.4"],
    },
    "graft_failure_primary": {
        CERTAIN: ["snomed:782745005"],
        POSSIBLE: ["icd10cm:T86.02", "icd10:T86.0"],
        NO: ["icd10cm:T86.01"],
    },
    "uncontrolled_hypertension": {
        CERTAIN: ["icd10cm:I16.1", "snomed:78975002"],
        POSSIBLE: ["icd10cm:I10", "icd10:I10", "snomed:59621000"],
        NO: ["icd10cm:I15.0"],
    },
}


@pytest.mark.parametrize(("name", "expected", "code"),
                         [(n, v, c) for n, kinds in CASES.items() for v, codes in kinds.items() for c in codes],
                         ids=lambda x: str(x))
def test_what_each_value_set_matches(library: LoadedLibrary, name: str, expected: str, code: str) -> None:
    assert verdict(library.terms.library[name], code) == expected


def test_allogeneic_pcs_codes_have_an_allogeneic_seventh_character(library: LoadedLibrary) -> None:
    pcs = [c for s, c in library.terms.library["allo_hsct"].exact if s == "icd10pcs"]
    assert len(pcs) == 30
    assert all(c.startswith("302") and c[-1] in "234" for c in pcs)


def test_every_library_value_set_knows_its_sources(library: LoadedLibrary) -> None:
    for name, vs in library.terms.library.items():
        assert vs.sources, name
        assert vs.title, name
    files = {f.file for vs in library.terms.library.values() for f in vs.files}
    shipped = {p.name for p in (LIBRARY / "valuesets").glob("*.json")}
    assert files == shipped  # every shipped file is used, and every file used is shipped


def test_sources_md_lists_every_shipped_file_with_the_loinc_notice() -> None:
    text = (LIBRARY / "valuesets" / "SOURCES.md").read_text(encoding="utf-8")
    for p in (LIBRARY / "valuesets").glob("*.json"):
        assert f"`{p.name}`" in text, p.name
    assert "LOINC is copyright © Regenstrief Institute" in text
    assert "SNOMED CT" in text


def test_the_bundled_rule_sets_have_no_lint_warnings() -> None:
    for rs in load_catalog(RULES).rulesets.values():
        assert rs.warnings == (), [w.format() for w in rs.warnings]


def test_value_set_names_are_matched_in_text(library: LoadedLibrary) -> None:
    mal = library.terms.library["malignancy"]
    cs = ir.CodeSet("m", frozenset(), names=mal.names, not_names=mal.not_names)
    assert cs.named_in("Adenocarcinoma? no: Carcinoma of the rectum")
    assert cs.named_in("B-cell lymphoma")
    assert not cs.named_in("Benign neoplasm of colon")
    assert not cs.named_in("Family history of cancer")
    assert not cs.named_in("Lymphomatoid papulosis")  # whole words only
    tb = library.terms.library["tuberculosis"]
    cs = ir.CodeSet("t", frozenset(), names=tb.names, not_names=tb.not_names)
    assert cs.named_in("Pulmonary TB") and not cs.named_in("Latent TB infection")
    assert not cs.named_in("Non-tuberculous mycobacterial infection")


def test_ship_only_what_is_used() -> None:
    assert {p.suffix for p in (LIBRARY / "valuesets").iterdir()} == {".json", ".md"}


def test_a_library_without_valuesets_still_loads(rules_root: Path) -> None:
    (rules_root / "library" / "value_sets.yaml").write_text(
        "value_sets:\n  ecog:\n    title: ECOG\n    codes: [loinc:89247-1]\n", encoding="utf-8")
    (rules_root / "library" / "concepts.yaml").write_text("concepts: {}\n", encoding="utf-8")
    lib = load_library(library_files(rules_root))
    assert lib.terms.library["ecog"].exact == {("loinc", "89247-1")}


# --- rule sets: provenance and content hash ---------------------------------------------------


def test_a_rule_set_lists_its_value_sets_with_versions_and_sources() -> None:
    rs = load_catalog(RULES, only=["NCT02566655"]).get("NCT02566655")
    prov = {p["name"]: p for p in rs.value_set_provenance()}
    assert "malignancy" in prov and "skin_bcc_scc" in prov and "creatinine" not in prov
    files = {f["file"]: f for f in prov["malignancy"]["files"]}
    assert files["cancer.vsac-cms-2025.json"]["version"] == "20200306"
    assert files["cancer.vsac-cms-2025.json"]["expanded"].startswith("2025-01-10")
    assert any(s.startswith("ICD-10-CM descendants of C00-C96, D00-D09 (simple-icd-10-cm ") for s in prov["malignancy"]["sources"])
    assert prov["malignancy"]["title"] == "malignant neoplasm, including carcinoma in situ"


def test_the_content_hash_covers_the_valueset_files(rules_root: Path) -> None:
    trial = rules_root / "NCT02566655"
    trial.mkdir()
    (trial / "trial.yaml").write_bytes((RULES / "NCT02566655" / "trial.yaml").read_bytes())
    before = load_catalog(rules_root).get("NCT02566655").hash
    f = rules_root / "library" / "valuesets" / "tuberculosis.vsac-qicore-2025.json"
    f.write_text(f.read_text(encoding="utf-8").replace('"version": "20250312"', '"version": "20250313"'),
                 encoding="utf-8")
    assert load_catalog(rules_root).get("NCT02566655").hash == before  # this trial does not use it
    f = rules_root / "library" / "valuesets" / "cancer.vsac-cms-2025.json"
    f.write_text(f.read_text(encoding="utf-8").replace('"version": "20200306"', '"version": "20200307"'),
                 encoding="utf-8")
    assert load_catalog(rules_root).get("NCT02566655").hash != before


def test_systemic_sclerosis_holds_the_published_icd10cm_expansion_and_nothing_else_of_it(
        library: LoadedLibrary) -> None:
    """The ICD-10-CM side of `systemic_sclerosis` is the hierarchy below M34; VSAC's published
    Autoimmune Disease expansion lists the same disease's codes (M34.0-M34.9) beside lupus,
    dermatomyositis, Sjogren syndrome, multifocal fibrosclerosis... of which none may match."""
    published = read_valueset_file(FIXTURES / "valuesets" / "autoimmune-disease.vsac-cms-2025.json")
    assert published.canonical == "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1029.311|20220127"
    ssc = [f"{s}:{c}" for s, c, _ in published.codes if c.startswith("M34")]
    others = [f"{s}:{c}" for s, c, _ in published.codes if not c.startswith("M34")]
    assert len(ssc) == 8 and len(others) > 50
    vs = library.terms.library["systemic_sclerosis"]
    assert [c for c in ssc if verdict(vs, c) != CERTAIN] == []
    assert [c for c in others if verdict(vs, c) != NO] == []
    assert any("ICD-10-CM descendants of M34 (simple-icd-10-cm " in s for s in vs.sources)
