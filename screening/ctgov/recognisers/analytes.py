"""The analytes, vital signs and scores the lab recogniser names, each with the pattern of its names, the value set it
is drafted with (None: named only to end another's segment) and the one unit of its scale where the text may state
none. Their order matters: the first that matches at a place is read ('creatinine clearance' before 'creatinine').
`analyte_mentions` finds where they are named in a text, after a cheap first look for their words (`KEYWORDS`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from screening.ctgov.first_letters import FirstMatch, any_of


@dataclass(frozen=True)
class Analyte:
    slug: str
    pattern: re.Pattern[str]
    value_set: str | None  # None: the analyte is not drafted, its mention only ends another's segment
    default_unit: str | None = None  # the one unit of its scale, assumed when the text states none


def _analyte(slug: str, pattern: str, value_set: str | None, default_unit: str | None = None) -> Analyte:
    return Analyte(slug, re.compile(pattern, re.IGNORECASE), value_set, default_unit)


ANALYTES: list[Analyte] = [
    _analyte("creatinine_clearance", r"(?:(?:calculated|measured|estimated)\s+)?creatinine[\s-]*clearance(?:\s*\((?:CrCl|CCr|CLcr)\))?|\bCrCl\b|\bCLcr\b|\bCCr\b",
             "creatinine_clearance"),
    # a GFR measured by a tracer ('radioisotope GFR', 'measured GFR') is not the lab's estimate: its
    # mention only ends another's segment
    _analyte("measured_gfr", r"\b(?:radio-?isotopes?|radionuclide|isotopic|nuclear|measured)\s+(?:glomerular\s+filt(?:e)?ration"
                             r"\s+rate|GFR)\b|\bmGFR\b", None),
    _analyte("egfr", r"estimated\s+glomerular\s+filt(?:e)?ration\s+rate(?:\s*\(e-?GFR\))?|glomerular\s+filt(?:e)?ration\s+rate"
                     r"(?:\s*\(GFR\))?|(?:(?:estimated|calculated)\s+)?(?:\be-?GFR\b|\bGFR\b)", "egfr"),
    # 'creatinin': the German and Dutch spelling, as European sponsors write it in English
    # (not the creatine kinase, which sponsors also write 'creatinine (phospho)kinase')
    # its short forms only before a creatinine unit or a multiple of the ULN: 'sCr ≤ 1.5 mg/dL', 'Cr < 1.5 x ULN'
    # ('CR' is a complete response, 'Cr' alone also chromium)
    _analyte("creatinine", r"(?:serum\s+|plasma\s+|s-)?creatinin(?:e\b|\b)(?![\s-]*(?:clearance|(?:phospho-?)?kinase))|"
             r"(?-i:\b(?:[sS]Cr|Cr)\b)(?=[^;]{0,20}?(?:mg\s*/\s*d[lL]|[uµμ]mol\s*/\s*[lL]|ULN|upper\s+limit))",
             "creatinine"),
    # the creatine kinase, another measure named with the creatinine's word; a weight other than the body's own
    # ('Ideal body weight', 'Lean body weight', 'dry weight'), a temperature other than the body's ('Skin temperature',
    # 'room temperature'): each ends another's segment, never drafted as the creatinine, the weight or the temperature
    _analyte("other", r"\bcreatin(?:in)?e[\s-]+(?:phospho-?)?kinase\b|\b(?:ideal|lean|adjusted|predicted|dry|target|"
                      r"pre-?pregnancy|pre-?gravid|estimated\s+f(?:o)?etal|f(?:o)?etal)\s+(?:body\s+)?weight\b|"
                      r"\b(?:skin|room|ambient|water|surface|storage)\s+temperature\b", None),
    _analyte("other", r"\b(?:direct|conjugated|indirect|unconjugated)\s+(?:\(\s*(?:un)?conjugated\s*\)\s+)?(?:hyper)?bilirubin", None),
    # a spontaneous INR is the INR without anticoagulants, which the latest value does not say
    _analyte("other", r"\bspontaneous\s+(?:INR|(?:prothrombin\s+time|PT)(?:\s*\(?INR\)?)?)\b", None),
    _analyte("bilirubin", r"(?:total\s+|serum\s+)?bilirubin(?:\s*\(T\.?\s?Bili\))?|\bT\.?\s?bili\b|\bTBIL\b",
             "total_bilirubin"),
    _analyte("hba1c", r"\bHbA1c\b|\bA1c\b|ha?emoglobin\s+A1c|glycated\s+ha?emoglobin|glycosylated\s+ha?emoglobin", "hba1c"),
    _analyte("hemoglobin", r"ha?emoglobin|\bhgb\b|\bhb\b", "hemoglobin"),
    # a count named by its deficiency, with a threshold: 'thrombocytopenia < 100,000/uL', 'neutropenia < 1.0 x 10^9/L'
    _analyte("platelets", r"platelets?(?:\s+count)?(?:\s*\(PLT\))?|\bplt\b|thrombocytes?|thrombocytopeni[ac]", "platelets"),
    _analyte("wbc", r"(?:total\s+)?wh(?:i)?te\s+(?:blood\s+)?(?:cells?\s+)?count(?:\s*\(WBC\))?|"
             r"(?:total\s+)?wh(?:i)?te\s+blood\s+cells?(?:\s+count)?(?:\s*\(WBC\))?|\bwbc\b|leu[ck]ocytes?", "leukocytes"),
    _analyte("anc", r"absolute\s+neutrophil\s+count(?:\s*\(ANC\))?|\banc\b|neutrophils?(?:\s+count)?|neutropeni[ac]",
             "neutrophils"),
    # not the lymphocytes of a subset ('CD4+ lymphocytes', 'T lymphocytes'): those end the segment as 'other'
    _analyte("lymphocytes", r"(?=[al])(?<!CD4\+ )(?<!CD4 )(?<!CD8\+ )(?<!CD8 )(?<!\bT )(?<!\bB )(?<!-)(?:absolute\s+)?"
                            r"lymphocytes?\b(?:\s+count)?(?:\s*\((?:ALC|LYM)\))?(?!\s*(?:%|percent))|\bALC\b",
             "lymphocytes"),
    # another measure named with a vital sign's or the LVEF's words: the right ventricle's ejection fraction, the
    # pressure in the pulmonary artery, a ventricle or at the ankle or toe, a venous or a tissue's oxygen
    # saturation (ends another's segment, never drafted as the systolic blood pressure, the LVEF or the SpO2)
    _analyte("other", r"\b(?:right[\s-]+ventricular|RV)\s+ejection\s+fraction|\bRVEF\b|"
                      r"\b(?:(?:pulmonary\s+(?:artery|arterial)|(?:right|left)[\s-]+ventricular|RV|LV|ankle|toe)\s+"
                      r"(?:end[\s-]*)?(?:systolic|diastolic)|(?:end[\s-]*)?(?:systolic|diastolic)\s+(?:pulmonary\s+(?:artery|"
                      r"arterial)|(?:right|left)[\s-]+ventricular|ankle|toe))\s+pressure|\b(?:PASP|RVSP|LVEDP)\b|"
                      r"\b(?:(?:mixed|central)\s+)?venous\s+(?:oxygen|O2)\s+saturation|\b(?:cerebral|regional|tissue|muscle)\s+"
                      r"(?:oxygen|O2)\s+saturation|\bS(?:c)?vO2\b|\brSO2\b|\bStO2\b", None),
    _analyte("lvef", r"(?:left\s+ventricular\s+)?ejection\s+fraction(?:\s*\(LVEF\))?|\blvef\b", "lvef", "%"),
    _analyte("bmi", r"\bBMI\b|body\s+mass\s+index(?:\s*\(BMI\))?", "bmi", "kg/m2"),
    _analyte("temperature", r"(?:oral\s+|body\s+|axillary\s+|tympanic\s+)?temperature|\bfever\b", "body_temperature"),
    _analyte("heart_rate", r"heart\s+rate(?:\s*\(HR\))?|pulse(?!\s+ox)(?:\s+rate)?|(?-i:\bHR\b)", "heart_rate", "/min"),
    # 'RR' alone only before a rate ('RR ≥ 24/min'): it is also the blood pressure ('RR > 140/90 mmHg')
    _analyte("respiratory_rate", r"(?:respiratory|breathing|respiration)\s+(?:rate|frequency)(?:\s*\(RR\))?|"
                                 r"(?-i:\bRR\b)(?=[^;.]{0,15}?(?:/\s*min|breaths|per\s+min))", "respiratory_rate", "/min"),
    _analyte("systolic_bp", r"systolic(?:\s+(?:blood\s+pressure|BP))?(?:\s*\((?:SBP|BP)\))?|\bSBP\b", "systolic_bp", "mm[Hg]"),
    _analyte("diastolic_bp", r"diastolic(?:\s+(?:blood\s+pressure|BP))?(?:\s*\((?:DBP|BP)\))?|\bDBP\b", "diastolic_bp",
             "mm[Hg]"),
    _analyte("mean_arterial_pressure", r"mean\s+arterial\s+pressure|(?-i:\bMAP\b)", None),
    _analyte("blood_pressure", r"blood\s+pressure(?:\s*\(BP\))?|(?-i:\bBP\b)", "blood_pressure", "mm[Hg]"),
    _analyte("spo2", r"\bSp[O0]2\b|\bSpO₂\b|\bSaO2\b|oxygen\s+saturation(?:\s*\(SpO2\))?|\bO2\s+sat(?:uration)?\b|"
                     r"\bSat\s*O2\b|\bO2\s+at\s+rest\b|pulse\s+oximetry(?:\s*\(SpO2\))?", "spo2", "%"),
    _analyte("pf_ratio", r"PaO2\s*/\s*FiO2(?:\s+ratio)?|\bP\s*/\s*F\s+ratio|PaO2\s*:\s*FiO2|Horowitz\s+index", "pf_ratio",
             "mm[Hg]"),
    _analyte("crp", r"C[\s-]reactive\s+protein(?:\s*\(CRP\))?|\bhs-?CRP\b|\bCRP\b", "crp"),
    _analyte("ferritin", r"\bferritin\b", "ferritin"),
    _analyte("il6", r"\bIL-?6\b|interleukin[\s-]*6\b", "il6"),
    _analyte("d_dimer", r"\bD[\s-]?dimers?\b", "d_dimer"),
    _analyte("ldh", r"lactate\s+dehydrogenase(?:\s*\(LDH\))?|\bLDH\b", "ldh"),
    _analyte("ast", r"aspartate\s+(?:amino)?transferase(?:\s*\((?:AST|SGOT)\))?|aspartate\s+transaminase|(?-i:\bAST\b)|(?-i:\bASAT\b)|\bSGOT\b|"
             r"glutamic[\s-]+oxal(?:o)?acetic\s+transaminase(?:\s*\((?:S?GOT)\))?|(?-i:\bGOT\b)",
             "ast"),
    _analyte("alt", r"alanine\s+(?:amino)?transferase(?:\s*\((?:ALT|SGPT)\))?|alanine\s+transaminase|(?-i:\bALT\b)|(?-i:\bALAT\b)|\bSGPT\b|"
             r"glutamic[\s-]+pyruvic\s+transaminase(?:\s*\((?:S?GPT)\))?|(?-i:\bGPT\b)",
             "alt"),
    _analyte("inr", r"\bINR\b|international\s+normali[sz](?:ed|ation)\s+ratio(?:\s*\(INR\))?", "inr", "1"),
    _analyte("fasting_glucose", r"(?<!non-)(?<!non)(?<!non )fasting\s+(?:plasma\s+|blood\s+|serum\s+)?glucose|\bFPG\b", "fasting_glucose"),
    _analyte("glucose", r"(?:random\s+|serum\s+|plasma\s+|blood\s+)?glucose", "glucose"),
    _analyte("qtc", r"\bQTc[BF]?\b|\bQT\s*c\b|corrected\s+QT(?:\s+interval)?|QT\s+interval\s+corrected", "qtc", "ms"),
    _analyte("weight", r"\bweigh(?:ing|s)\b|\b(?:body\s*)?weight(?!\s*(?:loss|gain|-?based|bearing|of\s+evidence))"
                       r"(?:\s+at\s+(?:screening|baseline))?(?<!birth weight)", "body_weight"),
    _analyte("other", r"\bbirth\s+weight\b|\bgestational\s+age\b|\b(?:alkaline\s+phosphatase|sodium|potassium|magnesium|"
                      r"calcium|granulocytes?|albumin|CD4\+?\s+(?:T[\s-]+)?(?:lymphocytes?|cells?|counts?)|CD4\+?|CD8\+?|"
                      r"[TB][\s-]+lymphocytes?|troponin|(?:NT-?pro)?BNP|lipase|amylase|urea|BUN|"
                      r"fibrinogen|aPTT|PTT|prothrombin\s+time|QRS|FEV1|FVC|DLCO|Karnofsky|Lansky|hematocrit|"
                      r"haematocrit|reticulocytes?|uric\s+acid|cholesterol|triglycerides?|LDL|HDL|TSH|PSA|"
                      r"testosterone|FiO2|PaO2|IgG|IgE|IgA|score|PEEP|positive\s+end[\s-]+expiratory\s+pressure)\b", None),
]


# a cheap first look: an item that names none of these has no analyte segment (read in the item's
# lower case, without IGNORECASE: the same answer for these ASCII words, more than twice as fast;
# grouped by their first letters, `any_of`: the same answer, about three times as fast again)
KEYWORD_NAMES = (
    *"creatin bilirub globin a1c platelet thrombocyt leu[ck]ocyt white neutrophil neutropen ejection lvef bmi".split(),
    *"temperature fever heart pulse respirat breathing systolic diastolic pressure sao2 saturation pao2".split(),
    *"horowitz crp reactive ferritin lymphocyt interleukin oximetry dimer ldh dehydrogenase sgot".split(),
    *"aspartate sgpt alanine oxal pyruvic glucose qt weigh gfr glomerular".split(),
    r"bili\b", r"mass\s+index", r"sat\s*o2", r"o2\s+at\s+rest", r"sp[o0]2", r"o2\s+sat", r"p\s*/\s*f", "normali[sz]",
    # short names that must begin a word
    *(rf"\b{name}" for name in r"hgb hb\b plt wbc anc\b hr\b rr\b sbp dbp bp\b map\b il-?6 ast\b alt\b asat\b alat\b got\b "
                              r"gpt\b inr\b fpg cr?cl ccr alc\b scr\b cr\b".split()),
)
KEYWORDS = any_of(KEYWORD_NAMES)
ANY_ANALYTE = re.compile("|".join(f"(?P<a{i}>{a.pattern.pattern})" for i, a in enumerate(ANALYTES)), re.IGNORECASE)
# where an analyte's name may begin: a word, or the rest of a word after hyper- or hypo-
# ('hyperbilirubinaemia > 3 x ULN' is bilirubin; 'antiplatelet therapy' names no platelets)
NAME_START = re.compile(r"\b(?=\w)|(?<=\bhyper)(?=\w)|(?<=\bhypo)(?=\w)", re.IGNORECASE)


_FIRST_MATCH = FirstMatch([a.pattern for a in ANALYTES])


def analyte_mentions(text: str) -> list[tuple[int, int, Analyte]]:
    """(start, end, analyte) of each analyte named in `text`, left to right, the names tried only
    where one may begin (`NAME_START`), not at every character (the text of a long record is read
    about four times faster), and there only those that can start with the letter there (`FirstMatch`: about
    twice as fast again); the first analyte that matches is read, as `ANY_ANALYTE` would."""
    hits = []
    match, end = _FIRST_MATCH.match, 0
    for w in NAME_START.finditer(text):
        if w.start() >= end and (found := match(text, w.start())) is not None:
            i, m = found
            hits.append((m.start(), m.end(), ANALYTES[i]))
            end = m.end()
    return hits
