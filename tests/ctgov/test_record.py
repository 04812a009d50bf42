"""Reading study records of every layout, and fields of unexpected types."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from screening.ctgov.draft import draft_study
from screening.ctgov.record import (
    CLASSIC_JSON,
    CLASSIC_XML,
    V2,
    RecordError,
    load_record,
    parse_record,
    read_study,
)
from tests.ctgov.records import RECORDS, needs_records


def _v2(**elig: Any) -> dict[str, Any]:
    return {"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": "A study"},
                                "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Age >= 18 years",
                                                      **elig}}}


def test_fields_of_unexpected_types_are_left_out_with_a_note() -> None:
    record = _v2(healthyVolunteers="maybe", sex=3)
    ps = record["protocolSection"]
    ps["sponsorCollaboratorsModule"] = {"leadSponsor": "Acme"}
    ps["conditionsModule"] = {"conditions": "Asthma"}
    ps["identificationModule"]["organization"] = ["not", "an", "object"]
    study = read_study(record)
    assert (study.sponsor, study.conditions, study.healthy_volunteers, study.sex) == (None, ("Asthma",), None, "3")
    assert "sponsorCollaboratorsModule.leadSponsor is not an object: ignored" in study.notes
    assert "conditionsModule.conditions is one text, not a list: read as one condition" in study.notes
    draft = draft_study(study, "rec.json")
    assert draft.trial["conditions"] == ["Asthma"] and "sponsor" not in draft.trial
    assert any("leadSponsor" in line for line in draft.summary.lines())


def test_criteria_that_are_not_text() -> None:
    study = read_study(_v2(eligibilityCriteria={"text": "x"}, minimumAge="18 Years"))
    assert study.eligibility_text == "" and "eligibilityModule.eligibilityCriteria is not text: ignored" in study.notes
    draft = draft_study(study, "rec.json")  # the structured age still makes a rule set
    assert [c["id"] for c in draft.criteria] == ["registry_age"]
    as_lines = read_study(_v2(eligibilityCriteria=["Inclusion Criteria:", "* Age >= 18 years"]))
    assert as_lines.eligibility_text == "Inclusion Criteria:\n* Age >= 18 years"
    with pytest.raises(RecordError, match="no eligibility criteria"):
        draft_study(_v2(eligibilityCriteria=None), "x.json")


def test_an_age_that_cannot_be_read_is_left_out() -> None:
    draft = draft_study(_v2(minimumAge="eighteen", maximumAge="65 Years"), "rec.json")
    age = next(c for c in draft.criteria if c["id"] == "registry_age")
    assert age["when"] == {"age": {"le": 65}} and age["text"] == "maximumAge: 65 Years"
    assert any("minimumAge" in n and "left out" in n for n in draft.summary.notes)


def test_a_search_answer_with_one_study() -> None:
    assert read_study({"studies": [_v2()]}).nct_id == "NCT09999999"
    with pytest.raises(RecordError, match="no protocolSection"):
        read_study({"studies": [_v2(), _v2()]})


CLASSIC = ('{"FullStudiesResponse": {"FullStudies": [{"Rank": 1, "Study": {"ProtocolSection": {'
           '"IdentificationModule": {"NCTId": "NCT00000001", "BriefTitle": "Classic"},'
           '"SponsorCollaboratorsModule": {"LeadSponsor": {"LeadSponsorName": "NCI"}},'
           '"ConditionsModule": {"ConditionList": {"Condition": ["Lung Cancer"]}},'
           '"EligibilityModule": {"EligibilityCriteria": "Inclusion Criteria:\\n\\nAge 18 to 70",'
           '"HealthyVolunteers": "No", "Gender": "Female", "MinimumAge": "18 Years", "MaximumAge": "N/A"}}}}]}}')
XML = """<?xml version="1.0" encoding="UTF-8"?>
<clinical_study>
  <id_info><nct_id>NCT00000002</nct_id></id_info>
  <brief_title>Legacy</brief_title>
  <sponsors><lead_sponsor><agency>Acme</agency></lead_sponsor></sponsors>
  <condition>Asthma</condition><condition>COPD</condition>
  <eligibility>
    <criteria>
      <textblock>
        Inclusion Criteria:&#xD;
&#xD;
          -  Age at least 18&#xD;
      </textblock>
    </criteria>
    <gender>All</gender>
    <minimum_age>18 Years</minimum_age>
    <maximum_age>N/A</maximum_age>
    <healthy_volunteers>Accepts Healthy Volunteers</healthy_volunteers>
  </eligibility>
