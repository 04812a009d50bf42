"""Shared fixtures: a private copy of the concept library to build rule folders in, and an on-disk
cache of the test session's own (shared by the processes the tests start)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from screening.core.diskcache import CACHE_ENV
from tests.paths import LIBRARY


@pytest.fixture(autouse=True, scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session starts from an empty cache (expansions, parsed YAML) and does not touch the user's."""
    before = os.environ.get(CACHE_ENV)
    folder = tmp_path_factory.mktemp("screening-cache")
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


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
