"""Export a patient profile as FHIR R4: one `collection` Bundle per patient.

Every entry has a `urn:uuid:` fullUrl (a UUID derived from the profile id, so the same profile
always gives the same Bundle) and records refer to the Patient entry by that fullUrl. Everything
a criterion can use is mapped, and `patients.fhir.profile_from_fhir_json` reads it all back
(see README, "FHIR input"):

* Patient: `birthDate`, `gender`; the profile id as `id` (when it is a valid FHIR id) and always
  as an identifier in the `patient-id` naming system below.
* Coded records (conditions, observations, medications, procedures): `code` and `other_codes`
  as the codings of one CodeableConcept, `code` first; with several codings, `code` carries the
  `primary-coding` extension (valueBoolean true), which tells the importer which one it is.
* Condition: `code`, `clinicalStatus`, `verificationStatus`, `onsetDateTime`,
  `abatementDateTime`, `bodySite.text`; the diagnostic criteria sets as repeated
  `diagnostic-criteria` extensions (valueString), in order.
* Observation: `valueQuantity` (value, comparator, UCUM unit as `system`/`code`), or a coded
  result as `valueCodeableConcept` (SNOMED CT for positive, negative, detected, ... with the
  result as text) or `valueString`; a result recorded next to a value goes in an
  `observation-result` extension; the scored answer a value was read from (`answer`, e.g.
  ECOG LOINC LA9623-5) as `interpretation`, as mCODE sends an ECOG score; `effectiveDateTime`.
* MedicationStatement: `medicationCodeableConcept`, `status` (`completed` when the course has
  an end, else `active`), `effectivePeriod`, `dosage.route` (SNOMED CT route codes; `other` in
  the project's `route` code system), `dosage.doseAndRate.doseQuantity` (UCUM).
* Procedure: `performedDateTime`, `outcome.text`.
* Lesion assessments: an Observation coded in the project's `lesion-assessment` code system
  (`digital_ulcer`, `ulcer`, `other`), the lesion id as an identifier (`lesion-id` naming
  system), the site as `bodySite.text`, and components `diameter` (mm), `visible-depth`,
  `loss-of-dermis`, `painful`, `calcinosis` (booleans) and `trend` (`lesion-trend` code system).
* ResearchSubject: `period`, status `on-study` (no end) or `off-study`, `study` referring to a
  ResearchStudy entry whose identifier is the trial id.
* Consent: scope `research`, status `active` when signed else `rejected`, `dateTime`; a consent
  given by a representative has a RelatedPerson performer.
* Statuses (undated Observations): pregnancy status LOINC 82810-3 with SNOMED CT 77386006
  (pregnant) / 60001007 (not pregnant); lactation, adequate contraception, life expectancy
  (months, UCUM `mo`) and MSC availability in the project's `screening-status` code system.

No standard code is asserted where the project could not name one with certainty: those
concepts use the project's namespace (`patients.fhir.namespace`).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from patients.fhir.codes import (
    ACT_CODE,
    CLINICAL,
    CONSENT_SCOPE,
    DATA_ABSENT_REASON,
    LOINC,
    NOT_PREGNANT,
    OBS_CATEGORY,
    PREGNANCY_STATUS,
    PREGNANT,
    RESULT_CODES,
    ROUTE_CODES,
    SNOMED,
    SYSTEM_URIS,
    UCUM,
    VERIFICATION,
)
from patients.fhir.namespace import (
    CS_LESION,
    CS_ROUTE,
    CS_STATUS,
    CS_TREND,
    EXT_CRITERIA,
    EXT_PRIMARY,
    EXT_RESULT,
    LESION_COMPONENTS,
    LESION_KINDS,
    NS,
    NS_LESION_ID,
    NS_PATIENT_ID,
    STATUS_CODES,
    STATUS_DISPLAY,
)
from patients.model import (
    Allergy,
    Coding,
    Condition,
    LesionAssessment,
    Medication,
    Observation,
    PatientProfile,
    Procedure,
)

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")

__all__ = ["profile_to_fhir", "bundles", "write_fhir_cohort"]


def _coding(c: Coding) -> dict[str, Any]:
    out = {"system": SYSTEM_URIS[c.system], "code": c.code}
    if c.display:
        out["display"] = c.display
    return out


def _concept(rec: Condition | Observation | Medication | Procedure | Allergy) -> dict[str, Any]:
    """Every coding of a record, its `code` first (marked as the primary one when there are others)."""
    codings = [_coding(c) for c in rec.codings()]
    if len(codings) > 1:
        codings[0]["extension"] = [{"url": EXT_PRIMARY, "valueBoolean": True}]
    return {"coding": codings}


def _cc(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


ACT_CODES = {"outpatient": "AMB", "inpatient": "IMP", "emergency": "EMER", "home": "HH", "virtual": "VR",
             "other": "OBSENC"}
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"


def _quantity(value: float, unit: str | None) -> dict[str, Any]:
    q: dict[str, Any] = {"value": value}
    if unit is not None:
        q.update(unit=unit, system=UCUM, code=unit)
    return q


class _Builder:
    def __init__(self, profile: PatientProfile):
        self.p = profile
        self.entries: list[dict[str, Any]] = []
        self.patient_url = self.url("Patient", 0)

    def url(self, kind: str, i: int) -> str:
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NS}/patient/{self.p.id}/{kind}/{i}"))

    def add(self, full_url: str, resource: dict[str, Any]) -> None:
        self.entries.append({"fullUrl": full_url, "resource": resource})

    def subject(self) -> dict[str, str]:
        return {"reference": self.patient_url}

    def patient(self) -> None:
        r: dict[str, Any] = {"resourceType": "Patient"}
        if _FHIR_ID.match(self.p.id):
            r["id"] = self.p.id
        r["identifier"] = [{"system": NS_PATIENT_ID, "value": self.p.id}]
        if self.p.sex is not None:
            r["gender"] = self.p.sex.value
        if self.p.birth_date is not None:
            r["birthDate"] = self.p.birth_date.isoformat()
        self.add(self.patient_url, r)

    def conditions(self) -> None:
        for i, c in enumerate(self.p.conditions):
            r: dict[str, Any] = {"resourceType": "Condition"}
            if c.criteria:
                r["extension"] = [{"url": EXT_CRITERIA, "valueString": s} for s in c.criteria]
            if c.clinical_status is not None:
                r["clinicalStatus"] = _cc(CLINICAL, c.clinical_status.value)
            if c.verification_status is not None:
                r["verificationStatus"] = _cc(VERIFICATION, c.verification_status.value)
            r["code"] = _concept(c)
            if c.body_site:
                r["bodySite"] = [{"text": c.body_site}]
            r["subject"] = self.subject()
            if c.onset is not None:
                r["onsetDateTime"] = c.onset.isoformat()
            if c.abatement is not None:
                r["abatementDateTime"] = c.abatement.isoformat()
            self.add(self.url("Condition", i), r)

    def encounters(self) -> None:
        for i, e in enumerate(self.p.encounters):
            r: dict[str, Any] = {"resourceType": "Encounter", "status": "in-progress" if e.end is None and e.class_.value == "inpatient" else "finished",
                                 "class": {"system": ACT_CODE, "code": ACT_CODES[e.class_.value]}}
            if e.code is not None:
                r["type"] = [{"coding": [_coding(c) for c in e.codings()]}]
            r["subject"] = self.subject()
            r["period"] = {"start": e.start.isoformat(), **({"end": e.end.isoformat()} if e.end else {})}
            self.add(self.url("Encounter", i), r)

    def allergies(self) -> None:
        for i, a in enumerate(self.p.allergies):
            r: dict[str, Any] = {"resourceType": "AllergyIntolerance"}
            if a.clinical_status is not None:
                r["clinicalStatus"] = _cc(ALLERGY_CLINICAL, a.clinical_status.value)
            if a.verification_status is not None:
                r["verificationStatus"] = _cc(ALLERGY_VERIFICATION, a.verification_status.value)
            for attr in ("type", "criticality"):
                if getattr(a, attr) is not None:
                    r[attr] = getattr(a, attr).value
            if a.category is not None:
                r["category"] = [a.category.value]
            r["code"] = _concept(a)
            r["patient"] = self.subject()
            if a.onset is not None:
                r["onsetDateTime"] = a.onset.isoformat()
            self.add(self.url("AllergyIntolerance", i), r)

    def observations(self) -> None:
        for i, o in enumerate(self.p.observations):
            self.add(self.url("Observation", i), self.observation(o))

    def observation(self, o: Observation) -> dict[str, Any]:
        r: dict[str, Any] = {"resourceType": "Observation"}
        if o.value is not None and o.result is not None:
            r["extension"] = [{"url": EXT_RESULT, "valueString": o.result}]
        r.update(status="final", code=_concept(o), subject=self.subject(), effectiveDateTime=o.date.isoformat())
        if o.value is not None:
            q = _quantity(o.value, o.unit)
            if o.comparator is not None:
                q["comparator"] = o.comparator.value
            r["valueQuantity"] = q
            if o.answer is not None:
                r["interpretation"] = [{"coding": [_coding(o.answer)]}]
            rr = o.reference_range
            if rr is not None:
                r["referenceRange"] = [{side: _quantity(v, rr.unit) for side in ("low", "high")
                                        if (v := getattr(rr, side)) is not None}]
        elif o.result is not None:
            r.update(_result(o.result))
        return r

    def medications(self) -> None:
        for i, m in enumerate(self.p.medications):
            r: dict[str, Any] = {"resourceType": "MedicationStatement",
                                 "status": "completed" if m.end is not None else "active",
                                 "medicationCodeableConcept": _concept(m), "subject": self.subject()}
            if m.start is not None or m.end is not None:
                period = {}
                if m.start is not None:
                    period["start"] = m.start.isoformat()
                if m.end is not None:
                    period["end"] = m.end.isoformat()
                r["effectivePeriod"] = period
            dosage = _dosage(m)
            if dosage:
                r["dosage"] = [dosage]
            self.add(self.url("MedicationStatement", i), r)

    def procedures(self) -> None:
        for i, p in enumerate(self.p.procedures):
            r: dict[str, Any] = {"resourceType": "Procedure", "status": "completed", "code": _concept(p),
                                 "subject": self.subject(), "performedDateTime": p.date.isoformat()}
            if p.outcome:
                r["outcome"] = {"text": p.outcome}
            self.add(self.url("Procedure", i), r)

    def lesions(self) -> None:
        for i, les in enumerate(self.p.lesions):
            self.add(self.url("Lesion", i), self.lesion(les))

    def lesion(self, les: LesionAssessment) -> dict[str, Any]:
        r: dict[str, Any] = {"resourceType": "Observation"}
        if les.lesion_id:
            r["identifier"] = [{"system": NS_LESION_ID, "value": les.lesion_id}]
        r.update(status="final", category=[_cc(OBS_CATEGORY, "exam", "Exam")],
                 code=_cc(CS_LESION, les.kind, LESION_KINDS[les.kind]), subject=self.subject(),
                 effectiveDateTime=les.date.isoformat())
        if les.site:
            r["bodySite"] = {"text": les.site}
        comps = []
        for name, code in LESION_COMPONENTS.items():
            v = getattr(les, name)
            if v is None:
                continue
            comp: dict[str, Any] = {"code": _cc(CS_LESION, code)}
            if name == "diameter_mm":
                comp["valueQuantity"] = _quantity(v, "mm")
            elif name == "trend":
                comp["valueCodeableConcept"] = _cc(CS_TREND, v.value)
            else:
                comp["valueBoolean"] = v
            comps.append(comp)
        if comps:
            r["component"] = comps
        return r

    def participations(self) -> None:
        for i, tp in enumerate(self.p.administrative.trial_participations):
            period = {"start": tp.start.isoformat()}
            if tp.end is not None:
                period["end"] = tp.end.isoformat()
            if tp.trial_id is not None:
                study_url = self.url("ResearchStudy", i)
                study: dict[str, Any] = {"reference": study_url}
            else:  # the study is not known: FHIR requires the element, so it says why it is empty
                study = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "unknown"}]}
            self.add(self.url("ResearchSubject", i), {
                "resourceType": "ResearchSubject", "status": "off-study" if tp.end is not None else "on-study",
                "period": period, "study": study, "individual": self.subject()})
            if tp.trial_id is not None:
                self.add(study_url, {"resourceType": "ResearchStudy", "status": "active",
                                     "identifier": [{"value": tp.trial_id}]})

    def consent(self) -> None:
        c = self.p.administrative.informed_consent
        if c is None:
            return
        r: dict[str, Any] = {
            "resourceType": "Consent", "status": "active" if c.signed else "rejected",
            "scope": _cc(CONSENT_SCOPE, "research", "Research"),
            "category": [_cc(LOINC, "59284-0", "Patient Consent")],
            "patient": self.subject(),
        }
        if c.date is not None:
            r["dateTime"] = c.date.isoformat()
        r["performer"] = ([{"type": "RelatedPerson", "display": "legal representative"}] if c.by_representative
                          else [self.subject()])
        r["policyRule"] = _cc(ACT_CODE, "OPTIN" if c.signed else "OPTOUT")
        self.add(self.url("Consent", 0), r)

    def statuses(self) -> None:
        adm = self.p.administrative
        if adm.pregnant is not None:
            answer = (PREGNANT, "Pregnant") if adm.pregnant else (NOT_PREGNANT, "Not pregnant")
            self.add(self.url("Status", 0), self.status(_cc(LOINC, PREGNANCY_STATUS, "Pregnancy status"),
                                                        {"valueCodeableConcept": _cc(SNOMED, *answer)}))
        for k, (name, code) in enumerate(STATUS_CODES.items(), start=1):
            v = getattr(adm, name)
            if v is None:
                continue
            value = {"valueQuantity": _quantity(v, "mo")} if name == "life_expectancy_months" else {"valueBoolean": v}
            self.add(self.url("Status", k), self.status(_cc(CS_STATUS, code, STATUS_DISPLAY[code]), value))

    def status(self, code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
        # a status of the patient as recorded in the profile: it carries no date
        return {"resourceType": "Observation", "status": "final", "code": code, "subject": self.subject(), **value}


def _dosage(m: Medication) -> dict[str, Any]:
    dosage: dict[str, Any] = {}
    if m.route is not None:
        if m.route in ROUTE_CODES:
            code, display = ROUTE_CODES[m.route]
            dosage["route"] = _cc(SNOMED, code, display)
        else:
            dosage["route"] = _cc(CS_ROUTE, m.route.value, "Other route")
    if m.frequency is not None:
        f = m.frequency
        dosage["timing"] = {"repeat": {"frequency": f.times, "period": f.period, "periodUnit": f.period_unit}}
    if m.dose is not None:
        dosage["doseAndRate"] = [{"doseQuantity": _quantity(m.dose.value, m.dose.unit)}]
    return dosage


def _result(result: str) -> dict[str, Any]:
    if result in RESULT_CODES:
        return {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": RESULT_CODES[result]}], "text": result}}
    if "\n" in result:
        return {"valueCodeableConcept": {"text": result}}
    return {"valueString": result}


def profile_to_fhir(profile: PatientProfile) -> dict[str, Any]:
    """A patient profile -> a FHIR R4 `collection` Bundle (a JSON-ready dict)."""
    b = _Builder(profile)
    b.patient()
    b.conditions()
    b.observations()
    b.medications()
    b.procedures()
    b.encounters()
    b.allergies()
    b.lesions()
    b.participations()
    b.consent()
    b.statuses()
    return {"resourceType": "Bundle", "type": "collection", "entry": b.entries}


def bundles(patients: Iterator[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(patient id, Bundle) for each patient document (a JSON-ready profile dict)."""
    for doc in patients:
        profile = PatientProfile.model_validate(doc)
        yield profile.id, profile_to_fhir(profile)


