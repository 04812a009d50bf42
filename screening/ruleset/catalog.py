"""Find, load, lint, lower and compile rule sets: `rules/library/*.yaml` + `rules/<TRIAL_ID>/trial.yaml`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset.compile import CompiledTrial, compile_trial
from screening.ruleset.ir import CriterionIR, TrialIR
from screening.ruleset.lint import lint
from screening.ruleset.loader import LoadedLibrary, content_hash, load_library, load_trial_file
from screening.ruleset.lower import Lowered, lower
from screening.ruleset.model import TrialFile
from screening.ruleset.sourcemap import SourceMap
from screening.ruleset.valuesets.compose import ComposedValueSet
from screening.ruleset.valuesets.hierarchy import package_versions

RULES_ENV = "SCREENING_RULES_DIR"


def default_rules_dir() -> Path:
    """$SCREENING_RULES_DIR, else the checkout's rules/, else the copy shipped in the wheel."""
    env = os.environ.get(RULES_ENV)
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]  # screening/
    checkout = package.parent / "rules"
    if (checkout / "library").is_dir():
        return checkout
    return package / "bundled_rules"


@dataclass(frozen=True)
class RuleSet:
    """One trial's rule set, loaded, linted, lowered and compiled."""

    path: Path
    model: TrialFile
    smap: SourceMap
    hash: str
    ir: TrialIR
    compiled: CompiledTrial
    warnings: tuple[Diagnostic, ...] = ()
    value_sets: tuple[ComposedValueSet, ...] = ()  # the value sets the criteria use, by name

    def value_set_provenance(self) -> list[dict[str, Any]]:
        """Each value set the rule set uses: name, title, the files it is composed from (url, version,
        expansion date), the hierarchy packages and the sources of its codes."""
        return [vs.provenance() for vs in self.value_sets]

    @property
    def trial_id(self) -> str:
        return self.ir.trial_id

    @property
    def title(self) -> str:
        return self.ir.title

    def criterion(self, cid: str) -> CriterionIR:
        return next(c for c in self.ir.criteria if c.id == cid)

    def counts(self) -> dict[str, int]:
        """How many criteria: in all, inclusion, exclusion, computable and for review."""
        crit = self.ir.criteria
        return {"criteria": len(crit), "inclusion": sum(c.kind == "inclusion" for c in crit),
                "exclusion": sum(c.kind == "exclusion" for c in crit),
                "computable": sum(c.computable for c in crit), "review": sum(not c.computable for c in crit)}


def library_files(root: Path) -> list[Path]:
    lib = root / "library"
    return sorted(lib.glob("*.yaml")) if lib.is_dir() else []


def load_ruleset(path: Path, library: LoadedLibrary) -> RuleSet:
    model, smap, raw = load_trial_file(path)
    lowered = lower(model, library.model, smap, library.terms)
    diags = lint(model, lowered, smap, path)
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        raise RuleSetError(errors)
    digest = ruleset_hash(raw, library.digest, lowered)
    compiled = compile_trial(lowered.ir, f"{model.trial.id}@{digest}")
    return RuleSet(path, model, smap, digest, lowered.ir, compiled, tuple(d for d in diags if d.severity != "error"),
                   tuple(lowered.used()))


def ruleset_hash(raw: bytes, library_digest: bytes, lowered: Lowered) -> str:
    """The rule set's content hash: its file, the library files, the bytes (digests) of every
    ValueSet file its value sets are composed from, and the ICD hierarchy package versions."""
    files = sorted({(f.file, f.digest) for vs in lowered.value_sets.values() for f in vs.files})
    used = "\n".join(f"{name} {digest}" for name, digest in files)
    return content_hash(raw, library_digest, used.encode(), package_versions().encode())


def trial_files(root: Path) -> list[Path]:
    """`<root>/<TRIAL_ID>/trial.yaml`, each whatever it is (a broken or looping symlink is listed, so
    that loading it reports why it cannot be read instead of dropping the trial)."""
    try:
        folders = [p for p in root.iterdir() if p.name != "library" and p.is_dir()]
    except OSError:
        return []
    return sorted(p / "trial.yaml" for p in folders if os.path.lexists(p / "trial.yaml"))


@dataclass
class Catalog:
    root: Path
    rulesets: dict[str, RuleSet]

    def ids(self) -> list[str]:
        return list(self.rulesets)

    def get(self, trial_id: str) -> RuleSet:
        return self.rulesets[trial_id]


def load_catalog(root: Path | None = None, only: Iterable[str] | None = None) -> Catalog:
    """Load every rule set under `root`; all errors of all files are raised together."""
    root = Path(root) if root is not None else default_rules_dir()
    if not root.is_dir():
        raise RuleSetError([Diagnostic(str(root), 1, 1, "E001", "rule-set folder not found")])
    found = trial_files(root)
    diags: list[Diagnostic] = [] if found else [
        Diagnostic(str(root), 1, 1, "E001", f"no rule sets in this folder (expected {root}/<TRIAL_ID>/trial.yaml)")]
    try:
        library = load_library(library_files(root))
    except RuleSetError as e:
        raise RuleSetError(diags + e.diagnostics) from None
    if diags:
        raise RuleSetError(diags)
    rulesets: dict[str, RuleSet] = {}
    wanted = set(only) if only is not None else None
    for path in found:
        if wanted is not None and path.parent.name not in wanted:
            continue
        try:
            rs = load_ruleset(path, library)
        except RuleSetError as e:
            diags += e.diagnostics
            continue
        if rs.trial_id in rulesets:
            diags.append(rs.smap.diag(("trial", "id"), "E021", f"trial id {rs.trial_id!r} is also used by {rulesets[rs.trial_id].path}"))
        rulesets[rs.trial_id] = rs
    if diags:
        raise RuleSetError(dict.fromkeys(diags))  # a library problem is reported once, not per trial
    return Catalog(root, rulesets)
