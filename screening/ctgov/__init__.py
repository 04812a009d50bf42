"""Drafting a rule set from a ClinicalTrials.gov study record (`screening import ctgov`).

The pipeline, one module a step (`draft` runs it):

* `record`: read the record (API v2 JSON, classic API JSON or classic XML) into a `Study`, leaving
  out fields of an unexpected type with a note;
* `structured`: trial info, and exact criteria from the minimum and maximum age and the sex;
* `text`: split the free-text eligibility criteria into inclusion and exclusion items, in the API v2
  and the legacy text layouts;
* `recognisers`: draft definitions from an item's text, one module a domain, over the shared
  readers `thresholds` (numbers, units, comparisons, ranges, ULN multiples) and `windows` (time
  windows), with the value sets of `value_sets`; `recognisers.qualifiers` decides whether a
  definition accounts for its whole item;
* `criteria`: an item's criteria: its drafted definitions and a review criterion for the rest;
* `yaml_writer` and `summary`: the YAML the loader and lint accept, and what was drafted;
* `needs` and `cases`: a starter cases.yaml built from the drafted definitions;
* `output`: writing the draft and its cases into a rules folder that has a library.
"""
