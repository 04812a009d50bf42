"""`screening check` from the shell: this tree against a previous revision, side by side in one run.

    python bench/check_bench.py [--rounds 5] [--baseline ba37442] [PATIENT ...]

Three variants run the real command in fresh processes (`python -m screening.cli check PATIENT
--as-of 2026-11-22`, text and `--json`), with the same interpreter and one cache folder, warmed
first (parsed YAML, ICD expansions: caches the baseline has too):

* `before`: the baseline revision, exported with `git archive` to a temporary folder put first on
  PYTHONPATH (its own code and rules);
* `now, cold`: this tree with its remembered unit answers deleted before every run (the first
  check after an upgrade);
* `now`: this tree, as every later check runs.

Each round runs every (variant, patient, mode) once, in turn. Prints the median wall and CPU
seconds (user + system of the child) per run and the ratios before/now, and checks that every
variant prints the same `--json` document byte for byte (the text layout may differ between
revisions). The default patients are an example profile and the largest Synthea bundle.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22"
SYNTHEA = [Path("/work/shared/data/fhir/synthea"), REPO / "tests" / "fixtures" / "fhir" / "synthea"]


def default_patients() -> list[Path]:
    found = [REPO / "patients" / "examples" / "as_patient.json"]
    for folder in SYNTHEA:
        bundles = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
        if bundles:
            return found + [bundles[-1]]
    return found


def export_revision(revision: str, into: Path) -> Path:
    """The files of `revision` under `into` (nothing of the working tree)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


class Variant:
    def __init__(self, name: str, tree: Path, cache: Path, cold_units: bool = False):
        self.name, self.tree, self.cache, self.cold_units = name, tree, cache, cold_units
        self.env = {**os.environ, "PYTHONPATH": str(tree), "SCREENING_CACHE_DIR": str(cache), "COLUMNS": "80"}
        self.env.pop("SCREENING_RULES_DIR", None)

    def run(self, patient: Path, as_json: bool) -> tuple[float, float, bytes]:
        """Wall seconds, CPU seconds of the child and its standard output."""
        if self.cold_units:
            shutil.rmtree(self.cache / "units", ignore_errors=True)
        cmd = [sys.executable, "-m", "screening.cli", "check", str(patient), "--as-of", AS_OF] + (["--json"] if as_json else [])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        done = subprocess.run(cmd, cwd=self.tree, env=self.env, capture_output=True, check=False)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{self.name}: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr.decode()}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("patients", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--baseline", default="ba37442", help="git revision to compare with (default: %(default)s)")
    args = ap.parse_args()
    patients = [p.resolve() for p in args.patients] or default_patients()

    with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
        work = Path(tmp)
        (work / "before").mkdir()
        old = export_revision(args.baseline, (work / "before").resolve())
        cache, cold_cache = work / "cache", work / "cache-cold"
        variants = [Variant(f"before ({args.baseline})", old, cache), Variant("now, cold", REPO, cold_cache, cold_units=True),
                    Variant("now", REPO, cache)]
        print(f"warming the caches (parsed YAML, ICD expansions) for {len(patients)} patient(s) ...", flush=True)
        for p in patients:
            for v in variants:
                v.run(p, True)
        shutil.rmtree(cold_cache, ignore_errors=True)
        shutil.copytree(cache, cold_cache)

        times: dict[tuple[str, Path, bool], list[tuple[float, float]]] = {}
        outputs: dict[tuple[Path, bool], dict[str, bytes]] = {}
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds}", flush=True)
            for p in patients:
                for as_json in (False, True):
                    for v in variants:
                        wall, cpu, stdout = v.run(p, as_json)
                        times.setdefault((v.name, p, as_json), []).append((wall, cpu))
                        outputs.setdefault((p, as_json), {})[v.name] = stdout
        report(variants, patients, times, outputs)


def report(variants: list[Variant], patients: list[Path], times: dict[tuple[str, Path, bool], list[tuple[float, float]]],
           outputs: dict[tuple[Path, bool], dict[str, bytes]]) -> None:
    def median(key: tuple[str, Path, bool]) -> tuple[float, float]:
        runs = times[key]
        return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)

    base, now = variants[0].name, variants[-1].name
    print(f"\nscreening check --as-of {AS_OF}: median wall / CPU seconds per run ({os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f})")
    print(f"{'patient':34} {'mode':5} " + " ".join(f"{v.name:>20}" for v in variants) + f" {'before/now wall':>16} {'CPU':>6}")
    identical = True
    for p in patients:
        for as_json in (False, True):
            cells = {v.name: median((v.name, p, as_json)) for v in variants}
            (bw, bc), (nw, nc) = cells[base], cells[now]
            print(f"{p.name[:34]:34} {'json' if as_json else 'text':5} "
                  + " ".join(f"{w:9.2f} / {c:5.2f} s" for w, c in cells.values()) + f" {bw / nw:15.2f}x {bc / nc:5.2f}x")
            if as_json and len(set(outputs[(p, True)].values())) != 1:
                identical = False
                print(f"  DIFFERENT --json output for {p.name}")
    print("--json outputs: byte-identical across variants" if identical else "--json outputs DIFFER")
    if not identical:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
