"""Where a result goes: built into a report (or its JSON document) with where it came from,
rendered in the chosen format, and written to standard output, to --output (atomically), or
to GitHub's step summary."""

from __future__ import annotations

import importlib
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from funnelcalc import __version__
from funnelcalc.errors import InputError

if TYPE_CHECKING:
    from funnelcalc.report import Provenance

STDIN = "-"
STEP_SUMMARY = "GITHUB_STEP_SUMMARY"
EPOCH = "SOURCE_DATE_EPOCH"
"""Set it (seconds since 1970) to make the date a report was made reproducible."""


class Origin(NamedTuple):
    """What a result was made from: the input files, the scenario and every --set."""

    inputs: tuple[str, ...]
    scenario: str | None = None
    sets: tuple[str, ...] = ()
    segment: str | None = None
    """`--segment`, as given."""


def made_on() -> date:
    """Today, or the day $SOURCE_DATE_EPOCH names."""
    text = os.environ.get(EPOCH)
    if not text:
        return date.today()
    try:
        return datetime.fromtimestamp(int(text.strip()[:20]), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise InputError.single(f"${EPOCH}", "must be whole seconds since 1970-01-01") from None


def provenance(result: object, origin: Origin) -> Provenance:
    """The provenance block of a result."""
    from funnelcalc.report import Provenance
    from funnelcalc.views import period_text, plan_of

    sources = tuple("standard input" if name == STDIN else name for name in origin.inputs)
    plan = plan_of(result)
    period = period_text(plan)
    # the segment as the file spells it, where the plan knows it
    segment = (plan.segment if plan is not None else None) or origin.segment
    return Provenance(
        sources, origin.scenario, origin.sets, period, made_on(), __version__, segment
    )


def emit(
    result: object, output_format: str, origin: Origin, *, output: Path | None, force: bool
) -> None:
    """Render the result in the chosen format to stdout or, atomically, to --output."""
    from funnelcalc import views
    from funnelcalc.output import output_path, write_stdout

    output = output_path(output)  # `-o -` is stdout
    made = provenance(result, origin)
    text: str | bytes
    if output_format == "json":
        from funnelcalc.render import json_format

        text = json_format.render(views.document(result, made))
    elif output_format == "xlsx":
        from funnelcalc.render import xlsx_format

        text = xlsx_format.write(views.workbook(result, made))
    elif output_format == "github":
        from funnelcalc.render import github_format

        text = github_format.render(views.ci_annotations(result))
    else:
        report = views.report(result, made)
        module = importlib.import_module(f"funnelcalc.render.{output_format}_format")
        if output_format == "table" and output is None:
            module.show(report)
            return
        text = module.render(report)
    if output is None:
        if isinstance(text, bytes):
            _write_binary(text, output_format)
        else:
            write_stdout(text)
        return
    from funnelcalc.output import write_atomically

    protected = [Path(name) for name in origin.inputs if name != STDIN]
    write_atomically(output, text, force=force, protected=protected)


def _write_binary(data: bytes, output_format: str) -> None:
    """Binary output (a PNG, a workbook, a deck) to a pipe or file, never onto a terminal."""
    from funnelcalc.output import write_stdout

    if sys.stdout is not None and sys.stdout.isatty():
        name = "chart" if output_format == "png" else "plan"
        raise InputError.single(
            "--format", f"{output_format} is binary: write it with --output {name}.{output_format}"
        )
    write_stdout(data)


def append_step_summary(result: object, origin: Origin) -> None:
    """In GitHub Actions, add the result as Markdown to the job's summary page."""
    path = os.environ.get(STEP_SUMMARY)
    if not path:
        return
    from funnelcalc import views
    from funnelcalc.output import append_to
    from funnelcalc.render.markdown_format import render

    text = render(views.report(result, provenance(result, origin)))
    append_to(path, text + "\n", label=f"${STEP_SUMMARY}", protected=origin.inputs)
