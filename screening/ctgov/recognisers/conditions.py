"""Malignancy, with its time window and its exceptions: 'Malignancy within the past 5 years,
except adequately treated cervical carcinoma in situ or skin squamous or basal cell carcinoma',
'History of cancer within 3 years', 'Active malignancy', 'Current diagnosis of cancer', 'No prior
malignancy'. A second mention joined by 'or' that widens the first is read instead: a history
('Concurrent malignancy or a history of malignancy': ever) or any other site after a cancer of one
('current skin cancer or other malignant disease': an active malignancy; not one at any time, 'History of colorectal
cancer or other malignant tumors', left for review: in a trial of that site's cancer a previous one is meant), and so is its history named after it
('Malignancy or prior history', '... or a history thereof': ever). In an exclusion, a malignancy present or in
evidence ('Presence of malignancy', 'Clinical evidence of cancer') is an active one (in an inclusion 'No evidence
of cancer' is most often the remission of the trial's own, left for review).

Drafted with the library's `malignancy` value set (`except:` the library's `skin_bcc_scc` for
basal and squamous cell skin carcinoma or 'non-melanoma skin cancer', and a trial-local
`cervical_carcinoma_in_situ`) or the library concept `active_malignancy`. Not drafted: a
malignancy of one site ('lung cancer', 'haematological malignancy'), 'other' or 'another'
malignancy (other than the one under study: the exception is the trial's own disease; also one
'separate from' or 'distinct from' it), the malignancy under study itself ('leptomeningeal
disease as a manifestation of the current malignancy': a definite article before it), a
treatment for malignancy ('systemic treatment for cancer': a treatment, not a diagnosis), and an
exception that is not recognised (basal cell carcinoma alone, prostate cancer, ...): those are
recognised and left for review with the reason. Exceptions are read after the mention in its
sentence, and in a later sentence that lets patients in ('... are eligible') or states them
('Exceptions include ...'). In an exclusion, 'cancer' named as one member of a
list of diseases ('the following diseases: cancer, asthma, ...', 'severe chronic disease (e.g.
cancer, cirrhosis)'), or named alone as an exclusion's whole item ('Malignancy', 'and cancer,': the last of
diseases listed item by item), is a current malignancy: drafted with `active_malignancy` at low confidence,
unless the list names a state a diagnosis does not record ('decompensated conditions such as ...');
one led by a history ('History of: ...; malignancy', 'Prior history of: stroke, malignancy') is a
malignancy at any time.

Organ transplant recipients ('Bone marrow or organ transplantation recipients', 'History of solid
organ transplant', 'a solid organ allograft', 'status post transplantation' with no organ named) are drafted with the
library's `organ_transplant` value set (recipients of a bone marrow, kidney, liver, heart or lung
transplant); a transplant of one organ, a planned one or a candidate for one is not, nor one in a state
or with an event of its own ('Failed organ transplant', 'organ transplant rejection', '... complications'),
nor one listed beside a stem cell transplant of one donor type ('solid organ transplant or allogeneic stem
cell transplant': the item names apart the bone marrow transplants it means, which the value set holds all of).

Uncontrolled hypertension ('Uncontrolled hypertension', 'poorly controlled high blood pressure',
'hypertension not controlled by medication', '... beyond drug control') is drafted with the
library's `uncontrolled_hypertension` value set, as an active diagnosis (a history, 'History of ...' or
'... in the past', at any time); one defined by a
blood-pressure threshold in the same sentence ('uncontrolled hypertension (>160/100 mmHg)'; a
window, a class or another number, 'stroke within 6 months, uncontrolled hypertension', defines
none) is left to the blood-pressure thresholds and to review, and one
in parentheses is an example of what comes before it ('Severe cardiovascular disease (cardiopulmonary failure, uncontrolled hypertension)').

Chronic rheumatic diseases the library has value sets for (systemic sclerosis, rheumatoid
arthritis, ankylosing spondylitis), named by the names the library gives them ('Patients with
Raynaud's phenomenon, systemic sclerosis, or vasospastic disease'): a diagnosis at any time; not
a family history, a localised scleroderma or the rheumatoid factor, nor one in a parenthesis of
examples or with a time window (left for review). A diagnosis not established ('Suspected ...') is not
drafted, nor, where the draft would turn patients away, one of a kind, cause or course or a condition it
causes ('Juvenile rheumatoid arthritis', '... in remission', 'Scleroderma renal crisis', 'Uncontrolled
hypertension secondary to renal disease'): left for review.
"""

from __future__ import annotations

import re
from typing import Any

from screening.ctgov.recognisers.base import (
    DIAGNOSIS_OR,
    Finding,
    ItemText,
    blocked,
    may_name,
    negated_as_meant,
    sentence_of,
    sentences,
    with_polarity,
)
from screening.ctgov.recognisers.permissions import ADMITTED_OR_TAKING_PART
from screening.ctgov.windows import windows

_MENTION = re.compile(r"(?<![\w-])(?:cancers?|malignan(?:cy|cies)|malignant\s+(?:disease|tumou?rs?|neoplasms?))\b"
                      r"(?!\s*(?:antibod|therap|drug|agent|vaccine|treatment|centre|center|institute|screening|surg|"
                      r"resection|risk|predisposition|prevention))", re.IGNORECASE)
# a site named after the mention ('Previous cancer of the breast', 'cancer in the lung'): a cancer of one site, as
# 'lung cancer' is (not 'cancer of any site')
_SITE_AFTER = re.compile(r"\s+(?:of|in)\s+(?:the\s+|an?\s+)?(?:(?:left|right|upper|lower|uterine|urinary|large|small)\s+)?"
                         r"(?:breasts?|lungs?|colon|rectum|prostate|cervix|uterus|womb|ovar(?:y|ies)|pancreas|liver|"
                         r"stomach|o?esophagus|bladder|kidneys?|skin|head\s+and\s+neck|thyroid|brain|bones?|blood|"
                         r"pleura|endometrium|test(?:is|es|icles?)|bowel|larynx|pharynx|bile\s+ducts?|gall\s*bladder|"
                         r"oral\s+cavity|mouth|tongue|vulva|vagina|penis|anus|eyes?|lymph\s+nodes?|adrenals?|"
                         r"central\s+nervous\s+system|CNS)\b", re.IGNORECASE)
