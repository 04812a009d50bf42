"""Hostile rule files: YAML tags, alias bombs, oversized files, control characters, files that are
not regular files, an empty rules folder, bad values in cases.yaml. Each gets a diagnostic with its
place (file:line:col: CODE: message), never a traceback, a hang or a silently dropped file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screening.cli.main import app
from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset import sourcemap
from screening.ruleset.catalog import load_catalog
from screening.ruleset.sourcemap import load_yaml
from screening.ruletest.cases import load_cases
from tests.ruleset.test_sourcemap_loader import BASE

runner = CliRunner()


def diagnostics_of(text: str, tmp_path: Path) -> list[Diagnostic]:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(RuleSetError) as e:
        load_yaml(path)
    return e.value.diagnostics


def one(text: str, tmp_path: Path) -> str:
    """The one diagnostic of a YAML text, formatted with the file name `x.yaml`."""
    (d,) = diagnostics_of(text, tmp_path)
    return d.format().replace(str(tmp_path) + os.sep, "")


# --- YAML tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\ntitle: !custom [a, b]\n", "x.yaml:2:8: E006: YAML tag '!custom' is not part of the rule-set format (write the value without it)"),
    ("a: 1\ntitle: !custom {a: b}\n", "x.yaml:2:8: E006: YAML tag '!custom' is not part of the rule-set format (write the value without it)"),
    ("title: !custom text\n", "x.yaml:1:8: E006: YAML tag '!custom' is not part of the rule-set format (write the value without it)"),
    ("a:\n  - !!binary aGVsbG8=\n", "x.yaml:2:5: E006: YAML tag '!!binary' is not part of the rule-set format (write the value without it)"),
    ("a: !!set {x, y}\n", "x.yaml:1:4: E006: YAML tag '!!set' is not part of the rule-set format (write the value without it)"),
    ("a: !!python/object:os.system {}\n", "x.yaml:1:4: E006: YAML tag '!!python/object:os.system' is not part of the rule-set format (write the value without it)"),
])
def test_a_yaml_tag_is_refused_at_its_place(text: str, expected: str, tmp_path: Path) -> None:
    assert one(text, tmp_path) == expected


def test_core_tags_and_plain_values_still_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: !!str 12\nb: !!int '3'\nc: [x, y]\nd: 2026-01-02\nbase: &b {k: 1}\ne:\n  <<: *b\n  z: 2\n")
    data, _ = load_yaml(path)
    assert data["a"] == "12" and data["b"] == 3 and data["e"] == {"k": 1, "z": 2}


def test_lint_reports_a_tagged_title_in_a_trial(write_trial: Callable[..., Path], rules_root: Path) -> None:
    path = write_trial(BASE.replace("title: Test trial", "title: !custom [a, b]"))
    r = runner.invoke(app, ["lint", str(rules_root)])
    assert r.exit_code == 2, r.output
    assert f"{path}:4:10: E006: YAML tag '!custom'" in r.output and "Traceback" not in r.output


# --- aliases and size -----------------------------------------------------------------------------


def alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [5, 9, 30])
def test_an_alias_bomb_is_refused_quickly(levels: int, tmp_path: Path) -> None:
    message = one(alias_bomb(levels), tmp_path)
    assert message.startswith("x.yaml:5:")
    assert message.endswith("E004: aliases (*name) repeat more than 10000 values "
                            "(the limit is $SCREENING_MAX_YAML_ALIAS_NODES, default 10000)")


def test_the_alias_limit_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_MAX_YAML_ALIAS_NODES", "1000000")
    path = tmp_path / "x.yaml"
    path.write_text(alias_bomb(4))
    data, _ = load_yaml(path)
    assert len(data["a4"]) == 9 and data["a4"][8][8][8][8] == ["lol"] * 9
    monkeypatch.setenv("SCREENING_MAX_YAML_ALIAS_NODES", "many")
    assert one("a: 1\n", tmp_path) == ("x.yaml:1:1: E004: $SCREENING_MAX_YAML_ALIAS_NODES must be a whole number "
                                       "of 0 or more, got 'many'")


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    assert one("a: 1\nb: &x [1, *x]\n", tmp_path) == "x.yaml:2:4: E004: an alias (*name) refers to a value that contains it"


def test_the_bundled_rule_files_are_within_the_limits() -> None:
    from tests.paths import RULES

    for path in sorted(RULES.glob("**/*.yaml")):
        load_yaml(path)


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("title: " + "a" * 2_000_000 + "\n")
    assert one(path.read_text(), tmp_path).endswith(
        "x.yaml:1:1: E003: the file is larger than 1048576 bytes "
        "(the limit is $SCREENING_MAX_RULE_FILE_BYTES, default 1048576)")
    monkeypatch.setenv("SCREENING_MAX_RULE_FILE_BYTES", "4000000")
    data, _ = load_yaml(path)
    assert len(data["title"]) == 2_000_000


def test_nesting_too_deep_is_refused_with_its_line(tmp_path: Path) -> None:
    deep = "a: 1\nb:\n  c: " + "[" * 5000 + "]" * 5000 + "\n"
    message = one(deep, tmp_path)
    assert message.startswith("x.yaml:3:") and ": E002: invalid YAML: nested deeper than 64 levels" in message


# --- characters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000 (NUL)"), ("\x07", "U+0007 (BEL)"),
                                            ("\x1b", "U+001B (ESC)"), ("\x7f", "U+007F (DEL)"),
                                            ("\x85", None), ("\u009b", "U+009B (CSI)")])
def test_a_control_character_is_reported_at_its_place(char: str, name: str | None, tmp_path: Path) -> None:
    text = "a: 1\nb: x" + char + "y\n"
    if name is None:  # NEL is a YAML line break, allowed
        load_yaml_text(text, tmp_path)
        return
    assert one(text, tmp_path) == (f"x.yaml:2:5: E005: control character {name} "
                                   "is not allowed in a rule file (remove it)")


def load_yaml_text(text: str, tmp_path: Path) -> object:
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)[0]


def test_every_line_with_a_control_character_is_reported(tmp_path: Path) -> None:
    lines = [d.line for d in diagnostics_of("a: \x00\nb: ok\nc: \x01\x02\n", tmp_path)]
    assert lines == [1, 3]


# --- files that are not regular files, symlinks ---------------------------------------------------


def test_a_self_symlinked_trial_file_is_reported_not_dropped(write_trial: Callable[..., Path], rules_root: Path) -> None:
    write_trial(BASE)
    link = rules_root / "T2" / "trial.yaml"
    link.parent.mkdir()
    link.symlink_to("trial.yaml")
    r = runner.invoke(app, ["lint", str(rules_root)])
    assert r.exit_code == 2, r.output
    assert f"{link}:1:1: E001: cannot read: Too many levels of symbolic links" in r.output


def test_a_fifo_in_the_library_is_refused_without_reading_it(rules_root: Path, write_trial: Callable[..., Path]) -> None:
    write_trial(BASE)
    fifo = rules_root / "library" / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(RuleSetError) as e:
        load_catalog(rules_root)
    assert [d.format() for d in e.value.diagnostics] == [f"{fifo}:1:1: E001: not a regular file"]


def test_an_unreadable_library_file_names_the_reason(rules_root: Path, write_trial: Callable[..., Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write_trial(BASE)
    bad = rules_root / "library" / "zz.yaml"
    bad.write_text("concepts: {}\n")
    real_open = os.open

    def refuse(path: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        if Path(path) == bad:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(RuleSetError) as e:
        load_catalog(rules_root)
    assert [d.format() for d in e.value.diagnostics] == [f"{bad}:1:1: E001: cannot read: Permission denied"]


# --- the rules folder -----------------------------------------------------------------------------


def test_an_empty_rules_folder_is_an_error(rules_root: Path, tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as e:
        load_catalog(rules_root)
    assert [d.format() for d in e.value.diagnostics] == [
        f"{rules_root}:1:1: E001: no rule sets in this folder (expected {rules_root}/<TRIAL_ID>/trial.yaml)"]
    r = runner.invoke(app, ["lint", str(rules_root)])
    assert r.exit_code == 2 and "E001: no rule sets in this folder" in r.output
    empty = tmp_path / "nothing"
    empty.mkdir()
    r = runner.invoke(app, ["trials", "--rules", str(empty)])
    assert r.exit_code == 2 and f"{empty}:1:1: E001: no rule sets in this folder" in r.stderr
    r = runner.invoke(app, ["serve", "--port", "0"], env={"SCREENING_RULES_DIR": str(empty)})
    assert r.exit_code == 2 and f"{empty}:1:1: E001: no rule sets in this folder" in r.stderr


# --- cases.yaml -----------------------------------------------------------------------------------


def test_an_invalid_date_in_cases_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("trial: T1\nas_of: 2026-11-22\npatients:\n  p:\n    id: p1\n    birth_date: 1980-02-31\ncases: []\n")
    with pytest.raises(RuleSetError) as e:
        load_cases(path)
    assert [d.format() for d in e.value.diagnostics] == [
        f"{path}:6:17: E002: invalid YAML: day is out of range for month"]


def test_a_huge_integer_is_reported_at_its_line(tmp_path: Path) -> None:
    assert one("a: 1\nb: " + "9" * 5000 + "\n", tmp_path).startswith("x.yaml:2:4: E002: invalid YAML: ")


def test_sourcemap_limits_are_documented() -> None:
    doc = (Path(sourcemap.__file__).parents[2] / "docs" / "rule-sets.md").read_text(encoding="utf-8")
    for name in ("SCREENING_MAX_RULE_FILE_BYTES", "SCREENING_MAX_YAML_ALIAS_NODES", "E003", "E004", "E005", "E006"):
        assert name in doc


# --- every command that loads rule sets ----------------------------------------------------------


def _self_link(rules_root: Path) -> Path:
    link = rules_root / "library" / "self.yaml"
    link.symlink_to("self.yaml")
    return link


def _latin1(rules_root: Path) -> Path:
    bad = rules_root / "library" / "zz.yaml"
    bad.write_bytes(b"concepts:\n  x: {title: cr\xe9atinine}\n")
    return bad


@pytest.mark.parametrize(("damage", "reason"), [(_self_link, "E001: cannot read: Too many levels of symbolic links"),
                                                (_latin1, "E001: not UTF-8 text")])
@pytest.mark.parametrize("command", ["check", "serve", "lint"])
def test_commands_report_a_damaged_library_without_a_traceback(
        write_trial: Callable[..., Path], rules_root: Path, damage: Callable[[Path], Path], reason: str,
        command: str) -> None:
    from tests.paths import REPO

    write_trial(BASE)
    bad = damage(rules_root)
    args = {"check": ["check", str(REPO / "patients" / "examples" / "as_patient.json"), "--rules", str(rules_root)],
            "serve": ["serve", "--port", "0"], "lint": ["lint", str(rules_root)]}[command]
    r = runner.invoke(app, args, env={"SCREENING_RULES_DIR": str(rules_root)})
    assert r.exit_code == 2, r.output
    assert f"{bad}:1:1: {reason}" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_an_anchor_defined_twice_is_refused(tmp_path: Path) -> None:
    assert one("a: &x 1\nb: &x 2\nc: *x\n", tmp_path) == (
        "x.yaml:2:4: E002: invalid YAML: the anchor &x is defined again (first at line 1); give each anchor its own name")
