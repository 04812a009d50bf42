"""Which of a patient's records each record query considers: its domain (records with a coding
in the query's code set, or only possibly in it) and the records whose text names its concept.

With a `CodeIndex` the records are sorted into the catalog's query domains once per patient;
without one (tests, single measures) a domain is found when first asked for. Records dated after
the screening date are left out (they were not known then).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.model import PatientProfile
from screening.ruleset import ir
from screening.runtime.codeindex import CodeIndex
from screening.runtime.records import RECORD_LIST, START_ATTR, UNCODED

Located = tuple[str, Any]  # (path into the profile, record)
# A record in a query's domain: (path, record, the coding that put it there, why it is only
# possibly there: None when a coding is certainly in the query's code set)
Entry = tuple[str, Any, Any, str | None]
POSSIBLE_CODE, NAMED = "possible code", "named"
_EMPTY: list[Entry] = []


_PATHS: dict[str, list[str]] = {}


def record_paths(attr: str, n: int) -> list[str]:
    """["<attr>[0]", "<attr>[1]", ...], at least n of them: the paths of a record list, written
    once per process rather than for every record of every patient."""
    paths = _PATHS.get(attr)
    if paths is None or len(paths) < n:
        # a new, complete list replaces the old one: a concurrent reader sees one or the other
        paths = _PATHS[attr] = [f"{attr}[{i}]" for i in range(max(n, 2 * len(paths or ()), 64))]
    return paths


class RecordDomains:
    """The records of one patient at one screening date, by kind and by query domain."""

    def __init__(self, profile: PatientProfile, as_of: dt.date, index: CodeIndex | None = None):
        self.p = profile
        self.as_of = as_of
        self._index = index
        self._known_by_kind: dict[str, list[Located]] = {}
        self._domains: dict[Any, list[Entry]] = {}
        self._entries: dict[ir.Records, list[Entry]] = {}
        self._named_by: dict[int, list[Entry]] = {}  # naming number -> records named so (with an index)
        if index is not None:
            self._sort_into_domains(index)
            self._sort_by_name(index)

    def _sort_into_domains(self, index: CodeIndex) -> None:
        """Every known record into the domain of each query one of its codings belongs to."""
        domains = self._domains
        for kind in index.kinds:
            known = self.known(kind)
            for d in index.uncoded.get(kind, ()):
                domains[d] = [(path, r, None, None) for path, r in known]
            if kind in UNCODED:
                continue
            for path, r in known:
                for c in r.codings():
                    for d, certain in index.domains_of_code(kind, c.system, c.code):
                        dom = domains.get(d)
                        if dom is None:
                            domains[d] = [(path, r, c, None if certain else POSSIBLE_CODE)]
                        elif dom[-1][1] is not r:
                            dom.append((path, r, c, None if certain else POSSIBLE_CODE))
                        elif certain and dom[-1][3] is not None:
                            dom[-1] = (path, r, c, None)  # a later coding is certainly in the set

    def _sort_by_name(self, index: CodeIndex) -> None:
        """Every known record under each naming whose concept its text names (by its first coding
        that names it) and whose exception none of its codings names."""
        named_by, names_in = self._named_by, index.names_in
        for kind in index.namings:
            for path, r in self.known(kind):
                first: dict[int, Any] = {}
                excluded: set[int] = set()
                for c in r.codings():
                    named, exceptions = names_in(kind, c.display)
                    for n in named:
                        first.setdefault(n, c)
                    excluded.update(exceptions)
                for n, c in first.items():
                    if n not in excluded:
                        named_by.setdefault(n, []).append((path, r, c, NAMED))

    def _records(self, kind: str) -> list[Located]:
        """(path, record) pairs of one kind, in the profile's order."""
        if kind == "participation":
            records = self.p.administrative.trial_participations
            return list(zip(record_paths("administrative.trial_participations", len(records)), records, strict=False))  # the paths may be more
        attr = RECORD_LIST[kind]
        records = getattr(self.p, attr)
        return list(zip(record_paths(attr, len(records)), records, strict=False))  # the paths may be more

    def known(self, kind: str) -> list[Located]:
        """(path, record) of the records of one kind known at the screening date."""
        known = self._known_by_kind.get(kind)
        if known is None:
            start_attr, as_of = START_ATTR[kind], self.as_of
            known = []
            for path, r in self._records(kind):
                start = getattr(r, start_attr)
                if start is None or start <= as_of:  # later: not yet recorded at the screening date
                    known.append((path, r))
            self._known_by_kind[kind] = known
        return known

    def domain(self, q: ir.Records) -> list[Entry]:
        """Records of the query's kind with a coding in its code set, known at the screening date."""
        if self._index is not None:
            return self._domains.get(self._index.domain_of[q], _EMPTY)  # sorted up front
        key = (q.record, q.codes)
        dom = self._domains.get(key)
        if dom is None:
            dom = self._domains[key] = []
            for path, r in self.known(q.record):
                found = q.codes.match_of(r.codings()) if q.codes is not None else (None, True)
                if found is not None:
                    dom.append((path, r, found[0], None if found[1] else POSSIBLE_CODE))
        return dom

    def _named(self, q: ir.Records, dom: list[Entry]) -> list[Entry]:
        """Records of the query's kind outside its domain whose text names its concept (and not an
        exception to it): never left out silently, they may match."""
        if self._index is not None:  # sorted up front
            named = self._named_by.get(self._index.naming_of[q], _EMPTY)
            if not named or not dom:
                return named
            inside = {id(e[1]) for e in dom}
            return [e for e in named if id(e[1]) not in inside]
        codes, exception = q.codes, q.exclude
        assert codes is not None
        inside = {id(e[1]) for e in dom}
        out: list[Entry] = []
        for path, r in self.known(q.record):
            if id(r) in inside:
                continue
            coding = next((c for c in r.codings() if codes.named_in(c.display)), None)
            if coding is not None and not (exception is not None and any(exception.named_in(c.display)
                                                                         for c in r.codings())):
                out.append((path, r, coding, NAMED))
        return out

    def entries(self, q: ir.Records) -> list[Entry]:
        """The records a query considers: its domain and the records named like its concept
        (found once per query: the value, the staleness and the course of a count all read them)."""
        entries = self._entries.get(q)
        if entries is None:
            dom = self.domain(q)
            entries = dom + self._named(q, dom) if q.codes is not None and q.codes.names else dom
            if q.latest_per_lesion and entries:
                entries = latest_per_lesion(entries)
            self._entries[q] = entries
        return entries

    def unrecognised(self) -> list[tuple[str, Any, list[str]]]:
        """(kind, coding, paths) of the coded records known at the screening date that no query of
        the catalog reads by any of their codings: what the rules could not see."""
        if self._index is None:
            return []
        recognises = self._index.recognises
        out: dict[tuple[str, str, str], tuple[str, Any, list[str]]] = {}
        for kind in ("condition", "observation", "medication", "procedure"):
            for path, r in self.known(kind):
                if not any(recognises(kind, c.system, c.code) for c in r.codings()):
                    key = (kind, r.code.system, r.code.code)
                    out.setdefault(key, (kind, r.code, []))[2].append(path)
        return list(out.values())


def latest_per_lesion(entries: list[Entry]) -> list[Entry]:
    """Each lesion's most recent assessment (a lesion is known by its id, else its site)."""
    latest: dict[Any, Entry] = {}
    for e in entries:
        path, r = e[0], e[1]
        key = r.lesion_id or r.site or path
        if key not in latest or latest[key][1].date <= r.date:
            latest[key] = e
    return list(latest.values())
