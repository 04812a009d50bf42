"""Drafting rule sets from four real ClinicalTrials.gov API v2 records.

The expectations below were counted and read by hand from each record's eligibility text
(see tests/fixtures/ctgov/SOURCES.md); they are not derived from the importer's output.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from screening.core.units import parse_quantity
from screening.ctgov.draft import draft_record_file
from screening.ctgov.text import unescape
from screening.ruleset.catalog import library_files, load_ruleset
from screening.ruleset.loader import load_library
from tests.ctgov.records import RECORDS, needs_records
from tests.paths import REPO

# hand-counted items: (inclusion, exclusion); nested items count as items of their own
COUNTS = {
    "NCT00184067": (11, 7),  # 7 bullets + 4 numbered sub-items under the first; 7 exclusion bullets
    "NCT03630471": (9, 8),  # 6 adolescent + 3 parent; 6 adolescent + 2 parent
    "NCT03722472": (9, 29),
    "NCT03934567": (7, 13),
}

# hand-read thresholds per record: (kind, item, code, op, value, unit); "inclusive" is in the op (le/ge vs lt/gt)
THRESHOLDS = {
    "NCT00184067": [
        ("inclusion", 2, "creatinine", "le", 2.0, "mg/dL"),  # "Serum creatinine of 2.0 mg/dl or less"
        ("inclusion", 2, "total_bilirubin", "le", 2.0, "mg/dL"),  # "total bilirubin of 2.0 mg/dl or less"
        ("inclusion", 2, "ast", "le", 2.5, "x ULN"),  # "SGOT/SGPT of 2.5 X institutional norm or less"
        ("inclusion", 2, "alt", "le", 2.5, "x ULN"),
        ("inclusion", 3, "hemoglobin", "ge", 9.0, "g/dL"),  # "hemoglobin of 9.0 gm/dl or more"
        ("inclusion", 3, "platelets", "ge", 100.0, "10*3/uL"),  # "100,000 per cu mm or more"
        ("inclusion", 4, "ecog", "ge", 0.0, "1"),  # "ECOG performance status of 0 or 1"
        ("inclusion", 4, "ecog", "le", 1.0, "1"),
    ],
    "NCT03722472": [
        ("inclusion", 2, "body_temperature", "lt", 38.0, "Cel"),  # "Temperature \<38°C"
        ("inclusion", 2, "respiratory_rate", "lt", 17.0, "/min"),  # "respiratory rate \< 17 breaths pm"
        # "heart rate ≤100 bpm and \>54 bpm" is not drafted: a note lets athletes with a pulse ≥40 in
        ("inclusion", 2, "systolic_bp", "le", 140.0, "mm[Hg]"),  # "≤140 mmHg and \>89 mmHg"
        ("inclusion", 2, "systolic_bp", "gt", 89.0, "mm[Hg]"),
        ("inclusion", 2, "diastolic_bp", "le", 90.0, "mm[Hg]"),  # "≤90 mmHg and ≥60 mmHg"
        ("inclusion", 2, "diastolic_bp", "ge", 60.0, "mm[Hg]"),
        ("exclusion", 22, "body_temperature", "gt", 38.0, "Cel"),  # "\>100.4 °F/38.0 °C"
        ("exclusion", 26, "bmi", "lt", 18.0, "kg/m2"),  # "BMI \<18 or \>35 kg/m2"
        ("exclusion", 26, "bmi", "gt", 35.0, "kg/m2"),
    ],
    "NCT03934567": [
        ("inclusion", 6, "ecog", "ge", 0.0, "1"),  # "ECOG performance status of 0 to 2"
        ("inclusion", 6, "ecog", "le", 2.0, "1"),
    ],
    "NCT03630471": [],
}

# structured fields: (age bounds, sex criterion, healthy volunteers)
STRUCTURED = {
    "NCT00184067": ({"ge": 18}, None, False),
    "NCT03630471": ({"between": [13, 20]}, None, False),
    "NCT03722472": ({"between": [18, 55]}, None, True),
    "NCT03934567": ({"ge": 18}, None, False),
}

# library concepts drafted per (kind, item): the registry text names these infections / states
CONCEPTS = {
    "NCT00184067": {("exclusion", 4): {"pregnant_or_lactating"},
                    ("exclusion", 5): {"hiv_positive", "hepatitis_b_positive", "hepatitis_c_positive"}},
    "NCT03722472": {("inclusion", 4): {"hiv_positive", "hepatitis_b_positive", "hepatitis_c_positive"},
                    ("exclusion", 11): {"hiv_positive"},
                    ("exclusion", 23): {"pregnant"}, ("exclusion", 24): {"lactating"}},
    "NCT03934567": {("exclusion", 11): {"hiv_positive", "hepatitis_c_positive"}},
    "NCT03630471": {},
}


def _walk(node: Any) -> list[dict[str, Any]]:
    out = []
    if isinstance(node, dict):
        out.append(node)
        for v in node.values():
            out += _walk(v)
    elif isinstance(node, list):
        for v in node:
            out += _walk(v)
    return out


def _thresholds(when: dict[str, Any]) -> list[tuple[str, str, float, str]]:
    out = []
    for d in _walk(when):
        spec = d.get("latest")
        if not isinstance(spec, dict):
            continue
        for op in ("lt", "le", "gt", "ge", "eq"):
            if isinstance(spec.get(op), str) and spec[op].endswith("x ULN"):
                out.append((spec["code"], op, float(spec[op].split()[0]), "x ULN"))
            elif spec.get(op) is not None:
                v, u = parse_quantity(spec[op])
                out.append((spec["code"], op, v, u))
        if spec.get("between") is not None:
            for op, b in zip(("ge", "le"), spec["between"], strict=True):
                v, u = parse_quantity(b)
                out.append((spec["code"], op, v, u))
    return out


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, dict[str, Any]]]:
    """Every record drafted, written under a rules folder with a copy of the library and loaded
    with load_ruleset (the loader, lower and lint); -> {nct: (RuleSet, summary)}."""
    if RECORDS is None:
        pytest.skip("ClinicalTrials.gov records not found in tests/fixtures/ctgov or ../shared/data/ctgov")
    root = tmp_path_factory.mktemp("ctgov") / "rules"
    shutil.copytree(REPO / "rules" / "library", root / "library")
    library = load_library(library_files(root))
    out = {}
    for nct in COUNTS:
        draft = draft_record_file(RECORDS / f"{nct}.json")
        path = root / nct / "trial.yaml"
        path.parent.mkdir()
        path.write_text(draft.yaml(), encoding="utf-8")
        out[nct] = (load_ruleset(path, library), draft.summary)
    return out


def _items(rs: Any) -> set[tuple[str, str]]:
    return {(c.kind, str(c.source.item)) for c in rs.model.criteria if c.source.section in ("Inclusion Criteria",
                                                                                           "Exclusion Criteria")}


@needs_records
@pytest.mark.parametrize("nct", list(COUNTS))
def test_every_item_appears_and_counts_match_hand_count(drafts: dict[str, Any], nct: str) -> None:
    rs, summary = drafts[nct]
    items = _items(rs)
    inc, exc = COUNTS[nct]
    assert sum(k == "inclusion" for k, _ in items) == inc
    assert sum(k == "exclusion" for k, _ in items) == exc
    assert summary.items == {"inclusion": inc, "exclusion": exc}
    # every criterion's text is the record's item text; ids are unique slugs
    ids = [c.id for c in rs.model.criteria]
    assert len(ids) == len(set(ids))
    record_text = unescape(json.loads((RECORDS / f"{nct}.json").read_text())["protocolSection"]
                           ["eligibilityModule"]["eligibilityCriteria"])
    for c in rs.model.criteria:
        if c.source.section in ("Inclusion Criteria", "Exclusion Criteria"):
            for line in c.text.split("\n"):
                assert line in record_text, (c.id, line)
    # a draft carries its span (a piece of the item's text) and a confidence
    for c in rs.model.criteria:
        if c.draft:
            assert c.when is not None and c.span and c.span in c.text and 0 < (c.confidence or 0) <= 1


@needs_records
@pytest.mark.parametrize("nct", list(COUNTS))
def test_drafted_thresholds_match_hand_reading(drafts: dict[str, Any], nct: str) -> None:
    rs, _ = drafts[nct]
    got = set()
    for c in rs.model.criteria:
        if c.when is not None and c.draft:
            for t in _thresholds(c.when.model_dump(by_alias=True, exclude_none=True)):
                got.add((c.kind, c.source.item, *t))
    expected = {(k, i, code, op, v, u) for k, i, code, op, v, u in THRESHOLDS[nct]}
    assert got == expected


@needs_records
@pytest.mark.parametrize("nct", list(COUNTS))
def test_structured_fields(drafts: dict[str, Any], nct: str) -> None:
    rs, _ = drafts[nct]
    age_bounds, sex, healthy = STRUCTURED[nct]
    age = [c for c in rs.model.criteria if c.id == "registry_age"]
    assert len(age) == 1
    assert age[0].when.model_dump(exclude_none=True) == {"age": age_bounds}
    assert [c for c in rs.model.criteria if c.id == "registry_sex"] == ([] if sex is None else [sex])
    assert rs.model.trial.healthy_volunteers is healthy


@needs_records
@pytest.mark.parametrize("nct", list(COUNTS))
def test_library_concepts_drafted(drafts: dict[str, Any], nct: str) -> None:
    rs, _ = drafts[nct]
    got: dict[tuple[str, int], set[str]] = {}
    for c in rs.model.criteria:
        if c.when is not None and c.draft:
            refs = {d["ref"] for d in _walk(c.when.model_dump(by_alias=True, exclude_none=True)) if "ref" in d}
            refs.discard("informed_consent_signed")
            if refs:
                got.setdefault((c.kind, c.source.item), set()).update(refs)
    assert got == CONCEPTS[nct]


@needs_records
def test_inclusion_negative_tests_are_negated_and_exclusions_apply_to_women(drafts: dict[str, Any]) -> None:
    rs, _ = drafts["NCT03722472"]
    by_item = {(c.kind, c.source.item): c for c in rs.model.criteria if c.draft}
    neg = by_item[("inclusion", 4)].when.model_dump(by_alias=True, exclude_none=True)
    assert list(neg) == ["not"]  # "Negative HIV 1/2 antibody, ... HBsAg ... HCV antibody"
    preg = by_item[("exclusion", 23)].when.model_dump(by_alias=True, exclude_none=True)
    assert {"sex": ["female"]} in preg["all"]


@needs_records
def test_nested_items_subgroups_and_review_reasons(drafts: dict[str, Any]) -> None:
    rs, _ = drafts["NCT00184067"]
    nested = [c for c in rs.model.criteria if str(c.source.item).startswith("1.")]
    assert [str(c.source.item) for c in nested] == ["1.1", "1.2", "1.3", "1.4"]
    assert all(c.source.note == "nested under item 1" and c.review == "free text not recognised" for c in nested)
    # WBC "3,000 or more with at least 1500 granulocytes": the granulocytes' count in the WBC's segment is a second
    # lower bound: not drafted, left in the item's review rest
    rest = [c for c in rs.model.criteria if c.source.item == 3 and c.kind == "inclusion" and c.review]
    assert len(rest) == 1 and "(WBC) of 3,000 or more with at least 1500': it states two thresholds in the same " \
        "direction" in rest[0].review
    assert "granulocytes" in rest[0].review
    rs2, _ = drafts["NCT03630471"]
    groups = {c.source.note for c in rs2.model.criteria if c.source.section != "Eligibility"}
    assert groups == {"subgroup: For adolescent participants", "subgroup: For parent participants"}
    # "For adolescents under 18 years of age, ..." is a condition, not an age requirement
    assert not [c for c in rs2.model.criteria if c.source.item in (5, 6) and c.when is not None
                and "age" in c.when.model_dump(exclude_none=True)]
    rs3, _ = drafts["NCT03722472"]
    abuse = next(c for c in rs3.model.criteria if c.source.item == 16 and c.kind == "exclusion")
    assert abuse.review is not None and "5 years" in abuse.review  # "within the past 5 years", event not recognised


@needs_records
def test_time_windows_with_recognised_events(drafts: dict[str, Any]) -> None:
    rs, _ = drafts["NCT03934567"]
    got = {}
    for c in rs.model.criteria:
        if c.draft and c.source.item == 6 and c.kind == "exclusion":
            d = c.when.model_dump(by_alias=True, exclude_none=True)
            got[d["medication"]["code"]] = d["medication"]["within"]
    # "steroid hormone within 7 days, chemotherapy, targeted therapy within 28 days"
    assert got == {"systemic_corticosteroids": "7 days", "antineoplastic_agents": "28 days"}
    # radiotherapy and antibody therapies are not drafted: the item keeps a review rest
    assert any(c.review and "radiotherapy" in c.review for c in rs.model.criteria if c.source.item == 6)