</clinical_study>"""


def test_classic_api_json_and_classic_xml() -> None:
    classic = parse_record(CLASSIC)
    assert (classic.nct_id, classic.layout, classic.title, classic.sponsor, classic.conditions) == (
        "NCT00000001", CLASSIC_JSON, "Classic", "NCI", ("Lung Cancer",))
    assert (classic.healthy_volunteers, classic.sex, classic.minimum_age, classic.maximum_age) == (
        False, "FEMALE", "18 Years", None)
    xml = parse_record(XML)
    assert (xml.nct_id, xml.layout, xml.sponsor, xml.conditions, xml.healthy_volunteers, xml.maximum_age) == (
        "NCT00000002", CLASSIC_XML, "Acme", ("Asthma", "COPD"), True, None)
    assert "-  Age at least 18" in xml.eligibility_text
    draft = draft_study(xml, "x.xml")
    assert draft.summary.items == {"inclusion": 1, "exclusion": 0} and draft.summary.layout == CLASSIC_XML
    with pytest.raises(RecordError, match="not an XML document"):
        parse_record("<clinical_study>")
    with pytest.raises(RecordError, match="<rss> is not"):
        parse_record("<rss/>")


ARCHIVE_XML = """<clinical_study>
<study_id>
<org_name>
  ACME
</org_name>
<nct_id>
  NCT00000003
</nct_id>
</study_id>
<brief_title>
<textblock>
  Archived Study
</textblock>
</brief_title>
<study_sponsor>
<lead_sponsor>
<agency>
  Acme Research
</agency>
</lead_sponsor>
</study_sponsor>
<condition>
  Gout
</condition>
<eligibility>
<criteria>
<textblock>
  Inclusion Criteria:
    - Serum urate at least 6 mg/dL
</textblock>
</criteria>
<gender>
  Both
</gender>
<minimum_age>
  21 Years
</minimum_age>
<maximum_age>
</maximum_age>
</eligibility>
</clinical_study>
"""


def test_the_older_archive_xml_layout_is_classic_xml() -> None:
    # the registry's older XML (study_id, titles in textblocks, study_sponsor) reads as the download
    study = parse_record(ARCHIVE_XML)
    assert (study.nct_id, study.layout, study.title, study.sponsor, study.conditions) == (
        "NCT00000003", CLASSIC_XML, "Archived Study", "Acme Research", ("Gout",))
    assert (study.sex, study.minimum_age, study.maximum_age) == ("BOTH", "21 Years", None)
    assert "Serum urate at least 6 mg/dL" in study.eligibility_text


@needs_records
def test_every_fixture_record_is_read() -> None:
    assert RECORDS is not None
    layouts = {load_record(p).layout for p in RECORDS.iterdir() if p.suffix in (".json", ".xml")}
    assert layouts == {V2, CLASSIC_JSON, CLASSIC_XML}


def test_unreadable_files_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text("<clinical_study><id_info>", encoding="utf-8")
    with pytest.raises(RecordError, match="bad.xml: not an XML document"):
        load_record(tmp_path / "bad.xml")


def test_an_entity_expansion_bomb_is_refused_quickly() -> None:
    """Nested entities ('billion laughs') are refused by the XML parser, not expanded."""
    entities = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    text = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lolololol">{entities}]>'
            "<clinical_study><brief_title>&lol9;</brief_title></clinical_study>")
    with pytest.raises(RecordError, match="not an XML document: limit on input amplification"):
        parse_record(text)


def test_a_record_file_over_the_size_limit_is_refused_unread_naming_it(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    record = tmp_path / "NCT09999999.json"
    record.write_text(json.dumps(_v2()), encoding="utf-8")
    size = record.stat().st_size
    monkeypatch.setenv("SCREENING_MAX_CTGOV_FILE_BYTES", str(size))  # at the limit: read
    assert load_record(record).nct_id == "NCT09999999"
    monkeypatch.setenv("SCREENING_MAX_CTGOV_FILE_BYTES", str(size - 1))  # one byte over: refused before parsing
    with pytest.raises(RecordError, match=rf"^{re.escape(str(record))}: the file is larger than {size - 1} bytes "
                                          r"\(the limit is \$SCREENING_MAX_CTGOV_FILE_BYTES, default 16777216\)$"):
        load_record(record)
    monkeypatch.setenv("SCREENING_MAX_CTGOV_FILE_BYTES", "lots")
    with pytest.raises(RecordError, match=r"NCT09999999.json: \$SCREENING_MAX_CTGOV_FILE_BYTES must be a whole number"):
        load_record(record)
