"""Errors the core raises; the CLI maps each family to an exit code."""

from __future__ import annotations

from dataclasses import dataclass


class FunnelcalcError(Exception):
    """Base of every error funnelcalc raises on purpose."""

    exit_code = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        # Whatever a key or message quotes from the input, the line stays bounded.
        where = _bounded(self.source, MAX_SOURCE)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = _bounded(self.message, MAX_MESSAGE)
        return (
            f"{where}: {_bounded(self.key, MAX_KEY)}: {message}"
            if self.key
            else f"{where}: {message}"
        )


MAX_SOURCE = 300
MAX_KEY = 200
MAX_MESSAGE = 1000


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class InputError(FunnelcalcError):
    """Bad input or bad usage (exit code 2), with every problem found, in file order."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(
        cls,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> InputError:
        """An error with one problem."""
        return cls([Problem(source, message, line, column, key)])


def did_you_mean(word: str, choices: list[str]) -> str:
    """ "; did you mean 'x'?" for the closest choice (ignoring case), else the choices."""
    import difflib  # noqa: PLC0415 - only a mistake pays for it

    folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{folded[close[0]]}'?"
    if not choices:
        return ""
    return f"; expected one of: {', '.join(choices)}"