# words before the mention that leave it about malignancy in general
# (a mention opening a clause after a semicolon: 'Diabetes ...; Malignancy within 2 years')
_GENERIC_BEFORE = re.compile(r"(?:^|;|\b(?:any|a|of|with|active|prior|previous|known|invasive|history|for|no|or|and|"
                             r"current|concurrent|diagnosed|diagnosis|treated|documented|evidence|suspected|untreated))"
                             r"\W*$", re.IGNORECASE)
# the mention names what a treatment was for ('systemic treatment for cancer'): a treatment, not a diagnosis
_TREATED_FOR = re.compile(r"\b(?:treatments?|therap(?:y|ies)|chemotherapy|radiotherapy|radiation|surgery|drugs?|agents?)"
                          r"\s+(?:for|of|against)\s+(?:(?:the|a|an|their|his|her)\s+)?$", re.IGNORECASE)
# or farther before it in its clause, past a window or a site ('chemotherapy within the last 3 years for a prior
# malignancy', 'radiotherapy to the chest for a malignancy')
_TREATED_FOR_FAR = re.compile(r"\b(?:treatments?|therap(?:y|ies)|chemotherapy|radiotherapy|radiation|irradiation|surgery|"
                              r"resection)\b[^.;,:]{0,60}?\s(?:for|against)\s+(?:(?:the|a|an|their|his|her|any)\s+)?"
                              r"(?:(?:prior|previous|past|earlier|known)\s+)?$", re.IGNORECASE)
# ... unless named with the diagnosis as its alternative (`DIAGNOSIS_OR`)
# 'other', 'another', and a previous one named with the concurrent one ('Previous or concurrent malignancy',
# 'concurrent or prior malignancies', 'past or current cancer'): in a trial of a cancer the trial's own is concurrent
_OTHER = re.compile(r"\b(?:other|another|second|additional|secondary|"
                    r"(?:prior|previous|past|earlier)\s+(?:or|and|and/or|/)\s+(?:concurrent|current|coexisting|synchronous)|"
                    r"(?:concurrent|current|coexisting|synchronous)\s+(?:or|and|and/or|/)\s+(?:prior|previous|past|earlier))"
                    r"\s+(?:\w+\s+)?$", re.IGNORECASE)
# the trial's own disease: 'leptomeningeal disease as a manifestation of the current malignancy',
# 'metastases of the primary cancer'
_THE_DISEASE = re.compile(r"\b(?:the|their|his|her|its)\s+(?:(?:current|primary|underlying|present|existing|index|"
                          r"known|presenting|same)\s+)?$", re.IGNORECASE)
# a mention that is one member of a list of diseases: after a colon, a comma, 'e.g.', 'such as' or
# 'including', and followed by the next member (or the end)
# ('..., any type of cancer, ...': malignancy of any kind is malignancy)
_ANY_KIND_OF = r"(?:any\s+(?:(?:type|kind|form|sort)s?\s+of\s+)?)?"
_LISTED_BEFORE = re.compile(r"(?:[:,;(]|\be\.g\.,?|\bsuch\s+as|\bincluding)\s*" + _ANY_KIND_OF + "$", re.IGNORECASE)
_LISTED_AFTER = re.compile(r"\s*(?:[,;)]|\.?\s*$|(?:and|or|and/or)\b)")
# a state of the listed diseases a diagnosis does not record: the list is not drafted
# (said of the list's class, 'Unstable illnesses, for instance angina, cancer'; not the decompensation of one organ's
# disease named first, 'Decompensated cirrhosis, hepatocellular carcinoma or other malignancy'; 'Uncontrolled
# diabetes, hypertension, cancer' may say it of all)
_LIST_STATE = re.compile(r"\b(?:decompensated(?!\s+(?:liver\s+)?(?:cirrhosis|hepatic|liver|heart|cardiac)\b)|uncontrolled|"
                         r"unstable|(?:poorly|not)\s+controlled|refractory)\b", re.IGNORECASE)
# a list of diseases led by a history ('History of: ...; malignancy', 'Prior history of the following: ...'): each
# member at any time, not now
_LIST_HISTORY = re.compile(r"\bhistory\s+of\b|\b(?:prior|previous|past)\b(?!\s+to\b)", re.IGNORECASE)
# 'active', 'current diagnosis of', 'currently diagnosed with': a malignancy now
_ACTIVE = re.compile(r"\b(?:active|current|ongoing|concurrent)\s+(?:diagnosis\s+of\s+|\w+\s+)?$|"
                     r"\bcurrently\s+(?:diagnosed\s+with|having|has)\s+(?:an?\s+)?$", re.IGNORECASE)
# 'active' or 'current' opening a list of diseases joined by 'or' that ends with the mention ('Active infectious or
# inflammatory disease or malignancy', 'Current hepatitis, infection or cancer'): each of them now (not through a word
# that says what the list's member is of, with or after: 'Active infection treated with antibiotics or malignancy')
_ACTIVE_LIST = re.compile(r"\b(?:active|current|ongoing)\s+(?:(?!(?:of|with|for|in|on|to|at|by|from|after|within|"
                          r"during|history|requiring|treated|prior|previous|past|other|another)\b)[\w-]+,?\s+){1,6}?"
                          r"(?:or|and/or)\s+$", re.IGNORECASE)
# in an exclusion, present or in evidence ('Presence of a malignancy', 'Clinical evidence of cancer'): now (in an
# inclusion 'No evidence of cancer' is most often the remission of the trial's own)
_PRESENT = re.compile(r"\b(?:presence|evidence)\s+of\s+(?:an?\s+|any\s+)?$", re.IGNORECASE)
# the mention's own history named after it ('Malignancy or prior history', '... or a history thereof'): at any time
_OR_ITS_HISTORY = re.compile(r"\s*,?\s*(?:or|and/or)\s+(?:an?\s+)?(?:(?:prior|previous|past)\s+)?history"
                             r"(?:\s+(?:thereof|of\s+(?:it|one|such|the\s+same)))?(?=\s*(?:[.;,)]|$))", re.IGNORECASE)
