"""HIV, hepatitis B and hepatitis C, drafted with the library concepts `hiv_positive`,
`hepatitis_b_positive`, `hepatitis_c_positive`; active tuberculosis with `active_tuberculosis`
('Active TB' excludes, 'No active tuberculosis' in an inclusion; latent tuberculosis is not it; 'Active
pulmonary TB' is drafted at 0.6: the concept counts any site); a
history of active tuberculosis ('Previous history of active TB') with the library's `tuberculosis`
value set at any time; active tuberculosis within a time window, with or without a history word
('active TB in the last year': not necessarily active now), with that value set `within:` the window
(a record of the disease overlapping it); 'active or latent TB' drafts the active part and leaves
the latent infection, which the value set does not count, for review.

The polarity is read next to the mentions, never from the whole item: 'Negative HIV 1/2 antibody,
HBsAg and HCV antibody' and 'HIV-negative' ask for negative tests, 'No known HIV infection' is
negated, 'HIV-positive adults ... with a negative pregnancy test' is about HIV-positive patients
(the negative test is the pregnancy test's). So:

* an exclusion of the infection ('Known HIV infection', 'Positive for HBsAg') -> the concepts;
* an inclusion that asks for negative tests or no infection -> `not:` the concepts;
* an inclusion of infected patients ('Documented HIV-1 infection', 'HIV-positive adults') -> the
  concepts; a mention that states no state ('HIV testing will be done') drafts nothing;
* a mention of a drug or test rather than the infection ('anti HIV drugs', 'HIV vaccine') is no
  mention of the infection;
* an infection defined by a nucleic-acid test and no serology ('hepatitis C (RNA detected)',
  'detectable HCV RNA', 'viral load') is left for review: the concepts also count a positive
  antibody or antigen alone (the item's other viruses are still drafted), and so is one that needs both
  ('antibody positive with detectable HCV RNA'); a dated diagnosis
  ('newly diagnosed with HIV', 'diagnosed within the last 3 months') is left for review too;
* a condition the infection causes or goes with ('HIV-related lymphoma', 'Hepatitis C-related
  cirrhosis', 'HIV encephalopathy', 'Hepatitis B reactivation') or an infection got one way ('...
  acquired through a blood transfusion') is left for review: it is not the infection itself;
* an exclusion of infected patients of a kind ('HIV-positive patients on antiretroviral therapy',
  'infected with HIV and receiving ...', 'hepatitis C in need of treatment', 'Uncontrolled HIV
  infection') is left for review: the infection alone would exclude more patients than the item.
"""

from __future__ import annotations

import re
from typing import Any

from screening.ctgov.first_letters import with_first_look
from screening.ctgov.recognisers.base import (
    Finding,
    ItemText,
    blocked,
    care_contact_between,
    may_name,
    negated,
    sentence_of,
)
from screening.ctgov.recognisers.conditions import listed_now
from screening.ctgov.windows import Window, windows

_VIRUSES: list[tuple[str, re.Pattern[str]]] = [
    ("hiv_positive", re.compile(r"\bHIV(?:[- ]?1(?:\s*(?:/|\+|and/or|and|or)\s*2)?)?\b|human\s+immunodeficiency\s+virus"
                                r"(?:\s*(?:type\s+)?1(?:\s*\+\s*2)?)?(?:\s*\(HIV\))?"
                                # AIDS, the syndrome of the infection (in capitals: 'hearing aids' is none); not an
                                # illness it defines or goes with ('AIDS-defining illness', 'AIDS-related lymphoma')
                                r"|acquired\s+immun[eo]?\s*-?\s*deficiency\s+syndrome(?:\s*\(AIDS\))?|(?-i:\bAIDS\b)"
                                r"(?![\s-]*(?:defin|relat|associat|indicat))", re.IGNORECASE)),
    ("hepatitis_b_positive", re.compile(r"hepatitis\s+B(?:sAg)?\b(?:\s+(?:virus|surface\s+antigen))?(?:\s*\((?:HBV|HBsAg)\))?"
                                        r"|\bHBV\b|\bHBsAg\b", re.IGNORECASE)),
    ("hepatitis_c_positive", re.compile(r"hepatitis\s+C\b(?:\s+virus)?(?:\s*\(HCV\))?|\bHCV\b(?:\s*Ab\b)?|\bHCVAb\b"
                                        r"|(?<=hepatitis B)[^.;]{0,60}?\b(?:and|or|and/or)\s+C\b"
                                        # written together: 'hepatitis B/C', 'hepatitis B, C'
                                        r"|(?<=hepatitis B)\s*(?:/|,)\s*C\b", re.IGNORECASE)),
    # 'viral hepatitis' naming no virus: B and C, drafted below confidence (`_UNNAMED_HEPATITIS`)
    ("hepatitis_b_positive", re.compile(r"\bviral\s+hepatitis\b(?!\s+[A-E]\b)", re.IGNORECASE)),
    ("hepatitis_c_positive", re.compile(r"\bviral\s+hepatitis\b(?!\s+[A-E]\b)", re.IGNORECASE)),
]
_UNNAMED_HEPATITIS = re.compile(r"viral\s+hepatitis", re.IGNORECASE)
# what every mention of the three viruses contains, in lower case (a first look)
_VIRUS_WORDS = ("hiv", "human", "acquired", "aids", "hepatitis", "hbv", "hbsag", "hcv")
# a drug, vaccine or test for the virus, not the infection ('anti-HIV drugs'; 'anti-HCV' alone is the antibody,
# a positive test of which the concepts count)
# or the population a drug was studied in, given to or made for ('have been studied in HIV positive women',
# 'has been given to HIV-positive women', 'was developed for people with hepatitis B')
_NOT_INFECTION_BEFORE = re.compile(r"\b(?:(?:studied|used|tested|evaluated|approved|reported)\s+(?:in|among)|"
                                   r"(?:given|administered|prescribed)\s+to|(?:developed|designed|made)\s+for)\s+"
                                   r"(?:(?:people|persons|patients|women|men|adults|children)\s+(?:with|living\s+with)\s+)?$|"
                                   # a donor's, named before it as its subject: 'the donor is hepatitis C positive', 'a kidney
                                   # from a donor with hepatitis C', 'Donor's HBsAg is positive'
                                   r"\bdonors?(?:'s|\u2019s)?\s+(?:(?:who\s+)?(?:is|was|are|were|has|had|have|with)\s+)?"
                                   r"(?:(?:known|confirmed|found)\s+(?:to\s+(?:be|have)\s+)?)?(?:an?\s+|the\s+)?$|"
                                   # a vaccination: 'Immunised against hepatitis B' (a test: `_untested`)
                                   r"\b(?:vaccinated|vaccination|immuni[sz]ed|immuni[sz]ation)\s+(?:against|for)\s+"
                                   r"(?:the\s+)?$|"
                                   # an infection not established, or a word about one: 'Suspected HIV infection',
                                   # 'Presumed hepatitis B', 'Fear of HIV' ('possible' is not among them: 'Evidence
                                   # of possible HIV infection' excludes the infection)
                                   r"\b(?:suspected|suspicion\s+of|probable|presumed|presumptive)\s+"
                                   r"(?:(?:acute|chronic|active)\s+)?$|"
                                   r"\b(?:fear|anxiety|worry|concerns?|knowledge|awareness)\s+(?:of|about)\s+(?:the\s+)?$|"
                                   # what the infection led to or came before: 'Cirrhosis from hepatitis C', 'Opportunistic
                                   # infection after HIV diagnosis' (not 'Free from HIV', 'recovered from ...', 'results from',
                                   # 'suffering from', which is having it)
                                   r"(?<!\bfree\s)(?<!\brecovered\s)(?<!\brecovery\s)(?<!\bresults\s)(?<!\bresult\s)"
                                   r"(?<!\bsuffer\s)(?<!\bsuffers\s)(?<!\bsuffering\s)(?<!\bsuffered\s)"
                                   r"(?<!\bsamples\s)(?<!\bsample\s)\b(?:from|after|following)\s+"
                                   r"(?:(?:the|an?|their|chronic|active|acute)\s+)?$",
                                   re.IGNORECASE)
