"""The FHIR input as a set of entries: envelope checks, parsing with fhir.resources (R4B models,
which read R4 data), and reference resolution.

Only the resource types the importer maps (and those they reference) are parsed and validated;
other resources are counted and listed in one warning. Malformed input raises
`screening.core.diagnostics.InputError` naming the entry, the resource and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from fhir.resources.R4B import fhirtypes, get_fhir_model_class
from pydantic import BaseModel, ValidationError

from screening.core.diagnostics import InputError

BUNDLE_TYPES = ("collection", "transaction", "batch", "searchset", "document")

# Resource types that exist in FHIR R4 but were renamed or removed in R4B.
R4_ONLY_TYPES = frozenset({
    "EffectEvidenceSynthesis", "RiskEvidenceSynthesis", "MedicinalProduct", "MedicinalProductAuthorization",
    "MedicinalProductContraindication", "MedicinalProductIndication", "MedicinalProductIngredient",
    "MedicinalProductInteraction", "MedicinalProductManufactured", "MedicinalProductPackaged",
    "MedicinalProductPharmaceutical", "MedicinalProductUndesirableEffect", "SubstanceNucleicAcid",
    "SubstancePolymer", "SubstanceProtein", "SubstanceReferenceInformation", "SubstanceSourceMaterial",
    "SubstanceSpecification",
})

# Where each mapped resource type names its patient.
SUBJECT_FIELD = {
    "Condition": "subject",
    "Observation": "subject",
    "MedicationStatement": "subject",
    "MedicationRequest": "subject",
    "MedicationAdministration": "subject",
    "Procedure": "subject",
    "ResearchSubject": "individual",
    "Consent": "patient",
    "Encounter": "subject",
    "AllergyIntolerance": "patient",
    "Immunization": "patient",
}
MAPPED = frozenset(SUBJECT_FIELD) | {"Patient"}
REFERENCED = frozenset({"Medication", "ResearchStudy"})

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
TYPED_REF = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]{1,64})?$")


@lru_cache(maxsize=256)
def model_class(resource_type: str) -> Any:
    """The fhir.resources R4B model of a resource type; None for a name that is not one."""
    try:
        return get_fhir_model_class(resource_type)
    except (ValueError, KeyError):
        return None


def preload_models(resource_types: Iterable[str]) -> int:
    """Build the models of `resource_types` and of every data type their fields can hold (fhir.resources
    builds a data type's model the first time a resource holding one is read): what a long-running
    service does once at start-up, so that its first requests do not. The number of models built."""
    seen: set[str] = set()
    todo = list(resource_types)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        cls = model_class(name)
        if cls is None:
            continue
        for f in cls.model_fields.values():
            todo += [t for t in _TYPE_NAME.findall(str(f.annotation)) if t not in seen]
    return len(seen)


_TYPE_NAME = re.compile(r"\b([A-Z]\w*)Type\b")


def is_resource_type(name: str) -> bool:
    """Whether `name` is a resource (or data) type, answered as `model_class` would (a primitive
    type is not one) but from the type's name alone: building a model that is never read (Claim,
    ExplanationOfBenefit in every Synthea bundle) would cost tens of milliseconds each."""
    return name in R4_ONLY_TYPES or hasattr(getattr(fhirtypes, name + "Type", None), "get_model_klass")


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not (isinstance(part, str) and part.startswith("function-")):
            out += ("." if out else "") + str(part)
    return out or "(resource)"


def json_type_problems(model: BaseModel, raw: dict[str, Any], path: str = "") -> Iterator[str]:
    """Numbers and booleans the models read from another JSON type. FHIR JSON writes decimals and
    integers as JSON numbers and booleans as true or false (a decimal as a string, `"3.1"`, is not
    FHIR); the models' lax parsing takes the string, so the import refuses it here."""
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        if key in raw:
            yield from _json_type_problems_of(getattr(model, name), raw[key], f"{path}.{key}" if path else key)