# a past one named beside the present ('Lifetime or current diagnosis of malignancy', 'Current or past cancer'): at any time
_AT_ANY_TIME_TOO = re.compile(r"\b(?:lifetime|past|previous|prior|history|ever)\b(?!\s+to\b)", re.IGNORECASE)
_EXCEPTION = re.compile(r"\b(?:except(?:ion)?(?:\s+of|\s+for)?|excepting|excluding|other\s+than|apart\s+from|aside\s+from|"
                        r"(?:separate|distinct|different)\s+from|with\s+the\s+exception\s+of|"
                        # ('save for', 'barring', 'not including', 'exclusive of', '(but not ...)', 'this does not apply to')
                        r"save\s+for|barring|not\s+including|exclusive\s+of|but\s+not(?!\s+limited)|(?:does|do)\s+not\s+apply\s+to)\b",
                        re.IGNORECASE)
# a later sentence that states exceptions ('Exceptions include ...', 'Other exceptions are ...')
_EXCEPTIONS_SENTENCE = re.compile(r"^\W*(?:(?:other\s+)?exceptions?\s*(?:include|includes|are|is|:)|"
                                  r"(?:this|these|it)\s+(?:does|do)\s+not\s+apply\s+to\b)", re.IGNORECASE)
_SKIN = re.compile(r"non-?melanoma(?:tous)?\s+skin(?:\s+(?:cancers?|carcinomas?|malignanc(?:y|ies)))?\b|skin\s+cancers?\s+other\s+than\s+melanoma|"
                   r"(?:skin\s+)?(?:basal|squamous)(?:\s+cell)?\s+(?:or|and|and/or|/)\s+(?:basal|squamous)\s+cell\s+"
                   r"(?:skin\s+)?(?:carcinomas?|cancers?)(?:\s+of\s+the\s+skin)?|"
                   r"(?:basal|squamous)\s+cell\s+(?:skin\s+)?(?:carcinomas?|cancers?)(?:\s+of\s+the\s+skin)?\s*(?:or|and|,)\s*"
                   r"(?:basal|squamous)\s+cell\s+(?:skin\s+)?(?:carcinomas?|cancers?)(?:\s+of\s+the\s+skin)?",
                   re.IGNORECASE)
_CERVIX = re.compile(r"(?:cervical\s+)?(?:carcinoma\s+in\s+situ|CIS|in\s+situ\s+carcinoma)(?:\s+of\s+the\s+(?:uterine\s+)?"
                     r"cervix)?|cervical\s+(?:carcinoma\s+in\s+situ|CIS)|"
                     # 'cervical cancer in situ', 'in situ cervical cancer', 'cancer in situ of the cervix'
                     r"cervical\s+cancer\s+in\s+situ|in\s+situ\s+cervical\s+(?:cancer|carcinoma)|"
                     r"cancer\s+in\s+situ\s+of\s+the\s+(?:uterine\s+)?cervix", re.IGNORECASE)
# words an exception may carry besides what it names
_MODIFIERS = set("""adequately curatively completely successfully treated resected excised removed uncomplicated
localized localised or and the of with any which have has been that is are in situ skin cancer cancers carcinoma
carcinomas patients persons subjects participants eligible allowed permitted acceptable included enrolled a an for
history prior previous cured definitively non-invasive noninvasive exception exceptions include includes
non-metastatic nonmetastatic
""".split())


def _exceptions(text: str, s: int, e: int, mention_end: int) -> tuple[list[str], str | None, int]:
    """The value sets excepted after the mention (in its sentence, or a later sentence that lets
    patients in) and the first words not recognised as one; and where the exception text ends."""
    parts: list[tuple[int, int]] = []
    m = _EXCEPTION.search(text, mention_end, e)
    if m:
        # an exception opened inside a bracket ends at its close ('Malignancy (except ...) within 3 years')
        opened = text.rfind("(", mention_end, m.start())
        closed = text.find(")", m.end(), e) if opened != -1 and ")" not in text[opened:m.start()] else -1
        parts.append((m.end(), closed if closed != -1 else e))
    parts += [(ss, se) for ss, se in sentences(text)
              if ss >= e and (ADMITTED_OR_TAKING_PART.search(text[ss:se]) or _EXCEPTIONS_SENTENCE.match(text[ss:se]))]
    found: list[str] = []
    rest: list[str] = []
    end = mention_end
    for i, (ps, pe) in enumerate(parts):
        chunk = text[ps:pe]
        named = False
        for rx, name in ((_SKIN, "skin_bcc_scc"), (_CERVIX, "cervical_carcinoma_in_situ")):
            if rx.search(chunk):
                found.append(name)
                chunk = rx.sub(" ", chunk)
                named = True
        words = re.findall(r"[A-Za-z][A-Za-z-]*", chunk)
        if i == 0 and m and not named:
            # 'other than successfully treated skin cancer': an exception in words that are each only
            # modifiers still excepts something (here melanoma too): never dropped
            rest += words
        else:
            rest += [w for w in words if w.lower() not in _MODIFIERS]
        end = max(end, pe)
    return found, " ".join(rest[:8]) or None, end


def _window_after(text: str, end: int) -> list[Any]:
    """The time windows just after the mention ('... within the last 5 years')."""
    return [w for w in windows(text) if w.start >= end and w.start - end < 60]


_BRACKET = re.compile(r"\s*\([^()]*\)")


def _when(text: str, start: int, end: int, excepted: list[str]) -> tuple[dict[str, Any], int, str]:
    """The definition, where its text ends, and its reading ('active ... within 5 years' is a
    malignancy overlapping the window: active at some time in it)."""
    bracket = _BRACKET.match(text, end) if excepted else None  # its exceptions in a bracket: the window after it
    wins = _window_after(text, end if bracket is None else bracket.end())
    spec: dict[str, Any] = {"code": "malignancy"}
    reading = "a malignancy"
    if wins:
        spec["within"] = wins[0].duration
        reading += f" overlapping the last {wins[0].duration}"
        # a window after 'Malignancy/chemotherapy' dates both: the span stays the mention's, so the other keeps its own
        if not re.match(r"\s*/\s*[A-Za-z]", text[end:wins[0].start]):
            end = max(end, wins[0].end)
    if excepted:
        spec["except"] = excepted[0] if len(excepted) == 1 else excepted
        reading += ", except " + " and ".join(excepted) + " (how they were treated is not checked)"
    return {"condition": spec}, end, reading


def _listed(item: ItemText, m: re.Match[str], before: str) -> bool:
    """Whether the mention is one member of a list of diseases an exclusion names."""
    return item.kind == "exclusion" and bool(_LISTED_BEFORE.search(before)) \
        and bool(_LISTED_AFTER.match(item.text, m.end())) and not _LIST_STATE.search(item.text, 0, m.start())


