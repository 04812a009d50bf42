"""Compose a value set from its entries: the codes an `ir.CodeSet` matches, and where each came from.

A value set is `codes` and `include` (codes that name the concept), `possible` (codes that may
name it: a record so coded is counted as possibly matching), minus `exclude` (removed from both),
with `names` / `not_names` for the record's text. Each entry is one of

* `valueset`: a FHIR ValueSet file in `library/valuesets/` (or its canonical `url|version`),
  optionally narrowed to some `systems` and to codes whose `display` names a phrase;
* `codes`: `system:code` literals (ICD codes normalised to their dotted spelling; a trailing
  `*` takes every code below, in `codes` and `include` only);
* `descendants`: ICD items with every code below them, from the hierarchy packages. In `codes`
  and `include` each category is matched as a prefix (see `hierarchy`); in `possible` the
  package's codes are listed.

Precedence: a code that certainly names the concept is never only possible; `exclude` wins over
both. Excluding a code below an included prefix is an error (a prefix cannot be cut): include the
wanted subcategories instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.core.codesystems import SYSTEM_NAMES, normalise_code
from screening.core.diagnostics import Diagnostic, did_you_mean
from screening.ruleset import ir
from screening.ruleset.ir import phrase_pattern
from screening.ruleset.model import CODE_RE, ITEM_RE, DisplayFilter, ValueSet, ValueSetEntry
from screening.ruleset.sourcemap import SourceMap
from screening.ruleset.valuesets.fhirfile import ValueSetFile, ValueSetFileError, read_valueset_file
from screening.ruleset.valuesets.hierarchy import PACKAGES, Hierarchy, package_label

Code = tuple[str, str]
P = tuple[str | int, ...]
COMPOSE_ERROR = "E106"


@dataclass(frozen=True)
class AuthoredCode:
    """A code written by the rule-set author (not taken from a file or a hierarchy), with its place."""

    system: str
    code: str
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class ValueSetUse:
    """A value set named by a record query (`record` is its kind), at `path` in the trial file."""

    name: str
    record: str
    path: tuple[str | int, ...]


@dataclass(frozen=True)
class FileRef:
    """A ValueSet file a value set uses: its identity and the digest of its bytes."""

    file: str
    url: str | None
    version: str | None
    expanded: str | None
    digest: str


@dataclass(frozen=True)
class ComposedValueSet:
    name: str
    title: str | None
    exact: frozenset[Code]
    prefixes: tuple[Code, ...]
    possible: frozenset[Code]
    names: tuple[str, ...] = ()
    not_names: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    files: tuple[FileRef, ...] = ()
    hierarchies: tuple[str, ...] = ()  # the hierarchy packages (with versions) it was computed with
    authored: tuple[AuthoredCode, ...] = ()
    defined_in: str = ""

    @property
    def empty(self) -> bool:
        return not (self.exact or self.prefixes or self.possible)

    def systems(self) -> set[str]:
        """The code systems it has codes of (certain or possible)."""
        return {s for s, _ in self.exact} | {s for s, _ in self.prefixes} | {s for s, _ in self.possible}

    def counts(self) -> dict[str, dict[str, int]]:
        """Codes per system: {system: {"exact": n, "prefixes": n, "possible": n}}."""
        out: dict[str, dict[str, int]] = {}
        for kind, items in (("exact", self.exact), ("prefixes", self.prefixes), ("possible", self.possible)):
            for s, _ in items:
                out.setdefault(s, {"exact": 0, "prefixes": 0, "possible": 0})[kind] += 1
        return dict(sorted(out.items()))

    def provenance(self) -> dict[str, Any]:
        """What a result document says about the value set: title, files (version, expansion) and sources."""
        return {"name": self.name, "title": self.title, "defined_in": self.defined_in,
                "files": [{"file": f.file, "url": f.url, "version": f.version, "expanded": f.expanded}
                          for f in self.files],
                "hierarchies": list(self.hierarchies), "sources": list(self.sources)}


@dataclass
class _Part:
    """What one entry contributes."""

    exact: set[Code] = field(default_factory=set)
    prefixes: set[Code] = field(default_factory=set)
    listed: set[Code] = field(default_factory=set)  # every code below descendants (for `possible`)
    sources: list[str] = field(default_factory=list)


class Composer:
    """Composes value sets against one `library/valuesets/` folder; files are read once."""

    def __init__(self, folder: Path | None, hierarchy: Hierarchy | None = None):
        self.folder = folder
        self.hierarchy = hierarchy if hierarchy is not None else Hierarchy()
        self._files: dict[str, ValueSetFile] = {}
        self._by_canonical: dict[str, str] | None = None

    # -- files -----------------------------------------------------------------------------
    def file(self, ref: str) -> ValueSetFile:
        """The ValueSet file named `ref` (a file name, or a canonical `url` / `url|version`)."""
        if self.folder is None:
            raise ValueSetFileError("no value-set folder (library/valuesets/) to read it from")
        name = self._canonical(ref) if ("://" in ref or "|" in ref or ref.startswith("urn:")) else ref
        if "/" in name or "\\" in name or name.startswith("."):
            raise ValueSetFileError("name a file in library/valuesets/ (no folders)")
        if name not in self._files:
            path = self.folder / name
            try:
                self._files[name] = read_valueset_file(path)
            except ValueSetFileError as e:
                known = [p.name for p in self.folder.glob("*.json")] if not path.exists() else []
                raise ValueSetFileError(f"{e}{did_you_mean(name, known)}") from None
        return self._files[name]

    def _canonical(self, ref: str) -> str:
        if self._by_canonical is None:
            self._by_canonical = {}
            for path in sorted(self.folder.glob("*.json")) if self.folder else []:
                try:
                    f = self.file(path.name)
                except ValueSetFileError:
                    continue
                if f.url:
                    self._by_canonical.setdefault(f.url, path.name)
                    self._by_canonical[f.canonical] = path.name
        if ref not in self._by_canonical:
            raise ValueSetFileError(f"no file in library/valuesets/ has the canonical url {ref!r}")
        return self._by_canonical[ref]

    # -- composition -------------------------------------------------------------------------
    def compose(self, name: str, vs: ValueSet, smap: SourceMap, base: P) -> tuple[ComposedValueSet, list[Diagnostic]]:
        """The composed set and the diagnostics of its definition (placed at `base` in `smap`)."""
        return _Composition(self, name, vs, smap, base).run()


class _Composition:
    """One value set being composed."""

    def __init__(self, composer: Composer, name: str, vs: ValueSet, smap: SourceMap, base: P):
        self.c = composer
        self.name, self.vs, self.smap, self.base = name, vs, smap, base
        self.diags: list[Diagnostic] = []
        self.files: dict[str, FileRef] = {}
        self.hierarchies: set[str] = set()
        self.authored: list[AuthoredCode] = []
        self.defined_in = Path(smap.file).name

    def err(self, path: P, msg: str) -> None:
        self.diags.append(self.smap.diag(self.base + path, COMPOSE_ERROR, f"value set {self.name!r}: {msg}"))

    def run(self) -> tuple[ComposedValueSet, list[Diagnostic]]:
        vs = self.vs
        include = [self.part(ValueSetEntry(codes=vs.codes), ("codes",), "include", top=True)] if vs.codes else []
        include += [self.part(e, ("include", i), "include") for i, e in enumerate(vs.include)]
        possible = [self.part(e, ("possible", i), "possible") for i, e in enumerate(vs.possible)]
        exclude = [self.part(e, ("exclude", i), "exclude") for i, e in enumerate(vs.exclude)]
        exact, prefixes, maybe = self.resolve(include, possible, exclude)
        sources = [s for p in include for s in p.sources] + [f"possibly: {s}" for p in possible for s in p.sources]
        sources += [f"minus {s}" for p in exclude for s in p.sources]
        composed = ComposedValueSet(
            name=self.name, title=vs.title, exact=frozenset(exact), prefixes=tuple(sorted(prefixes)),
            possible=frozenset(maybe), names=tuple(dict.fromkeys(vs.names)),
            not_names=tuple(dict.fromkeys(vs.not_names)), sources=tuple(sources),
            files=tuple(self.files[k] for k in sorted(self.files)), hierarchies=tuple(sorted(self.hierarchies)),
            authored=tuple(self.authored), defined_in=self.defined_in)
        return composed, self.diags

    def resolve(self, include: list[_Part], possible: list[_Part],
                exclude: list[_Part]) -> tuple[set[Code], set[Code], set[Code]]:
        """(certain codes, certain prefixes, possible codes): exclude wins over possible, possible over include."""
        exact = _union(p.exact for p in include)
        prefixes = _union(p.prefixes for p in include)
        ex_exact, ex_prefixes = _union(p.exact for p in exclude), _union(p.prefixes for p in exclude)
        maybe = _union(p.exact | p.listed for p in possible)
        self.check_cuts(prefixes, exclude, "exclude", "cannot exclude")
        self.check_cuts(prefixes, possible, "possible", "cannot make possible")
        prefixes = {p for p in prefixes if not _under(p, ex_prefixes)}
        maybe = {c for c in maybe - ex_exact if not _under(c, ex_prefixes)}
        exact = {c for c in exact - ex_exact - maybe if not _under(c, ex_prefixes)}
        return exact, prefixes, maybe

    def check_cuts(self, prefixes: set[Code], parts: list[_Part], role: str, verb: str) -> None:
        """An excluded or possible code below an included prefix cannot be taken out of it."""
        for i, part in enumerate(parts):
            for c in sorted(part.exact | (part.prefixes if role == "exclude" else part.listed)):
                inside = [p for p in prefixes if p[0] == c[0] and c[1].startswith(p[1]) and c != p]
                if inside:
                    s, p = inside[0]
                    self.err((role, i), f"{verb} {c[0]}:{c[1]}: it lies below the included {s}:{p} (every code "
                                        f"below it is matched); include the wanted codes below {s}:{p} instead")
                    break

    # -- entries -----------------------------------------------------------------------------
    def part(self, e: ValueSetEntry, path: P, role: str, top: bool = False) -> _Part:
        if e.valueset is not None:
            return self.valueset_part(e, path)
        if e.descendants is not None:
            return self.descendants_part(e.descendants, path, role)
        return self.codes_part(e.codes or [], path if top else path + ("codes",), role, e.source)

    def codes_part(self, codes: list[str], path: P, role: str, source: str | None) -> _Part:
        part = _Part()
        for i, literal in enumerate(codes):
            m = CODE_RE.match(literal)
            if m is None:  # the model validated them
                continue
            system, code = m.group(1), normalise_code(m.group(1), m.group(2))
            line, column = self.smap.locate(self.base + path + (i,))
            self.authored.append(AuthoredCode(system, code, self.smap.file, line, column))
            if m.group(3):
                if role != "include":
                    self.err(path + (i,), f"{literal!r}: a trailing * (every code below) is only allowed in "
                                          "`codes` and `include`; list the codes or use `descendants`")
                    continue
                part.prefixes.add((system, code))
            else:
                part.exact.add((system, code))
        by_system = _count_systems(part.exact | part.prefixes)
        part.sources = [f"{self.defined_in}: {len(codes)} listed code(s) ({by_system})" + (f", {source}" if source else "")]
        return part

    def valueset_part(self, e: ValueSetEntry, path: P) -> _Part:
        assert e.valueset is not None
        part = _Part()
        try:
            f = self.c.file(e.valueset)
        except ValueSetFileError as err:
            self.err(path + ("valueset",), f"ValueSet {e.valueset!r}: {err}")
            return part
        self.files[f.file] = FileRef(f.file, f.url, f.version, f.expanded, f.digest)
        keep = _display_test(e.display)
        for system, code, display in f.codes:
            if (e.systems is None or system in e.systems) and keep(display):
                part.exact.add((system, code))
        if not part.exact:
            self.err(path, f"ValueSet {e.valueset!r}: the entry selects no code")
        part.sources = [f.describe() + _selection_text(e)]
        return part

    def descendants_part(self, items: list[str], path: P, role: str) -> _Part:
        part = _Part()
        shown: dict[str, list[str]] = {}
        for i, literal in enumerate(items):
            m = ITEM_RE.match(literal)
            if m is None:
                continue
            system, item = m.group(1), m.group(2)
            item = item if "-" in item else normalise_code(system, item)
            below = self.c.hierarchy.below(system, item)
            self.hierarchies.add(package_label(system))
            if below is None:
                self.err(path + ("descendants", i), f"{literal!r}: {PACKAGES[system].label} has no item {item!r} "
                                                    f"({package_label(system)})")
                continue
            part.prefixes.update((system, p) for p in below.prefixes)
            part.listed.update((system, c) for c in below.codes)
            shown.setdefault(system, []).append(item)
        if role == "possible":
            part.prefixes = set()
        part.sources = [f"{SYSTEM_NAMES[s]} descendants of {', '.join(v)} ({package_label(s)})"
                        for s, v in shown.items()]
        return part


def _union(sets: Iterable[set[Code]]) -> set[Code]:
    out: set[Code] = set()
    for s in sets:
        out |= s
    return out


def _under(code: Code, prefixes: Iterable[Code]) -> bool:
    return any(code[0] == s and code[1].startswith(p) for s, p in prefixes)


def _count_systems(codes: Iterable[Code]) -> str:
    counts: dict[str, int] = {}
    for s, _ in codes:
        counts[s] = counts.get(s, 0) + 1
    return ", ".join(f"{SYSTEM_NAMES.get(s, s)} {n}" for s, n in sorted(counts.items()))


def _display_test(f: DisplayFilter | None) -> Any:
    if f is None:
        return lambda display: True
    wanted, unwanted = phrase_pattern(f.any), phrase_pattern(f.none) if f.none else None
    return lambda display: bool(wanted.search(display)) and not (unwanted and unwanted.search(display))


def _selection_text(e: ValueSetEntry) -> str:
    bits = []
    if e.systems:
        bits.append(" and ".join(SYSTEM_NAMES.get(s, s) for s in e.systems) + " codes only")
    if e.display:
        bits.append("displays naming " + " or ".join(repr(p) for p in e.display.any)
                    + (" but not " + " or ".join(repr(p) for p in e.display.none) if e.display.none else ""))
    return (", " + ", ".join(bits)) if bits else ""


def literal_codes(literals: list[str], file: str, line: int, column: int) -> list[AuthoredCode]:
    """`system:code` literals written in a criterion, normalised, at their place."""
    out = []
    for r in literals:
        m = CODE_RE.match(r)
        if m:
            out.append(AuthoredCode(m.group(1), normalise_code(m.group(1), m.group(2)), file, line, column))
    return out


def merged_code_set(literals: list[str], sets: list[ComposedValueSet]) -> ir.CodeSet:
    """One `ir.CodeSet` for a criterion's `code:` (literals and value sets): codes, prefixes and
    names of all; a code that one set makes certain is not possible; sources named by set."""
    exact: set[Code] = set()
    prefixes: set[Code] = set()
    for r in literals:
        m = CODE_RE.match(r)
        if m:
            (prefixes if m.group(3) else exact).add((m.group(1), normalise_code(m.group(1), m.group(2))))
    for vs in sets:
        exact |= vs.exact
        prefixes.update(vs.prefixes)
    cs = ir.CodeSet(" or ".join([*literals, *(vs.title or vs.name for vs in sets)]), frozenset(exact),
                    tuple(sorted(prefixes)))
    possible = frozenset(c for vs in sets for c in vs.possible if not cs.matches(*c))
    return ir.CodeSet(cs.name, cs.exact, cs.prefixes, tuple(dict.fromkeys(n for vs in sets for n in vs.names)),
                      tuple(f"{vs.name}: {s}" for vs in sets for s in vs.sources), possible,
                      tuple(dict.fromkeys(n for vs in sets for n in vs.not_names)))
