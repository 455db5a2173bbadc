"""The Typer layer: parse the command line, call the core, hand the result to a renderer.

The only package that prints or exits. `app` declares the commands (plans, analysis, files),
`emit` writes what they produce, `failures` turns errors into messages and exit codes.
"""

from __future__ import annotations

# Commands register in the order they are imported, which is the order --help lists them.
from funnelcalc.cli import plans

# isort: split
from funnelcalc.cli import analysis

# isort: split
from funnelcalc.cli import files
from funnelcalc.cli.app import app
from funnelcalc.cli.failures import safe_streams

__all__ = ["analysis", "app", "files", "main", "plans"]


def main() -> None:
    """Console-script entry point."""
    import os

    safe_streams()
    # funnelcalc uses no pydantic plugins; scanning every installed package's entry points
    # for them costs more start-up time than planning a funnel (typer disables them too).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