def listed_now(item: ItemText, start: int, end: int) -> bool:
    """Whether the mention at `start`-`end` is one member of a list of diseases an exclusion names, the list led by
    no history ('Comorbidities (malignant tumour, tuberculosis)', not 'History of asthma, tuberculosis'): a disease
    the patient has now."""
    if item.kind != "exclusion" or not _LISTED_AFTER.match(item.text, end) \
            or not _LISTED_BEFORE.search(item.text, max(0, start - 40), start):
        return False  # (the cheap tests first: most mentions are no list's member)
    s = sentence_of(item.text, start)[0]
    return bool(_LISTED_BEFORE.search(item.text, max(s, start - 40), start)) \
        and not _LIST_STATE.search(item.text, 0, start) and not _LIST_HISTORY.search(item.text, s, start)


def _alone(item: ItemText, m: re.Match[str]) -> bool:
    """Whether the mention is named alone as an exclusion's whole item ('Malignancy', 'and cancer,': the last of
    diseases listed item by item), a disease the patient has; not under a lead-in or heading that dates it ('History
    of any of the following:', 'Any of the following within the last 5 years:')."""
    return item.kind == "exclusion" and _ALONE_BEFORE.fullmatch(item.text, 0, m.start()) is not None \
        and _ALONE_AFTER.fullmatch(item.text, m.end()) is not None \
        and not any(_DATED_LEAD.search(t) for t in (*item.ancestors, item.group or ""))


# the mention as an item's whole text, but for a joining word before it and punctuation after it
_ALONE_BEFORE = re.compile(r"\W*(?:(?:and|or)\s+)?" + _ANY_KIND_OF, re.IGNORECASE)
_ALONE_AFTER = re.compile(r"\W*")
# a lead-in or heading that dates the items under it
_DATED_LEAD = re.compile(r"\b(?:histor\w*|prior|previous|past|ever|lifetime|within|last|since|before|years?|months?)\b",
                         re.IGNORECASE)


# a second mention joined to the first by 'or' that widens it: a history ('Concurrent malignancy or a
# history of malignancy': a history includes the present one), or any other malignancy after one of a
# site ('current skin cancer or other malignant disease': a malignancy of any site)
_OR_HISTORY_OF = re.compile(r"\s*,?\s*(?:or|and/or)\s+(?:an?\s+|any\s+)?(?:prior\s+|previous\s+|past\s+|"
                            r"(?:a\s+)?history\s+of\s+(?:an?\s+|any\s+)?)+(?=cancers?\b|malignan)", re.IGNORECASE)
_OR_ANY_OTHER = re.compile(r"\s*,?\s*(?:or|and/or)\s+(?:an?\s+|any\s+)?other\s+(?=cancers?\b|malignan)", re.IGNORECASE)


def _read_mention(text: str, m: re.Match[str]) -> tuple[re.Match[str], str, int]:
    """The mention read, the words before it that say when, and where the finding starts: the
    first, or a later one joined by 'or' that widens it (a history: read with its own words; any
    other site after a cancer of one: read with the first's words, from the first)."""
    before = text[max(0, m.start() - 40):m.start()]
    for joiner, any_site in ((_OR_HISTORY_OF, False), (_OR_ANY_OTHER, True)):
        j = joiner.match(text, m.end())
        later = _MENTION.match(text, j.end()) if j else None
        if later is not None and not any_site:
            return later, text[max(0, later.start() - 40):later.start()], later.start()
        if later is not None and not _GENERIC_BEFORE.search(before):
            return later, before, m.start()
    named = _NAMED_OR_OTHER.search(text, max(0, m.start() - 60), m.start())
    if named is not None:  # 'hepatocellular carcinoma or other malignancy': read from the named one, as above
        return m, text[max(0, named.start() - 40):named.start()], named.start()
    return m, before, m.start()


# a cancer of one site named by its kind, then any other ('renal carcinoma or other malignancy', 'lymphoma or any other
# malignant disease'): the other is other than it, both meant (as after 'skin cancer or other ...')
_NAMED_OR_OTHER = re.compile(r"(?<![\w-])(?:[\w-]+\s+)?(?:carcinomas?|sarcomas?|lymphomas?|melanomas?|leuk(?:a)?emias?|"
                             r"myelomas?)\s*,?\s*(?:or|and/or)\s+(?:an?\s+|any\s+)?other\s+$", re.IGNORECASE)


# a malignancy, or a history of one, qualified by a judgement ('Clinically significant history of cancer',
# 'Significant history of malignancy', 'clinically relevant malignancy'): which ones count is the investigator's
_JUDGED = re.compile(r"\b(?P<what>(?:clinically\s+)?(?:significant|relevant|important|meaningful))\s+(?:(?:past\s+|medical\s+)?"
                     r"history\s+of\s+(?:an?\s+|any\s+)?)?$", re.IGNORECASE)
# or a clinical judgement said of a list the malignancy is one of ('Any clinically significant history of
# cardiovascular disease or cancer')
_CLINICALLY_JUDGED = re.compile(r"\b(?P<what>clinically\s+(?:significant|relevant|important|meaningful))\b[^;:]*$",
                                re.IGNORECASE)


def _not_in_general(text: str, m: re.Match[str], before: str) -> Finding | None:
    """A mention that is not of malignancy in general, for review: another one than the one under
    study, the trial's own, what a treatment was for, or one a judgement qualifies."""
    judged = _JUDGED.search(before) or _CLINICALLY_JUDGED.search(text, sentence_of(text, m.start())[0], m.start())
    if judged:
        return blocked("malignancy", f"a malignancy judged '{judged.group('what').lower()}': which ones count is the "
                       "investigator's", text, m.start() - len(judged.group(0)), m.end())
    other = _OTHER.search(before)
    if other:
        return blocked("malignancy", "another malignancy than the one under study: its exception is the trial's own "
                       "disease", text, m.start() - len(other.group(0)), m.end())
    own = _THE_DISEASE.search(before)
    if own:
        return blocked("malignancy", "the malignancy under study (the trial's own disease), not another one", text,
                       m.start() - len(own.group(0)), m.end())
    treated = _TREATED_FOR.search(before)
    if treated and not DIAGNOSIS_OR.search(before, 0, treated.start()):
        return blocked("malignancy", "a treatment for malignancy, not a diagnosis of one", text,
                       m.start() - len(treated.group(0)), m.end())
    s = sentence_of(text, m.start())[0]
    far = _TREATED_FOR_FAR.search(text, max(s, m.start() - 120), m.start()) if treated is None else None
    if far and not DIAGNOSIS_OR.search(text, s, far.start()):
        return blocked("malignancy", "a treatment for malignancy, not a diagnosis of one", text, far.start(), m.end())
    needs = _NEEDING_TREATMENT.match(text, m.end()) or _IN_ONE_STATE.match(text, m.end())
    if needs:
        return blocked("malignancy", f"a malignancy only when '{needs.group('what').strip()}': a diagnosis of any does not "
                       "tell", text, m.start(), needs.end())
    return None