_NOT_INFECTION_AFTER = re.compile(r"^[\s-]*(?:(?:and|or|and/or|/|,)\s*[A-E]\s+)?"  # ('Hepatitis B and C testing')
                                  r"(?:drugs?|medications?|medicines?|agents?|therap|treatment|vaccin|protease|"
                                  r"inhibitor|antivirals?|stigma|awareness|knowledge|education|prevention|"
                                  r"(?:(?:pre|post)[\s-]*exposure\s+)?prophylaxis|PrEP\b|regimen|testing\s+(?:is|will|must)|"
                                  r"test\s+(?:is|will|must)|"
                                  # a test not done: 'HIV test not done', 'HIV testing not performed'
                                  r"test(?:s|ing)?\s+(?:was\s+|were\s+|is\s+)?(?:not\s+(?:done|performed|available|"
                                  r"carried\s+out)|pending)|"
                                  # a test not required, optional or to be done: 'HIV testing not required', 'HIV serology
                                  # will be done at screening', 'HCV antibody testing is optional', 'HBsAg screening to be
                                  # repeated' (no result of it)
                                  r"(?:(?:antibody|antigen|Ab|Ag)\s+)?(?:tests?|testing|serolog(?:y|ies)|screening|assays?)\s+"
                                  r"(?:is\s+|are\s+)?(?:not\s+(?:required|needed|necessary|mandatory)|optional|(?:will|shall|"
                                  r"must|may|to)\s+be\s+(?:done|performed|carried\s+out|conducted|offered|obtained|"
                                  r"repeated|collected))\b|immuni[sz]|"
                                  # immunity, not the infection: 'hepatitis B surface antibody' (vaccine or
                                  # recovery), 'hepatitis B immune globulin', 'hepatitis B immunity'
                                  r"surface\s+antibod|immun(?:e\s+globulin|oglobulin|ity))",
                                  re.IGNORECASE)
# the infection named too: 'HBV immunization or infection', 'HIV treatment and infection'
_AND_INFECTION = re.compile(r"^[\s-]*[\w-]+\s+(?:or|and|and/or)\s+(?:(?:past|prior|previous|chronic|active)\s+)?infections?\b",
                            re.IGNORECASE)
# the infection of other people named right after it: 'HIV-positive donors', 'HCV-infected mothers',
# 'hepatitis B positive organ donor' (a relative named before it is its subject: 'Partner with HIV')
_OTHER_PEOPLE_AFTER = re.compile(r"^[\s-]*(?:(?:sero)?(?:positive|reactive|negative)|non-?reactive|infected|uninfected|"
                                 r"carriers?)?[\s-]*"
                                 # ('HIV infection of the sexual partner', 'hepatitis B virus infection in a partner')
                                 r"(?:(?:virus\s+)?infection\s+(?:of|in)\s+(?:the|a|an|their|his|her)\s+(?:sexual\s+)?)?"
                                 r"(?:(?:organ|blood|tissue|graft|egg|sperm|kidney|liver)\s+)?"
                                 r"(?:donors?|mothers?|fathers?|parents?|partners?|spouses?|husbands?|wives|"
                                 # a pregnant or nursing population: 'HIV-infected pregnant women' (both together)
                                 r"(?:pregnant|breast-?feeding|lactating|nursing)\s+(?:women|woman|mothers?|participants?|"
                                 r"patients?|subjects?|adolescents?|girls?))\b", re.IGNORECASE)
# a status not known: 'HIV status unknown', 'Unknown hepatitis B serostatus' (no infection known)
_UNKNOWN_STATUS = re.compile(r"\b(?:unknown|not\s+known|undetermined|undocumented)\b(?=[^.;]*\b(?:sero)?status\b)|"
                             r"\b(?:sero)?status\s+(?:is\s+|was\s+|remains\s+)?(?:unknown|not\s+known|undetermined|"
                             r"undocumented)\b", re.IGNORECASE)
# an infection gone, or an exposure: 'Cleared hepatitis C infection', 'Resolved hepatitis B', 'HCV eradicated
# after ...', 'HIV-exposed infants' (an antibody stays: the concepts would count them as infected)
_CLEARED = re.compile(r"\b(?:cleared|(?:viral|virus|spontaneous)\s+clearance|resolved|cured|eradicated|sustained\s+vir(?:ologic(?:al)?|al)\s+response|"
                      r"SVR\d*)\b|(?:\b|(?<=-))exposed\b", re.IGNORECASE)
# a refusal of testing, not a result: 'Declines HIV screening', 'Refusal to be tested for hepatitis C'
# ('HIV testing refused': the refusal may follow the test)
_TEST_REFUSED = re.compile(r"\b(?:refus\w*|declin\w*|unwilling(?:ness)?|not\s+willing)\b(?=.*\b(?:test|screen)\w*)|"
                           r"\b(?:test|screen)\w*\b(?=.*\b(?:refus\w*|declin\w*)\b)", re.IGNORECASE | re.DOTALL)
_NEGATIVE_BEFORE = re.compile(r"\b(?:(?:sero)?negative|non-?reactive)\s+(?:(?:for|at|test(?:s|ing)?|results?|screen(?:ing)?|"
                              r"serolog\w*|antibod\w*|to|blood|serum|the)(?:\s*:)?\s+)*(?:anti-?\s*)?$", re.IGNORECASE)
