"""Each recogniser on its own, and whole items through `recognise` (the recognisers, then the check
that a definition accounts for what its item says).

The expected definitions are read by hand from the example texts (the rule-set grammar of
docs/rule-sets.md); they are not copied from the recognisers' output. `None` stands for text a
recogniser recognises but does not draft (it says why in the finding's reading).
"""

from __future__ import annotations

from typing import Any

import pytest

from screening.core.units import UnitError, factor
from screening.ctgov.recognisers import RECOGNISERS, ItemText, recognise, residual
from screening.ctgov.text import unescape

FEMALE = {"sex": ["female"]}
COUNTS = "10*3/uL"
HIV, HBV, HCV = {"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}

# recogniser -> (text, kind, expected `when` of each finding); [] = nothing recognised
EXAMPLES: dict[str, list[tuple[str, str, list[dict[str, Any] | None]]]] = {
    "age": [
        # an age outside a range, excluded: either side of it
        ("Age <18 or >65 years", "exclusion", [{"any": [{"age": {"lt": 18}}, {"age": {"gt": 65}}]}]),
        ("Aged below 21 or above 60 years", "exclusion", [{"any": [{"age": {"lt": 21}}, {"age": {"gt": 60}}]}]),
        ("Age <18 or >65 years", "inclusion", []),
        # held-out batch 12: 'and beyond', '> or equal to', a symbol glossing the words, '18-yr'
        ("aged 21 years and beyond", "inclusion", [{"age": {"ge": 21}}]),
        ("Adults of age > or equal to 21 years", "inclusion", [{"age": {"ge": 21}}]),
        ("Age more than (>) 70 years at screening", "exclusion", [{"age": {"gt": 70}}]),
        ("Subjects 19-yr or older", "inclusion", [{"age": {"ge": 19}}]),
        ("aged 18-65 years", "inclusion", [{"age": {"between": [18, 65]}}]),
        ("Age ≥ 18 years", "inclusion", [{"age": {"ge": 18}}]),
        ("18 years or older", "inclusion", [{"age": {"ge": 18}}]),
        ("18 or older", "inclusion", [{"age": {"ge": 18}}]),
        ("at least 18 years old", "inclusion", [{"age": {"ge": 18}}]),
        ("under 18 years", "exclusion", [{"age": {"lt": 18}}]),
        ("greater or equal to 18 years of age", "inclusion", [{"age": {"ge": 18}}]),
        ("ages 19 and over, under 75", "inclusion", [{"age": {"ge": 19, "lt": 75}}]),
        ("Age > 18 and < 70 years", "inclusion", [{"age": {"gt": 18, "lt": 70}}]),
        ("Between 18 to 65 years, inclusive", "inclusion", [{"age": {"between": [18, 65]}}]),
        ("Age at least 18", "inclusion", [{"age": {"ge": 18}}]),
        ("aged less than 70", "exclusion", [{"age": {"lt": 70}}]),
        ("Volunteers younger than the age of 40", "inclusion", [{"age": {"lt": 40}}]),  # 'age' between the sign and number
        ("Men and women, aged from 30 to 60", "inclusion", [{"age": {"between": [30, 60]}}]),  # no unit after 'aged'
        ("The minimum age is 21 years", "inclusion", [{"age": {"ge": 21}}]),
        ("persons over the age of 21 years", "inclusion", [{"age": {"gt": 21}}]),
        # an age for one sex binds only that sex (a rule for it, or one of several alternatives)
        ("women over the age of 21 years", "inclusion", [None]),
        ("male participants aged 60 or more", "exclusion", [None]),
        ("Age 24 months or older", "inclusion", [{"age": {"ge": 2}}]),  # a whole number of years
        ("18 and over", "inclusion", []),  # no age word: only under an 'Age:' heading (below)
        # ages in days, weeks and months are recognised, not drafted; gestational age is not age
        ("≥ 14 days to < 28 days of age, gestational age > 37 weeks", "inclusion", [None]),
        ("Age 6 to 18 months", "inclusion", [None]),
        ("gestational age ≤ 37 weeks", "inclusion", []),
        ("At least 5 years since prior chemotherapy", "inclusion", []),  # a duration, not an age
        ("Enrolled in Grades 9-12 (corresponding to 13-20 years of age)", "inclusion", [None]),  # a gloss
        ("age between 20 and 10", "inclusion", []),  # a range written backwards
        ("Aged 18-150 years", "inclusion", []),  # no one is 150
    ],
    "sex": [
        ("Woman participants.", "inclusion", [{"sex": ["female"]}]),
        ("Women of 20 to 30 years of age inclusive", "inclusion", [{"sex": ["female"]}]),
        ("Male subjects aged 18-45", "inclusion", [{"sex": ["male"]}]),
        ("Males and females 18 to 55 years of age.", "inclusion", []),
        ("Women of childbearing potential must use contraception", "inclusion", []),
        ("Women:", "exclusion", []),  # a lead-in, not a requirement
        ("Males.", "exclusion", [{"sex": ["male"]}]),  # the whole exclusion is a sex
        ("Female adult outpatient volunteers with asthma", "inclusion", [{"sex": ["female"]}]),
        ("Female patients of childbearing potential must use contraception", "inclusion", []),
        ("Male healthy patients who agree to use condoms", "inclusion", []),
    ],
    "ecog": [
        ("ECOG 0-2", "inclusion", [{"latest": {"code": "ecog", "between": [0, 2]}}]),
        ("Eastern Cooperative Oncology Group (ECOG) performance status of 0, 1 or 2", "inclusion",
         [{"latest": {"code": "ecog", "between": [0, 2]}}]),
        ("ECOG ≤ 1", "inclusion", [{"latest": {"code": "ecog", "le": 1}}]),
        ("ECOG performance status of 1 or less", "inclusion", [{"latest": {"code": "ecog", "le": 1}}]),
        (unescape("ECOG performance status =\\< 1"), "inclusion", [{"latest": {"code": "ecog", "le": 1}}]),
        ("Zubrod 0-1", "inclusion", [{"latest": {"code": "ecog", "between": [0, 1]}}]),
        ("WHO performance status ≤ 2", "inclusion", [{"latest": {"code": "ecog", "le": 2}}]),
        # the score before its scale, and a window that dates the assessment
        ("PS 0-2 per WHO scale", "inclusion", [{"latest": {"code": "ecog", "between": [0, 2]}}]),
        ("ECOG ≤ 2 within 28 days before enrolment", "inclusion",
         [{"latest": {"code": "ecog", "le": 2, "within": "28 days"}}]),
        ("ECOG 0-1; chemotherapy within 28 days", "inclusion", [{"latest": {"code": "ecog", "between": [0, 1]}}]),
        ("ECOG 2-1", "inclusion", []),
        ("Karnofsky ≥ 70", "inclusion", []),
    ],
    "life_expectancy": [
        ("life expectancy of at least 3 months", "inclusion", [{"life_expectancy_months": {"ge": 3}}]),
        ("Life expectancy ≥ 1 year", "inclusion", [{"life_expectancy_months": {"ge": 12}}]),
        ("life expectancy > 12 weeks", "inclusion", [{"life_expectancy_months": {"gt": 2.76}}]),  # 84 / 30.4375
        ("Expected survival of more than 3 months", "inclusion", [{"life_expectancy_months": {"gt": 3}}]),
        ("life expectancy is short", "inclusion", []),
    ],
    "infections": [
        ("Active TB", "exclusion", [{"ref": "active_tuberculosis"}]),
        ("Active pulmonary TB", "exclusion", [None]),  # one site: the concept counts every site
        ("Latent tuberculosis infection", "exclusion", []),  # latent is not active
        ("Free of active tuberculosis", "inclusion", [{"not": {"ref": "active_tuberculosis"}}]),
        ("Known HIV infection", "exclusion", [HIV]),
        ("active hepatitis B (HBV) or hepatitis C (HCV)", "exclusion", [{"any": [HBV, HCV]}]),
        ("Negative HIV 1/2 antibody, HBsAg and HCV antibody", "inclusion", [{"not": {"any": [HIV, HBV, HCV]}}]),
        ("HIV infection. Hepatitis C is allowed", "exclusion", [HIV]),  # first sentence only
        ("Documented HIV-1 infection", "inclusion", [HIV]),  # an HIV trial
        ("No known HIV infection", "inclusion", [{"not": HIV}]),
        ("Seronegative for HIV", "inclusion", [{"not": HIV}]),
        ("Positive blood screen for hepatitis B surface antigen and/or C antibodies", "exclusion", [{"any": [HBV, HCV]}]),
        # 'negative' belongs to the pregnancy test, not to HIV
        ("HIV-positive adults with a negative pregnancy test", "inclusion", [HIV]),
        ("HIV negative", "exclusion", []),
        ("HIV testing will be performed at screening", "inclusion", []),  # no state
        ("Strong CYP3A4 inducers (e.g. rifampicin, anti HIV drugs)", "exclusion", []),  # a drug, not the infection
        # clauses after a semicolon continue the list
        ("Active hepatitis B; known HIV or hepatitis C infection", "exclusion", [{"any": [HBV, HIV, HCV]}]),
        # a mention that explains the criterion, in a later sentence or as the population a drug was tested in
        ("Not breastfeeding. Its safety was established in HIV positive patients", "inclusion", []),
        ("Breastfeeding women: the study drug was tested in HIV positive women only", "exclusion", []),
        # infected patients of one kind: the infection alone would exclude more
        ("Hepatitis B carriers receiving antiviral prophylaxis", "exclusion", [None]),
    ],
    "hypertension": [
        ("Uncontrolled hypertension", "exclusion", [{"condition": {"code": "uncontrolled_hypertension", "active": True}}]),
        ("No poorly controlled high blood pressure", "inclusion",
         [{"not": {"condition": {"code": "uncontrolled_hypertension", "active": True}}}]),
        ("Uncontrolled hypertension (systolic > 160 mmHg)", "exclusion", []),  # a threshold defines it
        ("Severe heart disease (e.g. uncontrolled hypertension)", "exclusion", []),  # an example of something else
        ("Controlled hypertension is allowed", "exclusion", []),
    ],
    # held-out batch 13: the library's rheumatic diagnoses, by their names
    "rheumatic": [
        ("History of scleroderma", "exclusion", [{"condition": {"code": "systemic_sclerosis"}}]),
        ("Diagnosed with ankylosing spondylitis", "inclusion", [{"condition": {"code": "ankylosing_spondylitis"}}]),
        ("Free of rheumatoid arthritis", "inclusion", [{"not": {"condition": {"code": "rheumatoid_arthritis"}}}]),
        ("Localized scleroderma", "exclusion", [None]),  # not systemic sclerosis
        ("Family history of rheumatoid arthritis", "exclusion", [None]),
        ("Connective tissue disease (e.g. systemic sclerosis)", "exclusion", [None]),  # an example of something else
        ("Rheumatoid factor above 20 IU/mL", "exclusion", []),
    ],
    "pregnancy": [
        ("Pregnant or breast-feeding women", "exclusion", [{"all": [FEMALE, {"ref": "pregnant_or_lactating"}]}]),
        ("Pregnant women", "exclusion", [{"all": [FEMALE, {"ref": "pregnant"}]}]),
        ("lactating women", "exclusion", [{"all": [FEMALE, {"ref": "lactating"}]}]),
        ("Negative serum or urine pregnancy test", "inclusion",
         [{"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]),
        # the sample types joined by a slash, and the test scoped to female participants
        ("Female participants of childbearing potential: negative serum/urine pregnancy test", "inclusion",
         [{"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]),
        ("Not pregnant or nursing", "inclusion", [{"not": {"all": [FEMALE, {"ref": "pregnant_or_lactating"}]}}]),
        # a negative test given as the evidence of a state that also names breast-feeding: the state
        ("Women who can bear children must not be breastfeeding or pregnant at screening (negative serum "
         "pregnancy test required)", "inclusion", [{"not": {"all": [FEMALE, {"ref": "pregnant_or_lactating"}]}}]),
        ("Male or non-pregnant, non-lactating females", "inclusion",
         [{"not": {"all": [FEMALE, {"ref": "pregnant_or_lactating"}]}}]),
        ("women who plan to become pregnant", "exclusion", []),  # about contraception
        ("Pregnant women", "inclusion", [{"ref": "pregnant"}]),  # an inclusion of pregnant women (sixty-second batch)
        ("negative pregnancy test", "exclusion", []),
        # a bracket between the specimen and the test: its sensitivity, the assay
        ("Women able to conceive need a negative urine (sensitivity 25 mIU/mL) pregnancy test", "inclusion",
         [{"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]),
        ("a negative (β-hCG) pregnancy test for females of childbearing potential", "inclusion",
         [{"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]),
        ("Residents of a nursing home", "exclusion", []),
        # a kind or a complication of pregnancy names no pregnancy state (the trial may enrol pregnant women)
        ("Twin or triplet pregnancy", "exclusion", [None]),
        ("Ectopic pregnancy suspected", "exclusion", [None]),
        ("Any disorder that complicates the pregnancy", "exclusion", [None]),
        ("Obstetric conditions complicating pregnancy", "exclusion", [None]),
        # a mention about avoiding pregnancy is none; a clause after ';' continues the statement
        ("Pregnant woman or woman planning to become pregnant during the study; breast-feeding woman.", "exclusion",
         [{"all": [FEMALE, {"ref": "pregnant_or_lactating"}]}]),
    ],
    "consent": [
        # no one to consent for the participant: availability of a relative, not the consent record
        ("No family member available to sign the informed consent", "exclusion", [None]),
        ("Lack of a legal representative to provide written consent", "exclusion", [None]),
        ("Signed written informed consent", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("informed consent obtained before screening", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("have given their consent to participate in the study", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("Gives consent to participate in this trial.", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("Informed consent by participant or caregiver", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("Signed written informed consent", "exclusion", []),
        # a parent's, guardian's or legal representative's consent is the participant's consent fact
        ("Informed consent of a legal guardian", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("A parent or guardian gives consent for the child's participation", "inclusion",
         [{"ref": "informed_consent_signed"}]),
        ("Willingness of the patient's legally authorised representative to give written informed consent",
         "inclusion", [{"ref": "informed_consent_signed"}]),
        ("Legal guardian unwilling to sign the informed consent form", "exclusion",
         [{"not": {"ref": "informed_consent_signed"}}]),
        ("Able to give written consent", "inclusion", [{"ref": "informed_consent_signed"}]),
        # an exclusion of those who did not consent
        ("Subjects who did not sign the informed consent form", "exclusion", [{"not": {"ref": "informed_consent_signed"}}]),
        ("Refusal to provide written informed consent", "exclusion", [{"not": {"ref": "informed_consent_signed"}}]),
        ("If applicable, signed informed consent", "inclusion", []),
        ("able to provide informed assent and supported by parental consent", "inclusion", []),
        ("Willing to consent to their personal details being entered onto a database", "inclusion", []),
    ],
    "events": [
        ("Immunosuppressants within 30 days", "exclusion",
         [{"medication": {"code": "immunosuppressive_therapy", "within": "30 days"}}]),
        ("Any vaccination in the 10 days preceding day 1", "exclusion", [{"medication": {"code": "vaccines", "within": "10 days"}}]),
        ("Chemotherapy within 4 weeks before enrolment", "exclusion",
         [{"medication": {"code": "antineoplastic_agents", "within": "4 weeks"}}]),
        ("participation in another clinical trial in the past 30 days", "exclusion",
         [{"participation": {"within": "30 days"}}]),
        ("Participation in any other interventional trial within 3 months prior to Visit 1", "exclusion",
         [{"participation": {"within": "3 months"}}]),
        ("immunosuppressive medication within 6 months", "exclusion",
         [{"medication": {"code": "immunosuppressive_therapy", "within": "6 months"}}]),
        ("steroids (e.g. prednisone) within 14 days", "exclusion",
         [{"medication": {"code": "systemic_corticosteroids", "within": "14 days"}}]),
        ("allogeneic stem cell transplant within 6 months", "exclusion",
         [{"procedure": {"code": "allo_hsct", "within": "6 months"}}]),
        # a procedure done before, without a window: at any time
        ("History of allogeneic bone marrow transplantation", "exclusion", [{"procedure": {"code": "allo_hsct"}}]),
        ("Allogeneic stem cell transplant planned after induction", "exclusion", []),
        # negation and 'since'
        ("No prior chemotherapy within 5 years", "inclusion",
         [{"not": {"medication": {"code": "antineoplastic_agents", "within": "5 years"}}}]),
        ("At least 5 years since prior chemotherapy", "inclusion",
         [{"not": {"medication": {"code": "antineoplastic_agents", "within": "5 years"}}}]),
        ("Received any vaccine within 30 days prior to the first study vaccination", "exclusion",
         [{"medication": {"code": "vaccines", "within": "30 days"}}]),
        ("cancer vaccine within 4 weeks", "exclusion", []),  # not the vaccines value set
        ("Measles vaccination or booster within the last 3 months", "exclusion", []),
        ("Recent (within 30 days), current or anticipated use of any immunosuppressive or immune modifying medication",
         "exclusion",  # a window before the mention
         [{"medication": {"code": "immunosuppressive_therapy", "within": "30 days"}}]),
        ("Measles vaccination within 3 months or planned during the clinical study", "exclusion", []),  # this study
        ("live attenuated vaccine within 4 weeks", "exclusion", []),
        ("chemotherapy; surgery within 4 weeks", "exclusion", []),  # the window belongs to another clause
        ("chemotherapy in 5 years", "exclusion", []),  # no window
        ("Took part in any other clinical research within the previous 2 months", "exclusion",
         [{"participation": {"within": "2 months"}}]),
        ("previous clinical studies of an influenza vaccine within 6 months", "exclusion", [None]),  # trials of one kind
        # a dose or a duration of use the definition does not check: left for review
        ("High doses of systemic steroids in the past 2 months (over 40 mg prednisolone a day)", "exclusion", [None]),
        ("Long-term use (more than 30 days) of immunosuppressive drugs within the last year", "exclusion", [None]),
        # windows paired with the things before them ('respectively'): each has its own, left for review
        ("Chemotherapy or hormone therapy within the 4 weeks or 2 weeks, respectively, before day 1", "exclusion", [None]),
        # 'with an investigational drug' says what any interventional trial is, not a kind of trial
        ("Enrolment in another interventional study with an investigational drug during the last 3 months", "exclusion",
         [{"participation": {"within": "3 months"}}]),
    ],
    "malignancy": [
        # a treatment for cancer is a treatment, not a diagnosis
        ("Systemic therapy for malignancy during the past 2 years", "exclusion", [None]),
        ("Any prior chemotherapy or radiotherapy for cancer within 5 years", "exclusion", [None]),
        ("history of cancer within the past five years", "exclusion",
         [{"condition": {"code": "malignancy", "within": "5 years"}}]),
        ("Malignancy within 5 years except adequately treated cervical carcinoma in situ or skin squamous or basal cell "
         "carcinoma", "exclusion",
         [{"condition": {"code": "malignancy", "within": "5 years",
                         "except": ["skin_bcc_scc", "cervical_carcinoma_in_situ"]}}]),
        ("Prior malignancy except non-melanoma skin cancer", "exclusion",
         [{"condition": {"code": "malignancy", "except": "skin_bcc_scc"}}]),
        ("Active malignancy", "exclusion", [{"ref": "active_malignancy"}]),
        ("Has a current diagnosis of malignancy", "exclusion", [{"ref": "active_malignancy"}]),
        ("Participants currently diagnosed with cancer", "exclusion", [{"ref": "active_malignancy"}]),
        # active within a window: a malignancy overlapping the window, not one active today
        ("current or active cancer during the previous 3 years", "exclusion",
         [{"condition": {"code": "malignancy", "within": "3 years"}}]),
        ("No prior malignancy", "inclusion", [{"not": {"condition": {"code": "malignancy"}}}]),
        # an exception not recognised, another malignancy than the trial's, a site
        ("Malignancy within 3 years except basal cell carcinoma", "exclusion", [None]),
        ("No other malignancy within the past year", "inclusion", [None]),
        ("No lung cancer within the past 2 years", "inclusion", []),
        ("Cancer vaccine therapy", "exclusion", []),
        # one member of a list of diseases in an exclusion: a current malignancy
        ("Any of these comorbidities: heart failure; cancer; cirrhosis", "exclusion", [{"ref": "active_malignancy"}]),
        ("Serious chronic illness such as cancer or end-stage renal disease", "exclusion",
         [{"ref": "active_malignancy"}]),
        ("Known conditions: diabetes, breast cancer, stroke", "exclusion", []),  # a site
        ("Unstable illnesses, for instance angina, cancer, epilepsy", "exclusion", []),  # a state not coded
        ("Diagnosed with one of: cancer, sarcoidosis", "inclusion", []),  # a list the inclusion requires: the trial's own
    ],
    "transplant": [
        ("Prior solid organ transplant", "exclusion", [{"condition": {"code": "organ_transplant"}}]),
        ("Recipients of a bone marrow or organ transplant", "exclusion", [{"condition": {"code": "organ_transplant"}}]),
        ("No history of organ transplantation", "inclusion", [{"not": {"condition": {"code": "organ_transplant"}}}]),
        ("Kidney transplant recipients", "exclusion", []),  # one organ: not every organ of the value set
        ("Candidates for organ transplantation", "exclusion", []),  # not received
        # another kind of graft listed with the organs (tissue, cells) is not in the value set: not drafted
        ("History of allogeneic tissue or solid organ transplantation", "exclusion", []),
        ("Prior stem cells and organ transplant", "exclusion", []),
    ],
    "labs": [
        # lymphocytes (not a subset's), 'RR' for the respiratory rate, PaO2/FiO2 in mmHg, an eGFR 'in mL/min'
        ("Absolute lymphocyte count ≥ 500 cells/mm3", "inclusion", [{"latest": {"code": "lymphocytes", "ge": f"0.5 {COUNTS}"}}]),
        ("CD4+ T-lymphocytes < 200/µL", "exclusion", []),
        ("RR ≥ 30 breaths per minute", "exclusion", [{"latest": {"code": "respiratory_rate", "ge": "30 /min"}}]),
        ("PaO2:FiO2 < 200", "exclusion", [{"latest": {"code": "pf_ratio", "lt": "200 mm[Hg]"}}]),
        ("Systolic BP ≥ 160 mmHg", "exclusion", [{"latest": {"code": "systolic_bp", "ge": "160 mm[Hg]"}}]),
        ("ANC ≥ 1.0 G/L", "inclusion", [{"latest": {"code": "neutrophils", "ge": f"1 {COUNTS}"}}]),  # giga per litre
        ("haemoglobin ≥ 90 g/L", "inclusion", [{"latest": {"code": "hemoglobin", "ge": "90 g/L"}}]),  # grams
        ("eGFR ≤ 45 ml/min", "exclusion", [{"latest": {"code": "egfr", "le": "45 mL/min/{1.73_m2}"}}]),  # see below
        ("Hemoglobin ≥ 9 g/dL", "inclusion", [{"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]),
        ("Hemoglobin 9 g/dL or more", "inclusion", [{"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]),
        ("Serum creatinine of 2.0 mg/dl or less", "inclusion", [{"latest": {"code": "creatinine", "le": "2 mg/dL"}}]),
        ("total bilirubin ≤ 25 µmol/L", "inclusion", [{"latest": {"code": "total_bilirubin", "le": "25 umol/L"}}]),
        ("Platelet count of 100.000/mm³ or more", "inclusion", [{"latest": {"code": "platelets", "ge": f"100 {COUNTS}"}}]),
        ("platelets ≥ 100.000/mmc", "inclusion", [{"latest": {"code": "platelets", "ge": f"100 {COUNTS}"}}]),
        ("ANC ≥ 1.5 x 10^9/L", "inclusion", [{"latest": {"code": "neutrophils", "ge": f"1.5 {COUNTS}"}}]),
        ("WBC ≥ 4.0×109/L", "inclusion", [{"latest": {"code": "leukocytes", "ge": f"4 {COUNTS}"}}]),
        ("platelets ≥ 100 x 10^3/uL", "inclusion", [{"latest": {"code": "platelets", "ge": f"100 {COUNTS}"}}]),
        ("Platelets less than (<) 75,000/mm3", "exclusion", [{"latest": {"code": "platelets", "lt": f"75 {COUNTS}"}}]),
        ("platelets < or equal to 50,000/mm3", "exclusion", [{"latest": {"code": "platelets", "le": f"50 {COUNTS}"}}]),
        ("BMI <18 or >35 kg/m2", "exclusion",  # the trailing unit applies to both bounds
         [{"any": [{"latest": {"code": "bmi", "lt": "18 kg/m2"}}, {"latest": {"code": "bmi", "gt": "35 kg/m2"}}]}]),
        ("Body Mass Index (BMI) of 18 to 35 kg/m2, inclusive", "inclusion",
         [{"latest": {"code": "bmi", "between": ["18 kg/m2", "35 kg/m2"]}}]),
        ("oral temperature of >100.4 °F", "exclusion", [{"latest": {"code": "body_temperature", "gt": "38 Cel"}}]),
        ("fever ≥ 38 °C", "exclusion", [{"latest": {"code": "body_temperature", "ge": "38 Cel"}}]),
        ("SpO2 ≤ 94%", "inclusion", [{"latest": {"code": "spo2", "le": "94 %"}}]),
        ("PaO2/FiO2 < 300 mmHg", "inclusion", [{"latest": {"code": "pf_ratio", "lt": "300 mm[Hg]"}}]),
        ("CRP > 50 and < 150 mg/l", "inclusion", [{"latest": {"code": "crp", "gt": "50 mg/L", "lt": "150 mg/L"}}]),
        ("Creatinine clearance ≥ 60 mL/min", "inclusion",
         [{"latest": {"code": "creatinine_clearance", "ge": "60 mL/min"}}]),
        ("QTcF > 470 msec", "exclusion", [{"latest": {"code": "qtc", "gt": "470 ms"}}]),
        ("QTc > 480", "exclusion", [{"latest": {"code": "qtc", "gt": "480 ms"}}]),  # QTc has one unit: ms
        ("HbA1c ≥ 7.5%", "inclusion", [{"latest": {"code": "hba1c", "ge": "7.5 %"}}]),
        ("HbA1c ≥ 58 mmol/mol", "inclusion", [{"latest": {"code": "hba1c", "ge": "58 mmol/mol"}}]),
        ("ALT ≤ 100 IU/L", "inclusion", [{"latest": {"code": "alt", "le": "100 U/L"}}]),
        ("AST ≤ 100 U/L", "inclusion", [{"latest": {"code": "ast", "le": "100 U/L"}}]),
        ("ferritin > 500 ng/mL", "inclusion", [{"latest": {"code": "ferritin", "gt": "500 ng/mL"}}]),
        ("D-dimer > 1000 ng/mL", "inclusion", [{"latest": {"code": "d_dimer", "gt": "1000 ng/mL"}}]),
        ("LDH > 250 U/L", "inclusion", [{"latest": {"code": "ldh", "gt": "250 U/L"}}]),
        ("weight ≥ 40 kg", "inclusion", [{"latest": {"code": "body_weight", "ge": "40 kg"}}]),
        ("INR ≤ 1.5", "inclusion", [{"latest": {"code": "inr", "le": 1.5}}]),
        ("fasting glucose ≥ 7 mmol/L", "inclusion", [{"latest": {"code": "fasting_glucose", "ge": "7 mmol/L"}}]),
        ("eGFR < 30 mL/min/1.73m^2", "exclusion", [{"latest": {"code": "egfr", "lt": "30 mL/min/{1.73_m2}"}}]),
        # eGFR is reported per 1.73 m2: a threshold in mL/min is read so (at lower confidence, below)
        ("glomerular filtration rate (GFR) of 45 mL/minute or more", "inclusion",
         [{"latest": {"code": "egfr", "ge": "45 mL/min/{1.73_m2}"}}]),
        ("SBP ≥ 90 mmHg", "inclusion", [{"latest": {"code": "systolic_bp", "ge": "90 mm[Hg]"}}]),
        ("BP > 140/90 mmHg", "exclusion", [{"any": [{"latest": {"code": "systolic_bp", "gt": "140 mm[Hg]"}},
                                                   {"latest": {"code": "diastolic_bp", "gt": "90 mm[Hg]"}}]}]),
        ("respiratory rate < 17 breaths pm", "inclusion", [{"latest": {"code": "respiratory_rate", "lt": "17 /min"}}]),
        ("respiration frequency of 30/min or more", "exclusion",
         [{"latest": {"code": "respiratory_rate", "ge": "30 /min"}}]),
        ("SatO2 ≥ 92% on room air", "inclusion", [{"latest": {"code": "spo2", "ge": "92 %"}}]),
        ("RR > 30 breaths per minute", "exclusion", [{"latest": {"code": "respiratory_rate", "gt": "30 /min"}}]),
        ("RR ≥ 160/100 mmHg", "exclusion", []),  # 'RR' of a blood pressure (Riva-Rocci): not the respiratory rate
        ("O2 at rest of 93% or less", "exclusion", [{"latest": {"code": "spo2", "le": "93 %"}}]),
        ("absolute lymphocyte count (ALC) of 800/mm3 or more", "inclusion",
         [{"latest": {"code": "lymphocytes", "ge": f"0.8 {COUNTS}"}}]),
        ("CD4+ lymphocytes < 200/mm3", "exclusion", []),  # a T-cell subset, not the lymphocyte count
        ("Interleukin 6 (IL-6) ≥ 35 pg/ml", "inclusion", [{"latest": {"code": "il6", "ge": "35 pg/mL"}}]),
        ("SpO2 by pulse oximetry of 92% or lower", "inclusion", [{"latest": {"code": "spo2", "le": "92 %"}}]),
        ("oxygen saturation measured by pulse oximetry < 90%", "exclusion", [{"latest": {"code": "spo2", "lt": "90 %"}}]),
        ("PaO2:FiO2 below 200", "inclusion", [{"latest": {"code": "pf_ratio", "lt": "200 mm[Hg]"}}]),  # one unit: mmHg
        # a window stated after the threshold is the latest value's; in hours, or for a fever, it is not drafted
        ("ANC of 1,500/µL or more within the past 4 weeks", "inclusion",
         [{"latest": {"code": "neutrophils", "ge": f"1.5 {COUNTS}", "within": "4 weeks"}}]),
        ("body temperature above 38.5 °C during the last 2 days", "exclusion", [None]),
        ("SpO2 < 90% within the previous 24 hours", "exclusion", [None]),
        # thresholds by sex, a unit stated once
        ("Hb ≥ 13 g/dL for men, ≥ 12 g/dL for women", "inclusion",
         [{"any": [{"all": [{"sex": ["male"]}, {"latest": {"code": "hemoglobin", "ge": "13 g/dL"}}]},
                   {"all": [{"sex": ["female"]}, {"latest": {"code": "hemoglobin", "ge": "12 g/dL"}}]}]}]),
        ("creatinine above 1.4 mg/dL (women) or above 1.6 (men)", "exclusion",
         [{"any": [{"all": [FEMALE, {"latest": {"code": "creatinine", "gt": "1.4 mg/dL"}}]},
                   {"all": [{"sex": ["male"]}, {"latest": {"code": "creatinine", "gt": "1.6 mg/dL"}}]}]}]),
        # multiples of the upper limit of normal, as the rule language writes them; one without a comparison is not
        ("Creatinine ≤ 1.5 x ULN", "inclusion", [{"latest": {"code": "creatinine", "le": "1.5 x ULN"}}]),
        ("ALT no more than three times the ULN", "inclusion", []),  # a number in words is not read
        ("SGPT 2 x institutional norm", "inclusion", [None]),
        # two analytes sharing one threshold: both in an inclusion, either in an exclusion ('and' asks both)
        ("SGOT and SGPT < 3 x ULN", "inclusion", [{"all": [{"latest": {"code": "ast", "lt": "3 x ULN"}},
                                                          {"latest": {"code": "alt", "lt": "3 x ULN"}}]}]),
        ("Transaminases: ALT or AST ≥ 3 × ULN", "exclusion", [{"any": [{"latest": {"code": "alt", "ge": "3 x ULN"}},
                                                                      {"latest": {"code": "ast", "ge": "3 x ULN"}}]}]),
        ("Platelets, ANC ≥ 1500/mm3", "inclusion", [{"latest": {"code": "neutrophils", "ge": f"1.5 {COUNTS}"}}]),
        # a list sharing the threshold after its last member, other names in brackets included
        ("SGOT, SGPT and bilirubin ≤ 2 x ULN", "inclusion",
         [{"all": [{"latest": {"code": "ast", "le": "2 x ULN"}}, {"latest": {"code": "alt", "le": "2 x ULN"}},
                   {"latest": {"code": "total_bilirubin", "le": "2 x ULN"}}]}]),
        ("ALT (SGPT), AST (SGOT) or total bilirubin > 3 x ULN", "exclusion",
         [{"any": [{"latest": {"code": "alt", "gt": "3 x ULN"}}, {"latest": {"code": "ast", "gt": "3 x ULN"}},
                   {"latest": {"code": "total_bilirubin", "gt": "3 x ULN"}}]}]),
        # a window after a multiple of the ULN, or after how the value was got
        ("ALT ≤ 3 x ULN within 14 days before enrolment", "inclusion",
         [{"latest": {"code": "alt", "le": "3 x ULN", "within": "14 days"}}]),
        ("Creatinine clearance ≥ 50 mL/min (Cockcroft-Gault) from a sample drawn within 21 days of registration",
         "inclusion", [{"latest": {"code": "creatinine_clearance", "ge": "50 mL/min", "within": "21 days"}}]),
        ("Creatinine clearance > 60 mL/min by Cockcroft-Gault, measured within 28 days of randomisation", "inclusion",
         [{"latest": {"code": "creatinine_clearance", "gt": "60 mL/min", "within": "28 days"}}]),
        # a window of something else between ('without transfusion ... within 14 days') is not the value's
        ("Hb ≥ 10 g/dL without transfusion performed within 14 days", "inclusion",
         [{"latest": {"code": "hemoglobin", "ge": "10 g/dL"}}]),
        ("Bilirubin ≤ 1.5 x ULN; AST ≤ 3 x ULN within 7 days", "inclusion",  # the window is the second clause's
         [{"latest": {"code": "total_bilirubin", "le": "1.5 x ULN"}},
          {"latest": {"code": "ast", "le": "3 x ULN", "within": "7 days"}}]),
        # recognised, not drafted: no unit, a unit that does not convert, two lower bounds
        ("WBC 3 or more", "inclusion", [None]),
        # (a count of 1,000 or more without a unit can only be per µL: drafted, the unit assumed in the reading)
        ("WBC 3,000 or more", "inclusion", [{"latest": {"code": "leukocytes", "ge": "3 10*3/uL"}}]),
        ("platelets ≥ 75 mmHg", "inclusion", [None]),
        ("Hemoglobin ≥ 9 g/dL and ≥ 10 g/dL", "inclusion", [None]),
        ("Platelets >= 100,000/mm3 or >= 75,000/mm3 if bone marrow involvement", "inclusion", [None]),
        ("Urine dipstick for protein and glucose", "inclusion", []),  # no threshold
        ("birth weight of ≥ 2.5 kg", "inclusion", []),  # not the body weight
    ],
}


def _cases() -> list[Any]:
    return [pytest.param(name, text, kind, expected, id=f"{name}: {text[:40]} ({kind})")
            for name, examples in EXAMPLES.items() for text, kind, expected in examples]


@pytest.mark.parametrize(("name", "text", "kind", "expected"), _cases())
def test_recogniser_drafts_what_the_text_states(name: str, text: str, kind: str,
                                                 expected: list[dict[str, Any] | None]) -> None:
    findings = RECOGNISERS[name](ItemText(text, kind))
    assert [f.when for f in findings] == expected
    for f in findings:
        assert f.span == text[f.start:f.end] or f.span == text[f.start:f.end].strip()
        assert f.reading and (f.when is None or 0 < f.confidence <= 1)


def test_every_recogniser_has_examples_both_ways() -> None:
    assert set(EXAMPLES) == set(RECOGNISERS)
    for name, examples in EXAMPLES.items():
        assert any(e for _, _, e in examples) and any(not e for _, _, e in examples), name


def test_an_age_heading_makes_a_bare_range_an_age() -> None:
    (f,) = RECOGNISERS["age"](ItemText("18 and over", "inclusion", group="PATIENT CHARACTERISTICS: Age"))
    assert f.when == {"age": {"ge": 18}} and f.confidence == 0.8


def test_readings_of_what_is_not_drafted_say_why() -> None:
    (uln,) = RECOGNISERS["labs"](ItemText("AST ≤ 2.5 x ULN", "inclusion"))
    assert uln.when == {"latest": {"code": "ast", "le": "2.5 x ULN"}} and uln.confidence == 0.7
    assert "reference range" in uln.reading
    (days,) = RECOGNISERS["age"](ItemText("≥ 14 days to < 28 days of age", "inclusion"))
    assert days.reading.startswith("age >= 14 days and < 28 days: age is evaluated in completed years")
    (unit,) = RECOGNISERS["labs"](ItemText("WBC 3 or more", "inclusion"))
    assert "no unit is stated" in unit.reading
    (count,) = RECOGNISERS["labs"](ItemText("WBC 3,000 or more", "inclusion"))
    assert "a cell count of 1,000 or more is read per µL" in count.reading and count.confidence == 0.6
    (by_proxy,) = RECOGNISERS["consent"](ItemText("Informed consent of a legal guardian", "inclusion"))
    assert "representative's consent counts" in by_proxy.reading


def _whens(text: str, kind: str = "inclusion", **context: Any) -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind, **context))]


def test_definitions_that_do_not_account_for_their_item_are_not_drafted() -> None:
    # an alternative threshold under a condition would weaken the requirement
    assert _whens("Platelets >= 100,000/mm3 or >= 75,000/mm3 if bone marrow involvement") == [None]
    # 'for individuals ...' qualifies; an age inside it is a condition, not a requirement
    assert _whens("Creatinine above protocol specified thresholds for < 1 year of age.", "exclusion") == [None]
    # cohorts, sites, scores, the investigator's discretion, 'persistently'
    assert _whens("Cohort 5: ≥ 14 days to < 28 days of age, gestational age > 37 weeks and weight at screening "
                  "≥ 2.5 kg") == [None, None]
    assert _whens("only at Berlin and Jena sites: are neither pregnant nor breastfeeding") == [None]
    assert _whens("2 points each: serum potassium <3.6, QTc>449", "exclusion") == [None]
    assert _whens("hypertension (BP persistently >140/90 mmHg)", "exclusion") == [None]
    # an exception, however written ('... excepted'); one that names only local routes changes nothing
    assert _whens("Other vaccination within 4 weeks (seasonal influenza vaccine excepted).", "exclusion") == [None]
    assert _whens("Corticosteroids within 30 days (excluding nasal, ophthalmic, and other topical preparations).",
                  "exclusion") == [{"medication": {"code": "systemic_corticosteroids", "within": "30 days"}}]
    # an alternative that is not recognised, in an inclusion; an exclusion keeps the recognised one
    assert _whens("Creatinine clearance ≥ 15 mL/minute or receiving renal replacement therapy") == [None]
    assert _whens("Pregnancy, or unwilling to use contraception", "exclusion") == [
        {"all": [FEMALE, {"ref": "pregnant"}]}]
    # a sentence whose subject is an age group it does not give the ages of: those ages only
    assert _whens("Infants weighing under 5 kg", "exclusion") == [None]
    assert _whens("Participants 12 to 17 years old weighing 40 kg or more") == [
        {"age": {"between": [12, 17]}}, {"latest": {"code": "body_weight", "ge": "40 kg"}}]
    # a scope that takes in everyone does not qualify
    assert _whens("Haemoglobin ≥ 10 g/dL for all subjects") == [{"latest": {"code": "hemoglobin", "ge": "10 g/dL"}}]
    # another threshold no definition accounts for
    assert _whens("Hemoglobin ≥ 9 g/dL with Karnofsky ≥ 70") == [None]
    assert _whens("Hemoglobin < 9 g/dL and Karnofsky < 70", "exclusion") == [None]  # both together exclude


def test_permissions_parts_alternatives_and_windows_qualify_as_they_should() -> None:
    # 'weighing' is a body weight: with the age, both thresholds are accounted for
    assert _whens("Aged 12 or over and weighs ≥ 40 kg") == [{"age": {"ge": 12}}, {"latest": {"code": "body_weight", "ge": "40 kg"}}]
    # a part of the study however capitalised; a clause that is an alternative of the one before it
    assert _whens("ECOG 0-2 (Part B only)") == [None]
    assert _whens("Adults 18 years or over, or adolescents 12 to 17 years weighing ≥ 40 kg") == [None]
    assert _whens("Women able to bear children (menstruating, or sterilised by tubal ligation) need a negative "
                  "serum pregnancy test") == [{"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]  # inside ()
    # in an exclusion, 'with' joins two definitions into one; 'and' mixed with 'or' is left to the reader
    assert _whens("AST > 3 x ULN together with total bilirubin > 2 x ULN", "exclusion") == [
        {"all": [{"latest": {"code": "ast", "gt": "3 x ULN"}}, {"latest": {"code": "total_bilirubin", "gt": "2 x ULN"}}]}]
    mixed = _whens("Platelets < 50,000/µL or platelets < 100,000/µL and INR > 1.5", "exclusion")
    assert mixed and all(w is None for w in mixed)
    # a bound on the time from an event is a window, not another threshold
    assert _whens("Women of childbearing potential: negative serum pregnancy test ≤ 72 hours before randomisation") == [
        {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]
    assert _whens("Chemotherapy < 3 weeks prior to the first dose", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "3 weeks"}}]
    # in an inclusion, thresholds given as examples of what it requires ('signs of ..., such as', 'e.g.')
    # are not requirements; in an exclusion an example of what excludes still excludes; an example after
    # the definition leaves it as it is
    assert _whens("Signs of a mild infection, for example temperature > 37.5 °C or pulse > 100/min") == [None]
    assert _whens("Evidence of adequate perfusion, e.g. systolic blood pressure > 100 mmHg") == [None]
    assert _whens("Evidence of sepsis, e.g. systolic blood pressure < 90 mmHg", "exclusion") == [
        {"latest": {"code": "systolic_bp", "lt": "90 mm[Hg]"}}]
    assert _whens("Systemic steroids within 14 days (e.g. prednisone)", "exclusion") == [
        {"medication": {"code": "systemic_corticosteroids", "within": "14 days"}}]
    # 'chemo' is chemotherapy, also after its window; 'chemo-naive' is not an event
    assert _whens("Chemo or radiotherapy within 4 weeks before day 1", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "4 weeks"}}]
    assert _whens("Anticancer therapy in the past 3 months (chemo, hormonal therapy)", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "3 months"}}]
    assert _whens("chemo-naive patients within 3 months of diagnosis", "exclusion") == []
    # corticosteroids named as one of the immunosuppressants: the immunosuppressants' value sets, once
    assert _whens("Treatment with steroids or other immunosuppressive drugs in the past 30 days", "exclusion") == [
        {"medication": {"code": ["immunosuppressive_therapy", "systemic_corticosteroids"], "within": "30 days"}}]
    # a sentence that lets patients with a diagnosis in is a permission, not a requirement
    assert _whens("HIV-positive participants with an undetectable viral load may be enrolled") == [None]
    assert _whens("Patients with hepatitis B are allowed if the viral load is undetectable", "exclusion") == [None]

    # a life expectancy is the investigator's estimate anyway: saying so qualifies nothing
    assert _whens("Estimated life expectancy ≥ 12 weeks in the investigator's judgement") == [
        {"life_expectancy_months": {"ge": 2.76}}]


def test_an_age_scope_becomes_a_condition() -> None:
    assert _whens("for patients over 65 years, ECOG 0-1") == [
        {"any": [{"not": {"age": {"gt": 65}}}, {"latest": {"code": "ecog", "between": [0, 1]}}]}]
    assert _whens("eGFR < 30 mL/min/1.73m^2 using Schwartz formula for individuals ≥ 1 year of age.", "exclusion") == [
        {"all": [{"age": {"ge": 1}}, {"latest": {"code": "egfr", "lt": "30 mL/min/{1.73_m2}"}}]}]
    # a condition in the next clause does not scope the definition before it
    assert _whens("Able to provide informed consent, and if adolescent age 18+ years, parental involvement") == [
        {"ref": "informed_consent_signed"}, None]


def test_alternatives_both_recognised_become_one_definition() -> None:
    assert _whens("Serum creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60 mL/min") == [
        {"any": [{"latest": {"code": "creatinine", "le": "1.5 mg/dL"}},
                 {"latest": {"code": "creatinine_clearance", "ge": "60 mL/min"}}]}]
    # also past a condition of the first measurement ('at rest', 'on room air')
    assert _whens("oxygen saturation of 93% or less at rest or respiratory rate of 30/min or more") == [
        {"any": [{"latest": {"code": "spo2", "le": "93 %"}}, {"latest": {"code": "respiratory_rate", "ge": "30 /min"}}]}]


def test_an_alternative_past_a_condition_of_the_measurement_is_one_the_inclusion_offers() -> None:
    assert _whens("SaO2 ≤ 92% while breathing ambient air or on supplemental oxygen") == [None]
    assert _whens("SaO2 ≤ 92% while breathing ambient air or on supplemental oxygen", "exclusion") == [
        {"latest": {"code": "spo2", "le": "92 %"}}]
    # an 'or' further on, in a phrase of its own, is no alternative of the requirement
    assert _whens("Hemoglobin ≥ 9 g/dL, measured by the local or central laboratory") == [
        {"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]


def test_items_nested_under_alternatives_scores_or_cohorts() -> None:
    lvef = "New global systolic dysfunction with ejection fraction ≤ 40%"
    assert _whens(lvef, ancestors=("Critical disease manifested by any of the following:",)) == [None]
    assert _whens(lvef, "exclusion", ancestors=("Any of the following findings at Visit 1:",)) == [
        {"latest": {"code": "lvef", "le": "40 %"}}]
    assert _whens("age>67, female sex", "exclusion", ancestors=("Tisdale36 score exceeding 6 as tallied below",)) == [None]


def test_items_under_a_subgroup_of_alternatives_or_a_definition_and_listed_alternatives() -> None:
    # a subgroup heading (or lead-in) that offers alternatives, in an inclusion; an exclusion keeps each one
    d_dimer = {"latest": {"code": "d_dimer", "gt": "1000 ng/mL"}}
    assert _whens("D-dimer > 1000 ng/mL", group="Raised inflammatory markers, one or more of these") == [None]
    assert _whens("D-dimer > 1000 ng/mL", "exclusion", group="Raised inflammatory markers, one or more of these") == [
        d_dimer]
    # the items of a case definition are not requirements of their own
    assert _whens("Temperature ≥ 38.5 °C", group="Probable influenza case, defined by") == [None]
    assert _whens("Temperature ≥ 38.5 °C", group="Vital signs at screening") == [
        {"latest": {"code": "body_temperature", "ge": "38.5 Cel"}}]
    # alternatives listed in the item's own sentence: the ones after the cue, not what comes before it
    assert _whens("Has at least one of these symptoms: cough, sore throat, temperature ≥ 37.8 °C") == [None]
    assert _whens("Aged 12 to 17 years and meets any of the following: asthma, obesity") == [
        {"age": {"between": [12, 17]}}]


def test_a_pregnancy_test_for_female_subjects_is_drafted_for_women_only() -> None:
    assert _whens("Negative blood/urine pregnancy test in female subjects who can become pregnant") == [
        {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]


def test_an_ecog_score_with_its_karnofsky_equivalent_in_parentheses_is_drafted() -> None:
    assert _whens("WHO performance status 0 or 1 (KPS of 70% or more)") == [
        {"latest": {"code": "ecog", "between": [0, 1]}}]
    assert _whens("ECOG 0-1 or Karnofsky 70-100") == [None]  # an alternative on the other scale


def test_a_threshold_inside_what_something_could_do_is_a_judgement() -> None:
    assert _whens("Liver disease (ALT > 3 x ULN) which might affect the metabolism of the drug", "exclusion") == [None]
    assert _whens("ALT > 3 x ULN, which would not be expected in this population", "exclusion") == [
        {"latest": {"code": "alt", "gt": "3 x ULN"}}]


def test_a_blood_pressure_abbreviation_after_systolic_or_diastolic_is_part_of_its_name() -> None:
    assert _whens("Diastolic blood pressure (BP) above 95 mmHg", "exclusion") == [
        {"latest": {"code": "diastolic_bp", "gt": "95 mm[Hg]"}}]


def test_infection_polarity_is_read_next_to_the_mention() -> None:
    # the example: 'negative' anywhere in the item no longer flips HIV
    assert _whens("HIV-positive adults aged 18 or older with a negative pregnancy test") == [
        HIV, {"age": {"ge": 18}}, {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]


def test_spans_and_confidence() -> None:
    (f,) = RECOGNISERS["age"](ItemText("patients (aged ≥ 18 years) with asthma", "inclusion"))
    assert f.span == "≥ 18 years" and f.confidence == 0.9
    (g,) = RECOGNISERS["pregnancy"](ItemText("Pregnant or breast-feeding women", "exclusion"))
    assert (g.slug, g.span) == ("pregnancy", "Pregnant or breast-feeding women")
    (h,) = RECOGNISERS["events"](ItemText("Chemotherapy within 4 weeks before enrolment", "exclusion"))
    assert h.span == "Chemotherapy within 4 weeks" and h.value_sets == ["antineoplastic_agents"]


def test_a_list_of_treatments_shares_its_window_and_examples_are_not_the_event() -> None:
    assert _whens("Cytotoxic therapy, hormonal therapy, monoclonal antibodies, targeted small molecules or "
                  "an investigational drug within 21 days prior to enrolment", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "21 days"}}, {"participation": {"within": "21 days"}}]
    # a clause between the treatment and the window: not the same list
    assert _whens("Chemotherapy, for any malignancy, solid or haematological, which was diagnosed and treated with "
                  "surgery or radiation within 6 months", "exclusion") == []
    # a treatment named as an example of what a disease required is not the event
    assert _whens("No inflammatory bowel disease that needed treatment in the past year (such as steroids or "
                  "immunosuppressive therapy)") == []
    # nor one a parenthesis allows
    assert _whens("Chemotherapy within 2 weeks before day 1 (topical corticosteroids are allowed)", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "2 weeks"}}]


def test_an_egfr_in_ml_per_minute_is_read_per_1_73_m2_and_says_so() -> None:
    (f,) = RECOGNISERS["labs"](ItemText("eGFR ≥ 60 mL/min", "inclusion"))
    assert f.when == {"latest": {"code": "egfr", "ge": "60 mL/min/{1.73_m2}"}}
    assert f.confidence <= 0.7 and "read as mL/min/1.73 m2" in f.reading


def test_lab_thresholds_in_notes_or_with_an_assumed_unit_are_less_certain() -> None:
    text = "hemoglobin ≥ 9 g/dL\nplatelets ≥ 100 x 10^9/L"
    hb, plt = RECOGNISERS["labs"](ItemText(text, "inclusion", notes_from=text.index("\n")))
    assert hb.confidence == 0.8 and plt.confidence == 0.6 and "footnote" in plt.reading
    (q,) = RECOGNISERS["labs"](ItemText("QTc > 480", "exclusion"))
    assert q.confidence == 0.7 and "no unit is stated: read as ms" in q.reading
    (t,) = RECOGNISERS["labs"](ItemText("oral temperature of >100.4 °F", "exclusion"))
    assert "100.4 °F = 38 °C" in t.reading
    (e,) = RECOGNISERS["labs"](ItemText("eGFR ≥ 60 mL/min", "inclusion"))
    assert e.confidence == 0.7 and "read as per 1.73 m2" in e.reading
    with pytest.raises(UnitError):
        factor("[degF]", "Cel")  # an offset scale: the recogniser converts °F, no multiplier exists


def test_recognise_keeps_the_outer_of_nested_spans() -> None:
    # 'pregnancy test' is no lab, and a lab mention inside the drafted span would be dropped
    text = "Negative serum pregnancy test, hemoglobin ≥ 9 g/dL"
    found = recognise(ItemText(text, "inclusion"))
    assert [f.slug for f in found] == ["pregnancy_test", "hemoglobin"]
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_residual_is_the_content_words_outside_the_drafted_spans() -> None:
    text = "Hemoglobin ≥ 9 g/dL unless transfused recently"
    found = recognise(ItemText(text, "inclusion"))
    assert residual(text, found) == "unless transfused recently"
    assert residual("Known HIV infection", recognise(ItemText("Known HIV infection", "exclusion"))) == ""


def test_people_around_the_participant_are_not_the_participant() -> None:
    # the pregnancy, age or infection of someone the participant lives or works with, or cares for
    for text in ("Volunteers residing with an infant younger than 6 months or a pregnant partner",
                 "Household contacts of a person with HIV infection",
                 "Caring for children under 2 years of age at home"):
        whens = _whens(text, "exclusion")
        assert whens and all(w is None for w in whens), (text, whens)
    # the participant's own pregnancy, next to a contact named in another sentence, is still drafted
    assert _whens("Pregnant women. Health care workers in contact with COVID-19 patients.",
                  "exclusion")[0] == {"all": [FEMALE, {"ref": "pregnant"}]}


def test_an_age_stated_of_one_sex() -> None:
    # an inclusion whose subject is one sex of an age: both are required
    assert sorted(map(str, _whens("Women population aged over 40 years"))) == sorted(map(str, [FEMALE, {"age": {"gt": 40}}]))
    assert _whens("Male older than 21 years") == [{"sex": ["male"]}, {"age": {"gt": 21}}]
    # a rule for women of an age is not a requirement to be a woman
    assert {"sex": ["female"]} not in _whens("Women older than 50 must have a negative mammogram")
    # an exclusion of one sex's ages excludes neither the age alone nor the sex alone
    assert _whens("Men younger than 30 years", "exclusion") == [None]
    assert _whens("Men and women younger than 30 years", "exclusion") == [{"age": {"lt": 30}}]


def test_an_age_that_contradicts_the_records_age_fields_is_left_for_review() -> None:
    adults = (18.0, None)
    # an inclusion admitting none of the record's ages, an exclusion leaving less than a year of them
    assert _whens("Children aged 12 years or younger", registry_age=adults) == [None]
    assert _whens("Older than 18 years", "exclusion", registry_age=adults) == [None]
    # ages that agree with the fields, or narrow them, are drafted as before
    assert _whens("Aged 21 or over", registry_age=adults) == [{"age": {"ge": 21}}]
    assert _whens("Age above 75", "exclusion", registry_age=adults) == [{"age": {"gt": 75}}]
    assert _whens("Younger than 18 years", "exclusion", registry_age=adults) == [{"age": {"lt": 18}}]
    (f,) = recognise(ItemText("Children aged 12 years or younger", "inclusion", registry_age=adults))
    assert "minimumAge 18 years" in f.reading


def test_minors_excluded_are_under_the_records_minimum_age_of_18() -> None:
    adults = (18.0, None)
    assert _whens("Minors", "exclusion", registry_age=adults) == [{"age": {"lt": 18}}]
    assert _whens("Subjects who are minors.", "exclusion", registry_age=(18.0, 60.0)) == [{"age": {"lt": 18}}]
    # the age of majority is not 18 everywhere: without the record's minimum of 18, left for review
    assert _whens("Minor subjects", "exclusion", registry_age=(19.0, None)) == [None]
    assert _whens("Minor subjects", "exclusion") == [None]
    # not the age: a minor illness, minor surgery
    assert _whens("Minor surgery within 2 weeks", "exclusion", registry_age=adults) == []


def test_a_temperature_with_a_window_in_hours_before_an_event_is_left_for_review() -> None:
    # 'N hours before ...' (not only 'within N hours'): any fever in the window may be meant
    assert _whens("Fever (oral temperature > 38.0 °C) in the 48 hours before enrolment", "exclusion") == [None]
    assert _whens("Body temperature of 38 °C or more 24 h prior to dosing", "exclusion") == [None]
    # a temperature without a window is drafted as the latest value
    assert _whens("Body temperature of 38 °C or more", "exclusion") == [
        {"latest": {"code": "body_temperature", "ge": "38 Cel"}}]


def test_a_definition_that_says_whom_a_rule_binds_is_a_scope_not_a_requirement() -> None:
    # the age or the lab value is the subject of a rule that follows it: drafting it alone would
    # exclude everyone else (an inclusion 'age > 45' for 'women older than 45 must ...')
    assert _whens("Female participants over 50 years of age must have had a mammogram in the past year") == [None]
    assert _whens("Patients aged 65 or more should have a geriatric assessment") == [None]
    assert _whens("Subjects with a platelet count < 100,000/mm3 need to be discussed with the sponsor",
                  "exclusion") == [None]
    # a rule stated of the definition's own evidence, or in another clause, leaves it a requirement
    assert _whens("Age ≥ 18 years; must be able to give consent") == [{"age": {"ge": 18}}]
    assert _whens("Aged 18 to 70 years, and must be able to swallow tablets") == [{"age": {"between": [18, 70]}}]
    assert _whens("A negative pregnancy test must be documented before dosing") == [
        {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]


def test_signing_the_consent_as_a_point_in_time_is_not_a_consent_requirement() -> None:
    # the signature dates something else (an age, a contraception period): no consent is asked for
    assert _whens("Aged 50 to 70 years on the date of signing the consent form") == [{"age": {"between": [50, 70]}}]
    assert RECOGNISERS["consent"](ItemText(
        "Men must use condoms from signing the informed consent until 90 days after the last dose", "inclusion")) == []
    assert RECOGNISERS["consent"](ItemText("No live vaccine within 30 days prior to signing informed consent",
                                           "exclusion")) == []
    # a consent asked for, whatever else the item dates by it
    assert _whens("Able to give signed informed consent") == [{"ref": "informed_consent_signed"}]
    assert _whens("Capable of giving signed informed consent, obtained before any study procedure") == [
        {"ref": "informed_consent_signed"}]


def test_multiples_of_uln_written_without_spaces() -> None:
    assert _whens("ALT >2.5xULN", "exclusion") == [{"latest": {"code": "alt", "gt": "2.5 x ULN"}}]
    assert _whens("Total bilirubin ≤1.5×ULN") == [{"latest": {"code": "total_bilirubin", "le": "1.5 x ULN"}}]


def test_a_threshold_of_another_measure_listed_beside_is_its_own() -> None:
    # each listed measure excludes on its own; the one the importer has no value set for stays for review
    assert _whens("Creatinine > 1.5 x ULN, serum potassium < 3.0 mmol/L", "exclusion") == [
        {"latest": {"code": "creatinine", "gt": "1.5 x ULN"}}]
    assert _whens("Sodium < 130 mmol/L, haemoglobin < 9 g/dL", "exclusion") == [
        {"latest": {"code": "hemoglobin", "lt": "9 g/dL"}}]
    # not when the other threshold is an alternative, or has no measure of its own
    assert _whens("Haemoglobin ≥ 10 g/dL, or albumin ≥ 3.5 g/dL") == [None]
    assert _whens("Haemoglobin ≥ 10 g/dL, ≥ 9 g/dL after transfusion") == [None]


def test_body_weight_in_one_word_or_in_pounds() -> None:
    assert _whens("Bodyweight of more than 50 kg") == [{"latest": {"code": "body_weight", "gt": "50 kg"}}]
    assert _whens("Body weight ≥ 100 pounds") == [{"latest": {"code": "body_weight", "ge": "100 [lb_av]"}}]


def test_an_exclusion_that_is_one_when_or_if_clause_states_what_excludes() -> None:
    assert _whens("If the QTc exceeds 470 ms at screening", "exclusion") == [{"latest": {"code": "qtc", "gt": "470 ms"}}]
    # a condition on a clause that follows still qualifies it; an inclusion's 'when' is a condition
    assert _whens("When on dialysis, creatinine > 2 mg/dL", "exclusion") == [None]
    assert _whens("When the QTc exceeds 470 ms", "inclusion") == [None]


def test_a_positive_pregnancy_test_as_the_condition_is_the_pregnancy() -> None:
    assert _whens("Female participants if the urine pregnancy test is positive at baseline", "exclusion") == [
        {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]
    # another condition beside it still leaves the item for review
    assert _whens("Pregnant, if the serum pregnancy test is positive, unless confirmed negative by ultrasound",
                  "exclusion") == [None]


def test_immunosuppressants_count_systemic_corticosteroids_only_where_the_item_names_steroids() -> None:
    (plain,) = recognise(ItemText("Treatment with immunosuppressive agents in the past 90 days", "exclusion"))
    assert plain.when == {"medication": {"code": "immunosuppressive_therapy", "within": "90 days"}}
    assert "systemic corticosteroids not counted" in plain.reading
    (named,) = recognise(ItemText("Immunosuppressive drugs (such as prednisolone or azathioprine) within 60 days",
                                  "exclusion"))
    assert named.when == {"medication": {"code": ["immunosuppressive_therapy", "systemic_corticosteroids"],
                                         "within": "60 days"}}
    assert "as the item names steroids" in named.reading
    # steroids permitted by route still count the systemic ones; permitted outright, they are not named
    assert _whens("Immunosuppressive therapy within 8 weeks (topical steroids are allowed)", "exclusion") == [
        {"medication": {"code": ["immunosuppressive_therapy", "systemic_corticosteroids"], "within": "8 weeks"}}]


def test_a_permission_written_as_may_be_considered_or_can_participate_is_not_a_requirement() -> None:
    assert _whens("Participants with treated, well-controlled HIV infection may be considered") == [None]
    assert _whens("Subjects with HBV infection can participate") == [None]
    assert _whens("Patients with HCV infection are considered eligible") == [None]
    assert _whens("Patients with HCV infection") == [{"ref": "hepatitis_c_positive"}]


def test_exceptions_in_the_plural_qualify_a_definition() -> None:
    assert _whens("Chemotherapy within 3 weeks of day 1, with the following exceptions: hormonal therapy for "
                  "prostate cancer", "exclusion") == [None]


def test_two_numbers_with_their_own_operators_are_two_thresholds_not_one() -> None:
    # 'under 18 or over 65': 'or over' is the operator of 65, not a suffix of 18 ('18 or over' is >= 18)
    # (an exclusion of ages either side of a range is drafted as such, or left for review)
    assert _whens("Aged below 21 or above 70 years", "exclusion") == [
        {"any": [{"age": {"lt": 21}}, {"age": {"gt": 70}}]}]
    assert _whens("younger than 21 or older than 70 years", "exclusion") == [
        {"any": [{"age": {"lt": 21}}, {"age": {"gt": 70}}]}]
    assert _whens("Aged 21 or above") == [{"age": {"ge": 21}}]


def test_a_later_sentence_with_a_threshold_but_no_measure_is_another_value_of_the_same_one() -> None:
    assert _whens("Neutrophils ≥ 1.5 x 10^9/L; ≥ 1.0 x 10^9/L in patients with marrow involvement") == [None]
    assert _whens("Age ≥ 18 years; ≥ 21 years at US sites") == [None]
    # a later sentence that names its own measure is its own requirement
    assert _whens("Neutrophils ≥ 1.5 x 10^9/L; platelets ≥ 100 x 10^9/L") == [
        {"latest": {"code": "neutrophils", "ge": "1.5 10*3/uL"}}, {"latest": {"code": "platelets", "ge": "100 10*3/uL"}}]


def test_a_vaccine_of_one_kind_named_again_before_its_window_is_not_any_vaccine() -> None:
    assert _whens("Immunisation with an attenuated vaccine in the past 6 weeks", "exclusion") == []
    # the study's own vaccination after the window is a reference point, not a kind
    assert _whens("Any vaccination within 21 days before the first study vaccination", "exclusion") == [
        {"medication": {"code": "vaccines", "within": "21 days"}}]


def test_an_age_that_may_be_the_local_legal_age_instead_is_drafted_at_low_confidence() -> None:
    (f,) = recognise(ItemText("Aged 18 or older (or the legal age of majority in the country of the site)",
                              "inclusion"))
    assert f.when == {"age": {"ge": 18}} and f.confidence == 0.6 and "local age may be higher" in f.reading


def test_another_window_for_some_of_the_treatments_leaves_the_item_for_review() -> None:
    assert _whens("Cytotoxic therapy within 21 days (42 days for nitrosoureas) before day 1", "exclusion") == [None]
    assert _whens("Chemotherapy within 21 days (3 weeks) before day 1", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "21 days"}}]
    # one for a treatment the definition is not about (radiation) leaves it as it is
    assert _whens("Chemotherapy within 21 days (7 days for palliative radiotherapy) before day 1", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "21 days"}}]


def test_a_pregnancy_in_the_past_in_a_window_or_as_a_modifier_is_not_the_present_state() -> None:
    assert _whens("Pregnancy in the past 12 months", "exclusion") == [None]
    assert _whens("Pre-eclampsia during a prior pregnancy", "exclusion") == []
    assert _whens("Pregnancy-related hypertension", "exclusion") == []
    # the window of a pregnancy test dates the test
    assert _whens("Positive urine pregnancy test within 48 hours before dosing", "exclusion") == [
        {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]


def test_the_infection_or_age_of_a_relative_or_a_contact_is_not_the_participants() -> None:
    assert _whens("Infants born to mothers with HIV infection", "inclusion") == [None]
    assert _whens("Contact with someone with active TB in the last year", "exclusion") == [None]
    assert _whens("Legal guardian aged 21 or older", "inclusion") == [None]
    # a relative named after the participant's own age is not its subject
    assert _whens("Children aged 6-12 years whose parent agrees to the visits", "inclusion") == [
        {"age": {"between": [6, 12]}}]
    assert _whens("Signed informed consent by the participant or a parent") == [{"ref": "informed_consent_signed"}]


def test_an_inclusion_that_allows_a_treatment_does_not_require_it() -> None:
    assert _whens("Previous chemotherapy within 3 months is permitted") == [None]
    # an exclusion of the treatment stays one
    assert _whens("Chemotherapy within 3 months", "exclusion") == [
        {"medication": {"code": "antineoplastic_agents", "within": "3 months"}}]


def test_steroids_of_a_local_route_are_not_systemic_corticosteroids() -> None:
    assert _whens("Inhaled or intranasal corticosteroids within 14 days", "exclusion") == []
    assert _whens("Systemic corticosteroids within 14 days", "exclusion") == [
        {"medication": {"code": "systemic_corticosteroids", "within": "14 days"}}]


def test_an_age_range_keeps_the_unit_of_each_bound() -> None:
    # '3 months to 12 years': the lower bound is in months, which completed years cannot state; the
    # upper bound in years is drafted (at 0.6) and the item keeps a review criterion for the other
    assert _whens("Aged 3 months to 12 years") == [{"age": {"le": 12}}]
    assert _whens("Aged 3 months to 12 years", "exclusion") == [None]
    assert _whens("24 months to 12 years of age") == [{"age": {"between": [2, 12]}}]


def test_an_age_with_another_for_some_place_is_drafted_at_low_confidence() -> None:
    (f,) = recognise(ItemText("Aged 20 or over (21 in Singapore)", "inclusion"))
    assert f.when == {"age": {"ge": 20}} and f.confidence == 0.6


def test_a_partners_pregnancy_is_not_the_participants() -> None:
    assert _whens("Male participants with pregnant spouses", "exclusion") == [None]
    assert _whens("Pregnant women, or men with a pregnant partner", "exclusion") == [
        {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]


def test_a_history_of_active_tuberculosis_is_tuberculosis_at_any_time() -> None:
    # 'active' qualifies the past disease, not the patient's state now: a cured case still counts
    assert _whens("Past history of active TB", "exclusion") == [{"condition": {"code": "tuberculosis"}}]
    assert _whens("Must never have had active tuberculosis", "inclusion") == [
        {"not": {"condition": {"code": "tuberculosis"}}}]
    # a history within a window is not drafted as 'ever' (nor as active now): a record in the window
    assert _whens("Prior active tuberculosis in the last 2 years", "exclusion") == [
        {"condition": {"code": "tuberculosis", "within": "2 years"}}]
    # no history word: active now
    assert _whens("Active TB", "exclusion") == [{"ref": "active_tuberculosis"}]


def test_a_malignancy_exception_named_only_in_general_words_is_not_dropped() -> None:
    # 'skin cancer' includes melanoma: not the library's skin_bcc_scc, and never 'malignancy' without it
    assert _whens("Prior malignancy, other than curatively treated skin cancer", "exclusion") == [None]
    assert _whens("History of malignancy except treated non-melanoma skin cancer", "exclusion") == [
        {"condition": {"code": "malignancy", "except": "skin_bcc_scc"}}]


def test_an_age_sub_heading_item_makes_its_nested_bound_an_age() -> None:
    # legacy PDQ layout: 'Age' is an item of its own, the requirement nested under it
    (f,) = RECOGNISERS["age"](ItemText("21 and over", "inclusion", group="PATIENT CHARACTERISTICS", ancestors=("Age",)))
    assert f.when == {"age": {"ge": 21}} and f.confidence == 0.8
    # a sub-heading about something else does not
    assert RECOGNISERS["age"](ItemText("21 and over", "inclusion", group="PATIENT CHARACTERISTICS",
                                       ancestors=("Hematopoietic",))) == []


def test_the_malignancy_under_study_is_not_another_malignancy() -> None:
    # 'the current cancer', 'the primary malignancy': the trial's own disease, not a malignancy to exclude
    assert _whens("Brain metastases arising from the current cancer", "exclusion") == [None]
    assert _whens("Bone involvement by the primary malignancy", "exclusion") == [None]
    # without the article, a current malignancy is still one
    assert _whens("Current malignancy", "exclusion") == [{"ref": "active_malignancy"}]


def test_a_malignancy_set_apart_from_the_one_under_study_or_with_exceptions_in_a_later_sentence() -> None:
    # 'separate from / distinct from the tumour under study': another malignancy, left for review
    assert _whens("Patients with prior cancers (distinct from the cancer being treated in this trial)",
                  "exclusion") == [None]
    # exceptions stated in a sentence of their own ('Exceptions include ...') are read like 'except'
    assert _whens("History of malignancy within 3 years. Exceptions include basal or squamous cell skin "
                  "carcinoma.", "exclusion") == [
        {"condition": {"code": "malignancy", "within": "3 years", "except": "skin_bcc_scc"}}]
    assert _whens("History of malignancy within 3 years. Other exceptions are low-grade tumours.",
                  "exclusion") == [None]


def test_an_infection_defined_by_a_viral_nucleic_acid_test_is_not_the_antibody_concept() -> None:
    # 'hepatitis C (HCV RNA positive)': a positive antibody alone does not exclude; hepatitis B is still drafted
    found = _whens("Known HBV infection or hepatitis C with detectable HCV RNA", "exclusion")
    assert {"ref": "hepatitis_b_positive"} in found and None in found
    assert {"any": [HBV, HCV]} not in found and HCV not in found
    assert _whens("Hepatitis C (viral load detectable by PCR)", "exclusion") == [None]
    # an antibody named beside the RNA: the concept (antibody or diagnosis) is what the item says
    assert _whens("Positive hepatitis C antibody or HCV RNA", "exclusion") == [HCV]


def test_a_recently_diagnosed_infection_is_not_any_infection() -> None:
    # 'recently diagnosed', 'diagnosed within the last 3 months': when it was diagnosed is not read
    assert _whens("HIV-1 infection recently diagnosed (within the last 3 months)") == [None]
    assert _whens("Newly diagnosed HIV infection, at most 6 weeks ago") == [None]
    assert _whens("Documented HIV-1 infection") == [HIV]


def test_a_threshold_per_dose_escalation_or_expansion_part_is_left_for_review() -> None:
    assert _whens("ECOG 0-2 in the dose-escalation phase and 0-1 in the expansion phase") == [None]
    assert _whens("ECOG performance status 0 or 1 (dose expansion only)") == [None]
    assert _whens("ECOG performance status 0 or 1") == [{"latest": {"code": "ecog", "between": [0, 1]}}]


def test_a_count_of_the_listed_items_that_follow_is_not_a_threshold() -> None:
    # 'and at least 2 of the following apply:' counts the nested items; it is no other threshold of the definition
    assert _whens("Female subject is not pregnant and at least 2 of the following apply:") == [
        {"not": {"all": [FEMALE, {"ref": "pregnant"}]}}]
    # a real second threshold still blocks
    assert _whens("Female subject is not pregnant and has at least 2 negative tests") == [None]


def test_an_allogeneic_transplant_sharing_its_head_noun_with_an_organ_transplant() -> None:
    # 'allogeneic bone marrow or solid organ transplant': the allogeneic transplant is drafted, the organ
    # transplant (not the library's organ_transplant, which holds bone marrow status) stays for review
    text = "History of allogeneic bone marrow or solid organ transplant"
    found = recognise(ItemText(text, "exclusion"))
    assert [f.when for f in found] == [{"procedure": {"code": "allo_hsct"}}]
    assert "organ" in residual(text, found)


def test_thresholds_by_sex_with_a_unit_abbreviation_in_parentheses() -> None:
    # '> 480 ms (msec) (females) or > 460 ms (msec) (males)': the bracketed unit is a gloss, the sex follows it
    assert _whens("Screening QTcF > 480 ms (msec) (females) or > 460 ms (msec) (males)", "exclusion") == [
        {"any": [{"all": [FEMALE, {"latest": {"code": "qtc", "gt": "480 ms"}}]},
                 {"all": [{"sex": ["male"]}, {"latest": {"code": "qtc", "gt": "460 ms"}}]}]}]


def test_an_analyte_is_named_at_the_start_of_a_word_or_after_hyper_or_hypo() -> None:
    from screening.ctgov.recognisers.analytes import analyte_mentions as _analyte_mentions

    assert recognise(ItemText(text="Antiplatelet therapy at a dose > 100 mg/day within 7 days", kind="exclusion")) == []
    (f,) = recognise(ItemText(text="Hyperbilirubinaemia > 3 x ULN", kind="exclusion"))
    assert f.when == {"latest": {"code": "total_bilirubin", "gt": "3 x ULN"}}
    assert [a.slug for _, _, a in _analyte_mentions("hypoglycaemia: plasma glucose < 3 mmol/L; antiplatelets")] == ["glucose"]


def test_analyte_names_found_at_name_starts_are_those_found_at_every_character() -> None:
    """Trying the names only where one may begin finds, on every fixture item, what trying them at
    every character finds (the scan is only faster), but a name inside a word that is not one
    ('antiplatelet treatment' names no platelets: by design, see the test above)."""
    from screening.ctgov.recognisers.analytes import ANALYTES
    from screening.ctgov.recognisers.analytes import ANY_ANALYTE as _ANY_ANALYTE
    from screening.ctgov.recognisers.analytes import NAME_START as _NAME_START
    from screening.ctgov.recognisers.analytes import analyte_mentions as _analyte_mentions
    from screening.ctgov.record import load_record
    from screening.ctgov.text import split_criteria
    from tests.ctgov.quality import record_files

    texts = [i.text for p in record_files() for i in split_criteria(load_record(p).eligibility_text).items]
    assert len(texts) > 1500
    for t in texts:
        everywhere = [(m.start(), m.end(), ANALYTES[int((m.lastgroup or "a0")[1:])]) for m in _ANY_ANALYTE.finditer(t)
                      if _NAME_START.match(t, m.start())]
        assert _analyte_mentions(t) == everywhere, t
