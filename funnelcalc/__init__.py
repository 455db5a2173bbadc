"""funnelcalc: plan a sales and marketing funnel backwards, exactly.

For notebooks and scripts::

    import funnelcalc
    plan = funnelcalc.plan(funnelcalc.load("goals.yaml"))
    [stage.volume for stage in plan.stages]

A file with segments is planned from its path (the roll-up, or one segment)::

    plan = funnelcalc.plan_file("segments.yaml", segment=None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load", "parse", "plan", "plan_file"]

if TYPE_CHECKING:
    from funnelcalc.loader import load, parse
    from funnelcalc.solver import Plan
    from funnelcalc.solver import solve as plan


def __getattr__(name: str) -> Any:
    # Imported on first use, so `funnelcalc --version` does not pay for yaml and pydantic.
    if name in ("load", "parse"):
        from funnelcalc import loader

        return getattr(loader, name)
    if name == "plan":
        from funnelcalc.solver import solve

        return solve
    raise AttributeError(f"module 'funnelcalc' has no attribute {name!r}")


def plan_file(path: str, segment: str | None = None) -> Plan:
    """Plan a goals file from its path: the roll-up of a file with segments (or `segment`
    alone), else its one funnel."""
    from funnelcalc.loader import read
    from funnelcalc.scenarios import plan_for

    return plan_for(read(path), None, (), segment)
