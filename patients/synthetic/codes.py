"""The codes synthetic patients are drawn with: conditions, tests, medicines (with a usual dose),
and the sites of digital ulcers."""

from __future__ import annotations


def _c(system: str, code: str, display: str) -> dict[str, str]:
    """A profile coding."""
    return {"system": system, "code": code, "display": display}


CREAT_MASS = _c("loinc", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma")
CREAT_MOLAR = _c("loinc", "14682-9", "Creatinine [Moles/volume] in Serum or Plasma")
LVEF = _c("loinc", "10230-1", "Left ventricular Ejection fraction")
ECOG = _c("loinc", "89247-1", "ECOG Performance Status score")
ANC = _c("loinc", "751-8", "Neutrophils [#/volume] in Blood by Automated count")
PLT = _c("loinc", "777-3", "Platelets [#/volume] in Blood by Automated count")
HB = _c("loinc", "718-7", "Hemoglobin [Mass/volume] in Blood")
HIV_TEST = _c("loinc", "56888-1", "HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma")
HBSAG = _c("loinc", "5195-3", "Hepatitis B virus surface Ag [Presence] in Serum")
HCV_AB = _c("loinc", "16128-1", "Hepatitis C virus Ab [Presence] in Serum")
HCG_URINE = _c("loinc", "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine")
HCG_SERUM = _c("loinc", "2118-8", "Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma")
BMD_T = _c("loinc", "38267-3", "DXA Lumbar spine [T-score] Bone density")

OSTEOPOROSIS = [_c("snomed", "64859006", "Osteoporosis"), _c("icd10", "M81.0", "Postmenopausal osteoporosis"),
                _c("icd10", "M80.08", "Postmenopausal osteoporosis with pathological fracture, vertebra")]
AS_CODES = [_c("snomed", "9631008", "Ankylosing spondylitis"), _c("icd10", "M45.9", "Ankylosing spondylitis, site unspecified")]
SSC_CODES = [_c("snomed", "89155008", "Systemic sclerosis"), _c("icd10", "M34.0", "Progressive systemic sclerosis")]
ALLO_HSCT = [_c("snomed", "58390007", "Allogeneic bone marrow transplantation"),
             _c("snomed", "234335003", "Allogeneic unrelated bone marrow transplant")]
# ICD-10-CM T86.02 (primary or secondary graft failure) and T86.09 (other complications) only
# possibly name these: the synthetic patients carry the codes that certainly do
PRIMARY_GF = [_c("snomed", "782745005", "Primary graft failure after hematopoietic stem cell transplant"),
              _c("local", "primary-graft-failure", "Primary graft failure after allo-HSCT")]
PGF = [_c("local", "poor-graft-function", "Poor graft function after allo-HSCT")]
HAEM_MALIGNANCY = [_c("icd10", "C92.0", "Acute myeloblastic leukaemia"), _c("icd10", "C91.0", "Acute lymphoblastic leukaemia"),
                   _c("icd10", "D46.9", "Myelodysplastic syndrome, unspecified"),
                   _c("icd10", "D61.9", "Aplastic anaemia, unspecified")]
CANCERS = [_c("icd10", "C50.9", "Malignant neoplasm of breast, unspecified"), _c("icd10", "C18.9", "Malignant neoplasm of colon"),
           _c("icd10", "C34.9", "Malignant neoplasm of bronchus or lung"), _c("icd10", "C61", "Malignant neoplasm of prostate"),
           _c("snomed", "363346000", "Malignant neoplastic disease")]
SKIN_CARCINOMA = [_c("snomed", "254701007", "Basal cell carcinoma of skin"), _c("icd10cm", "C44.319", "Basal cell carcinoma of skin of other parts of face"),
                  _c("snomed", "254651007", "Squamous cell carcinoma of skin")]
HIV = [_c("snomed", "86406008", "Human immunodeficiency virus infection"), _c("icd10", "B20", "HIV disease")]
HBV = [_c("snomed", "61977001", "Chronic type B viral hepatitis"), _c("icd10", "B18.1", "Chronic viral hepatitis B")]
HCV = [_c("snomed", "128302006", "Chronic hepatitis C"), _c("icd10", "B18.2", "Chronic viral hepatitis C")]
TB = [_c("snomed", "56717001", "Tuberculosis"), _c("icd10", "A15.0", "Tuberculosis of lung")]
PREGNANCY = [_c("snomed", "77386006", "Pregnancy"), _c("icd10cm", "Z33.1", "Pregnant state, incidental")]
LACTATION = [_c("snomed", "169750002", "Mother currently breast-feeding"), _c("icd10", "Z39.1", "Care and examination of lactating mother")]
RA = [_c("snomed", "69896004", "Rheumatoid arthritis"), _c("icd10", "M06.9", "Rheumatoid arthritis, unspecified")]
GENETIC = [_c("icd10", "Q78.0", "Osteogenesis imperfecta"), _c("icd10cm", "E83.110", "Hereditary hemochromatosis"),
           _c("icd10", "Q79.6", "Ehlers-Danlos syndrome"), _c("snomed", "19346006", "Marfan syndrome")]
TRANSPLANT = [_c("icd10", "Z94.0", "Kidney transplant status"), _c("icd10", "Z94.4", "Liver transplant status")]
HYPERTENSION = _c("icd10", "I10", "Essential (primary) hypertension")
UNCONTROLLED_HT = [_c("icd10cm", "I16.9", "Hypertensive crisis, unspecified"), _c("snomed", "706882009", "Hypertensive emergency")]
DIABETES = _c("icd10", "E11.9", "Type 2 diabetes mellitus without complications")
OTHER_CONDITIONS = [_c("icd10cm", "J45.909", "Unspecified asthma, uncomplicated"), _c("icd10", "E78.5", "Hyperlipidaemia, unspecified"),
                    _c("icd10", "M17.9", "Gonarthrosis, unspecified"), _c("icd10", "K21.9", "Gastro-oesophageal reflux disease"),
                    _c("icd10", "F32.9", "Depressive episode, unspecified")]

PROSTACYCLINS = [_c("atc", "B01AC11", "iloprost"), _c("atc", "B01AC09", "epoprostenol"), _c("atc", "B01AC21", "treprostinil")]
AS_DRUGS = [(_c("atc", "A07EC01", "sulfasalazine"), 1000, "mg"), (_c("atc", "L04AX03", "methotrexate"), 15, "mg"),
            (_c("atc", "M01AB05", "diclofenac"), 75, "mg"), (_c("atc", "M01AE01", "ibuprofen"), 400, "mg"),
            (_c("atc", "P01BA02", "hydroxychloroquine"), 200, "mg")]
OP_DRUGS = [(_c("atc", "M05BA04", "alendronic acid"), 70, "mg"), (_c("atc", "A12AX", "calcium, combinations with vitamin D"), 1, "{tbl}"),
            (_c("atc", "M05BX04", "denosumab"), 60, "mg")]
IMMUNOSUPPRESSANTS = [(_c("atc", "L04AX01", "azathioprine"), 100, "mg"), (_c("atc", "L04AA06", "mycophenolic acid"), 1000, "mg"),
                      (_c("atc", "L04AD02", "tacrolimus"), 4, "mg")]
GRAFT_DRUGS = [(_c("atc", "L04AD01", "ciclosporin"), 200, "mg"), (_c("atc", "J05AB04", "ribavirin"), 400, "mg")]
GENERAL_DRUGS = [(_c("atc", "C09AA05", "ramipril"), 5, "mg"), (_c("atc", "A10BA02", "metformin"), 1000, "mg"),
                 (_c("atc", "C10AA05", "atorvastatin"), 20, "mg"), (_c("atc", "N02BE01", "paracetamol"), 1000, "mg")]

FINGERS = ["thumb", "index finger", "middle finger", "ring finger", "little finger"]
FINGER_PARTS = ["pulp", "tip", "dorsal PIP joint", "dorsal DIP joint"]
NIFEDIPINE = _c("atc", "C08CA05", "nifedipine")
