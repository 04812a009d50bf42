"""The HTTP tests' client is the one Starlette's TestClient is built on (httpx2): importing it warns
of nothing, so a deprecation in the test run is news, not noise."""

from __future__ import annotations

import subprocess
import sys


def test_the_test_client_imports_without_a_warning() -> None:
    run = subprocess.run([sys.executable, "-W", "error", "-c",
                          "import fastapi.testclient, starlette.testclient"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
