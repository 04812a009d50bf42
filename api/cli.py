"""`screening serve`: the service registers its own command (entry point `trial_screening.commands`)."""

from __future__ import annotations

from typing import Annotated

import typer

from screening.cli.console import fail, fail_with
from screening.core.diagnostics import RuleSetError


def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on (beyond loopback only with API keys)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1,
        help="worker processes: screening is CPU-bound, so one per core (each loads every rule set; "
             "reloads reach them all)")] = 1,
) -> None:
    """Run the HTTP service (API keys: $SCREENING_API_KEYS or $SCREENING_API_KEYS_FILE)."""
    # the server and its web stack are imported only when the command runs: `screening --help` stays fast
    from api.server import serve as run_server
    from api.settings import SettingsError

    try:
        run_server(host, port, workers)
    except SettingsError as e:
        fail(str(e))
    except RuleSetError as e:
        fail_with(e)


def register(app: typer.Typer) -> None:
    app.command()(serve)
