"""FHIR R4 import, one resource type at a time: small resources of every shape the mappers
handle (fhir.resources), what they give and what they warn about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.fhir import profile_from_fhir_json
from tests.patients.fhir.helpers import (
    bundle,
    obs,
    patient,
)


def test_observation_value_kinds() -> None:
    qty = {"value": 1.1, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"}
    hcg = {"coding": [{"system": "http://loinc.org", "code": "2106-3"}]}
    resources = [
        patient(),
        obs("q", valueQuantity=qty),
        obs("i", valueInteger=2, code={"coding": [{"system": "http://loinc.org", "code": "89247-1"}]}),
        obs("cc", code=hcg, valueCodeableConcept={"coding": [{"system": "http://snomed.info/sct", "code": "10828004", "display": "Positive"}]}),
        obs("s", code=hcg, valueString="negative"),
        obs("b", valueBoolean=True),
        obs("nodate", valueQuantity=qty, effectiveDateTime=None),
        obs("partial", valueQuantity=qty, effectiveDateTime="2020-01", issued="2020-01-20T10:00:00Z"),
        obs("nounit", valueQuantity={"value": 3, "unit": "mg/dL"}),
        obs("cancelled", valueQuantity=qty, status="cancelled"),
        obs("other-system", valueQuantity=qty, code={"coding": [{"system": "http://example.org/codes", "code": "x"}]}),
        obs("local", valueQuantity=qty, code={"coding": [{"system": "https://intranet.example.nl/lab", "code": "20005"}]}),
    ]
    for r in resources:
        if r.get("effectiveDateTime") is None:
            r.pop("effectiveDateTime", None)
    profile, warnings = profile_from_fhir_json(bundle(*resources))
    got = {(o.code.system, o.code.code, o.value, o.unit, o.result, o.date) for o in profile.observations}
    assert got == {
        ("loinc", "2160-0", 1.1, "mg/dL", None, dt.date(2020, 1, 2)),
        ("loinc", "89247-1", 2.0, None, None, dt.date(2020, 1, 2)),
        ("loinc", "2106-3", None, None, "positive", dt.date(2020, 1, 2)),
        ("loinc", "2106-3", None, None, "negative", dt.date(2020, 1, 2)),
        ("loinc", "2160-0", 1.1, "mg/dL", None, dt.date(2020, 1, 20)),  # partial effective date: issued
        ("local", "20005", 1.1, "mg/dL", None, dt.date(2020, 1, 2)),
        ("loinc", "2160-0", 3.0, "mg/dL", None, dt.date(2020, 1, 2)),  # unit text only: read as the UCUM it spells
    }
    text = "\n".join(warnings)
    for needle in ("Observation/b valueBoolean", "Observation/nodate effective[x]: no usable date",
                   "Observation/partial effectiveDateTime: '2020-01' is not a full date",
                   "Observation/nounit valueQuantity: unit 'mg/dL' has no UCUM code: read as the UCUM unit it spells",
                   "Observation/cancelled status: 'cancelled'",
                   "Observation/other-system code: code system http://example.org/codes is not one the profile knows"):
        assert needle in text, needle


def test_condition_statuses_and_periods() -> None:
    base = {"resourceType": "Condition", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "O09.90"},
                                {"system": "http://snomed.info/sct", "code": "72892002"}]}}
    refuted = dict(base, id="refuted", verificationStatus={"coding": [{"code": "refuted"}]})
    period = dict(base, id="period", onsetPeriod={"start": "2019-01-01", "end": "2019-02-01"},
                  abatementPeriod={"start": "2019-09-01", "end": "2019-10-01"},
                  clinicalStatus={"coding": [{"code": "resolved"}]})
    icd = dict(base, id="icd", code={"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "C18.9"}]},
               onsetDateTime="2018")
    profile, warnings = profile_from_fhir_json(bundle(patient(), refuted, period, icd))
    assert [(c.code.system, c.code.code) for c in profile.conditions] == [("snomed", "72892002"), ("icd10", "C18.9")]
    c = profile.conditions[0]
    assert (c.onset, c.abatement) == (dt.date(2019, 1, 1), dt.date(2019, 10, 1))  # widest interval
    assert profile.conditions[1].onset is None
    assert "Condition/refuted verificationStatus: refuted: not imported" in warnings
    assert any(w.startswith("Condition/icd onsetDateTime: '2018' is not a full date") for w in warnings)


def test_medication_administration_research_subject_consent() -> None:
    med = {"resourceType": "Medication", "id": "m1",
           "code": {"coding": [{"system": "http://www.whocc.no/atc", "code": "L04AX03"}]}}
    admin = {"resourceType": "MedicationAdministration", "id": "a1", "status": "completed",
             "medicationReference": {"reference": "urn:uuid:00000000-0000-0000-0000-0000000000aa"},
             "subject": {"reference": "urn:uuid:00000000-0000-0000-0000-000000000001"},
             "effectivePeriod": {"start": "2020-05-01T08:00:00+02:00", "end": "2020-05-01T09:00:00+02:00"},
             "dosage": {"route": {"text": "Intravenous"},
                        "dose": {"value": 15, "system": "http://unitsofmeasure.org", "code": "mg"}}}
    study = {"resourceType": "ResearchStudy", "id": "s1", "status": "active",
             "identifier": [{"system": "https://clinicaltrials.gov", "value": "NCT00000001"}]}
    subject = {"resourceType": "ResearchSubject", "id": "rs1", "status": "off-study",
               "study": {"reference": "ResearchStudy/s1"},
               "individual": {"reference": "urn:uuid:00000000-0000-0000-0000-000000000001"},
               "period": {"start": "2020-01-01", "end": "2020-03-01"}}
    consent = {"resourceType": "Consent", "id": "c1", "status": "active",
               "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "research"}]},
               "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
               "patient": {"reference": "urn:uuid:00000000-0000-0000-0000-000000000001"},
               "dateTime": "2020-04-20", "performer": [{"reference": "RelatedPerson/rp1"}],
               "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]}}
    data = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:00000000-0000-0000-0000-000000000001", "resource": patient("p1"),
         "request": {"method": "POST", "url": "Patient"}},
        {"fullUrl": "urn:uuid:00000000-0000-0000-0000-0000000000aa", "resource": med,
         "request": {"method": "POST", "url": "Medication"}},
        {"resource": admin, "request": {"method": "POST", "url": "MedicationAdministration"}},
        {"resource": study, "request": {"method": "POST", "url": "ResearchStudy"}},
        {"resource": subject, "request": {"method": "POST", "url": "ResearchSubject"}},
        {"resource": consent, "request": {"method": "POST", "url": "Consent"}},
    ]}
    profile, warnings = profile_from_fhir_json(data)
    assert warnings == []
    (m,) = profile.medications
    assert (m.code.system, m.code.code, m.route and m.route.value, m.start, m.end) == (
        "atc", "L04AX03", "intravenous", dt.date(2020, 5, 1), dt.date(2020, 5, 1))
    assert m.dose is not None and (m.dose.value, m.dose.unit) == (15.0, "mg")
    (tp,) = profile.administrative.trial_participations
    assert (tp.trial_id, tp.start, tp.end) == ("NCT00000001", dt.date(2020, 1, 1), dt.date(2020, 3, 1))
    ic = profile.administrative.informed_consent
    assert ic is not None and (ic.signed, ic.date, ic.by_representative) == (True, dt.date(2020, 4, 20), True)
    # a withdrawn (inactive) consent dated later overrides; a privacy consent is not research consent
    later = dict(consent, id="c2", status="inactive", dateTime="2020-06-01", performer=[])
    privacy = dict(consent, id="c3", scope={"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                                        "code": "patient-privacy"}]})
    data["entry"] += [{"resource": later}, {"resource": privacy}]
    profile, warnings = profile_from_fhir_json(data)
    ic = profile.administrative.informed_consent
    assert ic is not None and (ic.signed, ic.date) == (False, dt.date(2020, 6, 1))
    assert any(w.startswith("Consent/c3 scope: patient-privacy") for w in warnings)


def test_medication_request_periods_and_statuses() -> None:
    def req(rid: str, **kw: Any) -> dict[str, Any]:
        r: dict[str, Any] = {"resourceType": "MedicationRequest", "id": rid, "status": "stopped", "intent": "order",
                             "subject": {"reference": "Patient/p1"}, "authoredOn": "2020-01-01",
                             "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                                       "code": "1736776"}]}}
        r.update(kw)
        return r

    def timing(repeat: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"timing": {"repeat": repeat}}]

    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    profile, warnings = profile_from_fhir_json(bundle(
        patient(),
        req("nodates", authoredOn="2020-03"),
        req("planned", status="active", dosageInstruction=timing({"boundsPeriod": {"start": "2020-01-02", "end": future}})),
        req("ten-days", status="completed", dosageInstruction=timing(
            {"boundsDuration": {"value": 10, "system": "http://unitsofmeasure.org", "code": "d"}})),
        req("draft", status="draft"),
        req("plan", intent="plan"),
        obs("group", valueInteger=1, subject={"reference": "Group/g1"}),
    ))
    assert sorted((m.start, m.end) for m in profile.medications) == [
        (dt.date(2020, 1, 1), dt.date(2020, 1, 11)), (dt.date(2020, 1, 2), None)]
    assert profile.observations == []
    for needle in ("MedicationRequest/nodates authoredOn: a finished course with no dates: not imported",
                   "MedicationRequest/planned end: planned end after today: recorded as ongoing",
                   "MedicationRequest/draft status: 'draft': not imported",
                   "MedicationRequest/plan intent: 'plan' is not an order: not imported",
                   "Observation/group subject: refers to Group/g1, not a patient: not imported"):
        assert needle in warnings, needle


def test_hl7_route_codes_dose_ranges_and_interpretation_codes() -> None:
    statement = {"resourceType": "MedicationStatement", "id": "ms1", "status": "active",
                 "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2020-02-01",
                 "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "B01AC11"}]},
                 "dosage": [{"route": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration",
                                                   "code": "IVINFUS"}]},
                             "doseAndRate": [{"doseRange": {"low": {"value": 0.5}, "high": {"value": 2}}}]}]}
    interpreted = obs("hcg", code={"coding": [{"system": "http://loinc.org", "code": "2106-3"}]},
                      valueCodeableConcept={"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                                                        "code": "NEG"}]})
    profile, warnings = profile_from_fhir_json(bundle(patient(), statement, interpreted))
    (m,) = profile.medications
    assert (m.route and m.route.value, m.dose, m.start, m.end) == ("intravenous", None, dt.date(2020, 2, 1), None)
    (o,) = profile.observations
    assert (o.code.code, o.result) == ("2106-3", "negative")
    assert warnings == ["MedicationStatement/ms1 dosage[0].doseAndRate[0].doseRange: a dose range is not mapped: "
                        "dose not recorded"]
