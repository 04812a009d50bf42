"""The `screening` command line: one module per command group, assembled in `main`."""

from screening.cli.main import app, main

__all__ = ["app", "main"]