def _json_type_problems_of(value: Any, raw: Any, where: str) -> Iterator[str]:
    if isinstance(value, BaseModel):
        if isinstance(raw, dict):
            yield from json_type_problems(value, raw, where)
    elif isinstance(value, list):
        if isinstance(raw, list):
            for i, (v, r) in enumerate(zip(value, raw, strict=False)):
                yield from _json_type_problems_of(v, r, f"{where}[{i}]")
    elif isinstance(value, bool):
        if not isinstance(raw, bool):
            yield f"{where}: a FHIR boolean is JSON true or false, not {raw!r}"
    elif isinstance(value, int):
        if isinstance(raw, bool) or not isinstance(raw, int):
            yield f"{where}: a FHIR integer is a JSON number without a fraction, not {raw!r}"
    elif isinstance(value, Decimal | float) and (isinstance(raw, bool) or not isinstance(raw, int | float)):
        yield f"{where}: a FHIR decimal is a JSON number, not {raw!r}"


@dataclass
class Entry:
    where: str  # "entry[3]" or "line 4"
    raw: dict[str, Any]
    full_url: str | None = None
    model: Any = None

    @property
    def rtype(self) -> str:
        return str(self.raw["resourceType"])

    @property
    def rid(self) -> str | None:
        v = self.raw.get("id")
        return v if isinstance(v, str) else None

    @property
    def label(self) -> str:
        if self.rid:
            return f"{self.rtype}/{self.rid}"
        return f"{self.rtype} at {self.where}"


@dataclass
class Bundle:
    """The entries of one FHIR input, indexed for reference resolution."""

    source: str
    entries: list[Entry]
    kind: str  # bundle type, or "ndjson"
    by_url: dict[str, Entry] = field(default_factory=dict)
    by_key: dict[str, Entry] = field(default_factory=dict)
    skipped_entries: int = 0

    def __post_init__(self) -> None:
        for e in self.entries:
            if e.full_url:
                if e.full_url in self.by_url:
                    raise InputError(f"{self.source}: {e.where}: fullUrl {e.full_url!r} is used twice "
                                     f"(also at {self.by_url[e.full_url].where})")
                self.by_url[e.full_url] = e
                m = TYPED_REF.search(e.full_url)
                if m and m.group(1) == e.rtype:
                    self.by_key.setdefault(f"{m.group(1)}/{m.group(2)}", e)
            if e.rid:
                self.by_key.setdefault(f"{e.rtype}/{e.rid}", e)

    # -- parsing ----------------------------------------------------------------------------
    def parse(self, e: Entry) -> Any:
        if e.model is None:
            cls = model_class(e.rtype)
            if cls is None:
                raise InputError(f"{self.source}: {e.where}: {e.rtype} is not a FHIR R4B resource type the importer can read")
            try:
                model = cls.model_validate(e.raw)
            except RecursionError:  # data handed in from Python, not read by `screening.core.jsonread`
                raise InputError(f"{self.source}: {e.where} ({e.label}): nested too deeply to read") from None
            except ValidationError as err:
                msgs = []
                for x in err.errors(include_url=False):
                    msg = x["msg"].removeprefix("Value error, ")
                    if x["type"] == "extra_forbidden":
                        msg = "unknown field"
                    msgs.append(f"{_loc(x['loc'])}: {msg}")
                raise self.invalid(e, msgs) from None
            problems = list(json_type_problems(model, e.raw))
            if problems:
                raise self.invalid(e, problems)
            e.model = model
        return e.model

    def invalid(self, e: Entry, problems: list[str]) -> InputError:
        return InputError(f"{self.source}: {e.where} ({e.label}): invalid {e.rtype}:\n  " + "\n  ".join(problems))

    def error(self, e: Entry, field_name: str, message: str) -> InputError:
        return InputError(f"{self.source}: {e.where} ({e.label}) {field_name}: {message}")

    # -- references ---------------------------------------------------------------------------
    def resolve(self, e: Entry, field_name: str, reference: str) -> Entry | None:
        """The bundle entry a reference points to; None when it points outside the input (a
        relative or absolute URL that is not in it). A `urn:uuid:`/`urn:oid:` reference must
        resolve inside the input; one that does not is a broken reference."""
        ref = reference.strip()
        if ref.startswith("#"):
            raise self.error(e, field_name, f"{ref!r} points to a contained resource; this field needs one in the bundle")
        if ref in self.by_url:
            return self.by_url[ref]
        if ref.startswith(("urn:uuid:", "urn:oid:")):
            raise self.error(e, field_name, f"broken reference {ref!r}: no entry has this fullUrl")
        m = TYPED_REF.search(ref)
        if m is None:
            raise self.error(e, field_name, f"reference {ref!r} is not of the form Type/id or a URL")
        if not is_resource_type(m.group(1)):
            raise self.error(e, field_name, f"reference {ref!r}: {m.group(1)} is not a FHIR resource type")
        return self.by_key.get(f"{m.group(1)}/{m.group(2)}")


