"""The Typer layer: parse the command line, call the core, hand the result to a renderer.

The only module that prints or exits. Heavy imports (yaml, pydantic, rich tables) wait inside
the commands so that `--version` and `--help` stay fast.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, cast

import typer

from funnelcalc import __version__
from funnelcalc.render import OutputFormat

if TYPE_CHECKING:
    from funnelcalc.errors import Problem
    from funnelcalc.model import Goals
    from funnelcalc.render.table_format import View
    from funnelcalc.solver import Plan

MAX_PROBLEMS_SHOWN = 50
STDIN = "-"

app = typer.Typer(
    name="funnelcalc",
    help="Plan a sales and marketing funnel backwards, exactly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        print(f"funnelcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Plan a sales and marketing funnel backwards, exactly.

    Write what the business must win and how its funnel converts in goals.yaml;
    funnelcalc works out the volume every stage must reach.
    """


GoalsFile = Annotated[
    str,
    typer.Argument(
        metavar="FILE", help="The goals file (YAML), or - to read it from standard input."
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table, json, csv or markdown.", case_sensitive=False),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of standard output.",
        dir_okay=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Let --output overwrite an existing file.")
]


@app.command()
def plan(
    file: GoalsFile,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Work out the volume every stage must reach to hit the target."""
    with _reported_errors():
        from funnelcalc.solver import solve

        result = solve(_load(file))
        _emit(result, output_format, output=output, force=force, inputs=[file])


def _load(file: str) -> Goals:
    from funnelcalc import loader

    if file == STDIN:
        if sys.stdin is None:
            from funnelcalc.errors import InputError

            raise InputError.single("<stdin>", "standard input is closed: give a file name")
        return loader.parse(sys.stdin.buffer.read(loader.MAX_BYTES + 1), source="<stdin>")
    return loader.load(file)


def _emit(
    result: Plan,
    output_format: OutputFormat,
    *,
    output: Path | None,
    force: bool,
    inputs: list[str],
) -> None:
    """Render the result in the chosen format to stdout or, atomically, to --output."""
    if output_format is OutputFormat.TABLE:
        from funnelcalc.render import table_format

        view = table_format.plan_view(result)
        if output is None:
            _print_table(view)
            return
        text = table_format.to_text(view, width=100)
    else:
        text = _text_renderer(output_format)(result)
    if output is None:
        sys.stdout.write(text)
        return
    from funnelcalc.output import write_atomically

    protected = [Path(name) for name in inputs if name != STDIN]
    write_atomically(output, text, force=force, protected=protected)


def _print_table(view: View) -> None:
    from rich.console import Console

    console = Console(highlight=False, markup=False, emoji=False)
    # Never let rich cut a number short: a narrow terminal gets a wider (wrapped) table.
    console.width = max(console.width, view.width)
    console.print(view.renderable)


def _text_renderer(output_format: OutputFormat) -> Callable[[Plan], str]:
    """The `render` function of funnelcalc/render/<format>_format.py, imported on demand."""
    module = importlib.import_module(f"funnelcalc.render.{output_format.value}_format")
    return cast("Callable[[Plan], str]", module.render)


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn every failure into a message on stderr and the documented exit code."""
    from funnelcalc.errors import FunnelcalcError, InputError

    try:
        yield
    except InputError as error:
        _print_problems(error.problems)
        raise typer.Exit(error.exit_code) from None
    except FunnelcalcError as error:
        _stderr(f"funnelcalc: {error}")
        raise typer.Exit(error.exit_code) from None
    except BrokenPipeError:
        # The reader (head, less) went away: not an error of ours, and nothing left to say.
        _silence(sys.stdout)
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as error:
        if os.environ.get("FUNNELCALC_DEBUG") == "1":
            raise
        _stderr(
            f"funnelcalc: internal error: {type(error).__name__}: {error} "
            "(run with FUNNELCALC_DEBUG=1 for a traceback, and please report it)"
        )
        raise typer.Exit(3) from None


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        _stderr(str(problem))
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        _stderr(f"… and {hidden} more problems")


def _stderr(line: str) -> None:
    try:
        print(line, file=sys.stderr)
    except BrokenPipeError:
        _silence(sys.stderr)


def _silence(stream: TextIO) -> None:
    """Point a stream whose reader has gone at /dev/null, so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _safe_streams() -> None:
    """Characters the terminal's encoding lacks become '?' rather than a crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point."""
    _safe_streams()
    # funnelcalc uses no pydantic plugins; scanning every installed package's entry points
    # for them costs more start-up time than planning a funnel (typer disables them too).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