# ('HIV negative', 'HIV-negative', '... HIV by serology: all negative')
# (past the name's gloss in brackets, or the bracket a gloss that names the virus closes: 'HIV (human immunodeficiency
# virus)-negative')
_NEGATIVE_AFTER = re.compile(r"^(?:\)|\s*\([^()]{0,60}\))?[\s-]*(?:\w+(?:[\s-]+|:\s*)){0,3}?(?:sero)?negative\b(?!\s+(?:\w+\s+)?(?:pregnancy|urine|serum\s+preg))",
                             re.IGNORECASE)
# hepatitis B's core antibody or antigen ('Hepatitis B core antibody positive', 'anti-HBc', 'HBcAb'): a past,
# resolved or occult infection, which the concept (an active diagnosis or a positive HBsAg) does not count
_CORE = re.compile(r"hepatitis\s+B\s+(?:virus\s+)?core\b|\bHBc(?:Ab|AB|Ag)?\b|\banti-?\s*HBc\b|\bcore\s+antibod",
                   re.IGNORECASE)
# a hepatitis of the past or without its marker ('Past hepatitis B infection', 'Occult HBV infection': B and C can
# clear, an occult B is HBsAg-negative; HIV does not clear, so 'Past HIV infection' is still HIV-positive)
_PAST_WORDS = r"past|previous|prior|former|old|occult|latent|remote|(?:previously\s+)?treated"
_PAST_HEPATITIS = re.compile(rf"\b(?P<what>{_PAST_WORDS})\s+(?:(?:and|or|and/or|known|chronic|acute)\s+)*$", re.IGNORECASE)
# the same said after the mention, in its clause: 'Hepatitis B infection in the past', 'Hepatitis C, previously treated'
_PAST_HEPATITIS_AFTER = re.compile(r"(?:\s*(?:virus|infection|\([A-Za-z]+\)))*\s*,?\s*(?:(?:was|were|is|that\s+was|which\s+was)\s+)?"
                                   r"\(?\s*(?P<what>in\s+the\s+past\b(?!\s+\d)|previously|formerly|in\s+remission|"
                                   r"past\s+(?:infection|exposure)|"
                                   r"(?:previously\s+|successfully\s+)?treated)\b", re.IGNORECASE)
_EXCEPTION = re.compile(r"\b(?:except(?:ion)?|excluding|other\s+than|apart\s+from)\b", re.IGNORECASE)
_INFECTION_BEFORE = re.compile(r"\b(?:infections?|diseases?)\W*$", re.IGNORECASE)
# what a sentence about these infections names (an exception in another sentence counts if it names one: 'Patients
# on stable antiretroviral therapy with undetectable viral load are eligible' is about the HIV before it; 'inactive
# carriers can be enrolled', 'those with SVR may participate' about the hepatitis)
_TOPIC = r"\bHIV\b|hepatitis|\bHBV\b|\bHCV\b|HBsAg|antiretroviral|\b(?:H?AART|ART|ARVs?)\b|\bCD4\b|viral\s+loads?|" \
         r"\bcarriers?\b|\bantivirals?\b|\bSVR\d*\b|sustained\s+vir"
# the infection defined by a nucleic-acid test ('hepatitis C (RNA detected)', 'detectable HCV RNA', 'viral
# load'): the concepts count a positive antibody or antigen, which alone would exclude more patients
_NUCLEIC = re.compile(r"\b(?:RNA|DNA|ribonucleic|deoxyribonucleic|viral\s+loads?|PCR|vir(?:a)?emi(?:a|c))\b", re.IGNORECASE)
# the words of a serology, an antibody or an antigen test ('anti-HCV', 'HCVAb', 'HBsAg', 'serologically')
_SEROLOGY_WORDS = r"antibod\w*|\bAbs?\b|\banti-?\s*HCV\b|HCVAb|HBsAg|surface\s+antigen|serolog\w*"
# a serology and a nucleic-acid test both required ('antibody positive with detectable HCV RNA', 'antibody
# confirmed by a positive RNA test'): the concepts, a serology alone, would exclude more patients
_BOTH_TESTS = re.compile(rf"(?:{_SEROLOGY_WORDS})[^.;]{{0,20}}?\b(?:with|and|plus|"
                         r"confirmed\s+by|followed\s+by)\s+(?:an?\s+)?(?:positive\s+|detectable\s+|detected\s+)?"
                         r"(?:[\w-]+\s+){0,2}?(?:RNA|DNA|viral\s+loads?|PCR)\b", re.IGNORECASE)
_SEROLOGY = re.compile(_SEROLOGY_WORDS, re.IGNORECASE)
# a positive serology settled by a nucleic-acid test, anywhere in the item ('If hepatitis C antibody test is
# positive, ... be HCV RNA negative', 'Participants with a positive HCV antibody must have undetectable HCV RNA'):
# the concepts, a serology alone, would judge those patients otherwise than the item
_SEROLOGY_SETTLED = re.compile(
    rf"(?:(?:{_SEROLOGY_WORDS})[^.;]{{0,40}}?\b(?:is\s+|are\s+)?"
    rf"(?:positive|reactive|detected)\b|\b(?:positive|reactive)\s+(?:\w+\s+){{0,2}}?(?:{_SEROLOGY_WORDS}))"
    r"[^.]{0,120}?\b(?:RNA|DNA|PCR|viral\s+loads?|nucleic)\b", re.IGNORECASE)
# what makes the nucleic-acid test settle the serology: a condition before it, a requirement after it
_IF = re.compile(r"\b(?:if|when|whenever|where)\b", re.IGNORECASE)
_SETTLES = re.compile(r"\b(?:must|should|needs?|required?|then|confirm\w*)\b", re.IGNORECASE)
# a diagnosis dated ('newly diagnosed', 'diagnosed within the last 3 months'): when it was made is not read
_RECENT = re.compile(r"\b(?:newly|recently|new)\s+(?:\w+\s+)?diagnos\w*|\bdiagnos\w*\s+(?:\w+\s+){0,3}?recently\b",
                     re.IGNORECASE)
_POSITIVE = re.compile(r"\b(?:sero)?positive\b|\binfect(?:ed|ion)\b|\bliving\s+with\b|\bdiagnos", re.IGNORECASE)


# a test named before the viruses ('Tested for HIV within 4 weeks', 'Screening for HIV, HBsAg and HCV'): with no
# result said, a test done, not an infection (not 'Tested positive for HIV'); with a result said before it in its
# clause ('Positive results at screening for HIV, ...') or right after the list ('... must be negative'), a result
_TESTED_FOR = re.compile(r"\b(?:tested|testing|screened|screening)\s+(?:against|for)\s+(?:the\s+)?", re.IGNORECASE)
_RESULT_BEFORE = re.compile(r"\b(?:sero)?(?:positive|negative|reactive|non-?reactive)\b[\w\s]{0,30}$", re.IGNORECASE)
_RESULT_AFTER = re.compile(r"[\s):]*(?:[\w-]+[\s:]+){0,3}?(?:sero)?(?:positive|negative|reactive|non-?reactive)\b",
                           re.IGNORECASE)


