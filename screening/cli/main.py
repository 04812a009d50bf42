"""The `screening` command line, assembled from one module per command group.

Other packages add their own commands through the entry-point group `trial_screening.commands`
(each entry is a function taking the Typer app): the HTTP service registers `serve` this way,
so the pipeline never imports the service.
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points

import typer

from screening.cli import batch, check, importer, rulesets, ruletest
from screening.cli.console import err

COMMANDS_GROUP = "trial_screening.commands"

app = typer.Typer(
    help="Screen patients against clinical-trial eligibility rule sets (compiled to durable_rules).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's help: typer's rich panels show a flag as `--json <bool>`
)

check.register(app)
rulesets.register(app)
for ep in entry_points(group=COMMANDS_GROUP):
    ep.load()(app)
batch.register(app)
importer.register(app)
ruletest.register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
