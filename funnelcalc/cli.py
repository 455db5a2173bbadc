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
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, cast

import typer

from funnelcalc import __version__
from funnelcalc.render import OutputFormat, PlanFormat

if TYPE_CHECKING:
    from funnelcalc.errors import Problem
    from funnelcalc.loader import GoalsFile
    from funnelcalc.render import Result
    from funnelcalc.render.table_format import View

MAX_PROBLEMS_SHOWN = 50
STDIN = "-"
STEP_SUMMARY = "GITHUB_STEP_SUMMARY"

app = typer.Typer(
    name="funnelcalc",
    help="Plan a sales and marketing funnel backwards, exactly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class CheckFormat(StrEnum):
    """check's formats: the usual families, and GitHub Actions annotations."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    GITHUB = "github"


class Granularity(StrEnum):
    """How finely `plan --by` spreads the plan over time."""

    MONTH = "month"
    QUARTER = "quarter"
    WEEK = "week"


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
    from funnelcalc.safetext import sane_columns

    sane_columns(os.environ)  # before any usage error is laid out: COLUMNS=0 printed nothing


FileArgument = Annotated[
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
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="KEY=VALUE",
        help="Change one value of the goals file for this run, e.g. stages.leads.rate=3%. "
        "Repeatable.",
    ),
]
ScenarioOption = Annotated[
    str | None,
    typer.Option("--scenario", "-s", help="Plan this scenario of the file instead of the base."),
]
SummaryOption = Annotated[
    bool,
    typer.Option(
        "--summary/--no-summary",
        help=f"Append a Markdown summary to ${STEP_SUMMARY} when it is set (GitHub Actions).",
    ),
]


@app.command()
def plan(
    file: FileArgument,
    output_format: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv, markdown, html (a report), svg or png (a funnel chart; png "
            "needs the charts extra).",
            case_sensitive=False,
        ),
    ] = PlanFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
    by: Annotated[
        Granularity | None,
        typer.Option(
            "--by",
            help="Also spread the plan over time: month, quarter or week (needs period: "
            "in the file).",
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Work out the volume every stage must reach to hit the target."""
    with _reported_errors():
        from funnelcalc.scenarios import plan_for

        goals_file = _read(file)
        planned = plan_for(goals_file, scenario, sets or [])
        result: Result = planned
        if by is not None:
            from funnelcalc.phasing import schedule_for

            result = schedule_for(goals_file, planned, by.value, scenario, sets or [])
        _emit(result, output_format.value, output=output, force=force, inputs=[file])


@app.command()
def compare(
    file: FileArgument,
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(metavar="[SCENARIO]...", help="Scenarios to compare (default: all)."),
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    sets: SetOption = None,
    summary: SummaryOption = True,
) -> None:
    """Compare the base plan with its scenarios, stage by stage."""
    with _reported_errors():
        from funnelcalc.scenarios import compare as compare_plans

        result = compare_plans(_read(file), scenarios or [], sets or [])
        _emit(result, output_format.value, output=output, force=force, inputs=[file])
        if summary:
            _append_step_summary(result, [file])


@app.command()
def sweep(
    file: FileArgument,
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            metavar="KEY=FROM..TO/STEP",
            help="A key and the range it sweeps, e.g. stages.leads.rate=2%..4%/0.5%. "
            "Once for a list, twice for a grid.",
        ),
    ],
    show: Annotated[
        str | None,
        typer.Option("--show", help="The stage whose volume is shown (default: the top stage)."),
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
) -> None:
    """Show the volume a stage needs as one or two keys vary over a range."""
    with _reported_errors():
        from funnelcalc.errors import InputError
        from funnelcalc.sweep import parse_vary
        from funnelcalc.sweep import sweep as sweep_plans

        if len(vary) > 2:
            raise InputError.single("--vary", "give it once (a list) or twice (a grid), not more")
        axes = [parse_vary(text) for text in vary]
        goals_file = _read(file)
        result = sweep_plans(goals_file, axes, show=show, scenario=scenario, sets=sets or [])
        _emit(result, output_format.value, output=output, force=force, inputs=[file])


@app.command()
def check(
    file: FileArgument,
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv, markdown or github (annotations for GitHub Actions).",
            case_sensitive=False,
        ),
    ] = CheckFormat.TABLE,
    all_scenarios: Annotated[
        bool, typer.Option("--all-scenarios", help="Check every scenario too, not only the base.")
    ] = False,
    scenario: ScenarioOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    sets: SetOption = None,
    summary: SummaryOption = True,
) -> None:
    """Check the plan against the file's limits: exit 0 when all hold, 1 when any breaks."""
    with _reported_errors():
        from funnelcalc.limits import check as check_limits

        goals_file = _read(file)
        plans: list[str | None] = [None]
        if all_scenarios:
            plans += goals_file.scenario_names
        elif scenario is not None:
            plans = [scenario]
        result = check_limits(goals_file, scenarios=plans, sets=sets or [])
        if not result.results and output_format in (CheckFormat.JSON, CheckFormat.CSV):
            _stderr(f"funnelcalc: {goals_file.source} sets no limits: nothing to check")
        _emit(result, output_format.value, output=output, force=force, inputs=[file])
        if summary:
            _append_step_summary(result, [file])
        if not result.passed:
            raise typer.Exit(1)


