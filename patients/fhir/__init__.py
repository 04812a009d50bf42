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

The modules:

* `text`: detection and parsing; `bundle`: the input's entries, parsed with fhir.resources, and
  its references; `owner`: whose record the input is; `import_warnings`: what was left out.
* `importer`: the import, which hands each record to its mapper in `resources` (one module per
  resource type, over a shared `resources.context.ImportContext`).
* `export`: the export.
* `codes`: standard terminology both ways (code-system URIs, routes, coded results, UCUM units);
  `namespace`: the project's own extensions and code systems; `dates`: FHIR dates and durations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screening.core.lazy import lazy_exports

if TYPE_CHECKING:
    from patients.fhir.export import profile_to_fhir, write_fhir_cohort
    from patients.fhir.importer import profile_from_fhir_json, profile_from_fhir_text
    from patients.fhir.text import is_fhir_json, parse_fhir_text, parse_ndjson

# Loaded on first use: reading a native profile asks only `is_fhir_json`, and never pays for the
# fhir.resources models the import and the export are built on.
_EXPORTS = {
    "profile_to_fhir": "patients.fhir.export", "write_fhir_cohort": "patients.fhir.export",
    "profile_from_fhir_json": "patients.fhir.importer", "profile_from_fhir_text": "patients.fhir.importer",
    "is_fhir_json": "patients.fhir.text", "parse_fhir_text": "patients.fhir.text", "parse_ndjson": "patients.fhir.text",
}

__all__ = ["is_fhir_json", "parse_fhir_text", "parse_ndjson", "profile_from_fhir_json", "profile_from_fhir_text",
           "profile_to_fhir", "write_fhir_cohort"]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
