"""Commands that analyse a plan: track, simulate, levers, solve and project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from funnelcalc.cli.app import command, origin, read_goals, segment_named
from funnelcalc.cli.emit import append_step_summary, emit
from funnelcalc.cli.failures import reported_errors
from funnelcalc.cli.options import (
    CheckFormat,
    CiFormatOption,
    FileArgument,
    ForceOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    RateChoice,
    ScenarioOption,
    SegmentOption,
    SetOption,
    SummaryOption,
)


@command()
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
    output_format: CiFormatOption = CheckFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
    summary: SummaryOption = True,
    segment: SegmentOption = None,
) -> None:
    """Track actuals against the plan: pace, observed rates, a re-forecast; exit 1 if behind."""
    with reported_errors(annotate=output_format == CheckFormat.GITHUB):
        from datetime import date

        from funnelcalc.tracking import run_track

        goals_file = read_goals(file)
        result = run_track(
            goals_file,
            actuals,
            as_of=as_of,
            today=date.today(),
            tolerance=tolerance,
            rates=rates.value,
            scenario=scenario,
            sets=sets or [],
            segment=segment,
        )
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))._replace(
            inputs=(file, str(actuals))
        )
        emit(result, output_format.value, made_from, output=output, force=force)
        if summary:
            append_step_summary(result, made_from)
        if result.behind:
            raise typer.Exit(1)


@command()
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
    segment: SegmentOption = None,
) -> None:
    """Draw every range: P10/P50/P90 of each stage, and the odds a capacity reaches the target."""
    with reported_errors():
        from funnelcalc.simulate import parse_capacity
        from funnelcalc.simulate import simulate as run_simulation

        goals_file = read_goals(file)
        if segment is None and goals_file.segment_names:
            from funnelcalc.simulate_rollup import simulate_company

            rolled = simulate_company(
                goals_file,
                runs=runs,
                seed=seed,
                given=given or [],
                scenario=scenario,
                sets=sets or [],
            )
            made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
            emit(rolled, output_format.value, made_from, output=output, force=force)
            return
        name, goals = goals_file.resolve(scenario, sets or [], segment)
        capacity = parse_capacity(given or [], goals)
        result = run_simulation(
            goals, runs=runs, seed=seed, capacity=capacity, scenario=name, source=goals_file.source
        )
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)


@command()
def levers(
    file: FileArgument,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
    segment: SegmentOption = None,
) -> None:
    """Rank the levers: what +1 point or +10% on each rate (and the deal size) would do."""
    with reported_errors():
        from funnelcalc.levers import levers as rank_levers

        goals_file = read_goals(file)
        result = rank_levers(goals_file, scenario=scenario, sets=sets or [], segment=segment)
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)


@command("solve")
def solve_command(
    file: FileArgument,
    for_key: Annotated[
        str,
        typer.Option(
            "--for",
            metavar="KEY",
            help=(
                "What to solve for: stages.NAME.rate, deal_size, or a source's rate: "
                "sources.STAGE.SOURCE.rate or sources.STAGE.SOURCE.rates.NAME."
            ),
        ),
    ],
    given: Annotated[
        list[str],
        typer.Option(
            "--given",
            metavar="STAGE=VOLUME",
            help="A capacity, e.g. visitors=15000; repeat it and every one is met.",
        ),
    ],
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
    segment: SegmentOption = None,
) -> None:
    """Goal seek: the smallest rate (or deal size) that reaches the target with a capacity."""
    with reported_errors():
        from funnelcalc.goalseek import seek

        goals_file = read_goals(file)
        result = seek(
            goals_file, for_key, given, scenario=scenario, sets=sets or [], segment=segment
        )
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)
        if not result.possible:
            raise typer.Exit(1)


@command()
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
    segment: SegmentOption = None,
) -> None:
    """Forward projection: what a volume at one stage turns into, and the revenue it brings."""
    with reported_errors():
        from funnelcalc.goalseek import parse_given
        from funnelcalc.projection import project_from

        goals_file = read_goals(file)
        name, goals = goals_file.resolve(scenario, sets or [], segment)
        stage, volume = parse_given(start, goals, flag="--from")
        result = project_from(goals, stage, volume, scenario=name)
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)
