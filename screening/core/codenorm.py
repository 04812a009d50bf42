"""The written form of codes, shared by the patient import and the value sets, so that a code
and the value set listing it are spelled alike.

ICD-10 (WHO) and ICD-10-CM codes are written with a dot after their three-character category
(`C18.8`, `S72.001A`); some sources send them without it (`C188`). Both are read as the dotted
form. Nothing else is changed: a string that is not shaped like an ICD-10 code is returned as
given (stripped), and codes of other systems keep their spelling (ICD-10-PCS codes, seven
characters without a dot, are not ICD-10 codes).
"""

from __future__ import annotations

import re

ICD10_SYSTEMS = frozenset({"icd10", "icd10cm"})

_DOTTED = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?")
_UNDOTTED = re.compile(r"([A-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})")


def icd10_code(code: str) -> str:
    """An ICD-10 or ICD-10-CM code in its written form: upper case, with a dot after the
    category: `C188` -> `C18.8`, `c18.8` -> `C18.8`, `C18` -> `C18`. A trailing `*` (a value
    set's prefix pattern) is kept: `C188*` -> `C18.8*`. Anything else is returned stripped."""
    s = code.strip()
    star = "*" if s.endswith("*") else ""
    stem = s[:-1] if star else s
    u = stem.upper()
    if _DOTTED.fullmatch(u):
        return u + star
    m = _UNDOTTED.fullmatch(u)
    if m:
        return f"{m[1]}.{m[2]}{star}"
    return s


def normalise_code(system: str, code: str) -> str:
    """`code` of the code system `system` (a profile code-system name: `icd10`, `loinc`, ...)
    in its written form: ICD-10 and ICD-10-CM codes as `icd10_code`; other codes stripped."""
    if system in ICD10_SYSTEMS:
        return icd10_code(code)
    return code.strip()
