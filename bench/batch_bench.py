"""Batch screening benchmark: throughput with 1 and 2 workers, and peak memory for large cohorts.

    python bench/batch_bench.py            # 100k patients x all trials (1 and 2 workers), then 1M (2 workers)
    python bench/batch_bench.py --quick    # 10k and 50k: a couple of minutes
    python bench/batch_bench.py --skip-big # only the 100k throughput runs
    python bench/batch_bench.py --bulk     # FHIR Bulk Data input beside JSON Lines, 100k and 1M (--quick: 10k, 50k)

Each run is the real command (`screening batch`, a subprocess) timed end to end; memory is the
peak resident set size sampled every 0.1 s over the driver and its worker processes: the sum
over the process tree and the largest single process. Targets: speedup >= 1.7x with 2 workers
on 2 cores; peak RSS < 500 MB, not growing with the cohort.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from patients.fhir.export import write_fhir_bulk, write_fhir_cohort  # noqa: E402
from patients.synthetic import generate, load_spec, write_cohort  # noqa: E402

AS_OF = "2026-11-01"


def _burn(n: int) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t0


def machine_parallelism(n: int = 10_000_000) -> float:
    """A control: how much faster 2 processes do 2 units of pure CPU work than 1 process (2.0 = two free cores)."""
    one = _burn(n)
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [1000, 1000])  # start-up
        t0 = time.perf_counter()
        pool.map(_burn, [n, n])
        two = time.perf_counter() - t0
    return 2 * one / two


def cohort(workdir: Path, n: int, seed: int = 2026) -> Path:
    path = workdir / f"cohort-{n}-{seed}.jsonl"
    if not path.exists():
        t0 = time.perf_counter()
        write_cohort(path, load_spec(), n, seed)
        dt = time.perf_counter() - t0
        print(f"generated {n:,} patients in {dt:.1f} s ({n / dt:,.0f}/s, {path.stat().st_size / 1e6:,.0f} MB)", flush=True)
    return path


def bulk_cohort(workdir: Path, n: int, seed: int = 2026) -> Path:
    """The same patients as `cohort(workdir, n, seed)`, as a FHIR Bulk Data folder."""
    path = workdir / f"bulk-{n}-{seed}"
    if not (path / "Patient.ndjson").exists():
        t0 = time.perf_counter()
        write_fhir_bulk(path, generate(load_spec(), n, seed))
        size = sum(p.stat().st_size for p in path.iterdir())
        print(f"generated {n:,} patients as Bulk Data in {time.perf_counter() - t0:.1f} s ({size / 1e6:,.0f} MB)",
              flush=True)
    return path


def ndjson_cohort(workdir: Path, n: int, seed: int = 2026) -> Path:
    """The same patients as FHIR Bundles, one per line (the same FHIR import as Bulk Data: the honest baseline)."""
    path = workdir / f"bundles-{n}-{seed}.ndjson"
    if not path.exists():
        write_fhir_cohort(path, generate(load_spec(), n, seed))
    return path


def bulk_runs(workdir: Path, sizes: list[int], chunk: int) -> None:
    """The same patients as JSON Lines profiles, NDJSON of Bundles and Bulk Data, side by side (2
    workers): rate and peak RSS. Bundles and Bulk Data go through the same FHIR import."""
    print(f"{'patients':>10} {'input':>14} {'seconds':>8} {'patients/s':>11} {'RSS total MB':>12} {'RSS max MB':>10}")
    for n in sizes:
        rows = [("jsonl", run(cohort(workdir, n), workdir / f"out-{n}-jsonl", 2, chunk)),
                ("fhir-bundles", run(ndjson_cohort(workdir, n), workdir / f"out-{n}-ndjson", 2, chunk)),
                ("fhir-bulk", run(bulk_cohort(workdir, n), workdir / f"out-{n}-bulk", 2, chunk))]
        for name, r in rows:
            print(f"{r['patients']:>10,} {name:>14} {r['seconds']:>8.1f} {r['rate']:>11,.0f} {r['rss_total']:>12.0f} "
                  f"{r['rss_single']:>10.0f}", flush=True)
        print(f"  Bulk Data / NDJSON Bundles: {rows[2][1]['rate'] / rows[1][1]['rate']:.2f}x the rate", flush=True)


def run(path: Path, outdir: Path, workers: int, chunk: int) -> dict[str, float]:
    cmd = [sys.executable, "-m", "screening.cli", "batch", str(path), "--as-of", AS_OF, "--workers", str(workers),
           "--chunk-size", str(chunk), "--restart", "--no-progress", "-o", str(outdir)]
    peak = {"total": 0.0, "single": 0.0}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    stop = threading.Event()

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                peak["total"] = max(peak["total"], sum(rss) / 2**20)
                peak["single"] = max(peak["single"], max(rss, default=0) / 2**20)
            except psutil.Error:
                pass
            stop.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}):\n{stderr}")
    summary = json.loads((outdir / "summary.json").read_text())
    n = summary["cohort"]["patients"]
    return {"patients": n, "trials": len(summary["trials"]), "workers": workers, "seconds": elapsed,
            "rate": n / elapsed, "pairs_rate": n * len(summary["trials"]) / elapsed,
            "rss_total": peak["total"], "rss_single": peak["single"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10k / 50k patients instead of 100k / 1M")
    ap.add_argument("--skip-big", action="store_true", help="skip the large-cohort memory run")
    ap.add_argument("--n", type=int, default=None, help="throughput cohort size")
    ap.add_argument("--big", type=int, default=None, help="memory-run cohort size")
    ap.add_argument("--chunk-size", type=int, default=1000)
    ap.add_argument("--workdir", type=Path, default=None, help="keep cohorts here (default: a temp folder)")
    ap.add_argument("--bulk", action="store_true", help="FHIR Bulk Data input beside JSON Lines (2 workers)")
    args = ap.parse_args()
    n = args.n or (10_000 if args.quick else 100_000)
    big = args.big or (50_000 if args.quick else 1_000_000)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="batch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"cpus: {os.cpu_count()}; work folder: {workdir}", flush=True)
    if args.bulk:
        bulk_runs(workdir, [n] if args.skip_big else [n, big], args.chunk_size)
        return

    control = machine_parallelism()
    print(f"control: 2 processes of pure CPU work run {control:.2f}x as fast as 1 (2.00 = two free cores)", flush=True)
    path = cohort(workdir, n)
    results = []
    for w in (1, 2):
        r = run(path, workdir / f"out-{n}-w{w}", w, args.chunk_size)
        results.append(r)
        print(f"  {r['patients']:,} patients x {r['trials']} trials, {w} worker(s): {r['seconds']:.1f} s, "
              f"{r['rate']:,.0f} patients/s, peak RSS {r['rss_total']:.0f} MB (largest process {r['rss_single']:.0f} MB)",
              flush=True)
    speedup = results[0]["seconds"] / results[1]["seconds"]
    if not args.skip_big:
        bpath = cohort(workdir, big)
        r = run(bpath, workdir / f"out-{big}-w2", 2, args.chunk_size)
        results.append(r)
        print(f"  {r['patients']:,} patients x {r['trials']} trials, 2 workers: {r['seconds']:.1f} s, "
              f"{r['rate']:,.0f} patients/s, peak RSS {r['rss_total']:.0f} MB (largest process {r['rss_single']:.0f} MB)",
              flush=True)

    print()
    print(f"{'patients':>10} {'trials':>6} {'workers':>7} {'seconds':>8} {'patients/s':>11} {'pairs/s':>9} "
          f"{'RSS total MB':>12} {'RSS max MB':>10}")
    for r in results:
        print(f"{r['patients']:>10,} {r['trials']:>6} {r['workers']:>7} {r['seconds']:>8.1f} {r['rate']:>11,.0f} "
              f"{r['pairs_rate']:>9,.0f} {r['rss_total']:>12.0f} {r['rss_single']:>10.0f}")
    print(f"speedup with 2 workers: {speedup:.2f}x (target >= 1.7x); "
          f"control: {control:.2f}x for pure CPU work on this machine now")
    worst = max(r["rss_total"] for r in results)
    print(f"peak RSS, driver + workers: {worst:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