def _dumps(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, separators=(",", ":"), ensure_ascii=False)


def _file_name(k: int, pid: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", pid)[:80]
    return f"{k:07d}-{safe}.json"


def write_fhir_cohort(path: Path | str, patients: Iterator[dict[str, Any]]) -> int:
    """Write patients as FHIR Bundles: NDJSON (one Bundle per line) when `path` ends in .ndjson,
    else a folder of one `NNNNNNN-<id>.json` file per patient (file names sort in cohort order)."""
    path = Path(path)
    if path.suffix in (".json", ".jsonl", ".parquet"):
        raise ValueError(f"{path}: FHIR output is a folder or a .ndjson file")
    n = 0
    if path.suffix == ".ndjson":
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            for _, b in bundles(patients):
                f.write(_dumps(b) + "\n")
                n += 1
        tmp.replace(path)
        return n
    if path.exists() and not path.is_dir():
        raise ValueError(f"{path}: not a folder (FHIR output is a folder, or a .ndjson file)")
    path.mkdir(parents=True, exist_ok=True)
    for pid, b in bundles(patients):
        n += 1
        target = path / _file_name(n, pid)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(_dumps(b) + "\n", encoding="utf-8")
        tmp.replace(target)
    return n


def bulk_resources(bundle: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A Bundle's resources as FHIR Bulk Data writes them: each with an `id` (its own, else its
    fullUrl's UUID) and references as `Type/id` instead of `urn:uuid:` fullUrls."""
    keys: dict[str, str] = {}
    for e in bundle["entry"]:
        r = e["resource"]
        rid = r.get("id") or e["fullUrl"].rsplit(":", 1)[-1]
        keys[e["fullUrl"]] = f"{r['resourceType']}/{rid}"
    for e in bundle["entry"]:
        r = _relinked(e["resource"], keys)
        r.setdefault("id", keys[e["fullUrl"]].split("/", 1)[1])
        yield r


def _relinked(value: Any, keys: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: (keys.get(v, v) if k == "reference" and isinstance(v, str) else _relinked(v, keys))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_relinked(v, keys) for v in value]
    return value


def write_fhir_bulk(path: Path | str, patients: Iterator[dict[str, Any]]) -> int:
    """Write patients as a FHIR Bulk Data export: a folder of `<ResourceType>.ndjson` files, one
    resource a line, patients in cohort order in Patient.ndjson. Files are written under temp
    names and renamed when complete."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{path}: not a folder (a Bulk Data export is a folder of NDJSON files)")
    path.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {}
    n = 0
    try:
        for _, b in bundles(patients):
            n += 1
            for r in bulk_resources(b):
                f = files.get(r["resourceType"])
                if f is None:
                    f = files[r["resourceType"]] = open(path / f"{r['resourceType']}.ndjson.tmp", "w",
                                                        encoding="utf-8", newline="\n")
                f.write(_dumps(r) + "\n")
    finally:
        for f in files.values():
            f.close()
    for rtype in files:
        (path / f"{rtype}.ndjson.tmp").replace(path / f"{rtype}.ndjson")
    if "Patient" not in files:
        (path / "Patient.ndjson").write_text("", encoding="utf-8")
    return n
