"""How the cost of screening one patient grows with the catalog: verdicts at 5, 50 and 200 trials.

    python bench/catalog_bench.py [--sizes 5,50,200] [--patients 100] [--rounds 2] [--varied] [--explained]

Builds catalogs of renamed copies of the bundled trials in a temporary folder (the library is
shared; copy k of trial T is `T-c<k>`, so every copy is its own rule set with its own hash,
while its measures and conditions are the bundled ones: the engine evaluates each distinct
condition once, so copies add no engine work; with `--varied` each copy has its own age limits
and time windows, hence distinct conditions and measures, as different trials would), then
measures, in one run on the same seeded patients, CPU time per patient for every size:

* verdicts through the engine (`Screener.outcomes`, the batch hot path);
* the same verdicts through the baseline (bench/baseline.py: the same facts, plain Python);
* served results (`screen(...).model_dump_json()`, what the API answers) with `--explained`.

Prints each cost, its ratio to the smallest catalog's and engine / baseline per size (target:
verdicts at 200 trials at most 10x those at 5), with the load time and the process's resident
memory once each catalog is loaded (every earlier catalog's rulesets are deleted by then), and
how many distinct conditions the engine evaluates in how many durable_rules rulesets.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.baseline import Baseline  # noqa: E402
from bench.engine_bench import rss_mb  # noqa: E402
from bench.revisions_bench import cost_per_patient  # noqa: E402
from screening.ruleset.catalog import default_rules_dir, load_catalog, trial_files  # noqa: E402
from screening.runtime.evaluate import Screener  # noqa: E402
from tests.patient_gen import AS_OF, cohort  # noqa: E402

_ID = re.compile(r"^(  id: )(\S+)$", re.MULTILINE)
_VARIED = [re.compile(p) for p in (r"(age: \{between: \[\d+, )(\d+)(\])", r"(age: \{g[te]: )(\d+)(\})",
                                     r"(within: )(\d+)( days| weeks| months| years)")]


def vary(text: str, copy: int) -> str:
    """Copy `copy` of a trial with its own age limits and time windows: upper age bounds and
    lower age limits `copy` years higher, every window `copy` units longer."""
    for pattern in _VARIED:
        text = pattern.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + copy}{m.group(3)}", text)
    return text


def make_catalog(size: int, dest: Path, varied: bool = False) -> Path:
    """A rules folder of `size` trials: the bundled ones, then renamed copies of them in turn
    (`varied`: each copy with its own age limits and windows, see `vary`)."""
    src = default_rules_dir()
    root = dest / f"rules-{size}{'-varied' if varied else ''}"
    shutil.copytree(src / "library", root / "library")
    bundled = sorted(trial_files(src))
    for i in range(size):
        path = bundled[i % len(bundled)]
        copy = i // len(bundled)
        trial_id = path.parent.name if copy == 0 else f"{path.parent.name}-c{copy}"
        text = path.read_text()
        if copy:
            text, n = _ID.subn(rf"\g<1>{trial_id}", text, count=1)
            assert n == 1, f"no trial id line in {path}"
            text = vary(text, copy) if varied else text
        (root / trial_id).mkdir()
        (root / trial_id / "trial.yaml").write_text(text)
    return root


def measure(root: Path, size: int, patients: list, a: argparse.Namespace) -> dict:
    t = time.perf_counter()
    catalog = load_catalog(root)
    screener, baseline = Screener(catalog), Baseline(catalog)
    loaded = time.perf_counter() - t
    agree = sum({o.trial_id: o.statuses for o in screener.outcomes(p, AS_OF)} == baseline.outcomes(p, AS_OF)
                for p in patients)
    packs = screener.plan.packs
    row = {"size": size, "loaded": loaded, "agree": agree, "rss": rss_mb(), "packs": len(packs),
           "conditions": sum(len(p.definition) for p in packs) // 2,
           "engine": cost_per_patient(lambda p: screener.outcomes(p, AS_OF), patients, a.rounds),
           "baseline": cost_per_patient(lambda p: baseline.outcomes(p, AS_OF), patients, a.rounds)}
    if a.explained:
        row["served"] = cost_per_patient(lambda p: screener.screen(p, AS_OF).model_dump_json(), patients, a.rounds)
    screener.close()
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,50,200")
    ap.add_argument("--patients", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--explained", action="store_true", help="also measure served result documents")
    ap.add_argument("--varied", action="store_true", help="copies with their own age limits and time windows "
                    "(distinct conditions and measures) instead of identical criteria")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    patients = cohort(a.patients, seed=1)
    with tempfile.TemporaryDirectory(prefix="catalog-bench-") as tmp:
        rows = [measure(make_catalog(size, Path(tmp), a.varied), size, patients, a) for size in sizes]
    first = rows[0]
    print(f"{len(patients)} patients, verdicts for every trial of each catalog; CPU time per patient, best of {a.rounds}"
          + ("; copies with their own age limits and windows" if a.varied else "; copies with identical criteria"))
    head = f"{'trials':>6} {'engine':>10} {'x smallest':>10} {'baseline':>10} {'engine/baseline':>15} {'agree':>8}"
    print(head + (f" {'served':>10} {'x smallest':>10}" if a.explained else "") + "   (catalog load)")
    for r in rows:
        line = (f"{r['size']:>6} {r['engine'] * 1e3:8.2f}ms {r['engine'] / first['engine']:9.1f}x "
                f"{r['baseline'] * 1e3:8.2f}ms {r['engine'] / r['baseline']:14.2f}x {r['agree']:>4}/{len(patients)}")
        if a.explained:
            line += f" {r['served'] * 1e3:8.2f}ms {r['served'] / first['served']:9.1f}x"
        print(line + f"   ({r['loaded']:.1f} s, {r['conditions']} distinct conditions in {r['packs']} engine rulesets, "
                     f"process RSS {r['rss']:.0f} MB)")
    print(f"target: verdicts at the largest catalog at most 10x those at the smallest "
          f"({rows[-1]['engine'] / first['engine']:.1f}x)")


if __name__ == "__main__":
    main()
