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
from screening.runtime.codeindex import CodeIndex, Placement
from screening.runtime.records import RECORD_LIST, START_ATTR, UNCODED

Located = tuple[int, Any]  # (position in its record list, record)
# A record in a query's domain: (position in its record list, record, the coding that put it
# there, why it is only possibly there: None when a coding is certainly in the query's code set).
# Paths into the profile ("conditions[3]") are written only for evidence (`record_path`).
Entry = tuple[int, Any, Any, str | None]
POSSIBLE_CODE, NAMED, UNREAD_SYSTEM = "possible code", "named", "unread system"
UNREAD_SYSTEM_KINDS = frozenset({"medication"})
"""Record kinds whose records coded only in code systems a query's code set has no codes in are
possible matches of the query (`UNREAD_SYSTEM`), never silently left out. Medication vocabularies
(ATC, RxNorm, national codes) do not overlap: a concept written in ATC cannot tell whether an
RxNorm-coded prescription is in it, so the record may be. Diagnoses, results and procedures are
read through several classifications, their hierarchies and the names in their text."""
_EMPTY: list[Entry] = []


def record_path(kind: str, i: int) -> str:
    """The path into the profile of the i-th record of a kind: "conditions[3]"."""
    return f"{RECORD_PATH[kind]}[{i}]"


RECORD_PATH = {**RECORD_LIST, "participation": "administrative.trial_participations"}


