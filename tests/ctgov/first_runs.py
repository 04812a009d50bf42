"""The held-out batches' first runs, replayed from the repository's history: for each commit that
added held-out records (their tables written before the drafter was run on them), the drafter AS
IT WAS at that commit drafts those records, and the drafts are judged by today's tables (which
include the corrections of the tables' own misreadings). Prints per batch library-known precision
and recall, then precision by confidence over every batch: what a coordinator could expect of a
draft of a record the drafter has never seen.

    python -m tests.ctgov.first_runs [--since REV] [--wrong CONFIDENCE] [--dump FILE]

`--wrong 0.6` also lists every wrong library-known draft at confidence 0.6 with its item's text.
`--dump FILE` writes every first-run draft (right or wrong) as a JSON line: its batch, record,
item, definition, confidence, criterion id, reading, span, whether its item kept a review
criterion, and the item's text as today's importer splits the record (for studying a confidence
band as a whole).

Needs the git history (not a shallow clone); each commit is exported with `git archive`.
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from tests.paths import REPO

FIXTURES = "tests/fixtures/ctgov"
EXPECTED = REPO / "tests" / "ctgov" / "expected"


def renumbered(table: dict, today: list, then: list) -> dict:
    """`table` (a table's rows keyed by today's item numbers) keyed by the numbers an older importer
    gave the same items, matched by their text (`today`, `then`: [kind, number, text] of each item);
    a row whose text that importer did not split out stays expected, under no item of its own."""
    # compared as today's splitter writes them: full-width punctuation in its ASCII form, spaces collapsed
    full_width = str.maketrans({"；": "; ", "：": ": ", "，": ", ", "（": " (", "）": ") "})

    def same(text: str) -> str:
        return " ".join(text.translate(full_width).split())

    queue: dict = {}
    for kind, number, text in then:
        queue.setdefault((kind, same(text)), []).append(number)
    moved = {(k, n): queue[(k, same(t))].pop(0) for k, n, t in today if queue.get((k, same(t)))}
    return {kind: {moved.get((kind, str(k)), f"{k} (not an item then)"): v for k, v in (table.get(kind) or {}).items()}
            for kind in ("inclusion", "exclusion")}


CHILD = inspect.getsource(renumbered) + """
import json, shutil, sys
from pathlib import Path
tree, names = Path(sys.argv[1]), sys.argv[2].split(",")
today = json.loads(Path(sys.argv[4]).read_text())  # {nct: [[kind, number, text], ...]} as today's importer splits
texts = {}  # (nct, kind, number) -> the item's text as this commit's importer splits it
for n in names:
    path = tree / "tests/ctgov/expected" / f"{n}.yaml"
    shutil.copy(Path(sys.argv[3]) / f"{n}.yaml", path)
    try:  # today's table is keyed by today's numbering: renumbered as this commit's importer splits the record
        from ruamel.yaml import YAML
        from screening.ctgov.record import load_record
        from screening.ctgov.text import split_criteria
    except ImportError:
        continue
    then = [(i.kind, i.number, " ".join(i.text.split())) for i in split_criteria(
        load_record(next((tree / "tests/fixtures/ctgov").glob(n + ".*"))).eligibility_text).items]
    texts.update({(n, k, num): t for k, num, t in then})
    table = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(renumbered(table, [tuple(x) for x in today[n]], then)), encoding="utf-8")
from tests.ctgov import quality as Q
from screening.ctgov.draft import draft_record_file
files = [p for p in Q.record_files() if p.stem in names]
q = Q.measure(files, repeat=1)
said = {}  # (record, criterion id) -> (reading, span, item kept for review, item text as split then)
for p in files:
    cs = draft_record_file(p).criteria
    review = {(c["source"].get("section"), str(c["source"].get("item"))) for c in cs if "review" in c}
    for c in cs:
        if "when" in c:
            key = (c["source"].get("section"), str(c["source"].get("item")))
            said[p.stem, c["id"]] = (c.get("reading", ""), c.get("span", ""), key in review, c.get("text", ""))
for d in q.drafted:
    reading, span, review, text = said.get((d.nct, d.criterion), ("", "", False, ""))
    print(json.dumps({"draft": 1, "confidence": d.confidence, "right": d.right, "known": d.known,
                      "nct": d.nct, "kind": d.kind, "item": d.item, "when": d.when, "criterion": d.criterion,
                      "reading": reading, "span": span, "review": review,
                      "text_then": text, "text": texts.get((d.nct, d.kind, d.item))}))
for e in q.expected:
    print(json.dumps({"expected": 1, "found": e.found, "known": e.known}))
