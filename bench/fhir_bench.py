"""FHIR import speed on the largest Synthea bundle of the test fixtures.

    python bench/fhir_bench.py [--rounds 20] [FILE ...]

Prints, per file: its size, resource count, the first import in a fresh process (including
loading the fhir.resources models and the UCUM registry), and the median and best of --rounds
further imports (json.loads + profile_from_fhir_json). Target: well under a second per ~1 MB bundle.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from patients.fhir import profile_from_fhir_json  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fhir" / "synthea"


def import_once(path: Path) -> tuple[float, int, int]:
    t = time.perf_counter()
    data = json.loads(path.read_text(encoding="utf-8"))
    profile, warnings = profile_from_fhir_json(data, str(path))
    elapsed = time.perf_counter() - t
    records = len(profile.conditions) + len(profile.observations) + len(profile.medications) + len(profile.procedures)
    return elapsed, records, len(warnings)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    files = args.files or [max(FIXTURES.glob("*.json"), key=lambda p: p.stat().st_size)]
    for i, path in enumerate(files):
        size_mb = path.stat().st_size / 1e6
        n = len(json.loads(path.read_text(encoding="utf-8")).get("entry", []))
        first, records, nwarn = import_once(path)
        times = [import_once(path)[0] for _ in range(args.rounds)]
        print(f"{path.name}: {size_mb:.2f} MB, {n} entries -> {records} records, {nwarn} warning line(s)")
        what = "cold, loads the fhir.resources models and the UCUM registry" if i == 0 else "new file"
        print(f"  first import ({what}): {first * 1000:.0f} ms")
        print(f"  import over {args.rounds} rounds: median {statistics.median(times) * 1000:.1f} ms, "
              f"best {min(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
