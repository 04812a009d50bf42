"""One mapper per FHIR resource type, each onto the profile's records.

A mapper takes the `ImportContext` of the import and one entry (already parsed with
fhir.resources) and returns profile records. What cannot be mapped is left out and reported
through the context's warnings, naming the resource and the field; impossible data (a date in
the future or before birth, an end before its start) raises `InputError`.

Shared parts: `context` (the import's state and its dates), `concepts` (which coding of a
CodeableConcept the profile keeps, and concept text), `quantities` (UCUM units).
"""
