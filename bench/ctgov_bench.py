"""CT.gov drafting time per record, in process, against reading the same record.

    python bench/ctgov_bench.py [--rounds 5]

For every fixture record (`tests/fixtures/ctgov/`) measures, alternating in one run, the time to
draft it (`draft_record_file`, every text cache cleared before each run so that no record is
timed from its own cache) and, as the side-by-side reference, the time to read it and cut its
eligibility text into items (`load_record` + `split_criteria`, which drafting also does). Prints
per record the best of `--rounds` runs of each and the ratio, then the median and the maximum
drafting time against the target (under 50 ms a record) and the precision and recall of the drafts
(`tests/ctgov/quality.py`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screening.ctgov.draft import draft_record_file  # noqa: E402
from screening.ctgov.record import load_record  # noqa: E402
from screening.ctgov.text import split_criteria  # noqa: E402
from tests.ctgov.quality import clear_caches, measure, record_files  # noqa: E402

TARGET_MS = 50.0


def _best(fn, path: Path, rounds: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(rounds):
        clear_caches()
        t0 = time.perf_counter()
        fn(path)
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="runs of each per record; the best is kept (default 5)")
    args = ap.parse_args()
    drafts, reads = [], []
    print(f"{'record':<14} {'items':>5} {'read ms':>8} {'draft ms':>9} {'draft/read':>10}")
    for path in record_files():
        items = len(split_criteria(load_record(path).eligibility_text).items)
        read = _best(lambda p: split_criteria(load_record(p).eligibility_text), path, args.rounds)
        draft = _best(draft_record_file, path, args.rounds)
        reads.append(read)
        drafts.append(draft)
        print(f"{path.stem:<14} {items:>5} {read:>8.2f} {draft:>9.2f} {draft / read:>9.1f}x")
    print(f"\ndrafting: median {statistics.median(drafts):.1f} ms, max {max(drafts):.1f} ms a record "
          f"(target: under {TARGET_MS:g} ms: {'met' if max(drafts) < TARGET_MS else 'NOT met'}); "
          f"draft / read: median {statistics.median(d / r for d, r in zip(drafts, reads, strict=True)):.1f}x")
    print("\n".join(measure(repeat=1).lines()[:3]))


if __name__ == "__main__":
    main()
