"""Writing a draft where it can be used: `<rules>/<NCT id>/trial.yaml` with a starter `cases.yaml`
beside it, in a rules folder that has a library.

A rule set is checked and screened against the library of its rules folder (`<rules>/library/`,
see docs/rule-sets.md). When the folder a draft is written to has none, the library the draft was
made against is copied there, so that `screening lint`, `screening test` and `screening check
--rules` work on that folder as they do on the bundled rules; an existing library is never
replaced.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from screening.ctgov.cases import StarterCases, starter_cases
from screening.ctgov.draft import Draft
from screening.ctgov.value_sets import LOCAL_VALUE_SETS
from screening.ctgov.yaml_writer import dump_cases
from screening.ruleset.catalog import library_files
from screening.ruleset.loader import LoadedLibrary, load_library

CASES_HEADER = ("# Starter cases for a DRAFT rule set: the patients were built from the drafted definitions, so they\n"
                "# test the rules as drafted. Check every case against the registry text before relying on it.\n")


class OutputError(ValueError):
    """The draft cannot be written where asked."""


@dataclass
class Written:
    trial: Path
    cases: Path | None  # None: not written (--no-cases, or kept an existing file)
    library: LoadedLibrary
    library_root: Path  # the rules folder whose library the draft refers to
    notes: list[str] = field(default_factory=list)
    starter: StarterCases | None = None


def ensure_library(root: Path, source: Path | None) -> tuple[LoadedLibrary, list[str]]:
    """The library of the rules folder `root`, first copied from the rules folder `source` when
    `root` has none. Raises `RuleSetError` for a library that does not load, `OutputError` when
    there is none to copy."""
    notes = []
    if not library_files(root):
        if source is None or not library_files(source):
            raise OutputError(f"{root} has no library/ and none was found to copy (give --library)")
        # the whole folder: the value-set definitions and the ValueSet files they are composed from
        shutil.copytree(source / "library", root / "library", dirs_exist_ok=True)
        notes.append(f"copied the rules library from {source / 'library'} to {root / 'library'}")
    return load_library(library_files(root)), notes


def value_set_codes(library: LoadedLibrary) -> dict[str, list[str]]:
    """Every value set a draft may name (the library's and the importer's) -> its codes."""
    codes = {n: list(vs.codes) for n, vs in library.model.value_sets.items()}
    for n, vs in LOCAL_VALUE_SETS.items():
        codes.setdefault(n, list(vs["codes"]))
    return codes


def write_draft(draft: Draft, target: Path, library_source: Path | None, *, force: bool = False,
                cases_as_of: dt.date | None = None) -> Written:
    """Write the draft's trial.yaml at `target` (and, unless `cases_as_of` is None, a starter
    cases.yaml beside it), in a rules folder with a library. An existing trial.yaml is replaced
    only with `force`; an existing cases.yaml is kept unless `force`; none is written when no
    criterion is computable (a note says so)."""
    if target.name != "trial.yaml":
        raise OutputError(f"{target}: rule sets load from <rules folder>/<trial id>/trial.yaml; give a path ending in "
                          f"trial.yaml, or a rules folder to write <trial id>/trial.yaml into")
    if target.exists() and not force:
        raise OutputError(f"{target} exists (use --force to overwrite)")
    root = target.parent.parent
    library, notes = ensure_library(root, library_source)
    target.parent.mkdir(parents=True, exist_ok=True)
    # value sets the library already has are referred to, not copied into the trial
    target.write_text(draft.yaml(set(library.model.value_sets)), encoding="utf-8")
    written = Written(target, None, library, root, notes)
    if cases_as_of is None:
        return written
    cases = target.parent / "cases.yaml"
    if cases.exists() and not force:
        notes.append(f"kept the existing {cases} (use --force to replace it)")
        return written
    written.starter = starter_cases(draft.summary.trial_id, draft.criteria, value_set_codes(library), cases_as_of)
    if not written.starter.data["cases"]:  # a cases file needs at least one case
        notes.append("no starter cases: no criterion was drafted as computable")
        return written
    cases.write_text(dump_cases(written.starter.data, CASES_HEADER), encoding="utf-8")
    written.cases = cases
    return written