class RecordDomains:
    """The records of one patient at one screening date, by kind and by query domain."""

    def __init__(self, profile: PatientProfile, as_of: dt.date, index: CodeIndex | None = None):
        self.p = profile
        self.as_of = as_of
        self._index = index
        self._known_by_kind: dict[str, list[Located]] = {}
        self._domains: dict[Any, list[Entry]] = {}
        self._entries: dict[int, tuple[ir.Records, list[Entry]]] = {}
        self._named_by: dict[int, list[Entry]] = {}  # naming number -> records named so (with an index)
        # code set number (`CodeIndex.observation_set`) -> the latest observation with a coding
        # certainly in the set (the later one of a day), its position and that coding
        self.latest: dict[int, tuple[int, Any, Any]] | None = {} if index is not None else None
        if index is not None:
            for kind in index.kinds:
                self._sort(index, kind)

    def _sort(self, index: CodeIndex, kind: str) -> None:
        """One pass over the known records of one kind: each into the domain of every query one of
        its codings belongs to and, when the kind has namings, under each naming whose concept its
        text names (by its first coding that names it) and whose exception none of its codings
        names; each observation as the latest of the latest values' code sets it is in, if it is.
        What a coding means is looked up once per distinct coding (`CodeIndex.placement`)."""
        domains = self._domains
        known = self.known(kind)
        for d in index.uncoded.get(kind, ()):
            domains[d] = [(i, r, None, None) for i, r in known]
        if kind in UNCODED:
            return
        placement, namings, observations = index.placement, kind in index.namings, kind == "observation"
        for i, r in known:
            placed = [(c, placement(kind, c.system, c.code, c.display)) for c in r.codings()]
            for c, (membership, _, _, _) in placed:
                for d, certain in membership:
                    dom = domains.get(d)
                    if dom is None:
                        domains[d] = [(i, r, c, None if certain else POSSIBLE_CODE)]
                    elif dom[-1][1] is not r:
                        dom.append((i, r, c, None if certain else POSSIBLE_CODE))
                    elif certain and dom[-1][3] is not None:
                        dom[-1] = (i, r, c, None)  # a later coding is certainly in the set
            if namings:
                self._name(i, r, placed)
            if observations and any(p[3] for _, p in placed):
                self._keep_latest(i, r, placed)

    def _name(self, i: int, r: Any, placed: list[tuple[Any, Placement]]) -> None:
        """The record under each naming its text names (by its first coding that names it) and
        whose exception none of its codings names."""
        first: dict[int, Any] = {}
        excluded: set[int] = set()
        for c, (_, named, exceptions, _) in placed:
            for n in named:
                first.setdefault(n, c)
            excluded.update(exceptions)
        for n, c in first.items():
            if n not in excluded:
                self._named_by.setdefault(n, []).append((i, r, c, NAMED))

    def _keep_latest(self, i: int, r: Any, placed: list[tuple[Any, Placement]]) -> None:
        """The observation as the latest of each latest value's code set it is in (by its first
        coding in the set), unless one of a later day is kept already."""
        latest = self.latest
        assert latest is not None
        taken: set[int] = set()
        for c, (_, _, _, sets) in placed:
            for n in sets:
                if n in taken:
                    continue
                taken.add(n)
                newest = latest.get(n)
                if newest is None or newest[1].date <= r.date:
                    latest[n] = (i, r, c)

    def _records(self, kind: str) -> list[Any]:
        """The records of one kind, in the profile's order."""
        if kind == "participation":
            return self.p.administrative.trial_participations
        return getattr(self.p, RECORD_LIST[kind])  # type: ignore[no-any-return]

    def known(self, kind: str) -> list[Located]:
        """(position, record) of the records of one kind known at the screening date."""
        known = self._known_by_kind.get(kind)
        if known is None:
            start_attr, as_of = START_ATTR[kind], self.as_of
            known = []
            for i, r in enumerate(self._records(kind)):
                start = getattr(r, start_attr)
                if start is None or start <= as_of:  # later: not yet recorded at the screening date
                    known.append((i, r))
            self._known_by_kind[kind] = known
        return known

    def domain(self, q: ir.Records) -> list[Entry]:
        """Records of the query's kind with a coding in its code set, known at the screening date."""
        if self._index is not None:  # sorted up front
            return self._domains.get(self._index.domain_of_query(q), _EMPTY)
        key = (q.record, q.codes)
        dom = self._domains.get(key)
        if dom is None:
            dom = self._domains[key] = []
            for i, r in self.known(q.record):
                found = q.codes.match_of(r.codings()) if q.codes is not None else (None, True)
                if found is not None:
                    dom.append((i, r, found[0], None if found[1] else POSSIBLE_CODE))
        return dom

    def _named(self, q: ir.Records, dom: list[Entry]) -> list[Entry]:
        """Records of the query's kind outside its domain whose text names its concept (and not an
        exception to it): never left out silently, they may match."""
        if self._index is not None:  # sorted up front
            named = self._named_by.get(self._index.naming_of_query(q), _EMPTY)
            if not named or not dom:
                return named
            inside = {id(e[1]) for e in dom}
            return [e for e in named if id(e[1]) not in inside]
        codes, exception = q.codes, q.exclude
        assert codes is not None
        inside = {id(e[1]) for e in dom}
        out: list[Entry] = []
        for i, r in self.known(q.record):
            if id(r) in inside:
                continue
            coding = next((c for c in r.codings() if codes.named_in(c.display)), None)
            if coding is not None and not (exception is not None and any(exception.named_in(c.display)
                                                                         for c in r.codings())):
                out.append((i, r, coding, NAMED))
        return out

    def _unread(self, kind: str, codes: ir.CodeSet, entries: list[Entry]) -> list[Entry]:
        """Records of the kind coded only in code systems the query's code set has no codes in
        (and that it may hold: `ir.CodeSet.may_hold`), not among `entries` already: they may be
        in the set (`UNREAD_SYSTEM_KINDS`)."""
        systems = codes.systems
        if not systems:
            return _EMPTY
        inside = {id(e[1]) for e in entries}
        out: list[Entry] = []
        for i, r in self.known(kind):
            codings = r.codings()
            if (codings and id(r) not in inside and not any(c.system in systems for c in codings)
                    and any(codes.may_hold(c.system) for c in codings)):
                out.append((i, r, codings[0], UNREAD_SYSTEM))
        return out

    def entries(self, q: ir.Records) -> list[Entry]:
        """The records a query considers: its domain and the records named like its concept
        (found once per query: the value, the staleness and the course of a count all read them)."""
        found = self._entries.get(id(q))  # by identity: comparing equal queries is deep
        if found is not None and found[0] is q:
            return found[1]
        dom = self.domain(q)
        entries = dom + self._named(q, dom) if q.codes is not None and q.codes.names else dom
        if q.record in UNREAD_SYSTEM_KINDS and q.codes is not None:
            entries = entries + self._unread(q.record, q.codes, entries)
        if q.latest_per_lesion and entries:
            entries = latest_per_lesion(entries)
        self._entries[id(q)] = (q, entries)
        return entries

    def unrecognised(self) -> list[tuple[str, Any, list[str]]]:
        """(kind, coding, paths) of the coded records known at the screening date that no query of
        the catalog reads by any of their codings: what the rules could not see."""
        if self._index is None:
            return []
        recognises = self._index.recognises
        out: dict[tuple[str, str, str], tuple[str, Any, list[str]]] = {}
        for kind in ("condition", "observation", "medication", "procedure"):
            for i, r in self.known(kind):
                for c in r.codings():
                    if recognises(kind, c.system, c.code):
                        break
                else:
                    key = (kind, r.code.system, r.code.code)
                    out.setdefault(key, (kind, r.code, []))[2].append(record_path(kind, i))
        return list(out.values())


def latest_per_lesion(entries: list[Entry]) -> list[Entry]:
    """Each lesion's most recent assessment (a lesion is known by its id, else its site)."""
    latest: dict[Any, Entry] = {}
    for e in entries:
        i, r = e[0], e[1]
        key = r.lesion_id or r.site or i
        if key not in latest or latest[key][1].date <= r.date:
            latest[key] = e
    return list(latest.values())
