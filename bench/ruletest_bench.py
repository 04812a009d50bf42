"""Rule-set testing over the bundled trials: how long each check takes, and what it finds.

    python bench/ruletest_bench.py [--rules rules/]

Prints per trial the cases run, outcome coverage, boundary probes (and disagreements) and the
mutation score with its survivors, each with its CPU time. The same checks as
`screening test --coverage --boundaries --mutate`, timed stage by stage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screening.ruletest.boundaries import check_trial  # noqa: E402
from screening.ruletest.coverage import trial_coverage  # noqa: E402
from screening.ruletest.mutate import run_mutants  # noqa: E402
from screening.ruletest.suite import ScreenerPool, find_cases_files, run_file  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", type=Path, default=Path(__file__).resolve().parent.parent / "rules")
    args = ap.parse_args()
    pool = ScreenerPool()
    t0 = time.process_time()
    pool.get(args.rules.resolve())
    print(f"load and compile {args.rules}: {time.process_time() - t0:.2f} s CPU")
    totals = {"cases": 0.0, "coverage": 0.0, "boundaries": 0.0, "mutation": 0.0}
    try:
        for path in find_cases_files(args.rules):
            t = time.process_time()
            run = run_file(pool, path)
            totals["cases"] += (dt := time.process_time() - t)
            if run.errors or run.suite is None:
                print(f"{path}: cannot run: {run.errors[0].format()}")
                continue
            ok = sum(r.ok for r in run.results)
            loaded = pool.get(run.root)
            t = time.process_time()
            cov = trial_coverage(loaded.catalog, run.trial_id, run.results)
            totals["coverage"] += time.process_time() - t
            t = time.process_time()
            patients = [c.patient for c in run.suite.cases if c.patient is not None]
            b = check_trial(loaded.screener, run.trial_id, patients, run.suite.as_of)
            tb = time.process_time() - t
            totals["boundaries"] += tb
            t = time.process_time()
            m = run_mutants(loaded.catalog, run.trial_id, run.results)
            tm = time.process_time() - t
            totals["mutation"] += tm
            print(f"{run.trial_id}: {ok}/{len(run.results)} cases pass ({dt:.2f} s); coverage {cov.percent:.1f}% "
                  f"({cov.covered_count}/{cov.reachable_count}); {b.checked} boundary probes, "
                  f"{len(b.problems)} disagreements ({tb:.2f} s); mutation score {m.score:.1f}% "
                  f"({len(m.killed)}/{m.total}, {tm:.2f} s)")
            for s in m.survivors:
                print(f"    survivor {s.criterion}: {s.description}")
    finally:
        pool.close()
    print("CPU seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
