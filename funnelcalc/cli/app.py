"""The Typer app: its root options, the command decorator, and what every command shares.

The only module that declares commands. Heavy imports (yaml, pydantic, rich tables) wait
inside the commands so that `--version` and `--help` stay fast; output goes through
funnelcalc.emit and failures through funnelcalc.failures.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from funnelcalc import __version__
from funnelcalc.cli.emit import STDIN, Origin
from funnelcalc.cli.options import (
    Command,
    Group,
)

if TYPE_CHECKING:
    from funnelcalc.loader import GoalsFile

app = typer.Typer(
    name="funnelcalc",
    help="Plan a sales and marketing funnel backwards, exactly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=Group,
)
command = functools.partial(app.command, cls=Command)


def _print_version(value: bool) -> None:
    if value:
        print(f"funnelcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            metavar="",
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Plan a sales and marketing funnel backwards, exactly.

    Write what the business must win and how its funnel converts in goals.yaml;
    funnelcalc works out the volume every stage must reach.
    """
    import os

    from funnelcalc.safetext import sane_columns

    sane_columns(os.environ)  # before any usage error is laid out: COLUMNS=0 printed nothing


def read_goals(file: str) -> GoalsFile:
    """The goals file named on the command line, or standard input for -."""
    from funnelcalc import loader
    from funnelcalc.errors import InputError

    if file != STDIN:
        return loader.read(file)
    if sys.stdin is None:
        raise InputError.single("<stdin>", "standard input is closed: give a file name")
    return loader.read_bytes(sys.stdin.buffer.read(loader.MAX_BYTES + 1), source="<stdin>")


def segment_named(goals_file: GoalsFile, segment: str | None) -> str | None:
    """`--segment` as the file spells it (None without one), for the provenance."""
    return goals_file.segment_name(segment) if segment is not None else None


def origin(
    file: str, scenario: str | None, sets: list[str] | None, segment: str | None = None
) -> Origin:
    """Where a command's result comes from, for its provenance."""
    return Origin((file,), scenario, tuple(sets or ()), segment)
