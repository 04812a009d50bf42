"""Hostile rule-file text (hypothesis) through the loader, lowering, lint and compilation of a trial,
through the library loader (value sets composed) and through the cases loader: every outcome is a loaded rule set or diagnostics (file:line:col: CODE:
message on one line, at a place inside the file), never another exception, never a hang."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset.catalog import library_files, load_ruleset
from screening.ruleset.loader import LoadedLibrary, load_library
from screening.ruletest.cases import load_cases
from tests.cli.test_hostile_files import time_bound
from tests.paths import RULES

pytestmark = pytest.mark.slow  # property-based: hundreds of loads

CASE_SECONDS = 20
TRIAL = (RULES / "NCT03389919" / "trial.yaml").read_text(encoding="utf-8")
CASES = (RULES / "NCT03389919" / "cases.yaml").read_text(encoding="utf-8")
CONCEPTS = (RULES / "library" / "concepts.yaml").read_text(encoding="utf-8")
CODE = re.compile(r"^[ECL]\d{3}$")

# pieces of YAML and of the rule-set grammar that hostile or careless edits bring in
FRAGMENTS = [
    "!custom [a, b]", "!!binary aGk=", "!!set {a, b}", "!!python/object:os.system {}", "!!omap [a: 1]", "!x", "!!str",
    "&a", "*a", "*missing", "<<: *a", "&a [*a]", "? [a, b]\n  : c", "{", "}", "[", "]", "- ", ": ", "|-\n", ">\n",
    "'", '"', "#", "%YAML 1.1\n---\n", "---\n", "...\n", "\t", "\x00", "\x07", "\x1b[31m", "\x85", "\u2028",
    "\ufeff", "\ud7ff", "\U0001f4af", ":100:", "[red]x[/red]", "2026-02-31", "2026-13-01", "9" * 5000, "1e999",
    ".nan", "-.inf", "0x1F", "0o17", "~", "null", "yes", "on", "=", "<<", "{ge: 18}", "{age: {ge: x}}",
    "when: {all: []}", "when: {any: [{not: {}}]}", "{ref: nothing}", "{condition: {code: no_such_set}}",
    "{observation: {code: creatinine, lt: '2 furlong'}}", "kind: inclusive", "id: ''", "id: [1]",
    "[" * 200 + "]" * 200, "{a: " * 100 + "1" + "}" * 100, "- " * 80 + "x",
]


def alias_bomb(levels: int) -> str:
    lines = ['b0: &b0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@st.composite
def hostile_text(draw: st.DrawFn, base: str) -> str:
    """`base` with a few edits: fragments or random text inserted, lines dropped, duplicated or cut."""
    text = base
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "insert_text", "drop_line", "duplicate_line", "truncate",
                                     "replace_value", "bomb"]))
        lines = text.splitlines(keepends=True) or [""]
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif kind == "insert_text":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(max_size=30)) + text[at:]
        elif kind == "drop_line":
            text = "".join(lines[:i] + lines[i + 1:])
        elif kind == "duplicate_line":
            text = "".join(lines[:i + 1] + lines[i:])
        elif kind == "truncate":
            text = text[:draw(st.integers(0, len(text)))]
        elif kind == "replace_value" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(FRAGMENTS))}\n"
            text = "".join(lines)
        elif kind == "bomb":
            text = text + alias_bomb(draw(st.integers(3, 12)))
    return text


_library: LoadedLibrary | None = None


def library() -> LoadedLibrary:
    global _library
    if _library is None:
        _library = load_library(library_files(RULES))
    return _library


def assert_diagnostics(e: RuleSetError, path: Path, text: str) -> None:
    assert e.diagnostics, "a RuleSetError without diagnostics"
    lines = max(1, len(text.splitlines()) + 1)
    for d in e.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.file == str(path), d
        assert CODE.match(d.code), d
        assert 1 <= d.line <= lines and d.column >= 1, d
        assert "\n" not in d.format() and "\r" not in d.format(), d.format()
        assert d.message.strip(), d


SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@given(text=hostile_text(TRIAL))
@SETTINGS
def test_hostile_trial_files_give_diagnostics_only(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "T1" / "trial.yaml"
        path.parent.mkdir()
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with time_bound(CASE_SECONDS):
            try:
                load_ruleset(path, library())
            except RuleSetError as e:
                assert_diagnostics(e, path, text)


@given(text=hostile_text(CASES))
@SETTINGS
def test_hostile_cases_files_give_diagnostics_only(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with time_bound(CASE_SECONDS):
            try:
                load_cases(path)
            except RuleSetError as e:
                assert_diagnostics(e, path, text)


@given(text=hostile_text(CONCEPTS))
@settings(SETTINGS, max_examples=40)
def test_hostile_library_files_give_diagnostics_only(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        folder.mkdir()
        (folder / "valuesets").symlink_to(RULES / "library" / "valuesets")
        (folder / "value_sets.yaml").write_bytes((RULES / "library" / "value_sets.yaml").read_bytes())
        path = folder / "concepts.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with time_bound(CASE_SECONDS):
            try:
                load_library(library_files(Path(tmp)))
            except RuleSetError as e:
                assert_diagnostics(e, path, text)
