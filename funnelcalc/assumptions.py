"""The ranges in a goals file, each with the point a plan uses for it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from funnelcalc.fields import LagRange, Range
from funnelcalc.model import Goals


@dataclass(frozen=True)
class Assumption:
    """A value given as a range, and the point the plan uses for it."""

    key: str
    low: Decimal | str
    high: Decimal | str
    used: Decimal | str
    basis: str
    """likely (as given) or midpoint."""
    kind: str
    """rate, money, weight or lag: how the values read."""

    @property
    def is_rate(self) -> bool:
        """Whether the values are rates."""
        return self.kind == "rate"


def assumptions(goals: Goals) -> tuple[Assumption, ...]:
    """Every range in the goals, with the point a plan uses: the deal size, each stage's rate,
    cost and lag, each source's rate, cost, fixed cost, deal size and own rates, and each
    seasonality weight."""
    values: list[tuple[str, object, str]] = [("deal_size", goals.deal_size, "money")]
    for stage in goals.stages:
        values.append((f"stages.{stage.name}.rate", stage.rate, "rate"))
        values.append((f"stages.{stage.name}.cost", stage.cost, "money"))
        values.append((f"stages.{stage.name}.lag", stage.lag, "lag"))
    for stage_name, entries in goals.sources.items():
        for source in entries:
            values.append((f"sources.{stage_name}.{source.name}.rate", source.rate, "rate"))
            values.append((f"sources.{stage_name}.{source.name}.cost", source.cost, "money"))
            at = f"sources.{stage_name}.{source.name}"
            values.append((f"{at}.fixed_cost", source.fixed_cost, "money"))
            values.append((f"{at}.deal_size", source.deal_size, "money"))
            for below, rate in (source.rates or {}).items():
                values.append((f"{at}.rates.{below}", rate, "rate"))
    weights = (goals.period.seasonality or []) if goals.period else []
    values += [(f"period.seasonality[{i}]", w, "weight") for i, w in enumerate(weights)]
    found: list[Assumption] = []
    for key, value, kind in values:
        if isinstance(value, Range | LagRange):
            basis = "likely" if value.likely is not None else "midpoint"
            found.append(Assumption(key, value.low, value.high, value.point, basis, kind))
    return tuple(found)
