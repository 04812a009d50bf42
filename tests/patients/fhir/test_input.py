"""FHIR R4 input: Bundle or NDJSON, the envelope and entries (fhir.bundle), whose record it is
(fhir.owner), and malformed input, which raises InputError naming the entry and the field."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B import fhirtypes

from patients.fhir import profile_from_fhir_json, profile_from_fhir_text
from patients.fhir.bundle import is_resource_type, model_class
from patients.io import load_patient, load_patient_with_warnings
from screening.core.diagnostics import InputError
from tests.paths import REPO
from tests.patients.fhir.helpers import (
    LUIS,
    bundle,
    obs,
    patient,
    raises_input_error,
    read,
)


def test_ndjson_equals_bundle(tmp_path: Path) -> None:
    data = read(LUIS)
    # NDJSON has no fullUrl: references are Type/id, as in a bulk export
    text = "\n".join(json.dumps(e["resource"]) for e in data["entry"]) + "\n"
    for e in data["entry"]:
        text = text.replace(f'"{e["fullUrl"]}"', f'"{e["resource"]["resourceType"]}/{e["resource"]["id"]}"')
    assert "urn:uuid:" not in text
    path = tmp_path / "luis.ndjson"
    path.write_text(text, encoding="utf-8")
    from_ndjson, w1 = load_patient_with_warnings(path)
    from_bundle, w2 = profile_from_fhir_json(data)
    assert from_ndjson == from_bundle and w1 == w2
    # the same text in a .json file is recognised as NDJSON too
    other = tmp_path / "luis.json"
    other.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_patient(other) == from_bundle
    # and a native profile file still loads as before
    native = load_patient(REPO / "patients" / "examples" / "as_patient.json")
    assert native.id and load_patient_with_warnings(REPO / "patients" / "examples" / "as_patient.json")[1] == []


def test_profile_from_fhir_json_accepts_a_list_and_no_patient() -> None:
    profile, warnings = profile_from_fhir_json([obs("x", valueQuantity={"value": 1, "system": "http://unitsofmeasure.org", "code": "mg/dL"})])
    assert profile.id == "p1" and profile.birth_date is None and len(profile.observations) == 1
    assert any("no Patient resource" in w for w in warnings)



def test_malformed_envelopes() -> None:
    raises_input_error({"resourceType": "Patient", "id": "x"}, "in.json: resourceType: 'Patient'; expected a Bundle")
    raises_input_error({"type": "collection", "entry": []}, "resourceType: missing")
    raises_input_error({"resourceType": "Bundle", "type": "history", "entry": []}, "Bundle.type: 'history' is not supported")
    raises_input_error({"resourceType": "Bundle", "type": "collection", "entry": {}}, "Bundle.entry: a list is expected")
    raises_input_error({"resourceType": "Bundle", "type": "collection", "entry": ["x"]}, "entry[0]: an entry is a JSON object")
    raises_input_error(bundle(patient(), {"resourceType": "Observaton", "id": "o"}), "entry[1].resource.resourceType: 'Observaton' is not a FHIR R4 resource type")
    raises_input_error(bundle(patient(), {"id": "o"}), "entry[1].resource.resourceType: missing")
    raises_input_error(bundle(), "no Patient resource: nothing to import")
    raises_input_error([bundle(patient())], "line 1: a Bundle inside NDJSON is not supported")
    raises_input_error("text", "FHIR input is a Bundle")


def test_malformed_resources() -> None:
    raises_input_error(bundle(patient(), obs("o1", valueQuantity={"value": 1}, effectiveDateTime="2021-02-30")),
            "entry[1] (Observation/o1): invalid Observation", "effectiveDateTime")
    raises_input_error(bundle(patient(), obs("o2", valueQuantity={"value": 1}, colour="red")), "Observation/o2", "colour: unknown field")
    raises_input_error(bundle(patient(birth="1960-02-30")), "Patient/p1", "birthDate")
    raises_input_error(bundle(patient(), obs("o3", valueQuantity={"value": 1}, effectiveDateTime="2999-01-01")),
            "entry[1] (Observation/o3) effectiveDateTime: date 2999-01-01 is in the future")
    raises_input_error(bundle(patient(), obs("o4", valueQuantity={"value": 1}, effectiveDateTime="1950-01-01")),
            "Observation/o4) effectiveDateTime: date 1950-01-01 is before the patient's birth date 1960-03-13")
    cond = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "72892002"}]},
            "onsetDateTime": "2020-01-01", "abatementDateTime": "2019-01-01"}
    raises_input_error(bundle(patient(), cond), "(Condition/c1) abatement[x]: abatement 2019-01-01 is before onset 2020-01-01")


def test_numbers_and_booleans_must_be_json_numbers_and_booleans() -> None:
    """FHIR JSON writes a decimal as a JSON number: `"value": "3.1"` is refused, naming the field,
    not read silently (nor any other number or boolean sent as a string)."""
    ucum = {"system": "http://unitsofmeasure.org", "code": "mg/dL"}
    raises_input_error(bundle(patient(), obs("o1", valueQuantity={"value": "3.1", **ucum})),
                       "entry[1] (Observation/o1): invalid Observation",
                       "valueQuantity.value: a FHIR decimal is a JSON number, not '3.1'")
    comp = {"code": {"text": "part"}, "valueInteger": "5"}
    raises_input_error(bundle(patient(), obs("o2", valueInteger=1, component=[comp])),
                       "component[0].valueInteger: a FHIR integer is a JSON number without a fraction, not '5'")
    raises_input_error(bundle(patient(), obs("o3", valueBoolean="true")),
                       "valueBoolean: a FHIR boolean is JSON true or false, not 'true'")
    raises_input_error(bundle(dict(patient(), deceasedBoolean=0)), "Patient/p1", "deceasedBoolean: a FHIR boolean")
    profile, _ = profile_from_fhir_json(bundle(patient(), obs("o4", valueQuantity={"value": 3.1, **ucum})))
    assert profile.observations[0].value == 3.1


def test_broken_and_foreign_references() -> None:
    raises_input_error(bundle(patient(), obs("o1", valueQuantity={"value": 1}, subject={"reference": "urn:uuid:0000"})),
            "(Observation/o1) subject: broken reference 'urn:uuid:0000'")
    req = {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order",
           "subject": {"reference": "Patient/p1"}, "medicationReference": {"reference": "#nope"}}
    raises_input_error(bundle(patient(), req), "(MedicationRequest/r1) medicationReference: broken reference '#nope'")
    req2 = dict(req, id="r2", medicationReference={"reference": "Observation/o1"})
    raises_input_error(bundle(patient(), obs("o1", valueInteger=1), req2), "(MedicationRequest/r2) medicationReference: 'Observation/o1' is a Observation, not a Medication")
    raises_input_error(bundle(patient(), obs("o1", valueInteger=1, subject={"reference": "Patient/someone-else"})),
            "(Observation/o1) subject: refers to Patient/someone-else, which is not in the input")
    raises_input_error(bundle(obs("a", valueInteger=1), obs("b", valueInteger=1, subject={"reference": "Patient/p2"})),
            "records of more than one patient")


def test_invalid_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Bundle", "type": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json:1:\d+: invalid JSON"):
        load_patient(bad)
    nd = tmp_path / "bad.ndjson"
    nd.write_text(json.dumps(patient()) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.ndjson:2:\d+: invalid JSON on NDJSON line 2"):
        load_patient(nd)
    with pytest.raises(InputError, match="invalid JSON"):
        profile_from_fhir_text("{", "x")


@pytest.mark.slow
def test_a_bundle_is_read_without_building_models_it_does_not_use() -> None:
    """Claim and ExplanationOfBenefit (in every Synthea bundle) are checked to be resource types
    by name; their models, dear to build, are never loaded."""
    code = ("import sys; from patients.io import load_patient; load_patient(sys.argv[1]); "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('fhir.resources.R4B.')))")
    run = subprocess.run([sys.executable, "-c", code, str(LUIS)], capture_output=True, text=True, check=True, cwd=REPO)
    loaded = set(ast.literal_eval(run.stdout))
    # Encounters are read (visits), Immunizations too (vaccines given)
    assert {"condition", "observation", "patient", "encounter", "immunization"} <= loaded
    assert not loaded & {"claim", "explanationofbenefit", "careplan"}


@pytest.mark.slow
def test_resource_types_are_named_as_the_models_know_them() -> None:
    names = [a[:-4] for a in dir(fhirtypes) if a.endswith("Type")]
    names += ["claim", "CLAIM", "Claim ", "", "NotAType", "Patient", "String", "Boolean", "Element"]
    assert [n for n in names if is_resource_type(n) != (model_class(n) is not None)] == []


@pytest.mark.slow
def test_a_native_profile_is_read_without_the_fhir_import() -> None:
    code = ("import sys; from patients.io import load_patient; load_patient(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.startswith(('fhir', 'patients.fhir'))))")
    example = REPO / "patients" / "examples" / "as_patient.json"
    run = subprocess.run([sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True, cwd=REPO)
    assert ast.literal_eval(run.stdout) == ["patients.fhir", "patients.fhir.text"]


def test_the_fhir_package_names_load_on_first_use() -> None:
    import patients.fhir as package

    for name in package.__all__:
        assert callable(getattr(package, name)) and name in dir(package)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        package.nothing  # noqa: B018
