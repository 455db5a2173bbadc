"""Commands that plan: plan, compare, sweep, check, diff and capacity."""

from __future__ import annotations

from typing import Annotated

import typer

from funnelcalc.cli.app import command, origin, read_goals, segment_named
from funnelcalc.cli.emit import append_step_summary, emit
from funnelcalc.cli.failures import reported_errors, stderr
from funnelcalc.cli.options import (
    CheckFormat,
    CiFormatOption,
    FileArgument,
    ForceOption,
    FormatOption,
    Granularity,
    OutputFormat,
    OutputOption,
    PlanFormat,
    ScenarioOption,
    SegmentOption,
    SetOption,
    SummaryOption,
    flag,
)


@command()
def plan(
    file: FileArgument,
    output_format: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv, markdown, html (a report), svg or png (a funnel chart; png "
            "needs the charts extra), xlsx (a workbook of live formulas; the xlsx extra) or pptx "
            "(a slide deck; the pptx extra).",
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
    segment: SegmentOption = None,
) -> None:
    """Work out the volume every stage must reach to hit the target."""
    with reported_errors():
        from funnelcalc.scenarios import plan_for

        goals_file = read_goals(file)
        planned = plan_for(goals_file, scenario, sets or [], segment)
        result: object = planned
        if by is not None:
            from funnelcalc.phasing import schedule_for

            result = schedule_for(
                goals_file, planned, by.value, scenario, sets or [], segment=segment
            )
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)


@command()
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
    segment: SegmentOption = None,
) -> None:
    """Compare the base plan with its scenarios, stage by stage."""
    with reported_errors():
        from funnelcalc.scenarios import compare as compare_plans

        goals_file = read_goals(file)
        result = compare_plans(goals_file, scenarios or [], sets or [], segment)
        made_from = origin(file, None, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)
        if summary:
            append_step_summary(result, made_from)


@command()
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
    segment: SegmentOption = None,
) -> None:
    """Show the volume a stage needs as one or two keys vary over a range."""
    with reported_errors():
        from funnelcalc.errors import InputError
        from funnelcalc.sweep import parse_vary
        from funnelcalc.sweep import sweep as sweep_plans

        if len(vary) > 2:
            raise InputError.single("--vary", "give it once (a list) or twice (a grid), not more")
        axes = [parse_vary(text) for text in vary]
        goals_file = read_goals(file)
        result = sweep_plans(
            goals_file, axes, show=show, scenario=scenario, sets=sets or [], segment=segment
        )
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)


@command()
def check(
    file: FileArgument,
    output_format: CiFormatOption = CheckFormat.TABLE,
    all_scenarios: Annotated[
        bool, flag("--all-scenarios", "Check every scenario too, not only the base.")
    ] = False,
    scenario: ScenarioOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    sets: SetOption = None,
    summary: SummaryOption = True,
    segment: SegmentOption = None,
) -> None:
    """Check the plan against the file's limits: exit 0 when all hold, 1 when any breaks."""
    with reported_errors(annotate=output_format == CheckFormat.GITHUB):
        from funnelcalc.limits import check as check_limits

        goals_file = read_goals(file)
        plans: list[str | None] = [None]
        if all_scenarios:
            plans += goals_file.scenario_names
        elif scenario is not None:
            plans = [scenario]
        result = check_limits(goals_file, scenarios=plans, sets=sets or [], segment=segment)
        nothing = not result.results and not result.capacity
        if nothing and output_format in (CheckFormat.JSON, CheckFormat.CSV):
            stderr(f"funnelcalc: {goals_file.source} sets no limits: nothing to check")
        made_from = origin(
            file, "all" if all_scenarios else scenario, sets, segment_named(goals_file, segment)
        )
        emit(result, output_format.value, made_from, output=output, force=force)
        if summary:
            append_step_summary(result, made_from)
        if not result.passed:
            raise typer.Exit(1)


@command()
def diff(
    file: FileArgument,
    new: Annotated[
        str | None,
        typer.Argument(metavar="[NEW]", help="The changed goals file (not with --base)."),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="REV",
            help="Compare FILE with itself at this git revision, e.g. origin/main.",
        ),
    ] = None,
    fail_if: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-if",
            metavar="KEY>CHANGE",
            help="Exit 1 when a figure moves past this, e.g. budget>10% or "
            "stages.visitors.volume>+5000. Repeatable.",
        ),
    ] = None,
    output_format: CiFormatOption = CheckFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    summary: SummaryOption = True,
    segment: SegmentOption = None,
) -> None:
    """Show what changed between two goals files: inputs and every figure; exit 1 past --fail-if."""
    with reported_errors(annotate=output_format == CheckFormat.GITHUB):
        from funnelcalc.changes import at_revision, compare_files, parse_threshold
        from funnelcalc.errors import InputError

        if (new is None) == (base is None):
            raise InputError.single("diff", "give OLD NEW, or FILE --base REV")
        thresholds = [parse_threshold(text) for text in fail_if or []]
        if base is not None:
            old_file, new_file = at_revision(file, base), read_goals(file)
        else:
            old_file, new_file = read_goals(file), read_goals(new or "")
        result = compare_files(
            old_file, new_file, scenario=scenario, thresholds=thresholds, segment=segment
        )
        inputs = (old_file.source, new_file.source)
        made_from = origin(file, scenario, None, segment_named(new_file, segment))._replace(
            inputs=inputs
        )
        emit(result, output_format.value, made_from, output=output, force=force)
        if summary:
            append_step_summary(result, made_from)
        if result.crossed:
            raise typer.Exit(1)


@command()
def capacity(
    file: FileArgument,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    force: ForceOption = False,
    scenario: ScenarioOption = None,
    sets: SetOption = None,
    segment: SegmentOption = None,
) -> None:
    """The sales team against the plan, month by month: heads, ramp, hires and requisitions."""
    with reported_errors():
        from funnelcalc.capacity import capacity_for

        goals_file = read_goals(file)
        result = capacity_for(goals_file, scenario, sets or [], segment)
        made_from = origin(file, scenario, sets, segment_named(goals_file, segment))
        emit(result, output_format.value, made_from, output=output, force=force)
