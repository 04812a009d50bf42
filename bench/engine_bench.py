"""Engine throughput against an honest baseline and the reference interpretation, and memory
over many evaluations.

    python bench/engine_bench.py [--patients 5000] [--memory-evals 200000] [--quick]

Prints, measured side by side in one run on the same patients:
* patients per CPU-second (per core) screened against every bundled trial through the engine
  (facts -> durable_rules -> statuses, the batch hot path); through the baseline
  (bench/baseline.py: the same facts, each criterion compiled once to a plain-Python closure,
  the same three-valued semantics: what the engine is measured against); and through the
  reference interpretation of the IR (tests/oracle.py, written for independence, not speed);
* that the baseline and the engine agree on every status of every patient;
* the engine with one reused session per ruleset (the adapter's way) against a fresh session
  per evaluation, created and deleted each time (the way before), and that both agree;
* the cost of the facts alone (shared by both), and what each side costs beyond them;
* where an engine screening's time goes: facts, the fact's text, the durable_rules calls and
  reading the fired rules as statuses;
* resident memory before and after --memory-evals evaluations (it must stay flat).
Target: the engine's verdicts within 2x of the baseline.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.baseline import Baseline  # noqa: E402
from screening.ruleset.catalog import load_catalog  # noqa: E402
from screening.runtime.engine import Engine  # noqa: E402
from screening.runtime.evaluate import Screener  # noqa: E402
from screening.runtime.plan import condition_statuses  # noqa: E402
from tests.oracle import trial_statuses  # noqa: E402
from tests.patient_gen import AS_OF, cohort  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def best_rate(fn, patients, rounds: int) -> float:
    """Patients per CPU-second of this process (per core), the best of `rounds`."""
    best = 0.0
    for _ in range(rounds):
        t = time.process_time()
        for p in patients:
            fn(p)
        best = max(best, len(patients) / (time.process_time() - t))
    return best


def print_breakdown(screener: Screener, patients, rounds: int) -> None:
    """Where an engine screening's time goes, stage by stage, in place (each stage timed around
    its own calls, for every engine pack of every patient; the best of `rounds` passes)."""
    rulesets = screener.resolve_trials(None)
    packs = [(pack.name, encode, values) for pack, (encode, values)
             in zip(screener.plan.packs, screener._encoders, strict=True)]
    plans = [screener.plan.trials[rs.trial_id] for rs in rulesets]
    fired_json, clock = screener.engine.fired_json, time.process_time
    best = {k: float("inf") for k in ("facts", "fact text", "durable_rules calls", "statuses")}
    for _ in range(rounds):
        spent = dict.fromkeys(best, 0.0)
        for p in patients:
            t0 = clock()
            facts = screener._facts(p, AS_OF, rulesets)
            spent["facts"] += clock() - t0
            fired: set[str] = set()
            for name, encode, values in packs:
                t1 = clock()
                text = encode(values(facts.cache))
                t2 = clock()
                fired |= fired_json(name, text)
                t3 = clock()
                spent["fact text"] += t2 - t1
                spent["durable_rules calls"] += t3 - t2
            t4 = clock()
            conditions = condition_statuses(screener.plan, fired)
            for plan in plans:
                screener._decide(plan, facts, conditions)
            spent["statuses"] += clock() - t4
        best = {k: min(best[k], v / len(patients)) for k, v in spent.items()}
    total = sum(best.values())
    print(f"where an engine screening's time goes ({len(packs)} engine packs; each stage timed in place, per patient):")
    for k, v in best.items():
        print(f"  {k:<22} {v * 1e6:7,.0f} us  {v / total:5.0%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patients", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--memory-evals", type=int, default=200_000)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    a = ap.parse_args()
    if a.quick:
        a.patients, a.rounds, a.memory_evals = 500, 1, 5000

    catalog = load_catalog()
    screener = Screener(catalog)
    trials = [rs.ir for rs in catalog.rulesets.values()]
    patients = cohort(a.patients, seed=1)
    # the catalog, the engine and the cohort live for the whole run: keep them out of the
    # garbage collector's scans, as the batch workers and the HTTP service do after loading
    gc.collect()
    gc.freeze()
    n_crit = sum(len(t.criteria) for t in trials)
    print(f"{len(trials)} trials, {n_crit} criteria, {len(patients)} distinct patients, as of {AS_OF}")

    def engine(p):
        return screener.outcomes(p, AS_OF)

    def reference(p):
        return [trial_statuses(t, p, AS_OF) for t in trials]

    fresh_screener = Screener(catalog, Engine(reuse_sessions=False))

    def engine_fresh(p):
        return fresh_screener.outcomes(p, AS_OF)

    baseline = Baseline(catalog)

    def fast(p):
        return baseline.outcomes(p, AS_OF)

    rulesets = screener.resolve_trials(None)

    def facts_only(p):
        return screener._facts(p, AS_OF, rulesets)

    disagreements = sum(
        {o.trial_id: o.statuses for o in engine(p)} != fast(p) for p in patients)
    session_disagreements = sum(
        [o.statuses for o in engine(p)] != [o.statuses for o in engine_fresh(p)] for p in patients)
    # warm up caches (unit factors, regexes) for every side
    for p in patients[:200]:
        engine(p)
        engine_fresh(p)
        fast(p)
        reference(p)
        facts_only(p)
    # interleave rounds so that machine noise hits every side alike
    e_rate = b_rate = r_rate = f_rate = s_rate = 0.0
    for _ in range(a.rounds):
        e_rate = max(e_rate, best_rate(engine, patients, 1))
        s_rate = max(s_rate, best_rate(engine_fresh, patients, 1))
        b_rate = max(b_rate, best_rate(fast, patients, 1))
        r_rate = max(r_rate, best_rate(reference, patients, 1))
        f_rate = max(f_rate, best_rate(facts_only, patients, 1))
    print(f"engine (durable_rules):   {e_rate:10,.0f} patients per CPU-second (all {len(trials)} trials)")
    print(f"engine, fresh sessions:   {s_rate:10,.0f} patients per CPU-second (a session created and deleted "
          f"per evaluation); reused / fresh: {e_rate / s_rate:.2f}x; "
          f"{session_disagreements} of {len(patients)} patients with a different status")
    print(f"baseline (plain Python):  {b_rate:10,.0f} patients per CPU-second; "
          f"{disagreements} of {len(patients)} patients with a different status")
    print(f"reference interpretation: {r_rate:10,.0f} patients per CPU-second")
    print(f"engine / baseline cost:   {b_rate / e_rate:10.2f}x   (target <= 2x)")
    print(f"baseline / reference:     {b_rate / r_rate:10.2f}x faster")
    f_cost, e_cost, b_cost = 1 / f_rate, 1 / e_rate, 1 / b_rate
    # the closures cost little next to the facts: their share can fall within the noise
    print(f"facts (shared by engine and baseline): {f_cost * 1e6:,.0f} us per patient, "
          f"{f_cost / e_cost:.0%} of the engine's cost; beyond the facts the engine costs "
          f"{(e_cost - f_cost) * 1e6:,.0f} us and the baseline's closures "
          + (f"{(b_cost - f_cost) * 1e6:,.0f} us" if b_cost - f_cost > 0.05 * f_cost else "too little to tell from noise"))

    print_breakdown(screener, patients, a.rounds)

    gc.collect()
    before = rss_mb()
    t = time.perf_counter()
    n = 0
    checkpoints = []
    while n < a.memory_evals:
        for p in patients:
            engine(p)
            n += 1
            if n % max(1, a.memory_evals // 4) == 0:
                gc.collect()
                checkpoints.append((n, rss_mb()))
            if n >= a.memory_evals:
                break
    dt = time.perf_counter() - t
    gc.collect()
    after = rss_mb()
    print(f"memory: {before:.1f} MB before, {after:.1f} MB after {n:,} evaluations "
          f"(growth {after - before:+.1f} MB; {n / dt:,.0f} patients/s sustained)")
    print("  checkpoints: " + ", ".join(f"{k:,}: {v:.1f} MB" for k, v in checkpoints))


if __name__ == "__main__":
    main()