class RateChoice(StrEnum):
    """Which rates a re-forecast assumes for the rest of the period."""

    PLANNED = "planned"
    OBSERVED = "observed"


@app.command()
def track(
    file: FileArgument,
    actuals: Annotated[
        Path,
        typer.Option(
            "--actuals",
            help="What happened: CSV or YAML records of date (or period), stage, count, spend.",
            dir_okay=False,
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="The day to track up to (today)."),
    ] = None,
    tolerance: Annotated[
        str,
        typer.Option(help="How far below plan a stage may be before it is behind (10%)."),
    ] = "10%",
    rates: Annotated[
        RateChoice,
        typer.Option(
            "--rates", help="Re-forecast with planned or observed rates.", case_sensitive=False
        ),
    ] = RateChoice.PLANNED,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
) -> None:
    """Track actuals against the plan: pace, observed rates, a re-forecast; exit 1 if behind."""
    with _reported_errors():
        from datetime import date

        from funnelcalc.tracking import run_track

        result = run_track(
            _read(file),
            actuals,
            as_of=as_of,
            today=date.today(),
            tolerance=tolerance,
            rates=rates.value,
            scenario=scenario,
            sets=sets or [],
        )
        _emit(result, output_format.value, output=output, force=force, inputs=[file, str(actuals)])
        if result.behind:
            raise typer.Exit(1)


