"""The Typer layer: parse the command line, call the core, hand the result to a renderer.

The only package that prints or exits. `app` declares the commands (plans, analysis, files),
`emit` writes what they produce, `failures` turns errors into messages and exit codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Commands register in the order they are imported, which is the order --help lists them.
from funnelcalc.cli import plans

# isort: split
from funnelcalc.cli import analysis

# isort: split
from funnelcalc.cli import files
from funnelcalc.cli.app import app
from funnelcalc.cli.failures import safe_streams

if TYPE_CHECKING:
    from typer.models import CommandInfo

__all__ = ["analysis", "app", "files", "main", "plans"]


def main() -> None:
    """Console-script entry point."""
    import gc
    import os
    import sys

    safe_streams()
    # funnelcalc uses no pydantic plugins; scanning every installed package's entry points
    # for them costs more start-up time than planning a funnel (typer disables them too).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    only_the_command(sys.argv[1:2])
    try:
        app()
    finally:
        # Everything left is freed with the process: freezing it spares the collections at
        # interpreter exit a walk over every object of the run (a third of a plan's time).
        gc.freeze()


def only_the_command(first: list[str]) -> None:
    """Register just the command named on the command line, so typer builds one command, not
    all of them; --help, no command or a misspelt one keep them all (for the list and hints)."""
    chosen = [info for info in app.registered_commands if _name(info) in first]
    if chosen:
        app.registered_commands[:] = chosen


def _name(info: CommandInfo) -> str:
    callback = info.callback
    return info.name or (callback.__name__.replace("_", "-") if callback else "")