"""


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


def held_out_commits(since: str | None) -> list[tuple[str, str, list[str]]]:
    """(commit, subject, records added) of each commit adding held-out records, oldest first."""
    rng = [f"{since}..HEAD"] if since else []
    out = []
    for line in git("log", "--reverse", "--diff-filter=A", "--format=%h %s", *rng, "--", f"{FIXTURES}/NCT*").splitlines():
        commit, subject = line.split(" ", 1)
        if "held" not in subject.lower():
            continue
        names = [Path(p).stem for p in git("show", "--name-only", "--diff-filter=A", "--format=", commit,
                                            "--", f"{FIXTURES}/NCT*").split()]
        out.append((commit, subject, [n for n in names if (EXPECTED / f"{n}.yaml").exists()]))
    return out


def _split_today(names: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """(kind, number, text) of every item of each record as today's importer splits it."""
    from screening.ctgov.record import load_record
    from screening.ctgov.text import split_criteria

    return {n: [(i.kind, i.number, " ".join(i.text.split())) for i in split_criteria(
        load_record(next((REPO / FIXTURES).glob(f"{n}.*"))).eligibility_text).items] for n in names}


def replay(commit: str, names: list[str]) -> list[dict]:
    """The drafts of `names` by the drafter at `commit`, judged by today's tables; where that
    commit's importer numbered the items otherwise (a splitter changed since), the table's rows
    are matched to its items by their text."""
    with tempfile.TemporaryDirectory(prefix="first-run-") as tmp:
        today = Path(tmp) / "today.json"
        today.write_text(json.dumps(_split_today(names)), encoding="utf-8")
        tar = Path(tmp) / "tree.tar"
        tar.write_bytes(subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                                       check=True, capture_output=True).stdout)
        tree = Path(tmp) / "tree"
        with tarfile.open(tar) as t:
            t.extractall(tree, filter="data")
        out = subprocess.run([sys.executable, "-c", CHILD, str(tree), ",".join(names), str(EXPECTED), str(today)],
                             cwd=tree,
                             env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, check=True,
                             capture_output=True, text=True).stdout
    return [json.loads(x) for x in out.splitlines() if x.startswith("{")]


def item_text(nct: str, kind: str, number: str) -> str:
    """An item's text as today's importer splits the record (its numbering may have moved since)."""
    from screening.ctgov.record import load_record
    from screening.ctgov.text import split_criteria

    path = next((REPO / FIXTURES).glob(f"{nct}.*"))
    for item in split_criteria(load_record(path).eligibility_text).items:
        if (item.kind, item.number) == (kind, number):
            return " ".join(item.text.split())
    return "(no such item today)"


def _write_drafts(dump: TextIO, rows: list[dict], commit: str) -> None:
    """Every draft of a batch's first run, right or wrong, as a JSON line with its item's text."""
    for r in rows:
        if "draft" in r:
            dump.write(json.dumps({**r, "batch": commit, "text": item_text(r["nct"], r["kind"], r["item"])}) + "\n")


def _list_wrong(drafts: list[dict], confidence: float) -> None:
    for r in drafts:
        if not r["right"] and r["confidence"] == confidence:
            print(f"    WRONG {r['nct']} {r['kind']} {r['item']}: {json.dumps(r['when'])}\n"
                  f"          {(r.get('text') or item_text(r['nct'], r['kind'], r['item']))[:300]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--since", help="only batches added after this revision")
    ap.add_argument("--wrong", type=float, metavar="CONFIDENCE",
                    help="also list every wrong library-known draft at this confidence, with its item's text")
    ap.add_argument("--dump", type=Path, metavar="FILE", help="write every first-run draft as a JSON line to FILE")
    a = ap.parse_args()
    dump = a.dump.open("w", encoding="utf-8") if a.dump else None
    bands: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0, 0, 0]
    for commit, subject, names in held_out_commits(a.since):
        rows = replay(commit, names)
        drafts = [r for r in rows if "draft" in r and r["known"]]
        expected = [r for r in rows if "expected" in r and r["known"]]
        right, found = sum(r["right"] for r in drafts), sum(r["found"] for r in expected)
        wrong8 = sum(not r["right"] and r["confidence"] >= 0.8 for r in drafts)
        total = [total[0] + right, total[1] + len(drafts), total[2] + found, total[3] + len(expected)]
        for r in drafts:
            bands[r["confidence"]][0] += r["right"]
            bands[r["confidence"]][1] += 1
        if dump is not None:
            _write_drafts(dump, rows, commit)
        print(f"{commit} ({len(names)} records) library-known precision {right}/{len(drafts)}, recall "
              f"{found}/{len(expected)}, wrong at >= 0.8: {wrong8}  | {subject[:70]}")
        if a.wrong is not None:
            _list_wrong(drafts, a.wrong)
    if dump is not None:
        dump.close()
    if total[1]:
        print(f"all first runs: library-known precision {total[0]}/{total[1]} = {total[0] / total[1]:.1%}, "
              f"recall {total[2]}/{total[3]} = {total[2] / max(total[3], 1):.1%}")
        print("precision by confidence (library-known drafts): " + ", ".join(
            f"{c:g}: {r}/{n} = {r / n:.0%}" for c, (r, n) in sorted(bands.items())))


if __name__ == "__main__":
    main()
