"""Draft a rule set from a ClinicalTrials.gov API v2 study record.

`draft_ruleset(record, document)` returns the trial file as plain data plus a summary;
`write_ruleset` writes it as YAML that the loader and lint accept as is. Structured fields
(minimumAge, maximumAge, sex, healthyVolunteers) become exact criteria or trial info; the
free-text items are split by `text` and drafted by `recognisers`. Every item of the
record appears in the draft: a drafted definition (`draft: true`, with `span` and
`confidence`) and, when part of the item was not recognised, a `review` criterion with the
same verbatim text.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.ctgov.recognisers import Finding, ItemText, recognise, residual
from screening.ctgov.text import Item, split_criteria
from screening.ctgov.thresholds import comparisons
from screening.ctgov.value_sets import LOCAL_VALUE_SETS
from screening.ctgov.windows import windows

SECTION = {"inclusion": "Inclusion Criteria", "exclusion": "Exclusion Criteria"}
PREFIX = {"inclusion": "inc", "exclusion": "exc"}
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|hours?|minutes?)\s*$", re.IGNORECASE)
_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 365.25 / 7, "day": 365.25, "hour": 365.25 * 24,
             "minute": 365.25 * 24 * 60}
MAX_RESIDUAL_WORDS = 1  # content words an item may keep outside its drafted spans and still count as drafted


class RecordError(ValueError):
    """The file is not a usable API v2 study record."""


@dataclass
class Summary:
    trial_id: str
    items: dict[str, int] = field(default_factory=lambda: {"inclusion": 0, "exclusion": 0})
    drafted_items: int = 0
    partly_drafted_items: int = 0
    review_items: int = 0
    criteria: int = 0
    drafted_criteria: int = 0
    review_criteria: int = 0
    structured: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        n = sum(self.items.values())
        return [
            f"{self.trial_id}: {n} items found ({self.items['inclusion']} inclusion, {self.items['exclusion']} exclusion)",
            f"  drafted: {self.drafted_items + self.partly_drafted_items} items ({self.drafted_items} fully, "
            f"{self.partly_drafted_items} in part), {self.drafted_criteria} draft definitions",
            f"  left for review: {self.review_items + self.partly_drafted_items} items ({self.review_items} not "
            f"recognised, {self.partly_drafted_items} with a rest not recognised)",
            f"  from structured fields: {', '.join(self.structured) or 'none'}",
            f"  criteria written: {self.criteria}",
        ]


def age_in_years(text: str) -> tuple[float, bool]:
    """'18 Years' -> (18, False); '6 Months' -> (0.5, True); '28 Days' -> (0.0767, True)."""
    m = _AGE.match(text)
    if not m:
        raise RecordError(f"age {text!r} is not '<number> Years|Months|Weeks|Days'")
    n, unit = float(m.group(1)), m.group(2).lower().rstrip("s")
    years = n / _PER_YEAR[unit]
    value = round(years, 4)
    return (int(value) if value.is_integer() else value), unit != "year"


def _slug(text: str, limit: int = 32) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in {"a", "an", "the", "of", "to", "and",
                                                                             "or", "in", "for", "with", "have"}]
    out = ""
    for w in words:
        nxt = f"{out}_{w}" if out else w
        if len(nxt) > limit:
            break
        out = nxt
    return out or "item"


def _module(ps: dict[str, Any], name: str) -> dict[str, Any]:
    m = ps.get(name) or {}
    return m if isinstance(m, dict) else {}


def draft_ruleset(record: dict[str, Any], document: str,
                  library_value_sets: set[str] | frozenset[str] = frozenset()) -> tuple[dict[str, Any], Summary]:
    """`library_value_sets`: names the rules library already defines; those are referred to, not
    written into the trial."""
    ps = record.get("protocolSection") if isinstance(record, dict) else None
    if not isinstance(ps, dict):
        raise RecordError("no protocolSection: not a ClinicalTrials.gov API v2 study record")
    ident = _module(ps, "identificationModule")
    elig = _module(ps, "eligibilityModule")
    nct = ident.get("nctId")
    if not isinstance(nct, str) or not re.fullmatch(r"NCT\d{8}", nct):
        raise RecordError("protocolSection.identificationModule.nctId is missing or not an NCT number")
    if not elig:
        raise RecordError("protocolSection.eligibilityModule is missing")
    summary = Summary(nct)
    title = ident.get("briefTitle") or ident.get("officialTitle") or nct
    trial: dict[str, Any] = {"id": nct, "title": title, "registry_ids": [nct]}
    sponsor = _module(ps, "sponsorCollaboratorsModule").get("leadSponsor", {}).get("name") or \
        ident.get("organization", {}).get("fullName")
    if sponsor:
        trial["sponsor"] = sponsor
    conditions = _module(ps, "conditionsModule").get("conditions")
    if conditions:
        trial["conditions"] = list(conditions)
    if isinstance(elig.get("healthyVolunteers"), bool):
        trial["healthy_volunteers"] = elig["healthyVolunteers"]
    trial["sources"] = [{"document": document,
                         "note": "ClinicalTrials.gov API v2 study record (protocolSection.eligibilityModule); "
                                 "draft: criteria marked draft: true were read from free text and must be reviewed"}]

    criteria: list[dict[str, Any]] = []
    used_vs: set[str] = set()
    criteria += _structured(elig, document, summary)

    text = elig.get("eligibilityCriteria") or ""
    split = split_criteria(text)
    ids: set[str] = {c["id"] for c in criteria}
    for item in split.items:
        summary.items[item.kind] += 1
        crits = _item_criteria(item, document, ids, summary)
        for c in crits:
            used_vs.update(c.pop("_value_sets", []))
        criteria += crits
    if not criteria:
        raise RecordError("the record has no eligibility criteria and no structured age or sex")
    summary.criteria = len(criteria)
    data: dict[str, Any] = {"schema": "trial-screening/v1", "trial": trial}
    local = {n: dict(LOCAL_VALUE_SETS[n]) for n in sorted(used_vs)
             if n in LOCAL_VALUE_SETS and n not in library_value_sets}
    if local:
        data["value_sets"] = local
    data["criteria"] = criteria
    return data, summary


def _structured(elig: dict[str, Any], document: str, summary: Summary) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    lo_text, hi_text = elig.get("minimumAge"), elig.get("maximumAge")
    if lo_text or hi_text:
        rng: dict[str, Any] = {}
        parts, notes = [], []
        converted = False
        for key, raw, op in (("minimumAge", lo_text, "ge"), ("maximumAge", hi_text, "le")):
            if not raw:
                continue
            years, conv = age_in_years(str(raw))
            rng[op] = years
            parts.append(f"{key}: {raw}")
            if conv:
                converted = True
                notes.append(f"{key} {raw} converted to {years:g} years")
        if "ge" in rng and "le" in rng:
            rng = {"between": [rng["ge"], rng["le"]]}
        reading = ("From the structured age fields. Age bounds are in years and age is evaluated in completed years; "
                   "the maximum age includes the whole year of that age.")
        if notes:
            reading += " " + "; ".join(notes) + (
                ": bounds below one year lose precision because age is counted in completed years; check by hand.")
        c: dict[str, Any] = {"id": "registry_age", "kind": "inclusion", "text": "; ".join(parts),
                             "source": {"document": document, "section": "Eligibility",
                                        "item": " and ".join(k for k in ("minimumAge", "maximumAge")
                                                             if elig.get(k))},
                             "reading": reading, "when": {"age": rng}}
        if converted:
            c.update(draft=True, confidence=0.5, span=c["text"])
        out.append(c)
        summary.structured.append("age")
    sex = str(elig.get("sex") or "ALL").upper()
    if sex in ("FEMALE", "MALE"):
        out.append({"id": "registry_sex", "kind": "inclusion", "text": f"sex: {sex}",
                    "source": {"document": document, "section": "Eligibility", "item": "sex"},
                    "reading": "From the structured sex field.", "when": {"sex": [sex.lower()]}})
        summary.structured.append("sex")
    return out


def _unique(cid: str, ids: set[str]) -> str:
    cid = cid[:64].rstrip("_")
    base, k = cid, 2
    while cid in ids:
        suffix = f"_{k}"
        cid = base[: 64 - len(suffix)] + suffix
        k += 1
    ids.add(cid)
    return cid


def _hints(text: str) -> str:
    bits = []
    cmps = comparisons(text)
    if cmps:
        bits.append("thresholds seen: " + ", ".join(c.raw.strip() for c in cmps[:4]) + " (no known measure or unit)")
    wins = windows(text)
    if wins:
        bits.append("time windows seen: " + ", ".join(w.duration for w in wins[:3]) + " (event not recognised)")
    return "; ".join(bits)


def _item_criteria(item: Item, document: str, ids: set[str], summary: Summary) -> list[dict[str, Any]]:
    text = item.text
    prefix = f"{PREFIX[item.kind]}_{'_'.join(f'{int(p):02d}' for p in item.number.split('.'))}"
    source: dict[str, Any] = {"document": document, "section": SECTION[item.kind],
                              "item": int(item.number) if item.number.isdigit() else item.number}
    notes = []
    if item.group:
        notes.append(f"subgroup: {item.group}")
    if item.parent:
        notes.append(f"nested under item {item.parent}")
    if notes:
        source["note"] = "; ".join(notes)
    findings = recognise(ItemText(text, item.kind, item.notes_from))
    out: list[dict[str, Any]] = []
    for f in findings:
        out.append(_draft(f, item, prefix, source, ids))
    rest = residual(text, findings)
    n_rest = len(rest.split())
    if findings and n_rest <= MAX_RESIDUAL_WORDS:
        summary.drafted_items += 1
    else:
        if findings:
            summary.partly_drafted_items += 1
            drafted = ", ".join(c["id"] for c in out)
            reason = (f"partly drafted as {drafted}; the rest is free text not recognised: "
                      f"\"{' '.join(rest.split()[:12])}{' ...' if n_rest > 12 else ''}\"")
        else:
            summary.review_items += 1
            reason = "free text not recognised"
            hints = _hints(text)
            if hints:
                reason += f" ({hints})"
        slug = _slug(rest if findings else text)
        out.append({"id": _unique(f"{prefix}_{slug}", ids), "kind": item.kind, "text": text,
                    "source": dict(source), "review": reason})
        summary.review_criteria += 1
    summary.drafted_criteria += len(findings)
    return out


def _draft(f: Finding, item: Item, prefix: str, source: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    c: dict[str, Any] = {"id": _unique(f"{prefix}_{f.slug}", ids), "kind": item.kind, "text": item.text,
                         "source": dict(source), "reading": f.reading, "when": f.when,
                         "draft": True, "confidence": f.confidence, "span": f.span}
    if f.missing:
        c["missing"] = f.missing
    c["_value_sets"] = list(f.value_sets)
    return c


# --- writing ------------------------------------------------------------------------------------


def _flowish(obj: Any) -> Any:
    """Plain data -> ruamel nodes: small leaf mappings and scalar lists in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(obj, dict):
        m = CommentedMap()
        for k, v in obj.items():
            m[k] = _flowish(v)
        if all(not isinstance(v, (dict, list)) or (isinstance(v, list) and all(not isinstance(x, (dict, list))
                                                                              for x in v)) for v in obj.values()) \
                and not any(isinstance(v, str) and "\n" in v for v in obj.values()) and len(obj) <= 6 \
                and sum(len(str(v)) for v in obj.values()) < 90:
            m.fa.set_flow_style()
        return m
    if isinstance(obj, list):
        s = CommentedSeq(_flowish(x) for x in obj)
        if all(not isinstance(x, (dict, list)) for x in obj):
            s.fa.set_flow_style()
        return s
    if isinstance(obj, str) and "\n" in obj:
        return LiteralScalarString(obj)
    return obj


