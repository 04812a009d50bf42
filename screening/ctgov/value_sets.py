"""The value sets drafted lab, medication and condition criteria refer to.

Library value sets (`LIBRARY_LABS`, and the library's conditions such as `malignancy`, `skin_bcc_scc`
and `cervical_carcinoma_in_situ`) are referred to by name; the others are written into the drafted trial as
trial-local value sets (`LOCAL_VALUE_SETS`, standard LOINC, ATC and ICD-10 codes), unless the
rules library already defines them.
"""

from __future__ import annotations

from typing import Any

# library value set -> canonical UCUM unit
LIBRARY_LABS = {"creatinine": "umol/L", "lvef": "%", "ecog": "1"}
# library value set -> molar mass, for converting mass concentrations to its canonical unit
LIBRARY_MOLAR_MASS = {"creatinine": "113.12 g/mol"}


def _lab(title: str, codes: list[str], unit: str, **extra: str) -> dict[str, Any]:
    return {"title": title, "codes": [f"loinc:{c}" for c in codes], "unit": unit, **extra}


# trial-local value set -> its definition in the rule-set grammar
LOCAL_VALUE_SETS: dict[str, dict[str, Any]] = {
    "total_bilirubin": _lab("bilirubin, total (serum or plasma)", ["1975-2"], "mg/dL", molar_mass="584.66 g/mol"),
    # in moles too (59260-0), as Dutch and Scandinavian laboratories report it: of the haem monomer, 16,114 g/mol
    # (1 mmol/L = 1.611 g/dL)
    "hemoglobin": _lab("haemoglobin (blood)", ["718-7", "59260-0"], "g/dL", molar_mass="16114 g/mol"),
    "platelets": _lab("platelets (blood)", ["777-3", "26515-7"], "10*3/uL"),
    "leukocytes": _lab("white blood cells (blood)", ["6690-2", "26464-8"], "10*3/uL"),
    "neutrophils": _lab("neutrophils, absolute count (blood)", ["751-8", "26499-4"], "10*3/uL"),
    "lymphocytes": _lab("lymphocytes, absolute count (blood)", ["731-0", "26474-7", "732-8"], "10*3/uL"),
    # with the codes of VSAC Aspartate transaminase lab test (2.16.840.1.113762.1.4.1248.224|20230520)
    "ast": _lab("aspartate aminotransferase (serum or plasma)", ["1920-8", "30239-8", "88112-8"], "U/L"),
    "alt": _lab("alanine aminotransferase (serum or plasma)", ["1742-6"], "U/L"),
    "ldh": _lab("lactate dehydrogenase (serum or plasma)", ["2532-0"], "U/L"),
    "crp": _lab("C-reactive protein (serum or plasma)", ["1988-5", "30522-7"], "mg/L"),
    "ferritin": _lab("ferritin (serum or plasma)", ["2276-4"], "ng/mL"),
    "il6": _lab("interleukin 6 (serum or plasma)", ["26881-3"], "pg/mL"),
    "d_dimer": _lab("D-dimer (FEU or DDU: check the assay's reporting unit)", ["48065-7", "48066-5"], "ng/mL"),
    "inr": _lab("INR (coagulation)", ["6301-6", "34714-6"], "1"),
    "glucose": _lab("glucose (serum, plasma or blood)", ["2345-7", "2339-0"], "mg/dL", molar_mass="180.16 g/mol"),
    "fasting_glucose": _lab("fasting glucose (serum or plasma)", ["1558-6"], "mg/dL", molar_mass="180.16 g/mol"),
    # with the codes of VSAC HbA1c Laboratory Test (2.16.840.1.113883.3.464.1003.198.12.1013|20170504);
    # 59261-8 is the IFCC (mmol/mol) code
    "hba1c": _lab("haemoglobin A1c (blood)", ["4548-4", "17856-6", "59261-8", "17855-8", "4549-2", "96595-4"], "%",
                  conversion="hba1c_ifcc_ngsp"),
    # with the codes of VSAC Estimated Glomerular Filtration Rate (2.16.840.1.113883.3.6929.3.1000|20190531):
    # MDRD, CKD-EPI (2009, 2021), creatinine, cystatin C or both; 33914-3 is the older MDRD code
    "egfr": _lab("estimated glomerular filtration rate per 1.73 m2",
                 ["33914-3", "62238-1", "98979-8", "48642-3", "48643-1", "50044-7", "50210-4", "69405-9", "70969-1",
                  "77147-7", "88293-6", "88294-4", "94677-2", "98980-6"], "mL/min/{1.73_m2}"),
    "creatinine_clearance": _lab("creatinine clearance (measured or Cockcroft-Gault)", ["2164-2", "35591-7"],
                                 "mL/min"),
    "spo2": _lab("oxygen saturation (pulse oximetry or arterial blood)", ["59408-5", "2708-6"], "%"),
    "pf_ratio": _lab("PaO2/FiO2 (Horowitz index, arterial blood)", ["50984-4"], "mm[Hg]"),
    "qtc": _lab("QT interval corrected (ECG)", ["8636-3"], "ms"),
    "body_weight": _lab("body weight", ["29463-7"], "kg"),
    "bmi": _lab("body mass index", ["39156-5"], "kg/m2"),
    "body_temperature": _lab("body temperature", ["8310-5"], "Cel"),
    "heart_rate": _lab("heart rate", ["8867-4"], "/min"),
    "respiratory_rate": _lab("respiratory rate", ["9279-1"], "/min"),
    "systolic_bp": _lab("systolic blood pressure", ["8480-6"], "mm[Hg]"),
    "diastolic_bp": _lab("diastolic blood pressure", ["8462-4"], "mm[Hg]"),
    "systemic_corticosteroids": {"title": "corticosteroids for systemic use (ATC H02)", "codes": ["atc:H02*"]},
    "antineoplastic_agents": {"title": "antineoplastic agents (ATC L01)", "codes": ["atc:L01*"]},
    # CVX (CDC's vaccines administered, what immunization records carry) names only vaccines
    "vaccines": {"title": "vaccines (ATC J07, CVX)", "codes": ["atc:J07*", "cvx:*"]},
}


def canonical_unit(value_set: str) -> str:
    """The UCUM unit a drafted threshold on `value_set` is stated in."""
    return LIBRARY_LABS.get(value_set) or LOCAL_VALUE_SETS[value_set]["unit"]


def molar_mass(value_set: str) -> str | None:
    """The molar mass ("584.66 g/mol") that converts between mass and molar units, if known."""
    return LOCAL_VALUE_SETS.get(value_set, {}).get("molar_mass") or LIBRARY_MOLAR_MASS.get(value_set)


def conversion(value_set: str) -> str | None:
    """The analyte-specific conversion the value set names (HbA1c: IFCC mmol/mol <-> NGSP %)."""
    return LOCAL_VALUE_SETS.get(value_set, {}).get("conversion")