# a malignancy of one kind named after it: 'requiring treatment', 'that required systemic therapy', 'under active
# treatment' (a diagnosis record does not say so)
_NEEDING_TREATMENT = re.compile(r"\w*(?:\s*\([^()]{0,40}\))?(?:[^,;.()]{0,40}?\s)?\s*,?\s*(?:(?:that|which)\s+(?:is\s+|was\s+|has\s+)?)?"
                                r"(?P<what>(?:requir\w*|needing|needs?|under|receiving|on|treated\s+with)\s+(?:active\s+|"
                                r"ongoing\s+|current\s+|systemic\s+|specific\s+|any\s+)*(?:anti-?(?:cancer|neoplastic|tumou?r)\s+)?"
                                r"(?:treatments?|therap(?:y|ies)|chemotherapy|intervention|care))", re.IGNORECASE)


# or in one state named after it: 'Prior malignancy, now cured', 'History of malignancy in remission for 5 years',
# '... that has been treated', '..., disease-free' (some of the malignancies only)
_IN_ONE_STATE = re.compile(r"\w*(?:\s*\([^()]{0,40}\))?\s*,?\s*(?:(?:that|which)\s+(?:is|was|has\s+been|have\s+been)\s+|"
                           r"now\s+|currently\s+)?(?P<what>cured|resolved|in\s+(?:complete\s+|partial\s+)?remission|"
                           r"disease[\s-]free|(?:successfully|adequately|curatively|completely)\s+treated|"
                           r"(?<=been\s)treated|(?<=now\s)treated)\b", re.IGNORECASE)


def _active_only(item: ItemText, m: re.Match[str], before: str, excepted: bool) -> bool:
    """'Active', 'current' or 'ongoing' before the mention (in an exclusion, its presence or evidence too), without
    exceptions, a window after it or a past time named beside it ('Lifetime or current diagnosis of ...'): a
    malignancy now."""
    now = _ACTIVE.search(before) is not None or (item.kind == "exclusion" and _PRESENT.search(before) is not None) \
        or (before.rstrip().lower().endswith("or") and _ACTIVE_LIST.search(
            item.text, sentence_of(item.text, m.start())[0], m.start()) is not None)
    return now and not excepted and not _window_after(item.text, m.end()) \
        and not _AT_ANY_TIME_TOO.search(before)


def _presence_start(item: ItemText, before: str, start: int, first: int) -> int:
    """Where an active malignancy's span starts: at what says it is present in an exclusion ('Presence of ...'), else
    at `first`."""
    present = _PRESENT.search(before) if item.kind == "exclusion" and first == start else None
    return first if present is None else start - len(before) + present.start()


def _when_had(item: ItemText, m: re.Match[str], before: str, first: int, alone_listed: tuple[bool, bool],
              excepted: list[str]) -> tuple[dict[str, Any], int, int, str] | None:
    """The definition of the malignancy mentioned at `m` (its time: now, in a window or ever), where its span ends and
    starts, and its reading; None where the item says more than 'ever had a malignancy'. `alone_listed`: whether it is
    named alone as an exclusion's item, and whether as one of a list of diseases (or alone)."""
    alone, listed = alone_listed
    text, s = item.text, sentence_of(item.text, m.start())[0]
    when, end, reading = _when(text, m.start(), m.end(), excepted)
    its_history = _OR_ITS_HISTORY.match(text, m.end()) if "within" not in when["condition"] else None
    end = end if its_history is None else max(end, its_history.end())
    if (_active_only(item, m, before, bool(excepted)) and its_history is None) \
            or (listed and when == {"condition": {"code": "malignancy"}} and not _LIST_HISTORY.search(text, s, m.start())):
        reading = "an active malignancy" + (" (named alone in an exclusion: one the patient has)" if alone else
                                            "" if not listed else " (one of a list of diseases the item names)")
        return {"ref": "active_malignancy"}, m.end(), _presence_start(item, before, m.start(), first), reading
    if "within" not in when["condition"] and its_history is None and not re.search(
            r"histor|prior(?!\s+to\b)|previous|ever|lifetime", before, re.IGNORECASE) \
            and not (listed and _LIST_HISTORY.search(text, s, m.start())):
        # neither a window nor a history ('prior to the diagnosis of cancer' dates something else by it): the item
        # says more than 'ever had a malignancy'
        return None
    return when, end, first, reading


def recognise_malignancy(item: ItemText) -> list[Finding]:
    text = item.text
    m = _MENTION.search(text)
    if m is None:
        return []
    m, before, first = _read_mention(text, m)
    widened = m.start() != first  # a cancer of one site widened to any other ('... or other malignancies')
    not_in_general = _not_in_general(text, m, before)
    if not_in_general is not None:
        return [not_in_general]
    alone = _alone(item, m)
    listed = alone or _listed(item, m, before)
    if not (_GENERIC_BEFORE.search(before) or listed or m.start() != first) or _SITE_AFTER.match(text, m.end()):
        return []  # a cancer of one site ('lung cancer', 'cancer of the breast'): not malignancy in general
    s, e = sentence_of(text, m.start())
    excepted, rest, exception_end = _exceptions(text, s, e, m.end())
    if rest is not None:
        return [blocked("malignancy", f"a malignancy with exceptions not recognised: '{rest}'", text, m.start(),
                        exception_end)]
    timed = _when_had(item, m, before, first, (alone, listed), excepted)
    if timed is None:
        return []
    when, end, first, reading = timed
    if widened and when != {"ref": "active_malignancy"}:
        # 'History of colorectal cancer or other malignant tumors': in a trial of that site's cancer the participants'
        # own is a malignancy too, and the history meant a previous one (only the present one, 'Active skin cancer or
        # other malignant disease', cannot be the trial's own)
        return [blocked("malignancy", "one site's cancer or any other, not only now: in a trial of that site's cancer "
                        "a previous one is meant, which the item does not tell", text, first, m.end())]
    when, confidence = with_polarity(item.kind, negated_as_meant(item.kind, text, m.start()), when, 0.6)
    return [Finding("malignancy", when, text[first:max(end, exception_end)].strip(), confidence, reading, first,
                    max(end, exception_end), ["cervical_carcinoma_in_situ"] if "cervical_carcinoma_in_situ" in excepted
                    else [], accounts_for=frozenset({"exception"}))]


