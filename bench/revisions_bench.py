"""The screening hot paths of two revisions, measured side by side in one run, with their outputs
compared byte for byte.

    python bench/revisions_bench.py --base ba37442 [--patients 300] [--rounds 3]

The base revision is exported with `git archive` to a temporary folder; the working tree is the
other side. Each round runs one short child process per side, alternately (base, head, base,
head, ...), so that machine noise hits both alike; a child screens the same seeded cohort
against every bundled trial and reports CPU time per patient (its best of a few passes) for:

* verdicts: `Screener.outcomes` (the batch hot path: facts, engine, statuses);
* explained: `Screener.screen` (the result document, as a model);
* serialised: the JSON of result documents made beforehand (JSON only), as the API writes it
  (`Screener.report_json` where the revision has it, else `model_dump_json()`);
* served: `Screener.screen(...)` written the same way (what the API answers);

and a digest of everything it produced: every result document's JSON, every status and verdict,
and the data-to-collect summary the batch writes (`missing_measures`). The run prints each
side's cost, head / base ratios, and whether the digests are identical (they must be for a
behaviour-preserving change; the script exits 1 otherwise).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("verdicts", "explained", "serialised", "served")


def cost_per_patient(fn, patients, passes: int) -> float:
    """CPU seconds per patient of `fn`, the best of `passes` passes over the patients."""
    best = float("inf")
    for _ in range(passes):
        t = time.process_time()
        for p in patients:
            fn(p)
        best = min(best, (time.process_time() - t) / len(patients))
    return best


def child(patients: int, seed: int, passes: int) -> None:
    """Measure this process's `screening` (the tree first on sys.path) and print one JSON line."""
    tree = Path(sys.path[0]).resolve()
    import screening
    from screening.ruleset.catalog import load_catalog
    from screening.runtime.evaluate import Screener, missing_measures
    from tests.patient_gen import AS_OF, cohort
    assert Path(screening.__file__).resolve().is_relative_to(tree), (screening.__file__, tree)

    screener = Screener(load_catalog())
    cohort_ = cohort(patients, seed=seed)
    digest = hashlib.sha256()
    for p in cohort_:  # outputs (and warm caches: unit factors, shared values, code lookups)
        for out in screener.outcomes(p, AS_OF):
            digest.update(f"{out.trial_id} {out.verdict} {sorted(out.statuses.items())} "
                          f"{missing_measures(out.values)}\n".encode())
        digest.update(screener.screen(p, AS_OF).model_dump_json().encode())
    # the answer's bytes as the API writes them (older revisions: pydantic's `model_dump_json`)
    write = getattr(screener, "report_json", None) or (lambda r: r.model_dump_json().encode())
    for p in cohort_:
        report = screener.screen(p, AS_OF)
        if write(report) != report.model_dump_json().encode():
            digest.update(b"served bytes differ from model_dump_json")
    reports = {id(p): screener.screen(p, AS_OF) for p in cohort_}
    runs = {
        "verdicts": lambda p: screener.outcomes(p, AS_OF),
        "explained": lambda p: screener.screen(p, AS_OF),
        "serialised": lambda p: write(reports[id(p)]),
        "served": lambda p: write(screener.screen(p, AS_OF)),
    }
    cost = {name: cost_per_patient(fn, cohort_, passes) for name, fn in runs.items()}
    screener.close()
    print(json.dumps({"digest": digest.hexdigest(), "cost": cost}))


def export(rev: str, dest: Path) -> None:
    """The files of `rev` under `dest` (git archive, no checkout)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                          check=True, capture_output=True).stdout
    tar = dest / "tree.tar"
    tar.write_bytes(data)
    with tarfile.open(tar) as t:
        t.extractall(dest / "tree", filter="data")
    tar.unlink()


def run_side(tree: Path, *args: object, script: Path = Path(__file__)) -> dict:
    """`child(*args)` of `script` run in a child process on the tree `tree`: its last JSON line."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    code = (f"import sys; sys.path.insert(0, {str(tree)!r}); sys.argv = ['x']; "
            f"import runpy; m = runpy.run_path({str(script.resolve())!r}); "
            f"m['child'](*{args!r})")
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def alternate(base: str, rounds: int, *args: object, script: Path = Path(__file__)) -> dict[str, list[dict]]:
    """Side ("base": the revision `base`, exported; "head": the working tree) -> the results of
    `rounds` child runs of `script`, the sides alternating (base, head, base, head, ...)."""
    with tempfile.TemporaryDirectory(prefix="revisions-bench-") as tmp:
        export(base, Path(tmp))
        sides = {"base": Path(tmp) / "tree", "head": ROOT}
        runs: dict[str, list[dict]] = {s: [] for s in sides}
        for _ in range(rounds):
            for side, tree in sides.items():
                runs[side].append(run_side(tree, *args, script=script))
    return runs


def revision_args(description: str | None, patients: int, seed: int) -> argparse.ArgumentParser:
    """The options of a benchmark of two revisions: --base, --patients, --seed, --rounds, --passes."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="the revision to compare with (e.g. ba37442)")
    ap.add_argument("--patients", type=int, default=patients)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--rounds", type=int, default=3, help="child processes per side, alternating")
    ap.add_argument("--passes", type=int, default=2, help="timed passes over the cohort per child")
    return ap


def main() -> int:
    a = revision_args(__doc__, 300, 1).parse_args()

    runs = alternate(a.base, a.rounds, a.patients, a.seed, a.passes)
    best = {s: {k: min(r["cost"][k] for r in rs) for k in PATHS} for s, rs in runs.items()}
    digests = {s: {r["digest"] for r in rs} for s, rs in runs.items()}
    print(f"{a.patients} patients (seed {a.seed}), every bundled trial; best of {a.rounds} alternating "
          f"runs x {a.passes} passes; CPU time per patient")
    print(f"{'path':<10} {'base ' + a.base:>18} {'head':>12} {'head / base':>12}")
    for k in PATHS:
        b, h = best["base"][k], best["head"][k]
        print(f"{k:<10} {b * 1e6:15,.0f} us {h * 1e6:9,.0f} us {h / b:11.2f}x")
    e, v = best["head"]["served"], best["head"]["verdicts"]
    print(f"head: served / verdicts {e / v:.2f}x (base {best['base']['served'] / best['base']['verdicts']:.2f}x); "
          f"explained / verdicts {best['head']['explained'] / v:.2f}x "
          f"(base {best['base']['explained'] / best['base']['verdicts']:.2f}x)")
    same = len(digests["base"] | digests["head"]) == 1
    print("outputs (result documents, statuses, verdicts, data to collect): "
          + ("byte-identical" if same else f"DIFFERENT {sorted(digests['base'])} vs {sorted(digests['head'])}"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
