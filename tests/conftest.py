"""Shared fixtures: a private copy of the concept library to build rule folders in."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.paths import LIBRARY


@pytest.fixture
def rules_root(tmp_path: Path) -> Path:
    """An empty rule folder holding a copy of rules/library (independent of the trial files)."""
    root = tmp_path / "rules"
    shutil.copytree(LIBRARY, root / "library")
    return root


@pytest.fixture
def write_trial(rules_root: Path) -> Callable[..., Path]:
    """write_trial(text, folder="T1") -> path of rules_root/<folder>/trial.yaml."""

    def write(text: str, folder: str = "T1") -> Path:
        path = rules_root / folder / "trial.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