_TRANSPLANT = re.compile(r"\b(?:(?:bone\s+marrow\s+(?:or|and|and/or|/)\s+)?(?:solid[\s-]+)?organ[\s-]+(?:transplant"
                         r"(?:ation|s|ed)?|allo-?grafts?)(?:\s+recipients?)?|transplant(?:ation)?\s+recipients?"
                         # after a transplant, no organ named: 'status post transplantation', 's/p transplant'
                         r"|(?:status\s+post|s/p)\s+(?:an?\s+)?transplant(?:ation)?(?!\s+(?:of|for)\b))\b", re.IGNORECASE)
_NOT_RECEIVED = re.compile(r"\b(?:planned|plans?|candidates?|awaiting|waiting|listed|donors?|scheduled|eligible)\b",
                           re.IGNORECASE)
_ONE_ORGAN_BEFORE = re.compile(r"\b(?:kidney|renal|liver|hepatic|heart|cardiac|lung|pancrea\w*|islet|corneal?|"
                               r"intestin\w*|stem\s+cell|HSC|allogeneic|autologous|tissue|cells?)\W*(?:or|and|and/or)?\W*$", re.IGNORECASE)


# a transplant in one state, or an event of it ('Failed organ transplant', 'organ transplant rejection', 'transplant
# complications'): some recipients only
_GRAFT_STATE_BEFORE = re.compile(r"\b(?:failed|failing|rejected|rejecting|dysfunctional|complicated|lost)\s+(?:[\w-]+\s+)?$",
                                 re.IGNORECASE)
_GRAFT_STATE_AFTER = re.compile(r"[\s-]*(?:rejections?|failures?|complications?|dysfunction|loss|(?:related|associated)\b|"
                                r"(?:that|which)\s+(?:has\s+|have\s+)?(?:failed|was\s+rejected)|"
                                # a state of the recipient or the graft after a comma: '..., graft removed', '... no longer
                                # on immunosuppression'
                                r"\s*,?\s*(?:(?:with\s+(?:the\s+)?)?graft\s+(?:removed|explanted|lost|failed|failure)|"
                                r"(?:no\s+longer|not|off)\s+(?:on\s+|receiving\s+|taking\s+)?(?:any\s+)?immunosuppress\w*))",
                                re.IGNORECASE)


# what something else is for or after ('Immunosuppressive therapy within 6 months for organ transplant', 'Infection
# after solid organ transplantation'): the item is about that other thing
_CONTEXT_OF_IT = re.compile(r"\b(?:for|after|following|since|against)\s+(?:an?\s+|the\s+|their\s+|his\s+|her\s+|prior\s+|"
                            r"previous\s+)?$", re.IGNORECASE)


# a stem cell transplant of one donor type listed after it ('solid organ transplant or allogeneic stem cell
# transplant'): the item names the bone marrow transplants it means apart, which the value set's all are not
_ONE_DONOR_AFTER = re.compile(r"(?:\s*\([^()]{1,12}\))?\s*,?\s*(?:or|and|and/or|/)\s+(?:an?\s+)?(?:allogen(?:e)?ic|"
                              r"autologous|allo-?H?S?CT\b)", re.IGNORECASE)


def recognise_transplant(item: ItemText) -> list[Finding]:
    """A recipient of an organ transplant (or of a bone marrow or organ transplant)."""
    text = item.text
    m = _TRANSPLANT.search(text) if may_name(text, _TRANSPLANT_WORDS) else None
    if m is None or _ONE_ORGAN_BEFORE.search(text[:m.start()]) or _ONE_DONOR_AFTER.match(text, m.end()):
        return []
    s, e = sentence_of(text, m.start())
    if _NOT_RECEIVED.search(text[s:e]):
        return []
    context = _CONTEXT_OF_IT.search(text, max(s, m.start() - 20), m.start())
    if context is not None:
        return [blocked("organ_transplant", f"a transplant named as what something else is for or after "
                        f"('{text[context.start():m.end()]}'), which the item is about", text, context.start(), m.end())]
    graft = _GRAFT_STATE_BEFORE.search(text, max(s, m.start() - 30), m.start()) or _GRAFT_STATE_AFTER.match(text, m.end())
    if graft is not None:
        start, end = min(graft.start(), m.start()), max(graft.end(), m.end())
        return [blocked("organ_transplant", f"a transplant in one state or with an event of its own ('{text[start:end]}'), "
                        "not every recipient", text, start, end)]
    when, confidence = with_polarity(item.kind, negated_as_meant(item.kind, text, m.start()), {"condition": {"code": "organ_transplant"}},
                                     0.7)
    return [Finding("organ_transplant", when, m.group(0), confidence,
                    "a recipient of a bone marrow, kidney, liver, heart or lung transplant (the library's "
                    "organ_transplant: status, complication or procedure)", m.start(), m.end())]


_UNCONTROLLED_HT = re.compile(r"\b(?:uncontrolled|poorly[\s-]+controlled|inadequately[\s-]+controlled|not\s+"
                              r"(?:adequately\s+|well\s+)?controlled)\s+(?:arterial\s+|systemic\s+|essential\s+)?"
                              r"(?:hypertension|high\s+blood\s+pressure)\b"
                              # the control named after it: 'hypertension not controlled by medication', '... beyond drug control'
                              r"|\b(?:(?:arterial|systemic|essential)\s+)?(?:hypertension|high\s+blood\s+pressure)\s+"
                              r"(?:beyond\s+(?:the\s+)?|out\s+of\s+|not\s+(?:adequately\s+|well\s+)?controlled\s+(?:by|with)\s+"
                              r"(?:the\s+)?|uncontrolled\s+(?:by|with)\s+)(?:anti-?hypertensive\s+)?"
                              r"(?:drugs?|medications?|medicines?|medical|pharmacological|treatment|therapy)\b(?:\s+control\b)?",
                              re.IGNORECASE)
