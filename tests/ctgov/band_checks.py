"""Today's checks that a definition accounts for its item, applied to the drafts of the held-out
first runs as the drafter of their time made them (a file written by `python -m
tests.ctgov.first_runs --dump FILE`): which wrong drafts each check would have left for review, and
which right ones it would have cost. A check justified only by the drafts it was written for would
show here as right drafts lost.

    python -m tests.ctgov.band_checks FILE

Each draft is checked against its item's text as split then, with the spans of the item's other
drafts as the findings beside it (the findings that drafted nothing are not in the dump).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from screening.ctgov.recognisers.base import Finding, sentence_of
from screening.ctgov.recognisers.context import context_of_another, past_for_current, unread_time_bound


def _finding(row: dict[str, Any]) -> Finding:
    start = max(row["text_then"].find(row["span"]), 0)
    return Finding("draft", row["when"], row["span"], row["confidence"], row["reading"], start, start + len(row["span"]))


def _why(row: dict[str, Any], others: list[Finding]) -> list[tuple[str, str]]:
    text, f = row["text_then"], _finding(row)
    s, e = sentence_of(text, f.start)
    checks = {"context": context_of_another(text, f, s), "time bound": unread_time_bound(text, f, s, e, [f, *others]),
              "past for current": past_for_current(text, f, s, e)}
    return [(name, why) for name, why in checks.items() if why]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", type=Path, help="a file written by `python -m tests.ctgov.first_runs --dump`")
    rows = [json.loads(line) for line in ap.parse_args().dump.read_text(encoding="utf-8").splitlines()]
    by_item: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_item[r["batch"], r["nct"], r["kind"], r["item"]].append(r)
    counts: Counter[tuple[str, str]] = Counter()
    for r in (r for r in rows if r["known"]):
        others = [_finding(g) for g in by_item[r["batch"], r["nct"], r["kind"], r["item"]] if g is not r]
        for name, why in _why(r, others):
            counts[name, "right" if r["right"] else "wrong"] += 1
            print(f"{'right' if r['right'] else 'WRONG'} {r['confidence']} {r['nct']} {r['kind']} {r['item']} "
                  f"({name}): {json.dumps(r['when'])}\n      {r['text_then'][:160]}\n      {why}")
    for name in ("context", "time bound", "past for current"):
        print(f"{name}: {counts[name, 'wrong']} wrong drafts left for review, {counts[name, 'right']} right ones lost")


if __name__ == "__main__":
    main()
