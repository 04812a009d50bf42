"""The cues `qualifiers` looks for in a definition's clause: words that make a recognised definition not account for
its item (a condition, a scope, an exception, a cohort or part, a site, a judgement, a score, a value of another time,
specimen or state ...), each a named pattern. Which of them pass over which definitions, and why, is `qualifiers`'."""

from __future__ import annotations

import re

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers.base import COUNTRIES

# a measure's name next ('Admission haemoglobin', 'Any HbA1c'): a lookahead for the words a measured value is named by
_A_MEASURE_NEXT = (r"(?=(?:serum\s+|plasma\s+|blood\s+|body\s+|resting\s+)?(?:ha?emoglobin|hgb|hb|hba1c|a1c|platelets?|"
                   r"neutrophils?|anc|wbc|leu[ck]ocytes?|white|lymphocytes?|creatinine|bilirubin|glucose|lactate|temperature|"
                   r"heart|pulse|systolic|diastolic|blood\s+pressure|BP|SBP|DBP|oxygen|SpO2|SaO2|respiratory|CRP|ferritin|"
                   r"D-?dimer|LDH|AST|ALT|INR|troponin|eGFR|GFR|BMI|weight|QTc?)\b)")

# a disease one lives with, one's own ('living with HIV'), not the people one lives with ('living with HIV-positive
# partners', 'living with HIV-infected family members')
_LIVED_WITH = (r"(?:(?:an?|chronic|advanced|metastatic|type\s+[12]|diagnosed|known|untreated|treated)\s+)*"
               r"(?:HIV|AIDS|hepatitis\s+[BC]|HBV|HCV|diabetes|dementia|cancer|obesity|epilepsy|multiple\s+sclerosis|"
               r"Parkinson'?s(?:\s+disease)?|chronic\s+pain|heart\s+failure|COPD|asthma|arthritis|sickle\s+cell\s+disease)\b"
               r"(?![\s-]*(?:positive|negative|infected|affected|\+)?[\s-]*(?:partners?|spouses?|persons?|people|"
               r"individuals?|patients?|famil(?:y|ies)|relatives?|child(?:ren)?|parents?|mothers?|fathers?|members?|"
               r"adults?|someone|carers?|caregivers?)\b)")