# what may stand between two viruses of one list: separators, and the words of the tests' names
_LIST_GLUE = re.compile(r"(?:[\s,/()-]|\b(?:and|or|and/or|antibod(?:y|ies)|antigens?|surface|virus|viral|types?|tests?|"
                        r"testing|serology|infection|Ab|Ag|[12])\b)*", re.IGNORECASE)


def _listed_after(text: str, at: int, mentions: list[re.Match[str]]) -> list[re.Match[str]]:
    """The mentions that follow `at` as one list ('HIV, HBsAg or HCV'), up to the first not joined to it."""
    out: list[re.Match[str]] = []
    for m in sorted(mentions, key=lambda m: m.start()):
        if m.start() < at:
            continue
        glue = text[out[-1].end() if out else at:m.start()]
        if _LIST_GLUE.fullmatch(glue) is None and not (out and m.start() < out[-1].end()):
            break
        out.append(m)
    return out


def _untested(text: str, found: list[tuple[str, re.Match[str]]]) -> list[tuple[str, re.Match[str]]]:
    """`found` without the mentions that only name what a test was for: the list of viruses right
    after 'tested for' / 'screening for', when no result is said of the test before it in its clause or
    right after the list."""
    for t in _TESTED_FOR.finditer(text):
        s, _ = sentence_of(text, t.start())
        named = _listed_after(text, t.end(), [m for _, m in found])
        if not named or _RESULT_BEFORE.search(text, s, t.start()) \
                or _RESULT_AFTER.match(text, max(m.end() for m in named)):
            continue
        found = [(c, m) for c, m in found if m not in named]
    return found


def _mentions(text: str) -> list[tuple[str, re.Match[str]]]:
    """Each virus's mentions of the infection in the sentence of the first one, text order, and in
    the clauses that follow it after a semicolon ('Known HIV infection; known hepatitis C ...').
    A mention only in a later sentence ('Not pregnant. The effects ... have been studied in HIV
    positive women') explains the criterion and is none."""
    if not may_name(text, _VIRUS_WORDS):
        return []
    found = []
    for concept, rx in _VIRUSES:
        for m in rx.finditer(text):
            if _NOT_INFECTION_BEFORE.search(text[:m.start()]) or _OTHER_PEOPLE_AFTER.match(text[m.end():]) \
                    or (_NOT_INFECTION_AFTER.match(text[m.end():]) and not _AND_INFECTION.match(text[m.end():])):
                continue
            found.append((concept, m))
    found = _untested(text, found)
    if not found:
        return []
    first = min(m.start() for _, m in found)
    s, e = sentence_of(text, first)
    if s > 0 and not _CLAUSE_AFTER.search(text[:s]):
        return []
    while e < len(text) and text[:e].rstrip().endswith(";") and any(sentence_of(text, m.start())[0] == e
                                                                     for _, m in found):
        e = sentence_of(text, e)[1]
    found = [(c, m) for c, m in found if s <= m.start() < e]
    return sorted(found, key=lambda cm: cm[1].start())


# infected patients of one kind: 'HIV-positive patients on combination antiretroviral therapy are
# ineligible', 'HIV infection requiring treatment', 'HBV carriers receiving antivirals', 'hepatitis C
# virus infection that requires treatment'
# (also after a parenthesis, 'HBV carriers (HBsAg positive) requiring antivirals'; or not controlled: 'HIV
# infection not controlled on therapy', 'HIV that is poorly controlled', 'with a detectable viral load')
_SUBGROUP = re.compile(r"^[\s-]*(?:(?:sero)?positive|infected|infection|carriers?)?(?:\s*\([^()]{0,60}\))?\s*"
                       r"(?:patients|subjects|participants|"
                       r"individuals|persons|people|women|men)?\s*(?:(?:who|that|which)\s+(?:are|is)\s+|and\s+|,\s*)?"
                       r"(?:currently\s+)?(?P<what>(?:on|receiving|taking|treated\s+with|requiring|needing|in\s+need\s+of|"
                       r"under)\s+\w+|(?:who|that|which)\s+(?:requires?|needs?|takes?|receives?)\s+\w+|"
                       r"(?:not\s+(?:well\s+|adequately\s+|fully\s+)?|poorly\s+|un)controlled\b|"
                       r"with\s+(?:an?\s+)?detectable\s+\w+|"
                       # or so controlled: 'HIV infection, controlled', '... well controlled on therapy'
                       r"(?:well\s+|adequately\s+|fully\s+)?controlled\b|"
                       # got at birth: 'HIV infection acquired perinatally'
                       r"(?:acquired|transmitted)\s+(?:perinatally|vertically|at\s+birth|in\s+utero|from\s+(?:the|their|his|"
                       r"her)\s+mothers?))", re.IGNORECASE)
# a condition the infection causes or goes with, named right after it ('HIV-related lymphoma', 'Hepatitis C-related
# cirrhosis', 'HIV encephalopathy', 'Hepatitis B reactivation'), or an infection got one way ('HIV infection acquired
# through a blood transfusion'): some of the infected only
_CONDITION_OF_IT = re.compile(r"(?:[\s-]*(?:virus|infection))?(?:[\s-]+(?:related|associated|induced|mediated|driven|linked|"
                              r"attributed|due)\b|\s+(?:encephalopathy|nephropathy|neuropathy|myelopathy|dementia|wasting|"
                              r"cardiomyopathy|lipodystrophy|cirrhosis|fibrosis|lymphomas?|carcinomas?|cancers?|HCC|"
                              r"reactivations?|flares?|glomerulonephritis|vasculitis|cryoglobulin\w*|complications?)\b|"
                              r"\s+(?:acquired|transmitted)\s+(?:through|via|by|from|during)\b)", re.IGNORECASE)
# an infection of a kind named before it: 'Uncontrolled HIV infection', 'Untreated hepatitis C', 'Acute hepatitis B'
# (the concept counts the chronic infection too), 'Congenital HIV infection', 'Perinatally acquired HIV' (got at
# birth, not later)
_KIND_BEFORE = re.compile(r"\b(?P<what>uncontrolled|poorly[\s-]+controlled|untreated|symptomatic|unstable|decompensated|"
                          # (or treated or controlled: 'Treated HIV', 'Well-controlled HIV infection')
                          r"(?:previously\s+|currently\s+)?treated|(?:well[\s-]+)?controlled|stable|"
                          r"acute|congenital|perinatal(?:ly\s+acquired)?|vertically\s+(?:transmitted|acquired)|"
                          r"mother-to-child)\s+(?:\w+\s+)?$", re.IGNORECASE)
# a sentence that begins after a semicolon continues the item's statement
_CLAUSE_AFTER = re.compile(r";\s*$")


