"""Where the test suite finds the repository, the bundled rules and its fixtures."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
RULES = REPO / "rules"
LIBRARY = RULES / "library"
FIXTURES = TESTS / "fixtures"