def _entry_resource(source: str, where: str, res: Any) -> dict[str, Any]:
    if not isinstance(res, dict):
        raise InputError(f"{source}: {where}: a resource is a JSON object, got {type(res).__name__}")
    rt = res.get("resourceType")
    if not isinstance(rt, str) or not rt:
        raise InputError(f"{source}: {where}.resourceType: missing (every FHIR resource names its type)")
    if not is_resource_type(rt):
        raise InputError(f"{source}: {where}.resourceType: {rt!r} is not a FHIR R4 resource type")
    rid = res.get("id")
    if rid is not None and (not isinstance(rid, str) or not _ID.match(rid)):
        raise InputError(f"{source}: {where}.id: {rid!r} is not a valid FHIR id")
    return res


def read_bundle(data: Any, source: str) -> Bundle:
    """Check the envelope (a Bundle or a list of resources) and collect the entries."""
    if isinstance(data, list):
        return _ndjson_bundle(source, data)
    raw_entries = _bundle_envelope(source, data)
    entries = []
    skipped = 0
    for i, ent in enumerate(raw_entries):
        entry = _bundle_entry(source, f"entry[{i}]", ent)
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    b = Bundle(source, entries, str(data.get("type")))
    b.skipped_entries = skipped
    return b


def _ndjson_bundle(source: str, resources: list[Any]) -> Bundle:
    entries = []
    for i, res in enumerate(resources, start=1):
        where = f"line {i}"
        r = _entry_resource(source, where, res)
        if r["resourceType"] == "Bundle":
            raise InputError(f"{source}: {where}: a Bundle inside NDJSON is not supported; give one Bundle or NDJSON of resources")
        entries.append(Entry(where, r))
    return Bundle(source, entries, "ndjson")


def _bundle_envelope(source: str, data: Any) -> list[Any]:
    """Check that `data` is a Bundle of a supported type; its entries."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: FHIR input is a Bundle (a JSON object) or NDJSON of resources, got {type(data).__name__}")
    rt = data.get("resourceType")
    if rt != "Bundle":
        got = repr(rt) if rt is not None else "missing"
        raise InputError(f"{source}: resourceType: {got}; expected a Bundle (or NDJSON with one resource per line)")
    btype = data.get("type")
    if btype not in BUNDLE_TYPES:
        raise InputError(f"{source}: Bundle.type: {btype!r} is not supported; expected one of {', '.join(BUNDLE_TYPES)}")
    raw_entries = data.get("entry", [])
    if not isinstance(raw_entries, list):
        raise InputError(f"{source}: Bundle.entry: a list is expected, got {type(raw_entries).__name__}")
    return raw_entries


def _bundle_entry(source: str, where: str, ent: Any) -> Entry | None:
    """One Bundle entry, checked; None for an entry that carries no data."""
    if not isinstance(ent, dict):
        raise InputError(f"{source}: {where}: an entry is a JSON object, got {type(ent).__name__}")
    full_url = ent.get("fullUrl")
    if full_url is not None and (not isinstance(full_url, str) or not full_url.strip()):
        raise InputError(f"{source}: {where}.fullUrl: {full_url!r} is not a URI")
    if _carries_no_data(ent):
        return None
    r = _entry_resource(source, f"{where}.resource", ent["resource"])
    return Entry(where, r, full_url.strip() if full_url else None)


def _carries_no_data(ent: dict[str, Any]) -> bool:
    """A transaction's DELETE or GET, a searchset's link or OperationOutcome."""
    if "resource" not in ent:
        return True
    request = ent.get("request")
    if isinstance(request, dict) and request.get("method") == "DELETE":
        return True
    search = ent.get("search")
    return isinstance(search, dict) and search.get("mode") == "outcome"
