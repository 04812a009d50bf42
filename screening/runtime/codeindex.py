"""Which record queries of a catalog each recorded code belongs to.

Every distinct (record kind, code set) of the catalog's record queries is a *domain* with a
number. With the index, a patient's records are sorted into every domain in one pass over their
codings (cost grows with the record, not with the number of criteria), and a query whose codes
the patient has none of is answered by one dictionary lookup. A code belongs to a domain
certainly (the value set lists it) or possibly (the value set lists it as `possible`).

Queries whose concept has names (words that name it in a record's text) also get a *naming*
number per distinct (record kind, code set, exception): which of them a record's display text
names (or names as an exception) is looked up once per distinct text, so a patient's records are
sorted by name in the same pass as by code.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from screening.ruleset import ir
from screening.ruleset.formulas import FORMULAS

Membership = tuple[tuple[int, bool], ...]  # (domain, certainly) for each domain a code is in
# for one display text: the namings whose concept it names, and those whose exception it names
Naming = tuple[tuple[int, ...], tuple[int, ...]]
# for one coding of a record: its domains, the namings it names (as a concept, as an exception)
# and, for an observation, the latest values' code sets that hold it
Placement = tuple[Membership, tuple[int, ...], tuple[int, ...], tuple[int, ...]]
PLACEMENTS = 1 << 16
"""Bound on the distinct codings remembered (the cache is emptied when full)."""


def observation_codes_of(m: ir.Measure) -> tuple[ir.CodeSet, ...]:
    """The observation codes a latest-value measure reads: its own, and the inputs of the formula
    that derives it when none is recorded."""
    if isinstance(m, ir.Latest):
        formula = FORMULAS.get(m.derive) if m.derive else None
        return (m.codes, *(i.codes for i in formula.inputs)) if formula else (m.codes,)
    if isinstance(m, (ir.LatestRatio, ir.LatestResult)):
        return (m.codes,)
    return ()


def queries_of(m: ir.Measure) -> tuple[ir.Records, ...]:
    """The record queries a measure reads."""
    if isinstance(m, ir.Pairs):
        return (m.anchor, m.event)
    if isinstance(m, ir.Records):
        return (m,)
    return ()


class CodeIndex:
    def __init__(self, measures: Iterable[ir.Measure]):
        self.domain_of: dict[ir.Records, int] = {}  # query -> domain number
        self.exact: dict[tuple[str, str, str], list[tuple[int, bool]]] = {}  # (kind, system, code) -> domains
        self.prefixes: dict[tuple[str, str, str], list[int]] = {}  # (kind, system, prefix) -> domains
        self.prefixed: dict[tuple[str, str], tuple[int, ...]] = {}  # (kind, system) -> prefix lengths
        self.uncoded: dict[str, list[int]] = {}  # kind -> domains of queries without codes
        self.naming_of: dict[ir.Records, int] = {}  # query with names -> naming number
        # kind -> (naming, code set, exception) of the queries of that kind with names
        self.namings: dict[str, list[tuple[int, ir.CodeSet, ir.CodeSet | None]]] = {}
        numbers: dict[tuple[str, ir.CodeSet | None], int] = {}
        naming_numbers: dict[tuple[str, ir.CodeSet, ir.CodeSet | None], int] = {}
        # id of each query object of the catalog -> (the query, its domain, its naming): looked up by
        # identity, as comparing equal queries is deep
        self._by_id: dict[int, tuple[ir.Records, int, int | None]] = {}
        for q in (q for m in measures for q in queries_of(m)):
            key = (q.record, q.codes)
            if key not in numbers:
                numbers[key] = len(numbers)
                self._add(numbers[key], q)
            self.domain_of[q] = numbers[key]
            self._by_id[id(q)] = (q, numbers[key], None)
            if q.codes is not None and q.codes.names:
                nkey = (q.record, q.codes, q.exclude)
                if nkey not in naming_numbers:
                    naming_numbers[nkey] = len(naming_numbers)
                    self.namings.setdefault(q.record, []).append((naming_numbers[nkey], q.codes, q.exclude))
                self.naming_of[q] = naming_numbers[nkey]
                self._by_id[id(q)] = (q, numbers[key], naming_numbers[nkey])
        # observation codes read by latest values (not record queries): recognised, not domains
        self.observation_codes = tuple(dict.fromkeys(c for m in measures for c in observation_codes_of(m)))
        self.size = len(numbers)
        self.kinds = sorted({kind for kind, _ in numbers})
        # the same codes recur in every patient's record: remember where each one goes
        self.domains_of_code = lru_cache(maxsize=1 << 16)(self._domains_of_code)
        self.names_in = lru_cache(maxsize=1 << 16)(self._names_in)
        self.recognises = lru_cache(maxsize=1 << 16)(self._recognises)
        self._placements: dict[tuple[str, str, str, str | None], Placement] = {}
        # the code sets of latest values, numbered (equal sets once), by the identity of each
        # set object the catalog's measures hold (hashing a code set is deep)
        numbered: dict[ir.CodeSet, int] = {}
        self.observation_set: dict[int, int] = {}
        for c in self.observation_codes:
            self.observation_set[id(c)] = numbered.setdefault(c, len(numbered))
        for m in measures:
            for c in observation_codes_of(m):
                self.observation_set.setdefault(id(c), numbered[c])
        self._observation_sets = tuple(numbered)
        self._sets_of_code: dict[tuple[str, str], tuple[int, ...]] = {}
        if numbered and "observation" not in self.kinds:  # the latest values are found in the same pass
            self.kinds = sorted({*self.kinds, "observation"})

    def domain_of_query(self, q: ir.Records) -> int:
        found = self._by_id.get(id(q))
        return found[1] if found is not None and found[0] is q else self.domain_of[q]

    def naming_of_query(self, q: ir.Records) -> int:
        found = self._by_id.get(id(q))
        n = found[2] if found is not None and found[0] is q else None
        return n if n is not None else self.naming_of[q]

    def placement(self, kind: str, system: str, code: str, display: str | None) -> Placement:
        """Where a recorded coding goes: the domains its code is in, the namings whose concept its
        text names and those whose exception it names, the latest values it may be (observations);
        found once per distinct coding."""
        key = (kind, system, code, display)
        found = self._placements.get(key)
        if found is None:
            if len(self._placements) >= PLACEMENTS:
                self._placements.clear()  # bounded: codings of unusual records do not pile up
            found = self._placements[key] = (self.domains_of_code(kind, system, code), *self.names_in(kind, display),
                                             self.observation_sets_of(system, code) if kind == "observation" else ())
        return found

    def observation_sets_of(self, system: str, code: str) -> tuple[int, ...]:
        """The numbers of the latest values' code sets that certainly hold an observation code."""
        key = (system, code)
        found = self._sets_of_code.get(key)
        if found is None:
            if len(self._sets_of_code) >= PLACEMENTS:
                self._sets_of_code.clear()
            found = self._sets_of_code[key] = tuple(
                n for n, c in enumerate(self._observation_sets) if c.matches(system, code))
        return found

    def _add(self, domain: int, q: ir.Records) -> None:
        if q.codes is None:
            self.uncoded.setdefault(q.record, []).append(domain)
            return
        for system, code in q.codes.exact:
            self.exact.setdefault((q.record, system, code), []).append((domain, True))
        for system, code in q.codes.possible - q.codes.exact:
            self.exact.setdefault((q.record, system, code), []).append((domain, False))
        for system, prefix in q.codes.prefixes:
            self.prefixes.setdefault((q.record, system, prefix), []).append(domain)
            lengths = set(self.prefixed.get((q.record, system), ())) | {len(prefix)}
            self.prefixed[(q.record, system)] = tuple(sorted(lengths))

    def _domains_of_code(self, kind: str, system: str, code: str) -> Membership:
        """The domains a recorded code belongs to, each once (certainly wins over possibly)."""
        found: dict[int, bool] = dict(self.exact.get((kind, system, code), ()))
        for n in self.prefixed.get((kind, system), ()):
            if n > len(code):
                break
            for d in self.prefixes.get((kind, system, code[:n]), ()):
                found[d] = True
        return tuple(found.items())

    def _names_in(self, kind: str, display: str | None) -> Naming:
        """The namings of `kind` whose concept the text names, and those whose exception it names."""
        namings = self.namings.get(kind, ())
        return (tuple(n for n, codes, _ in namings if codes.named_in(display)),
                tuple(n for n, _, exception in namings if exception is not None and exception.named_in(display)))

    def _recognises(self, kind: str, system: str, code: str) -> bool:
        """Some query or latest value of the catalog reads this code (certainly or possibly); asked
        for every coding of every record a report lists, so remembered per code as the domains are."""
        if self.domains_of_code(kind, system, code):
            return True
        return kind == "observation" and any(c.matches(system, code) or c.possibly(system, code)
                                             for c in self.observation_codes)
