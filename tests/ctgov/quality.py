"""How good the CT.gov drafts are on the fixture records, against the hand-read tables in
`tests/ctgov/expected/` (see its README): precision and recall of computable drafts, for variables
the library knows and overall, the confident drafts that are wrong, and drafting time.

`python -m tests.ctgov.quality` prints the figures and every disagreement.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from screening.core.units import UnitError, parse_quantity
from screening.ctgov.draft import Draft, draft_record_file
from screening.ctgov.recognisers.base import lower_cache_clear, sentences
from screening.ctgov.record import load_record
from screening.ctgov.text import split_criteria
from screening.ctgov.thresholds import _comparisons
from screening.ctgov.windows import _windows
from screening.ruleset.catalog import library_files
from screening.ruleset.loader import load_library
from tests.paths import FIXTURES, REPO

EXPECTED = Path(__file__).parent / "expected"
RECORDS = FIXTURES / "ctgov"
CONFIDENT = 0.8
BUILT_IN = {"age", "sex", "life_expectancy_months", "participation"}
SECTIONS = {"Inclusion Criteria": "inclusion", "Exclusion Criteria": "exclusion"}


def record_files() -> list[Path]:
    return sorted(p for p in RECORDS.iterdir() if p.suffix in (".json", ".xml"))


def _library_names() -> tuple[set[str], set[str]]:
    lib = load_library(library_files(REPO / "rules")).model
    return set(lib.value_sets), set(lib.concepts)


LIBRARY_VALUE_SETS, LIBRARY_CONCEPTS = _library_names()


def canonical(node: Any) -> Any:
    """A definition in a form that compares by meaning of its writing: quantities as (value, unit),
    any/all members and code lists in a fixed order, `ge` and `le` together as `between`."""
    if isinstance(node, dict):
        if "ge" in node and "le" in node and "between" not in node:  # the same range, written as 'between'
            node = {**{k: v for k, v in node.items() if k not in ("ge", "le")}, "between": [node["ge"], node["le"]]}
        out = {}
        for k, v in node.items():
            if k in ("any", "all"):
                out[k] = sorted((canonical(x) for x in v), key=json.dumps)
            elif k == "code" and isinstance(v, list):
                out[k] = sorted(v)
            else:
                out[k] = canonical(v)
        return out
    if isinstance(node, list):
        return [canonical(x) for x in node]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return [float(node), "1"]
    if isinstance(node, str):
        try:
            value, unit = parse_quantity(node)
        except UnitError:
            return node
        return [value, unit]
    return node


def library_known(node: Any) -> bool:
    """Only age, sex, life expectancy, participation, library concepts and library value sets."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "ref" and v not in LIBRARY_CONCEPTS:
                return False
            if k in ("code", "except"):
                codes = v if isinstance(v, list) else [v]
                if any(c not in LIBRARY_VALUE_SETS for c in codes):
                    return False
            elif not library_known(v):
                return False
        return True
    if isinstance(node, list):
        return all(library_known(x) for x in node)
    return True


@dataclass
class Drafted:
    nct: str
    kind: str
    item: str
    when: dict[str, Any]
    confidence: float
    criterion: str
    right: bool = False
    known: bool = False


@dataclass
class Expected:
    nct: str
    kind: str
    item: str
    when: dict[str, Any]
    found: bool = False
    known: bool = False


