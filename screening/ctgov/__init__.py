"""Drafting a rule set from a ClinicalTrials.gov API v2 study record (`screening import ctgov`).

The pipeline, one module a step (`draft` runs it):

* `record`: read the record file and the modules of its protocolSection;
* `structured`: trial info, and exact criteria from minimumAge/maximumAge and sex;
* `text`: split the free-text eligibility criteria into inclusion and exclusion items;
* `recognisers`: draft definitions from an item's text, one module a domain, over the shared
  readers `thresholds` (numbers, units, comparisons) and `windows` (time windows), with the value
  sets of `value_sets`;
* `criteria`: an item's criteria: its drafted definitions and a review criterion for the rest;
* `yaml_writer` and `summary`: the YAML the loader and lint accept, and what was drafted.
"""
