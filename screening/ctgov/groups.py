"""Items listed under subgroup headings that name groups of participants ('Patients:', 'Healthy controls:', 'For
parent participants:', 'Subjects of the vaccine group should in addition satisfy:'): a definition drafted under one
group is that group's requirement, not every participant's, unless it is drafted under every group of the section
('Age 18-55' for the patients and the controls alike holds for all). The others are left for review, with the group
named (the study's consent is every participant's, whoever gives it). A heading that names a category of criteria ('PATIENT CHARACTERISTICS:') or leads in everyone ('All
participants:', 'Subjects who meet the following criteria ...') is no group. A heading that reads as one arm's or
group's ('For the healthy group:') is, when its section has another group's heading, judged here with them
(`section_groups`, passed to the recognisers as `one_of_groups`), not left for review by itself as one cohort's.

A lone heading of its section that names one group ('Healthy volunteers:') is that group's where the record shows it
enrols others (`_one_of_others`): it names the controls, another heading of the record names another group, it comes
below items of its section under no heading of its own, or the study's title names the other kind of participant
(patients beside a heading of healthy volunteers, or the reverse); none of its definitions is then known to be
everyone's. Otherwise it says who the study enrols ('Healthy volunteers:' in a study of healthy volunteers only), and its
items are everyone's.

A heading that names a subgroup or a sub-study ('Subgroup (Data collection - Patient management):', 'MRI substudy:') is
one group among others by its word: its items are that subgroup's, whatever else the section's headings name.

Two inclusion items of one list that draft bounds of one measure no one meets together ('BMI > 30 kg/m2' and 'BMI <
25 kg/m2', 'Obese: BMI 30-40 kg/m2' and 'Lean: BMI 18-25 kg/m2') are each one group's too, unnamed: both are left
for review (`contradictory_bounds`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from screening.ctgov.criteria import ItemDraft
from screening.ctgov.summary import Outcome
from screening.ctgov.text import Item
from screening.ctgov.thresholds import no_value_meets_both

_PEOPLE = re.compile(r"\b(?:patients?|participants?|subjects?|volunteers?|controls?|adults?|children|child|adolescents?|"
                     r"infants?|neonates?|newborns?|women|men|males?|females?|donors?|recipients?|parents?|caregivers?|"
                     r"partners?|mothers?|fathers?|cases|groups?|cohorts?|arms?)\b", re.IGNORECASE)
_NOT_A_GROUP = re.compile(r"characteristics|\b(?:all|every|both|each|meet|criteria|following|listed|above|below)\b",
                          re.IGNORECASE)


# a lone heading that says something of its people rather than naming them ('Patients must have:', 'Subjects who
# have asthma:'): a lead-in, not a group
_SAYS = re.compile(r"\b(?:must|should|shall|will|would|may|can|are|is|be|have|has|had|need|needs|who|which|that|if|"
                   r"when|eligible)\b", re.IGNORECASE)
# the controls, one group beside the cases by the word; and the two kinds of participant a heading or a title may name:
# the healthy ('Healthy volunteers', 'Subjects with normal renal function') and those with a disease ('Patients', 'Subjects
# with hepatic impairment', '... in Renal Impairment')
_CONTROLS = re.compile(r"\bcontrols?\b", re.IGNORECASE)
_HEALTHY = re.compile(r"\b(?:healthy|controls?|normal\s+(?:subjects|volunteers|individuals|(?:[\w-]+\s+)?function))\b",
                      re.IGNORECASE)
_AFFECTED = re.compile(r"\bpatients?\b|\b(?:subjects?|participants?|people|persons?|individuals?|adults?|children|women|"
                       r"men|volunteers?)\s+with\b|\b(?:with|in)\s+(?:[\w'-]+\s+){0,3}?(?:impairment|insufficiency|"
                       r"disease|disorder|syndrome|failure|cancer|infection|injury|diabetes|asthma|COPD|hypertension)\b",
                       re.IGNORECASE)


def _one_of_others(items: list[Item], kind: str, name: str, named: set[str], title: str) -> bool:
    """The lone heading `name` of section `kind` is one group among others the record enrols (see the module's
    docstring)."""
    if _SAYS.search(name) and not _HEALTHY.search(name):  # ('Healthy volunteers must:' still names a group)
        return False
    if _CONTROLS.search(name) or len(named) > 1:
        return True
    first = next(i for i, item in enumerate(items) if item.kind == kind and item.group == name)
    if any(item.kind == kind and item.group is None for item in items[:first]):
        return True
    if _HEALTHY.search(name):
        return _AFFECTED.search(title) is not None
    return _AFFECTED.search(name) is not None and _HEALTHY.search(title) is not None


_EVERYONE = re.compile(r"\b(?:all|every|both|each)\b", re.IGNORECASE)


def _the_healthy(name: str) -> bool:
    """A heading that names the healthy or the controls alone, whatever it says of them ('Healthy volunteers -
    additional criteria:', 'Healthy controls must meet the following criteria:'): their group; not one naming everyone
    or the patients too ('All participants (patients and healthy controls):')."""
    return _HEALTHY.search(name) is not None and not _EVERYONE.search(name) and not _AFFECTED.search(name)


# a heading that names a subgroup or a sub-study ('Subgroup (Data collection - Patient management):', 'Pharmacokinetic
# subgroup only:', 'MRI substudy:'): some of the participants, whatever else the section's headings name
_SUBGROUP = re.compile(r"\bsub-?(?:groups?|stud(?:y|ies)|populations?|cohorts?|samples?)\b", re.IGNORECASE)


def section_groups(items: list[Item], title: str = "") -> dict[str, set[str]]:
    """Each section's subgroup headings that name groups of participants, where it has two or more, or one that is one
    group among others the record enrols (`_one_of_others`), and each heading that names a subgroup or a sub-study
    (`_SUBGROUP`); `title` is the study's."""
    found: dict[str, set[str]] = {}
    subgroups: dict[str, set[str]] = {}
    for item in items:
        if item.group and _SUBGROUP.search(item.group):
            subgroups.setdefault(item.kind, set()).add(item.group)
        elif item.group and _PEOPLE.search(item.group) and (not _NOT_A_GROUP.search(item.group) or _the_healthy(item.group)):
            found.setdefault(item.kind, set()).add(item.group)
    named = {name.lower() for names in found.values() for name in names}
    groups = {kind: names for kind, names in found.items()
              if len(names) >= 2 or _one_of_others(items, kind, next(iter(names)), named, title)}
    for kind, names in subgroups.items():
        groups[kind] = groups.get(kind, set()) | names
    return groups


def one_group_only(items: list[Item], drafts: list[ItemDraft], groups: dict[str, set[str]]) -> list[ItemDraft]:
    """The drafts with each definition drafted under one group of participants of a section, and not under every
    group of it, left for review (see the module's docstring); `groups` are `section_groups`'s."""
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
        # (under a lone group's heading nothing is known to be everyone's)
        everyone = set.intersection(*(drafted.get((item.kind, name), set()) for name in names)) if len(names) > 1 else set()
        out.append(_for_everyone_only(draft, everyone, str(item.group), len(names) > 1))
    return out


def _consent(when: Any) -> bool:
    """The study's consent: every participant's, whoever gives it (a parent for a child), whatever the group."""
    return "informed_consent_signed" in json.dumps(when)


def _for_everyone_only(draft: ItemDraft, everyone: set[str], group: str, several: bool = True) -> ItemDraft:
    """`draft` with its definitions not in `everyone` turned into its review criterion's reasons; `several`: whether
    the section names other groups (else the record enrols others than the one its heading names)."""
    others = "the other groups do not state it" if several else "the record enrols others too"
    return _left_for_review(
        draft, lambda when: json.dumps(when, sort_keys=True) not in everyone and not _consent(when),
        f"the item is listed under '{group[:60]}', one group of the participants the section names, and {others}: "
        "that group's requirement, not every participant's")


# a bound's number and unit ('30 kg/m2', '18.5 kg/m2'; an age's bare number)
_QUANTITY = re.compile(r"^\s*(?P<n>-?\d+(?:\.\d+)?)\s*(?P<unit>.*?)\s*$")
_INF = float("inf")


def _interval(when: Any) -> tuple[str, tuple[float, bool, float, bool]] | None:
    """An age's or a latest value's bounds as (measure and unit, (low, low strict, high, high strict)), or None."""
    if not isinstance(when, dict) or len(when) != 1:
        return None
    kind, spec = next(iter(when.items()))
    if kind not in ("age", "latest") or not isinstance(spec, dict):
        return None
    lo, lo_strict, hi, hi_strict, units = -_INF, False, _INF, False, set()
    for op, value in spec.items():
        read = _bound(op, value)
        if read is None:
            continue
        if not read[1]:
            return None
        units.add(read[1])
        if op in ("between", "ge", "gt"):
            lo, lo_strict = read[0][0], op == "gt"
        if op in ("between", "le", "lt"):
            hi, hi_strict = read[0][-1], op == "lt"
    if len(units) != 1:
        return None
    return f"{kind} {spec.get('code', '')} {units.pop()}", (lo, lo_strict, hi, hi_strict)


def _bound(op: str, value: Any) -> tuple[list[float], str] | None:
    """A bound's numbers and their one unit ('' for none; '?' for several or a value not read), or None for no bound."""
    if op not in ("between", "ge", "gt", "le", "lt"):
        return None
    parsed = [_QUANTITY.match(str(v)) for v in (value if op == "between" and isinstance(value, list) else [value])]
    units = {m.group("unit") if m else "?" for m in parsed}
    if len(units) != 1 or "?" in units:
        return [], ""
    return [float(m.group("n")) for m in parsed if m], units.pop() or "-"


def _apart(a: tuple[float, bool, float, bool], b: tuple[float, bool, float, bool]) -> bool:
    """No value is within both bounds: one's upper bound below the other's lower bound."""
    return no_value_meets_both(b[0], b[1], a[2], a[3]) or no_value_meets_both(a[0], a[1], b[2], b[3])


def contradictory_bounds(items: list[Item], drafts: list[ItemDraft]) -> list[ItemDraft]:
    """The drafts with the bounds of a measure that two inclusion items of one list (same parent and subgroup) draft,
    and no one meets together, left for review in both (see the module's docstring)."""
    found: dict[tuple[str | None, str | None, str], list[tuple[int, Any, tuple[float, bool, float, bool]]]] = {}
    for n, (item, draft) in enumerate(zip(items, drafts, strict=True)):
        if item.kind != "inclusion":
            continue
        for c in draft.criteria:
            measured = _interval(c.get("when"))
            if measured is not None:
                found.setdefault((item.parent, item.group, measured[0]), []).append((n, c["when"], measured[1]))
    leave: dict[int, list[Any]] = {}
    for listed in found.values():
        for i, (n, when, bounds) in enumerate(listed):
            for k, other, other_bounds in listed[i + 1:]:
                if k != n and _apart(bounds, other_bounds):
                    leave.setdefault(n, []).append(when)
                    leave.setdefault(k, []).append(other)
    if not leave:
        return drafts
    why = ("another inclusion item of its list states a bound of the same measure that no one meets together with this "
           "one: each is one group's requirement (or an alternative), not every participant's")
    return [draft if n not in leave else _left_for_review(draft, leave[n].__contains__, why)
            for n, draft in enumerate(drafts)]


def _left_for_review(draft: ItemDraft, leave: Callable[[Any], bool], why: str) -> ItemDraft:
    """`draft` with the definitions `leave` holds turned into its review criterion's reasons, with `why`."""
    kept: list[dict[str, Any]] = []
    left: list[str] = []
    for c in draft.criteria:
        if "when" in c and leave(c["when"]):
            left.append(str(c.get("reading", c["id"])).split(";")[0])
        else:
            kept.append(c)
    if not left:
        return draft
    why = f"recognised {'; '.join(left)}, but {why}"
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
