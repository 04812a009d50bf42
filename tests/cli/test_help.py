"""Every command's --help shows flags as flags (`--json`, not `--json <bool>`: `--json true` is refused)."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from screening.cli.main import app


def commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command below `group` (typer vendors its own click: duck-typed)."""
    out = [(path, group)]
    if hasattr(group, "commands"):
        for name, cmd in group.commands.items():
            out += commands(cmd, (*path, name))
    return out


ALL = commands(typer.main.get_command(app))


def test_every_command_is_walked() -> None:
    names = {" ".join(p) for p, _ in ALL}
    assert {"", "check", "batch", "serve", "cohort generate", "import ctgov", "test"} <= names


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=lambda p: " ".join(p) or "screening")
def test_help_shows_flags_without_a_value(path: tuple[str, ...]) -> None:
    cmd = dict(ALL)[path]
    r = CliRunner().invoke(app, [*path, "--help"])
    assert r.exit_code == 0, r.output
    assert "<bool>" not in r.output and "BOOLEAN" not in r.output
    for param in cmd.params:
        if param.param_type_name == "option" and getattr(param, "is_flag", False):
            for opt in param.opts:
                line = next(ln for ln in r.output.splitlines() if opt in ln)
                after = line.split(opt, 1)[1]
                assert not after.startswith(" <"), line  # no value placeholder after a flag


def test_a_flag_takes_no_value() -> None:
    r = CliRunner().invoke(app, ["check", "--json", "true", "x.json"])
    assert r.exit_code == 2 and "unexpected extra argument" in r.output
