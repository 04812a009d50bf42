"""FHIR R4 import of real data: Synthea bundles and HL7 R4 examples (tests/fixtures/fhir), their
records reaching criteria, and screening a FHIR file with the CLI."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from patients.fhir import profile_from_fhir_json
from patients.model import PatientProfile
from screening.cli.main import app
from screening.runtime.evaluate import Screener
from tests.paths import REPO
from tests.patients.fhir.helpers import (
    HL7,
    JORDAN,
    NEREIDA,
    bundle,
    example,
    read,
)


def value_set(name: str) -> list[str]:
    data = YAML(typ="safe").load((REPO / "rules" / "library" / "value_sets.yaml").read_text(encoding="utf-8"))
    return list(data["value_sets"][name]["codes"])


def criterion(report: Any, trial_id: str, crit_id: str) -> Any:
    trial = next(r for r in report.results if r.trial_id == trial_id)
    return next(c for c in trial.criteria if c.id == crit_id)



# -- Synthea bundles --------------------------------------------------------------------------------

def test_every_synthea_bundle_imports(synthea: dict[str, tuple[PatientProfile, list[str]]]) -> None:
    assert set(synthea) == {"Jordan", "Luis", "Nereida"}
    expected = {"Jordan": ("3afaeb2a-9f18-40b5-8fe7-dfd882de2f2b", dt.date(1965, 7, 5), "female"),
                "Luis": ("d00b766a-f5fa-4730-a64d-e8574994f460", dt.date(1948, 10, 7), "male"),
                "Nereida": ("a92edacf-c0ab-4fc4-931f-033a8d4bf314", dt.date(1995, 10, 29), "female")}
    for name, (profile, warnings) in synthea.items():
        pid, birth, sex = expected[name]
        assert (profile.id, profile.birth_date, profile.sex and profile.sex.value) == (pid, birth, sex)
        assert profile.conditions and profile.observations and profile.medications and profile.procedures
        assert all(isinstance(w, str) and w for w in warnings)
        assert any(w.startswith("not used for screening: ") and "Claim" in w for w in warnings)


def test_luis_most_recent_creatinine(synthea: dict[str, tuple[PatientProfile, list[str]]]) -> None:
    codes = value_set("creatinine")
    assert "loinc:2160-0" in codes and "loinc:38483-4" in codes
    profile, _ = synthea["Luis"]
    creat = [o for o in profile.observations if f"{o.code.system}:{o.code.code}" in codes]
    assert len(creat) == 11 and {o.code.code for o in creat} == {"38483-4"}
    last = max(creat, key=lambda o: o.date)
    # Observation fa538d11-...: effectiveDateTime 2021-03-18T20:44:32+00:00, 3.019906527249928 mg/dL
    assert last.date == dt.date(2021, 3, 18)
    assert last.value == pytest.approx(3.02, abs=0.005)
    assert last.unit == "mg/dL" and last.comparator is None


def test_luis_creatinine_reaches_the_criterion(synthea: dict[str, tuple[PatientProfile, list[str]]],
                                               screener: Screener) -> None:
    profile, _ = synthea["Luis"]
    report = screener.screen(profile, dt.date(2021, 4, 1), ["NCT01420432"])
    c = criterion(report, "NCT01420432", "creatinine_below_176")
    assert c.status == "fail"
    ev = c.evidence[0]
    assert ev.date == dt.date(2021, 3, 18) and ev.unit == "mg/dL"
    assert ev.converted_unit == "umol/L" and ev.converted_value == pytest.approx(3.0199 * 88.42, rel=1e-3)


def test_luis_hypertension_only_possibly_uncontrolled_names_the_record_and_the_doubt(
        synthea: dict[str, tuple[PatientProfile, list[str]]], screener: Screener) -> None:
    """Essential hypertension (SNOMED 38341003) may or may not be uncontrolled: unknown, and the
    explanation says which record is in doubt and why (not 'details not recorded')."""
    profile, _ = synthea["Luis"]
    report = screener.screen(profile, dt.date(2026, 11, 22), ["EUCTR2015-000168-32-NL"])
    c = criterion(report, "EUCTR2015-000168-32-NL", "uncontrolled_hypertension")
    assert c.status == "unknown"
    assert "0 certain, up to 1 possible: Hypertension (snomed:38341003) from 1966-12-01 - may match: its code " \
           "names uncontrolled" in c.explanation
    assert "details" not in c.explanation


def test_jordan_serum_creatinine(synthea: dict[str, tuple[PatientProfile, list[str]]], screener: Screener) -> None:
    profile, _ = synthea["Jordan"]
    serum = [o for o in profile.observations if (o.code.system, o.code.code) == ("loinc", "2160-0")]
    assert len(serum) == 1
    (o,) = serum
    assert (o.date, o.unit) == (dt.date(2017, 6, 24), "mg/dL")
    assert o.value == pytest.approx(0.76, abs=0.005)
    # the serum code reaches the creatinine criterion through the value set: it is the latest on 2017-07-01
    report = screener.screen(profile, dt.date(2017, 7, 1), ["NCT01420432"])
    c = criterion(report, "NCT01420432", "creatinine_below_176")
    assert c.status == "pass"
    assert c.evidence[0].date == dt.date(2017, 6, 24) and "2160-0" in c.evidence[0].what
    # read by the rules, so not among the codes "no value set recognises" (which a reviewer checks)
    unread = {u.code for u in report.unrecognised_codes}
    assert not unread & {"loinc:2160-0", "loinc:38483-4"} and "loinc:2339-0" in unread


def test_jordan_non_ucum_units_are_warnings(synthea: dict[str, tuple[PatientProfile, list[str]]]) -> None:
    profile, warnings = synthea["Jordan"]
    # the lab spellings are read through the documented table, and the warning names the mapping
    k = next(w for w in warnings if "'K/uL'" in w)
    assert "Observation/cfab41a9-ec70-4496-baf8-7e06225e9982" in k and "Observation/a5565877-f333-492b-a3ed-7566a97ba504" in k
    assert "valueQuantity: unit 'K/uL' read as UCUM '10*3/uL'" in k
    iu = next(w for w in warnings if "'IU/L'" in w)
    for rid in ("33972fc6-3faf-4db7-ad15-76f28a8e4fd2", "41a8b6eb-cb88-412e-825f-bf9a3e4be4af",
                "247301c2-f531-4b1a-b927-b11bc0403a4d"):
        assert f"Observation/{rid}" in iu
    assert "read as UCUM '[IU]/L'" in iu
    assert any("'M/uL' read as UCUM '10*6/uL'" in w and "Observation/3736ab53-a21a-409c-ab77-99f6e62438f0" in w
               for w in warnings)
    assert not [o for o in profile.observations if o.unit in ("K/uL", "IU/L", "M/uL")]
    assert {o.unit for o in profile.observations} >= {"10*3/uL", "[IU]/L", "10*6/uL"}
    # the same test in a UCUM unit (Luis's ALT in U/L) is imported
    alt = [o for o in synthea["Luis"][0].observations if o.code.code == "1742-6"]
    assert len(alt) == 1 and alt[0].unit == "U/L"


def _pregnancy_exclusions() -> dict[str, str]:
    """trial id -> id of an exclusion criterion whose definition refers to pregnancy."""
    out = {}
    yaml = YAML(typ="safe")
    for path in sorted((REPO / "rules").glob("*/trial.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"))
        for c in doc.get("criteria", []):
            when = json.dumps(c.get("when"))
            if c.get("kind") == "exclusion" and any(k in when for k in ('"pregnant"', '"pregnant_or_lactating"', '"pregnancy"')):
                out[doc["trial"]["id"]] = c["id"]
    return out


def _women_only(trial_id: str, crit_id: str) -> bool:
    doc = YAML(typ="safe").load((REPO / "rules" / trial_id / "trial.yaml").read_text(encoding="utf-8"))
    c = next(c for c in doc["criteria"] if c["id"] == crit_id)
    return '"sex": ["female"]' in json.dumps(c["when"])


def test_nereida_pregnancy_excludes(synthea: dict[str, tuple[PatientProfile, list[str]]], screener: Screener) -> None:
    exclusions = _pregnancy_exclusions()
    # the trials whose exclusions include a recorded pregnancy today (NCT01420432 excludes a
    # positive hCG test, not a pregnancy diagnosis); trials added later are covered by the discovery
    assert {"EUCTR2015-000168-32-NL", "NCT02566655"} <= set(exclusions)
    profile, _ = synthea["Nereida"]
    preg = [c for c in profile.conditions if (c.code.system, c.code.code) == ("snomed", "72892002")]
    assert len(preg) == 1 and preg[0].clinical_status and preg[0].clinical_status.value == "active"
    assert preg[0].onset == dt.date(2021, 3, 21)
    report = screener.screen(profile, dt.date(2021, 6, 1), list(exclusions))
    for trial_id, crit_id in exclusions.items():
        assert criterion(report, trial_id, crit_id).status == "fail", trial_id
        assert next(r for r in report.results if r.trial_id == trial_id).verdict == "ineligible"
    # before the onset the pregnancy is not known: it excludes nobody
    before = screener.screen(profile, dt.date(2021, 3, 1), list(exclusions))
    for trial_id, crit_id in exclusions.items():
        assert criterion(before, trial_id, crit_id).status != "fail", trial_id
    # where the rule applies to women only, the same record on a man does not exclude
    data = read(NEREIDA)
    next(e for e in data["entry"] if e["resource"]["resourceType"] == "Patient")["resource"]["gender"] = "male"
    male, _ = profile_from_fhir_json(data)
    as_male = screener.screen(male, dt.date(2021, 6, 1), list(exclusions))
    women_only = {t for t, c in exclusions.items() if _women_only(t, c)}
    assert "EUCTR2015-000168-32-NL" in women_only and "NCT02566655" not in women_only
    for trial_id, crit_id in exclusions.items():
        status = criterion(as_male, trial_id, crit_id).status
        assert (status != "fail") if trial_id in women_only else (status == "fail"), trial_id


def test_stopped_orders_end_on_their_start(synthea: dict[str, tuple[PatientProfile, list[str]]]) -> None:
    profile, warnings = synthea["Nereida"]
    assert all(m.end == m.start for m in profile.medications)  # every order in this record is stopped
    assert any("status: over but no end date" in w and "MedicationRequest/" in w for w in warnings)
    luis, _ = synthea["Luis"]
    oxaliplatin = next(m for m in luis.medications if m.code.code == "1736776")
    assert (oxaliplatin.code.system, oxaliplatin.start, oxaliplatin.end) == ("rxnorm", dt.date(2021, 3, 18), None)


# -- HL7 R4 examples ---------------------------------------------------------------------------------

HL7_SUBJECTS = {
    "condition-example-f202-malignancy.json": "f201",
    "condition-example.json": "example",
    "medicationrequestexample1.json": "pat1",
    "medicationstatementexample1.json": "pat1",
    "observation-example-f001-glucose.json": "f001",
    "observation-example-f204-creatinine.json": "f201",
    "observation-example-f205-egfr.json": "f201",
    "observation-example.json": "example",
}


@pytest.mark.parametrize("name", sorted(HL7_SUBJECTS))
def test_hl7_examples_import(name: str) -> None:
    profile, warnings = example(name, HL7_SUBJECTS[name])
    assert profile.id == HL7_SUBJECTS[name]
    records = profile.conditions + profile.observations + profile.medications + profile.procedures
    # every example yields records except f204, whose only value is left out (with a warning)
    assert records or (name.endswith("f204-creatinine.json") and warnings)


def test_hl7_patient_and_transaction_bundle() -> None:
    profile, warnings = profile_from_fhir_json(bundle(read(HL7 / "patient-example.json")))
    assert (profile.id, profile.birth_date, profile.sex and profile.sex.value) == ("example", dt.date(1974, 12, 25), "male")
    assert warnings == []
    profile, warnings = profile_from_fhir_json(read(HL7 / "bundle-transaction.json"))
    # five Patient entries (DELETE and GET entries carry no resource): the first is the profile
    assert profile.id == "61ebe359-bfdc-4613-8bf2-c5e300945f0a" and profile.birth_date == dt.date(1974, 12, 25)
    assert any(w.startswith("5 Patient resources") and "Patient/123" in w for w in warnings)
    assert "not used for screening: 1 Parameters" in warnings


def test_f204_snomed_coded_unit_is_read_from_its_text() -> None:
    profile, warnings = example("observation-example-f204-creatinine.json", "f201")
    # coded in SNOMED CT, written "umol/L": the text is the UCUM unit it means, read with a warning
    assert [(o.value, o.unit) for o in profile.observations] == [(122.0, "umol/L")]
    assert warnings == ["Observation/f204 valueQuantity: unit 'umol/L' has no UCUM code: read as the UCUM unit it spells"]


def test_f205_components_and_comparator() -> None:
    profile, warnings = example("observation-example-f205-egfr.json", "f201")
    # each component's only range is for adults of one group (age, appliesTo): not taken as everyone's
    assert warnings == [f"Observation/f205 component[{i}].referenceRange[0]: a range for part of the population "
                        "(appliesTo, age): not used" for i in (0, 1)]
    assert all(o.reference_range is None for o in profile.observations)
    by_code = {o.code.code: o for o in profile.observations}
    assert set(by_code) == {"48643-1", "48642-3"}  # the parent has no value of its own
    gt = by_code["48643-1"]
    assert (gt.value, gt.unit, gt.comparator and gt.comparator.value) == (60.0, "mL/min/{1.73_m2}", ">")
    assert by_code["48642-3"].comparator is None and by_code["48642-3"].value == 60.0
    # no effective[x]: the date is `issued` (2013-04-04T14:34:00+01:00)
    assert {o.date for o in profile.observations} == {dt.date(2013, 4, 4)}


def test_f001_effective_period() -> None:
    profile, _ = example("observation-example-f001-glucose.json", "f001")
    (o,) = profile.observations
    # effectivePeriod has only a start (2013-04-02T09:30:10+01:00); issued is a day later
    assert (o.code.code, o.date, o.value, o.unit) == ("15074-8", dt.date(2013, 4, 2), 6.3, "mmol/L")
    # its normal range, 3.1-6.2 mmol/L, in UCUM limits
    assert o.reference_range is not None
    assert (o.reference_range.low, o.reference_range.high, o.reference_range.unit) == (3.1, 6.2, "mmol/L")


def test_malignancy_onset_and_abatement_ages(screener: Screener) -> None:
    profile, warnings = example("condition-example-f202-malignancy.json", "f201")
    assert warnings == []
    (c,) = profile.conditions
    assert (c.code.system, c.code.code) == ("snomed", "363346000")
    assert c.onset == dt.date(2012, 3, 13) and c.abatement == dt.date(2014, 3, 13)  # ages 52 and 54
    assert c.clinical_status and c.clinical_status.value == "resolved"
    assert c.body_site == "Entire head and neck"
    # without a birth date the ages cannot be dates: the condition stays, its dates do not
    profile, warnings = example("condition-example-f202-malignancy.json", "f201", birth=None)
    (c,) = profile.conditions
    assert c.onset is None and c.abatement is None
    assert any("Condition/f202 onsetAge" in w and "birth date" in w for w in warnings)


def test_medications_contained_and_ingredients() -> None:
    profile, warnings = example("medicationrequestexample1.json", "pat1")
    (m,) = profile.medications
    assert (m.code.system, m.code.code, m.route and m.route.value, m.start, m.end) == (
        "snomed", "317935006", "oral", dt.date(2015, 1, 15), None)
    assert m.dose is None and any("'TAB'" in w and "dose" in w for w in warnings)
    profile, warnings = example("medicationstatementexample1.json", "pat1")
    assert {(m.code.system, m.code.code) for m in profile.medications} == {("rxnorm", "315266"), ("rxnorm", "901813")}
    assert all(m.start == dt.date(2015, 1, 23) and m.route and m.route.value == "oral" for m in profile.medications)
    assert any("ndc" in w and "ingredients" in w for w in warnings)


def test_observation_with_several_codings_keeps_loinc() -> None:
    profile, _ = profile_from_fhir_json(bundle(read(HL7 / "patient-example.json"), read(HL7 / "observation-example.json")))
    (o,) = profile.observations
    assert (o.code.system, o.code.code, o.unit, o.date) == ("loinc", "29463-7", "[lb_av]", dt.date(2016, 3, 28))


# -- the CLI on a FHIR file ------------------------------------------------------------------------

def test_cli_check_on_a_fhir_bundle(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["check", str(JORDAN), "--as-of", "2021-01-01", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["patient_id"] == "3afaeb2a-9f18-40b5-8fe7-dfd882de2f2b"
    assert any(w.startswith("import: ") and "'K/uL'" in w for w in doc["warnings"])
    res = runner.invoke(app, ["check", str(JORDAN), "--as-of", "2021-01-01", "--trial", "NCT01420432"])
    assert res.exit_code == 0, res.output
    assert "warning: import: " in res.stdout and "K/uL" in res.stdout
    bad = copy.deepcopy(read(HL7 / "bundle-transaction.json"))
    bad["type"] = "history"
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    res = runner.invoke(app, ["check", str(tmp_path / "bad.json")])


def test_luis_active_chemotherapy_is_never_read_as_absent(synthea: dict[str, tuple[PatientProfile, list[str]]],
                                                          screener: Screener) -> None:
    """Luis has active RxNorm-coded orders for oxaliplatin and leucovorin; NCT02566655's immunosuppressive
    or antiproliferative therapy is written in ATC (L01, L04). The rules cannot tell which of his
    active medications is one: the exclusion is unknown, naming every active one and why, not
    'does not apply (assumed absent)' as it was."""
    profile, _ = synthea["Luis"]
    report = screener.screen(profile, dt.date(2026, 11, 22), ["NCT02566655"])
    c = criterion(report, "NCT02566655", "immunosuppressive_therapy")
    assert c.status == "unknown" and not c.assumptions
    assert "0 certain, up to 4 possible" in c.explanation
    assert "10 ML oxaliplatin 5 MG/ML Injection (rxnorm:1736776) from 2021-03-18" in c.explanation
    assert "may match: coded in RxNorm only, and the codes for immunosuppressive or antiproliferative therapy " \
           "are in ATC" in c.explanation
    oxaliplatin = next(e for e in c.evidence if "oxaliplatin" in e.what)
    assert oxaliplatin.record.startswith("medications[") and oxaliplatin.date == dt.date(2021, 3, 18)
    # a stopped order cannot be an active therapy, whatever it is: ibuprofen is not among them
    assert "Ibuprofen" not in c.explanation


def test_synthea_immunizations_are_vaccines_given(synthea: dict[str, tuple[PatientProfile, list[str]]]) -> None:
    """Synthea's Immunization resources (CVX) were dropped as 'not used for screening', so a
    vaccination window ('a vaccine within 30 days') read them as absent. Each is now a medication
    record of its day, coded in CVX."""
    profile, warnings = synthea["Jordan"]
    vaccines = [m for m in profile.medications if m.code.system == "cvx"]
    assert len(vaccines) == 12 and all(m.start == m.end for m in vaccines)
    last = max(vaccines, key=lambda m: m.start)
    assert (last.code.code, last.start) == ("140", dt.date(2020, 11, 30))
    assert last.code.display == "Influenza, seasonal, injectable, preservative free"
    assert not any("Immunization" in w for w in warnings)


def test_nereida_old_pregnancy_is_named_where_pregnancy_is_unknown(
        synthea: dict[str, tuple[PatientProfile, list[str]]], screener: Screener) -> None:
    """A pregnancy recorded in 2021 without an end has run its course by today: whether she is
    pregnant now is unknown (no status recorded), and the explanation a clinician reads says the
    old record was read and why it no longer counts, not only "pregnancy status: not recorded"."""
    exclusions = _pregnancy_exclusions()
    profile, _ = synthea["Nereida"]
    report = screener.screen(profile, dt.date(2026, 12, 7), list(exclusions))
    old = "Normal pregnancy (snomed:72892002) recorded from 2021-03-21 without an end: taken as over by " \
          "2022-01-09 (natural course 42 weeks)"
    unknown = []
    for trial_id, crit_id in exclusions.items():
        c = criterion(report, trial_id, crit_id)
        assert old in c.assumptions, trial_id
        if c.status != "unknown":  # NCT02566655 (women of 50 to 70) takes an unrecorded pregnancy as absent
            continue
        unknown.append(trial_id)
        assert "pregnancy status" in c.missing_data, trial_id
        assert "Normal pregnancy (snomed:72892002) recorded from 2021-03-21 without an end: taken as over by " \
               "2022-01-09 (natural course 42 weeks)" in c.explanation, (trial_id, c.explanation)
        # the absences assumed for lack of any record are not quoted on an unknown
        assert "hCG" not in c.explanation.split("[assumed:")[-1], (trial_id, c.explanation)
    assert "EUCTR2015-000168-32-NL" in unknown
