"""The HTTP service's first request against later ones, with and without the start-up warm-up.

    python bench/first_request_bench.py [--rounds 3] [--later 5] [BUNDLE]

Each round starts the service afresh in a child process (in-process ASGI client, the real app,
rule sets loaded as `screening serve` loads them) for each variant, `SCREENING_WARM_UP=1` and
`=0`, waits for the warm-up when there is one (a client arriving earlier waits for it on the
executor), then times the first `POST /screen` of a FHIR R4 Bundle (default: a Synthea record)
and the median of the next `--later` identical requests (which also reuse what the first one
looked up for this record's codes and texts). Prints the median over rounds of
first / later per variant: 1.0 means the first request costs what later ones do.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "tests" / "fixtures" / "fhir" / "synthea" / "Luis_Miguel_Delarosa_f118c1b4-27e0-4de5-bc04-b51e14ea5bbd.json"

CHILD = r"""
import json, statistics, sys, time
from fastapi.testclient import TestClient
from api.main import create_app
from api.settings import Settings

app = create_app(Settings.from_env())
body = open(sys.argv[1], "rb").read()
later = int(sys.argv[2])
with TestClient(app) as client:
    warm = app.state.warm_up.result(timeout=300) if app.state.warm_up is not None else 0.0
    def one():
        t = time.perf_counter()
        r = client.post("/screen?as_of=2026-11-22", content=body, headers={"Content-Type": "application/fhir+json"})
        assert r.status_code == 200, r.text
        return time.perf_counter() - t
    first = one()
    rest = statistics.median(one() for _ in range(later))
print(json.dumps({"warm_up": warm, "first": first, "later": rest}))
"""


def run(bundle: Path, warm: str, later: int) -> dict[str, float]:
    env = dict(os.environ, SCREENING_WARM_UP=warm, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", CHILD, str(bundle), str(later)], capture_output=True, text=True,
                         cwd=REPO, env=env, check=True, timeout=600)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--later", type=int, default=5)
    a = ap.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"with warm-up": [], "without": []}
    for _ in range(a.rounds):  # variants alternate, so that load on the machine hits both alike
        runs["with warm-up"].append(run(a.bundle, "1", a.later))
        runs["without"].append(run(a.bundle, "0", a.later))
    print(f"{a.bundle.name}: first request / median of the next {a.later}, median over {a.rounds} fresh processes")
    for name, rs in runs.items():
        first = statistics.median(r["first"] for r in rs)
        later = statistics.median(r["later"] for r in rs)
        ratio = statistics.median(r["first"] / r["later"] for r in rs)
        warm = statistics.median(r["warm_up"] for r in rs)
        print(f"  {name:13} first {first * 1000:7.1f} ms  later {later * 1000:7.1f} ms  first/later {ratio:5.2f}x"
              + (f"  (warm-up {warm:.2f} s at start-up, waited for)" if warm else ""))


if __name__ == "__main__":
    main()