CUES_AS_WRITTEN: dict[str, re.Pattern[str]] = {
    "condition": re.compile(r"\b(?:if|unless|whenever|in\s+case\s+of|in\s+the\s+(?:presence|"
                            r"absence)\s+of|depending\s+on|whichever)\b|"
                            # 'provided (that)' before a clause, not the verb ('has provided written consent', 'consent
                            # has been provided', 'Provided informed consent')
                            r"(?=provided\b)(?<!\bhas\s)(?<!\bhave\s)(?<!\bhad\s)(?<!\bbeen\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bis\s)"
                            r"(?<!\bare\s)(?<!\bbe\s)(?<!\bwho\s)\bprovided\b(?:\s+that\b)?"
                            r"(?!\s*(?:$|[.,;:)]|(?:a\s+|their\s+|his\s+|her\s+)?(?:written|signed|informed|consent|assent|"
                            r"oral|verbal|by|to|in|at|before|prior|for)\b))|"
                            # 'When ...' at the start, not the signing of the consent as a point in time ('When
                            # signing the informed consent, the age is ...')
                            r"^\W*when\b(?!\s+(?:signing|giving|providing|obtaining)\s+(?:the\s+|their\s+)?"
                            r"(?:written\s+)?(?:(?:informed\s+)?consent|ICF)\b)", re.IGNORECASE),
    # with up to two describing words before the people: 'in non-diabetic subjects', 'for premenopausal female patients'
    # (not the study's participants, everyone, before a verb or a colon: 'Inclusion criteria for study participants
    # include: ...', 'for all trial subjects:'; 'In study patients with diabetes:' is a scope)
    "scope": re.compile(r"\b(?:for|in|among)\s+(?:all\s+)?(?:the\s+)?(?!(?:study|trial)\s+(?:participants?|subjects?|"
                        r"patients?|volunteers?|individuals?)\s*(?:include|includes|are|must|should|shall|will|:))"
                        r"(?:(?!(?:all|which|whom|whose|that|the|an?|this|"
                        r"these|those|their|his|her|its|any|each|every|other|some)\b)[a-z][\w-]*\s+){0,2}?"
                        r"(?P<noun>individuals?|patients?|"
                        r"subjects?|participants?|persons?|people|those|children|adults?|adolescents?|infants?|"
                        r"neonates?|newborns?|women|men|females?|males?|boys|girls|mothers|fathers|parents|elderly|anyone|athletes?|diabetics?|"
                        r"(?:non-?)?smokers?|drinkers?|users?|survivors?|recipients?|carriers?)\b", re.IGNORECASE),
    # a value expected or aimed at, not measured: 'Anticipated platelet count under 20,000/mm3', 'Target
    # haemoglobin above 13 g/dL', '... goal above 12 g/dL' (read only for measured values)
    # (not a judgement about it: '..., which would not be expected in ...')
    "predicted": re.compile(r"(?<!\bbe\s)(?<!\bbeen\s)\b(?:expected|anticipated|predicted|projected|targets?|targeted|goals?)\b|"
                            # what a treatment is given to reach, named next: 'Oxygen required to keep SpO2 > 92%' (not
                            # '(transfusion permitted to reach this level)')
                            r"\b(?:to|in\s+order\s+to)\s+(?:keep|maintain|achieve|reach|attain|obtain)\s+(?:an?\s+|the\s+|their\s+)?"
                            rf"{_A_MEASURE_NEXT}", re.IGNORECASE),
    # a value of one cause: 'bilirubin above 3 mg/dL from haemolysis', '... secondary to ...' (read only for
    # measured values: 'Hepatitis C infection, due to the risk of ...' gives a reason)
    "cause": re.compile(r"\b(?:due\s+to|secondary\s+to|caused\s+by|because\s+of|attributable\s+to|resulting\s+from|"
                        r"from\s+(?:ha?emolysis|bleeding|blood\s+loss|dehydration|hypersplenism)|"
                        # 'not related to the cancer', 'attributed to hypersplenism'
                        r"(?:related|attributed|linked|ascribed)\s+to)\b", re.IGNORECASE),
    "exception": re.compile(r"\b(?:except(?:ions?|ed|ing)?|excluding|other\s+than|apart\s+from|aside\s+from)\b",
                            re.IGNORECASE),
    # a control group named in the item's own words: 'HIV-negative controls aged 18-60' (a subgroup heading
    # 'Healthy Controls' is one group of several, whose shared requirements `criteria` reads)
    "controls": re.compile(r"\b(?:(?:healthy|matched)\s+)?controls\b|\bcontrol\s+(?:group|subjects|participants|arm)\b",
                           re.IGNORECASE),
    "cohort": re.compile(r"\b(?i:cohorts?)\b|\b(?i:part|arms?|groups?)\s+[A-Z0-9]\b|"
                         r"\b(?i:dose[\s-]+(?:escalation|expansion|finding|ranging)|(?:escalation|expansion|run-?in)"
                         r"\s+(?:phase|part|stage|portion))\b|"
                         # a sub-study or one arm: 'excluded from the MRI substudy', '(for the vaccine arm only)', 'For the T2D groups:'
                         r"\b(?i:sub-?stud(?:y|ies)|(?:for|in)\s+the\s+(?:[\w-]+\s+){1,3}(?:arms?|groups?)(?:\s+only)?)\b|"
                         # one phase of a phase 1/2 trial: 'ECOG 0-1 for phase 1 and 0-2 for phase 2'
                         r"\b(?i:(?:for|in)\s+(?:the\s+)?phase\s+(?:[1-4][ab]?|I{1,3}|IV))\b"),
    # a site or a country's own rule: 'only at the US sites', 'Japan: HbA1c 7.0-10.0 %', 'For Germany only: ...'
    "site": re.compile(r"\bonly\s+(?:at|in)\b[^:.;]{0,80}\bsites?\b|\bsites?\s*:|"
                       rf"(?-i:\b(?:{COUNTRIES})(?:\s+only)?\s*:)|"
                       # the country's people named: 'French subjects:', 'Japanese patients only:'
                       r"(?-i:\b(?:Japanese|Chinese|Korean|Taiwanese|Indian|German|French|Italian|Spanish|British|"
                       r"American|Canadian|Australian|Dutch|Belgian|Swedish|Danish|Norwegian|Finnish|Polish|Russian|"
                       r"Brazilian|Mexican|Argentinian|Argentine|Israeli|Swiss|Austrian|Hungarian|Czech|South\s+African|"
                       r"Singaporean))\s+(?:subjects?|patients?|participants?|women|men|residents?|sites?|centres?|"
                       r"centers?)(?:\s+only)?\s*:", re.IGNORECASE),
    "discretion": re.compile(r"\bat\s+the\s+discretion\b|\bin\s+the\s+(?:investigator'?s?\s+)?opinion\b|"
                             r"\binvestigator'?s?\s+(?:judge?ment|discretion)\b", re.IGNORECASE),
    # what something could or might do, or may explain, is a judgement: '... process (LVEF <= 40%) which could explain
    # the symptoms', '... which may account for the symptoms'
    "judgement": re.compile(r"\b(?:which|that|who)\s+(?:(?:could|might|would)\s+(?!not\b)|(?:may|can)\s+(?:explain|account|"
                            r"cause|contribute|be\s+responsible))", re.IGNORECASE),
    "score": re.compile(r"\bpoints?\s+each\b|\btallied\b", re.IGNORECASE),
    # several measurements, or their mean: not the latest value ('mean QTcF ... in three successive
    # measurements', 'the average of 3 readings', 'on triplicate ECG')
    "repeated": re.compile(r"\b(?:persistent(?:ly)?|repeated(?:ly)?|sustained|consistently|on\s+(?:(?:at\s+least|more\s+than)\s+)?(?:two|2|three|3)\s+"
                           r"(?:or\s+more\s+)?(?:occasions|measurements|readings|consecutive)|(?:mean|average)\s+of|"
                           r"(?:in|on|over|from|of)\s+(?:two|2|three|3|four|4|five|5)\s+(?:or\s+more\s+)?"
                           r"(?:successive|consecutive|serial|separate|repeated)|(?:in\s+)?(?:duplicate|triplicate)|"
                           # 'calculated from 3 electrocardiograms', 'averaged over 3 ECG recordings'
                           r"(?:calculated|computed|averaged|derived|obtained)\s+(?:from|over|on|in)\s+(?:two|2|three|3|"
                           r"four|4|five|5)\s+(?:[\w-]+\s+)?(?:ECGs?|electrocardiograms?|measurements|readings|recordings|"
                           r"tracings|determinations))\b",
                           re.IGNORECASE),
    # people around the participant: their pregnancy, age or infection is not the participant's
    "others": re.compile(r"\b(?:liv(?:e|es|ing)|work(?:s|ing)?|resid(?:e|es|ing)|in\s+(?:close\s+)?contact)\s+"
                         r"(?:(?:and|or|and/or)\s+(?:liv(?:e|es|ing)|work(?:s|ing)?)\s+)?with\b"
                         # (not living with a disease, the participant's own: 'People living with HIV', 'living with
                         # type 2 diabetes'; but 'living with HIV-infected partners' names others)
                         rf"(?!(?:(?<=living\swith)|(?<=lives\swith)|(?<=live\swith))\s+{_LIVED_WITH})|"
                         r"\b(?:caring\s+for|care\s*givers?\s+(?:of|for)|household\s+(?:members?|contacts?))\b|"
                         r"\b(?:close\s+)?contacts?\s+(?:with|of)\b|\bsomeone\b|\b(?:a|another)\s+person\s+with\b|"
                         # the person the participant is a partner or child of: 'partner of an HIV-positive participant',
                         # 'Children of a mother with hepatitis C' (not 'Children of 2 to 5 years')
                         r"\b(?:partners?|spouses?|wi(?:fe|ves)|husbands?|child(?:ren)?|babies|infants|sons?|daughters?)\s+"
                         r"of\s+(?:an?|the)\b|"
                         # the fetus's or the cord's: 'Fetal heart rate < 110 bpm', 'cord blood haemoglobin'
                         r"\b(?:fetal|foetal|cord\s+blood|umbilical\s+cord)\b|"
                         r"\bborn\s+to\b|"
                         # a child the participant nurses or has, of an age: 'nursing a child under 1 year of age'
                         # (not 'breast-feeding an infant' alone)
                         r"\b(?:nursing|breast-?feeding|with|ha(?:s|ve|ving))\s+(?:a|an|her|his|their)\s+(?:child|children|"
                         r"infant|baby|babies|newborn|son|daughter)s?\b(?=\s+(?:aged?|younger|older|under|below|over|above|"
                         r"less|more|of|between|up\s+to)\b|\s*[<>≤≥\d])|\bin\s+(?:the|their|his|her|a)\s+(?:[\w-]+\s+)?(?:mother|father|partner|spouse|"
                         r"sibling|donor|relative|family\s+member|family|fetus|foetus)s?\b|"
                         # an age or value given for someone else: 'Younger than 21 years for the partner'
                         r"\bfor\s+(?:the|their|his|her|a)\s+(?:spouse|partner|parent|mother|father|donor|care\s*giver|"
                         r"carer|sibling|relative)s?\b|"
                         # someone the participant meets: 'Active tuberculosis in a close contact', '... in a roommate'
                         r"\bin\s+(?:a|an|the|their|his|her|any)\s+(?:close\s+)?(?:contacts?|room-?mates?|house-?mates?|"
                         r"flat-?mates?|cell-?mates?|co-?workers?|colleagues?|class-?mates?)\b|"
                         # the household's other members: 'Infants under 6 months in the household'
                         r"\b(?:in|within)\s+(?:(?:the|their|his|her|a)\s+)?(?:same\s+)?household\b|"
                         # a mother's or father's, or a person's partner's: 'Maternal HIV infection', "Pregnant
                         # women's partners"
                         r"\b(?:maternal|paternal)\b|'s\s+(?:partners?|spouses?|husbands?|wives|children|babies|"
                         r"infants|newborns|mothers?|fathers?)\b|"
                         # a baby's, a mother's or a donor's own, named before or after it: "Baby's platelet count",
                         # 'Haemoglobin of the newborn', 'HbA1c of the mother' (not a child's: a child may take part)
                         r"\b(?:baby|infant|newborn|neonate|f(?:o)?etus|mother|father|donor)'s\b|"
                         r"\bof\s+(?:the|their|his|her|a|an)\s+(?:newborn|baby|infant|neonate|f(?:o)?etus|mother|father|donor)s?\b|"
                         # whose child the participant is: 'Babies of mothers with hepatitis B' (not 'Children of 2 to 5 years')
                         r"\b(?:babies|infants|children|newborns|neonates|offspring|siblings|sons|daughters)\s+of\s+"
                         r"(?:[\w-]+\s+){0,2}?(?:mothers?|fathers?|parents?|women|participants?|patients?|subjects?|families)\b",
                         re.IGNORECASE),
    # a relative named before the definition is its subject ('Parent or guardian aged 18 or above'); one
    # named after it is not ('Children aged 2-11 whose parent consents')
    "relatives": re.compile(r"\b(?:parents?|guardians?|care\s*givers?|carers?|spouses?|fathers?|mothers?|siblings?|"
                            r"brothers?|sisters?|(?:sexual\s+)?partners?|husbands?|wife|wives|donors?|relatives|family\s+members?|"
                            # one relative, not a 'relative contraindication'
                            r"(?:(?<=\ba\s)|(?<=\bthe\s)|(?<=\bany\s)|(?<=\bone\s)|(?<=\bclose\s)|^\W*)relative(?=\s+(?:with|who|"
                            r"whose|of|aged?|younger|older|under|over|in|has|had|is)\b)|"
                            r"grand(?:parent|mother|father)s?|next\s+of\s+kin)\b", re.IGNORECASE),
    # a relative's history: what a family history is of ('family history of sudden death under 40 years
    # of age'; not one named after the definition: 'Adults >= 50 with a family history of ...'), what a
    # first- or second-degree relative had, wherever they are named
    "family": re.compile(r"\bfamily\s+(?:medical\s+)?history\b|\b(?:first|second|1st|2nd)[\s-]+degree\s+relatives?\b",
                         re.IGNORECASE),
    # a measured value dated by a past event, not the latest one: 'SpO2 above 90% when they were
    # hospitalised', 'haemoglobin at diagnosis', 'platelets on admission', 'bilirubin at birth', 'during the
    # previous hospitalisation' (read only for measured values)
    # ('HbA1c > 9% when diagnosed'; 'at presentation', 'at triage': the value on arrival; 'at the index admission')
    "dated": re.compile(r"\bwhen\s+(?:(?:they|he|she|the\s+(?:patient|subject|participant)s?)\s+(?:was|were|is|are|"
                        r"had\s+been|has\s+been|have\s+been)\s+)?(?:first\s+)?(?:hospitali[sz]ed|admitted|diagnosed|"
                        r"referred)\b|\b(?:at|on|upon)\s+(?:the\s+time\s+of\s+)?(?:the\s+)?(?:(?:hospital|initial|first|"
                        r"original|index|previous|prior|last|earlier|ICU|symptom|disease)\s+)?(?:admission|hospitali[sz]ation|"
                        r"diagnosis|birth|delivery|presentation|triage|discharge|relapse|recurrence|progression|onset|"
                        r"conception)\b|"
                        # the diagnosis of a disease named between: 'at the time of their cancer diagnosis'
                        r"\b(?:at|on|upon)\s+(?:the\s+time\s+of\s+)?(?:the\s+|their\s+|his\s+|her\s+)?(?:[a-z][\w'-]*\s+){1,2}?"
                        r"diagnosis\b|"
                        # the value before, at or by an age named after it: 'Total bilirubin > 6 mg/dL before 12 hours of
                        # age', '... at 24 hours of life', '... by 2 years of age' (not the present age of the patient)
                        r"\b(?:before|at|by|until|prior\s+to)\s+\d+(?:\s*(?:-|to)\s*\d+)?\s*(?:hours?|hrs?|days?|weeks?|months?|"
                        r"years?)\s+(?:of\s+)?(?:age|life)\b|"
                        # before a past diagnosis, onset or event: 'ECOG 0-1 before the diagnosis of ...', '... prior to
                        # the fracture' (not a window counted back from it: 'within 28 days prior to admission')
                        r"\b(?=[bp])(?<!days\s)(?<!weeks\s)(?<!months\s)(?<!hours\s)(?:before|prior\s+to)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:(?:first|initial|original)\s+)?"
                        r"(?:diagnosis|onset|fracture|injury|illness|admission|hospitali[sz]ation|stroke|conception|delivery)\b|\b(?:before|prior\s+to)\s+(?:the\s+|her\s+)?pregnancy\b|\bpre-?\s*pregnan|"
                        # before a transplant or dialysis ('Platelets < 50,000/mm3 before transplantation', 'Creatinine >
                        # 3 mg/dL prior to starting dialysis', 'Pre-transplant platelet count'; not a window counted back
                        # from it, nor a patient who is 'pre-dialysis' or 'pre-transplant' now, a present state)
                        r"\b(?=[bp])(?<!days\s)(?<!weeks\s)(?<!months\s)(?<!hours\s)(?:before|prior\s+to)\s+(?:the\s+|their\s+|his\s+|"
                        r"her\s+)?(?:(?:start(?:ing)?|initiat(?:ion|ing)|beginning)\s+(?:of\s+)?(?:the\s+)?)?(?:[\w-]+\s+){0,2}?"
                        r"(?:transplant(?:ation)?|HSCT|HCT|SCT|(?:ha?emo|peritoneal\s+)?dialysis)\b|"
                        rf"\bpre-?\s*transplant(?:ation)?\s+{_A_MEASURE_NEXT}|"
                        # a pregnancy's value, in a study that may be after it, or of one trimester or week: 'Haemoglobin
                        # < 10 g/dL during pregnancy', '... in the third trimester', '... at 28 weeks of gestation'
                        r"\b(?:during|in|throughout)\s+(?:the\s+|her\s+|their\s+|a\s+)?(?:current\s+|index\s+|early\s+|late\s+)?"
                        r"pregnancy\b|\b(?:in|during)\s+(?:the\s+|her\s+)?(?:first|second|third|1st|2nd|3rd)\s+trimester\b|"
                        r"\b(?:at|after|beyond|from)\s+\d+(?:\s*(?:-|to)\s*\d+)?\s*weeks?\s+(?:of\s+)?(?:gestation|pregnancy)\b|"
                        # ... or named before the measure: 'Antenatal haemoglobin', 'Third-trimester haemoglobin', 'Early
                        # pregnancy HbA1c'
                        r"\b(?:ante-?natal|pre-?natal|ante-?partum|(?:first|second|third|1st|2nd|3rd)[\s-]+trimester|"
                        rf"(?:early|late)\s+pregnancy)\s+{_A_MEASURE_NEXT}|"
                        # the first days of life, or a period after an event: 'Temperature > 38.5 °C in the first week of
                        # life', '... in the neonatal period', '... after birth', 'Haemoglobin < 10 g/dL in the 3 months
                        # after surgery', '... 6 months after transplantation', '... at 6 weeks postpartum'
                        r"\b(?:in|during|within)\s+(?:the\s+)?(?:first\s+)?(?:[\w-]+\s+){0,2}?(?:hours?|days?|weeks?|months?|"
                        r"years?)\s+(?:of\s+life|after|following)\b|\bneonatal\s+period\b|\b(?:after|following)\s+birth\b|"
                        r"\b\d+\s*(?:hours?|days?|weeks?|months?|years?)\s+(?:after|following|post-?\s*(?:partum|natal|transplant\w*|"
                        r"operative\w*|op|surgery|delivery|infarction|MI|stroke|injury))\b|"
                        # the first hours or days of the stay: 'in the first 24 hours from admission', 'during the first
                        # 48 hours after hospital admission'
                        r"\b(?:in|during|within)\s+the\s+first\s+\d+\s*(?:hours?|hrs?|h|days?)\s+(?:of|from|after|following)\s+"
                        r"(?:the\s+)?(?:(?:hospital|ICU|initial)\s+)?(?:admission|arrival|hospitali[sz]ation|presentation)\b|"
                        # an earlier stay or pregnancy: 'during the previous hospitalisation', 'in a prior pregnancy'
                        # (not 'during the current admission')
                        r"\b(?:during|in)\s+(?:the|a|an|their|his|her)\s+(?:last|previous|prior|earlier|former|index)\s+"
                        r"(?:hospitali[sz]ation|admission|hospital\s+stay|pregnancy|delivery)\b|"
                        # an earlier course or cycle, a past age: 'at the start of the previous course', 'during
                        # the preceding cycle', 'at age 18', 'at the age of 20'
                        r"\b(?:previous|prior|preceding|last|earlier)\s+(?:courses?|cycles?)\b|"
                        # the end of a treatment: 'at the end of chemotherapy', 'at completion of induction'
                        r"\bat\s+(?:the\s+)?(?:end|completion)\s+of\s+(?:the\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:treatment|therapy|"
                        r"chemo\w*|radiotherapy|radiation|induction|consolidation)\b|"
                        # a value in an earlier study: 'BMI 18-30 kg/m2 in the previous study', '... at enrolment in the
                        # parent study'
                        r"\b(?:in|during|of|from)\s+(?:the|a|an|their)\s+(?:previous|prior|earlier|preceding|parent|feeder|"
                        r"former|original)\s+(?:stud(?:y|ies)|trials?|protocols?)\b|"
                        # a value during or after an earlier treatment: 'WBC < 3000/uL during prior chemotherapy'
                        r"\b(?:during|on|after|following)\s+(?:(?:a|an|the|their|his|her)\s+)?(?:previous|prior|earlier|past)\s+"
                        r"(?:chemo\w*|treatments?|therap(?:y|ies)|radiotherapy|radiation|immunotherapy)\b|"
                        r"\bat\s+(?:the\s+)?age\s+(?:of\s+)?\d|"
                        # a past period of life: 'during childhood', 'in infancy', 'as a child'
                        r"\b(?:during|in)\s+(?:(?:early|their|his|her)\s+)?(?:childhood|infancy)\b|\bas\s+(?:a\s+)?(?:child|infant)\b|"
                        # the value at its worst, before the illness, at a past treatment or on an earlier
                        # recording: 'Peak creatinine', 'Platelet nadir', 'Premorbid ECOG 0-2', 'at the time of the last
                        # treatment', 'on a prior ECG'
                        r"\b(?:peak|nadir|highest|lowest|worst|historical)\b|"
                        # the value at arrival, the first one recorded or one before the hospital ('Admission
                        # haemoglobin', '... on arrival', 'First recorded systolic BP', 'Prehospital SBP', 'Maximum
                        # temperature'; not 'after admission', nor 'a maximum of 2 mg/dL', an operator)
                        r"\b(?:on|upon|at)\s+arrival\b|\bpre-?\s*hospital\b|\bfirst\s+(?:recorded|measured|documented|available)\b|"
                        r"\b(?=[aimpd])(?<!\bafter\s)(?<!\bsince\s)(?:admission|initial|maximum|minimum|maximal|minimal|arrival|"
                        r"presenting|discharge)\s+"
                        rf"{_A_MEASURE_NEXT}|"
                        # before the illness or the operation ('Pre-injury ECOG 0-2', 'Preoperative haemoglobin': an
                        # enrolment after the operation reads a past value), or at the time of an event ('at the time
                        # of surgery', '... of transplant', '... of biopsy': a value then, not the latest)
                        r"\bpre-?\s*(?:morbid|injury|fracture|illness|admission|operative(?:ly)?)\b|"
                        r"\bat\s+the\s+time\s+of\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:(?:last|previous|prior|most\s+recent|"
                        r"preceding)\s+\w|(?:[\w-]+\s+)?(?:transplant(?:ation)?|biopsy)\b|(?:surgery|operation|resection|fracture|injury|"
                        r"onset|stroke|bleed(?:ing)?|ha?emorrhage|intubation|procedure|infarction|arrest|relapse|recurrence|"
                        r"progression|discharge|conception)\b)|"
                        r"\b(?:on|in|at)\s+(?:a|an|any|the)\s+(?:prior|previous|earlier|past|old)\s+(?:ECGs?|EKGs?|"
                        r"electrocardiograms?|measurements?|assessments?|tests?|samples?|visits?|evaluations?)\b|"
                        # some time ago, or a change in the value: 'one year ago', 'Increase in creatinine of ...'
                        r"\b(?:days?|weeks?|months?|years?)\s+ago\b|"
                        r"\b(?:increases?|rises?|decreases?|declines?|drops?|falls?|changes?|reductions?)\s+(?:in|of)\b|"
                        # episodes of the value, not the latest one: 'Glucose < 70 mg/dL episodes'
                        r"\b(?:episodes?|events?|occurrences?|attacks?)\b(?!\s+(?:free|rate))|"
                        # a value passing a threshold: 'Platelets falling below 100,000/uL', 'Creatinine rising above ...'
                        r"\b(?:fall(?:s|ing)?|dropp?(?:s|ing)?|ris(?:es|ing)|declin(?:es|ing)|decreas(?:es|ing)|"
                        r"increas(?:es|ing))\s+(?:below|under|above|over|to|beyond|past)\b|"
                        # a change written after the measure: 'Systolic blood pressure drop > 20 mmHg'
                        r"\b(?:increases?|rises?|decreases?|declines?|drops?|falls?|changes?|reductions?)\s*(?:by\s+)?"
                        r"(?:[<>≤≥]|(?:greater|more|less|fewer)\s+than|at\s+least|of\s+at\s+least)|"
                        # a value once, not now: 'in the past', 'at any time', 'previously' (not a window: 'in
                        # the past 3 months', 'in the past year')
                        r"\bin\s+the\s+past\b(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
                        r"few|several|year|month|week|day))|\bat\s+any\s+(?:time|point)\b(?!\s+(?:during|within|in\s+the\s+"
                        r"(?:\d|last|past|previous)))|\bpreviously\b\W*$", re.IGNORECASE),
    # a measured value taken in a state other than the one the library's latest value stands for: asleep,
    # exercising, or breathing supplemental oxygen ('SpO2 < 90% during sleep', 'oxygen saturation >= 92% on 2 L
    # oxygen', '... on room air or O2 by nasal cannula'; not 'on room air') (read only for measured values)
    "circumstance": re.compile(r"\b(?:during|while|in)\s+(?:(?:their|his|her)\s+)?(?:sleep|asleep|sleeping)\b|\bnocturnal\b|"
                               r"\bovernight\b|\b(?:during|after|on|with|upon)\s+(?:(?:an?|the)\s+)?(?:exercise|exertion|effort)\b|"
                               r"\b(?:walk(?:ing)?|exercise|treadmill|stress|tilt(?:[\s-]table)?)\s+test|\bat\s+altitude\b|"
                               # after a walk or an exercise: 'SpO2 < 92% after a 6-minute walk'
                               r"\b(?:after|following)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:walk(?:ing)?|exercise|exertion)\b|"
                               r"\b(?:at|during)\s+(?:peak|maximal|maximum)\s+(?:exercise|exertion|effort)\b|"
                               # another kind of recording: 'on Holter monitoring', 'ambulatory blood pressure', 'Nighttime
                               # systolic blood pressure', 'in the prone position'
                               r"\bholter\b|\bambulatory\s+(?:(?:blood\s+pressure|BP|ECG)\s+)?monitor|\bnight-?\s*time\b|"
                               # a blood pressure taken at home, over a day or at the aorta: 'Home BP', 'Daytime ambulatory
                               # BP', '24-hour mean systolic BP', 'Central systolic pressure'
                               r"\b(?:home|self-?measured|ambulatory|central|aortic)\s+(?:(?:mean|average|systolic|diastolic)\s+)?"
                               r"(?:blood\s+pressure|BP|SBP|DBP|systolic|diastolic)\b|\bday-?\s*time\b|"
                               r"\b24[\s-]*(?:h|hr|hour)s?\s+(?:(?:mean|average|ambulatory)\s+)*(?:blood\s+pressure|BP|SBP|DBP|"
                               r"systolic|diastolic|heart\s+rate)\b|"
                               r"\bprone\b|"
                               # during a procedure or under its drugs: 'under sedation', 'Intraoperative ...', 'during labour'
                               r"\bunder\s+(?:general\s+)?(?:sedation|an(?:ae|a|e)sthesia)\b|\b(?:intra|peri)-?operative(?:ly)?\b|"
                               r"\bintra-?partum\b|\bin\s+(?:active\s+)?labou?r\b|"
                               r"\bduring\s+(?:the\s+|a\s+)?(?:procedure|surgery|operation|labou?r|delivery|dialysis|"
                               r"ha?emodialysis|infusion|anaesthesia|anesthesia|sedation)\b|"
                               r"\b(?:despite|requiring|needing)\s+(?:\d+(?:\.\d+)?\s*(?:L|lpm|litres?|liters?)\b\s*(?:/\s*min\s*)?"
                               r"(?:of\s+)?)?(?:(?:supplemental|supplementary)\s+)?(?:oxygen|O2)\b|"
                               # oxygen by its flow or device: 'at 2 lpm', 'via nasal prongs', 'on a face mask'
                               r"\b(?:at|on|with)\s+\d+(?:\.\d+)?\s*(?:lpm|L\s*/\s*min|litres?\s*/\s*min|liters?\s*/\s*min)\b|"
                               r"\bnasal\s+prongs?\b|\b(?:face|venturi|non-?rebreather)\s+mask\b|"
                               r"\b(?:on|upon|after)\s+standing\b|\b(?:orthostatic|postural)\b|"
                               r"\b(?:on|with|while\s+on|receiving)\s+(?:(?:non-?invasive|mechanical|positive[\s-]pressure)\s+)?"
                               r"(?:CPAP|BiPAP|NIV|ventilat\w*|ventilator|FiO2|ECMO)\b|"
                               r"\b(?:on|with|while\s+(?:on|receiving)|receiving|breathing)\s+(?:\d+(?:\.\d+)?\s*"
                               r"(?:L|litres?|liters?|lpm)(?:\s*/\s*min(?:ute)?)?\s+(?:of\s+)?)?(?:(?:supplemental|supplementary|"
                               r"home|nasal|low[\s-]flow|high[\s-]flow)\s+)*(?:oxygen|O2)\b"
                               r"(?![\s-]*(?:saturation|sat\b|sats\b|tension|content))|\bnasal\s+cannula\b",
                               re.IGNORECASE),
    # a value that a treatment has failed to bring down, or a disease it defines named as refractory to its treatment:
    # 'blood pressure > 160 mmHg despite optimal medical therapy', 'Treatment-resistant hypertension defined as ...'
    # (read only for measured values: the latest value does not tell whether the patient is treated)
    "treated": re.compile(r"\bdespite\s+(?:(?:the\s+)?(?:use\s+of\s+)?(?:[\w-]+\s+){0,3}?)(?:treatments?|therap(?:y|ies)|"
                          r"medications?|medicines?|drugs?|agents?|anti-?hypertensives?)\b|"
                          r"\b(?:treatment|therapy|drug)[\s-]+(?:refractory|resistant)\b|"
                          r"\b(?:refractory|resistant)\s+(?:arterial\s+|systemic\s+|essential\s+)?hypertension\b",
                          re.IGNORECASE),
    # another specimen than the value set's blood, serum or plasma: 'Urine creatinine', 'CSF glucose', 'pleural fluid
    # LDH', 'haemoglobin in the effusion', 'drain fluid amylase' (read only for measured values; not a creatinine
    # clearance, counted on a urine collection)
    "specimen": re.compile(r"\b(?:urine|urinary|CSF|cerebrospinal|pleural|ascitic|ascites|peritoneal|synovial|sputum|stool|"
                           # (not the disease: 'pericardial effusion', 'interstitial lung disease')
                           r"pericardial\s+fluid|interstitial(?=\s+(?:fluid|glucose))|"
                           r"f(?:a)?ecal|saliva(?:ry)?|amniotic|dialysate|breast\s+milk|bronchoalveolar|BAL|cord\s+blood|"
                           r"tears?|semen|seminal|vitreous|aqueous\s+humou?r|(?:drain|drainage|joint|spinal|cyst|gastric|duodenal)\s+fluid)\b|"
                           # the marrow's own count ('Neutrophils < 1.0 x 10^9/L in bone marrow'; not its function, reserve
                           # or involvement by a disease, nor a label of the blood counts: 'Bone marrow: ...', 'Adequate
                           # marrow (...)')
                           r"\b(?=[bm])(?<!\badequate\s)(?<!\bnormal\s)(?<!\bsufficient\s)(?<!\bpreserved\s)"
                           r"(?:bone\s+marrow|(?<!\bbone\s)marrow)\b(?!\s+(?:involvement|infiltration|invasion|disease|metastas\w*|transplant\w*|"
                           r"failure|suppression|reserve|function|dysfunction|toxicity|recovery|aplasia|fibrosis)\b|\s*[:()])|"
                           # (a word that may name the disease, not the specimen, only after 'in', 'of' or 'from': not
                           # 'Malignant effusion with haemoglobin < 9 g/dL')
                           r"\b(?:in|of|from)\s+(?:the\s+|an?\s+)?(?:effusions?|exudates?|aspirates?|lavage|bile)\b",
                           re.IGNORECASE),
    # after a meal or a glucose load: 'Postprandial glucose', '2-hour plasma glucose ... on OGTT' (read only for
    # measured values named right after it or around it; not a fasting glucose, the test's first sample)
    "load": re.compile(r"\bpost-?\s*(?:prandial|load|challenge)\b|\bOGTT\b|\boral\s+glucose\s+tolerance\b|"
                       r"\b(?:2|two)[\s-]*(?:h|hr|hours?)\b(?!\s*(?:before|prior|after|of)\b)|"
                       # after a meal or a glucose drink, named after the value: 'Glucose > 200 mg/dL 2 hours after a
                       # meal', '... one hour after a 50 g glucose challenge'
                       r"\b(?:after|following)\s+(?:(?:a|an|the)\s+)?(?:(?:standard|test|mixed)\s+)?(?:meals?|eating|"
                       r"food|breakfast|lunch|dinner)\b|\bglucose\s+(?:load|challenge|drink)\b", re.IGNORECASE),
    # fasting, or not, said apart from the measure's name: 'Glucose >= 126 mg/dL fasting', 'Non-fasting glucose'
    # (read only for measured values named right before or after it; a fasting glucose is fasting)
    "fasting": re.compile(r"\b(?:non-?\s*)?fast(?:ing|ed)\b", re.IGNORECASE),
    # a tolerance around the bound, which moves it by an amount the text leaves open: 'BMI 30 kg/m2 or over (+/- 2)',
    # 'MoCA of 23 (+/- 4) or under' (read only for measured values)
    "tolerance": re.compile(r"(?:\+\s*/\s*-|±|\+-)\s*\d"),
    # a state a measured threshold holds in ('50 x 10^9/L where marrow is involved', '< 30 mL/min while on metformin';
    # not 'where applicable', 'while on room air') (read only for measured values)
    # off a treatment or after a washout: 'HbA1c > 9% off treatment', '... after a 4-week washout' (the patient may be on
    # it now, and the washout may be the study's run-in, still to come)
    "state": re.compile(r"\bwhere\b(?!\s+(?:applicable|available|appropriate|possible|indicated|required|needed)\b)|"
                        # (the match begins past 'off', whose 'off all' would read as a scope of everyone)
                        r"(?<=\boff\s)(?:(?:all|any)\s+)?(?:[\w-]+\s+){0,2}?(?:treatments?|therap(?:y|ies)|medications?|drugs?|"
                        r"agents?|insulin|statins?)\b|\b(?:after|following)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?wash-?\s*out\b|"
                        r"\bwhile\s+(?:on|receiving|taking|using|treated)\b(?!\s+(?:room|ambient)\s+air\b)", re.IGNORECASE),
    # a measured value taken more than once, or averaged: 'BP > 160/100 mmHg measured twice', 'on more than one
    # occasion', 'for 3 consecutive days', 'Average systolic BP' (read only for measured values; not 'twice daily')
    "measured_again": re.compile(r"\b(?:twice|thrice)\b(?!\s+(?:daily|a\s+day|weekly|a\s+week|per|monthly))|"
                                 r"\bon\s+more\s+than\s+one\s+(?:occasion|measurement|reading|visit)\b|"
                                 r"\bconsecutive\s+(?:days|hours|weeks|visits|measurements|readings)\b|\baverage[ds]?\b|"
                                 # 'from three ECGs', 'on 3 separate ECGs'
                                 r"\b(?:from|of|over|on|in)\s+(?:two|2|three|3|four|4|five|5)\s+(?:[\w-]+\s+)?(?:ECGs?|EKGs?|"
                                 r"electrocardiograms?|measurements|readings|recordings|tracings|determinations)\b|"
                                 # any value of a period, not the latest: 'Any HbA1c > 10% in the last year', 'At least
                                 # one systolic BP reading > 180 mmHg', 'Creatinine > 2 mg/dL since randomisation'
                                 r"\b(?:any|at\s+least\s+one|one\s+or\s+more)\s+(?:single\s+)?(?:(?:values?|readings?|"
                                 rf"measurements?|results?|determinations?)\s+(?:of\s+)?)?{_A_MEASURE_NEXT}|\bsince\b|"
                                 # at any time of a period, or over it: 'BMI > 40 at any time in the past year', 'HbA1c >
                                 # 9% over the past year'
                                 r"\bat\s+any\s+(?:time|point)\s+(?:during|within|in|over)\b|"
                                 # a value during an illness, an exposure, a treatment or the study: 'SpO2 < 94% during the
                                 # illness', 'Haemoglobin < 10 g/dL during treatment', '... during participation'
                                 r"\bduring\s+(?:the\s+|their\s+|his\s+|her\s+|this\s+)?(?:(?:current|present|acute|index)\s+)?"
                                 r"(?:illness|exposure|diagnosis|treatment|therapy|participation)\b|"
                                 r"\bover\s+the\s+(?:past|last|previous|preceding)\b|"
                                 # a mean over readings ('Mean glucose > 180 mg/dL on CGM'; not a QTc, whose mean over
                                 # a triplicate ECG is the one reported) or a continuous monitor's
                                 rf"\bmean\s+(?!QT){_A_MEASURE_NEXT}|\b(?:CGM|continuous\s+glucose\s+monitor\w*)\b|"
                                 # 'at two visits', 'in two readings', 'at screening and at baseline'
                                 r"\b(?:at|in|during|on)\s+(?:two|2|three|3)\s+(?:separate\s+|consecutive\s+|different\s+)?"
                                 r"(?:visits|readings|measurements|time\s*points|clinic\s+visits|days)\b|"
                                 r"\bat\s+(?:both\s+)?screening\s+and\s+(?:at\s+)?(?:baseline|randomi[sz]ation|day\s*1|enrol+ment)\b|"
                                 # any or all of several: 'at any visit during screening', 'on any of the screening
                                 # ECGs', 'All screening blood pressures < 160/100 mmHg' (not a list's 'all values
                                 # within 14 days', which dates it)
                                 r"\b(?:on|at|in|during|from)\s+any\s+(?:of\s+the\s+)?(?:[\w-]+\s+){0,2}?(?:visits?|ECGs?|EKGs?|"
                                 r"electrocardiograms?|measurements?|readings?|assessments?|tests?|samples?|determinations?|"
                                 r"occasions?)\b|\ball\s+(?:(?:screening|baseline|pre-?dose)\s+)?(?:(?:blood\s+pressure|BP|ECG|QTc\w*|"
                                 r"heart\s+rate|glucose)\s+)?(?:readings|measurements|blood\s+pressures|ECGs|determinations)\b",
                                 re.IGNORECASE),
    # one sex named in brackets right after a measured value: 'Hemoglobin > 16.5 g/dL (men)' is for men only (read
    # only for measured values; thresholds for each sex are read by the lab recogniser, which accounts for it)
    # (its closing bracket may stand past the clause: '(men) or ...')
    "sex_label": re.compile(r"\(\s*(?:(?:in|for)\s+)?(?:the\s+)?(?:women|men|females?|males?|boys|girls)\b\s*(?:\)|$)",
                            re.IGNORECASE),
    "scope_age": re.compile(r"\bfor\s+(?=[<>≤≥]|(?:under|over|less\s+than|more\s+than|younger|older)\b)|"
                            # an age band as people: 'for 10- to 13-year-olds', 'in 12-17 year olds', 'for 10 to 13
                            # year old children'
                            r"\b(?:for|in|among)\s+(?:the\s+)?(?=\d{1,2}\s*-?\s*(?:(?:-|–|to)\s*\d{1,2}\s*-?\s*)?"
                            r"(?:years?|yrs?)[\s-]*olds?\b)", re.IGNORECASE),
}
# each with a look at the characters its matches start with ahead of it (`with_first_look`: the same matches; a clause
# is scanned for them about ... as fast)
CUES = {name: with_first_look(pattern) for name, pattern in CUES_AS_WRITTEN.items()}