def dump_ruleset(data: dict[str, Any], header: str | None = None) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    root = _flowish(data)
    # top-level mappings stay in block style
    for key in ("trial",):
        if key in root:
            root[key].fa.set_block_style()
    for c in root.get("criteria", []):
        c.fa.set_block_style()
    for vs in root.get("value_sets", {}).values():
        vs.fa.set_flow_style()
    if "value_sets" in root:
        root["value_sets"].fa.set_block_style()
    buf = io.StringIO()
    yaml.dump(root, buf)
    text = buf.getvalue()
    # a blank line between criteria for readability
    text = re.sub(r"\n(  - id: )", r"\n\n\1", text)
    return (header or "") + text


def load_record(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise RecordError(f"{path}: cannot read: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RecordError(f"{path}: not a JSON document: {e}") from None
    if not isinstance(data, dict):
        raise RecordError(f"{path}: not a study record (expected a JSON object)")
    return data


def draft_file(record_path: Path, library_value_sets: set[str] | frozenset[str] = frozenset()
               ) -> tuple[str, Summary, dict[str, Any]]:
    record = load_record(record_path)
    data, summary = draft_ruleset(record, record_path.name, library_value_sets)
    header = (f"# Draft rule set for {summary.trial_id}, from the ClinicalTrials.gov API v2 record {record_path.name}.\n"
              "# Criteria with `draft: true` were read from free text by recognisers (see `span`, `confidence`,\n"
              "# `reading`); criteria with `review:` were not recognised. Check every criterion against the record.\n")
    return dump_ruleset(data, header), summary, data