# a blood-pressure threshold in the sentence ('(>160/100 mmHg)', 'systolic 150 or more', 'blood pressure of
# 150/95'): it defines the hypertension; a window, a class or another number ('stroke within 6 months,
# uncontrolled hypertension') does not
_BP_THRESHOLD = re.compile(r"\d\s*mm\s*\[?hg|\b\d{2,3}\s*/\s*\d{2,3}|"
                           r"\b(?:systolic|diastolic|SBP|DBP|BP|blood\s+pressure)\b(?:[^.;]{0,30}?\d{2,3}|[^\d.;,]{0,30}\d)|"
                           r"(?:[<>≤≥]\s*=?|\b(?:above|over|greater\s+than|more\s+than|exceeding))\s*\d{2,3}\b", re.IGNORECASE)


# a relative's, named right after it ('Uncontrolled hypertension in a parent', 'Rheumatoid arthritis in the mother')
_IN_A_RELATIVE_AFTER = re.compile(r"\s+(?:in|of|among)\s+(?:(?:a|an|the|his|her|their|both|any|one|either)\s+)?"
                                  r"(?:(?:first|second|1st|2nd)[\s-]+degree\s+|biological\s+|close\s+)?"
                                  r"(?:parents?|mother|father|siblings?|brothers?|sisters?|relatives?|family\s+members?|"
                                  r"spouses?|partners?|husband|wife|child(?:ren)?|offspring|twin|household\s+(?:members?|"
                                  r"contacts?))\b", re.IGNORECASE)
