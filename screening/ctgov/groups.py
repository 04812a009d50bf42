"""Items listed under subgroup headings that name groups of participants ('Patients:', 'Healthy controls:', 'For
parent participants:', 'Subjects of the vaccine group should in addition satisfy:'): a definition drafted under one
group is that group's requirement, not every participant's, unless it is drafted under every group of the section
('Age 18-55' for the patients and the controls alike holds for all). The others are left for review, with the group
named (the study's consent is every participant's, whoever gives it). A heading that names a category of criteria ('PATIENT CHARACTERISTICS:') or leads in everyone ('All
participants:', 'Subjects who meet the following criteria ...') is no group. A heading that reads as one arm's or
group's ('For the healthy group:') is, when its section has another group's heading, judged here with them
(`section_groups`, passed to the recognisers as `one_of_groups`), not left for review by itself as one cohort's."""

from __future__ import annotations

import json
import re
from typing import Any

from screening.ctgov.criteria import ItemDraft
from screening.ctgov.summary import Outcome
from screening.ctgov.text import Item

_PEOPLE = re.compile(r"\b(?:patients?|participants?|subjects?|volunteers?|controls?|adults?|children|child|adolescents?|"
                     r"infants?|neonates?|newborns?|women|men|males?|females?|donors?|recipients?|parents?|caregivers?|"
                     r"partners?|mothers?|fathers?|cases|groups?|cohorts?|arms?)\b", re.IGNORECASE)
_NOT_A_GROUP = re.compile(r"characteristics|\b(?:all|every|both|each|meet|criteria|following|listed|above|below)\b",
                          re.IGNORECASE)


def section_groups(items: list[Item]) -> dict[str, set[str]]:
    """Each section's subgroup headings that name groups of participants, where it has two or more."""
    found: dict[str, set[str]] = {}
    for item in items:
        if item.group and _PEOPLE.search(item.group) and not _NOT_A_GROUP.search(item.group):
            found.setdefault(item.kind, set()).add(item.group)
    return {kind: names for kind, names in found.items() if len(names) >= 2}


def one_group_only(items: list[Item], drafts: list[ItemDraft]) -> list[ItemDraft]:
    """The drafts with each definition drafted under one group of participants of a section, and not under every
    group of it, left for review (see the module's docstring)."""
    groups = section_groups(items)
    if not groups:
        return drafts
    drafted: dict[tuple[str, str], set[str]] = {}
    for item, draft in zip(items, drafts, strict=True):
        if item.group in groups.get(item.kind, ()):
            drafted.setdefault((item.kind, str(item.group)), set()).update(
                json.dumps(c["when"], sort_keys=True) for c in draft.criteria if "when" in c)
    out = []
    for item, draft in zip(items, drafts, strict=True):
        names = groups.get(item.kind, set())
        if item.group not in names:
            out.append(draft)
            continue
        everyone = set.intersection(*(drafted.get((item.kind, name), set()) for name in names))
        out.append(_for_everyone_only(draft, everyone, str(item.group)))
    return out


def _consent(when: Any) -> bool:
    """The study's consent: every participant's, whoever gives it (a parent for a child), whatever the group."""
    return "informed_consent_signed" in json.dumps(when)


def _for_everyone_only(draft: ItemDraft, everyone: set[str], group: str) -> ItemDraft:
    """`draft` with its definitions not in `everyone` turned into its review criterion's reasons."""
    kept: list[dict[str, Any]] = []
    left: list[str] = []
    for c in draft.criteria:
        if "when" in c and json.dumps(c["when"], sort_keys=True) not in everyone and not _consent(c["when"]):
            left.append(str(c.get("reading", c["id"])).split(";")[0])
        else:
            kept.append(c)
    if not left:
        return draft
    why = (f"recognised {'; '.join(left)}, but the item is listed under '{group[:60]}', one group of the participants "
           "the section names, and the other groups do not state it: that group's requirement, not every participant's")
    review = next((c for c in kept if "review" in c), None)
    if review is not None:
        review["review"] = f"{review['review']}; {why}"
    else:
        base = next(c for c in draft.criteria if "when" in c)
        kept.append({"id": base["id"], "kind": base["kind"], "text": base["text"], "source": dict(base["source"]),
                     "review": f"not computable as drafted: {why}"})
    definitions = sum(1 for c in kept if "when" in c)
    outcome = Outcome.PARTLY if definitions else Outcome.REVIEW
    drafted = " ".join(json.dumps(c["when"]) for c in kept if "when" in c)  # the value sets the kept definitions name
    value_sets = [vs for vs in draft.value_sets if vs in drafted]
    return ItemDraft(kept, outcome, definitions, value_sets)
