"""Small rule sets and cases the toolkit's tests share, written into a rules folder that
holds a copy of the concept library (the `rules_root` fixture).

* `DEMO_TRIAL`: six criteria of every kind of reachability (ages, a lab, a flag, diagnoses,
  review), with `DEMO_CASES` (three cases) on the base patient of `DEMO_CASES_HEAD`;
* `THRESHOLDS_TRIAL`: two age limits and a lab threshold with a window, with `WEAK_CASES`
  (which pin none of them down) and `STRONG_CASES` (which pin every one down).
"""

from __future__ import annotations

import textwrap
from pathlib import Path


def _trial(title: str, criteria: str) -> str:
    return f"""\
schema: trial-screening/v1
trial:
  id: DEMO-1
  title: {title}
  sources:
    - {{document: protocol.pdf}}
criteria:
{criteria}"""


AGE_AND_CREATININE = """\
  - id: adult
    kind: inclusion
    text: Aged 18 to 75 years.
    source: {document: protocol.pdf, section: Inclusion, item: 1}
    when:
      age: {between: [18, 75]}
  - id: creatinine_ok
    kind: inclusion
    text: Serum creatinine below 1.5 mg/dL within the last 30 days.
    source: {document: protocol.pdf, section: Inclusion, item: 2}
    when:
      latest: {code: creatinine, within: 30 days, lt: 1.5 mg/dL}
"""

DEMO_TRIAL = _trial("A small demonstration trial", AGE_AND_CREATININE + """\
  - id: pregnant
    kind: exclusion
    text: Pregnancy.
    source: {document: protocol.pdf, section: Exclusion, item: 1}
    missing: assume_absent
    when:
      fact: {name: pregnant}
  - id: hiv
    kind: exclusion
    text: HIV infection.
    source: {document: protocol.pdf, section: Exclusion, item: 2}
    missing: assume_absent
    when:
      # inline codes (no concept names) and every verification status: never partly matching
      condition: {code: [icd10:B20, icd10cm:B20], verified: false}
  - id: active_hepatitis_b
    kind: exclusion
    text: Active hepatitis B.
    source: {document: protocol.pdf, section: Exclusion, item: 3}
    missing: assume_absent
    when:
      condition: {code: hepatitis_b, active: true}
  - id: able_to_comply
    kind: inclusion
    text: Able to comply with the protocol.
    source: {document: protocol.pdf, section: Inclusion, item: 4}
    review: The investigator's judgement.
""")

DEMO_CASES_HEAD = """\
trial: DEMO-1
as_of: 2026-11-22
patients:
  adult:
    id: demo-1
    birth_date: 1980-05-01
    sex: female
    observations:
      - {code: {system: loinc, code: 2160-0}, date: 2026-11-01, value: 1.1, unit: mg/dL}
cases:
"""

DEMO_CASES = DEMO_CASES_HEAD + """\
  - name: eligible adult
    patient: adult
    expect:
      verdict: undetermined
      criteria: {adult: pass, creatinine_ok: pass, pregnant: pass, hiv: pass, able_to_comply: review}
  - name: no birth date
    patient: adult
    merge: {birth_date: null}
    expect:
      criteria: {adult: unknown}
  - name: pregnant
    patient: adult
    merge: {administrative: {pregnant: true}}
    expect:
      verdict: ineligible
      criteria: {pregnant: fail}
"""


def write_demo(root: Path, cases: str = DEMO_CASES, trial: str = DEMO_TRIAL, folder: str = "DEMO-1") -> Path:
    """rules folder `root` (holding a library) + <folder>/trial.yaml and cases.yaml; returns the cases file."""
    d = root / folder
    d.mkdir(parents=True, exist_ok=True)
    (d / "trial.yaml").write_text(trial, encoding="utf-8")
    path = d / "cases.yaml"
    path.write_text(textwrap.dedent(cases), encoding="utf-8")
    return path


THRESHOLDS_TRIAL = _trial("Two thresholds and a window", AGE_AND_CREATININE)

WEAK_CASES = DEMO_CASES_HEAD + """\
  - name: eligible adult
    patient: adult
    expect: {verdict: eligible}
  - name: a child
    patient: adult
    merge: {birth_date: 2015-01-01}
    expect: {criteria: {adult: fail}}
  - name: very high creatinine
    patient: adult
    merge: {observations: [{code: {system: loinc, code: 2160-0}, date: 2026-11-01, value: 3.0, unit: mg/dL}]}
    expect: {criteria: {creatinine_ok: fail}}
"""


def _creatinine(name: str, value: float, day: str, status: str) -> str:
    return f"""\
  - name: {name}
    patient: adult
    merge: {{observations: [{{code: {{system: loinc, code: 14682-9}}, date: {day}, value: {value}, unit: umol/L}}]}}
    expect: {{criteria: {{creatinine_ok: {status}}}}}
"""


def _born(name: str, birth: str, status: str) -> str:
    return f"""\
  - name: {name}
    patient: adult
    merge: {{birth_date: {birth}}}
    expect: {{criteria: {{adult: {status}}}}}
"""


# 1.5 mg/dL = 132.602546 umol/L; the window of 30 days before 2026-11-22 starts on 2026-10-23
STRONG_CASES = DEMO_CASES_HEAD + "".join([
    _born("17 (18 tomorrow)", "2008-11-23", "fail"),
    _born("18 today", "2008-11-22", "pass"),
    _born("75 (76 tomorrow)", "1950-11-23", "pass"),
    _born("76 today", "1950-11-22", "fail"),
    _creatinine("just below the limit", 132.602, "2026-11-01", "pass"),
    _creatinine("on the limit", 132.602546, "2026-11-01", "fail"),
    _creatinine("first day of the window", 100, "2026-10-23", "pass"),
    _creatinine("the day before the window", 100, "2026-10-22", "unknown"),
])
