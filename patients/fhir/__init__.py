"""FHIR R4 for the patient profile: detection, import and export.

* Detection and parsing: `is_fhir_json(data)` tells parsed FHIR (a resource or a list of
  resources) from a native profile; `parse_fhir_text(text)` reads a Bundle or NDJSON text and
  `parse_ndjson(text)` NDJSON alone.
* Import: `profile_from_fhir_json(data)` (a parsed Bundle or list of resources) and
  `profile_from_fhir_text(text)` give `(PatientProfile, warnings)`; what cannot be mapped is a
  warning naming the resource and the field, malformed input raises
  `screening.core.diagnostics.InputError`.
* Export: `profile_to_fhir(profile)` gives one `collection` Bundle that the import reads back;
  `write_fhir_cohort(path, patients)` writes a cohort as Bundle files or NDJSON.

The modules: `bundle` (the input's entries and references), `codes` (terminology), `importer`
(the import), `export` (the export).
"""

from patients.fhir.export import profile_to_fhir, write_fhir_cohort
from patients.fhir.importer import (
    is_fhir_json,
    parse_fhir_text,
    parse_ndjson,
    profile_from_fhir_json,
    profile_from_fhir_text,
)

__all__ = ["is_fhir_json", "parse_fhir_text", "parse_ndjson", "profile_from_fhir_json", "profile_from_fhir_text",
           "profile_to_fhir", "write_fhir_cohort"]
