"""What the cyclic garbage collector costs a batch worker, for two revisions side by side in one run.

    python bench/gc_bench.py --base 51b982c [--patients 2000] [--rounds 3]

The base revision is exported with `git archive` (as `revisions_bench` does); the working tree is
the other side. Each round runs one short child process per side, alternately, so that machine
noise hits both alike. A child does a batch worker's own per-patient work (the cohort's lines
parsed, screened against every bundled trial, eligibility dates, tallies; chunk by chunk, no
driver, pool or part files) over a seeded cohort, after a warm-up, and reports:

* collections per 1,000 patients of each generation (`gc.get_stats`) with the collector on, as
  a worker runs;
* objects found in reference cycles per patient (a collection after the same work with the
  collector off);
* CPU time per patient (the best of a few passes) and the CPU spent in collections in that pass
  (`gc.callbacks`, the thread's CPU clock).

Objects a patient leaves in cycles are what make the collector run and scan: with none, the
collector still runs on the count of containers allocated and not yet freed (the memos and
tallies a worker keeps), but finds nothing and scans little.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22"
FIGURES = ("young", "middle", "full", "cyclic", "cpu", "in_gc")


def child(patients: int, seed: int, chunk: int, passes: int) -> None:
    """Measure this process's `screening` (the tree first on sys.path) and print one JSON line."""
    tree = Path(sys.path[0]).resolve()
    import screening
    from screening.batch.config import BatchConfig
    from screening.batch.plan import plan_input
    from screening.batch.stats import ChunkStats
    from screening.batch.worker import ChunkOutput, _screen_items, init_worker, read_items
    from screening.ruleset.catalog import default_rules_dir
    from tests.patient_gen import cohort
    assert Path(screening.__file__).resolve().is_relative_to(tree), (screening.__file__, tree)

    with tempfile.TemporaryDirectory(prefix="gc-bench-") as tmp:
        path = Path(tmp) / "cohort.jsonl"
        path.write_text("".join(p.model_dump_json(exclude_none=True) + "\n" for p in cohort(patients, seed=seed)))
        rules = str(default_rules_dir().resolve())
        state = init_worker(rules, ())
        cfg = BatchConfig(str(path), os.devnull, rules, tuple(state.measures), dt.date.fromisoformat(AS_OF), chunk,
                          "jsonl", False)
        items = [item for c in plan_input(path, "jsonl", chunk).chunks for item in read_items(cfg, c)]
    counts = {t: len(m) for t, m in state.measures.items()}

    def work() -> float:
        t = time.process_time()
        for k in range(0, len(items), chunk):
            out = ChunkOutput(ChunkStats.empty(counts, lines=chunk))
            _screen_items(iter(items[k:k + chunk]), state, cfg, out)
            out.finish()
        return (time.process_time() - t) / len(items)

    spent = [0.0, 0.0]  # CPU in collections so far, start of the current one

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            spent[1] = time.thread_time()
        else:
            spent[0] += time.thread_time() - spent[1]

    work()  # warm-up: memos, unit parses, shared values, first-use imports
    gc.collect()
    before = [s["collections"] for s in gc.get_stats()]
    gc.callbacks.append(timed)
    cpu_on, in_gc = work(), spent[0] / len(items)
    after = [s["collections"] for s in gc.get_stats()]
    young, middle, full = ((a - b) * 1000 / len(items) for a, b in zip(after, before, strict=True))
    for _ in range(passes - 1):  # the best of `passes`
        spent[0] = 0.0
        cpu = work()
        if cpu < cpu_on:
            cpu_on, in_gc = cpu, spent[0] / len(items)
    gc.callbacks.remove(timed)
    gc.collect()
    gc.disable()
    work()
    cyclic = gc.collect() / len(items)
    gc.enable()
    print(json.dumps({"young": young, "middle": middle, "full": full, "cyclic": cyclic,
                      "cpu": cpu_on, "in_gc": in_gc}))


def main() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from revisions_bench import alternate, revision_args

    ap = revision_args(__doc__, 2000, 7)
    ap.add_argument("--chunk", type=int, default=500, help="patients per chunk, as `screening batch --chunk`")
    a = ap.parse_args()

    runs = alternate(a.base, a.rounds, a.patients, a.seed, a.chunk, a.passes, script=Path(__file__))
    best: dict[str, dict[str, Any]] = {}
    for side, rs in runs.items():
        best[side] = {k: min(r[k] for r in rs) for k in FIGURES}
        best[side]["in_gc"] = min(rs, key=lambda r: r["cpu"])["in_gc"]  # in the fastest run
    print(f"a batch worker's per-patient work, {a.patients} patients (seed {a.seed}) x every bundled trial; "
          f"best of {a.rounds} alternating runs x {a.passes} passes")
    print(f"{'':<34} {'base ' + a.base:>14} {'head':>10} {'head / base':>12}")
    rows = [("young collections / 1,000 patients", "young", 1, "{:14.1f}", "{:10.1f}"),
            ("middle collections / 1,000", "middle", 1, "{:14.1f}", "{:10.1f}"),
            ("full collections / 1,000", "full", 1, "{:14.2f}", "{:10.2f}"),
            ("objects in cycles / patient", "cyclic", 1, "{:14.1f}", "{:10.1f}"),
            ("CPU / patient (us)", "cpu", 1e6, "{:14,.0f}", "{:10,.0f}"),
            ("of which in collections (us)", "in_gc", 1e6, "{:14,.1f}", "{:10,.1f}")]
    for label, k, scale, fb, fh in rows:
        b, h = best["base"][k] * scale, best["head"][k] * scale
        ratio = f"{h / b:11.2f}x" if b else f"{'-':>12}"
        print(f"{label:<34} {fb.format(b)} {fh.format(h)} {ratio}")
    for side in runs:
        print(f"{side}: the collector's share of a worker's CPU {best[side]['in_gc'] / best[side]['cpu']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