def _negative_test(text: str, first: int, last: int) -> tuple[int, int] | None:
    """Where 'negative' is, right before the first mention ('Negative HIV 1/2 antibody, HBsAg ...')
    or right after the last ('HIV negative', 'HIV-negative'); not one that belongs to another test."""
    s, _ = sentence_of(text, first)
    before = _NEGATIVE_BEFORE.search(text[s:first])
    if before is not None:
        return s + before.start(), first
    after = _NEGATIVE_AFTER.match(text[last:])
    return (last, last + after.end()) if after is not None else None


def _concepts(found: list[tuple[str, re.Match[str]]]) -> list[str]:
    out: list[str] = []
    for concept, _ in found:
        if concept not in out:
            out.append(concept)
    return out


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widened to a closing parenthesis right after the last mention, or to the word 'infection' after it ('HIV
    infection or suspected HIV': the alternative follows the infection)."""
    if text[end:end + 2].lstrip().startswith(")"):
        end = text.find(")", end) + 1
    infection = _INFECTION_AFTER.match(text, end)
    return start, infection.end() if infection else end


_INFECTION_AFTER = re.compile(r"[\s-]+(?:virus\s+)?infections?\b", re.IGNORECASE)


# a history of the disease, not the patient's state now: 'History of active TB', 'never had active TB'
_HISTORY = re.compile(r"\b(?:history|histories|previous(?:ly)?|prior|past|ever|had|former|earlier)\b", re.IGNORECASE)
_ACTIVE_TB = re.compile(r"\b(?P<latent_before>latent\s+(?:or|and/or)\s+)?active\s+(?P<latent_after>(?:or|and/or)\s+latent\s+)?"
                        r"(?P<site>pulmonary\s+|extra-?pulmonary\s+)?(?:tuberculosis|TB)\b(?:\s+infection)?"
                        r"|\b(?:tuberculosis|TB)\s*\(active\)", re.IGNORECASE)


# what parts the tuberculosis from a window of its sentence: another member of a list or alternative ('Active
# tuberculosis, or exposure to TB within 3 months': the window is the exposure's)
# (a window that opens the sentence may be set off by a comma: 'In the past year, active tuberculosis')
_ANOTHER_MEMBER = re.compile(r"[,;]|\b(?:or|and|and/or)\b", re.IGNORECASE)
_ANOTHER_MEMBER_AFTER = re.compile(r";|\b(?:or|and|and/or)\b", re.IGNORECASE)


def _dates_it(text: str, m: re.Match[str], w: Window) -> bool:
    """The window `w` dates the tuberculosis mention `m`: nothing but its own words between them."""
    if w.start >= m.end():
        return _ANOTHER_MEMBER.search(text, m.end(), w.start) is None
    return _ANOTHER_MEMBER_AFTER.search(text, w.end, m.start()) is None


# a history of tuberculosis with no 'active': the history word right before it, or before a list it is a member
# of ('Previous emphysema, TB, COPD'); not another's history, a subtype or site ('History of MDR TB', '... of
# pulmonary TB': no list comma before them), nor an exposure, a test, a treatment, an infection (perhaps latent) or a
# compound ('TB-related lung damage')
_HISTORY_TB = re.compile(r"(?=[hp])(?<!family\s)\b(?:history\s+of|previous(?:ly)?|prior|past)\s+"  # (h or p first)
                         r"(?:(?!latent\b|active\b)[a-z]+(?:\s+[a-z]+)?\s*,\s*){0,3}(?:(?:and|or)\s+)?(?:tuberculosis|TB)\b"
                         r"(?!-|\s*(?:infections?|exposures?|contacts?|tests?|testing|skin|screening|treatments?|therapy|"
                         r"prophylaxis|vaccin\w*|medications?|drugs?|sequelae)\b)", re.IGNORECASE)


def _tuberculosis(item: ItemText) -> list[Finding]:
    """Active tuberculosis, with the library concept `active_tuberculosis`: an exclusion of it, or an
    inclusion without it ('No active TB'); latent tuberculosis is not it, a past one is the value set's."""
    if not may_name(item.text, ("tuberculosis", "tb")):
        return []
    m = _ACTIVE_TB.search(item.text)
    if m is None:
        return _history_of_tuberculosis(item) or _listed_tuberculosis(item)
    is_negated = negated(item.text, m.start())
    if (item.kind == "exclusion") == is_negated:
        return []
    when: dict[str, Any] = {"ref": "active_tuberculosis"}
    reading = "active tuberculosis (an active diagnosis)"
    confidence, end = 0.8, m.end()
    s, e = sentence_of(item.text, m.start())
    window = next((w for w in windows(item.text) if s <= w.start < e and _dates_it(item.text, m, w)), None)
    if window is not None:
        # 'History of active TB within 2 years', 'active TB in the 6 months before screening': active at some
        # time in the window, not necessarily now: a record of the disease overlapping the window
        when = {"condition": {"code": "tuberculosis", "within": window.duration}}
        reading = f"tuberculosis disease recorded in the last {window.duration} (active at some time in it)"
        confidence, end = 0.7, max(end, window.end)
    elif _HISTORY.search(item.text, s, m.start()):
        # 'History of active TB': the disease was active once; a cured case counts too
        when, reading, confidence = {"condition": {"code": "tuberculosis"}}, "tuberculosis at any time (a history)", 0.7
    if m.group("site"):
        # 'Active pulmonary TB': the concept and the value set count tuberculosis of any site, the item one: drafted,
        # it would exclude (or, negated, require the absence of) more than the item does
        return [blocked("tuberculosis", f"{reading}: the item names {m.group('site').strip().lower()} tuberculosis "
                        "only, and the concept and its value set count tuberculosis of any site", item.text, m.start(), end)]
    if is_negated:
        when, reading = {"not": when}, "no " + reading
    # 'active or latent TB': latent infection is not the disease the value set and the concept count
    leaves = "leaves latent tuberculosis infection, which the tuberculosis value set does not count" \
        if m.group("latent_before") or m.group("latent_after") else None
    return [Finding("tuberculosis", when, item.text[m.start():end], confidence, reading, m.start(), end,
                    topic=r"tuberculosis|\bTB\b", leaves=leaves)]


def _history_of_tuberculosis(item: ItemText) -> list[Finding]:
    """A history of tuberculosis, 'active' not said ('Previous TB', 'Prior asthma, TB or sarcoidosis'): the
    disease at some time (or in the window that dates it), with the `tuberculosis` value set, in an exclusion
    or negated in an inclusion; at 0.6, a history of tuberculosis at times meaning a latent infection."""
    m = _HISTORY_TB.search(item.text)
    if m is None:
        return []
    is_negated = negated(item.text, m.start())
    if (item.kind == "exclusion") == is_negated:
        return []
    s, e = sentence_of(item.text, m.start())
    window = next((w for w in windows(item.text) if s <= w.start < e and w.start >= m.end()
                   and _ANOTHER_MEMBER.search(item.text, m.end(), w.start) is None), None)
    when: dict[str, Any] = {"condition": {"code": "tuberculosis"}}
    reading, end = "tuberculosis at any time (a history; read as the disease, not a latent infection)", m.end()
    if window is not None:
        when = {"condition": {"code": "tuberculosis", "within": window.duration}}
        reading, end = f"tuberculosis disease recorded in the last {window.duration} (a history)", window.end
    if is_negated:
        when, reading = {"not": when}, "no " + reading
    return [Finding("tuberculosis", when, item.text[m.start():end], 0.6, reading, m.start(), end,
                    topic=r"tuberculosis|\bTB\b")]


# tuberculosis named bare ('tuberculosis', 'TB'; not the abbreviation glossing the name before it, 'Tuberculosis (TB)',
# no member of a list)
_BARE_TB = re.compile(r"(?<!tuberculosis\s\()(?<!tuberculosis\()\b(?:tuberculosis|TB)\b", re.IGNORECASE)
# what makes a list's tuberculosis not the disease the patient has, before it in its sentence: a latent infection, a
# test or screening, an exposure or contact, a treatment or a vaccine ('Latent infections (e.g. tuberculosis, ...)',
# 'Positive tests (HIV, tuberculosis)', 'Contact with infections (e.g. tuberculosis, ...)')
_NOT_THE_DISEASE_BEFORE = re.compile(r"\b(?:latent|tests?|testing|screen\w*|positive|exposures?|exposed|contacts?|"
                                     r"treat\w*|therap\w*|drugs?|medications?|prophyla\w*|vaccin\w*|risk)\b",
                                     re.IGNORECASE)


def _listed_tuberculosis(item: ItemText) -> list[Finding]:
    """Tuberculosis named bare as one member of a list of diseases an exclusion names, the list led by no history
    ('Severe comorbidities (malignant tumour, tuberculosis)'): active tuberculosis, as a listed malignancy is an
    active one; at 0.6. Not in a list of latent infections, tests, exposures or treatments."""
    if item.kind != "exclusion":
        return []
    m = next((b for b in _BARE_TB.finditer(item.text) if listed_now(item, b.start(), b.end())), None)
    if m is None or negated(item.text, m.start()) \
            or _NOT_THE_DISEASE_BEFORE.search(item.text, sentence_of(item.text, m.start())[0], m.start()):
        return []
    return [Finding("tuberculosis", {"ref": "active_tuberculosis"}, m.group(0), 0.6,
                    "active tuberculosis (one of a list of diseases the item names)", m.start(), m.end(),
                    topic=r"tuberculosis|\bTB\b")]


# both statuses in the sentence: 'HIV-positive or HIV-negative adults', 'HIV-infected and uninfected', 'seropositive
# or seronegative': either is let in (or two groups are), so neither is required ('with or without HIV' before the
# mention is read by `qualifiers` for every diagnosis; after it, 'Hepatitis C with or without cirrhosis', it is the
# other condition's)
_EITHER_STATUS = re.compile(r"\b(?:sero)?(?:positive|negative)\s*(?:or|and|and/or|/|,)\s*(?:[\w-]+[\s-])?(?:sero)?"
                            r"(?:positive|negative)\b|\b(?:un)?infected\s*(?:or|and|and/or|/|,)\s*(?:[\w-]+[\s-])?"
                            r"-?(?:un)?infected\b", re.IGNORECASE)


def recognise_infections(item: ItemText) -> list[Finding]:
    """HIV, hepatitis B and C, and active tuberculosis."""
    return _viruses(item) + _tuberculosis(item)


def _viruses(item: ItemText) -> list[Finding]:
    text, kind = item.text, item.kind
    found = _mentions(text)
    if not found:
        return []
    first, last = found[0][1].start(), max(m.end() for _, m in found)
    negative = _negative_test(text, first, last)
    is_negated = negative is not None or negated(text, first)
    s, e = sentence_of(text, first)
    either = _EITHER_STATUS.search(text, s, e)
    if either is not None and not _same_words(either.group(0)):
        return [blocked("infections", f"the sentence lets either status in ('{either.group(0)}'): neither is required",
                        text, first, e)]
    stated = _POSITIVE.search(text[s:e]) is not None
    if kind == "exclusion" and is_negated or kind == "inclusion" and not is_negated and not stated:
        return []
    no_result = _no_present_result(text, s, e, kind == "inclusion")
    if no_result is not None:
        return [blocked("infections", no_result, text, first, e)]
    return _present(item, found, e)


def _present(item: ItemText, found: list[tuple[str, re.Match[str]]], e: int) -> list[Finding]:
    """The mentions of a present infection drafted, those of past or occult hepatitis and those defined by a
    nucleic-acid test left for review."""
    text = item.text
    found, why_not = _not_present_hepatitis(text, found, e)
    if why_not and not found:
        return why_not
    by_nucleic_acid = _by_nucleic_acid(text, found, e)
    if by_nucleic_acid:
        left = [(c, m) for c, m in found if c not in by_nucleic_acid]
        why = blocked("infections", " and ".join(c.replace("_positive", "").replace("_", " ") for c in by_nucleic_acid)
                      + " defined by a nucleic-acid test (RNA, DNA or viral load): the concept also counts a positive "
                      "antibody or antigen alone", text,
                      min(m.start() for c, m in found if c in by_nucleic_acid), e)
        if not left:
            return why_not + [why]
        return why_not + [why] + _drafted(item, left, e)
    return why_not + _drafted(item, found, e)


def _same_words(both: str) -> bool:
    """'positive, positive': a list of results, not both statuses."""
    words = re.findall(r"(?:un)?infected|positive|negative", both.lower())
    return len(words) == 2 and words[0] == words[1]


def _not_present_hepatitis(text: str, found: list[tuple[str, re.Match[str]]],
                           e: int) -> tuple[list[tuple[str, re.Match[str]]], list[Finding]]:
    """The mentions left once hepatitis B's core antibody and past or occult hepatitis B or C are
    taken out, and a review finding for what was taken: neither is what the concept counts."""
    s = sentence_of(text, found[0][1].start())[0]
    out, why = list(found), []
    core = _CORE.search(text, s, e)
    if core is not None and any(c == "hepatitis_b_positive" for c, _ in out):
        out = [(c, m) for c, m in out if c != "hepatitis_b_positive"]
        why.append(blocked("infections", f"hepatitis B core antibody or antigen ('{core.group(0)}'): a past, resolved "
                           "or occult infection, not the HBsAg-positive hepatitis B the concept counts", text,
                           core.start(), core.end()))
    for concept in ("hepatitis_b_positive", "hepatitis_c_positive"):
        past = next(((p, m) for c, m in out if c == concept
                     and ((p := _PAST_HEPATITIS.search(text, max(s, m.start() - 40), m.start())) is not None
                          or (p := _PAST_HEPATITIS_AFTER.match(text, m.end(), e)) is not None)), None)
        if past is not None:
            out = [(c, m) for c, m in out if c != concept]
            name = concept.replace("_positive", "").replace("_", " ")
            why.append(blocked("infections", f"a {name} infection said to be '{past[0].group('what').lower()}': it may "
                               "have cleared or carry no marker the concept counts", text, min(past[0].start(), past[1].start()),
                               max(past[0].end(), past[1].end())))
    return out, why


# in an exclusion, a negative serology said with the infection ('History of hepatitis B with negative HBsAg',
# 'Hepatitis C, antibody negative'): a resolved or occult infection, not the present one
_NEGATIVE_MARKER = re.compile(rf"\b(?:negative|non-?reactive)\s+(?:for\s+)?(?:[\w-]+\s+){{0,2}}?(?:{_SEROLOGY_WORDS})|"
                              rf"(?:{_SEROLOGY_WORDS})\s*(?:test\s+|result\s+|(?:is|was|were)\s+)?(?:negative|non-?reactive)\b",
                              re.IGNORECASE)


def _no_present_result(text: str, s: int, e: int, inclusion: bool) -> str | None:
    """Why the sentence states no present infection or result: a status not known, an infection gone, in an exclusion
    a negative serology said with it, a refusal of testing, a dated diagnosis; None when it may."""
    unknown = _UNKNOWN_STATUS.search(text, s, e)
    if unknown is not None:
        return f"a status not known ('{unknown.group(0)}'), not an infection"
    cleared = _CLEARED.search(text, s, e)
    if cleared is not None:
        return f"an infection gone or an exposure ('{cleared.group(0)}'), not a present infection"
    marker = _NEGATIVE_MARKER.search(text, s, e) if not inclusion else None
    if marker is not None:
        return (f"a negative result said with it ('{marker.group(0)}'): a resolved or occult infection, not the present "
                "one the concept counts")
    refused = _TEST_REFUSED.search(text, s, e)
    if refused is not None:
        return f"a refusal of testing ('{refused.group(0)}'), not a result"
    dated = _recent_diagnosis(text, s, e, inclusion)
    if dated is not None:
        return f"a diagnosis dated ('{dated}'): when it was made is not read"
    return None


def _recent_diagnosis(text: str, s: int, e: int, inclusion: bool) -> str | None:
    """'newly diagnosed', 'recently diagnosed', or a diagnosis with a time window in its sentence (in an inclusion,
    not a window after a contact with care, which dates the contact)."""
    m = _RECENT.search(text, s, e)
    if m is not None:
        return m.group(0)
    d = re.search(r"\bdiagnos\w*", text[s:e], re.IGNORECASE)
    if d is not None and any(s <= w.start < e and not (inclusion and care_contact_between(text, s + d.end(), w.start))
                            for w in windows(text)):
        return d.group(0)
    return None



def _by_nucleic_acid(text: str, found: list[tuple[str, re.Match[str]]], e: int) -> list[str]:
    """The concepts whose mention is followed, before the next mention, by a nucleic-acid test
    and not by a serology ('hepatitis C virus [HCV] (RNA detected)'), and those whose positive serology
    a nucleic-acid test settles (`_serology_settled`)."""
    starts = sorted(m.start() for _, m in found)
    out: list[str] = []
    for concept, m in found:
        nxt = next((st for st in starts if st > m.start()), e)
        segment = text[m.end():min(max(nxt, m.end()), e)]
        if _NUCLEIC.search(segment) and concept not in out:
            out.append(concept)
    out = [c for c in out if not any(_SEROLOGY.search(text[m.end():e]) and not _BOTH_TESTS.search(text[m.start():e])
                                     for cc, m in found if cc == c)]
    return out + [c for c in _serology_settled(text, found) if c not in out]


def _serology_settled(text: str, found: list[tuple[str, re.Match[str]]]) -> list[str]:
    """The concepts whose positive serology the item settles by a nucleic-acid test, in any of its
    sentences ('If the anti-HCV test is reactive, HCV RNA must be negative')."""
    out: list[str] = []
    for m in _SEROLOGY_SETTLED.finditer(text):
        # the virus named in the clause of the serology ('Negative HIV test and HBsAg; if HBsAg is positive, ...
        # HBV DNA': hepatitis B only)
        clause = max(sentence_of(text, m.start())[0], *(text.rfind(ch, 0, m.start()) + 1 for ch in ",;:"))
        if not (_IF.search(text, clause, m.start()) or _SETTLES.search(text, m.start(), m.end())):
            continue  # 'Positive HCV antibody or detectable HCV RNA': either test, not one settling the other
        out += [c for c, rx in _VIRUSES if c not in out and any(c == cc for cc, _ in found)
                and rx.search(text, clause, m.end())]
    return out


def _unnamed_hepatitis(found: list[tuple[str, re.Match[str]]]) -> str | None:
    """What the draft leaves when its only hepatitis is 'viral hepatitis', naming no virus."""
    hepatitis = [m for c, m in found if c != "hiv_positive"]
    if hepatitis and all(_UNNAMED_HEPATITIS.match(m.group(0)) for m in hepatitis):
        return "viral hepatitis read as hepatitis B or C: hepatitis A, D and E are not checked"
    return None


def _drafted(item: ItemText, found: list[tuple[str, re.Match[str]]], e: int) -> list[Finding]:
    """The concepts of the mentions as the item states them (negated, a subgroup, or as they are)."""
    text, kind = item.text, item.kind
    first, last = found[0][1].start(), max(m.end() for _, m in found)
    negative = _negative_test(text, first, last)
    is_negated = negative is not None or negated(text, first)
    refs: list[dict[str, Any]] = [{"ref": c} for c in _concepts(found)]
    cond: dict[str, Any] = refs[0] if len(refs) == 1 else {"any": refs}
    names = ", ".join(c.replace("_positive", "").replace("_", " ") for c in _concepts(found))
    start, end = (min(first, negative[0]), max(last, negative[1])) if negative is not None else (first, last)
    start, end = _span(text, start, end)
    if is_negated:
        when: dict[str, Any] = {"not": cond}
        reading = f"no {names} (diagnosis or positive test); a missing test result is unknown"
    else:
        when = cond
        reading = f"{names}: by diagnosis or positive test; a missing test result is unknown"
    confidence = 0.85 if kind == "exclusion" else 0.8
    # after any of the mentions ('hepatitis B or hepatitis C virus infection that requires treatment or ...')
    subgroup = next(((v.end(), m) for _, v in found if (m := _SUBGROUP.match(text[v.end():e])) is not None), None) \
        if kind == "exclusion" and not is_negated else None
    before = _KIND_BEFORE.search(text, sentence_of(text, first)[0], first) \
        if kind == "exclusion" and not is_negated else None
    if before is not None:
        return [blocked("infections", f"{names} only when {before.group('what').lower()}: the infection alone "
                        "would exclude more patients than the item", text, before.start(), end)]
    if subgroup is not None:
        at, what = subgroup
        return [blocked("infections", f"{names} only when {what.group('what').strip()}: the infection alone "
                        "would exclude more patients than the item", text, start, max(last, at + what.end()))]
    not_alone = _not_the_infection_alone(item, found, start, end, e, is_negated)
    if not_alone is not None:
        return [not_alone]
    leaves = _unnamed_hepatitis(found) or _history_of_hepatitis(text, found, e)
    if leaves is not None:
        confidence, reading = 0.6, f"{reading}; {leaves}"
    return [Finding("infections", when, text[start:end].strip(), confidence, reading, start, end,
                    accounts_for=_other_infection_excepted(text, end, e), topic=_TOPIC, leaves=leaves)]


# a history of the infection before a hepatitis mention ('History of hepatitis B or C', 'Prior infection of hepatitis
# B', 'Has ever had hepatitis C') or in its sentence after it ('Hepatitis B or C (current or past)'), and what makes it one the concept counts: a chronic hepatitis (it persists), a
# positive marker said in its sentence ('History of hepatitis B (HBsAg positive)')
_HISTORY_OF = re.compile(r"\b(?:history|h/o|hx)\b|\b(?:prior|previous|past)\s+(?:[\w-]+\s+){0,2}?(?:infections?|episodes?)\s+"
                         r"(?:of|with)\b|\bever\s+(?:had|been)\b", re.IGNORECASE)
# (or said after it: 'Hepatitis B or C (current or past)', '... active or previous')
_HISTORY_AFTER = re.compile(r"\b(?:past|previous|prior|history|ever)\b", re.IGNORECASE)
_HISTORY_WORDS = ("hist", "h/o", "hx", "prior", "previous", "past", "ever")
_CHRONIC_OR_MARKER = re.compile(rf"\bchronic\b|{_SEROLOGY_WORDS}|\bpositive\b|\breactive\b", re.IGNORECASE)


def _history_of_hepatitis(text: str, found: list[tuple[str, re.Match[str]]], e: int) -> str | None:
    """What the draft leaves when a history of the infection is said around the first hepatitis mention (not a
    chronic one, nor one its sentence defines by a marker): a resolved or cured hepatitis, which the concepts (a
    present infection: an active diagnosis or a positive test) do not count."""
    hepatitis = next((m for c, m in found if c != "hiv_positive"), None)
    if hepatitis is None or not any(w in text.lower() for w in _HISTORY_WORDS):  # a cheap first look for its words
        return None
    s = sentence_of(text, hepatitis.start())[0]
    history = _HISTORY_OF.search(text, max(s, hepatitis.start() - 60), hepatitis.start()) \
        or _HISTORY_AFTER.search(text, hepatitis.end(), e)
    if history is None or _CHRONIC_OR_MARKER.search(text, min(history.end(), hepatitis.end()), e):
        return None
    return (f"a history of the infection ('{history.group(0)}'): a resolved or cured hepatitis is one too, which the "
            "concept (a present infection: an active diagnosis or a positive test) does not count")


def _not_the_infection_alone(item: ItemText, found: list[tuple[str, re.Match[str]]], start: int, end: int, e: int,
                             is_negated: bool) -> Finding | None:
    """Why the mentions are not the infection alone, for review: in an inclusion that requires it, another
    alternative between them or a history of hepatitis (`_history_of_hepatitis`); a condition the infection causes, or an infection got one way; else None."""
    alternative = _another_alternative(item.text, found) if item.kind == "inclusion" and not is_negated else None
    if alternative is not None:
        return blocked("infections", f"an alternative between its mentions ('{alternative}') that is not recognised: "
                       "the infection alone would turn the others away", item.text, start, end)
    history = _history_of_hepatitis(item.text, found, e) if item.kind == "inclusion" and not is_negated else None
    if history is not None:  # required: the concept would turn away a patient whose hepatitis is resolved or cured
        return blocked("infections", f"required, {history}", item.text, start, end)
    return _condition_of_it(item.text, found, start, e)


# what may stand between two mentions of one infection besides the list's glue: the tests that show it ('HIV
# infection (positive ELISA or Western blot for HIV)')
_TEST_GLUE = re.compile(r"(?:[\s,/()-]|\b(?:and|or|and/or|antibod(?:y|ies)|antigens?|surface|virus|viral|types?|tests?|"
                        r"testing|serology|infection|Ab|Ag|[12]|positive|reactive|confirmed|documented|by|for|on|with|an?|the|"
                        r"ELISA|EIA|western|blot|rapid|assays?|immunoassay|PCR|DNA|RNA|loads?|detectable|detected)\b)*",
                        re.IGNORECASE)


def _another_alternative(text: str, found: list[tuple[str, re.Match[str]]]) -> str | None:
    """An alternative joined by 'or' between two mentions that is more than a list of the viruses and their tests
    ('HIV-positive or at high risk of HIV'), or None."""
    for (_, a), (_, b) in zip(found, found[1:], strict=False):
        between = text[a.end():b.start()]
        # (not the 'or' of a count: 'one or more HIV care appointments')
        if re.search(r"\bor\b(?!\s+(?:more|less|fewer|greater|older|younger)\b)", between, re.IGNORECASE) \
                and _TEST_GLUE.fullmatch(between) is None:
            return between.strip()
    return None


def _condition_of_it(text: str, found: list[tuple[str, re.Match[str]]], start: int, e: int) -> Finding | None:
    """A condition the infection causes or goes with, or an infection got one way, named right after a mention
    (`_CONDITION_OF_IT`), for review; else None."""
    caused = next((m for _, v in found if (m := _CONDITION_OF_IT.match(text, v.end(), e)) is not None), None)
    if caused is None:
        return None
    return blocked("infections", f"a condition the infection causes or goes with, or an infection got one way "
                   f"('{text[found[0][1].start():caused.end()].strip()} ...'): the infection alone is not what the item "
                   "names", text, start, max(max(m.end() for _, m in found), caused.end()))


def _other_infection_excepted(text: str, end: int, e: int) -> frozenset[str]:
    """'infection other than COVID-19': an exception about another infection, named right after the word
    'infection', leaves these alone (not one about some of these: 'Hepatitis B (HBsAg positive), except inactive
    carriers')."""
    exception = _EXCEPTION.search(text, end, e)
    unaffected = exception is not None and not any(rx.search(text, exception.end(), e) for _, rx in _VIRUSES) \
        and _INFECTION_BEFORE.search(text, end, exception.start()) is not None
    return frozenset({"exception"}) if unaffected else frozenset()


# the long patterns searched for in whole items, each with a look at the characters its matches start with ahead of
# it (`with_first_look`: the same matches, found faster)
_NOT_INFECTION_BEFORE = with_first_look(_NOT_INFECTION_BEFORE)
