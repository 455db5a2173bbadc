"""Failures as users see them: every error a message on stderr and the documented exit code
(2 bad input, 3 internal, 130 interrupted); a reader that went away is no error of ours."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

import typer

if TYPE_CHECKING:
    from funnelcalc.errors import Problem

MAX_PROBLEMS_SHOWN = 50


@contextmanager
def reported_errors(*, annotate: bool = False) -> Iterator[None]:
    """Turn every failure into a message on stderr and the documented exit code; with
    `annotate`, also an error annotation on stdout for each located problem (GitHub Actions)."""
    from funnelcalc.errors import FunnelcalcError, InputError

    try:
        yield
    except InputError as error:
        print_problems(error.problems)
        if annotate:
            _annotate(error.problems)
        raise typer.Exit(error.exit_code) from None
    except FunnelcalcError as error:
        stderr(f"funnelcalc: {error}")
        raise typer.Exit(error.exit_code) from None
    except BrokenPipeError:
        # The reader (head, less) went away: not an error of ours, and nothing left to say.
        silence(sys.stdout)
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as error:
        if os.environ.get("FUNNELCALC_DEBUG") == "1":
            raise
        from funnelcalc.safetext import excerpt

        stderr(
            f"funnelcalc: internal error: {type(error).__name__}: {excerpt(str(error), 300)} "
            "(run with FUNNELCALC_DEBUG=1 for a traceback, and please report it)"
        )
        raise typer.Exit(3) from None


def _annotate(problems: list[Problem]) -> None:
    """Each problem of a file as a GitHub error on its line, so it shows on the diff."""
    from funnelcalc.render.github_format import render
    from funnelcalc.report import Annotation

    notes = [
        Annotation(
            "error",
            p.source,
            p.line,
            "Invalid input",
            f"{p.key}: {p.message}" if p.key else p.message,
        )
        for p in problems[:MAX_PROBLEMS_SHOWN]
        if not p.source.startswith(("-", "$"))
    ]
    try:
        sys.stdout.write(render(notes) if notes else "")
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)


def print_problems(problems: list[Problem]) -> None:
    """Each problem a line, the first fifty of them."""
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        stderr(str(problem))
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        stderr(f"… and {hidden:,} more problems")


def stderr(line: str) -> None:
    """A line on standard error, quietly dropped when nobody reads it."""
    from funnelcalc.safetext import escape  # user text must not drive the terminal

    try:
        print(escape(line), file=sys.stderr)
    except BrokenPipeError:
        silence(sys.stderr)


def silence(stream: TextIO) -> None:
    """Point a stream whose reader has gone at /dev/null, so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def safe_streams() -> None:
    """Characters the terminal's encoding lacks become '?' rather than a crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