@app.command()
def simulate(
    file: FileArgument,
    runs: Annotated[int, typer.Option("--runs", help="How many draws (10,000).")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same result.")] = 0,
    given: Annotated[
        list[str] | None,
        typer.Option(
            "--given",
            metavar="STAGE=VOLUME",
            help="Capacity to test, e.g. visitors=20000 (default: the file's limits).",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
) -> None:
    """Draw every range: P10/P50/P90 of each stage, and the odds a capacity reaches the target."""
    with _reported_errors():
        from funnelcalc.simulate import parse_capacity
        from funnelcalc.simulate import simulate as run_simulation

        goals_file = _read(file)
        name, goals = goals_file.resolve(scenario, sets or [])
        capacity = parse_capacity(given or [], goals)
        result = run_simulation(
            goals, runs=runs, seed=seed, capacity=capacity, scenario=name, source=goals_file.source
        )
        _emit(result, output_format.value, output=output, force=force, inputs=[file])


@app.command()
def levers(
    file: FileArgument,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
) -> None:
    """Rank the levers: what +1 point or +10% on each rate (and the deal size) would do."""
    with _reported_errors():
        from funnelcalc.levers import levers as rank_levers

        result = rank_levers(_read(file), scenario=scenario, sets=sets or [])
        _emit(result, output_format.value, output=output, force=force, inputs=[file])


@app.command("solve")
def solve_command(
    file: FileArgument,
    for_key: Annotated[
        str,
        typer.Option(
            "--for", metavar="KEY", help="What to solve for: stages.NAME.rate or deal_size."
        ),
    ],
    given: Annotated[
        str,
        typer.Option("--given", metavar="STAGE=VOLUME", help="The capacity, e.g. visitors=15000."),
    ],
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
) -> None:
    """Goal seek: the smallest rate (or deal size) that reaches the target with a capacity."""
    with _reported_errors():
        from funnelcalc.goalseek import seek

        result = seek(_read(file), for_key, given, scenario=scenario, sets=sets or [])
        _emit(result, output_format.value, output=output, force=force, inputs=[file])
        if not result.possible:
            raise typer.Exit(1)


@app.command()
def project(
    file: FileArgument,
    start: Annotated[
        str,
        typer.Option("--from", metavar="STAGE=VOLUME", help="What you have, e.g. inquiries=1000."),
    ],
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
) -> None:
    """Forward projection: what a volume at one stage turns into, and the revenue it brings."""
    with _reported_errors():
        from funnelcalc.goalseek import parse_given
        from funnelcalc.projection import project_from

        name, goals = _read(file).resolve(scenario, sets or [])
        stage, volume = parse_given(start, goals, flag="--from")
        result = project_from(goals, stage, volume, scenario=name)
        _emit(result, output_format.value, output=output, force=force, inputs=[file])


@app.command()
def validate(file: FileArgument, sets: SetOption = None) -> None:
    """Check a goals file (and its scenarios) without planning: exit 0 or 2."""
    with _reported_errors():
        goals_file = _read(file)
        goals = goals_file.goals(sets=sets or [])
        counts = [
            _plural(len(goals.stages), "stage"),
            _plural(len(goals.scenarios), "scenario"),
            _plural(len(goals.limits), "limit"),
        ]
        from funnelcalc.output import write_stdout

        write_stdout(f"{goals_file.source} is valid: {', '.join(counts)}\n")


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of goals.yaml, for editors and CI."""
    with _reported_errors():
        from funnelcalc.output import write_stdout
        from funnelcalc.schema import schema_text

        write_stdout(schema_text())


@app.command()
def init(
    path: Annotated[
        str,
        typer.Argument(metavar="[PATH]", help="Where to write it (default goals.yaml; - prints)."),
    ] = "goals.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter goals.yaml to edit."""
    with _reported_errors():
        from funnelcalc.output import write_atomically, write_stdout
        from funnelcalc.starter import STARTER

        if path == STDIN:
            write_stdout(STARTER)
            return

        write_atomically(Path(path), STARTER, force=force)
        _stderr(f"Wrote {path}. Edit it, then run: funnelcalc plan {path}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _read(file: str) -> GoalsFile:
    from funnelcalc import loader
    from funnelcalc.errors import InputError

    if file != STDIN:
        return loader.read(file)
    if sys.stdin is None:
        raise InputError.single("<stdin>", "standard input is closed: give a file name")
    return loader.read_bytes(sys.stdin.buffer.read(loader.MAX_BYTES + 1), source="<stdin>")


def _emit(
    result: Result, output_format: str, *, output: Path | None, force: bool, inputs: list[str]
) -> None:
    """Render the result in the chosen format to stdout or, atomically, to --output."""
    from funnelcalc.output import output_path, write_stdout

    output = output_path(output)  # `-o -` is stdout
    text: str | bytes
    if output_format == OutputFormat.TABLE:
        from funnelcalc.render import table_format

        view = table_format.view(result)
        if output is None:
            _print_table(view)
            return
        text = table_format.to_text(view, width=100)
    else:
        text = _text_renderer(output_format)(result)
    if output is None:
        if isinstance(text, bytes):
            _write_binary(text, output_format)
        else:
            write_stdout(text)
        return
    from funnelcalc.output import write_atomically

    protected = [Path(name) for name in inputs if name != STDIN]
    write_atomically(output, text, force=force, protected=protected)


def _write_binary(data: bytes, output_format: str) -> None:
    """Binary output (a PNG) to a pipe or file, never onto a terminal."""
    from funnelcalc.errors import InputError

    if sys.stdout is not None and sys.stdout.isatty():
        raise InputError.single(
            "--format", f"{output_format} is binary: write it with --output chart.{output_format}"
        )
    from funnelcalc.output import write_stdout

    write_stdout(data)


def _print_table(view: View) -> None:
    from rich.console import Console

    console = Console(highlight=False, markup=False, emoji=False)
    # Never let rich cut a number short: a narrow terminal gets a wider (wrapped) table.
    console.width = max(console.width, view.width)
    from funnelcalc.output import write_stdout

    rendered = io.StringIO()  # rendered first, then written: a full disk is reported, not lost
    Console(
        file=rendered,
        width=console.width,
        force_terminal=console.is_terminal,
        color_system=console.color_system,  # type: ignore[arg-type]
        no_color=console.no_color,
        highlight=False,
        markup=False,
        emoji=False,
    ).print(view.renderable)
    write_stdout(rendered.getvalue())


def _text_renderer(output_format: str) -> Callable[[Result], str | bytes]:
    """The `render` function of funnelcalc/render/<format>_format.py, imported on demand."""
    module = importlib.import_module(f"funnelcalc.render.{output_format}_format")
    return cast("Callable[[Result], str | bytes]", module.render)


def _append_step_summary(result: Result, inputs: list[str]) -> None:
    """In GitHub Actions, add the result as Markdown to the job's summary page."""
    path = os.environ.get(STEP_SUMMARY)
    if not path:
        return
    from funnelcalc.output import append_to
    from funnelcalc.render.markdown_format import render

    append_to(path, render(result) + "\n", label=f"${STEP_SUMMARY}", protected=inputs)


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
    except typer.Exit:
        raise
    except Exception as error:
        if os.environ.get("FUNNELCALC_DEBUG") == "1":
            raise
        from funnelcalc.safetext import excerpt

        _stderr(
            f"funnelcalc: internal error: {type(error).__name__}: {excerpt(str(error), 300)} "
            "(run with FUNNELCALC_DEBUG=1 for a traceback, and please report it)"
        )
        raise typer.Exit(3) from None


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        _stderr(str(problem))
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        _stderr(f"… and {hidden:,} more problems")


def _stderr(line: str) -> None:
    from funnelcalc.safetext import escape  # user text must not drive the terminal

    try:
        print(escape(line), file=sys.stderr)
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
