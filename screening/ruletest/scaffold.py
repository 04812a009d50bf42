"""`screening new TRIAL_ID`: a starter rule set and cases that lint clean and pass, to edit.

The starter shows the three kinds of criterion an author writes first: a computable inclusion
(an age range), an exclusion on recorded facts with `missing: assume_absent`, and a criterion
left for review with its reason. Its cases show a base patient, `merge` patches, a `null` that
makes a datum unrecorded, the verdicts the criteria give, and the age limits probed on both
sides (every outcome covered, every mutant of the limits caught).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

TRIAL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # the `trial.id` of the rule-set format

TRIAL_TEMPLATE = """\
# Rule set of {trial_id}: replace the example criteria with the trial's own (docs/rule-sets.md).
# Every criterion keeps the registry's verbatim text; `screening lint {folder}` checks this file.
schema: trial-screening/v1
trial:
  id: {trial_id}                  # must equal the folder name
  title: {title}
  registry_ids: [{trial_id}]
  sources:
    - {{document: protocol, note: where the criteria text was taken from}}
criteria:
  - id: adult_18_to_75
    kind: inclusion
    text: "Aged 18 to 75 years."
    source: {{document: protocol, section: Inclusion criteria, item: 1}}
    when:
      age: {{between: [18, 75]}}

  - id: pregnant_or_breast_feeding
    kind: exclusion
    text: "Pregnant or breast-feeding women."
    source: {{document: protocol, section: Exclusion criteria, item: 1}}
    missing: assume_absent        # not recorded is read as not pregnant (stated in the result)
    when:
      any:
        - fact: {{name: pregnant}}
        - fact: {{name: lactating}}

  - id: investigator_judgement
    kind: exclusion
    text: "Any condition that, in the opinion of the investigator, makes participation unsafe."
    source: {{document: protocol, section: Exclusion criteria, item: 2}}
    review: Open-ended; the investigator decides.
"""

CASES_TEMPLATE = """\
# Cases of {trial_id} (docs/cases.md): run them with `screening test {folder}`.
trial: {trial_id}
as_of: {as_of}
patients:
  adult:
    id: {trial_id}-case-1
    birth_date: {adult_born}
    sex: female
cases:
  - name: adult, not pregnant
    patient: adult
    expect:
      verdict: undetermined       # the review criterion is for the investigator
      criteria: {{adult_18_to_75: pass, pregnant_or_breast_feeding: pass, investigator_judgement: review}}

  - name: aged 17, 18 the day after screening
    patient: adult
    merge: {{birth_date: {minor_born}}}
    expect:
      verdict: ineligible
      criteria: {{adult_18_to_75: fail}}

  - name: 18 on the screening date
    patient: adult
    merge: {{birth_date: {born_18}}}
    expect:
      criteria: {{adult_18_to_75: pass}}

  - name: 75, 76 the day after screening
    patient: adult
    merge: {{birth_date: {born_75}}}
    expect:
      criteria: {{adult_18_to_75: pass}}

  - name: 76 on the screening date
    patient: adult
    merge: {{birth_date: {born_76}}}
    expect:
      verdict: ineligible
      criteria: {{adult_18_to_75: fail}}

  - name: birth date not recorded
    patient: adult
    merge: {{birth_date: null}}     # null deletes a field: the datum is unrecorded
    expect:
      criteria: {{adult_18_to_75: unknown}}

  - name: breast-feeding
    patient: adult
    merge: {{administrative: {{lactating: true}}}}
    expect:
      verdict: ineligible
      criteria: {{pregnant_or_breast_feeding: fail}}
"""


class ScaffoldError(ValueError):
    """The trial id is not one, or its folder exists already."""


@dataclass(frozen=True)
class Scaffold:
    folder: Path
    trial: Path
    cases: Path


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def scaffold(rules: Path, trial_id: str, title: str | None, as_of: dt.date) -> Scaffold:
    """Write `rules/<trial_id>/trial.yaml` and `cases.yaml`; never over an existing folder."""
    if not TRIAL_ID_RE.match(trial_id):
        raise ScaffoldError(f"{trial_id!r} is not a trial id: letters, digits, '.', '_' and '-', "
                            "starting with a letter or digit (e.g. NCT01234567)")
    folder = rules / trial_id
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already: choose another trial id or edit it")
    folder.mkdir(parents=True)
    fields = {"trial_id": trial_id, "folder": " ".join(str(folder).split()), "as_of": as_of.isoformat(),
              "adult_born": _years_before(as_of, 40).isoformat(),
              "minor_born": (_years_before(as_of, 18) + dt.timedelta(days=1)).isoformat(),
              "born_18": _years_before(as_of, 18).isoformat(),
              "born_75": (_years_before(as_of, 76) + dt.timedelta(days=1)).isoformat(),
              "born_76": _years_before(as_of, 76).isoformat(),
              "title": _yaml_text(title or f"Trial {trial_id} (replace with the registry title)")}
    out = Scaffold(folder, folder / "trial.yaml", folder / "cases.yaml")
    out.trial.write_text(TRIAL_TEMPLATE.format(**fields), encoding="utf-8")
    out.cases.write_text(CASES_TEMPLATE.format(**fields), encoding="utf-8")
    return out


def _yaml_text(text: str) -> str:
    """A one-line YAML string, quoted (a title may hold ': ' or '#')."""
    one_line = " ".join(text.split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'
