"""Load rule-set YAML into validated models, mapping every pydantic error back to file:line:col."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from screening.core.diagnostics import Diagnostic, RuleSetError, did_you_mean
from screening.ruleset import model
from screening.ruleset.model import EXPR_KINDS, Library, TrialFile
from screening.ruleset.sourcemap import SourceMap, load_yaml, read_source
from screening.ruleset.valuesets.terms import Terminology

_ERROR_CODES = {
    "missing": "E010",
    "extra_forbidden": "E011",
    "unknown_expression": "E013",
    "quantity": "E105",
}


def _field_names() -> set[str]:
    names: set[str] = set(EXPR_KINDS)
    for obj in vars(model).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            for fname, f in obj.model_fields.items():
                names.add(f.alias or fname)
    return names


def _fields_of(cls: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in cls.model_fields.items()}


@lru_cache(maxsize=1)
def _field_places() -> dict[str, tuple[str, ...]]:
    """Each field name -> the definitions and sections where it is allowed (for 'not allowed here')."""
    owners: list[tuple[str, type[BaseModel]]] = []
    for kind, cls in EXPR_KINDS.items():
        field = cls.model_fields.get(kind) or next((f for f in cls.model_fields.values() if f.alias == kind), None)
        ann = field.annotation if field is not None else None
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            owners.append((kind, ann))
    owners += [("followed_by", model.FollowedBySpec), ("a lesion's where", model.LesionWhere),
               ("a criterion", model.Criterion), ("trial", model.TrialInfo), ("a value set", model.ValueSet)]
    return field_places(owners)


def field_places(owners: Iterable[tuple[str, type[BaseModel]]]) -> dict[str, tuple[str, ...]]:
    """Each field name of the `owners` models -> the places (owner names) where it is allowed."""
    places: dict[str, list[str]] = {}
    for place, owner in owners:
        for name in _fields_of(owner):
            places.setdefault(name, []).append(place)
    return {k: tuple(v) for k, v in places.items()}


def unknown_field_message(name: str, names: Iterable[str], places: dict[str, tuple[str, ...]]) -> str:
    """'unknown field' with a suggestion; a field known elsewhere is said to be misplaced instead of
    suggesting itself."""
    where = places.get(name)
    if where:
        return f"field {name!r} is not allowed here; it belongs in " + ", ".join(where)
    return f"unknown field {name!r}{did_you_mean(name, names)}"


def _clean_loc(loc: Iterable[Any]) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and out and out[-1] == part and part in EXPR_KINDS:
            continue  # the tagged-union tag repeats the key
        if isinstance(part, str) and part.startswith("function-"):
            continue
        out.append(part)
    return tuple(out)


def pydantic_diagnostics(err: ValidationError, smap: SourceMap, names: set[str] | None = None,
                         places: dict[str, tuple[str, ...]] | None = None) -> list[Diagnostic]:
    """Diagnostics at file:line:col; unknown fields are matched against `names` and `places` (those
    of the rule-set format unless given)."""
    names = _field_names() if names is None else names
    places = _field_places() if places is None else places
    diags = []
    for e in err.errors(include_url=False):
        loc = _clean_loc(e["loc"])
        code = _ERROR_CODES.get(e["type"], "E012")
        where = ".".join(str(p) for p in loc) or "(top level)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden" and loc:
            msg = unknown_field_message(str(loc[-1]), names, places)
        elif e["type"] == "missing":
            msg = f"missing required field {loc[-1]!r}" if loc else "missing field"
        elif e["type"] == "unknown_expression":
            given = e.get("input")
            keys = list(given) if isinstance(given, dict) else []
            if len(keys) == 1:
                msg = f"unknown definition {keys[0]!r}{did_you_mean(str(keys[0]), EXPR_KINDS)}"
                # point at the unknown key itself, not at the key that holds the definition
                diags.append(smap.diag((*loc, str(keys[0])), code, f"{where}: {msg}"))
                continue
            elif len(keys) > 1:
                msg = f"a definition has exactly one key, found {len(keys)}: {', '.join(map(str, keys))}"
            else:
                msg = "expected a definition (a mapping with one key: " + ", ".join(EXPR_KINDS) + ")"
        else:
            msg = msg.removeprefix("Value error, ")
        diags.append(smap.diag(loc, code, f"{where}: {msg}"))
    # pydantic reports each failed union member; keep one per place and code
    seen: set[tuple[int, int, str, str]] = set()
    unique = []
    for d in diags:
        key = (d.line, d.column, d.code, d.message)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def content_hash(*blobs: bytes) -> str:
    h = hashlib.sha256()
    for b in blobs:
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()[:16]


@dataclass
class LoadedLibrary:
    model: Library
    smaps: dict[str, SourceMap]
    origin: dict[tuple[str, str], str]  # (section, name) -> file
    digest: bytes
    terms: Terminology  # the value sets composed (files in `<library>/valuesets/`)


def valueset_folder(paths: Iterable[Path]) -> Path | None:
    """`<library>/valuesets/` beside the library files."""
    first = next(iter(sorted(paths)), None)
    return first.parent / "valuesets" if first is not None else None


def load_library(paths: Iterable[Path]) -> LoadedLibrary:
    """Merge the concept library files (value_sets and concepts); duplicates are errors. Every value
    set is composed (its files read, its ICD descendants expanded), so its errors point into the
    library file."""
    paths = list(paths)
    value_sets: dict[str, Any] = {}
    concepts: dict[str, Any] = {}
    smaps: dict[str, SourceMap] = {}
    origin: dict[tuple[str, str], str] = {}
    diags: list[Diagnostic] = []
    digest = b""
    for path in sorted(paths):
        try:
            raw, text = read_source(path)
        except RuleSetError as e:
            diags += e.diagnostics
            continue
        digest += raw
        data, smap = load_yaml(path, text)
        smaps[str(path)] = smap
        if not isinstance(data, dict):
            diags.append(smap.diag((), "E012", "a library file is a mapping with value_sets and concepts"))
            continue
        try:
            part = Library.model_validate(data)
        except ValidationError as e:
            diags += pydantic_diagnostics(e, smap)
            continue
        for section, target, src in (("value_sets", value_sets, part.value_sets), ("concepts", concepts, part.concepts)):
            for name, item in src.items():
                if name in target:
                    diags.append(smap.diag((section, name), "E020",
                                           f"{section[:-1].replace('_', ' ')} {name!r} is already defined in {origin[(section, name)]}"))
                target[name] = item
                origin[(section, name)] = str(path)
    if diags:
        raise RuleSetError(diags)
    terms, diags = Terminology.compose_library(value_sets, smaps, origin, valueset_folder(paths), digest)
    if diags:
        raise RuleSetError(diags)
    return LoadedLibrary(Library(value_sets=value_sets, concepts=concepts), smaps, origin, digest, terms)


def load_trial_file(path: Path) -> tuple[TrialFile, SourceMap, bytes]:
    raw, text = read_source(path)
    data, smap = load_yaml(path, text)
    if not isinstance(data, dict):
        raise RuleSetError([smap.diag((), "E012", "a rule set is a mapping with schema, trial and criteria")])
    try:
        model = TrialFile.model_validate(data)
    except ValidationError as e:
        raise RuleSetError(pydantic_diagnostics(e, smap)) from None
    return model, smap, raw
