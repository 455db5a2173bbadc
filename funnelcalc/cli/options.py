"""The command line's shared words: output formats, the options every command takes, and a
command class whose usage line reads as people write it (`funnelcalc plan [OPTIONS] FILE`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup


class OutputFormat(StrEnum):
    """The output families every planning command offers."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


class PlanFormat(StrEnum):
    """`plan` also draws its funnel for slides, and writes a workbook and a deck."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    SVG = "svg"
    PNG = "png"
    XLSX = "xlsx"
    PPTX = "pptx"


class CheckFormat(StrEnum):
    """check's formats: the usual families, and GitHub Actions annotations."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    GITHUB = "github"


class Granularity(StrEnum):
    """How finely `plan --by` spreads the plan over time."""

    MONTH = "month"
    QUARTER = "quarter"
    WEEK = "week"


class RateChoice(StrEnum):
    """Which rates a re-forecast assumes for the rest of the period."""

    PLANNED = "planned"
    OBSERVED = "observed"


class Command(TyperCommand):
    """A command whose help reads like a classic CLI's: `FILE`, not `{FILE}`, in the usage
    line, and no `<str>` beside an argument whose name already says what it is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument) and param.metavar:
                # typer always prints the Python type of an argument; its metavar says more
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]

    def get_help_option(self, ctx: Any) -> Any:
        """--help, shown without a type."""
        return _untyped(super().get_help_option(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line's pieces, required arguments without braces."""
        return [piece.strip("{}") for piece in super().collect_usage_pieces(ctx)]


class Group(TyperGroup):
    """The command group, whose --help shows no type either."""

    def get_help_option(self, ctx: Any) -> Any:
        """--help, shown without a type."""
        return _untyped(super().get_help_option(ctx))


def _untyped(option: Any) -> Any:
    if option is not None:
        option.metavar = ""
    return option


def flag(name: str, help_text: str) -> Any:
    """An on/off option, shown without a type."""
    return typer.Option(name, help=help_text, metavar="")


FileArgument = Annotated[
    str,
    typer.Argument(
        metavar="FILE", help="The goals file (YAML), or - to read it from standard input."
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="table, json, csv, markdown or html.", case_sensitive=False
    ),
]
CiFormatOption = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv, markdown, html or github (annotations for GitHub Actions).",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        help="Write to this file (atomically) instead of standard output.",
        dir_okay=False,
    ),
]
ForceOption = Annotated[bool, flag("--force", "Let --output overwrite an existing file.")]
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
    typer.Option(
        "--scenario",
        "-s",
        metavar="NAME",
        help="Plan this scenario of the file instead of the base.",
    ),
]
SummaryOption = Annotated[
    bool,
    typer.Option(
        "--summary/--no-summary",
        metavar="",
        help="Append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set (GitHub Actions).",
    ),
]
SegmentOption = Annotated[
    str | None,
    typer.Option(
        "--segment",
        metavar="NAME",
        help="Plan this segment of the file on its own, instead of the company roll-up.",
    ),
]