@dataclass
class Quality:
    drafted: list[Drafted] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    hand: int = 0  # computable in principle without a value set of the importer
    items: int = 0
    problems: list[str] = field(default_factory=list)  # item lists that do not match the tables
    timings_ms: list[float] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def precision(self, known_only: bool) -> tuple[int, int]:
        ds = [d for d in self.drafted if d.known or not known_only]
        return sum(d.right for d in ds), len(ds)

    def recall(self, known_only: bool) -> tuple[int, int]:
        es = [e for e in self.expected if e.known or not known_only]
        return sum(e.found for e in es), len(es) + (0 if known_only else self.hand)

    def confident_wrong(self) -> list[Drafted]:
        return [d for d in self.drafted if not d.right and d.confidence >= CONFIDENT]

    def lines(self) -> list[str]:
        out = []
        for label, known in (("variables the library knows", True), ("overall", False)):
            pr, pn = self.precision(known)
            rr, rn = self.recall(known)
            out.append(f"{label}: precision {pr}/{pn} = {self._ratio(pr, pn):.1%}, recall {rr}/{rn} = "
                       f"{self._ratio(rr, rn):.1%}")
        wrong = self.confident_wrong()
        out.append(f"wrong drafts at confidence >= {CONFIDENT}: {len(wrong)}")
        t = self.timings_ms
        if t:
            out.append(f"drafting time per record: median {statistics.median(t):.1f} ms, max {max(t):.1f} ms "
                       f"({len(t)} records, {self.items} items)")
        return out


def _load_expected(nct: str) -> dict[tuple[str, str], Any]:
    data = YAML(typ="safe").load((EXPECTED / f"{nct}.yaml").read_text(encoding="utf-8"))
    return {(kind, str(k)): v for kind in ("inclusion", "exclusion") for k, v in (data.get(kind) or {}).items()}


def _drafted(nct: str, draft: Draft) -> list[Drafted]:
    out = []
    for c in draft.criteria:
        kind = SECTIONS.get(c["source"].get("section"))
        if kind is None or "when" not in c:
            continue
        out.append(Drafted(nct, kind, str(c["source"]["item"]), c["when"], float(c.get("confidence", 1.0)), c["id"]))
    return out


def _compare(q: Quality, nct: str, table: dict[tuple[str, str], Any], drafted: list[Drafted]) -> None:
    for (kind, item), entry in table.items():
        if entry == "review" or entry is None:
            continue
        for when in entry.get("draft") or []:
            q.expected.append(Expected(nct, kind, item, when, known=library_known(when)))
        q.hand += len(entry.get("hand") or [])
    for d in drafted:
        d.known = library_known(d.when)
        for e in q.expected:
            if (e.nct, e.kind, e.item) == (nct, d.kind, d.item) and not e.found \
                    and canonical(e.when) == canonical(d.when):
                e.found = d.right = True
                break
        q.drafted.append(d)


def clear_caches() -> None:
    """Forget every text the drafter has read (its caches are keyed by text)."""
    _comparisons.cache_clear()
    sentences.cache_clear()
    _windows.cache_clear()
    lower_cache_clear()


def measure(files: list[Path] | None = None, repeat: int = 3) -> Quality:
    """Draft every fixture record, compare with its table and time the drafting (best of
    `repeat` runs a record, in process)."""
    q = Quality()
    for path in files or record_files():
        nct = path.stem
        best = float("inf")
        for _ in range(repeat):
            clear_caches()  # every run reads the text afresh: no record is timed from its own cache
            t0 = time.perf_counter()
            draft = draft_record_file(path)
            best = min(best, (time.perf_counter() - t0) * 1000)
        q.timings_ms.append(best)
        table = _load_expected(nct)
        items = {(i.kind, i.number) for i in split_criteria(load_record(path).eligibility_text).items}
        q.items += len(items)
        if set(table) != items:
            q.problems.append(f"{nct}: table items {sorted(set(table) - items)} not in the record, record items "
                              f"{sorted(items - set(table))} not in the table")
        _compare(q, nct, table, _drafted(nct, draft))
    return q


def main() -> None:
    q = measure()
    for d in q.drafted:
        if not d.right:
            print(f"WRONG  {d.nct} {d.kind} {d.item} ({d.confidence}) {d.criterion}: {json.dumps(d.when)}")
    for e in q.expected:
        if not e.found:
            print(f"MISSED {e.nct} {e.kind} {e.item}: {json.dumps(e.when)}")
    for p in q.problems:
        print("TABLE  " + p)
    print("\n".join(q.lines()))


if __name__ == "__main__":
    main()
