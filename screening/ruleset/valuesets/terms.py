"""The library's value sets composed once per library, and kept on disk.

Composing the library reads every ValueSet file it names and expands its ICD descendants; the
result is cached under a key of everything it depends on (the library files, the bytes of every
ValueSet file, the hierarchy package versions and the composing code), so a warm start reads
one JSON file instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.core.diskcache import cache_key
from screening.ruleset.model import Library, ValueSet
from screening.ruleset.sourcemap import SourceMap
from screening.ruleset.valuesets.compose import AuthoredCode, Code, ComposedValueSet, Composer, FileRef
from screening.ruleset.valuesets.hierarchy import package_versions


@dataclass
class Terminology:
    """A composer and the library's value sets composed with it (by name)."""

    composer: Composer
    library: dict[str, ComposedValueSet] = field(default_factory=dict)

    @classmethod
    def compose_library(cls, value_sets: dict[str, ValueSet], smaps: dict[str, SourceMap],
                        origin: dict[tuple[str, str], str], folder: Path | None,
                        library_digest: bytes) -> tuple[Terminology, list[Diagnostic]]:
        """Every library value set composed, with the diagnostics of their definitions. The result is
        cached on disk under a key of everything it depends on: the library files (bytes and
        places), the bytes of every ValueSet file, the hierarchy package versions and this code."""
        terms = cls(Composer(folder))
        cache = terms.composer.hierarchy.cache
        key = _library_key(smaps, folder, library_digest)
        found = cache.get("library", key) if key else None
        if isinstance(found, dict) and set(found) == set(value_sets):
            terms.library = {name: _from_json(name, v) for name, v in found.items()}
            return terms, []
        diags: list[Diagnostic] = []
        for name, vs in value_sets.items():
            composed, errors = terms.compose_all({name: vs}, smaps[origin[("value_sets", name)]])
            terms.library.update(composed)
            diags += errors
        if key and not diags:
            cache.put("library", key, {name: _to_json(v) for name, v in terms.library.items()})
        return terms, diags

    def compose_all(self, value_sets: dict[str, ValueSet], smap: SourceMap) -> tuple[dict[str, ComposedValueSet],
                                                                                     list[Diagnostic]]:
        """Value sets defined in one file (under its `value_sets:`), with their diagnostics."""
        out: dict[str, ComposedValueSet] = {}
        diags: list[Diagnostic] = []
        for name, vs in value_sets.items():
            out[name], errors = self.composer.compose(name, vs, smap, ("value_sets", name))
            diags += errors
        return out, diags

    @classmethod
    def for_library(cls, library: Library, folder: Path | None = None) -> Terminology:
        """The library's value sets composed without their source positions (for callers that hold a
        bare `Library`); an error in them raises `RuleSetError`."""
        terms = cls(Composer(folder))
        terms.library, diags = terms.compose_all(dict(library.value_sets), SourceMap("<library>"))
        if diags:
            raise RuleSetError(diags)
        return terms


# --- the composed library on disk ------------------------------------------------------------

_CODE_FILES = ("compose.py", "fhirfile.py", "hierarchy.py", "terms.py")


def _library_key(smaps: dict[str, SourceMap], folder: Path | None, library_digest: bytes) -> str | None:
    """A key of everything the composed library depends on; None when a file cannot be read."""
    here = Path(__file__).parent
    try:
        code = [hashlib.sha256((here / f).read_bytes()).hexdigest() for f in _CODE_FILES]
        files = sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                       for p in (folder.glob("*.json") if folder is not None and folder.is_dir() else []))
    except OSError:
        return None
    return cache_key("library", sorted(smaps), hashlib.sha256(library_digest).hexdigest(), files, code,
                     package_versions())


def _pairs(codes: Iterable[Code]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s, c in sorted(codes):
        out.setdefault(s, []).append(c)
    return out


def _unpairs(data: dict[str, list[str]]) -> list[Code]:
    return [(s, c) for s, codes in data.items() for c in codes]


def _to_json(vs: ComposedValueSet) -> dict[str, Any]:
    return {"title": vs.title, "exact": _pairs(vs.exact), "prefixes": _pairs(vs.prefixes),
            "possible": _pairs(vs.possible), "names": list(vs.names), "not_names": list(vs.not_names),
            "sources": list(vs.sources), "files": [dataclasses.astuple(f) for f in vs.files],
            "hierarchies": list(vs.hierarchies), "authored": [dataclasses.astuple(a) for a in vs.authored],
            "defined_in": vs.defined_in}


def _from_json(name: str, d: dict[str, Any]) -> ComposedValueSet:
    return ComposedValueSet(
        name=name, title=d["title"], exact=frozenset(_unpairs(d["exact"])), prefixes=tuple(_unpairs(d["prefixes"])),
        possible=frozenset(_unpairs(d["possible"])), names=tuple(d["names"]), not_names=tuple(d["not_names"]),
        sources=tuple(d["sources"]), files=tuple(FileRef(*f) for f in d["files"]),
        hierarchies=tuple(d["hierarchies"]), authored=tuple(AuthoredCode(*a) for a in d["authored"]),
        defined_in=d["defined_in"])
