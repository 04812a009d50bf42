"""Draft a rule set from a ClinicalTrials.gov study record, in steps:

1. read the record (`record.load_record`: API v2 JSON, classic API JSON or classic XML);
2. the structured fields become trial info and exact criteria (`structured`);
3. the free text is split into items (`text.split_criteria`);
4. each item is recognised (`recognisers`) and drafted as criteria (`criteria.draft_item`), and the
   definitions of one group of participants that not every group of its section states, and bounds of one measure
   two inclusion items state that no one meets together, are left for review (`groups.one_group_only`,
   `groups.contradictory_bounds`);
5. the draft is written as YAML (`yaml_writer`) that the loader and lint accept as is, and
   summarised (`summary`).

Every item of the record appears in the draft: a drafted definition (`draft: true`, with `span`
and `confidence`) and, when part of the item was not recognised, a `review` criterion with the
same verbatim text.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening.ctgov.criteria import (
    RecordFacts,
    alternative_items,
    draft_item,
    kept_treatment,
    set_apart_items,
)
from screening.ctgov.groups import contradictory_bounds, one_group_only, section_groups
from screening.ctgov.recognisers.sex import enrolled_sex
from screening.ctgov.record import RecordError, Study, load_record, read_study
from screening.ctgov.structured import registry_age_range, structured_criteria, trial_info
from screening.ctgov.summary import Summary
from screening.ctgov.text import split_criteria
from screening.ctgov.value_sets import LOCAL_VALUE_SETS
from screening.ctgov.yaml_writer import dump_ruleset

SCHEMA = "trial-screening/v1"


@dataclass
class Draft:
    """A drafted trial: its info, criteria and the trial-local value sets they refer to."""

    document: str  # the record's file name, as the criteria's source cites it
    trial: dict[str, Any]
    criteria: list[dict[str, Any]]
    value_sets: list[str]  # sorted names from LOCAL_VALUE_SETS
    summary: Summary

    def ruleset(self, library_value_sets: Collection[str] = frozenset()) -> dict[str, Any]:
        """The rule set as plain data. `library_value_sets`: names the rules library already
        defines; those are referred to, not written into the trial."""
        data: dict[str, Any] = {"schema": SCHEMA, "trial": self.trial}
        local = {n: dict(LOCAL_VALUE_SETS[n]) for n in self.value_sets if n not in library_value_sets}
        if local:
            data["value_sets"] = local
        data["criteria"] = self.criteria
        return data

    def yaml(self, library_value_sets: Collection[str] = frozenset()) -> str:
        """The rule set as YAML, under a comment that says it is a draft and how to review it."""
        header = (f"# Draft rule set for {self.summary.trial_id}, from the ClinicalTrials.gov record "
                  f"{self.document} ({self.summary.layout}).\n"
                  "# Criteria with `draft: true` were read from free text by recognisers (see `span`, `confidence`,\n"
                  "# `reading`); criteria with `review:` were not recognised. Check every criterion against the record.\n")
        return dump_ruleset(self.ruleset(library_value_sets), header)


def draft_study(record: dict[str, Any] | Study, document: str) -> Draft:
    """Draft the trial of a record (a parsed JSON record, or a `Study` already read);
    `document` is the file name criteria cite. Raises `RecordError` for a record that is not usable."""
    study = record if isinstance(record, Study) else read_study(record)
    summary = Summary(study.nct_id, layout=study.layout, notes=list(study.notes))
    trial = trial_info(study, document)
    criteria = structured_criteria(study, document, summary.notes)
    summary.structured = [c["id"].removeprefix("registry_") for c in criteria]
    ids = {c["id"] for c in criteria}
    used: set[str] = set()
    items = split_criteria(study.eligibility_text).items
    alternatives, kept, apart = alternative_items(items), kept_treatment(items), set_apart_items(items)
    groups = section_groups(items, study.title)
    facts = RecordFacts(registry_age_range(study), enrolled_sex(
        study.sex, study.title, [i.text for i in items if i.kind == "inclusion" and not i.group and not i.ancestors]))
    drafts = contradictory_bounds(items, one_group_only(items, [
        draft_item(item, document, ids, facts, n in alternatives, kept, apart.get(n), item.group in groups.get(item.kind, ()))
        for n, item in enumerate(items)], groups))
    for item, drafted in zip(items, drafts, strict=True):
        summary.count_item(item.kind, drafted.outcome, drafted.definitions)
        used.update(drafted.value_sets)
        criteria += drafted.criteria
    if not criteria:
        raise RecordError("the record has no eligibility criteria and no structured age or sex")
    summary.criteria = len(criteria)
    return Draft(document, trial, criteria, sorted(n for n in used if n in LOCAL_VALUE_SETS), summary)


def draft_record_file(path: Path) -> Draft:
    """Read the record at `path` and draft its trial. Raises `RecordError`."""
    return draft_study(load_record(path), path.name)
