"""The phrases that turn an exclusion into an allowance, in one place: 'Patients with ... are
eligible', '... may still participate', '(inhaled and topical corticosteroids are permitted)',
'transfusion is allowed', 'with or without growth factors'.

Each recogniser asks its own question of them, so there are six patterns, built from the same
words:

* `ADMITTED`: a sentence that lets patients in ('are eligible', 'is allowed', 'may be enrolled');
* `ADMITTED_OR_TAKING_PART`: the same, and 'remain eligible', 'are considered eligible', 'may still
  participate': whether a definition is a requirement at all (`qualifiers`); the malignancy
  recogniser reads the exceptions of a malignancy item in a later sentence with it ('Patients with
  treated skin cancer may participate');
* `ALSO_ADMITTED`: 'are also eligible', 'may also be enrolled': in an inclusion, a subgroup let in beside the
  others, whatever the definition (`qualifiers`);
* `NOT_EXCLUDED`: a sentence that says a condition or event does not exclude ('is not exclusionary',
  'does not preclude participation', 'HIV infection not excluded') or lets a past event be ('may have
  received'), and `BARE_LET_IN`, a bare word right after what it lets in, ending the sentence ('...:
  allowed'): a permission, not a requirement (`qualifiers`);
* `ELLIPTICAL_PERMISSION`: a sentence that ends with the allowing word, its verb left out ('Allo
  transplants over 5 years ago allowed.'): read as `ADMITTED_OR_TAKING_PART` is, for another sentence's
  exception (`qualifiers`);
* `PERMITTED_WORD`: a word that allows or excepts what it is next to ('(... are permitted)',
  '(seasonal influenza vaccine excepted)'): a treatment named in such a parenthesis is not the
  event (`events`);
* `SUPPORT_PERMITTED`: a lab value that may be got with support ('may be transfused', 'with or
  without', 'regardless', 'after transfusion'; not 'not allowed'), read by `lab_context`.
"""

from __future__ import annotations

import re

# the words that allow
ALLOW = r"allowed|permitted|acceptable"  # (`lead_ins` reads them too)
# what a patient may be: let in, counted in
_ADMIT = rf"eligible|{ALLOW}|included|enrolled|accrued"
_BE = r"are|is|will\s+be|may\s+be|can\s+be"

ADMITTED = re.compile(rf"\b(?:{_BE})\s+(?:still\s+)?(?:{_ADMIT})\b", re.IGNORECASE)
ADMITTED_OR_TAKING_PART = re.compile(rf"\b(?:{_BE}|remain)\s+(?:still\s+)?(?:considered\s+)?(?:{_ADMIT}|considered)\b|"
                                     r"\b(?:may|can)\s+(?:still\s+)?(?:participate|enrol+|enter|join|take\s+part)\b",
                                     re.IGNORECASE)
# 'also' before the word that lets patients in, in an inclusion: those it names are let in beside the others ('Patients
# aged 16-17 years are also eligible', 'Patients with creatinine clearance of 30-50 mL/min may also be enrolled'), so
# nothing it names is asked of everyone (`qualifiers`); not a further requirement of the same people ('must also be
# eligible for surgery')
ALSO_ADMITTED = re.compile(rf"(?<!\bmust\s)(?<!\bshould\s)(?<!\bshall\s)(?<!\bto\s)\balso\s+(?:be\s+)?(?:considered\s+)?"
                           rf"(?:{_ADMIT}|accepted|participate|enrol+|enter|join|take\s+part)\b", re.IGNORECASE)
# what says a condition or event does not exclude ('A history of cancer is not exclusionary', 'are not excluded',
# 'will not be excluded', 'does not preclude enrolment', 'is not a contraindication', 'HIV infection not excluded') or lets a past event be
# ('Patients may have received chemotherapy'): a permission, not a requirement (`qualifiers`)
NOT_EXCLUDED = re.compile(r"\b(?:(?:is|are|will\s+be|remain|(?:will|shall|would)(?=\s+not\s+be\b))\s+not\s+"
                          r"(?:(?:be|considered|regarded|deemed)\s+)?(?:an?\s+)?"
                          r"(?:exclusion(?:ary)?|excluded|contraindicat\w*|reasons?\s+for\s+"
                          r"exclusion|exclusion\s+criteri(?:on|a))|not\s+exclusionary|non-?exclusionary|"
                          # without its verb: 'HIV infection not excluded' (not 'cannot be excluded': a suspicion)
                          r"(?<!\bbe\s)not\s+excluded|(?:does|do|will)\s+not\s+(?:exclude|"
                          r"preclude|disqualify|prevent\s+(?:participation|enrol\w*|inclusion))|may\s+have\s+(?:received|had|"
                          r"undergone|taken|been\s+treated))\b", re.IGNORECASE)
# ... or a bare word that lets in what it follows right after it, ending its sentence ('Previous organ transplant:
# allowed', 'Prior malignancy permitted'; not another thing's: 'Systemic steroids within 14 days, topical steroids
# allowed')
BARE_LET_IN = re.compile(rf"\s*:?\s*(?:(?:is|are)\s+)?(?:{ALLOW})\s*\.?\s*$", re.IGNORECASE)
# a permission written without its verb, ending its sentence: 'Allo transplants over 5 years ago allowed.',
# 'Prior palliative radiotherapy permitted.'
# ('... not permitted.' forbids)
ELLIPTICAL_PERMISSION = re.compile(rf"(?<!\bnot\s)(?<!\bnever\s)\b(?:{ALLOW})\s*[.)]?\s*$", re.IGNORECASE)
PERMITTED_WORD = re.compile(r"\b(?:permitted|allowed|acceptable|excepted)\b", re.IGNORECASE)
SUPPORT_PERMITTED = re.compile(rf"\bmay\s+be\s+(?:transfused|achieved|reached|attained|met)\b|(?<!not )(?<!n't )"
                               rf"\b(?:{ALLOW})\b|\bwith\s+or\s+without\b|\bregardless\b|\bafter\s+transfusion\b",
                               re.IGNORECASE)