_HISTORY_BEFORE = re.compile(r"\b(?:history\s+of|past|previous|prior)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
# or after it: 'Uncontrolled hypertension in the past' (not a window: 'in the past 6 months')
_HISTORY_AFTER = re.compile(r"\W*(?:in\s+the\s+past|previously|at\s+any\s+time|ever|"
                            # 'Uncontrolled hypertension, current or previous', '... (past or present)'
                            r"(?:current|present)\s+or\s+(?:previous|past|prior)|(?:previous|past|prior)\s+or\s+(?:current|present))\b"
                            r"(?!\s+(?:\d|few|several|one|two|three|four|five|six|twelve)\b)", re.IGNORECASE)


# a diagnosis of one kind, cause or course, or a condition it causes, named right after it ('Rheumatoid arthritis
# requiring biologic therapy', '... in remission', 'Systemic sclerosis-associated pulmonary hypertension', 'Scleroderma
# renal crisis', 'Uncontrolled hypertension secondary to renal disease', '... despite two or more drugs', '... at the
# time of transplant') or before it ('Juvenile rheumatoid arthritis', 'Seropositive ...', 'Pregnancy-induced ...'):
# where the draft would turn patients away, the diagnosis alone turns away more than the item
_KIND_AFTER_DIAGNOSIS = re.compile(r"[\s-]+(?:associated|related|induced|mediated|requiring|needing|treated\s+(?:with|by)|"
                                   r"on\s+(?:\d|two|three|multiple|biologic)|despite\s+(?!(?:anti-?hypertensive\s+)?(?:medications?|"
                                   r"treatment|therapy|drugs?)\b)|refractory|resistant|in\s+(?:clinical\s+)?remission|remitting|"
                                   r"secondary\s+to|due\s+to|caused\s+by|(?:renal\s+)?crisis|flares?|at\s+the\s+time\s+of|"
                                   r"(?:in|during)\s+pregnancy)\b", re.IGNORECASE)
_KIND_BEFORE_DIAGNOSIS = re.compile(r"\b(?:juvenile|seropositive|seronegative|[\w]+-(?:induced|associated|related))\s+$",
                                    re.IGNORECASE)
# a diagnosis not established: 'Suspected rheumatoid arthritis'
_NOT_ESTABLISHED = re.compile(r"\b(?:suspected|possible|probable|presumed|suspicion\s+of)\s+$", re.IGNORECASE)


def _of_one_kind(item: ItemText, m: re.Match[str], code: str) -> Finding | None:
    """A diagnosis not established, or (where the draft would turn patients away) one of a kind, cause or course
    named with it, or a condition it causes, for review; else None."""
    text = item.text
    doubt = _NOT_ESTABLISHED.search(text, max(0, m.start() - 20), m.start())
    if doubt is not None:
        return blocked(code, f"a diagnosis not established ('{doubt.group(0).strip()}')", text, doubt.start(), m.end())
    if (item.kind == "exclusion") == negated_as_meant(item.kind, text, m.start()):
        return None  # the draft lets patients in: the diagnosis is needed for the kind too
    kind = _KIND_BEFORE_DIAGNOSIS.search(text, max(0, m.start() - 30), m.start()) or _KIND_AFTER_DIAGNOSIS.match(text, m.end())
    if kind is None:
        return None
    start, end = min(kind.start(), m.start()), max(kind.end(), m.end())
    return blocked(code, f"{code.replace('_', ' ')} of one kind, cause or course, or a condition it causes "
                   f"('{text[start:end].strip()} ...'): the diagnosis alone would turn away more patients", text, start, end)


def recognise_hypertension(item: ItemText) -> list[Finding]:
    """Uncontrolled hypertension, as an active diagnosis with the library's value set."""
    text = item.text
    m = _UNCONTROLLED_HT.search(text) if may_name(text, _HYPERTENSION_WORDS) else None
    if m is None:
        return []
    s, e = sentence_of(text, m.start())
    if _BP_THRESHOLD.search(text[s:e]):
        return []  # defined by a threshold: the blood-pressure recogniser reads it
    opening = text.rfind("(", 0, m.start())
    if opening > text.rfind(")", 0, m.start()) and not (item.kind == "exclusion" and _CONTRAINDICATION_TO.search(
            text, max(0, opening - 60), opening)):
        # inside a parenthesis: an example of what comes before it ('cardiovascular disease (...)'); not one of the
        # contraindications to a treatment it lists, each of which excludes ('Contraindications to X (e.g., ...)')
        return []
    if _IN_A_RELATIVE_AFTER.match(text, m.end()):
        return [blocked("uncontrolled_hypertension", "a relative's, not the participant's", text, m.start(), m.end())]
    # 'History of uncontrolled hypertension': ever, not only now
    one_kind = _of_one_kind(item, m, "uncontrolled_hypertension")
    if one_kind is not None:
        return [one_kind]
    ever = _HISTORY_BEFORE.search(text[s:m.start()]) is not None or _HISTORY_AFTER.match(text, m.end()) is not None
    condition = {"code": "uncontrolled_hypertension", **({} if ever else {"active": True})}
    when, confidence = with_polarity(item.kind, negated_as_meant(item.kind, text, m.start()), {"condition": condition}, 0.6)
    return [Finding("uncontrolled_hypertension", when, m.group(0), confidence,
                    f"{'a past or present' if ever else 'an active'} diagnosis of uncontrolled (resistant or malignant) "
                    "hypertension or a hypertensive "
                    "crisis (the library's uncontrolled_hypertension); blood-pressure readings are not checked",
                    m.start(), m.end())]


# (value set, its names, what makes a mention of it something else): the library's names and not_names
_DIAGNOSES = [
    ("systemic_sclerosis", re.compile(r"\bsystemic\s+sclerosis\b|\bscleroderma\b|\bSSc\b|\bCREST\s+syndrome\b",
                                      re.IGNORECASE),
     re.compile(r"\b(?:locali[sz]ed|morphoea|morphea|linear|circumscribed)\s+$", re.IGNORECASE)),
    ("rheumatoid_arthritis", re.compile(r"\brheumatoid\s+arthritis\b", re.IGNORECASE), None),
    ("ankylosing_spondylitis", re.compile(r"\bankylosing\s+spondyl(?:itis|arthritis)\b|\bBe(?:ch|kh)terew?\b",
                                          re.IGNORECASE), None),
]
# what every match of each diagnosis' names contains, in lower case (a first look: `may_name`)
_DIAGNOSIS_WORDS = {"systemic_sclerosis": ("sclero", "ssc", "crest"), "rheumatoid_arthritis": ("rheumatoid",),
                    "ankylosing_spondylitis": ("ankylosing", "bechter", "bekhter")}
# ... of the uncontrolled hypertension's and of the organ transplant's
_HYPERTENSION_WORDS = ("hypertension", "high blood pressure")
# a parenthesis listing the contraindications to a treatment or test: 'Contraindications to cabergoline (e.g., ...)'
# (not one denied: 'No contraindications to surgery (e.g., ...)')
_CONTRAINDICATION_TO = re.compile(r"(?<!\bno\s)(?<!\bnot\s)(?<!\bwithout\s)(?<!\bno\sknown\s)"
                                  r"\bcontra-?indications?\s+(?:to|for|against)\s+[\w\s/-]{1,40}$", re.IGNORECASE)
_TRANSPLANT_WORDS = ("transplant", "allo")
_FAMILY = re.compile(r"\bfamily\s+(?:medical\s+)?history\b", re.IGNORECASE)


def _in_parenthesis_of_examples(text: str, start: int) -> bool:
    opening = text.rfind("(", 0, start)
    return opening != -1 and ")" not in text[opening:start] and \
        re.match(r"\(\s*(?:e\.\s?g\.?|eg\b|such\s+as|for\s+example|including|i\.e\.?)", text[opening:]) is not None


# a diagnosis only suspected, or of childhood ('Suspected rheumatoid arthritis', 'Juvenile rheumatoid arthritis': the
# juvenile arthritides are coded apart), named before it
_UNSURE_OR_JUVENILE_BEFORE = re.compile(r"\b(?:suspected|possible|probable|presumed|suspicion\s+of|juvenile)\s+$",
                                        re.IGNORECASE)
# another disease named by it ('Rheumatoid arthritis-associated interstitial lung disease', 'Systemic sclerosis-like
# disease', '... overlap syndrome'), one dated at an age ('diagnosed before age 16'), or one ruled out in the item
# ('rheumatoid arthritis excluded')
_ANOTHER_AFTER = re.compile(r"[\s-]*(?:associated|related|induced|like|overlap|mimicking)\b|"
                            r"\s+(?:was\s+|were\s+)?(?:diagnosed|onset|starting|beginning)\s+(?:before|at|under|below|after|prior\s+to)\s+"
                            r"(?:the\s+)?age\b|"
                            r"\s*(?:is\s+|are\s+|must\s+be\s+|should\s+be\s+|has\s+been\s+|being\s+)?(?:excluded|ruled\s+out)\b",
                            re.IGNORECASE)


def _not_the_diagnosis(text: str, m: re.Match[str], other: re.Pattern[str] | None) -> str | None:
    """Why the mention is not a diagnosis at any time of the patient's, or None."""
    s, e = sentence_of(text, m.start())
    if other is not None and other.search(text, max(0, m.start() - 20), m.start()):
        return "a localised form, which the value set leaves out"
    unsure = _UNSURE_OR_JUVENILE_BEFORE.search(text, max(0, m.start() - 20), m.start())
    if unsure is not None:
        return f"'{unsure.group(0).strip()}': a suspected diagnosis, or a juvenile form, which the value set does not hold"
    if _ANOTHER_AFTER.match(text, m.end()):
        return "another disease named by it, a diagnosis dated at an age, or one the item rules out"
    if _FAMILY.search(text, s, m.start()) or _IN_A_RELATIVE_AFTER.match(text, m.end()):
        return "a family history, not the patient's"
    if _in_parenthesis_of_examples(text, m.start()):
        return "an example of what comes before the parenthesis"
    if any(s <= w.start < e for w in windows(text)):
        return "a time window is stated, which a diagnosis at any time does not read"
    return None


def recognise_rheumatic(item: ItemText) -> list[Finding]:
    """A chronic rheumatic disease the library has a value set for, as a diagnosis at any time."""
    text, out = item.text, []
    for code, names, other in _DIAGNOSES:
        m = names.search(text) if may_name(text, _DIAGNOSIS_WORDS[code]) else None
        if m is None:
            continue
        why = _not_the_diagnosis(text, m, other)
        if why:
            out.append(blocked(code, f"{code.replace('_', ' ')}: {why}", text, m.start(), m.end()))
            continue
        one_kind = _of_one_kind(item, m, code)
        if one_kind is not None:
            out.append(one_kind)
            continue
        when, confidence = with_polarity(item.kind, negated_as_meant(item.kind, text, m.start()), {"condition": {"code": code}}, 0.6)
        out.append(Finding(code, when, m.group(0), confidence, f"{code.replace('_', ' ')}: a diagnosis at any time "
                           f"(the library's {code})", m.start(), m.end()))
    return out
