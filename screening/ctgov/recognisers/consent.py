"""Written informed consent: 'Signed written informed consent', 'informed consent obtained' (or 'present', 'documented'), 'Written consent
obtained', 'Have received oral and written consent', 'able to
give informed consent', 'informed consent must be signed before ...', 'signs the ICF', 'have given their consent to participate in the study', 'Provides
consent to participate', 'Provide written consent', 'willing to sign the consent document', 'signature of informed consent', 'sign permit' (a consent form called a permit), 'Patient's informed consent' (the consent named by whose it is),
'voluntarily agree to participate' (or 'voluntarily willing to participate', 'independently decided to participate'), an item that is only
'Informed consent' or only agreeing to take part ('Agreed to participate.'), completing the consent form ('completion of
ICF'), an item that opens
with 'Consent to participate in the study' or 'Volunteer to participate in the study' (agreeing of one's own will to take part is consenting; a bare
'agree to participate and follow the procedures' is a willingness, left for review), and consent given for the participant by a
parent, guardian or legal representative ('Informed consent from the legally authorized
representative', 'Both parents or legal guardians must give consent for their child's
participation'): the library's consent fact is the record's signed consent, whoever signed it (a
representative's signature is recorded, `by_representative`, and shown with the evidence). Not an
adolescent's assent, and not consent to something else ('consent to their personal details being
entered ...', 'informed consent for the pleural biopsy', 'the hospital's general consent form', in an exclusion
'Refusal to give informed consent for surgery', 'consent to be contacted for future research': left for review), nor a
consent waived or not required. An exclusion of those who have not consented ('Patients who have not signed informed
consent', 'refusal to sign the consent form', 'failure to sign informed consent') is its negation. Signing as a point in time that dates
something else ('aged 40 to 65 at the time of signing the informed consent', 'contraception from
signing the consent form until ...', 'within 30 days prior to signing consent') asks for no consent. 'Absence of relatives to give consent' (no one to consent for the participant) is
left for review, and so is a capacity to consent that someone judges ('deemed to have capacity to
provide informed consent', 'capable of giving informed consent in the judgement of the investigator':
the investigator's judgement of the person, not a signature), and so is an exclusion of those not able to
consent ('Not able to give informed consent', 'Lack of capacity to provide informed consent': their capacity,
not a consent record), unless an unwillingness is said with it ('unable or unwilling to provide'); and so is a
consent sought after inclusion ('within 48 hours after randomisation', 'retrospectively', 'deferred consent') or one
another consent or a consultee may replace ('oral consent is acceptable')."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import CONDITIONAL, Finding, ItemText, blocked, may_name, negated

_GAP = r"(?:(?!assent)[\w\s(),\-/']){0,60}?"
_WHO = (r"(?:(?:the\s+)?(?:participant|patient|subject)|(?:(?:the|a|his|her|their)\s+)?(?:legal(?:ly)?\s+(?:authori[sz]ed\s+)?)?"
        r"(?:representative|guardian|parent|caregiver|carer)s?)")
# (looking first at the letters a mention starts with, `_STARTS`, or the text's start, where the mentions that are the
# whole item are read)
_STARTS = "acfgioprstvw"
_CONSENT = re.compile(rf"(?:^|(?=[{_STARTS}]))(?:"
                      rf"(?:sign|signs|signed|signing|signature|provides?|provided|providing|provision|gives?|gave|given|giving|written|"
                      rf"obtains?|obtained|obtaining)\b{_GAP}"
                      r"(?:(?:informed|written|written\s+(?:and|og|&)\s+(?:oral|verbal)|express|explicit)\s+consent|consent\s+to\s+participate|"
                      r"consent\s+(?:form|document)|\bICFs?\b"
                      r"|consent\s+for\s+(?:(?:their|his|her|the)\s+)?(?:child(?:'s|ren's)\s+)?participation)"
                      # the consent form called a permit: 'sign permit', 'signed the informed permit' (not a work or
                      # residence permit: only the words of a consent form between the verb and it)
                      r"|\bsign(?:s|ed|ing)?\s+(?:(?:the|a|an)\s+)?(?:informed\s+)?(?:consent\s+)?permits?\b"
                      # (not with 'not' or 'never' between: 'Informed consent not obtained')
                      r"|informed\s+consent(?:(?!\s(?:not|never)\b)[\w\s]){0,20}?(?:signed|obtained|present|documented|given|"
                      r"provided)\b"
                      # a consent signed or in writing with no 'informed': 'Provide signed consent', 'Signed consent prior
                      # to enrolment', 'Written consent of the patient'; or given with no other word: 'Provide consent',
                      # 'Refusal to give consent' (not after an ability, 'the ability to give consent', which a table leaves
                      # to review with no consent named)
                      r"|\b(?:signed|written)\s+(?:and\s+dated\s+)?consent\b"
                      r"|(?<!ability\sto\s)(?<!able\sto\s)(?<!capable\sof\s)"
                      r"\b(?:provides?|provided|providing|gives?|given|giving)\s+(?:(?:their|his|her|the)\s+)?consent\b"
                      # written consent received or obtained: 'Have received oral and written consent', 'Written
                      # consent obtained'
                      r"|\breceived\s+(?:(?:oral|verbal)\s+and\s+)?written(?:\s+and\s+(?:oral|verbal))?\s+"
                      r"(?:informed\s+)?consent\b"
                      r"|\bwritten\s+consent\s+(?:was\s+|has\s+been\s+|is\s+)?(?:signed|obtained|documented|given|provided|"
                      r"received)\b"
                      # a consent named by whose it is and obtained: 'Parental consent obtained', 'Parental consent
                      # and child assent are obtained', 'Patient consent has been signed' (a parent's or guardian's
                      # counts)
                      r"|\b(?:parental|parents?(?:'|’)?|guardians?(?:'|’)?|patient|participant|subject)\s+consent\s+(?:(?:and|&)\s+"
                      r"(?:(?:the\s+)?(?:child|minor)(?:(?:'|’)s)?\s+)?assent\s+(?:of\s+(?:the\s+)?(?:child|minor)\s+)?)?"
                      r"(?:(?:is|are|was|were|has\s+been|have\s+been|must\s+be)\s+)?(?:obtained|signed|given|provided|"
                      r"documented)\b"
                      # or named alone, opening the item: 'Consent obtained', 'Consent form signed', 'Consent documented by
                      # signature'
                      r"|^\W*consent(?:\s+form)?\s+(?:(?:is|was|has\s+been|must\s+be)\s+)?(?:obtained|signed|given|provided|"
                      r"documented)\b"
                      rf"|informed\s+consent\s+(?:by|from|of)\s+{_WHO}"
                      # the consent named by whose it is, as the item's opening: 'Patient's informed consent', 'Parent or
                      # legal guardian's written informed consent' (someone consenting for the participant counts), after
                      # an item's own number if it has one ('4. Patient's informed consent')
                      r"|^\W*(?:\d{1,2}\s*[.)]\s+)?(?:the\s+)?(?:(?:biological|legal(?:ly)?|authori[sz]ed)\s+)*(?:(?:participant|patient|subject|"
                      r"representative|guardian|parent|caregiver|carer|surrogate|proxy)(?:s|(?:'|’)s)?\s+(?:or|and|and/or|/)\s+"
                      r"(?:(?:the|his|her|their|a)\s+)?(?:(?:biological|legal(?:ly)?|authori[sz]ed)\s+)*)?"
                      r"(?:participant|patient|subject|representative|guardian|parent|caregiver|carer|surrogate|proxy)(?:(?:'|’)s|s(?:'|’))"
                      r"\s+(?:(?:signed|written)\s+)*(?:informed\s+)?consent\b"
                      # agreeing voluntarily to take part is consenting: 'voluntarily agree to participate' (not a bare
                      # 'agree to participate and follow all study procedures', a willingness; nor agreeing to something
                      # else: 'agree to use contraception')
                      # ('voluntarily willing to participate' is the same)
                      r"|\bvoluntar(?:il)?y\s+(?:agree(?:s|d|ing)?|(?:be\s+)?willing)\s+to\s+(?:participate|take\s+part)\b"
                      r"(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)"
                      # the adverb after the verb: 'agreed to voluntarily participate', 'agree to voluntarily decide to
                      # take part'
                      r"|\bagree(?:s|d)?\s+to\s+voluntar(?:il)?y\s+(?:decide\s+to\s+)?(?:participate|take\s+part)\b"
                      r"(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)"
                      # or after taking part, or after the study named: 'agree to participate voluntarily in the study',
                      # 'willing to take part voluntarily', 'agrees to participate in the trial voluntarily' (the study, or
                      # nothing, after it: not '... voluntarily in another study', '... in the follow-up calls')
                      r"|\b(?:agree(?:s|d|ing)?|willing)\s+to\s+(?:participate|take\s+part)(?:\s+in\s+(?:the|this)\s+"
                      r"(?:study|trial|research(?:\s+study)?|clinical\s+trial))?\s+voluntar(?:il)?y\b"
                      r"(?=\s*(?:$|[.,;:()]|(?:in\s+(?:the|this)\s+(?:study|trial|research|clinical\s+trial)|after)\b))"
                      # or deciding so: 'independently decided to participate in the trial', 'agree to voluntarily
                      # decide to participate' (a decision of one's own to take part, not a bare 'decided to participate')
                      r"|\b(?:voluntar(?:il)?y|independently|freely)\s+decid(?:e|es|ed|ing)\s+to\s+(?:participate|take\s+part)\b"
                      r"(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)"
                      # an item that opens with the consent itself: 'Consent to participate in the study',
                      # 'Consents to take part' (not 'Consent to participate in another study')
                      r"|^\s*(?:informed\s+|written\s+)?consents?\s+to\s+(?:participate|take\s+part)\b"
                      r"(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)"
                      # or able to consent to take part: 'competent to consent to take part in this research', 'Capable of
                      # consenting to participate' (not in another study)
                      # (the capacity before the match, where a judge of it is looked for: `_JUDGED_CAPACITY`)
                      r"|(?:(?<=\bable\s)|(?<=\bcompetent\s)|(?<=\bcapable\s)|(?<=\bwilling\s))"
                      r"(?:to\s+consent|of\s+consenting)\s+to\s+"
                      r"(?:participate|take\s+part|participation)\b(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)"
                      # or with volunteering to take part: 'Volunteer to participate in the study'
                      r"|^\s*volunteer(?:s|ing)?\s+to\s+(?:participate|take\s+part)\b"
                      r"(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)"
                      # or that is only agreeing to take part: 'Agreed to participate.', 'Patients agreeing to take part in
                      # this trial', 'Patient who accepted to participate in the study' (nothing else agreed to: not '...
                      # and follow the study procedures')
                      r"|^\W*(?:(?:patients?|subjects?|participants?|individuals?|persons?|people|those)\s+(?:who\s+)?)?"
                      r"(?:(?:has\s+|have\s+)?(?:agree|accept)(?:s|ed|d|ing)?)\s+to\s+(?:participate|take\s+part)"
                      r"(?:\s+in\s+(?:the|this)\s+(?:study|trial|research(?:\s+study)?|clinical\s+trial))?\W*$"
                      # an agreement signed to take part, or after the study's explanation (a consent form, translated
                      # so): 'voluntarily signed the agreement after the explanation of the clinical trial', 'signed an
                      # agreement to participate in the trial' (not a data sharing agreement, nor one to use a device)
                      r"|\bsign(?:s|ed|ing)?\s+(?:the\s+|an?\s+)?(?:written\s+)?agreement(?:\s+form)?\s+"
                      r"(?:to\s+(?:participate|take\s+part)\b(?!\s+in\s+(?:an|any)?\s*(?:other|another)\b)|"
                      r"after\s+(?:(?:hearing|receiving|reading)\s+)?(?:the\s+|an?\s+)?(?:(?:full|sufficient|detailed|"
                      r"adequate)\s+)?explanation\s+(?:of|about|on)\s+(?:the\s+|this\s+)?(?:clinical\s+)?(?:study|trial|research)\b)"
                      # completing the consent form: 'completion of ICF/HIPAA', 'Completed ICF', 'complete the written
                      # informed consent form'
                      r"|\bcomplet(?:e|es|ed|ing|ion\s+of)\s+(?:the\s+|an?\s+)?(?:(?:signed|written)\s+)*(?:informed\s+consent"
                      r"(?:\s+form)?|consent\s+form|ICFs?)\b"
                      # or that opens with a consent given in writing: 'Informed consent in writing', 'Consent given in
                      # writing by a parent' (what follows is read as after any other match)
                      r"|^\W*(?:informed\s+)?consent\s+(?:form\s+)?(?:(?:signed|given|obtained|provided)\s+)?in\s+writing\b"
                      # ... whose it is named before 'in writing': 'Consent of parents in writing'
                      rf"|^\W*consent\s+(?:of|from|by)\s+{_WHO}\s+in\s+writing\b"
                      # an item that is only the consent: 'Informed consent;', 'Written informed consent form.', a
                      # written and an oral one together, 'Written and oral consent', 'Verbal and written consent'
                      # ('og', the Danish 'and' left in an English text: 'written og oral consent'); not 'written or
                      # oral consent' (an oral one would do), nor an oral one alone
                      r"|^\W*(?:(?:signed|written)\s+)*(?:informed\s+)?consent(?:\s+form)?\W*$"
                      r"|^\W*(?:written\s+(?:and|og|&)\s+(?:oral|verbal)|(?:oral|verbal)\s+(?:and|og|&)\s+written)\s+"
                      r"(?:informed\s+)?consent(?:\s+form)?\W*$)",
                      re.IGNORECASE)
# a word every match of _CONSENT contains (a first look); the last two only with 'part' and 'sign' ('accepted to take
# part', 'sign permit'; `_consent`)
_WORDS = ("consent", "agree", "willing", "volunteer", "icf", "decid", "accept", "permit")
# who else signs, named in the item: the consent may be theirs
_REPRESENTATIVE = re.compile(r"\b(?:(?:representative|guardian|parent|caregiver|carer|proxy)s?\b|parental\s+consent\b)", re.IGNORECASE)
# a parenthesis right after it that names who else may sign ('(or that of a legally authorized
# representative, if applicable)'): part of the requirement, its 'if' included
# or an alternative that is someone else's consent in the participant's place ('or consent from a legal
# guardian', 'or the child's parents to give informed consent')
_ALSO_BY = re.compile(r"^(?:\s*(?:form|document))?\s*(?:\((?:[^()]*\b(?:representative|guardian|parent|proxy)\b[^()]*)\)|"
                      r",?\s*or\s+(?:(?:informed\s+|written\s+)?consent\s+(?:of|from|by)\s+)?"
                      r"(?:(?:his|her|their|a|the|[\w-]+(?:'s|’s)?|s)\s+){0,3}?(?:legal(?:ly)?\s+(?:authori[sz]ed\s+)?)?"
                      r"(?:representative|guardian|parent|caregiver|carer)s?\b"
                      r"(?:\s+to\s+(?:give|provide|sign)\s+(?:(?:informed|written)\s+)*consent\b)?)", re.IGNORECASE)
# the participant's own carer named by the child's possessive ("neonate's caregiver", "the child's legal guardian"):
# not someone else's state, nor an age group's
_CHILDS_CARER = re.compile(r"\b(?:child|baby|infant|newborn|neonate|minor)(?:'|’)s\s+(?:(?:legal(?:ly)?|authori[sz]ed|"
                           r"biological)\s+)*(?:parents?|guardians?|care\s*givers?|carers?|representatives?)\b",
                           re.IGNORECASE)
# whose consent it may be, listed after it ('consent and/or assent from the patient, parent, or guardian'):
# the participant's or a representative's, an assent besides it for a minor
_ONE_OF_WHO = (r"(?:(?:the|a|his|her|their)\s+)?(?:legal(?:ly)?\s+(?:authori[sz]ed\s+)?)?"
               r"(?:patient|participant|subject|representative|guardian|parent|caregiver|carer|surrogate)s?")
_FROM_WHOM = re.compile(rf"^(?:\s+and/or\s+assent)?\s+(?:from|by|of)\s+{_ONE_OF_WHO}"
                        rf"(?:\s*,\s*(?:(?:or|and|and/or)\s+)?{_ONE_OF_WHO}|\s+(?:or|and/or)\s+{_ONE_OF_WHO})*\b",
                        re.IGNORECASE)


# the words before a mention that make the signing a point in time
_WHEN = re.compile(r"\b(?:(?:time|date|days?|weeks?|months?|years?)\s+of|at|from|since|after|before|prior\s+to|until|"
                   r"till|upon|on|when|following)\s+(?:the\s+)?$", re.IGNORECASE)
# refused, declined, denied or failed to ('Patients who deny consent'; 'failure to sign informed consent': not signed;
# not 'failure in signing' an illness may lead to)
_REFUSED = re.compile(r"\b(?:(?:refus\w*|declin\w*|unwilling|den(?:y|ies|ied|ying|ial))\s+(?:\w+\s+){0,2}|"
                      r"fail(?:s|ed|ing|ures?)?\s+to\s+(?:\w+\s+)?)$", re.IGNORECASE)
_ASSENT = re.compile(r"^\s*\((?:an?\s+)?(?:assent|[^()]*\bassent\b)[^()]*\)", re.IGNORECASE)


# a capacity to consent that someone judges ('deemed to have capacity to provide', 'judged by the
# investigator to be competent to give'): a judgement of the person, not a consent record
_JUDGED_CAPACITY = re.compile(r"\b(?:deemed|judged|considered|assessed|determined|found)\b[^.;]{0,60}?"
                              r"\b(?:capacity|capable|competen(?:t|ce|cy))\b[^.;]{0,40}$", re.IGNORECASE)


# or a capacity with the judge named after the consent ('Capable of giving informed consent in the judgement of
# the investigator')
_CAPACITY_BEFORE = re.compile(r"\b(?:capable|capacity|competent|able)\b[^.;]{0,30}$", re.IGNORECASE)
_JUDGED_AFTER = re.compile(r"[^.;]{0,40}?\b(?:in\s+the\s+(?:[\w']+\s+){0,2}?(?:opinion|judge?ment|view)|"
                           r"as\s+(?:judged|determined|assessed|deemed)\s+by|per\s+(?:the\s+)?investigator)\b", re.IGNORECASE)


# a consent to something other than the study, named right after it ('informed consent for the pleural biopsy',
# 'consent to the procedure', 'for storage of tissue in the biobank', 'for HIV testing'): what it is given for, to
# the end of its clause, names neither the study nor taking part in it ('for participation in the study', 'to take
# part', 'for this trial', 'to all study procedures', 'for their child to participate', 'to be randomised', 'to
# the investigators')
_FOR_WHAT = re.compile(r"^\s*(?:forms?|documents?|\(ICF\))?\s*(?:(?:was|is|has\s+been|have\s+been|must\s+be|"
                       r"should\s+be|to\s+be)\s+)?(?:(?:signed|obtained|given|provided|documented|received)\s+)?"
                       r"(?:for|to)\s+(?P<what>[^.;,()]{0,60})", re.IGNORECASE)
_THE_STUDY = re.compile(r"\b(?:stud(?:y|ies)|trials?|protocols?|participat\w*|(?:take|takes|taking)\s+part|enrol\w*|inclu\w*|entry|enter\w*|"
                        r"join\w*|be|being|randomi[sz]\w*|screening|comply|follow|abide|project|programm?e?|"
                        r"investigat\w*|research|researchers?|registry|cohort|interventions?)\b", re.IGNORECASE)
# ... though it names research or studies, a use besides taking part: a later use, samples or their storage, being
# contacted ('for storage of samples for future research', 'to be contacted about future trials', 'for use in other
# studies')
_BESIDES_TAKING_PART = re.compile(r"\b(?:later|subsequent|further|other)\s+(?:research|stud(?:y|ies)|trials?|projects?|"
                                  r"uses?)\b|\b(?:future|samples?|specimens?|tissues?|storage|stored|banking|biobank\w*|"
                                  r"(?:re-?)?contact\w*)\b", re.IGNORECASE)
# a consent of another kind named before it ('the hospital's general consent form', 'surgical consent')
_OTHER_KIND = re.compile(r"\b(?:hospital(?:'s)?|general|surgical|surgery|procedur\w*|operative|an(?:a)?esthe\w*|"
                         r"transfusion|biobank\w*|genetic|photograph\w*)\s+(?:(?:informed|written)\s+)?consent\b",
                         re.IGNORECASE)


# a consent given in or for an earlier or another study, right after it ('Signed informed consent in the parent study',
# '... for the previous trial')
_ANOTHER_STUDYS = re.compile(r"(?:\s*(?:forms?|documents?))?(?:\s+(?:(?:was|were|is|has\s+been|had\s+been)\s+)?"
                             r"(?:given|obtained|signed|provided))?\s+(?:in|for|of|to)\s+"
                             # taking part in it named between ('... for participation in another trial', '... to
                             # participate in another study')
                             r"(?:(?:participat\w*|take\s+part|enrol\w*)\s+in(?:to)?\s+)?"
                             r"(?:(?:the|a|an|their|any)\s+(?:previous|prior|"
                             r"earlier|preceding|parent|feeder|former|original|other|another)|another|other)\s+(?:stud(?:y|ies)|trials?|"
                             r"protocols?)\b", re.IGNORECASE)


def _other_than_the_study(text: str, m: re.Match[str]) -> Finding | None:
    """The consent at `m` given for something other than the study ('for the pleural biopsy'), as a finding without
    a definition; else None."""
    kind = _OTHER_KIND.search(text, m.start(), min(len(text), m.end() + 10)) or _ANOTHER_STUDYS.match(text, m.end())
    what = None if kind else _FOR_WHAT.match(text[m.end():])
    if what and (not what.group("what").strip() or (_THE_STUDY.search(what.group("what"))
                                                    and not _BESIDES_TAKING_PART.search(what.group("what")))):
        what = None
    other = kind.group(0) if kind else what.group(0).strip() if what else None
    if other is None:
        return None
    return blocked("consent", f"a consent to something other than the study ('{other}'), not the study's consent "
                              "record", text, m.start(), m.end())


# said after the consent, in its sentence: a consent sought after the participant is included ('to be obtained
# within 48 hours after randomisation', 'obtained retrospectively', 'deferred consent'), or another consent or a
# consultee accepted in its place ('oral consent is acceptable', 'where this is not possible, a consultee ...')
_NOT_ALONE = re.compile(r"[^.]{0,100}?(?:\b(?:after|following)\s+(?:the\s+)?(?:enrol\w*|randomi[sz]\w*|inclusion|"
                        r"admission|allocation|study\s+entry)\b|\bretrospectiv\w*|\b(?:deferred|delayed)\s+"
                        r"(?:informed\s+)?consent\b|\b(?:verbal|oral|witnessed)\s+(?:informed\s+)?consent\s+(?:is\s+|will\s+be\s+)?"
                        r"(?:acceptable|accepted|allowed|permitted|sufficient)\b|\b(?:where|when|if)\s+(?:this\s+is\s+)?"
                        r"not\s+possible\b|\bconsultees?\b)", re.IGNORECASE)


# said right after the consent: none is asked for ('Written informed consent is not required', '... is waived')
_WAIVED = re.compile(r"[^.;]{0,20}?\b(?:(?:is|are|was|were|will\s+be|has\s+been)\s+)?(?:not\s+(?:be\s+)?(?:required|needed|"
                     r"necessary)|waived)\b", re.IGNORECASE)


def _consent(text: str) -> re.Match[str] | None:
    """The first mention of a consent that is not a point in time."""
    if not may_name(text, _WORDS[:-2]) and not (may_name(text, ("accept",)) and may_name(text, ("part",))) \
            and not (may_name(text, ("permit",)) and may_name(text, ("sign",))):
        return None  # ('acceptable', 'permitted' alone, common in other items, cannot be a consent's words)
    return next((m for m in _CONSENT.finditer(text) if not _WHEN.search(text[:m.start()])), None)


# no one to consent for the participant ('Absence of relatives to give written consent'): whether a
# relative or representative is available, not whether consent was signed
_NO_ONE = re.compile(r"\b(?:absence|absent|lack|no|without|unavailab\w*)\s+(?:of\s+)?(?:an?\s+|any\s+)?"
                     r"(?:relatives?|family(?:\s+members?)?|next\s+of\s+kin|(?:legal(?:ly)?\s+)?(?:authori[sz]ed\s+)?"
                     r"(?:representatives?|guardians?|surrogates?|proxy|proxies))\b[^.;]{0,40}$", re.IGNORECASE)


# a capacity negated before the consent ('Not able to give informed consent', 'not capable of providing',
# 'not in a position to sign', 'without the ability to give', 'Lack of capacity to provide'): whether the person
# can consent, not whether they did ('Unable to provide informed consent' is read so), unless an unwillingness
# is said with it ('not able or not willing to give')
_INCAPABLE = re.compile(r"\b(?:not\s+(?:be\s+)?(?:able|capable|competent|fit|in\s+a\s+position)|unable|incapable|"
                        r"(?:without|lack(?:s|ing)?(?:\s+of)?|no)\s+(?:the\s+)?(?:ability|capacity|competence))\b"
                        r"[^.;]{0,40}$", re.IGNORECASE)
_WILLING = re.compile(r"(?:willing|refus|declin)", re.IGNORECASE)  # unwilling too
_INABILITY = re.compile(r"\binabilit(?:y|ies)\b[^.;]{0,40}$", re.IGNORECASE)  # ('Inability to give informed consent')


# a consent refused, named with no verb of giving it ('Patients who deny consent', 'Refusal of consent', 'declines
# consent to participate', 'Declined informed consent', 'refuse written consent'): the consent to take part (unless
# given for something else, 'for surgery')
_REFUSED_CONSENT = re.compile(r"\b(?:den(?:y|ies|ied|ying|ial\s+of)|refus(?:e|es|ed|ing|al\s+of)|declin(?:e|es|ed|ing))\s+"
                              r"(?:(?:their|the|his|her)\s+)?(?:(?:written|informed)\s+){0,2}consent\b", re.IGNORECASE)


# an exclusion that is only a consent missing ('Lack of informed consent', 'No informed consent.', 'Informed consent
# not obtained'): the study's consent not signed
_NO_CONSENT = re.compile(r"^\W*(?:(?:no|lack\s+of|absence\s+of|without|missing)\s+(?:an?\s+)?(?:informed\s+)?consent|"
                         r"(?:informed\s+)?consent\s+(?:(?:was|is|has)\s+)?not\s+(?:been\s+)?(?:obtained|signed|given|provided))"
                         r"(?:\s+form)?\W*$", re.IGNORECASE)


def _refused_consent(item: ItemText) -> list[Finding]:
    """An exclusion of those who refuse a consent named with no other word ('Patients who deny consent'), or that is
    only the consent missing ('Lack of informed consent')."""
    if "consent" not in item.text.lower():
        return []
    m = _REFUSED_CONSENT.search(item.text)
    if m is None:
        missing = _NO_CONSENT.match(item.text)
        return [] if missing is None else [
            Finding("consent", {"not": {"ref": "informed_consent_signed"}}, missing.group(0).strip(), 0.7,
                    "no written informed consent signed (recorded as a fact)", missing.start(), missing.end())]
    other = _other_than_the_study(item.text, m)
    if other is not None:
        return [other]
    return [Finding("consent", {"not": {"ref": "informed_consent_signed"}}, m.group(0), 0.7,
                    "no written informed consent signed (recorded as a fact): a consent refused", m.start(), m.end())]


def _not_consented(item: ItemText) -> list[Finding]:
    """An exclusion of those who have not signed, or refuse to sign, the consent; not one of those
    with no relative or representative to consent for them, nor one of those not able to consent (their
    capacity: both left for review)."""
    m = _consent(item.text)
    if m is None:
        return _refused_consent(item)
    before = item.text[:m.start()] if m else ""
    if not m or not (negated(item.text, m.start()) or _REFUSED.search(before)):
        return []
    if _NO_ONE.search(before):
        return [blocked("consent", "no relative or representative to consent for the participant: their "
                                   "availability, not a consent record", item.text, m.start(), m.end())]
    other = _other_than_the_study(item.text, m)
    if other is not None:
        return [other]
    incapable = _INCAPABLE.search(before)
    if incapable and not _WILLING.search(before, incapable.start()):
        return [blocked("consent", "the capacity to consent, not a consent record", item.text, incapable.start(),
                        m.end())]
    return [Finding("consent", {"not": {"ref": "informed_consent_signed"}}, item.text[m.start():m.end()], 0.7,
                    "no written informed consent signed (recorded as a fact)", m.start(), m.end())]


def recognise_consent(item: ItemText) -> list[Finding]:
    """An inclusion that asks for signed consent, unless it opens with a condition ('If applicable,
    ...'); an exclusion of those who have not consented."""
    if CONDITIONAL.match(item.text):
        return []
    if item.kind == "exclusion":
        return _not_consented(item)
    m = _consent(item.text)
    if not m:
        return []
    before = item.text[:m.start()]
    if negated(item.text, m.start()) or _REFUSED.search(before) or _INCAPABLE.search(before) or _INABILITY.search(before):
        return [blocked("consent", "a consent refused, not given or not possible, in an inclusion: not a consent asked for",
                        item.text, m.start(), m.end())]
    if _JUDGED_CAPACITY.search(item.text[:m.start()]) or (
            _CAPACITY_BEFORE.search(item.text[:m.start()]) and _JUDGED_AFTER.match(item.text, m.end())):
        return [blocked("consent", "a capacity to consent judged by the investigator, not a consent record",
                        item.text, m.start(), m.end())]
    other = _other_than_the_study(item.text, m)
    if other is not None:
        return [other]
    waived = _WAIVED.match(item.text, m.end())
    if waived is not None:
        return [blocked("consent", "a consent waived or not required: none asked for", item.text, m.start(), waived.end())]
    alone = _NOT_ALONE.match(item.text, m.end())
    if alone is not None:
        return [blocked("consent", "a consent sought after inclusion, or one another consent may replace: not the signed "
                                   "consent at screening", item.text, m.start(), alone.end())]
    end, accounts, reading = _who_consents(item, m)
    return [Finding("consent", {"ref": "informed_consent_signed"}, item.text[m.start():end], 0.7, reading,
                    m.start(), end, accounts_for=frozenset(accounts))]


def _who_consents(item: ItemText, m: re.Match[str]) -> tuple[int, set[str], str]:
    """Where a consent asked for ends, with who else may sign it and an assent besides it; the cues it accounts
    for; and its reading."""
    end = m.end()
    also = _ALSO_BY.match(item.text[end:]) or _FROM_WHOM.match(item.text[end:])
    reading = "written informed consent signed (recorded as a fact)"
    if also:
        end += also.end()
    if also or _REPRESENTATIVE.search(item.text):
        reading += "; a representative's consent counts: the record says who signed (`by_representative`)"
    # a parent, guardian or carer who consents in the participant's place is not someone else's requirement
    accounts: set[str] = {"condition", "relatives"} if also else {"relatives"}
    if ("'s" in item.text or "’s" in item.text) and _CHILDS_CARER.search(item.text, 0, m.end()):
        accounts |= {"others", "scope", "scope_age"}  # the child's carer: the participant's, consenting in their place
    assent = _ASSENT.match(item.text[end:])
    if assent:  # '(an assent is required for those 12-17 years)': minors assent besides their carer's consent
        end += assent.end()
        accounts |= {"scope", "scope_age"}
    return end, accounts, reading
