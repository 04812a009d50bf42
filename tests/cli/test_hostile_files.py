"""Hostile patient files (tests/hostile.py) given to `screening check`: exit 2 with a message naming
the file (or 0 when the document happens to be a valid patient), never a traceback or a hang."""

from __future__ import annotations

import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from screening.cli.main import app
from tests.hostile import hostile_documents

pytestmark = pytest.mark.slow  # property-based: many CLI runs

CASE_SECONDS = 20


class Hang(Exception):
    pass


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Interrupt a case that runs longer than `seconds` (a hang fails the case instead of the run)."""
    def interrupt(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@given(doc=hostile_documents)
@settings(max_examples=80, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
def test_check_refuses_hostile_files_cleanly(doc: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("patient.json", "patient.ndjson"):
            path = Path(tmp) / name
            path.write_bytes(doc)
            t0 = time.monotonic()
            with time_bound(CASE_SECONDS):
                r = CliRunner().invoke(app, ["check", str(path), "--as-of", "2026-11-22", "--trial", "NCT01420432"])
            assert isinstance(r.exception, SystemExit) or r.exception is None, repr(r.exception)
            assert "Traceback" not in r.output
            assert r.exit_code in (0, 2), r.output
            if r.exit_code == 2:
                assert r.stderr.startswith(f"error: {path}"), r.stderr[:500]
            assert time.monotonic() - t0 < CASE_SECONDS
