"""Commands about the goals file itself: validate, schema and init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from funnelcalc.cli.app import command, read_goals
from funnelcalc.cli.emit import STDIN
from funnelcalc.cli.failures import reported_errors, stderr
from funnelcalc.cli.options import (
    FileArgument,
    SetOption,
    flag,
)


@command()
def validate(file: FileArgument, sets: SetOption = None) -> None:
    """Check a goals file (and its scenarios) without planning: exit 0 or 2."""
    with reported_errors():
        goals_file = read_goals(file)
        goals = goals_file.goals(sets=sets or [])
        counts = [
            _plural(len(goals.stages), "stage"),
            _plural(len(goals.scenarios), "scenario"),
            _plural(len(goals.limits), "limit"),
        ]
        goals_file.check_segments(sets or [])  # every segment under every scenario too
        if goals.segments:
            counts.append(_plural(len(goals.segments), "segment"))
        from funnelcalc.output import write_stdout

        write_stdout(f"{goals_file.source} is valid: {', '.join(counts)}\n")


@command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of goals.yaml, for editors and CI."""
    with reported_errors():
        from funnelcalc.output import write_stdout
        from funnelcalc.schema import schema_text

        write_stdout(schema_text())


@command()
def init(
    path: Annotated[
        str,
        typer.Argument(metavar="[PATH]", help="Where to write it (default goals.yaml; - prints)."),
    ] = "goals.yaml",
    force: Annotated[bool, flag("--force", "Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter goals.yaml to edit."""
    with reported_errors():
        from funnelcalc.output import write_atomically, write_stdout
        from funnelcalc.starter import STARTER

        if path == STDIN:
            write_stdout(STARTER)
            return

        write_atomically(Path(path), STARTER, force=force)
        stderr(f"Wrote {path}. Edit it, then run: funnelcalc plan {path}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
