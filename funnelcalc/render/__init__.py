"""Renderers: one module per output family, each turning a result object into text.

Every family renders every result (a plan, a comparison, a sweep, a check) through its
`render(result)`; the table family returns a rich view instead of text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias, cast

if TYPE_CHECKING:
    from funnelcalc.goalseek import Seek
    from funnelcalc.levers import Levers
    from funnelcalc.limits import Check
    from funnelcalc.phasing import Schedule
    from funnelcalc.projection import Projection
    from funnelcalc.scenarios import Comparison
    from funnelcalc.solver import Plan
    from funnelcalc.sweep import Sweep
    from funnelcalc.tracking import Track
    from funnelcalc.uncertainty import Simulation

    Result: TypeAlias = (
        Plan
        | Comparison
        | Sweep
        | Check
        | Schedule
        | Track
        | Simulation
        | Levers
        | Seek
        | Projection
    )


def plan_of(result: Result) -> tuple[Plan, Schedule | None]:
    """The plan a chart or report draws, and its schedule when the result is one. Renderers
    tell results apart by class name, so each imports only the modules of what it draws."""
    if type(result).__name__ == "Schedule":
        schedule = cast("Schedule", result)
        return schedule.plan, schedule
    return cast("Plan", result), None


class OutputFormat(StrEnum):
    """The output families every planning command offers."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class PlanFormat(StrEnum):
    """`plan` also writes a report and a chart for decks."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    SVG = "svg"
    PNG = "png"
