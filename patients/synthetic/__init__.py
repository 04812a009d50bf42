"""Synthetic patient cohorts for batch screening: seeded, reproducible, streamed.

A cohort spec (`patients/cohort_spec.yaml` holds the documented defaults) gives the mix of
patient archetypes, their age and sex distributions, data-quality rates (missing and stale
values) and the rates of exclusion-triggering findings. `generate(spec, n, seed)` yields plain
JSON-ready dicts that validate against `PatientProfile`; the same seed and spec always give the
same patients in the same order (every date is relative to the spec's `as_of`), and patient
`k` does not depend on how many patients are asked for. `write_cohort` writes them as JSON Lines
or Parquet, each patient dated with the spec's `as_of` (the date batch screening uses for it).

The modules: `spec` (the cohort spec and its file), `cohort` (generation), `draft` (one patient
under construction and the helpers that add its records), `archetypes` and
`systemic_sclerosis` (each archetype's records), `findings` (the findings common to all),
`codes` (the codes drawn from), `cohort_file` (writing).
"""

from patients.synthetic.cohort import generate
from patients.synthetic.cohort_file import dumps, write_cohort
from patients.synthetic.spec import ARCHETYPES, DEFAULT_SPEC_PATH, CohortSpec, load_spec

__all__ = ["ARCHETYPES", "DEFAULT_SPEC_PATH", "CohortSpec", "dumps", "generate", "load_spec", "write_cohort"]
