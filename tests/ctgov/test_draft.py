"""Drafting a rule set from a study record: reading the record, structured fields, items, value sets, YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screening.ctgov.criteria import slug, unique_id
from screening.ctgov.draft import draft_study
from screening.ctgov.record import RecordError, load_record
from screening.ctgov.structured import age_in_years
from screening.ruleset.catalog import library_files, load_ruleset
from screening.ruleset.loader import load_library


def _record(criteria: str, **elig: Any) -> dict[str, Any]:
    return {"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": "A study"},
                                "eligibilityModule": {"eligibilityCriteria": criteria, **elig}}}


def test_ages_in_other_units_convert_to_years() -> None:
    assert age_in_years("18 Years") == (18, False)
    assert age_in_years("6 Months") == (0.5, True)
    assert age_in_years("2 Weeks") == (round(14 / 365.25, 4), True)
    assert age_in_years("28 Days") == (round(28 / 365.25, 4), True)
    with pytest.raises(RecordError):
        age_in_years("eighteen")


def test_structured_age_in_months_female_only_and_key_headings(rules_root: Path) -> None:
    text = ("Key Inclusion Criteria:\n\n* Age ≥ 12 years\n* ECOG \\<= 1\n\n"
            "Key Exclusion Criteria:\n\n1. Pregnant or breast-feeding women\n2. Known HIV infection")
    draft = draft_study(_record(text, minimumAge="6 Months", maximumAge="17 Years", sex="FEMALE",
                                healthyVolunteers=True), "rec.json")
    summary = draft.summary
    assert summary.items == {"inclusion": 2, "exclusion": 2}
    assert summary.structured == ["age", "sex"] and summary.criteria == 6
    data = draft.ruleset()
    age = next(c for c in data["criteria"] if c["id"] == "registry_age")
    assert age["when"] == {"age": {"between": [0.5, 17]}}
    assert age["text"] == "minimumAge: 6 Months; maximumAge: 17 Years"
    assert age["source"]["item"] == "minimumAge and maximumAge"
    assert "converted to 0.5 years" in age["reading"] and age["draft"] is True
    sex = next(c for c in data["criteria"] if c["id"] == "registry_sex")
    assert sex["when"] == {"sex": ["female"]}
    ecog = next(c for c in data["criteria"] if c["id"] == "inc_02_ecog")
    assert ecog["when"] == {"latest": {"code": "ecog", "le": 1}}
    path = rules_root / "NCT09999999" / "trial.yaml"
    path.parent.mkdir()
    path.write_text(draft.yaml(), encoding="utf-8")
    rs = load_ruleset(path, load_library(library_files(rules_root)))
    assert rs.model.trial.healthy_volunteers is True
    assert {c.id for c in rs.model.criteria} >= {"inc_01_age", "inc_02_ecog", "exc_01_pregnancy", "exc_02_infections"}


def test_items_drafted_in_part_or_not_at_all_keep_a_review_criterion() -> None:
    text = ("Inclusion Criteria:\n\n* Hemoglobin ≥ 9 g/dL and able to swallow tablets\n* Able to swallow tablets\n"
            "* Platelets ≥ 100 x 10^9/L\n* Hemoglobin ≥ 9 g/dL unless transfused recently\n* AST ≤ 2.5 x ULN")
    draft = draft_study(_record(text), "rec.json")
    by_id = {c["id"]: c for c in draft.criteria}
    assert set(by_id) == {"inc_01_hemoglobin", "inc_01_able_swallow_tablets", "inc_02_able_swallow_tablets",
                          "inc_03_platelets", "inc_04_hemoglobin_9_g_dl_unless", "inc_05_ast"}
    assert by_id["inc_01_able_swallow_tablets"]["review"] == (
        'partly drafted as inc_01_hemoglobin; the rest is free text not recognised: "able swallow tablets"')
    # a definition that does not account for its whole item is drafted at low confidence, saying so
    assert by_id["inc_01_hemoglobin"]["confidence"] == 0.6 and "says more" in by_id["inc_01_hemoglobin"]["reading"]
    assert by_id["inc_03_platelets"]["confidence"] == 0.8
    assert by_id["inc_02_able_swallow_tablets"]["review"] == "free text not recognised"
    # a condition ('unless ...'): recognised, left for review with the reading
    assert by_id["inc_04_hemoglobin_9_g_dl_unless"]["review"].startswith(
        "not computable as drafted: recognised hemoglobin: ≥ 9 g/dL, but the sentence also says 'unless")
    # a multiple of ULN is drafted as one, less certain (the limit is each result's reference range)
    assert by_id["inc_05_ast"]["when"] == {"latest": {"code": "ast", "le": "2.5 x ULN"}}
    assert by_id["inc_05_ast"]["confidence"] == 0.7
    s = draft.summary
    assert (s.drafted_items, s.partly_drafted_items, s.review_items) == (2, 1, 2)
    assert (s.drafted_criteria, s.review_criteria, s.criteria) == (3, 3, 6)
    assert s.lines()[1] == "  drafted: 3 items (2 fully, 1 in part), 3 draft definitions"


def test_a_stem_cell_transplant_of_either_donor_type_drafts_the_allogeneic_part_and_keeps_a_review() -> None:
    text = ("Inclusion Criteria:\n\n* Previous bone marrow transplantation\n* No history of HSCT\n\n"
            "Exclusion Criteria:\n\n* History of haematopoietic stem cell transplantation\n"
            "* Bone marrow transplant within the past year\n* Autologous stem cell transplant within 100 days")
    by_id = {c["id"]: c for c in draft_study(_record(text), "rec.json").criteria}
    # an exclusion of recipients: the allogeneic ones are part of it, drafted; the autologous ones left for review
    assert by_id["exc_01_hsct"]["when"] == {"procedure": {"code": "allo_hsct"}}
    assert by_id["exc_01_hsct"]["confidence"] == 0.6 and "allogeneic transplants only" in by_id["exc_01_hsct"]["reading"]
    assert "counts autologous transplants too" in by_id["exc_01_item"]["review"]
    assert by_id["exc_02_hsct"]["when"] == {"procedure": {"code": "allo_hsct", "within": "1 year"}}
    assert by_id["inc_02_hsct"]["when"] == {"not": {"procedure": {"code": "allo_hsct"}}} and "inc_02_item" in by_id
    # required (allogeneic only would turn autologous recipients away), or autologous only: nothing drafted
    assert "would turn away autologous recipients" in by_id["inc_01_previous_bone_marrow"]["review"]
    assert "when" not in by_id["exc_03_autologous_stem_cell_transplant"]


def test_review_reason_names_thresholds_and_windows_seen() -> None:
    draft = draft_study(_record("Exclusion Criteria:\n\n* Surgery within 4 weeks\n* Karnofsky ≥ 70"), "rec.json")
    reasons = [c["review"] for c in draft.criteria]
    assert reasons == ["free text not recognised (time windows seen: 4 weeks (event not recognised))",
                       "free text not recognised (thresholds seen: ≥ 70 (no known measure or unit))"]


def test_ids_are_slugs_made_unique() -> None:
    assert slug("Known HIV infection of the liver") == "known_hiv_infection_liver"
    assert slug("—") == "item"
    taken = {"inc_01_age"}
    assert unique_id("inc_01_age", taken) == "inc_01_age_2"
    assert unique_id("inc_01_age", taken) == "inc_01_age_3"
    assert len(unique_id("x" * 80, taken)) == 64


def test_not_a_record() -> None:
    with pytest.raises(RecordError, match="protocolSection"):
        draft_study({"studies": []}, "x.json")
    with pytest.raises(RecordError, match="nctId"):
        draft_study({"protocolSection": {"eligibilityModule": {}}}, "x.json")
    with pytest.raises(RecordError, match="eligibilityModule is missing"):
        draft_study({"protocolSection": {"identificationModule": {"nctId": "NCT12345678"}}}, "x.json")
    with pytest.raises(RecordError, match="no eligibility criteria"):
        draft_study(_record("", sex="ALL"), "x.json")


def test_unreadable_records_name_the_file(tmp_path: Path) -> None:
    cases = {"missing.json": None, "latin.json": b'{"a": "\xe9"}', "bad.json": b"{nope", "list.json": b"[]"}
    for name, content in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
    messages = {}
    for name in cases:
        with pytest.raises(RecordError) as e:
            load_record(tmp_path / name)
        messages[name] = str(e.value).removeprefix(f"{tmp_path / name}: ")
    assert messages["missing.json"] == "file not found"
    assert messages["latin.json"].startswith("not UTF-8 text: ")
    assert messages["bad.json"].startswith("not a JSON document: ")
    assert messages["list.json"] == "not a study record (expected a JSON object)"


def test_value_sets_the_library_has_are_not_copied() -> None:
    text = "Inclusion Criteria:\n\n* Platelets >= 100 x 10^9/L\n* Hemoglobin >= 9 g/dL"
    draft = draft_study(_record(text), "rec.json")
    data = draft.ruleset()
    assert set(data["value_sets"]) == {"platelets", "hemoglobin"}
    assert data["value_sets"]["platelets"]["codes"] == ["loinc:777-3", "loinc:26515-7"]
    assert set(draft.ruleset(library_value_sets={"platelets"})["value_sets"]) == {"hemoglobin"}
    assert "value_sets" not in draft.ruleset(library_value_sets={"platelets", "hemoglobin"})


def test_yaml_keeps_small_mappings_on_one_line_and_criteria_apart() -> None:
    draft = draft_study(_record("Inclusion Criteria:\n\n* Hemoglobin >= 9 g/dL\n* ECOG 0-1"), "rec.json")
    text = draft.yaml()
    assert text.startswith("# Draft rule set for NCT09999999, from the ClinicalTrials.gov record rec.json (API v2 JSON).\n")
    assert ("  hemoglobin: {title: haemoglobin (blood), codes: [loinc:718-7, loinc:59260-0], unit: g/dL, "
            "molar_mass: 16114 g/mol}\n") in text
    assert "\n\n  - id: inc_02_ecog\n" in text
    assert "    when:\n      latest: {code: ecog, between: [0, 1]}\n" in text


def test_inclusion_items_joined_by_or_are_alternatives_left_for_review() -> None:
    # an inclusion item ending in 'or' and the one after it are alternatives: neither is required alone
    # (the haemoglobin 'at screening': 'on two visits' is a value measured more than once, which its own cue reads)
    text = ("Inclusion Criteria:\n\n1. Hemoglobin ≥ 10 g/dL at screening; or\n"
            "2. Aged 50 years or older with a transfusion history\n3. Platelets ≥ 100 x 10^9/L\n\n"
            "Exclusion Criteria:\n\n1. Age under 18 years, or\n2. HIV infection")
    by_id = {c["id"]: c for c in draft_study(_record(text), "rec.json").criteria}
    assert not any("when" in c for i, c in by_id.items() if i.startswith(("inc_01", "inc_02")))
    assert "one of alternatives joined by 'or'" in by_id["inc_01_hemoglobin_10_g_dl_at_screening"]["review"]
    assert by_id["inc_03_platelets"]["when"] == {"latest": {"code": "platelets", "ge": "100 10*3/uL"}}
    # in an exclusion each alternative excludes on its own
    assert by_id["exc_01_age"]["when"] == {"age": {"lt": 18}}
