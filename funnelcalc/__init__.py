"""funnelcalc: plan a sales and marketing funnel backwards, exactly.

For notebooks and scripts::

    import funnelcalc
    plan = funnelcalc.plan(funnelcalc.load("goals.yaml"))
    [stage.volume for stage in plan.stages]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load", "parse", "plan"]

if TYPE_CHECKING:
    from funnelcalc.loader import load, parse
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
